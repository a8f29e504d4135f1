#include <string.h>
#include "defaults-private.h"

/* Which drivers pass each of virt-install's support checks.  Version
 * floors are all far below Debian 12's libvirt 9.0 / QEMU 7.2, so only
 * the driver matters; NULL-terminated, "all" matches any driver. */
static const char *const *const support_drivers[] = {
  [VMI_SUPPORT_DEFAULT_QCOW2] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_AUTOSOCKET] = (const char *const[]){ "qemu", NULL },
  [VMI_SUPPORT_PM_DISABLE] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_HYPERV_VAPIC] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_HYPERV_CLOCK] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_VMPORT] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_RNG_URANDOM] = (const char *const[]){ "all", NULL },
  [VMI_SUPPORT_USB3_PORTS] = (const char *const[]){ "all", NULL },
  [VMI_SUPPORT_QEMU_XHCI] = (const char *const[]){ "qemu", NULL },
  [VMI_SUPPORT_Q35_DEFAULT] = (const char *const[]){ "qemu", "test", NULL },
  [VMI_SUPPORT_DISK_DRIVER_NAME_QEMU] = (const char *const[]){ "qemu", "xen", NULL },
  [VMI_SUPPORT_DEVICE_BOOT_ORDER] = (const char *const[]){ "qemu", "test", NULL },
};

gboolean
vmi_defaults_support(VmiDefaults *d, VmiSupport what)
{
  const char *driver = vmi_conn_driver(d->conn);

  for (const char *const *p = support_drivers[what]; *p; p++)
    if (strcmp(*p, "all") == 0 || g_strcmp0(*p, driver) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
root_is(VmiDefaults *d, const char *path, const char *value)
{
  return vmi_node_is(d->root, path, value);
}

gboolean
vmi_d_is_x86(VmiDefaults *d)
{
  g_autofree char *arch = vmi_node_get(d->root, "os/type/@arch");
  return arch && (strcmp(arch, "x86_64") == 0 || strcmp(arch, "i686") == 0 ||
                  strcmp(arch, "i386") == 0);
}

gboolean
vmi_d_is_hvm(VmiDefaults *d)
{
  return root_is(d, "os/type", "hvm");
}

gboolean
vmi_d_is_xenpv(VmiDefaults *d)
{
  return root_is(d, "os/type", "xen") || root_is(d, "os/type", "linux");
}

gboolean
vmi_d_is_container(VmiDefaults *d)
{
  return root_is(d, "os/type", "exe");
}

gboolean
vmi_d_is_q35(VmiDefaults *d)
{
  g_autofree char *machine = vmi_node_get(d->root, "os/type/@machine");
  return machine && (strcmp(machine, "q35") == 0 ||
                     g_str_has_prefix(machine, "pc-q35"));
}

gboolean
vmi_d_is_uefi(VmiDefaults *d)
{
  if (vmi_node_has(d->root, "os/loader") && root_is(d, "os/loader/@type", "pflash"))
    return TRUE;
  return root_is(d, "os/@firmware", "efi");
}

gboolean
vmi_d_has_spice(VmiDefaults *d)
{
  g_autoptr(GPtrArray) gfx = vmi_guest_devices(d->guest, "graphics");

  for (guint i = 0; i < gfx->len; i++)
    if (vmi_node_is(g_ptr_array_index(gfx, i), "@type", "spice"))
      return TRUE;
  return FALSE;
}

/* virt-install offers virtio only on QEMU, and only when the OS knows it. */
gboolean
vmi_d_supports_virtio(VmiDefaults *d, VmiOsFeature feature)
{
  if (!vmi_conn_is_qemu(d->conn))
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
