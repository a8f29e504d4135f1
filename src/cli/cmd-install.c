#include "commands.h"
#include "vminstall/error.h"

int
cmd_install(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os,
            VmiStaged *staged, GPtrArray *notices)
{
  GError *error = NULL;
  g_set_error_literal(&error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                      "starting the install is not available in this build yet "
                      "(use --print-xml or --dry-run)");
  return cmd_fail(error);
}
