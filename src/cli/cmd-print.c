/* --print-xml and --print-xl: the installer's prepared phases. */
#include <stdio.h>
#include "commands.h"

static int
print_steps(VmiInstaller *inst, CliPrintMode mode, guint step, const char *option,
            gboolean xl, GPtrArray *warnings)
{
  guint which[2] = { 1, vmi_installer_n_phases(inst) == 2 ? 2 : 0 };
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GError *error = NULL;

  if (mode == CLI_PRINT_STEP && step == 2 && !which[1]) {
    g_set_error(&error, VMI_ERROR, VMI_ERROR_USAGE,
                "%s: step 2 requested but this install has a single phase "
                "(use %s 1 or %s all)", option, option, option);
    return cmd_fail(error);
  }
  if (mode == CLI_PRINT_STEP)
    which[0] = step, which[1] = 0;

  /* Render everything first: an error must leave stdout empty. */
  a = xl ? vmi_installer_phase_xl(inst, which[0], &error)
         : vmi_installer_phase_xml(inst, which[0]);
  if (!a)
    return cmd_fail(error);
  if (which[1]) {
    b = xl ? vmi_installer_phase_xl(inst, which[1], &error)
           : vmi_installer_phase_xml(inst, which[1]);
    if (!b)
      return cmd_fail(error);
  }
  cmd_flush_warnings(warnings);
  fputs(a, stdout);
  if (b)
    fputs(b, stdout);
  return 0;
}

int
cmd_print(VmiInstaller *inst, const CliModes *modes, GPtrArray *warnings)
{
  if (modes->print_xl)
    return print_steps(inst, modes->print_xl, modes->print_xl_step, "--print-xl", TRUE,
                       warnings);
  return print_steps(inst, modes->print, modes->print_step, "--print-xml", FALSE, warnings);
}
