/*
 * The install plan's rules, one test each, on hand-built guests: no
 * hypervisor and no defaults are involved.
 */
#include <string.h>
#include "plan.h"
#include "xmlnode.h"

static VmiGuest *
guest_with(const char *devices_xml)
{
  g_autofree char *xml = g_strdup_printf(
      "<domain type='kvm'><name>g</name><os><type arch='x86_64'>hvm</type></os>"
      "<on_reboot>restart</on_reboot><devices>%s</devices></domain>", devices_xml);
  VmiGuest *g = vmi_guest_new_from_xml(xml, NULL);
  g_assert_nonnull(g);
  return g;
}

static VmiInstall *
install_new(VmiInstallMethod method)
{
  VmiInstall *inst = g_new0(VmiInstall, 1);
  inst->method = method;
  inst->extra_args = g_ptr_array_new_with_free_func(g_free);
  inst->initrd_inject = g_ptr_array_new_with_free_func(g_free);
  return inst;
}

static void
install_free(VmiInstall *inst)
{
  g_free(inst->cdrom);
  g_free(inst->bootdev);
  g_ptr_array_free(inst->extra_args, TRUE);
  g_ptr_array_free(inst->initrd_inject, TRUE);
  g_free(inst);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiInstall, install_free)

/* "cdrom,hd" for the <os><boot dev> list of @g. */
static char *
boot_order(const VmiGuest *g)
{
  xmlNodePtr os = vmi_node_child(vmi_guest_root(g), "os", FALSE);
  g_autoptr(GPtrArray) boots = vmi_node_children(os, "boot");
  GString *s = g_string_new(NULL);

  for (guint i = 0; i < boots->len; i++) {
    g_autofree char *dev = vmi_node_get(g_ptr_array_index(boots, i), "@dev");
    g_string_append_printf(s, "%s%s", i ? "," : "", dev);
  }
  return g_string_free(s, FALSE);
}

static void
test_cdrom_install(void)
{
  g_autoptr(VmiGuest) g = guest_with("<disk type='file' device='disk'><source file='/d.qcow2'/></disk>"
                                     "<disk type='file' device='cdrom'><source file='/other.iso'/></disk>");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_CDROM);
  g_auto(VmiPlan) plan = { 0 };
  inst->cdrom = g_strdup("/media/install.iso");

  vmi_plan_prepare(g, inst, NULL);
  g_autofree char *post = boot_order(g);
  g_assert_cmpstr(post, ==, "hd");

  /* install cdrom goes before the other cdrom */
  g_autoptr(GPtrArray) disks = vmi_guest_devices(g, "disk");
  g_assert_cmpuint(disks->len, ==, 3);
  g_assert_true(vmi_node_is(g_ptr_array_index(disks, 1), "source/@file", "/media/install.iso"));

  vmi_plan_build(g, inst, NULL, &plan);
  g_assert_nonnull(plan.install);
  g_autofree char *first = boot_order(plan.install);
  g_assert_cmpstr(first, ==, "cdrom,hd");
  g_assert_true(vmi_node_is(vmi_guest_root(plan.install), "on_reboot", "destroy"));
  g_assert_true(vmi_node_is(vmi_guest_root(plan.final), "on_reboot", "restart"));

  /* media ejected after install, the other cdrom untouched */
  g_autoptr(GPtrArray) fdisks = vmi_guest_devices(plan.final, "disk");
  g_assert_false(vmi_node_has(g_ptr_array_index(fdisks, 1), "source"));
  g_assert_true(vmi_node_is(g_ptr_array_index(fdisks, 2), "source/@file", "/other.iso"));
  g_autoptr(GPtrArray) idisks = vmi_guest_devices(plan.install, "disk");
  g_assert_true(vmi_node_is(g_ptr_array_index(idisks, 1), "source/@file", "/media/install.iso"));
}

static void
test_pxe_without_disk(void)
{
  g_autoptr(VmiGuest) g = guest_with("");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_PXE);
  g_auto(VmiPlan) plan = { 0 };

  vmi_plan_prepare(g, inst, NULL);
  g_autofree char *post = boot_order(g);
  g_assert_cmpstr(post, ==, "network");
  vmi_plan_build(g, inst, NULL, &plan);
  g_autofree char *first = boot_order(plan.install);
  g_assert_cmpstr(first, ==, "network");
}

static void
test_direct_kernel(void)
{
  g_autoptr(VmiGuest) g = guest_with("<disk type='file' device='disk'><source file='/d.qcow2'/></disk>");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_KERNEL);
  g_auto(VmiPlan) plan = { 0 };
  VmiPlanFacts media = { .kernel = "/boot/k", .initrd = "/boot/i", .kernel_args = "console=ttyS0" };
  inst->kernel = g_strdup("/src/k");

  vmi_plan_prepare(g, inst, &media);
  vmi_plan_build(g, inst, &media, &plan);
  xmlNodePtr r = vmi_guest_root(plan.install);
  g_assert_true(vmi_node_is(r, "os/kernel", "/boot/k"));
  g_assert_true(vmi_node_is(r, "os/initrd", "/boot/i"));
  g_assert_true(vmi_node_is(r, "os/cmdline", "console=ttyS0"));
  /* no boot order with a kernel to boot */
  g_assert_false(vmi_node_has(r, "os/boot"));
  /* kernel only for the install phase; final boots the disk */
  xmlNodePtr f = vmi_guest_root(plan.final);
  g_assert_false(vmi_node_has(f, "os/kernel"));
  g_autofree char *post = boot_order(plan.final);
  g_assert_cmpstr(post, ==, "hd");
  g_free(inst->kernel);
  inst->kernel = NULL;
}

static void
test_device_boot_order(void)
{
  g_autoptr(VmiGuest) g = guest_with("<disk type='file' device='disk'><source file='/d'/><boot order='1'/></disk>");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_CDROM);
  g_auto(VmiPlan) plan = { 0 };
  inst->cdrom = g_strdup("/i.iso");

  vmi_plan_prepare(g, inst, NULL);
  g_assert_false(vmi_node_has(vmi_guest_root(g), "os/boot"));
  vmi_plan_build(g, inst, NULL, &plan);
  g_assert_false(vmi_node_has(vmi_guest_root(plan.install), "os/boot"));
}

static void
test_container(void)
{
  g_autoptr(VmiGuest) g = vmi_guest_new_from_xml(
      "<domain type='lxc'><os><type>exe</type></os><devices/></domain>", NULL);
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_NONE);

  vmi_plan_prepare(g, inst, NULL);
  g_assert_false(vmi_node_has(vmi_guest_root(g), "os/boot"));
}

static void
test_import_single_phase(void)
{
  g_autoptr(VmiGuest) g = guest_with("<disk type='file' device='disk'><source file='/d'/></disk>");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_IMPORT);
  g_auto(VmiPlan) plan = { 0 };
  inst->no_install = TRUE;

  vmi_plan_prepare(g, inst, NULL);
  vmi_plan_build(g, inst, NULL, &plan);
  g_assert_null(plan.install);
  g_autofree char *post = boot_order(plan.final);
  g_assert_cmpstr(post, ==, "hd");
}

static void
test_install_phase_appends(void)
{
  g_autoptr(VmiGuest) g = guest_with("");
  g_autoptr(VmiInstall) inst = install_new(VMI_INSTALL_PXE);
  g_auto(VmiPlan) plan = { 0 };

  vmi_guest_set(g, "on_reboot", NULL);
  vmi_plan_prepare(g, inst, NULL);
  vmi_plan_build(g, inst, NULL, &plan);
  /* virt-install edits the parsed final XML: on_reboot lands last */
  xmlNodePtr last = xmlLastElementChild(vmi_guest_root(plan.install));
  g_assert_cmpstr((const char *)last->name, ==, "on_reboot");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/plan/cdrom-install", test_cdrom_install);
  g_test_add_func("/plan/pxe-without-disk", test_pxe_without_disk);
  g_test_add_func("/plan/direct-kernel", test_direct_kernel);
  g_test_add_func("/plan/device-boot-order", test_device_boot_order);
  g_test_add_func("/plan/container", test_container);
  g_test_add_func("/plan/import-single-phase", test_import_single_phase);
  g_test_add_func("/plan/install-phase-appends", test_install_phase_appends);
  return g_test_run();
}
