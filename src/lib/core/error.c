#include "error-util.h"

G_DEFINE_QUARK(vminstall-error-quark, vmi_error)

gboolean
vmi_fail(GError **error, VmiErrorCode code, const char *fmt, ...)
{
  va_list ap;

  if (!error)
    return FALSE;
  va_start(ap, fmt);
  g_propagate_error(error, g_error_new_valist(VMI_ERROR, code, fmt, ap));
  va_end(ap);
  return FALSE;
}
