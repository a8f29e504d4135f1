#include <string.h>
#include "defaults-private.h"

/* Which drivers pass each of virt-install's support checks.  Version
 * floors are all far below Debian 12's libvirt 9.0 / QEMU 7.2, so only
 * the driver matters. */
#define DRV(x) (1u << VMI_DRIVER_##x)
#define ALL_DRIVERS (~0u)
static const guint support_drivers[] = {
  [VMI_SUPPORT_DEFAULT_QCOW2] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_AUTOSOCKET] = DRV(QEMU),
  [VMI_SUPPORT_PM_DISABLE] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_HYPERV_VAPIC] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_HYPERV_CLOCK] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_VMPORT] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_RNG_URANDOM] = ALL_DRIVERS,
  [VMI_SUPPORT_USB3_PORTS] = ALL_DRIVERS,
  [VMI_SUPPORT_QEMU_XHCI] = DRV(QEMU),
  [VMI_SUPPORT_Q35_DEFAULT] = DRV(QEMU) | DRV(TEST),
  [VMI_SUPPORT_DISK_DRIVER_NAME_QEMU] = DRV(QEMU) | DRV(XEN),
  [VMI_SUPPORT_DEVICE_BOOT_ORDER] = DRV(QEMU) | DRV(TEST),
};

gboolean
vmi_defaults_support(VmiDefaults *d, VmiSupport what)
{
  return (support_drivers[what] & (1u << d->driver)) != 0;
}

/* virt-install offers virtio only on QEMU, and only when the OS knows it. */
gboolean
vmi_d_supports_virtio(VmiDefaults *d, VmiOsFeature feature)
{
  if (d->driver != VMI_DRIVER_QEMU)
    return FALSE;
  return vmi_os_supports(d->os, feature);
}

const VmiDomcaps *
vmi_d_domcaps(VmiDefaults *d)
{
  if (!d->domcaps) {
    g_autofree char *emulator = vmi_node_get(d->root, "devices/emulator");
    g_autofree char *arch = vmi_node_get(d->root, "os/type/@arch");
    g_autofree char *machine = vmi_node_get(d->root, "os/type/@machine");
    g_autofree char *type = vmi_node_get(d->root, "@type");
    g_autoptr(GError) error = NULL;

    d->domcaps = vmi_conn_domcaps(d->conn, emulator, arch, machine, type, &error);
    if (!d->domcaps) {
      /* Like virt-install, a driver without domcaps just has none. */
      if (!d->empty_domcaps)
        d->empty_domcaps = vmi_domcaps_new_empty();
      d->domcaps = d->empty_domcaps;
    }
  }
  return d->domcaps;
}

void
vmi_d_notice(VmiDefaults *d, const char *fmt, ...)
{
  va_list ap;

  if (!d->notices)
    return;
  va_start(ap, fmt);
  g_ptr_array_add(d->notices, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}
