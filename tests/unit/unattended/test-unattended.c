/*
 * Unattended install scripts from libosinfo, compared byte for byte with
 * the files virt-install 4.1.0 wrote for the same arguments
 * (data/<case>/, made by regen-expected.sh), and the errors of bad input.
 */
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include "unattended.h"
#include "osinfo.h"
#include "vminstall/error.h"
#include "compare.h"

static char *
data_path(const char *name)
{
  return g_test_build_filename(G_TEST_DIST, "unit", "unattended", "data", name, NULL);
}

/* Skips when the host's timezone is not the one the files were made in:
 * libosinfo writes it into every script. */
static gboolean
same_timezone(void)
{
  g_autofree char *file = data_path("timezone");
  g_autofree char *want = NULL;
  g_autofree char *real = realpath("/etc/localtime", NULL);
  const char *have = real && strstr(real, "zoneinfo/") ? strstr(real, "zoneinfo/") + 9 : "";

  g_assert_true(g_file_get_contents(file, &want, NULL, NULL));
  g_strstrip(want);
  if (strcmp(want, have) != 0) {
    g_autofree char *msg = g_strdup_printf("expected files made in timezone %s, host has %s",
                                           want, have);
    g_test_skip(msg);
    return FALSE;
  }
  return TRUE;
}

typedef struct {
  const char *name;       /* data/<name>/ */
  const char *os;         /* short id */
  VmiInjectMethod method;
  const char *profile;
  const char *login;
  const char *product_key;
  const char *reg_login;
} Case;

static const Case cases[] = {
  { "fedora36-tree", "fedora36", VMI_INJECT_INITRD, NULL, "alice", NULL, NULL },
  { "fedora36-jeos-tree", "fedora36", VMI_INJECT_INITRD, "jeos", "Bob", NULL, NULL },
  { "debian11-tree", "debian11", VMI_INJECT_INITRD, NULL, "alice", NULL, NULL },
  { "win2k8r2-cdrom", "win2k8r2", VMI_INJECT_CDROM, NULL, "alice",
    "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX", "corp" },
};

static VmiUnattended *
generate(const char *os_name, VmiInjectMethod method, const VmiUnattendedOpts *opts,
         GPtrArray *warnings, GError **error)
{
  g_autoptr(VmiOs) os = vmi_os_lookup(os_name, NULL);
  VmiUnattendedQuery q = {
    .os_id = vmi_os_full_id(os),
    .os_name = os_name,
    .windows = vmi_os_is_windows(os),
    .virtio_disk = vmi_os_supports(os, VMI_OS_VIRTIO_DISK),
    .arch = "x86_64",
    .hostname = "vm1",
    .method = method,
    .opts = opts,
  };

  g_assert_nonnull(os);
  return vmi_unattended_generate(&q, warnings, error);
}

static void
test_case(gconstpointer data)
{
  const Case *c = data;
  g_autofree char *admin = data_path("admin-password.txt");
  g_autofree char *user = data_path("user-password.txt");
  g_autofree char *dir = data_path(c->name);
  VmiUnattendedOpts opts = {
    .profile = (char *)c->profile,
    .admin_password_file = admin,
    .user_login = (char *)c->login,
    .user_password_file = user,
    .product_key = (char *)c->product_key,
    .reg_login = (char *)c->reg_login,
  };
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiUnattended) ua = NULL;
  g_autoptr(GDir) d = NULL;
  guint expected_scripts = 0;
  const char *entry;

  if (!same_timezone())
    return;
  ua = generate(c->os, c->method, &opts, warnings, &error);
  g_assert_no_error(error);
  g_assert_nonnull(ua);
  if (!c->profile) {
    g_assert_cmpuint(warnings->len, >=, 1);
    g_assert_cmpstr(g_ptr_array_index(warnings, 0), ==, "Using unattended profile 'desktop'");
  }

  d = g_dir_open(dir, 0, NULL);
  g_assert_nonnull(d);
  while ((entry = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, entry, NULL);
    g_autofree char *want = NULL;
    gsize want_len;
    gboolean found = FALSE;

    if (!strcmp(entry, "args"))
      continue;
    g_assert_true(g_file_get_contents(path, &want, &want_len, NULL));
    if (!strcmp(entry, "cmdline")) {
      g_strchomp(want);
      /* virt-install's log line loses only the trailing newline */
      g_assert_cmpstr(vmi_unattended_cmdline(ua), ==, want);
      continue;
    }
    expected_scripts++;
    for (guint i = 0; i < vmi_unattended_n_scripts(ua); i++) {
      gsize len;
      const char *have;
      if (strcmp(vmi_unattended_script_filename(ua, i), entry) != 0)
        continue;
      have = g_bytes_get_data(vmi_unattended_script_content(ua, i), &len);
      found = TRUE;
      if (len != want_len || memcmp(have, want, len) != 0) {
        g_autofree char *got = g_strndup(have, len);
        g_autofree char *label = g_strdup_printf("%s/%s (virt-install)", c->name, entry);
        g_autofree char *diff = vmi_test_diff(want, got, label, "vminstall");
        fputs(diff, stdout);
        g_test_fail();
      }
    }
    if (!found) {
      g_test_message("%s: no script named %s was generated", c->name, entry);
      g_test_fail();
    }
  }
  if (c->method == VMI_INJECT_CDROM)
    g_assert_cmpuint(vmi_unattended_n_scripts(ua), >=, expected_scripts);
  else
    g_assert_cmpuint(vmi_unattended_n_scripts(ua), ==, expected_scripts);
}

/* ---- bad input: one error each ---- */

static void
expect_error(const char *os, VmiInjectMethod method, const VmiUnattendedOpts *opts,
             const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiUnattended) ua = generate(os, method, opts, NULL, &error);

  g_assert_null(ua);
  g_assert_nonnull(error);
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, fragment));
  g_assert_null(strchr(error->message, '\n'));
}

static void
test_no_scripts(void)
{
  VmiUnattendedOpts opts = { 0 };
  expect_error("win2k19", VMI_INJECT_CDROM, &opts, "OS 'win2k19' has no install scripts");
}

static void
test_cdrom_not_supported(void)
{
  VmiUnattendedOpts opts = { 0 };
  expect_error("debian11", VMI_INJECT_CDROM, &opts, "instead of --cdrom");
}

static void
test_unknown_profile(void)
{
  VmiUnattendedOpts opts = { .profile = (char *)"server" };
  expect_error("fedora36", VMI_INJECT_INITRD, &opts, "(available: desktop, jeos)");
}

static void
test_root_login(void)
{
  VmiUnattendedOpts opts = { .user_login = (char *)"Root" };
  expect_error("fedora36", VMI_INJECT_INITRD, &opts, "cannot use 'root' as user-login");
}

static void
test_required_password(void)
{
  VmiUnattendedOpts opts = { .profile = (char *)"jeos", .user_login = (char *)"a" };
  expect_error("debian11", VMI_INJECT_INITRD, &opts, "requires the admin password");
}

static void
test_missing_password_file(void)
{
  VmiUnattendedOpts opts = { .user_login = (char *)"a",
                             .admin_password_file = (char *)"/nonexistent/pw" };
  expect_error("fedora36", VMI_INJECT_INITRD, &opts, "admin-password-file");
}

static void
test_world_readable_password(void)
{
  g_autofree char *dir = g_dir_make_tmp("vmi-ua-XXXXXX", NULL);
  g_autofree char *pw = g_build_filename(dir, "pw", NULL);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiUnattended) ua = NULL;
  VmiUnattendedOpts opts = { .user_login = (char *)"a", .admin_password_file = pw };
  gboolean warned = FALSE;

  g_assert_true(g_file_set_contents(pw, "secret\n", -1, NULL));
  g_chmod(pw, 0644);
  ua = generate("fedora36", VMI_INJECT_INITRD, &opts, warnings, &error);
  g_assert_no_error(error);
  for (guint i = 0; i < warnings->len; i++)
    warned |= strstr(g_ptr_array_index(warnings, i), "can be read by every user") != NULL;
  g_assert_true(warned);
  /* the password reaches the script, the warning does not show it */
  for (guint i = 0; i < warnings->len; i++)
    g_assert_null(strstr(g_ptr_array_index(warnings, i), "secret"));
  g_unlink(pw);
  g_rmdir(dir);
}

static void
skip_all(void)
{
  g_test_skip("libosinfo-1.0.so.0 cannot be loaded");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  if (!vmi_unattended_available()) {
    g_test_add_func("/unattended/libosinfo-missing", skip_all);
    return g_test_run();
  }
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *path = g_strdup_printf("/unattended/virt-install/%s", cases[i].name);
    g_test_add_data_func(path, &cases[i], test_case);
  }
  g_test_add_func("/unattended/error/no-scripts", test_no_scripts);
  g_test_add_func("/unattended/error/cdrom-not-supported", test_cdrom_not_supported);
  g_test_add_func("/unattended/error/unknown-profile", test_unknown_profile);
  g_test_add_func("/unattended/error/root-login", test_root_login);
  g_test_add_func("/unattended/error/required-password", test_required_password);
  g_test_add_func("/unattended/error/missing-password-file", test_missing_password_file);
  g_test_add_func("/unattended/world-readable-password", test_world_readable_password);
  return g_test_run();
}
