#include "commands.h"
#include "vminstall/error.h"

int
cmd_inspect_media(VmiRequest *req)
{
  GError *error = NULL;
  g_set_error(&error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
              "--inspect-media: not available in this build yet ('%s')", req->inspect_media);
  return cmd_fail(error);
}
