/*
 * Kernel and initrd of local install trees, by layout: .treeinfo, the
 * Debian/Ubuntu mirror layout, Debian install CDs, Fedora pxeboot.
 */
#include <string.h>
#include "vminstall/media.h"
#include "vminstall/error.h"

void
vmi_boot_files_clear(VmiBootFiles *files)
{
  g_clear_pointer(&files->kernel, g_free);
  g_clear_pointer(&files->initrd, g_free);
  g_clear_pointer(&files->cdrom, g_free);
  g_clear_pointer(&files->layout, g_free);
}

static gboolean
file_matches(const char *path, const char *needle_a, const char *needle_b)
{
  g_autofree char *data = NULL;

  if (!g_file_get_contents(path, &data, NULL, NULL))
    return FALSE;
  return strstr(data, needle_a) || (needle_b && strstr(data, needle_b));
}

static gboolean
try_pair(const char *tree, const char *k, const char *i, const char *layout,
         VmiBootFiles *out)
{
  g_autofree char *kp = g_build_filename(tree, k, NULL);
  g_autofree char *ip = g_build_filename(tree, i, NULL);

  if (!g_file_test(kp, G_FILE_TEST_IS_REGULAR) || !g_file_test(ip, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  out->kernel = g_steal_pointer(&kp);
  out->initrd = g_steal_pointer(&ip);
  out->layout = g_strdup(layout);
  return TRUE;
}

static gboolean
find_treeinfo(const char *tree, const char *os_type, VmiBootFiles *out)
{
  g_autofree char *path = g_build_filename(tree, ".treeinfo", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *arch = NULL;
  g_autofree char *group = NULL;
  g_autofree char *k = NULL;
  g_autofree char *i = NULL;

  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  arch = g_key_file_get_string(kf, "general", "arch", NULL);
  group = g_strdup_printf("images-%s", g_strcmp0(os_type, "xen") == 0 ? "xen" : arch);
  k = g_key_file_get_string(kf, group, "kernel", NULL);
  i = g_key_file_get_string(kf, group, "initrd", NULL);
  if (!k || !i)
    return FALSE;
  g_strstrip(k);
  g_strstrip(i);
  return try_pair(tree, k, i, "treeinfo", out);
}

/* Architecture name in a Debian mirror path (installer-amd64). */
static char *
debian_tree_arch(const char *tree)
{
  g_autofree char *base = g_path_get_basename(tree);

  if (g_str_has_prefix(base, "installer-"))
    return g_strdup(base + strlen("installer-"));
  for (const char *const *a = (const char *const[]){ "i386", "amd64", "arm64", NULL }; *a; a++)
    if (strstr(tree, *a))
      return g_strdup(*a);
  if (strstr(tree, "x86_64"))
    return g_strdup("amd64");
  return g_strdup("i386");
}

static gboolean
find_debian(const char *tree, const char *arch, const char *os_type, VmiBootFiles *out)
{
  g_autofree char *manifest = g_build_filename(tree, "current/images/MANIFEST", NULL);
  g_autofree char *info = g_build_filename(tree, ".disk/info", NULL);

  if (file_matches(manifest, "Debian", "debian") || file_matches(manifest, "Ubuntu", "ubuntu")) {
    gboolean ubuntu = file_matches(manifest, "Ubuntu", "ubuntu");
    g_autofree char *tarch = debian_tree_arch(tree);
    g_autofree char *root = g_strdup_printf("current/images/netboot/%s-installer/%s",
                                            ubuntu ? "ubuntu" : "debian", tarch);
    g_autofree char *k = g_strdup_printf("%s/linux", root);
    g_autofree char *i = g_strdup_printf("%s/initrd.gz", root);
    if (g_strcmp0(os_type, "xen") == 0 &&
        try_pair(tree, "current/images/netboot/xen/vmlinuz",
                 "current/images/netboot/xen/initrd.gz", "debian-url", out))
      return TRUE;
    return try_pair(tree, k, i, "debian-url", out);
  }
  if (file_matches(info, "Debian", NULL)) {
    const char *dir = g_strcmp0(arch, "x86_64") == 0 ? "install.amd"
                      : g_strcmp0(arch, "i686") == 0 ? "install.386"
                      : g_strcmp0(arch, "aarch64") == 0 ? "install.a64" : "install";
    g_autofree char *k = g_strdup_printf("%s/vmlinuz", dir);
    g_autofree char *i = g_strdup_printf("%s/initrd.gz", dir);
    return try_pair(tree, k, i, "debian-cd", out);
  }
  if (file_matches(info, "Ubuntu", NULL))
    return try_pair(tree, "install/vmlinuz", "install/initrd.gz", "ubuntu-cd", out) ||
           try_pair(tree, "casper/vmlinuz", "casper/initrd", "ubuntu-live", out);
  return FALSE;
}

static gboolean
find_pxeboot(const char *tree, const char *os_type, VmiBootFiles *out)
{
  if (g_strcmp0(os_type, "xen") == 0 &&
      try_pair(tree, "images/xen/vmlinuz", "images/xen/initrd.img", "pxeboot", out))
    return TRUE;
  return try_pair(tree, "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img", "pxeboot", out);
}

static gboolean
absolute_existing(const char *what, const char *path, char **out, GError **error)
{
  g_autofree char *abs = g_canonicalize_filename(path, NULL);

  if (!g_file_test(abs, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--install %s: '%s' is not a readable file", what, path);
    return FALSE;
  }
  *out = g_steal_pointer(&abs);
  return TRUE;
}

gboolean
vmi_media_find_boot_files(const VmiInstall *install, const char *arch,
                          const char *os_type, VmiBootFiles *out, GError **error)
{
  memset(out, 0, sizeof(*out));

  if (install->kernel || install->initrd) {
    if (!install->kernel || !install->initrd) {
      g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                          "--install: kernel= and initrd= must be given together");
      return FALSE;
    }
    out->layout = g_strdup("kernel");
    return absolute_existing("kernel", install->kernel, &out->kernel, error) &&
           absolute_existing("initrd", install->initrd, &out->initrd, error);
  }
  if (!install->location)
    return TRUE;

  if (!!install->location_kernel != !!install->location_initrd) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--location: kernel= and initrd= must be given together");
    return FALSE;
  }
  if (strstr(install->location, "://")) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--location: URL install sources are not supported yet: '%s' "
                "(mount or download the tree and pass its directory)", install->location);
    return FALSE;
  }

  g_autofree char *tree = g_canonicalize_filename(install->location, NULL);
  if (!g_file_test(tree, G_FILE_TEST_EXISTS)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--location: '%s' does not exist", install->location);
    return FALSE;
  }
  if (!g_file_test(tree, G_FILE_TEST_IS_DIR)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--location: reading install trees from ISO images is not supported yet: '%s'",
                install->location);
    return FALSE;
  }

  if (install->location_kernel) {
    if (try_pair(tree, install->location_kernel, install->location_initrd, "explicit", out))
      return TRUE;
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--location: kernel '%s' or initrd '%s' not found in '%s'",
                install->location_kernel, install->location_initrd, install->location);
    return FALSE;
  }
  if (find_treeinfo(tree, os_type, out) || find_debian(tree, arch, os_type, out) ||
      find_pxeboot(tree, os_type, out))
    return TRUE;
  g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
              "--location: could not find an installable distribution at '%s' "
              "(no .treeinfo, Debian/Ubuntu or Fedora layout; give kernel=,initrd= to name the files)",
              install->location);
  return FALSE;
}

char *
vmi_media_kernel_args(const VmiInstall *install)
{
  if (install->kernel_args && install->kernel_args_overwrite)
    return g_strdup(install->kernel_args);
  if (install->kernel_args)
    return g_strdup(install->kernel_args);
  return vmi_install_extra_args(install);
}
