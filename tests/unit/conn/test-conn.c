/*
 * The lazy libvirt connection: URI rules, virt-install's test URI form,
 * and lookups against the daemon-less test:///default driver.
 */
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn.h"
#include "vminstall/error.h"
#include "../caps/caps-facts.h"

/* Until stop_capture, whatever goes to fd 2 lands in a temp file, so a
 * test can prove that libvirt printed nothing. */
typedef struct {
  int saved;
  char path[32];
} Capture;

static void
start_capture(Capture *cap)
{
  int fd;

  g_strlcpy(cap->path, "/tmp/vmi-test-conn-XXXXXX", sizeof(cap->path));
  fd = mkstemp(cap->path);
  g_assert_cmpint(fd, >=, 0);
  fflush(stderr);
  cap->saved = dup(2);
  dup2(fd, 2);
  close(fd);
}

static char *
stop_capture(Capture *cap)
{
  char *text = NULL;

  fflush(stderr);
  dup2(cap->saved, 2);
  close(cap->saved);
  g_file_get_contents(cap->path, &text, NULL, NULL);
  unlink(cap->path);
  return text ? text : g_strdup("");
}

static char *
magic_uri(const char *open_uri, const char *opts)
{
  return g_strdup_printf("__virtinst_test__%s%s%s", open_uri, opts ? "," : "", opts ? opts : "");
}

/* ---- URIs ---- */

static void
test_default_uri(void)
{
  const char *want = geteuid() == 0 ? "qemu:///system" : "qemu:///session";
  g_autofree char *saved = g_strdup(g_getenv("LIBVIRT_DEFAULT_URI"));
  g_autoptr(VmiConn) plain = NULL;
  g_autoptr(VmiConn) empty = NULL;
  g_autoptr(VmiConn) env = NULL;

  g_unsetenv("LIBVIRT_DEFAULT_URI");
  plain = vmi_conn_new(NULL, NULL);
  empty = vmi_conn_new("", NULL);
  g_setenv("LIBVIRT_DEFAULT_URI", "test:///default", TRUE);
  env = vmi_conn_new(NULL, NULL);
  if (saved)
    g_setenv("LIBVIRT_DEFAULT_URI", saved, TRUE);
  else
    g_unsetenv("LIBVIRT_DEFAULT_URI");

  g_assert_nonnull(plain);
  g_assert_nonnull(empty);
  g_assert_nonnull(env);
  g_assert_cmpstr(vmi_conn_uri(plain), ==, want);
  g_assert_cmpstr(vmi_conn_uri(empty), ==, want);
  g_assert_cmpstr(vmi_conn_uri(env), ==, "test:///default");
  g_assert_cmpint(vmi_conn_is_session(plain), ==, geteuid() != 0);
  /* Creating a connection opens nothing. */
  g_assert_false(vmi_conn_is_open(plain));
  g_assert_false(vmi_conn_is_open(env));
}

typedef struct {
  const char *uri;
  const char *driver;
  gboolean remote, session;
  const char *host, *transport;
} UriCase;

/* What virt-install's uri.URI and connection.is_* say for each. */
static const UriCase uri_cases[] = {
  { "qemu:///system", "qemu", FALSE, FALSE, NULL, NULL },
  { "qemu:///session", "qemu", FALSE, TRUE, NULL, NULL },
  { "QEMU:///session", "qemu", FALSE, TRUE, NULL, NULL },
  { "qemu+ssh://root@host.example/system", "qemu", TRUE, FALSE, "host.example", "ssh" },
  { "qemu+ssh:///system", "qemu", FALSE, FALSE, NULL, "ssh" },
  { "qemu://host:16514/system?no_verify=1", "qemu", TRUE, FALSE, "host", "tls" },
  { "qemu+tcp://[fe80::1]:16509/system", "qemu", TRUE, FALSE, "fe80::1", "tcp" },
  { "qemu+unix:///session?socket=/tmp/x", "qemu", FALSE, TRUE, NULL, "unix" },
  { "test:///default", "test", FALSE, FALSE, NULL, NULL },
  { "xen:///system", "xen", FALSE, FALSE, NULL, NULL },
  { "libxl:///", "xen", FALSE, FALSE, NULL, NULL },
  { "lxc:///system", "lxc", FALSE, FALSE, NULL, NULL },
  { "parallels:///system", "vz", FALSE, FALSE, NULL, NULL },
  { "bhyve:///system", "bhyve", FALSE, FALSE, NULL, NULL },
  { "esx://vcenter/", "esx", TRUE, FALSE, "vcenter", "tls" },
};

static void
test_classification(gconstpointer data)
{
  const UriCase *uc = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiConn) c = vmi_conn_new(uc->uri, &error);

  g_assert_no_error(error);
  g_assert_nonnull(c);
  g_assert_cmpstr(vmi_conn_driver_name(c), ==, uc->driver);
  g_assert_cmpint(vmi_conn_is_remote(c), ==, uc->remote);
  g_assert_cmpint(vmi_conn_is_session(c), ==, uc->session);
  g_assert_cmpstr(vmi_conn_uri_hostname(c), ==, uc->host);
  g_assert_cmpstr(vmi_conn_uri_transport(c), ==, uc->transport);
  g_assert_cmpint(vmi_conn_driver(c) == VMI_DRIVER_QEMU, ==, strcmp(uc->driver, "qemu") == 0);
  g_assert_cmpint(vmi_conn_driver(c) == VMI_DRIVER_TEST, ==, strcmp(uc->driver, "test") == 0);
  g_assert_cmpint(vmi_conn_driver(c) == VMI_DRIVER_XEN, ==, strcmp(uc->driver, "xen") == 0);
  g_assert_cmpint(vmi_driver_is_container_only(vmi_conn_driver(c)), ==,
                  strcmp(uc->driver, "lxc") == 0);
  g_assert_cmpint(vmi_conn_is_really_test(c), ==, strcmp(uc->driver, "test") == 0);
  g_assert_false(vmi_conn_is_open(c));
}

static void
test_embed(void)
{
  g_autoptr(VmiConn) embed = vmi_conn_new("qemu:///embed?root=/tmp/x", NULL);
  g_autoptr(VmiConn) sys = vmi_conn_new("qemu:///system", NULL);
  g_autofree char *root = vmi_conn_data_root_dir(sys);

  /* Embedded QEMU is privileged only when run as root. */
  g_assert_cmpint(vmi_conn_is_session(embed), ==, geteuid() != 0);
  g_assert_cmpstr(root, ==, "/var/lib/libvirt");
}

/* ---- the test URI form ---- */

static void
test_magic(void)
{
  g_autofree char *caps = facts_path("data/caps/qemu-x86_64.xml");
  g_autofree char *domcaps = facts_path("data/caps/domcaps-q35.xml");
  g_autofree char *opts = g_strdup_printf("caps=%s,domcaps=%s,fakeuri=qemu:///system,predictable",
                                          caps, domcaps);
  g_autofree char *uri = magic_uri("test:///default", opts);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiConn) c = vmi_conn_new(uri, &error);
  const VmiCaps *vc;
  const VmiDomcaps *dc1, *dc2, *dc3;

  g_assert_no_error(error);
  if (!c)
    return;
  g_assert_cmpstr(vmi_conn_uri(c), ==, "qemu:///system");
  g_assert_cmpstr(vmi_conn_open_uri(c), ==, "test:///default");
  g_assert_true(vmi_conn_driver(c) == VMI_DRIVER_QEMU);
  g_assert_false(vmi_conn_driver(c) == VMI_DRIVER_TEST);
  g_assert_true(vmi_conn_is_really_test(c));
  g_assert_false(vmi_conn_is_session(c));
  g_assert_true(vmi_conn_is_predictable(c));
  g_assert_true(vmi_conn_has_fakeuri(c));

  vc = vmi_conn_caps(c, &error);
  g_assert_no_error(error);
  g_assert_nonnull(vc);
  if (vc)
    g_assert_cmpstr(vmi_caps_host_arch(vc), ==, "x86_64");
  g_assert_true(vmi_conn_caps(c, NULL) == vc);

  dc1 = vmi_conn_domcaps(c, NULL, "aarch64", NULL, "kvm", &error);
  dc2 = vmi_conn_domcaps(c, NULL, "aarch64", NULL, "kvm", &error);
  dc3 = vmi_conn_domcaps(c, "/usr/bin/qemu-system-x86_64", NULL, "q35", "kvm", &error);
  g_assert_no_error(error);
  if (!dc1 || !dc3) {
    g_test_fail();
    return;
  }
  g_assert_true(dc1 == dc2);
  g_assert_true(dc1 != dc3);
  /* The file's <arch> is replaced by the asked arch, nothing else. */
  g_assert_cmpstr(vmi_domcaps_arch(dc1), ==, "aarch64");
  g_assert_cmpstr(vmi_domcaps_machine(dc1), ==, "pc-q35-7.2");
  g_assert_cmpstr(vmi_domcaps_arch(dc3), ==, "x86_64");
  /* caps= and domcaps= files need no connection. */
  g_assert_false(vmi_conn_is_open(c));
}

static void
test_magic_quoting(void)
{
  g_autofree char *uri = magic_uri("test:///default", "fakeuri=\"qemu+ssh://u@far,away/system\"");
  g_autofree char *bare_uri = magic_uri("test:///default", NULL);
  g_autoptr(VmiConn) quoted = vmi_conn_new(uri, NULL);
  g_autoptr(VmiConn) bare = vmi_conn_new(bare_uri, NULL);

  g_assert_nonnull(quoted);
  g_assert_cmpstr(vmi_conn_uri(quoted), ==, "qemu+ssh://u@far,away/system");
  g_assert_true(vmi_conn_is_remote(quoted));
  g_assert_false(vmi_conn_is_predictable(quoted));
  /* A remote URI never checks local paths. */
  g_assert_false(vmi_conn_path_exists(quoted, "/"));

  g_assert_nonnull(bare);
  g_assert_true(vmi_conn_driver(bare) == VMI_DRIVER_TEST);
  g_assert_false(vmi_conn_has_fakeuri(bare));
  g_assert_cmpstr(vmi_conn_uri(bare), ==, "test:///default");
}

static void
test_magic_bad_options(void)
{
  static const char *const bad[] = { "bogus=1", "fakeuri='unterminated", "connver=abc", "caps" };
  g_autofree char *ver_uri = magic_uri("test:///default", "connver=9000000,libver=9000000");
  g_autoptr(VmiConn) ver = vmi_conn_new(ver_uri, NULL);

  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autofree char *u = magic_uri("test:///default", bad[i]);
    g_autoptr(GError) err = NULL;
    g_autoptr(VmiConn) bc = vmi_conn_new(u, &err);
    g_assert_null(bc);
    g_assert_error(err, VMI_ERROR, VMI_ERROR_USAGE);
  }
  g_assert_nonnull(ver);
}

static void
test_magic_missing_files(void)
{
  g_autofree char *u = magic_uri("test:///default",
                                 "caps=/nonexistent/caps.xml,domcaps=/nonexistent/d.xml");
  g_autoptr(VmiConn) c = vmi_conn_new(u, NULL);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;

  g_assert_nonnull(c);
  g_assert_null(vmi_conn_caps(c, &e1));
  g_assert_error(e1, VMI_ERROR, VMI_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(e1->message, "/nonexistent/caps.xml"));
  g_assert_null(vmi_conn_domcaps(c, NULL, NULL, NULL, NULL, &e2));
  g_assert_error(e2, VMI_ERROR, VMI_ERROR_NOT_FOUND);
}

/* ---- opening ---- */

static void
test_open_failure(void)
{
  g_autoptr(VmiConn) c = vmi_conn_new("bogus:///x", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *printed = NULL;
  Capture cap;
  virConnectPtr vc;

  start_capture(&cap);
  vc = vmi_conn_get(c, &error);
  vmi_conn_domain_name_exists(c, "x", NULL);
  vmi_conn_network_exists(c, "x");
  printed = stop_capture(&cap);

  g_assert_null(vc);
  g_assert_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT);
  /* libvirt's own words, behind the URI (ssh failures don't name it).
   * Which words depends on the host: with a libvirtd running, the daemon
   * says it has no such driver; without one, the client cannot reach it. */
  if (!g_str_equal(error->message, "--connect: cannot open 'bogus:///x': "
                                   "no connection driver available for bogus:///x"))
    g_assert_cmpstr(error->message, ==,
                    "--connect: cannot open 'bogus:///x': Failed to connect socket to "
                    "'/var/run/libvirt/libvirt-sock': No such file or directory");
  g_assert_cmpstr(printed, ==, "");
  g_assert_false(vmi_conn_is_open(c));
}

static VmiConn *test_conn; /* test:///default, shared by the lookups */

static void
test_driver_caps(void)
{
  g_autoptr(GError) error = NULL;
  const VmiCaps *caps;
  const VmiDomcaps *dc;

  g_assert_false(vmi_conn_is_open(test_conn));
  caps = vmi_conn_caps(test_conn, &error);
  g_assert_no_error(error);
  if (!caps) {
    g_test_fail();
    return;
  }
  g_assert_cmpstr(vmi_caps_host_arch(caps), ==, "i686");
  g_assert_true(vmi_conn_is_open(test_conn));
  /* The test driver has no domcaps: an empty one, like virt-install. */
  dc = vmi_conn_domcaps(test_conn, NULL, "i686", NULL, "test", &error);
  g_assert_no_error(error);
  g_assert_true(dc && vmi_domcaps_is_empty(dc));
  g_assert_true(vmi_conn_get(test_conn, NULL) == vmi_conn_get(test_conn, NULL));
}

static void
test_driver_domains(void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true(vmi_conn_domain_name_exists(test_conn, "test", &error));
  g_assert_false(vmi_conn_domain_name_exists(test_conn, "nosuchguest", &error));
  g_assert_true(vmi_conn_domain_uuid_exists(test_conn, "6695eb01-f6a4-8304-79aa-97f2502e193f",
                                            &error));
  g_assert_false(vmi_conn_domain_uuid_exists(test_conn, "00000000-0000-0000-0000-000000000001",
                                             &error));
  g_assert_false(vmi_conn_domain_uuid_exists(test_conn, "not-a-uuid", &error));
  g_assert_no_error(error);
  g_assert_true(vmi_conn_network_exists(test_conn, "default"));
  g_assert_false(vmi_conn_network_exists(test_conn, "nonet"));
}

static void
test_driver_pools(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) pool_err = NULL;
  g_autofree char *path = vmi_conn_pool_path(test_conn, "default-pool", &error);
  g_autofree char *nopool = vmi_conn_pool_path(test_conn, "nopool", &pool_err);
  g_autofree char *dirpool = vmi_conn_pool_for_dir(test_conn, "/default-pool");
  g_autofree char *dirpool2 = vmi_conn_pool_for_dir(test_conn, "/default-pool/./");
  g_autofree char *nodir = vmi_conn_pool_for_dir(test_conn, "/tmp");

  g_assert_no_error(error);
  g_assert_cmpstr(path, ==, "/default-pool");
  g_assert_null(nopool);
  g_assert_error(pool_err, VMI_ERROR, VMI_ERROR_NOT_FOUND);
  g_assert_nonnull(strstr(pool_err->message, "'nopool'"));
  g_assert_cmpstr(dirpool, ==, "default-pool");
  g_assert_cmpstr(dirpool2, ==, "default-pool");
  g_assert_null(nodir);
}

static void
test_driver_volumes(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) vol_err = NULL;
  g_autofree char *volpath = NULL;
  g_autofree char *novol = NULL;
  virStoragePoolPtr pool;
  virStorageVolPtr vol;

  /* The test driver keeps volumes in memory only: no disk is touched. */
  pool = virStoragePoolLookupByName(vmi_conn_get(test_conn, NULL), "default-pool");
  g_assert_nonnull(pool);
  vol = pool ? virStorageVolCreateXML(
      pool, "<volume><name>vmi-test.img</name><capacity>1048576</capacity></volume>", 0) : NULL;
  g_assert_nonnull(vol);
  if (vol)
    virStorageVolFree(vol);
  if (pool)
    virStoragePoolFree(pool);

  volpath = vmi_conn_volume_path(test_conn, "default-pool", "vmi-test.img", &error);
  g_assert_no_error(error);
  g_assert_cmpstr(volpath, ==, "/default-pool/vmi-test.img");
  novol = vmi_conn_volume_path(test_conn, "default-pool", "nope.img", &vol_err);
  g_assert_null(novol);
  g_assert_error(vol_err, VMI_ERROR, VMI_ERROR_NOT_FOUND);

  g_assert_true(vmi_conn_path_exists(test_conn, "/default-pool/vmi-test.img"));
  /* A local connection also checks the file system. */
  g_assert_true(vmi_conn_path_exists(test_conn, "/"));
  g_assert_false(vmi_conn_path_exists(test_conn, "/nonexistent/vmi/x"));
  g_assert_false(vmi_conn_path_exists(test_conn, NULL));
}

static void
test_libvirt_errors(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) plain = NULL;
  g_autofree char *printed = NULL;
  Capture cap;

  start_capture(&cap);
  g_assert_null(virStoragePoolLookupByName(vmi_conn_get(test_conn, NULL), "nopool"));
  vmi_libvirt_error(&error, "looking up pool %s", "nopool");
  vmi_conn_domain_name_exists(test_conn, "nosuchguest", NULL);
  g_autofree char *p = vmi_conn_pool_path(test_conn, "nopool", NULL);
  vmi_libvirt_error(&plain, NULL);
  printed = stop_capture(&cap);

  g_assert_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT);
  g_assert_true(error && g_str_has_prefix(error->message, "looking up pool nopool: "));
  g_assert_true(error && strstr(error->message + 24, "nopool"));
  /* Every helper resets libvirt's last error after reading it. */
  g_assert_cmpstr(plain->message, ==, "unknown libvirt error");
  g_assert_cmpstr(printed, ==, "");
  g_assert_null(p);
}

/* ---- virt-install's answers for domcaps behind a connection ---- */

static GHashTable *expected_conns; /* file -> VmiConn* */

static void
test_domcaps_fact(gconstpointer data)
{
  char *const *f = data;
  VmiConn *c = g_hash_table_lookup(expected_conns, f[1]);
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  const VmiDomcaps *dc;

  if (!c) {
    g_autofree char *file = facts_path(f[1]);
    g_autofree char *opts = g_strdup_printf("domcaps=%s,fakeuri=qemu:///system", file);
    g_autofree char *uri = strcmp(f[1], "-") == 0 ? g_strdup("test:///default")
                                                   : magic_uri("test:///default", opts);
    c = vmi_conn_new(uri, &error);
    g_assert_no_error(error);
    g_hash_table_insert(expected_conns, g_strdup(f[1]), c);
  }
  dc = vmi_conn_domcaps(c, NULL, facts_arg(f[2]), NULL, NULL, &error);
  g_assert_no_error(error);
  if (!dc) {
    g_test_fail();
    return;
  }
  got = facts_domcaps(dc, f[3]);
  g_assert_nonnull(got);
  g_assert_cmpstr(got, ==, f[4]);
}

/* The expected lines test-caps leaves: each domcaps file as a test URI
 * presents it for each asked arch, and what the test driver has (none). */
static guint
add_expected(GPtrArray *lines)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++) {
    char **f = g_ptr_array_index(lines, i);
    g_autofree char *file = NULL;
    g_autofree char *path = NULL;

    if (g_strv_length(f) != 5 || strcmp(f[0], "domcaps") != 0)
      continue;
    if (strcmp(f[1], "-") != 0 && strcmp(f[2], "-") == 0)
      continue;
    file = strcmp(f[1], "-") == 0 ? g_strdup("test-driver") : facts_name(f[1]);
    path = g_strdup_printf("/conn/domcaps/virtinst/%s/arch=%s/%s", file, f[2], f[3]);
    g_test_add_data_func(path, f, test_domcaps_fact);
    n++;
  }
  return n;
}

static void
test_expected_present(gconstpointer data)
{
  g_assert_cmpuint(GPOINTER_TO_UINT(data), >, 300);
}

/* /dev/kvm as a host without udev leaves it (root:root 0600) and as udev
 * makes it (group kvm, 0660), checked for a QEMU user in group kvm, and
 * the connections the check applies to. */
static void
test_kvm_access(void)
{
  g_autofree char *dir = g_dir_make_tmp("vmi-test-kvm-XXXXXX", NULL);
  g_autofree char *dev = g_build_filename(dir, "kvm", NULL);
  g_autofree char *msg = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(VmiConn) test = NULL;
  g_autoptr(VmiConn) remote = NULL;
  struct group *kvm = getgrnam("kvm");
  struct passwd *nobody = getpwnam("nobody");

  g_assert_true(g_file_set_contents(dev, "", 0, NULL));
  g_assert_cmpint(chown(dev, 0, 0), ==, 0);
  g_assert_cmpint(chmod(dev, 0600), ==, 0);
  /* root can always, a missing device or user is no problem */
  g_assert_null(vmi_kvm_access_problem(dev, "root"));
  g_assert_null(vmi_kvm_access_problem(dev, "+0"));
  g_assert_null(vmi_kvm_access_problem("/nonexistent/kvm", "nobody"));
  g_assert_null(vmi_kvm_access_problem(dev, "no-such-user-vmi"));
  if (!nobody) {
    g_test_skip("no user 'nobody'");
    return;
  }
  msg = vmi_kvm_access_problem(dev, "nobody");
  g_assert_nonnull(msg);
  g_assert_nonnull(strstr(msg, "root:root mode 0600"));
  g_assert_nonnull(strstr(msg, "QEMU user 'nobody'"));
  g_assert_nonnull(strstr(msg, "very slow"));
  g_assert_nonnull(strstr(msg, "chgrp kvm"));
  g_assert_null(strchr(msg, '\n'));
  g_clear_pointer(&msg, g_free);
  /* "+UID" as qemu.conf may spell it */
  uri = g_strdup_printf("+%u", (unsigned)nobody->pw_uid);
  msg = vmi_kvm_access_problem(dev, uri);
  g_assert_nonnull(msg);
  g_clear_pointer(&msg, g_free);
  /* others may read and write: fine */
  g_assert_cmpint(chmod(dev, 0666), ==, 0);
  g_assert_null(vmi_kvm_access_problem(dev, "nobody"));
  /* owned by the user: the owner's bits */
  g_assert_cmpint(chown(dev, nobody->pw_uid, 0), ==, 0);
  g_assert_cmpint(chmod(dev, 0600), ==, 0);
  g_assert_null(vmi_kvm_access_problem(dev, "nobody"));
  g_assert_cmpint(chmod(dev, 0400), ==, 0);
  msg = vmi_kvm_access_problem(dev, "nobody");
  g_assert_nonnull(msg);
  g_clear_pointer(&msg, g_free);
  /* group kvm, 0660, and a user in that group (Debian's libvirt-qemu) */
  if (kvm && getpwnam("libvirt-qemu")) {
    g_assert_cmpint(chown(dev, 0, kvm->gr_gid), ==, 0);
    g_assert_cmpint(chmod(dev, 0660), ==, 0);
    g_assert_null(vmi_kvm_access_problem(dev, "libvirt-qemu"));
    g_assert_cmpint(chmod(dev, 0600), ==, 0);
    msg = vmi_kvm_access_problem(dev, "libvirt-qemu");
    g_assert_nonnull(msg);
    g_clear_pointer(&msg, g_free);
  }
  /* not checked: the test driver, remote hosts */
  g_setenv("VMINSTALL_TEST_KVM_DEVICE", dev, TRUE);
  test = vmi_conn_new("test:///default", NULL);
  g_assert_null(vmi_conn_kvm_warning(test));
  remote = vmi_conn_new("qemu+ssh://host.invalid/system", NULL);
  g_assert_null(vmi_conn_kvm_warning(remote));
  g_unsetenv("VMINSTALL_TEST_KVM_DEVICE");
  g_unlink(dev);
  g_rmdir(dir);
}

int
main(int argc, char **argv)
{
  g_autoptr(GPtrArray) lines = NULL;
  int ret;

  g_test_init(&argc, &argv, NULL);
  g_test_set_nonfatal_assertions();
  test_conn = vmi_conn_new("test:///default", NULL);
  expected_conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify)vmi_conn_free);

  g_test_add_func("/conn/uri/default", test_default_uri);
  for (guint i = 0; i < G_N_ELEMENTS(uri_cases); i++) {
    g_autofree char *name = facts_name(uri_cases[i].uri);
    g_autofree char *path = g_strdup_printf("/conn/uri/classify/%s", name);
    g_test_add_data_func(path, &uri_cases[i], test_classification);
  }
  g_test_add_func("/conn/uri/embed", test_embed);
  g_test_add_func("/conn/magic/caps-domcaps-fakeuri", test_magic);
  g_test_add_func("/conn/magic/quoting", test_magic_quoting);
  g_test_add_func("/conn/magic/bad-options", test_magic_bad_options);
  g_test_add_func("/conn/magic/missing-files", test_magic_missing_files);
  g_test_add_func("/conn/open/failure", test_open_failure);
  g_test_add_func("/conn/kvm-access", test_kvm_access);
  g_test_add_func("/conn/test-driver/caps", test_driver_caps);
  g_test_add_func("/conn/test-driver/domains", test_driver_domains);
  g_test_add_func("/conn/test-driver/pools", test_driver_pools);
  g_test_add_func("/conn/test-driver/volumes", test_driver_volumes);
  g_test_add_func("/conn/test-driver/libvirt-errors", test_libvirt_errors);
  lines = facts_expected();
  g_test_add_data_func("/conn/domcaps/virtinst/expected-file",
                       GUINT_TO_POINTER(add_expected(lines)), test_expected_present);

  ret = g_test_run();
  g_hash_table_unref(expected_conns);
  vmi_conn_free(test_conn);
  return ret;
}
