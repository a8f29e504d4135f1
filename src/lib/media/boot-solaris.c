/*
 * Solaris media as install media: the xVM rules of the solaris module
 * applied to a VmiMedia (a PV guest boots the medium's own PV kernel and
 * ramdisk, 32- or 64-bit by the rule).
 */
#include "media-private.h"
#include "solaris.h"

gboolean
vmi_media_solaris_has_file(const char *path, gpointer data, gboolean *exists, GError **error)
{
  GError *local = NULL;

  *exists = vmi_media_has_file(data, path, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

gboolean
vmi_media_find_solaris_boot_files(const VmiInstall *install, const VmiMediaQuery *query,
                                  VmiBootFiles *files, gboolean *done, GError **error)
{
  VmiSolarisMedia m;
  const VmiSolarisPair *pair = NULL;
  gboolean use64;

  *done = FALSE;
  if (!vmi_solaris_check_pxe(query ? query->os_type : NULL,
                             install->method == VMI_INSTALL_PXE ||
                             !g_strcmp0(install->bootdev, "network"), error))
    return FALSE;
  /* only PV boots take the kernel out of the media */
  if (!files->media || install->location_kernel || !query ||
      !vmi_os_type_is_xen_pv(query->os_type))
    return TRUE;
  if (!vmi_solaris_detect(vmi_media_solaris_has_file, files->media, &m, error)) {
    g_prefix_error(error, "--location: ");
    return FALSE;
  }
  if (m.release == VMI_SOLARIS_NONE)
    return TRUE;
  use64 = vmi_solaris_use_64bit(query->memory_mib, query->host_64bit);
  if (!vmi_solaris_find_boot_files(vmi_media_solaris_has_file, files->media, m.release, use64,
                                   &pair, error)) {
    g_prefix_error(error, "--location '%s': ", install->location);
    return FALSE;
  }
  g_free(files->kernel);
  g_free(files->initrd);
  g_free(files->layout);
  g_free(files->info.family);
  files->kernel = g_strdup(pair->kernel);
  files->initrd = g_strdup(pair->ramdisk);
  files->layout = vmi_solaris_layout(&m);
  files->info.family = g_strdup("solaris");
  *done = TRUE;
  return TRUE;
}
