/*
 * The install's Solaris steps: the PV installer's -B command line from the
 * guest, its media and the host's facts, and what the post-install phase
 * boots for --boot zfs_bootfs= (the plan applies it).
 */
#include <string.h>
#include "install.h"
#include "error-util.h"
#include "solaris.h"
#include "xmlnode.h"

gboolean
vmi_install_solaris_kernel_args(const VmiRequest *req, const VmiGuest *guest,
                                const VmiBootFiles *files, char **kernel_args, GError **error)
{
  VmiSolarisBootFacts f = { 0 };
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *extra = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *location = NULL;
  g_autofree char *mounts = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) nics = NULL;
  char *cmdline;

  f.release = vmi_solaris_release_of_layout(files->layout);
  if (f.release == VMI_SOLARIS_NONE || !files->media)
    return TRUE;
  f.use_64bit = vmi_solaris_kernel_is_64bit(files->kernel);
  location = g_strdup(vmi_media_get_location(files->media));
  switch (vmi_media_get_kind(files->media)) {
  case VMI_MEDIA_ISO:
    f.source = VMI_SOLARIS_SOURCE_ISO;
    break;
  case VMI_MEDIA_URL:
    f.source = g_str_has_prefix(location, "ftp://") ? VMI_SOLARIS_SOURCE_DIR
                                                     : VMI_SOLARIS_SOURCE_HTTP;
    /* as given, without the trailing '/' the media module adds */
    g_free(location);
    location = g_strdup(req->install.location);
    break;
  case VMI_MEDIA_DIR:
    /* a mounted NFS export is an NFS netinstall of the server's path */
    f.source = VMI_SOLARIS_SOURCE_DIR;
    if (g_file_get_contents("/proc/mounts", &mounts, NULL, NULL) &&
        vmi_solaris_nfs_from_mounts(mounts, location, &host, &path)) {
      g_free(location);
      location = g_strdup_printf("nfs:%s:%s", host, path);
      f.source = VMI_SOLARIS_SOURCE_NFS;
    }
    break;
  }
  f.location = location;
  extra = vmi_install_extra_args(&req->install);
  f.extra_args = extra;
  f.autocf = req->install.autocf;
  name = vmi_guest_get(guest, "name");
  nics = vmi_guest_devices(guest, "interface");
  if (nics->len)
    mac = vmi_node_get(g_ptr_array_index(nics, 0), "mac/@address");
  f.mac = mac;
  f.nographics = req->no_graphics;
  if (!vmi_solaris_host_facts(name, &f, strings, error))
    return FALSE;
  cmdline = vmi_solaris_cmdline(&f, error);
  if (!cmdline)
    return FALSE;
  g_free(*kernel_args);
  *kernel_args = cmdline;
  return TRUE;
}

gboolean
vmi_install_solaris_zfs_boot(const VmiRequest *req, const VmiGuest *guest,
                             const VmiBootFiles *files, const VmiOs *os, gboolean host_64bit,
                             VmiSolarisDirectBoot *out, GError **error)
{
  const char *zfs = req->install.zfs_bootfs;
  VmiSolarisRelease release = vmi_solaris_release_of_layout(files ? files->layout : NULL);
  gboolean use64;

  if (!zfs)
    return TRUE;
  if (release == VMI_SOLARIS_NONE && g_strcmp0(os ? vmi_os_family(os) : NULL, "solaris") != 0)
    return vmi_fail_usage(error, "--boot zfs_bootfs: the guest is not Solaris (%s): install it "
                          "from Solaris media, or name a Solaris OS with --osinfo",
                          os && !vmi_os_is_generic(os) ? vmi_os_short_id(os)
                                                       : "no Solaris OS or media");
  if (release != VMI_SOLARIS_NONE && files->kernel)
    use64 = vmi_solaris_kernel_is_64bit(files->kernel);
  else
    use64 = vmi_solaris_use_64bit(vmi_node_get_int(vmi_guest_root(guest), "memory", 0) / 1024,
                                  host_64bit);
  return vmi_solaris_zfs_boot(guest, zfs, use64, out, error);
}
