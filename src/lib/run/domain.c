/*
 * The domain calls of a run: define the installed guest, start the
 * install phase as a one-off run of the same name and UUID, and take the
 * definition back when the start fails.
 */
#include <string.h>
#include <libvirt/virterror.h>
#include "run-private.h"
#include "vminstall/error.h"

virDomainPtr
vmi_domain_define(virConnectPtr conn, const char *xml, GError **error)
{
  virDomainPtr dom = virDomainDefineXML(conn, xml);

  if (!dom)
    vmi_libvirt_error(error, "cannot define the guest");
  return dom;
}

virDomainPtr
vmi_domain_create_xml(virConnectPtr conn, const char *xml, GError **error)
{
  /* With a persistent definition of the same name and UUID in place,
   * libvirt runs this configuration once and keeps the definition for
   * every later boot. */
  virDomainPtr dom = virDomainCreateXML(conn, xml, 0);

  if (!dom)
    vmi_libvirt_error(error, "cannot start the install");
  return dom;
}

gboolean
vmi_domain_undefine(virDomainPtr dom, const char *uuid, GError **error)
{
  char have[VIR_UUID_STRING_BUFLEN];
  int rc;

  /* Never another guest that took the name meanwhile. */
  if (virDomainGetUUIDString(dom, have) < 0 || strcmp(have, uuid) != 0) {
    virResetLastError();
    return TRUE;
  }
  rc = virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_NVRAM |
                                   VIR_DOMAIN_UNDEFINE_MANAGED_SAVE);
  if (rc < 0) {
    /* Drivers without NVRAM or managed save refuse those flags; a guest
     * without either goes with a plain undefine. */
    g_autoptr(GError) first = NULL;
    vmi_libvirt_error(&first, "cannot undefine the guest");
    if (virDomainUndefine(dom) == 0)
      return TRUE;
    virResetLastError();
    g_propagate_error(error, g_steal_pointer(&first));
    return FALSE;
  }
  return TRUE;
}
