/*
 * The guest predicates (guest.h): what kind of guest a domain document
 * describes, from its os type, architecture, machine and firmware.
 */
#include <string.h>
#include "guest.h"
#include "xmlnode.h"

gboolean
vmi_os_type_is_xen_pv(const char *os_type)
{
  return g_strcmp0(os_type, "xen") == 0 || g_strcmp0(os_type, "linux") == 0;
}

gboolean
vmi_arch_is_x86(const char *arch)
{
  return g_strcmp0(arch, "x86_64") == 0 || g_strcmp0(arch, "i686") == 0 ||
         g_strcmp0(arch, "i386") == 0;
}

gboolean
vmi_arch_is_64bit(const char *arch)
{
  static const char *const archs[] = { "x86_64", "aarch64", "ppc64", "ppc64le", "s390x",
                                       "riscv64", "mips64", "mips64el", "sparc64", NULL };

  return arch && g_strv_contains(archs, arch);
}

static gboolean
root_is(const VmiGuest *guest, const char *path, const char *value)
{
  return vmi_node_is(vmi_guest_root(guest), path, value);
}

gboolean
vmi_guest_is_hvm(const VmiGuest *guest)
{
  return root_is(guest, "os/type", "hvm");
}

gboolean
vmi_guest_is_xen_pv(const VmiGuest *guest)
{
  g_autofree char *os_type = vmi_guest_get(guest, "os/type");

  return vmi_os_type_is_xen_pv(os_type);
}

gboolean
vmi_guest_is_container(const VmiGuest *guest)
{
  return root_is(guest, "os/type", "exe");
}

gboolean
vmi_guest_is_x86(const VmiGuest *guest)
{
  g_autofree char *arch = vmi_guest_get(guest, "os/type/@arch");

  return vmi_arch_is_x86(arch);
}

gboolean
vmi_guest_is_q35(const VmiGuest *guest)
{
  g_autofree char *machine = vmi_guest_get(guest, "os/type/@machine");

  return machine && (strcmp(machine, "q35") == 0 || g_str_has_prefix(machine, "pc-q35"));
}

gboolean
vmi_guest_is_uefi(const VmiGuest *guest)
{
  if (vmi_node_has(vmi_guest_root(guest), "os/loader") &&
      root_is(guest, "os/loader/@type", "pflash"))
    return TRUE;
  return root_is(guest, "os/@firmware", "efi");
}

gboolean
vmi_guest_has_spice(const VmiGuest *guest)
{
  g_autoptr(GPtrArray) gfx = vmi_guest_devices(guest, "graphics");

  for (guint i = 0; i < gfx->len; i++)
    if (vmi_node_is(g_ptr_array_index(gfx, i), "@type", "spice"))
      return TRUE;
  return FALSE;
}
