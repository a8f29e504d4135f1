/*
 * The post-install boot of an installed Solaris ZFS root (--boot
 * zfs_bootfs=, vminstall's): what the PV guest boots directly, as a
 * Solaris dom0 boots it after an install (the plan makes the final phase
 * boot it).
 */
#include "solaris.h"
#include "error-util.h"
#include "xmlnode.h"

/* The target of the guest's first hard disk (not a cdrom or floppy). */
static char *
first_disk_target(const VmiGuest *guest)
{
  xmlNodePtr disk = vmi_guest_first_hard_disk(guest);

  return disk ? vmi_node_get(disk, "target/@dev") : NULL;
}

void
vmi_solaris_direct_boot_clear(VmiSolarisDirectBoot *boot)
{
  g_clear_pointer(&boot->kernel, g_free);
  g_clear_pointer(&boot->initrd, g_free);
  g_clear_pointer(&boot->cmdline, g_free);
}

gboolean
vmi_solaris_zfs_boot(const VmiGuest *guest, const char *zfs_bootfs, gboolean use_64bit,
                     VmiSolarisDirectBoot *out, GError **error)
{
  xmlNodePtr root = vmi_guest_root(guest);
  g_autofree char *os_type = vmi_node_get(root, "os/type");
  g_autofree char *kernel = vmi_node_get(root, "os/kernel");
  g_autofree char *initrd = vmi_node_get(root, "os/initrd");
  g_autofree char *vdev = first_disk_target(guest);
  g_autofree char *cmdline = NULL;
  VmiSolarisBootFacts f = { 0 };

  if (!vmi_guest_is_xen_pv(guest))
    return vmi_fail_usage(error, "--boot zfs_bootfs: only a Xen PV guest boots its ZFS root this "
                          "way, not this %s guest (an HVM guest boots its disk through its own "
                          "GRUB)", os_type ? os_type : "hvm");
  if ((kernel == NULL) != (initrd == NULL))
    return vmi_fail_usage(error, "--boot zfs_bootfs: give kernel= and initrd= together, or neither "
                          "(then the installed system's /%s and /%s)",
                          vmi_solaris_installed_pair(use_64bit)->kernel,
                          vmi_solaris_installed_pair(use_64bit)->ramdisk);
  if (vmi_node_has(root, "bootloader"))
    return vmi_fail_usage(error, "--boot zfs_bootfs: the kernel is booted directly, without a "
                          "bootloader: leave out bootloader=");
  if (vmi_node_has(root, "os/cmdline"))
    return vmi_fail_usage(error, "--boot zfs_bootfs: the command line is made from zfs_bootfs and "
                          "the first disk: leave out cmdline=");
  if (!vdev)
    return vmi_fail_usage(error, "--boot zfs_bootfs: the guest has no disk to hold the ZFS root "
                          "pool");

  if (kernel) {
    use_64bit = vmi_solaris_kernel_is_64bit(kernel);
  } else {
    const VmiSolarisPair *pair = vmi_solaris_installed_pair(use_64bit);
    kernel = g_strconcat("/", pair->kernel, NULL);
    initrd = g_strconcat("/", pair->ramdisk, NULL);
  }
  f.use_64bit = use_64bit;
  f.zfs_bootfs = zfs_bootfs;
  f.root_vdev = vdev;
  cmdline = vmi_solaris_cmdline(&f, error);
  if (!cmdline) {
    g_prefix_error(error, "--boot zfs_bootfs: ");
    return FALSE;
  }
  out->kernel = g_steal_pointer(&kernel);
  out->initrd = g_steal_pointer(&initrd);
  out->cmdline = g_steal_pointer(&cmdline);
  return TRUE;
}
