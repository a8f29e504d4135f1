/*
 * The tool's own options (--print-xml, --print-xl, --dry-run, --quiet,
 * --debug, --inspect-media, --json): what the tool does with the
 * prepared install, which the request does not hold.
 */
#include <string.h>
#include "commands.h"

/* "all", "1" or "2" (the library accepts no other step) */
static CliPrintMode
print_mode(const char *value, guint *step)
{
  if (!value)
    return CLI_PRINT_NONE;
  if (strcmp(value, "all") == 0)
    return CLI_PRINT_ALL;
  *step = (guint)(value[0] - '0');
  return CLI_PRINT_STEP;
}

void
cli_modes_read(CliModes *m, const VmiCommandLine *cl)
{
  memset(m, 0, sizeof(*m));
  m->print = print_mode(vmi_command_line_tool_option(cl, "print-xml"), &m->print_step);
  m->print_xl = print_mode(vmi_command_line_tool_option(cl, "print-xl"), &m->print_xl_step);
  m->dry_run = vmi_command_line_tool_option(cl, "dry-run") != NULL;
  m->debug = vmi_command_line_tool_option(cl, "debug") != NULL;
  m->inspect_media = vmi_command_line_tool_option(cl, "inspect-media");
  m->json = vmi_command_line_tool_option(cl, "json") != NULL;
  /* as virt-install: printing is quiet */
  m->quiet = vmi_command_line_tool_option(cl, "quiet") != NULL || m->print || m->print_xl;
}
