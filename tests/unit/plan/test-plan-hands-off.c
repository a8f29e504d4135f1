/*
 * The plan's rules for --cloud-init and --unattended on hand-built
 * guests: a first boot always exists; the seed cdrom is in the first boot
 * only; the NoCloud SMBIOS serial; and the seed's (virt-install 5) rule
 * that takes the default TPM out of a UEFI guest's first boot, which
 * virt-install 4.1.0 lacks, so no CLI oracle case can show it.
 */
#include <string.h>
#include "plan.h"
#include "xmlnode.h"

#define SEED "/var/lib/libvirt/boot/vminstall-abcdef-cloudinit.iso"

static VmiGuest *
guest(const char *type, const char *os_extra, const char *devices)
{
  g_autofree char *xml = g_strdup_printf(
      "<domain type='%s'><name>g</name><os%s><type arch='x86_64' machine='q35'>hvm</type></os>"
      "<on_reboot>restart</on_reboot><devices>"
      "<disk type='file' device='disk'><source file='/d.qcow2'/><target dev='vda' bus='virtio'/></disk>"
      "%s"
      "<disk type='file' device='cdrom'><driver name='qemu'/><source file='" SEED "'/>"
      "<target dev='sda' bus='sata'/><readonly/></disk>"
      "</devices></domain>", type, os_extra, devices);
  VmiGuest *g = vmi_guest_new_from_xml(xml, NULL);
  g_assert_nonnull(g);
  return g;
}

static VmiInstall
import_install(void)
{
  VmiInstall in = { .method = VMI_INSTALL_IMPORT, .no_install = TRUE, .cloud_init = (char *)"" };
  return in;
}

static void
test_first_boot_exists(void)
{
  VmiInstall in = { .method = VMI_INSTALL_IMPORT, .no_install = TRUE };

  g_assert_false(vmi_plan_has_install_phase(&in));
  in.cloud_init = (char *)"";
  g_assert_true(vmi_plan_has_install_phase(&in));
  in.cloud_init = NULL;
  in.unattended = (char *)"profile=jeos";
  g_assert_true(vmi_plan_has_install_phase(&in));
}

static void
test_seed_first_boot_only(void)
{
  g_autoptr(VmiGuest) g = guest("kvm", "", "");
  VmiInstall in = import_install();
  VmiPlanFacts media = { .seed_cdrom = SEED, .cloud_init = TRUE, .default_tpm = TRUE };
  g_auto(VmiPlan) plan = { 0 };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) final = NULL;

  vmi_plan_build(g, &in, &media, &plan);
  g_assert_nonnull(plan.install);
  first = vmi_guest_devices(plan.install, "disk");
  final = vmi_guest_devices(plan.final, "disk");
  g_assert_true(vmi_node_is(g_ptr_array_index(first, 1), "source/@file", SEED));
  /* later boots keep an empty drive, as virt-install leaves it */
  g_assert_cmpuint(final->len, ==, 2);
  g_assert_false(vmi_node_has(g_ptr_array_index(final, 1), "source"));
  g_assert_false(vmi_node_has(g_ptr_array_index(final, 1), "driver"));
  g_assert_true(vmi_node_is(g_ptr_array_index(final, 1), "target/@dev", "sda"));

  /* the NoCloud serial, first boot only */
  xmlNodePtr r = vmi_guest_root(plan.install);
  g_assert_true(vmi_node_is(r, "os/smbios/@mode", "sysinfo"));
  g_assert_true(vmi_node_is(r, "sysinfo/@type", "smbios"));
  g_assert_true(vmi_node_is(r, "sysinfo/system/entry", "ds=nocloud"));
  g_assert_true(vmi_node_is(r, "sysinfo/system/entry/@name", "serial"));
  g_assert_false(vmi_node_has(vmi_guest_root(plan.final), "sysinfo"));
  g_assert_false(vmi_node_has(vmi_guest_root(plan.final), "os/smbios"));
  g_assert_true(vmi_node_is(r, "on_reboot", "destroy"));
}

static void
test_unattended_no_serial(void)
{
  g_autoptr(VmiGuest) g = guest("kvm", "", "");
  VmiInstall in = { .method = VMI_INSTALL_CDROM, .unattended = (char *)"" };
  VmiPlanFacts media = { .seed_cdrom = SEED };
  g_auto(VmiPlan) plan = { 0 };

  vmi_plan_build(g, &in, &media, &plan);
  g_assert_false(vmi_node_has(vmi_guest_root(plan.install), "sysinfo"));
  g_autoptr(GPtrArray) final = vmi_guest_devices(plan.final, "disk");
  g_assert_false(vmi_node_has(g_ptr_array_index(final, 1), "source"));
}

static void
test_serial_kept(void)
{
  /* a serial the user set wins; a non-QEMU domain gets none */
  g_autoptr(VmiGuest) g = guest("kvm", "", "");
  g_autoptr(VmiGuest) xen = guest("xen", "", "");
  VmiInstall in = import_install();
  VmiPlanFacts media = { .seed_cdrom = SEED, .cloud_init = TRUE };
  g_auto(VmiPlan) plan = { 0 };
  g_auto(VmiPlan) xplan = { 0 };
  xmlNodePtr sys = vmi_node_child(vmi_node_child(vmi_guest_root(g), "sysinfo", TRUE), "system", TRUE);
  xmlNodePtr e = vmi_node_add(sys, "entry");

  vmi_node_set(vmi_guest_root(g), "sysinfo/@type", "smbios");
  vmi_node_set(e, "@name", "serial");
  xmlNodeAddContent(e, BAD_CAST "mine");
  vmi_plan_build(g, &in, &media, &plan);
  g_assert_true(vmi_node_is(vmi_guest_root(plan.install), "sysinfo/system/entry", "mine"));
  g_assert_false(vmi_node_has(vmi_guest_root(plan.install), "os/smbios"));

  vmi_plan_build(xen, &in, &media, &xplan);
  g_assert_false(vmi_node_has(vmi_guest_root(xplan.install), "sysinfo"));
}

static const char tpm[] = "<tpm model='tpm-crb'><backend type='emulator' version='2.0'/></tpm>";

static guint
tpms(const VmiGuest *g)
{
  return vmi_guest_count_devices(g, "tpm");
}

static void
test_uefi_default_tpm(void)
{
  g_autoptr(VmiGuest) uefi = guest("kvm", " firmware='efi'", tpm);
  g_autoptr(VmiGuest) bios = guest("kvm", "", tpm);
  VmiInstall in = import_install();
  VmiPlanFacts deflt = { .seed_cdrom = SEED, .cloud_init = TRUE, .default_tpm = TRUE };
  VmiPlanFacts user = { .seed_cdrom = SEED, .cloud_init = TRUE, .default_tpm = FALSE };
  VmiPlanFacts unattended = { .seed_cdrom = SEED, .default_tpm = TRUE };
  g_auto(VmiPlan) a = { 0 };
  g_auto(VmiPlan) b = { 0 };
  g_auto(VmiPlan) c = { 0 };
  g_auto(VmiPlan) d = { 0 };

  /* UEFI + default TPM + cloud-init: no TPM in the first boot only */
  vmi_plan_build(uefi, &in, &deflt, &a);
  g_assert_cmpuint(tpms(a.install), ==, 0);
  g_assert_cmpuint(tpms(a.final), ==, 1);
  /* a TPM the user asked for stays */
  vmi_plan_build(uefi, &in, &user, &b);
  g_assert_cmpuint(tpms(b.install), ==, 1);
  /* BIOS guests keep it */
  vmi_plan_build(bios, &in, &deflt, &c);
  g_assert_cmpuint(tpms(c.install), ==, 1);
  /* only cloud-init's first boot (a cloud image with shim) */
  in.cloud_init = NULL;
  in.unattended = (char *)"";
  vmi_plan_build(uefi, &in, &unattended, &d);
  g_assert_cmpuint(tpms(d.install), ==, 1);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/plan/hands-off/first-boot-exists", test_first_boot_exists);
  g_test_add_func("/plan/hands-off/seed-first-boot-only", test_seed_first_boot_only);
  g_test_add_func("/plan/hands-off/unattended-no-serial", test_unattended_no_serial);
  g_test_add_func("/plan/hands-off/serial-kept", test_serial_kept);
  g_test_add_func("/plan/hands-off/uefi-default-tpm", test_uefi_default_tpm);
  return g_test_run();
}
