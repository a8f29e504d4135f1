/*
 * Capabilities and domain capabilities parsing and lookups, checked
 * against the answers virt-install 4.1.0 itself gives for the same files
 * (expected.txt, written by virtinst-expected.py: one test per line), plus
 * the facts virt-install does not expose.
 */
#include <string.h>
#include "caps.h"
#include "vminstall/error.h"
#include "caps-facts.h"

static GHashTable *caps_cache;    /* rel path -> VmiCaps* */
static GHashTable *domcaps_cache; /* rel path -> VmiDomcaps* */

static const VmiCaps *
load_caps(const char *rel)
{
  VmiCaps *caps = g_hash_table_lookup(caps_cache, rel);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  if (caps)
    return caps;
  xml = facts_read(rel);
  if (!xml)
    return NULL;
  caps = vmi_caps_new_from_xml(xml, &error);
  g_assert_no_error(error);
  if (caps)
    g_hash_table_insert(caps_cache, g_strdup(rel), caps);
  return caps;
}

static const VmiDomcaps *
load_domcaps(const char *rel)
{
  VmiDomcaps *dc = g_hash_table_lookup(domcaps_cache, rel);
  g_autofree char *xml = NULL;
  g_autoptr(GError) error = NULL;

  if (dc)
    return dc;
  xml = facts_read(rel);
  if (!xml)
    return NULL;
  dc = vmi_domcaps_new_from_xml(xml, &error);
  g_assert_no_error(error);
  if (dc)
    g_hash_table_insert(domcaps_cache, g_strdup(rel), dc);
  return dc;
}

/* ---- virt-install's answers, one test per expected line ---- */

static void
test_hostarch(gconstpointer data)
{
  char *const *f = data;
  const VmiCaps *caps = load_caps(f[1]);

  if (caps)
    g_assert_cmpstr(facts_s(vmi_caps_host_arch(caps)), ==, f[2]);
}

static void
test_lookup(gconstpointer data)
{
  char *const *f = data;
  const VmiCaps *caps = load_caps(f[1]);
  g_autofree char *got = NULL;

  if (!caps)
    return;
  got = facts_caps_result(caps, facts_arg(f[2]), facts_arg(f[3]), facts_arg(f[4]),
                          facts_arg(f[5]));
  g_assert_cmpstr(got, ==, f[6]);
}

static void
test_domcaps_fact(gconstpointer data)
{
  char *const *f = data;
  const VmiDomcaps *dc = load_domcaps(f[1]);
  g_autofree char *got = NULL;

  if (!dc)
    return;
  got = facts_domcaps(dc, f[3]);
  g_assert_nonnull(got);
  g_assert_cmpstr(got, ==, f[4]);
}

/* Registers every expected line this test can answer without a
 * connection: host arch, guest lookups, and domcaps facts of the files as
 * they are (the arch-substituted and driver variants belong to test-conn). */
static guint
add_expected(GPtrArray *lines)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++) {
    char **f = g_ptr_array_index(lines, i);
    guint len = g_strv_length(f);
    g_autofree char *file = len > 1 ? facts_name(f[1]) : NULL;
    g_autofree char *path = NULL;

    if (strcmp(f[0], "hostarch") == 0 && len == 3) {
      path = g_strdup_printf("/caps/virtinst/%s/host-arch", file);
      g_test_add_data_func(path, f, test_hostarch);
    } else if (strcmp(f[0], "caps") == 0 && len == 7) {
      path = g_strdup_printf("/caps/virtinst/%s/lookup/os_type=%s,arch=%s,type=%s,machine=%s",
                             file, f[2], f[3], f[4], f[5]);
      g_test_add_data_func(path, f, test_lookup);
    } else if (strcmp(f[0], "domcaps") == 0 && len == 5) {
      if (strcmp(f[1], "-") == 0 || strcmp(f[2], "-") != 0)
        continue;
      path = g_strdup_printf("/domcaps/virtinst/%s/%s", file, f[3]);
      g_test_add_data_func(path, f, test_domcaps_fact);
    } else {
      path = g_strdup_printf("/caps/virtinst/expected-line-%u-unknown", i + 1);
      g_test_add_func(path, g_test_fail);
    }
    n++;
  }
  return n;
}

static void
test_expected_present(gconstpointer data)
{
  /* A missing or truncated expected.txt must not pass as "no tests". */
  g_assert_cmpuint(GPOINTER_TO_UINT(data), >, 300);
}

/* ---- facts virt-install does not expose ---- */

static VmiCapsGuest *
lookup(const char *rel, const char *os_type, const char *arch, const char *type,
       const char *machine)
{
  const VmiCaps *caps = load_caps(rel);
  g_autoptr(GError) error = NULL;
  VmiCapsGuest *g;

  if (!caps)
    return NULL;
  g = vmi_caps_lookup_guest(caps, os_type, arch, type, machine, &error);
  g_assert_no_error(error);
  g_assert_nonnull(g);
  return g;
}

static void
test_guest_features(void)
{
  g_autoptr(VmiCapsGuest) i686 = lookup("unit/caps/data/multi.xml", NULL, "i686", NULL, NULL);
  g_autoptr(VmiCapsGuest) x86 = lookup("data/caps/qemu-x86_64.xml", NULL, NULL, NULL, NULL);

  if (!i686 || !x86)
    return;
  g_assert_cmpint(i686->wordsize, ==, 32);
  g_assert_cmpint(x86->wordsize, ==, 64);
  g_assert_true(i686->pae && i686->nonpae);
  g_assert_false(x86->pae || x86->nonpae);
  /* A bare <acpi/> has no default: virt-install leaves ACPI off. */
  g_assert_false(i686->acpi_default || i686->acpi_toggle);
  g_assert_false(i686->apic_default);
  g_assert_true(i686->apic_toggle);
  g_assert_true(x86->acpi_default && x86->acpi_toggle && x86->apic_default);
  g_assert_false(x86->apic_toggle);
}

static void
test_guest_aliases(void)
{
  g_autoptr(VmiCapsGuest) x86 = lookup("data/caps/qemu-x86_64.xml", NULL, NULL, NULL, NULL);
  g_autoptr(VmiCapsGuest) kvm = lookup("unit/caps/data/multi.xml", NULL, NULL, "kvm", NULL);

  if (!x86 || !kvm)
    return;
  g_assert_true(vmi_caps_guest_machine_is_alias(x86, "pc", "pc-i440fx-7.2"));
  g_assert_true(vmi_caps_guest_machine_is_alias(x86, "q35", "pc-q35-7.2"));
  /* One-way and exact. */
  g_assert_false(vmi_caps_guest_machine_is_alias(x86, "pc-q35-7.2", "q35"));
  g_assert_false(vmi_caps_guest_machine_is_alias(x86, "pc", "pc-q35-7.2"));
  g_assert_false(vmi_caps_guest_machine_is_alias(x86, NULL, "pc-q35-7.2"));
  /* The kvm domain's own machine list replaces the guest's. */
  g_assert_true(vmi_caps_guest_machine_is_alias(kvm, "q35", "pc-q35-8.0"));
  g_assert_false(vmi_caps_guest_machine_is_alias(kvm, "q35", "pc-q35-7.2"));
  g_assert_cmpstr(kvm->emulator, ==, "/usr/bin/qemu-kvm");

  g_assert_true(vmi_caps_guest_has_machine(x86, "q35"));
  g_assert_true(vmi_caps_guest_has_machine(x86, "pc-q35-7.2"));
  g_assert_false(vmi_caps_guest_has_machine(x86, "virt"));
  g_assert_false(vmi_caps_guest_has_machine(x86, NULL));
}

static void
test_lookup_empty_args(void)
{
  g_autoptr(VmiCapsGuest) g = lookup("data/caps/qemu-x86_64.xml", "", "", "", "");

  if (!g)
    return;
  g_assert_cmpstr(g->domain_type, ==, "kvm");
  g_assert_cmpstr(g->arch, ==, "x86_64");
}

static void
test_host_facts(void)
{
  const VmiCaps *multi = load_caps("unit/caps/data/multi.xml");
  const VmiCaps *qemu = load_caps("data/caps/qemu-x86_64.xml");

  if (!multi || !qemu)
    return;
  g_assert_cmpstr(vmi_caps_host_cpu_model(multi), ==, "Skylake-Client-IBRS");
  g_assert_true(vmi_caps_has_secmodel(multi, "apparmor"));
  g_assert_true(vmi_caps_has_secmodel(multi, "dac"));
  g_assert_false(vmi_caps_has_secmodel(multi, "selinux"));
  g_assert_true(vmi_caps_has_install_options(multi));
  g_assert_true(vmi_caps_has_install_options(qemu));
}

static void
test_qemu_user(void)
{
  static const char root_label[] =
    "<capabilities><host><cpu><arch>x86_64</arch></cpu>"
    "<secmodel><model>dac</model><doi>0</doi>"
    "<baselabel type='kvm'>+0:+0</baselabel></secmodel></host>"
    "<guest><os_type>hvm</os_type><arch name='x86_64'/></guest></capabilities>";
  static const char bad_label[] =
    "<capabilities><host><secmodel><model>dac</model>"
    "<baselabel type='qemu'>+abc:+0</baselabel></secmodel></host></capabilities>";
  g_autoptr(VmiCaps) caps = vmi_caps_new_from_xml(root_label, NULL);
  g_autoptr(VmiCaps) bad = vmi_caps_new_from_xml(bad_label, NULL);
  g_autofree char *user = NULL;
  guint uid = 42;

  g_assert_nonnull(caps);
  g_assert_nonnull(bad);
  if (!caps || !bad)
    return;
  g_assert_true(vmi_caps_qemu_user(caps, &user, &uid));
  g_assert_cmpuint(uid, ==, 0);
  g_assert_cmpstr(user, ==, "root");
  g_assert_false(vmi_caps_qemu_user(bad, NULL, NULL));
  /* A guest without any <domain> cannot be installed. */
  g_assert_false(vmi_caps_has_install_options(caps));
  g_assert_null(vmi_caps_host_cpu_model(caps));
}

static void
test_caps_errors(void)
{
  g_autoptr(GError) error = NULL;
  VmiCaps *caps;

  caps = vmi_caps_new_from_xml("<capabilities><guest>", &error);
  g_assert_null(caps);
  g_assert_error(error, VMI_ERROR, VMI_ERROR_FAILED);
  g_assert_nonnull(strstr(error->message, "cannot parse capabilities XML"));
  g_clear_error(&error);

  caps = vmi_caps_new_from_xml("<domainCapabilities/>", &error);
  g_assert_null(caps);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "<capabilities>"));
  g_clear_error(&error);

  caps = vmi_caps_new_from_xml(NULL, &error);
  g_assert_null(caps);
  g_assert_nonnull(error);
  vmi_caps_free(NULL);
  vmi_caps_guest_free(NULL);
}

static void
test_domcaps_empty(void)
{
  g_autoptr(VmiDomcaps) empty = vmi_domcaps_new_empty();
  g_autoptr(GPtrArray) vals = vmi_domcaps_enum_values(empty, "devices/disk", "bus");
  g_autoptr(GPtrArray) models = vmi_domcaps_cpu_models(empty);

  g_assert_true(vmi_domcaps_is_empty(empty));
  g_assert_null(vmi_domcaps_arch(empty));
  g_assert_null(vmi_domcaps_machine(empty));
  g_assert_null(vmi_domcaps_find_uefi_path(empty));
  g_assert_false(vmi_domcaps_supports_firmware_efi(empty));
  g_assert_false(vmi_domcaps_supports_uefi_loader(empty));
  g_assert_false(vmi_domcaps_supports_tpm_emulator(empty));
  g_assert_false(vmi_domcaps_supported(empty, "devices/graphics"));
  g_assert_false(vmi_domcaps_present(empty, "devices/tpm"));
  g_assert_false(vmi_domcaps_cpu_mode_supported(empty, "host-model"));
  g_assert_false(vmi_domcaps_supports_sev(empty, FALSE));
  g_assert_cmpuint(vals->len, ==, 0);
  g_assert_cmpuint(models->len, ==, 0);
}

static void
test_domcaps_paths(void)
{
  const VmiDomcaps *q35 = load_domcaps("data/caps/domcaps-q35.xml");

  if (!q35)
    return;
  g_assert_false(vmi_domcaps_is_empty(q35));
  g_assert_true(vmi_domcaps_supported(q35, "cpu/mode[host-model]"));
  g_assert_true(vmi_domcaps_enum_has(q35, "cpu/mode[maximum]", "maximumMigratable", "on"));
  g_assert_false(vmi_domcaps_supported(q35, "cpu/mode[nosuch]"));
  g_assert_false(vmi_domcaps_supported(q35, "cpu/mode[host-model"));
  g_assert_false(vmi_domcaps_supported(q35, "devices/../devices"));
  g_assert_true(vmi_domcaps_supported(q35, "./devices/disk"));
  g_assert_false(vmi_domcaps_supported(q35, NULL));
  g_assert_true(vmi_domcaps_enum_has(q35, "devices/hostdev", "mode", "subsystem"));
  /* An empty enum exists but lists nothing. */
  g_assert_true(vmi_domcaps_has_enum(q35, "devices/hostdev", "capsType"));
  g_assert_false(vmi_domcaps_enum_has(q35, "devices/hostdev", "capsType", "storage"));
  /* supported='no' is present but not supported. */
  g_assert_true(vmi_domcaps_supported(q35, "features/vmcoreinfo"));
  g_assert_false(vmi_domcaps_supported(q35, "features/gic"));
  g_assert_true(vmi_domcaps_present(q35, "features/gic"));
}

static void
test_domcaps_errors(void)
{
  g_autoptr(GError) error = NULL;
  VmiDomcaps *dc;

  dc = vmi_domcaps_new_from_xml("<capabilities/>", &error);
  g_assert_null(dc);
  g_assert_nonnull(error);
  g_assert_nonnull(strstr(error->message, "<domainCapabilities>"));
  g_clear_error(&error);
  dc = vmi_domcaps_new_from_xml("not xml", &error);
  g_assert_null(dc);
  g_assert_nonnull(error);
  vmi_domcaps_free(NULL);
}

int
main(int argc, char **argv)
{
  g_autoptr(GPtrArray) lines = NULL;
  int ret;

  g_test_init(&argc, &argv, NULL);
  g_test_set_nonfatal_assertions();
  caps_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)vmi_caps_free);
  domcaps_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)vmi_domcaps_free);
  lines = facts_expected();
  g_test_add_data_func("/caps/virtinst/expected-file", GUINT_TO_POINTER(add_expected(lines)),
                       test_expected_present);
  g_test_add_func("/caps/guest/features", test_guest_features);
  g_test_add_func("/caps/guest/aliases", test_guest_aliases);
  g_test_add_func("/caps/lookup/empty-args", test_lookup_empty_args);
  g_test_add_func("/caps/host/facts", test_host_facts);
  g_test_add_func("/caps/host/qemu-user", test_qemu_user);
  g_test_add_func("/caps/errors", test_caps_errors);
  g_test_add_func("/domcaps/empty", test_domcaps_empty);
  g_test_add_func("/domcaps/paths", test_domcaps_paths);
  g_test_add_func("/domcaps/errors", test_domcaps_errors);
  ret = g_test_run();
  g_hash_table_unref(caps_cache);
  g_hash_table_unref(domcaps_cache);
  return ret;
}
