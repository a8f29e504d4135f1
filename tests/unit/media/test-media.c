/*
 * Unit tests of the media module (GLib test, TAP): paths, the .treeinfo
 * reader, ISO images read with libarchive, staging and its cleanup, kernel
 * arguments, network-install memory, the QEMU user's access check, and
 * (with a libvirtd) uploading to a storage pool.
 *
 * The ISO and tree cases use the fixtures of tests/media-trees/
 * build-trees.sh, in $G_TEST_BUILDDIR/media-trees (meson builds them
 * first); they are skipped when absent.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "vminstall/error.h"
#include "media.h"
#include "media-private.h"

static char *
fixture(const char *rel)
{
  const char *dir = g_getenv("G_TEST_BUILDDIR");
  char *path = g_build_filename(dir ? dir : ".", "media-trees", rel, NULL);

  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_free(path);
    return NULL;
  }
  return path;
}

#define NEED_FIXTURE(var, rel)                                  \
  g_autofree char *var = fixture(rel);                          \
  if (!var) {                                                   \
    g_test_skip("fixture " rel " not built");                  \
    return;                                                     \
  }

/* ------------------------------------------------------------ paths */

static void
test_normalize(void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "a/b", "a/b" }, { "/a//b/", "a/b" }, { "./a/./b", "a/b" },
    { "a/../b", "b" }, { "a/b/../../c", "c" }, { "..", NULL }, { "a/../..", NULL },
    { "", NULL }, { "/", NULL }, { "../etc/passwd", NULL }, { "a/../../etc", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *got = vmi_media_path_normalize(cases[i].in);
    g_assert_cmpstr(got, ==, cases[i].out);
  }
  {
    g_autofree char *a = vmi_media_path_resolve_link("images/pxeboot/vmlinuz", "../../real/k");
    g_autofree char *b = vmi_media_path_resolve_link("images/vmlinuz", "/etc/passwd");
    g_autofree char *c = vmi_media_path_resolve_link("vmlinuz", "../../x");
    g_autofree char *d = vmi_media_path_resolve_link("vmlinuz", "k2");
    g_assert_cmpstr(a, ==, "real/k");
    g_assert_null(b);
    g_assert_null(c);
    g_assert_cmpstr(d, ==, "k2");
  }
}

/* ------------------------------------------------------------ .treeinfo */

static void
test_treeinfo(void)
{
  const char *text =
    "# comment\n"
    "[general]\n"
    "Family: Fedora\n"
    "; another\n"
    "VERSION = 36\n"
    "name = Fedora\n"
    "  Server 36\n"
    "\n"
    "[images-x86_64]\r\n"
    "kernel=images/pxeboot/vmlinuz\r\n"
    "initrd = images/pxeboot/initrd.img = odd\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiTreeinfo) ti = vmi_treeinfo_parse(text, strlen(text), &error);

  g_assert_no_error(error);
  g_assert_cmpstr(vmi_treeinfo_get(ti, "general", "family"), ==, "Fedora");
  g_assert_cmpstr(vmi_treeinfo_get(ti, "general", "FAMILY"), ==, "Fedora");
  g_assert_cmpstr(vmi_treeinfo_get(ti, "general", "version"), ==, "36");
  g_assert_cmpstr(vmi_treeinfo_get(ti, "general", "name"), ==, "Fedora\nServer 36");
  g_assert_cmpstr(vmi_treeinfo_get(ti, "images-x86_64", "kernel"), ==, "images/pxeboot/vmlinuz");
  g_assert_cmpstr(vmi_treeinfo_get(ti, "images-x86_64", "initrd"), ==,
                  "images/pxeboot/initrd.img = odd");
  g_assert_null(vmi_treeinfo_get(ti, "General", "family"));   /* sections: case-sensitive */
  g_assert_null(vmi_treeinfo_get(ti, "images-xen", "kernel"));

  static const char *const bad[] = { "key = before any section\n", "[general]\nno delimiter\n",
                                     "[]\n", "[general\n", "[general]\n = empty key\n" };
  for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_autoptr(GError) e = NULL;
    g_autoptr(VmiTreeinfo) t = vmi_treeinfo_parse(bad[i], strlen(bad[i]), &e);
    g_assert_null(t);
    g_assert_error(e, VMI_ERROR, VMI_ERROR_INVALID);
  }
}

/* ------------------------------------------------------------ ISO images */

static char *
read_all(const char *path, gsize *len)
{
  char *data = NULL;

  g_assert_true(g_file_get_contents(path, &data, len, NULL));
  return data;
}

static void
test_iso_read(void)
{
  NEED_FIXTURE(iso, "isos/debian11-netinst.iso");
  NEED_FIXTURE(src, "src/debian11-netinst");
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiMedia) media = vmi_media_open(iso, NULL, &error);
  const VmiIsoInfo *info;
  g_autofree char *info_text = NULL;
  g_autofree char *dir = g_dir_make_tmp("vmi-media-XXXXXX", NULL);
  g_autofree char *k = g_build_filename(dir, "k", NULL);
  g_autofree char *i = g_build_filename(dir, "i", NULL);
  const char *paths[] = { "install.amd/vmlinuz", "install.amd/initrd.gz" };
  int fds[2];
  guint64 before;

  g_assert_no_error(error);
  g_assert_cmpint(vmi_media_get_kind(media), ==, VMI_MEDIA_ISO);
  info = vmi_media_get_iso_info(media);
  g_assert_cmpstr(info->volume_id, ==, "Debian 11.5.0 amd64 n");
  g_assert_true(info->el_torito);
  g_assert_true(info->joliet);
  g_assert_true(info->rock_ridge);

  g_assert_true(vmi_media_has_file(media, "install.amd/vmlinuz", &error));
  g_assert_true(vmi_media_has_file(media, "/install.amd//vmlinuz", &error));
  g_assert_false(vmi_media_has_file(media, "install.amd/nope", &error));
  g_assert_false(vmi_media_has_file(media, "install.amd", &error));   /* a directory */
  g_assert_no_error(error);
  g_assert_false(vmi_media_has_file(media, "../x", &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_clear_error(&error);

  /* detection files come from the first pass */
  info_text = vmi_media_read_file(media, ".disk/info", 4096, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(g_str_has_prefix(info_text, "Debian GNU/Linux 11.5.0"));

  /* one pass extracts both, reading little more than they hold */
  fds[0] = open(k, O_RDWR | O_CREAT, 0644);
  fds[1] = open(i, O_RDWR | O_CREAT, 0644);
  before = vmi_media_bytes_read(media);
  g_assert_true(vmi_media_extract(media, paths, fds, 2, &error));
  g_assert_no_error(error);
  close(fds[0]);
  close(fds[1]);
  {
    g_autofree char *sk = g_build_filename(src, paths[0], NULL);
    g_autofree char *si = g_build_filename(src, paths[1], NULL);
    gsize a, b, c, d;
    g_autofree char *x = read_all(k, &a);
    g_autofree char *y = read_all(sk, &b);
    g_autofree char *z = read_all(i, &c);
    g_autofree char *w = read_all(si, &d);
    g_assert_cmpmem(x, a, y, b);
    g_assert_cmpmem(z, c, w, d);
    g_assert_cmpuint(vmi_media_bytes_read(media) - before, <, (a + c) + 2 * 1024 * 1024);
  }
  g_unlink(k);
  g_unlink(i);
  g_rmdir(dir);
}

static void
test_iso_links(void)
{
  NEED_FIXTURE(iso, "isos/rr-links.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiMedia) media = vmi_media_open(iso, NULL, &error);
  g_autofree char *k = NULL;

  g_assert_no_error(error);
  /* a symlink and a hard link, both inside the image */
  k = vmi_media_read_file(media, "images/pxeboot/vmlinuz", 1 << 20, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(g_str_has_prefix(k, "VMINSTALL TEST KERNEL src/links/real/vmlinuz-5.10"));
  g_assert_true(vmi_media_has_file(media, "images/pxeboot/initrd.img", &error));
  g_assert_no_error(error);
}

static void
test_iso_plain_names(void)
{
  NEED_FIXTURE(iso, "isos/ubuntu-plain9660.iso");
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiMedia) media = vmi_media_open(iso, NULL, &error);

  g_assert_no_error(error);
  g_assert_false(vmi_media_get_iso_info(media)->rock_ridge);
  /* CASPER/VMLINUZ answers for casper/vmlinuz */
  g_assert_true(vmi_media_has_file(media, "casper/vmlinuz", &error));
  g_assert_no_error(error);
}

static void
test_iso_broken(void)
{
  static const struct { const char *rel; const char *needle; } cases[] = {
    { "isos/broken-truncated.iso", "truncated" },
    { "isos/broken-garbage.iso", "neither a directory nor an ISO 9660 image" },
    { "isos/broken-empty.iso", "too small" },
    { "isos/broken-dir-loop.iso", "loop" },
    { "isos/broken-smashed-dir.iso", "corrupt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *iso = fixture(cases[i].rel);
    g_autoptr(GError) error = NULL;
    g_autoptr(VmiMedia) media = NULL;

    if (!iso) {
      g_test_skip("fixtures not built");
      return;
    }
    media = vmi_media_open(iso, NULL, &error);
    g_assert_null(media);
    g_assert_nonnull(error);
    if (!strstr(error->message, cases[i].needle))
      g_error("%s: '%s' lacks '%s'", cases[i].rel, error->message, cases[i].needle);
    g_assert_nonnull(strstr(error->message, iso));
  }
}

/* ------------------------------------------------------------ staging */

static guint
count_files(const char *dir)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name(d))
    n++;
  return n;
}

static void
stage_from(const char *location, const char *arch, gboolean expect_ok)
{
  VmiInstall install = { .location = (char *)location,
                         .extra_args = g_ptr_array_new_with_free_func(g_free) };
  VmiMediaQuery query = { .arch = arch, .os_type = "hvm" };
  g_auto(VmiBootFiles) files = { 0 };
  g_auto(VmiStaged) staged = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp("vmi-stage-XXXXXX", NULL);
  gboolean ok;

  ok = vmi_media_prepare(&install, NULL, FALSE, &files, &error) &&
       vmi_media_find_boot_files(&install, &query, &files, &error) &&
       vmi_media_stage(&files, dir, TRUE, &staged, &error);
  if (expect_ok) {
    g_assert_no_error(error);
    g_assert_true(ok);
    g_assert_true(g_file_test(staged.kernel, G_FILE_TEST_IS_REGULAR));
    g_assert_true(g_str_has_prefix(staged.kernel, dir));
    g_assert_nonnull(strstr(staged.kernel, "/vminstall-"));
    g_assert_cmpuint(count_files(dir), ==, 2);
    {
      struct stat st;
      g_assert_cmpint(stat(staged.initrd, &st), ==, 0);
      g_assert_cmpint(st.st_mode & 0777, ==, 0644);   /* the hypervisor's user reads it */
    }
  } else {
    g_assert_false(ok);
    g_assert_nonnull(error);
  }
  vmi_staged_clear(&staged);
  vmi_staged_clear(&staged);   /* twice is fine */
  g_assert_cmpuint(count_files(dir), ==, 0);
  g_rmdir(dir);
  g_ptr_array_unref(install.extra_args);
}

static void
test_stage(void)
{
  NEED_FIXTURE(iso, "isos/fedora36-dvd.iso");
  NEED_FIXTURE(tree, "trees/treeinfo-fedora36");
  NEED_FIXTURE(huge, "trees/broken-absurd-size");
  NEED_FIXTURE(cut, "isos/broken-extent-outside.iso");

  stage_from(iso, "x86_64", TRUE);
  stage_from(tree, "x86_64", TRUE);
  stage_from(huge, "x86_64", FALSE);   /* 3 GiB kernel: refused, nothing left */
  stage_from(cut, "x86_64", FALSE);
}

static void
test_stage_print_only(void)
{
  VmiBootFiles files = { .kernel = (char *)"images/pxeboot/vmlinuz",
                         .initrd = (char *)"images/pxeboot/initrd.img" };
  g_auto(VmiStaged) staged = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true(vmi_media_stage(&files, "/nonexistent", FALSE, &staged, &error));
  g_assert_true(g_str_has_prefix(staged.kernel, "/nonexistent/vminstall-"));
  g_assert_true(g_str_has_suffix(staged.initrd, "-initrd.img"));
  g_assert_false(staged.copied);
}

/* ------------------------------------------------------------ kernel args, memory */

static void
test_kernel_args(void)
{
  VmiInstall install = { .location = (char *)"http://example.org/tree",
                         .extra_args = g_ptr_array_new_with_free_func(g_free) };
  VmiBootFiles files = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  char *args;

  files.media = vmi_media_open(install.location, NULL, &error);
  g_assert_no_error(error);
  g_ptr_array_add(install.extra_args, g_strdup("console=ttyS0"));
  g_ptr_array_add(install.extra_args, g_strdup("quiet"));
  args = vmi_media_kernel_args(&install, &files, "inst.repo", NULL, warnings);
  g_assert_cmpstr(args, ==, "console=ttyS0 quiet inst.repo=http://example.org/tree");
  g_free(args);
  /* no argument known for the OS: only --extra-args */
  args = vmi_media_kernel_args(&install, &files, NULL, NULL, warnings);
  g_assert_cmpstr(args, ==, "console=ttyS0 quiet");
  g_free(args);
  /* --install kernel_args= replaces --extra-args, the method's stays */
  install.kernel_args = (char *)"a=b";
  args = vmi_media_kernel_args(&install, &files, "method", NULL, warnings);
  g_assert_cmpstr(args, ==, "a=b method=http://example.org/tree");
  g_free(args);
  /* kernel_args_overwrite=yes: exactly that */
  install.kernel_args_overwrite = TRUE;
  args = vmi_media_kernel_args(&install, &files, "method", NULL, warnings);
  g_assert_cmpstr(args, ==, "a=b");
  g_free(args);
  g_assert_cmpuint(warnings->len, ==, 0);

  /* network installs: more memory only when needed */
  files.network = TRUE;
  g_assert_cmpint(vmi_media_install_memory_kib(&files, 1048576, 3221225472), ==, 3145728);
  g_assert_cmpint(vmi_media_install_memory_kib(&files, 4194304, 3221225472), ==, 0);
  g_assert_cmpint(vmi_media_install_memory_kib(&files, 1048576, -1), ==, 0);
  files.network = FALSE;
  g_assert_cmpint(vmi_media_install_memory_kib(&files, 1048576, 3221225472), ==, 0);
  vmi_media_free(files.media);
  g_ptr_array_unref(install.extra_args);
}

static void
test_nfs(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiMedia) media = vmi_media_open("nfs://host/export/tree", NULL, &error);

  g_assert_null(media);
  g_assert_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED);
  g_assert_nonnull(strstr(error->message, "mount"));
  g_clear_error(&error);
  media = vmi_media_open("gopher://host/tree", NULL, &error);
  g_assert_null(media);
  g_assert_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED);
}

/* ------------------------------------------------------------ QEMU access */

static void
test_access(void)
{
  g_autofree char *dir = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *iso = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid() != 0) {
    g_test_skip("needs root to take another user's identity");
    return;
  }
  dir = g_dir_make_tmp("vmi-access-XXXXXX", NULL);
  chmod(dir, 0755);
  sub = g_build_filename(dir, "home", NULL);
  g_mkdir(sub, 0700);
  iso = g_build_filename(sub, "x.iso", NULL);
  g_file_set_contents(iso, "iso", 3, NULL);
  chmod(iso, 0644);

  /* nobody cannot enter a 0700 directory of root's */
  g_assert_false(vmi_media_check_access(iso, "nobody", 65534, 65534, &error));
  g_assert_nonnull(strstr(error->message, "'nobody'"));
  g_assert_nonnull(strstr(error->message, "setfacl -m u:nobody:x"));
  g_assert_nonnull(strstr(error->message, sub));
  g_clear_error(&error);

  chmod(sub, 0711);
  g_assert_true(vmi_media_check_access(iso, "nobody", 65534, 65534, &error));
  g_assert_no_error(error);

  chmod(iso, 0600);
  g_assert_false(vmi_media_check_access(iso, "nobody", 65534, 65534, &error));
  g_assert_nonnull(strstr(error->message, "setfacl -m u:nobody:r"));
  g_clear_error(&error);

  g_unlink(iso);
  g_rmdir(sub);
  g_rmdir(dir);
}

/* ------------------------------------------------------------ remote upload */

static void
test_upload(void)
{
  NEED_FIXTURE(iso, "isos/debian11-netinst.iso");
  VmiInstall install = { .location = iso,
                         .extra_args = g_ptr_array_new_with_free_func(g_free) };
  VmiMediaQuery query = { .arch = "x86_64", .os_type = "hvm" };
  g_auto(VmiBootFiles) files = { 0 };
  g_auto(VmiStaged) staged = { 0 };
  g_autoptr(GError) error = NULL;
  virConnectPtr conn;
  virStorageVolPtr vol;

  if (g_strcmp0(g_getenv("VMI_TEST_HAVE_LIBVIRTD"), "1") != 0) {
    g_test_skip("needs a libvirtd (VMI_TEST_HAVE_LIBVIRTD=1)");
    g_ptr_array_unref(install.extra_args);
    return;
  }
  conn = virConnectOpen("qemu:///system");
  g_assert_nonnull(conn);
  g_assert_true(vmi_media_prepare(&install, NULL, FALSE, &files, &error));
  g_assert_true(vmi_media_find_boot_files(&install, &query, &files, &error));
  g_assert_true(vmi_media_stage_upload(&files, conn, FALSE, &staged, &error));
  g_assert_no_error(error);
  g_assert_nonnull(staged.kernel_vol);
  vol = virStorageVolLookupByPath(conn, staged.kernel);
  g_assert_nonnull(vol);
  {
    virStorageVolInfo info;
    g_assert_cmpint(virStorageVolGetInfo(vol, &info), ==, 0);
    g_assert_cmpuint(info.capacity, >, 0);
  }
  virStorageVolFree(vol);
  {
    g_autofree char *path = g_strdup(staged.kernel);
    vmi_staged_clear(&staged);
    vol = virStorageVolLookupByPath(conn, path);
    g_assert_null(vol);   /* deleted */
  }
  virConnectClose(conn);
  g_ptr_array_unref(install.extra_args);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/media/path/normalize", test_normalize);
  g_test_add_func("/media/treeinfo/parse", test_treeinfo);
  g_test_add_func("/media/iso/read-extract", test_iso_read);
  g_test_add_func("/media/iso/links", test_iso_links);
  g_test_add_func("/media/iso/plain-names", test_iso_plain_names);
  g_test_add_func("/media/iso/broken", test_iso_broken);
  g_test_add_func("/media/stage/copy-and-clear", test_stage);
  g_test_add_func("/media/stage/print-only", test_stage_print_only);
  g_test_add_func("/media/kernel-args", test_kernel_args);
  g_test_add_func("/media/nfs", test_nfs);
  g_test_add_func("/media/access/qemu-user", test_access);
  g_test_add_func("/media/stage/upload", test_upload);
  return g_test_run();
}
