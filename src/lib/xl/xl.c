/*
 * vmi_xl_config: read the guest, check it, write it.
 */
#include "xl-private.h"

char *
vmi_xl_config(const VmiGuest *guest, const VmiXlOptions *opts, GError **error)
{
  g_autoptr(XlDomain) d = xl_domain_read(guest, opts, error);

  if (!d || !xl_domain_validate(d, opts, error))
    return NULL;
  return xl_domain_write(d, opts, error);
}
