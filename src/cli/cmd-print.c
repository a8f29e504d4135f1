/* --print-xml and --print-xl. */
#include <stdio.h>
#include "commands.h"
#include "vminstall/error.h"

static int
print_steps(VmiPrintMode mode, int step, const VmiPlan *plan, const char *option,
            char *(*render)(const VmiGuest *guest, GError **error))
{
  const VmiGuest *first = plan->install ? plan->install : plan->final;
  const VmiGuest *second = plan->install ? plan->final : NULL;
  const VmiGuest *which[2] = { first, second };
  GError *error = NULL;

  if (mode == VMI_PRINT_STEP && step == 2 && !second) {
    g_set_error(&error, VMI_ERROR, VMI_ERROR_USAGE,
                "%s: step 2 requested but this install has a single phase "
                "(use %s 1 or %s all)", option, option, option);
    return cmd_fail(error);
  }
  if (mode == VMI_PRINT_STEP)
    which[0] = step == 1 ? first : second, which[1] = NULL;

  /* Render everything first: an error must leave stdout empty. */
  g_autofree char *a = render(which[0], &error);
  if (!a)
    return cmd_fail(error);
  g_autofree char *b = which[1] ? render(which[1], &error) : NULL;
  if (which[1] && !b)
    return cmd_fail(error);
  fputs(a, stdout);
  if (b)
    fputs(b, stdout);
  return 0;
}

static char *
render_xml(const VmiGuest *guest, GError **error)
{
  return vmi_guest_to_xml(guest);
}

static char *
render_xl(const VmiGuest *guest, GError **error)
{
  g_set_error_literal(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                      "--print-xl: not available in this build yet");
  return NULL;
}

int
cmd_print(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os)
{
  if (req->print_xl != VMI_PRINT_NONE)
    return print_steps(req->print_xl, req->print_xl_step, plan, "--print-xl", render_xl);
  return print_steps(req->print, req->print_step, plan, "--print-xml", render_xml);
}
