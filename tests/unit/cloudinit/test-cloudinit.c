/*
 * cloud-init: the generated NoCloud documents, the checks on the user's
 * files (one error line each), and the seed ISO read back by an
 * independent reader (xorriso) for its CIDATA label and files.
 */
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "cloudinit.h"
#include "vminstall/error.h"

static char *tmpdir;

static char *
peer(const char *name)
{
  return g_test_build_filename(G_TEST_DIST, "unit", "cloudinit", "data", name, NULL);
}

static char *
tmp_file(const char *name, const char *text, int mode)
{
  char *p = g_build_filename(tmpdir, name, NULL);
  g_assert_true(g_file_set_contents(p, text, -1, NULL));
  g_chmod(p, mode);
  return p;
}

/* Valid YAML, as the module itself checks a user-data file. */
static gboolean
valid_yaml(const char *text)
{
  g_autofree char *path = tmp_file("check.yaml", text, 0600);
  VmiCloudInitOpts o = { .root_password_generate = -1, .disable = -1, .user_data = path };
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = vmi_cloudinit_new(&o, FALSE, NULL, NULL, NULL, &error);

  if (error)
    g_test_message("%s", error->message);
  g_unlink(path);
  return ci != NULL;
}

static VmiCloudInitOpts
opts_new(void)
{
  VmiCloudInitOpts o = { .root_password_generate = -1, .disable = -1 };
  return o;
}

static void
test_bare(void)
{
  VmiCloudInitOpts o = opts_new();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = vmi_cloudinit_new(&o, TRUE, "vm1", "uuid-1", warnings, &error);
  const char *pw;
  g_autofree char *line = NULL;

  g_assert_no_error(error);
  g_assert_cmpuint(warnings->len, ==, 1);
  g_assert_cmpstr(g_ptr_array_index(warnings, 0), ==,
                  "Defaulting to --cloud-init root-password-generate=yes,disable=yes");
  pw = vmi_cloudinit_generated_password(ci);
  g_assert_nonnull(pw);
  g_assert_cmpuint(strlen(pw), ==, 16);
  for (const char *p = pw; *p; p++)
    g_assert_true(g_ascii_isalnum(*p));
  line = g_strdup_printf("    root:%s\n  expire: True\n", pw);
  g_assert_true(g_str_has_prefix(vmi_cloudinit_user_data(ci), "#cloud-config\nchpasswd:\n"));
  g_assert_nonnull(strstr(vmi_cloudinit_user_data(ci), line));
  g_assert_nonnull(strstr(vmi_cloudinit_user_data(ci), "/etc/cloud/cloud-init.disabled"));
  g_assert_true(valid_yaml(vmi_cloudinit_user_data(ci)));
  g_assert_cmpstr(vmi_cloudinit_meta_data(ci), ==,
                  "instance-id: \"uuid-1\"\nlocal-hostname: \"vm1\"\n");
  g_assert_null(vmi_cloudinit_network_config(ci));
  /* the warning never shows the password */
  g_assert_null(strstr(g_ptr_array_index(warnings, 0), pw));
}

static void
test_keys_and_password_file(void)
{
  VmiCloudInitOpts o = opts_new();
  g_autofree char *key = peer("ssh-key.txt");
  g_autofree char *key2 = peer("ssh-key2.txt");
  g_autofree char *pw = tmp_file("pw", "Pa55: word\nignored second line\n", 0644);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = NULL;
  const char *ud;

  o.root_ssh_key = key;
  o.clouduser_ssh_key = key2;
  o.root_password_file = pw;
  ci = vmi_cloudinit_new(&o, FALSE, "vm1", NULL, warnings, &error);
  g_assert_no_error(error);
  ud = vmi_cloudinit_user_data(ci);
  g_test_message("%s", ud);
  g_assert_true(valid_yaml(ud));
  g_assert_nonnull(strstr(ud, "    root:Pa55: word\n  expire: False\n"));
  g_assert_null(strstr(ud, "ignored"));
  g_assert_nonnull(strstr(ud, "disable_root: false\nusers:\n  - default\n  - name: root\n"
                              "    ssh_authorized_keys:\n      - \"ssh-rsa AAAAB3"));
  g_assert_nonnull(strstr(ud, "\nssh_authorized_keys:\n  - \"ssh-rsa 123453"));
  g_assert_null(strstr(ud, "runcmd"));
  g_assert_null(vmi_cloudinit_generated_password(ci));
  /* world-readable password file: a warning naming the file */
  g_assert_cmpuint(warnings->len, ==, 1);
  g_assert_nonnull(strstr(g_ptr_array_index(warnings, 0), "can be read by every user"));
  g_assert_null(strstr(g_ptr_array_index(warnings, 0), "Pa55"));
}

static void
test_files_as_is(void)
{
  VmiCloudInitOpts o = opts_new();
  g_autofree char *ud = peer("user-data.txt");
  g_autofree char *md = peer("meta-data.txt");
  g_autofree char *nc = peer("network-config.txt");
  g_autofree char *ud_text = NULL, *md_text = NULL, *nc_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = NULL;

  o.user_data = ud;
  o.meta_data = md;
  o.network_config = nc;
  ci = vmi_cloudinit_new(&o, FALSE, "vm1", "x", NULL, &error);
  g_assert_no_error(error);
  g_assert_true(g_file_get_contents(ud, &ud_text, NULL, NULL));
  g_assert_true(g_file_get_contents(md, &md_text, NULL, NULL));
  g_assert_true(g_file_get_contents(nc, &nc_text, NULL, NULL));
  g_assert_cmpstr(vmi_cloudinit_user_data(ci), ==, ud_text);
  g_assert_cmpstr(vmi_cloudinit_meta_data(ci), ==, md_text);
  g_assert_cmpstr(vmi_cloudinit_network_config(ci), ==, nc_text);
}

static void
expect_error(VmiCloudInitOpts *o, const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = vmi_cloudinit_new(o, FALSE, "vm1", NULL, NULL, &error);

  g_assert_null(ci);
  g_assert_nonnull(error);
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, fragment));
  g_assert_null(strchr(error->message, '\n'));
}

static void
test_bad_input(void)
{
  g_autofree char *bad_yaml = tmp_file("bad.yaml", "#cloud-config\nusers:\n  - name: a\n"
                                       "   bad: [unclosed\n", 0600);
  g_autofree char *bad_header = tmp_file("hdr", "users:\n  - name: a\n", 0600);
  g_autofree char *empty = tmp_file("empty", "", 0600);
  g_autofree char *priv = tmp_file("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n", 0600);
  g_autofree char *bad_meta = tmp_file("meta", "instance-id: [a\n", 0600);
  g_autofree char *ud = peer("user-data.txt");
  g_autofree char *key = peer("ssh-key.txt");
  VmiCloudInitOpts o;

  o = opts_new();
  o.user_data = (char *)"/nonexistent/user-data";
  expect_error(&o, "user-data: cannot read '/nonexistent/user-data'");

  o = opts_new();
  o.user_data = bad_yaml;
  expect_error(&o, "is not valid YAML");

  o = opts_new();
  o.user_data = bad_header;
  expect_error(&o, "starts with 'users:', which cloud-init ignores");

  o = opts_new();
  o.user_data = empty;
  expect_error(&o, "is empty, which cloud-init ignores");

  o = opts_new();
  o.user_data = ud;
  o.root_ssh_key = key;
  expect_error(&o, "root-ssh-key= would be ignored");

  o = opts_new();
  o.root_ssh_key = priv;
  expect_error(&o, "is a private key");

  o = opts_new();
  o.clouduser_ssh_key = empty;
  expect_error(&o, "the first line of");

  o = opts_new();
  o.meta_data = bad_meta;
  expect_error(&o, "meta-data: '");

  o = opts_new();
  o.root_password_file = empty;
  expect_error(&o, "root-password-file: the first line");

  o = opts_new();
  o.root_password_generate = 1;
  o.root_password_file = key;
  expect_error(&o, "choose one");
}

/* xorriso reads the seed back: volume id, file names, contents. */
static void
test_seed_iso(void)
{
  g_autofree char *xorriso = g_find_program_in_path("xorriso");
  g_autofree char *nc = peer("network-config.txt");
  g_autofree char *iso = g_build_filename(tmpdir, "seed.iso", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *extract = g_build_filename(tmpdir, "x", NULL);
  VmiCloudInitOpts o = opts_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiCloudInit) ci = NULL;
  int fd, status;

  if (!xorriso) {
    g_test_skip("xorriso is not installed");
    return;
  }
  o.root_password_generate = 1;
  o.network_config = nc;
  ci = vmi_cloudinit_new(&o, FALSE, "host-1", "iid-1", NULL, &error);
  g_assert_no_error(error);
  fd = open(iso, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_true(vmi_cloudinit_write_seed(ci, fd, &error));
  g_assert_no_error(error);
  close(fd);

  const char *pvd[] = { xorriso, "-indev", iso, "-pvd_info", NULL };
  g_assert_true(g_spawn_sync(NULL, (char **)pvd, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                             &status, NULL));
  g_assert_true(g_spawn_check_wait_status(status, NULL));
  g_assert_nonnull(strstr(out, "Volume Id    : CIDATA"));
  g_clear_pointer(&out, g_free);
  g_clear_pointer(&err, g_free);

  const char *find[] = { xorriso, "-indev", iso, "-find", "/", "-type", "f", NULL };
  g_assert_true(g_spawn_sync(NULL, (char **)find, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                             &err, &status, NULL));
  g_assert_true(g_spawn_check_wait_status(status, NULL));
  g_assert_cmpstr(out, ==, "'/meta-data'\n'/network-config'\n'/user-data'\n");

  const char *x[] = { xorriso, "-osirrox", "on", "-indev", iso, "-extract", "/", extract, NULL };
  g_assert_true(g_spawn_sync(NULL, (char **)x, NULL,
                             G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                             NULL, NULL,
                             &status, NULL));
  g_assert_true(g_spawn_check_wait_status(status, NULL));
  const char *names[] = { "meta-data", "user-data", "network-config" };
  const char *want[] = { vmi_cloudinit_meta_data(ci), vmi_cloudinit_user_data(ci),
                         vmi_cloudinit_network_config(ci) };
  for (int i = 0; i < 3; i++) {
    g_autofree char *p = g_build_filename(extract, names[i], NULL);
    g_autofree char *got = NULL;
    g_assert_true(g_file_get_contents(p, &got, NULL, NULL));
    g_assert_cmpstr(got, ==, want[i]);
    g_chmod(p, 0600);
    g_unlink(p);
  }
  g_chmod(extract, 0700);
  g_rmdir(extract);
  g_unlink(iso);
}

int
main(int argc, char **argv)
{
  int ret;

  g_test_init(&argc, &argv, NULL);
  tmpdir = g_dir_make_tmp("vmi-ci-XXXXXX", NULL);
  g_test_add_func("/cloudinit/bare", test_bare);
  g_test_add_func("/cloudinit/keys-and-password-file", test_keys_and_password_file);
  g_test_add_func("/cloudinit/files-as-is", test_files_as_is);
  g_test_add_func("/cloudinit/bad-input", test_bad_input);
  g_test_add_func("/cloudinit/seed-iso", test_seed_iso);
  ret = g_test_run();
  {
    g_autoptr(GDir) d = g_dir_open(tmpdir, 0, NULL);
    const char *e;
    while (d && (e = g_dir_read_name(d))) {
      g_autofree char *p = g_build_filename(tmpdir, e, NULL);
      g_unlink(p);
    }
    g_rmdir(tmpdir);
  }
  return ret;
}
