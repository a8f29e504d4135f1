/*
 * vminstall: the command-line tool.  All the work is in libvminstall's
 * installer; this file turns argv into a request and the tool's modes,
 * hands the request to the installer, and hands the prepared install to
 * the command asked for.
 */
#include <stdio.h>
#include <locale.h>
#include <string.h>
#include "commands.h"

int
cmd_fail(GError *error)
{
  cli_busy_end();
  fprintf(stderr, "ERROR    %s\n", error->message);
  g_error_free(error);
  return 1;
}

void
cmd_flush_warnings(GPtrArray *warnings)
{
  if (!warnings || warnings->len == 0)
    return;
  cli_busy_output_begin();
  fflush(stdout);
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "WARNING  %s\n", (const char *)g_ptr_array_index(warnings, i));
  g_ptr_array_set_size(warnings, 0);
  cli_busy_output_end();
}

/* The generated cloud-init root password: once, on the terminal (never
 * on stdout, which may go to a log), as virt-install shows it. */
static void
show_password(const char *password)
{
  FILE *tty = fopen("/dev/tty", "w");
  FILE *out = tty ? tty : stderr;

  fprintf(out, "Password for first root login is: %s\n", password);
  fflush(out);
  if (tty)
    fclose(tty);
}

static int
dry_run(GPtrArray *notices, GPtrArray *warnings, gboolean quiet)
{
  cmd_flush_warnings(warnings);
  if (!quiet) {
    for (guint i = 0; i < notices->len; i++)
      printf("%s\n", (const char *)g_ptr_array_index(notices, i));
    printf("Dry run completed successfully\n");
  }
  return 0;
}

int
main(int argc, char **argv)
{
  g_autoptr(VmiCommandLine) cl = NULL;
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiInstaller) inst = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autofree char *output = NULL;
  GError *error = NULL;
  CliModes modes;
  VmiInstallerMode mode;

  /* Started by a run of this program, not by a user. */
  if (argc == 2 && strcmp(argv[1], VMI_GUARD_ARG) == 0)
    return cmd_guard();
  setlocale(LC_ALL, "");
  cl = vmi_command_line_new(argc, argv, &error);
  if (!cl)
    return cmd_fail(error);
  output = vmi_command_line_output(cl, &error);
  if (error)
    return cmd_fail(error);
  if (output) {
    fputs(output, stdout);
    return 0;
  }
  cli_modes_read(&modes, cl);
  req = vmi_command_line_request(cl, &error);
  inst = req ? vmi_installer_new(req, NULL, &error) : NULL;
  if (!inst)
    return cmd_fail(error);
  if (modes.inspect_media)
    return cmd_inspect_media(inst, &modes);

  /* Connecting, reading capabilities and the media can take a while
   * (a slow host, a slow mirror). */
  cli_busy_init(modes.quiet);
  cli_busy_begin("Preparing the guest");
  vmi_installer_set_progress(inst, cli_progress(modes.quiet), NULL);
  mode = modes.print || modes.print_xl ? VMI_INSTALLER_PRINT
         : modes.dry_run ? VMI_INSTALLER_DRY_RUN : VMI_INSTALLER_INSTALL;
  if (!vmi_installer_prepare(inst, mode, &error))
    return cmd_fail(error);
  /* The warnings wait for the command to get somewhere: an error before
   * that is the only line on stderr. */
  warnings = vmi_installer_take_warnings(inst);
  notices = vmi_installer_take_notices(inst);
  if (modes.quiet)
    g_ptr_array_set_size(warnings, 0);
  cli_busy_end();

  if (mode == VMI_INSTALLER_PRINT)
    return cmd_print(inst, &modes, warnings);
  if (mode == VMI_INSTALLER_DRY_RUN)
    return dry_run(notices, warnings, modes.quiet);
  if (vmi_installer_generated_password(inst))
    show_password(vmi_installer_generated_password(inst));
  return cmd_install(inst, &modes, notices, warnings);
}
