/*
 * The install plan: the rules of virt-install's Installer as a pure
 * function of the guest and the install request.
 */
#include <string.h>
#include "vminstall/plan.h"
#include "vminstall/xmlnode.h"

void
vmi_plan_clear(VmiPlan *plan)
{
  g_clear_pointer(&plan->install, vmi_guest_free);
  g_clear_pointer(&plan->final, vmi_guest_free);
}

static const char *
install_bootdev(const VmiInstall *install)
{
  if (install->bootdev)
    return install->bootdev;
  if (install->method == VMI_INSTALL_CDROM)
    return "cdrom";
  if (install->method == VMI_INSTALL_PXE)
    return "network";
  return NULL;
}

static gboolean
has_tree_media(const VmiInstall *install)
{
  return install->location || install->location_kernel ||
         install->location_initrd || install->kernel || install->initrd;
}

gboolean
vmi_plan_has_install_phase(const VmiInstall *install)
{
  if (install->no_install)
    return FALSE;
  return install->cdrom || install_bootdev(install) || has_tree_media(install);
}

static gboolean
guest_has_disk_device(const VmiGuest *guest)
{
  g_autoptr(GPtrArray) disks = vmi_guest_devices(guest, "disk");

  for (guint i = 0; i < disks->len; i++) {
    xmlNodePtr d = g_ptr_array_index(disks, i);
    g_autofree char *device = vmi_node_get(d, "@device");
    if (!device || strcmp(device, "disk") == 0)
      return TRUE;
  }
  return FALSE;
}

/* Container guests, direct kernel boot and per-device boot order all
 * exclude <os><boot dev=.../>. */
static gboolean
can_set_boot_order(const VmiGuest *guest)
{
  g_autoptr(GPtrArray) devs = vmi_guest_devices(guest, NULL);

  if (vmi_node_is(vmi_guest_root(guest), "os/type", "exe"))
    return FALSE;
  if (vmi_node_has(vmi_guest_root(guest), "os/kernel"))
    return FALSE;
  for (guint i = 0; i < devs->len; i++)
    if (vmi_node_has(g_ptr_array_index(devs, i), "boot/@order"))
      return FALSE;
  return TRUE;
}

static void
set_boot_order(VmiGuest *guest, const char *const *devs)
{
  xmlNodePtr os = vmi_node_child(vmi_guest_root(guest), "os", TRUE);
  g_autoptr(GPtrArray) old = vmi_node_children(os, "boot");

  for (guint i = 0; i < old->len; i++)
    vmi_node_remove(g_ptr_array_index(old, i));
  for (guint i = 0; devs && devs[i]; i++)
    vmi_node_set(vmi_node_add(os, "boot"), "@dev", devs[i]);
}

/* [bootdev], then hd when the guest has a disk, so the disk is marked
 * bootable for the installer and for booting past PXE. */
static void
apply_boot_order(VmiGuest *guest, const char *bootdev)
{
  const char *order[3] = { bootdev, NULL, NULL };

  if (strcmp(bootdev, "hd") != 0 && guest_has_disk_device(guest))
    order[1] = "hd";
  set_boot_order(guest, order);
}

static const char *
postinstall_bootdev(const VmiGuest *guest, const VmiInstall *install)
{
  g_autoptr(GPtrArray) disks = vmi_guest_devices(guest, "disk");
  const char *bootdev = install_bootdev(install);

  if (install->cdrom && install->no_install)
    return "cdrom";
  if (bootdev)
    return guest_has_disk_device(guest) ? "hd" : bootdev;
  if (disks->len) {
    g_autofree char *device = vmi_node_get(g_ptr_array_index(disks, 0), "@device");
    if (g_strcmp0(device, "cdrom") == 0)
      return "cdrom";
    if (g_strcmp0(device, "floppy") == 0)
      return "fd";
  }
  return "hd";
}

static const char *
install_cdrom_path(const VmiInstall *install, const VmiPlanMedia *media)
{
  if (media && media->cdrom)
    return media->cdrom;
  return install->cdrom ? install->cdrom : install->location_iso;
}

void
vmi_plan_prepare(VmiGuest *guest, const VmiInstall *install,
                 const VmiPlanMedia *media)
{
  const char *cdrom = install_cdrom_path(install, media);

  if (cdrom) {
    g_autoptr(GPtrArray) disks = vmi_guest_devices(guest, "disk");
    xmlNodePtr dev = NULL;

    /* Ahead of any other cdrom, so that boot=cdrom picks the install media. */
    for (guint i = 0; i < disks->len && !dev; i++) {
      xmlNodePtr d = g_ptr_array_index(disks, i);
      if (vmi_node_is(d, "@device", "cdrom"))
        dev = vmi_guest_insert_device_before(guest, d, "disk");
    }
    if (!dev)
      dev = vmi_guest_add_device(guest, "disk");
    vmi_node_set(dev, "@device", "cdrom");
    vmi_node_set(dev, "source/@file", cdrom);
  }

  if (!vmi_node_has(vmi_guest_root(guest), "os/boot") &&
      can_set_boot_order(guest))
    apply_boot_order(guest, postinstall_bootdev(guest, install));
}

static void
eject_install_cdrom(VmiGuest *guest, const char *cdrom)
{
  g_autoptr(GPtrArray) disks = vmi_guest_devices(guest, "disk");

  for (guint i = 0; i < disks->len; i++) {
    xmlNodePtr d = g_ptr_array_index(disks, i);
    g_autofree char *src = vmi_node_get(d, "source/@file");
    if (!src)
      src = vmi_node_get(d, "source/@dev");
    if (vmi_node_is(d, "@device", "cdrom") && g_strcmp0(src, cdrom) == 0) {
      /* As virt-install's sync_path_props: an empty cdrom has no driver
       * name or format, and is a file disk. */
      vmi_node_remove(vmi_node_child(d, "source", FALSE));
      vmi_node_set(d, "driver/@name", NULL);
      vmi_node_set(d, "driver/@type", NULL);
      vmi_node_set(d, "@type", "file");
      return;
    }
  }
}

void
vmi_plan_build(const VmiGuest *guest, const VmiInstall *install,
               const VmiPlanMedia *media, const VmiOs *os, VmiPlan *plan)
{
  const char *cdrom = install_cdrom_path(install, media);

  plan->install = NULL;
  plan->final = vmi_guest_copy(guest);
  if (!vmi_plan_has_install_phase(install))
    return;

  /* The install phase is an edit of the final XML, so new elements land
   * last in their parent as virt-install's parsed-document edits do. */
  VmiGuest *first = vmi_guest_copy(guest);
  xmlNodePtr root = vmi_guest_root(first);
  vmi_guest_set_append_mode(first, TRUE);

  /* The installer's reboot must stop the guest so that the persistent
   * configuration is what boots next. */
  vmi_node_set(root, "on_reboot", "destroy");
  if (media && media->kernel)
    vmi_node_set(root, "os/kernel", media->kernel);
  if (media && media->initrd)
    vmi_node_set(root, "os/initrd", media->initrd);
  if (media && media->kernel_args)
    vmi_node_set(root, "os/cmdline", media->kernel_args);

  const char *bootdev = install_bootdev(install);
  if (bootdev && can_set_boot_order(first))
    apply_boot_order(first, bootdev);
  else
    set_boot_order(first, NULL);
  plan->install = first;

  /* Windows installs reboot through several stages from the same media. */
  if (cdrom && !(os && vmi_os_is_windows(os)))
    eject_install_cdrom(plan->final, cdrom);
}
