/*
 * The install plan: the rules of virt-install's Installer as a pure
 * function of the guest, the install request and the facts the other
 * steps found (plan.h).
 */
#include <string.h>
#include "plan.h"
#include "xmlnode.h"

void
vmi_plan_clear(VmiPlan *plan)
{
  g_clear_pointer(&plan->install, vmi_guest_free);
  g_clear_pointer(&plan->final, vmi_guest_free);
}

gboolean
vmi_plan_has_install_phase(const VmiInstall *install)
{
  if (install->cloud_init || install->unattended)
    return TRUE;
  if (install->no_install)
    return FALSE;
  return install->cdrom || vmi_install_bootdev(install) || vmi_install_has_tree(install);
}

static gboolean
guest_has_disk_device(const VmiGuest *guest)
{
  return vmi_guest_first_hard_disk(guest) != NULL;
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
  const char *bootdev = vmi_install_bootdev(install);

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
install_cdrom_path(const VmiInstall *install, const VmiPlanFacts *facts)
{
  if (facts && facts->cdrom)
    return facts->cdrom;
  return install->cdrom;
}

void
vmi_plan_prepare(VmiGuest *guest, const VmiInstall *install, const VmiPlanFacts *facts)
{
  const char *cdrom = install_cdrom_path(install, facts);

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

/* virt-install's set_smbios_serial_cloudinit: cloud-init's NoCloud
 * datasource is named in the SMBIOS system serial of QEMU (and test)
 * guests on x86 and ARM virt machines, unless the guest says otherwise. */
static void
set_smbios_serial_cloudinit(VmiGuest *guest)
{
  xmlNodePtr root = vmi_guest_root(guest);
  g_autofree char *type = vmi_node_get(root, "@type");
  g_autofree char *arch = vmi_node_get(root, "os/type/@arch");
  g_autofree char *machine = vmi_node_get(root, "os/type/@machine");
  g_autofree char *mode = vmi_node_get(root, "os/smbios/@mode");
  g_autoptr(GPtrArray) sysinfos = vmi_node_children(root, "sysinfo");
  xmlNodePtr sysinfo = NULL;
  xmlNodePtr system;
  xmlNodePtr entry;
  g_autoptr(GPtrArray) entries = NULL;
  gboolean x86 = vmi_arch_is_x86(arch);
  gboolean arm_virt = (g_strcmp0(arch, "aarch64") == 0 || g_strcmp0(arch, "armv7l") == 0) &&
                      machine && (strcmp(machine, "virt") == 0 ||
                                  g_str_has_prefix(machine, "virt-"));

  if (!(g_strcmp0(type, "kvm") == 0 || g_strcmp0(type, "qemu") == 0 ||
        g_strcmp0(type, "test") == 0))
    return;
  if (!x86 && !arm_virt)
    return;
  if (mode && strcmp(mode, "sysinfo") != 0)
    return;
  for (guint i = 0; i < sysinfos->len && !sysinfo; i++)
    if (vmi_node_is(g_ptr_array_index(sysinfos, i), "@type", "smbios"))
      sysinfo = g_ptr_array_index(sysinfos, i);
  if (!sysinfo) {
    /* where virt-install's Guest puts it: ahead of the lifecycle actions
     * the install phase has just set */
    xmlNodePtr before = NULL;
    sysinfo = vmi_node_add(root, "sysinfo");
    for (xmlNodePtr c = root->children; c && !before; c = c->next)
      if (c->type == XML_ELEMENT_NODE && g_str_has_prefix((const char *)c->name, "on_"))
        before = c;
    if (before) {
      xmlUnlinkNode(sysinfo);
      xmlAddPrevSibling(before, sysinfo);
    }
  }
  system = vmi_node_child(sysinfo, "system", TRUE);
  entries = vmi_node_children(system, "entry");
  for (guint i = 0; i < entries->len; i++)
    if (vmi_node_is(g_ptr_array_index(entries, i), "@name", "serial"))
      return;
  vmi_node_set(root, "os/smbios/@mode", "sysinfo");
  vmi_node_set(sysinfo, "@type", "smbios");
  entry = vmi_node_add(system, "entry");
  vmi_node_set(entry, "@name", "serial");
  xmlNodeAddContent(entry, BAD_CAST "ds=nocloud");
}

/* The seed's first-boot rules for --cloud-init (virt-install 5's
 * _build_postboot_xml): the NoCloud serial and, on UEFI, no default TPM:
 * shim in a cloud image resets the guest once when it fills an empty
 * NVRAM with a TPM present, and that reset would end the first boot. */
static void
apply_cloudinit_first_boot(VmiGuest *first, const VmiPlanFacts *facts)
{
  set_smbios_serial_cloudinit(first);
  if (facts->default_tpm && vmi_guest_is_uefi(first)) {
    g_autoptr(GPtrArray) tpms = vmi_guest_devices(first, "tpm");
    if (tpms->len)
      vmi_node_remove(g_ptr_array_index(tpms, 0));
  }
}

/* A network install fetches the OS into memory: the install phase gets
 * what the OS needs for it (virt-install's _alter_install_resources). */
static void
apply_install_memory(VmiGuest *first, gint64 kib)
{
  xmlNodePtr root = vmi_guest_root(first);

  vmi_node_set_int(root, "currentMemory", kib);
  if (vmi_node_get_int(root, "memory", 0) < kib)
    vmi_node_set_int(root, "memory", kib);
}

/* Every later boot starts the installed kernel directly (a Solaris ZFS
 * root): a direct kernel boot has no boot devices. */
static void
apply_final_direct_boot(VmiGuest *final, const VmiPlanFacts *facts)
{
  xmlNodePtr root = vmi_guest_root(final);

  set_boot_order(final, NULL);
  vmi_node_set(root, "os/kernel", facts->final_kernel);
  vmi_node_set(root, "os/initrd", facts->final_initrd);
  vmi_node_set(root, "os/cmdline", facts->final_cmdline);
}

/* The first boot: an edit of the final XML, so new elements land last in
 * their parent as virt-install's parsed-document edits do. */
static VmiGuest *
install_phase(const VmiGuest *guest, const VmiInstall *install, const VmiPlanFacts *facts)
{
  VmiGuest *first = vmi_guest_copy(guest);
  xmlNodePtr root = vmi_guest_root(first);
  const char *bootdev = vmi_install_bootdev(install);

  vmi_guest_set_append_mode(first, TRUE);
  /* The installer's reboot must stop the guest so that the persistent
   * configuration is what boots next. */
  vmi_node_set(root, "on_reboot", "destroy");
  if (facts->kernel)
    vmi_node_set(root, "os/kernel", facts->kernel);
  if (facts->initrd)
    vmi_node_set(root, "os/initrd", facts->initrd);
  if (facts->kernel_args)
    vmi_node_set(root, "os/cmdline", facts->kernel_args);
  if (bootdev && can_set_boot_order(first))
    apply_boot_order(first, bootdev);
  else
    set_boot_order(first, NULL);
  if (facts->cloud_init)
    apply_cloudinit_first_boot(first, facts);
  if (facts->install_memory_kib > 0)
    apply_install_memory(first, facts->install_memory_kib);
  return first;
}

void
vmi_plan_build(const VmiGuest *guest, const VmiInstall *install, const VmiPlanFacts *facts,
               VmiPlan *plan)
{
  static const VmiPlanFacts none = { 0 };
  const char *cdrom;

  if (!facts)
    facts = &none;
  cdrom = install_cdrom_path(install, facts);
  plan->install = NULL;
  plan->final = vmi_guest_copy(guest);
  if (facts->final_kernel)
    apply_final_direct_boot(plan->final, facts);
  if (!vmi_plan_has_install_phase(install))
    return;

  plan->install = install_phase(guest, install, facts);
  /* Windows installs reboot through several stages from the same media. */
  if (cdrom && !facts->windows)
    eject_install_cdrom(plan->final, cdrom);
  /* The seed ISO is for the first boot only; its drive stays, empty. */
  if (facts->seed_cdrom)
    eject_install_cdrom(plan->final, facts->seed_cdrom);
}
