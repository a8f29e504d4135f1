/*
 * The checks a Xen toolstack makes before it writes a domain's config
 * (the Ganeti Xen hypervisor's CheckParameterSyntax/ValidateParameters are
 * the checklist), each failing with one line that names the value.
 */
#include <string.h>
#include "xl-private.h"
#include "vminstall/error.h"

/* A regular file, or a symlink to one. */
static gboolean
is_file(const char *path)
{
  return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

/* root=DEV for Linux; zfs-bootfs= or bootpath= in a Solaris -B list. */
static gboolean
cmdline_names_root(const char *cmdline)
{
  g_auto(GStrv) words = g_strsplit_set(cmdline ? cmdline : "", " \t", -1);

  for (guint i = 0; words[i]; i++) {
    if (g_str_has_prefix(words[i], "root=") && words[i][5])
      return TRUE;
    if (strstr(words[i], "zfs-bootfs=") || strstr(words[i], "bootpath="))
      return TRUE;
  }
  return FALSE;
}

static gboolean
check_pv_boot(const XlDomain *d, const VmiXlOptions *opts, GError **error)
{
  for (guint i = 0; i < d->boot_devs->len && !d->kernel; i++) {
    const char *dev = g_ptr_array_index(d->boot_devs, i);
    if (!g_strcmp0(dev, "network"))
      return vmi_xl_invalid(error, "a Xen PV guest cannot boot from the network (boot device "
                            "'%s'): PV has no PXE; use --location for a PV network install, or "
                            "--hvm", dev);
    if (!g_strcmp0(dev, "cdrom") || !g_strcmp0(dev, "fd"))
      return vmi_xl_invalid(error, "a Xen PV guest cannot boot from a %s (boot device '%s'): use "
                            "--location with the install media for a PV install", dev, dev);
  }
  if (!d->kernel && !d->bootloader)
    return vmi_xl_invalid(error, "need a kernel for the PV guest '%s': give --boot kernel=PATH, or "
                          "--boot bootloader=pygrub with a disk to boot", d->name);
  if (d->kernel && !d->bootloader && !(opts && opts->installer) &&
      !cmdline_names_root(d->cmdline))
    return vmi_xl_invalid(error, "need a root device for the PV guest '%s': the kernel command "
                          "line '%s' has no root= (add root=DEVICE to --boot cmdline=)", d->name,
                          d->cmdline ? d->cmdline : "");
  return TRUE;
}

static gboolean
check_kernel_files(const XlDomain *d, const VmiXlOptions *opts, GError **error)
{
  gboolean check = opts && opts->check_files && !opts->boot_files_staged;

  if (d->kernel && !g_path_is_absolute(d->kernel))
    return vmi_xl_invalid(error, "the kernel path must be an absolute path, not '%s'", d->kernel);
  if (d->kernel && check && !is_file(d->kernel))
    return vmi_xl_invalid(error, "instance kernel '%s' not found or not a file", d->kernel);
  if (d->ramdisk && !g_path_is_absolute(d->ramdisk))
    return vmi_xl_invalid(error, "the initrd path must be an absolute path, if defined, not '%s'",
                          d->ramdisk);
  if (d->ramdisk && check && !is_file(d->ramdisk))
    return vmi_xl_invalid(error, "instance initrd '%s' not found or not a file", d->ramdisk);
  return TRUE;
}

static char
boot_letter(const char *dev)
{
  if (!g_strcmp0(dev, "fd"))
    return 'a';
  if (!g_strcmp0(dev, "hd"))
    return 'c';
  if (!g_strcmp0(dev, "cdrom"))
    return 'd';
  if (!g_strcmp0(dev, "network"))
    return 'n';
  return 0;
}

typedef struct {
  int order;
  const char *dev;
} BootEntry;

static gint
boot_entry_cmp(gconstpointer a, gconstpointer b)
{
  return ((const BootEntry *)a)->order - ((const BootEntry *)b)->order;
}

char *
xl_boot_letters(const XlDomain *d, const char **bad_dev)
{
  g_autoptr(GArray) entries = g_array_new(FALSE, FALSE, sizeof(BootEntry));
  GString *out = g_string_new(NULL);

  *bad_dev = NULL;
  for (guint i = 0; i < d->boot_devs->len; i++) {
    BootEntry e = { (int)i, g_ptr_array_index(d->boot_devs, i) };
    g_array_append_val(entries, e);
  }
  if (entries->len == 0) {
    /* per-device <boot order=N/> */
    for (guint i = 0; i < d->disks->len; i++) {
      XlDisk *disk = g_ptr_array_index(d->disks, i);
      BootEntry e = { disk->boot_order, disk->cdrom ? "cdrom" : "hd" };
      if (disk->boot_order > 0)
        g_array_append_val(entries, e);
    }
    for (guint i = 0; i < d->nics->len; i++) {
      XlNic *nic = g_ptr_array_index(d->nics, i);
      BootEntry e = { nic->boot_order, "network" };
      if (nic->boot_order > 0)
        g_array_append_val(entries, e);
    }
    g_array_sort(entries, boot_entry_cmp);
  }
  for (guint i = 0; i < entries->len; i++) {
    const char *dev = g_array_index(entries, BootEntry, i).dev;
    char c = boot_letter(dev);
    if (!c) {
      *bad_dev = dev ? dev : "";
      g_string_free(out, TRUE);
      return NULL;
    }
    if (!strchr(out->str, c))
      g_string_append_c(out, c);
  }
  return g_string_free(out, FALSE);
}

static gboolean
check_boot_order(const XlDomain *d, GError **error)
{
  const char *bad = NULL;
  g_autofree char *letters = xl_boot_letters(d, &bad);

  if (!letters)
    return vmi_xl_invalid(error, "invalid boot order '%s' specified, must be one or more of [acdn] "
                          "(fd, hd, cdrom, network)", bad);
  return TRUE;
}

static const char *const hvm_nic_models[] = {
  "e1000", "rtl8139", "ne2k_pci", "ne2k_isa", "i82551", "i82557b", "i82559er",
  "pcnet", "netfront", NULL
};

static gboolean
check_nics(const XlDomain *d, GError **error)
{
  for (guint i = 0; i < d->nics->len; i++) {
    XlNic *nic = g_ptr_array_index(d->nics, i);
    if (!nic->model)
      continue;
    if (d->kind == XL_HVM && !g_strv_contains(hvm_nic_models, nic->model))
      return vmi_xl_invalid(error, "invalid NIC type '%s' specified for the Xen HVM hypervisor. "
                            "Please choose one of: e1000, rtl8139, ne2k_pci, ne2k_isa, i82551, "
                            "i82557b, i82559er, pcnet, netfront (paravirtual)", nic->model);
    if (d->kind == XL_PV && strcmp(nic->model, "netfront") != 0)
      return vmi_xl_invalid(error, "invalid NIC type '%s' specified for the Xen PV hypervisor: PV "
                            "NICs are paravirtual (netfront); drop model=", nic->model);
  }
  return TRUE;
}

static gboolean
check_disks(const XlDomain *d, const VmiXlOptions *opts, GError **error)
{
  static const char *const hvm_buses[] = { "ide", "xen", NULL };
  static const char *const pv_buses[] = { "xen", "ide", "scsi", NULL };

  for (guint i = 0; i < d->disks->len; i++) {
    XlDisk *disk = g_ptr_array_index(d->disks, i);
    const char *scheme;
    guint index, limit;

    if (d->kind == XL_HVM && disk->bus && !g_strv_contains(hvm_buses, disk->bus))
      return vmi_xl_invalid(error, "invalid disk type '%s' specified for the Xen HVM hypervisor. "
                            "Please choose one of: ide (ioemu), xen (paravirtual)", disk->bus);
    if (d->kind == XL_PV && disk->bus && !g_strv_contains(pv_buses, disk->bus))
      return vmi_xl_invalid(error, "invalid disk type '%s' specified for the Xen PV hypervisor. "
                            "Please choose one of: xen, ide, scsi", disk->bus);
    if (!xl_vdev_parse(disk->vdev, &scheme, &index))
      return vmi_xl_invalid(error, "disk target '%s' is not a Xen virtual device name (hdX, sdX, "
                            "xvdX)", disk->vdev);
    limit = xl_vdev_scheme_limit(scheme);
    if (index >= limit)
      return vmi_xl_invalid(error, "too many disks: '%s' is beyond the %u disks the %s naming "
                            "scheme allows", disk->vdev, limit, scheme);
    if (disk->cdrom && disk->target) {
      if (!g_path_is_absolute(disk->target))
        return vmi_xl_invalid(error, "the path to the CDROM image must be an absolute path, not "
                              "'%s'", disk->target);
      if (opts && opts->check_files && !is_file(disk->target))
        return vmi_xl_invalid(error, "the CDROM image must either be a regular file or a symlink "
                              "pointing to an existing regular file, not '%s'", disk->target);
    }
  }
  return TRUE;
}

gboolean
xl_domain_validate(const XlDomain *d, const VmiXlOptions *opts, GError **error)
{
  if (d->kind == XL_PV && !check_pv_boot(d, opts, error))
    return FALSE;
  if (!check_kernel_files(d, opts, error))
    return FALSE;
  if (d->kind == XL_HVM && !check_boot_order(d, error))
    return FALSE;
  if (!check_nics(d, error) || !check_disks(d, opts, error))
    return FALSE;
  if (d->graphics == XL_GFX_VNC && d->vnc_listen && !g_hostname_is_ip_address(d->vnc_listen))
    return vmi_xl_invalid(error, "given VNC bind address '%s' doesn't look like a valid IP address",
                          d->vnc_listen);
  return TRUE;
}
