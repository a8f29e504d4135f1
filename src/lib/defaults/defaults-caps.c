/*
 * Hypervisor choice (domain type, OS type, arch, emulator) and the OS,
 * name, memory, vCPU and storage defaults of virt-install's main flow.
 */
#include <string.h>
#include "defaults-private.h"

gboolean
vmi_defaults_caps(VmiDefaults *d, GError **error)
{
  VmiRequest *req = d->req;
  g_autofree char *type = vmi_node_get(d->root, "@type");
  g_autofree char *os_type = vmi_node_get(d->root, "os/type");
  g_autofree char *arch = vmi_node_get(d->root, "os/type/@arch");
  g_autofree char *machine = vmi_node_get(d->root, "os/type/@machine");

  if (req->virt_type)
    vmi_set_str(&type, req->virt_type);
  if (req->arch)
    vmi_set_str(&arch, req->arch);
  if (req->machine)
    vmi_set_str(&machine, req->machine);
  if (req->hvm)
    vmi_set_str(&os_type, "hvm");
  else if (req->paravirt)
    vmi_set_str(&os_type, "xen");
  else if (req->container)
    vmi_set_str(&os_type, "exe");

  d->caps = vmi_conn_caps(d->conn, error);
  if (!d->caps)
    return FALSE;
  d->capsinfo = vmi_caps_lookup_guest(d->caps, os_type, arch, type, machine, error);
  if (!d->capsinfo)
    return FALSE;

  vmi_node_set(d->root, "@type", d->capsinfo->domain_type);
  vmi_node_set(d->root, "os/type", d->capsinfo->os_type);
  vmi_node_set(d->root, "os/type/@arch", d->capsinfo->arch);
  if (machine)
    vmi_node_set(d->root, "os/type/@machine", machine);
  if (!vmi_node_has(d->root, "os/loader") && d->capsinfo->loader)
    vmi_node_set(d->root, "os/loader", d->capsinfo->loader);
  if (!vmi_node_has(d->root, "devices/emulator") && !vmi_d_is_xenpv(d) &&
      d->capsinfo->emulator)
    vmi_node_set(d->root, "devices/emulator", d->capsinfo->emulator);
  return TRUE;
}
