/*
 * The install's media as virt-install's InstallerTreeMedia sees them:
 * which source --location names, the OS it holds, the kernel and initrd
 * to boot, the kernel arguments the method needs and whether the
 * installer needs the network (and so more memory).
 */
#include <string.h>
#include "media-private.h"
#include "vminstall/error.h"
#include "osinfo.h"
#include "solaris.h"

void
vmi_boot_files_clear(VmiBootFiles *files)
{
  g_clear_pointer(&files->media, vmi_media_free);
  g_clear_pointer(&files->kernel, g_free);
  g_clear_pointer(&files->initrd, g_free);
  g_clear_pointer(&files->cdrom, g_free);
  g_clear_pointer(&files->layout, g_free);
  g_clear_pointer(&files->os_name, g_free);
  vmi_media_info_clear(&files->info);
  files->network = FALSE;
}

static gboolean
is_url(const char *s)
{
  return g_str_has_prefix(s, "http://") || g_str_has_prefix(s, "https://") ||
         g_str_has_prefix(s, "ftp://");
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
vmi_media_prepare(const VmiInstall *install, const VmiMediaOptions *opts, gboolean remote,
                  VmiBootFiles *out, GError **error)
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
  if (!!install->location_kernel != !!install->location_initrd) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--location: kernel= and initrd= must be given together");
    return FALSE;
  }
  if (!install->location)
    return TRUE;
  if (remote && !is_url(install->location)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--location: '%s' is a local path, which a remote connection cannot use "
                "(give an http://, https:// or ftp:// URL)", install->location);
    return FALSE;
  }
  out->media = vmi_media_open(install->location, opts, error);
  if (!out->media) {
    g_prefix_error(error, "--location: ");
    return FALSE;
  }
  switch (vmi_media_get_kind(out->media)) {
  case VMI_MEDIA_ISO:
    /* the image itself is the install cdrom, as in virt-install */
    out->cdrom = g_strdup(vmi_media_get_location(out->media));
    break;
  case VMI_MEDIA_DIR:
  case VMI_MEDIA_URL:
    out->network = TRUE;
    break;
  }
  return TRUE;
}

gboolean
vmi_media_detect_os(VmiBootFiles *files, const VmiInstall *install, char **os_name,
                    GError **error)
{
  *os_name = NULL;
  if (files->media) {
    vmi_media_info_clear(&files->info);
    if (!vmi_media_detect(files->media, NULL, &files->info, error)) {
      g_prefix_error(error, "--location: ");
      return FALSE;
    }
    *os_name = g_strdup(files->info.os_name);
    return TRUE;
  }
  if (install->cdrom && !files->media) {
    /* like virt-install, an unreadable or odd image is just not detected */
    g_autoptr(VmiIsoInfo) iso = vmi_iso_info_read(install->cdrom, NULL);
    g_autoptr(VmiOsMedia) media = iso ? vmi_iso_info_identify(iso, NULL) : NULL;

    if (media)
      *os_name = g_strdup(media->os_name);
  }
  return TRUE;
}

static char *
pair_list(const VmiMediaInfo *info)
{
  g_autoptr(GString) s = g_string_new(NULL);

  for (guint i = 0; info->pairs && i < info->pairs->len && i < 4; i++) {
    const VmiBootPair *p = info->pairs->pdata[i];
    g_string_append_printf(s, "%s%s + %s", s->len ? "; " : "", p->kernel, p->initrd);
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

gboolean
vmi_media_find_boot_files(const VmiInstall *install, const VmiMediaQuery *query,
                          VmiBootFiles *files, GError **error)
{
  const char *loc;
  const VmiBootPair *pair;
  GError *local = NULL;
  gboolean solaris = FALSE;

  /* xVM: no PXE for PV guests; Solaris media (boot-solaris.c) */
  if (!vmi_media_find_solaris_boot_files(install, query, files, &solaris, error) || solaris)
    return solaris;
  if (!files->media)
    return TRUE;
  loc = install->location;

  vmi_media_info_clear(&files->info);
  if (!vmi_media_detect(files->media, query, &files->info, error)) {
    g_prefix_error(error, "--location: ");
    return FALSE;
  }
  g_free(files->os_name);
  files->os_name = g_strdup(files->info.os_name);
  if (vmi_media_get_kind(files->media) == VMI_MEDIA_ISO && !files->info.netinst)
    files->network = FALSE;
  else if (vmi_media_get_kind(files->media) == VMI_MEDIA_ISO)
    files->network = TRUE;

  if (install->location_kernel) {
    gboolean k = vmi_media_has_file(files->media, install->location_kernel, &local);
    gboolean i = !local && k && vmi_media_has_file(files->media, install->location_initrd,
                                                   &local);
    if (local) {
      g_propagate_prefixed_error(error, local, "--location: ");
      return FALSE;
    }
    if (!k || !i) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                  "--location: %s '%s' not found in '%s'", k ? "initrd" : "kernel",
                  k ? install->location_initrd : install->location_kernel, loc);
      return FALSE;
    }
    files->kernel = vmi_media_path_normalize(install->location_kernel);
    files->initrd = vmi_media_path_normalize(install->location_initrd);
    files->layout = g_strdup("explicit");
    return TRUE;
  }

  if (!files->info.family) {
    const char *hint = "";
    if (vmi_media_get_kind(files->media) == VMI_MEDIA_URL &&
        !vmi_media_url_accessible(files->media))
      hint = "; the URL could not be accessed, maybe it is mistyped";
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--location: could not find an installable distribution at '%s'%s "
                "(the location must be the root of an install tree: .treeinfo, "
                "Debian/Ubuntu, SUSE, Mageia, Mandriva or ALT layout, or an install ISO; "
                "give kernel=,initrd= to name the files)", loc, hint);
    return FALSE;
  }
  /* PV Solaris installs were handled first (boot-solaris.c) */
  if (g_str_equal(files->info.family, "solaris")) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--location '%s' holds Solaris media (%s), whose kernel boots only in a "
                "Xen PV guest: add --paravirt, or install an HVM guest from the ISO with "
                "--cdrom", loc, files->info.layout);
    return FALSE;
  }
  pair = vmi_media_info_find_pair(&files->info, files->media, error);
  if (!pair) {
    g_autofree char *tried = NULL;
    if (error && *error) {
      g_prefix_error(error, "--location: ");
      return FALSE;
    }
    tried = pair_list(&files->info);
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--location: found a %s install tree at '%s' but not its kernel and initrd "
                "(looked for %s; give kernel=,initrd= to name the files)",
                files->info.family, loc, *tried ? tried : "nothing the tree names");
    return FALSE;
  }
  files->kernel = g_strdup(pair->kernel);
  files->initrd = g_strdup(pair->initrd);
  files->layout = g_strdup(files->info.layout ? files->info.layout : files->info.family);
  return TRUE;
}

gboolean
vmi_media_can_boot_64bit(const char *host_arch, const char *guest_arch)
{
  return vmi_arch_is_64bit(host_arch) && (!guest_arch || vmi_arch_is_64bit(guest_arch));
}

char *
vmi_boot_files_local_path(const VmiBootFiles *files, const char *path)
{
  if (!path)
    return NULL;
  if (!files->media)
    return g_strdup(path);
  if (vmi_media_get_kind(files->media) == VMI_MEDIA_DIR)
    return g_build_filename(vmi_media_get_location(files->media), path, NULL);
  return NULL;
}

char *
vmi_media_kernel_args(const VmiInstall *install, const VmiBootFiles *files,
                      const char *url_arg, const char *unattended_args, GPtrArray *warnings)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func(g_free);
  char *ret;

  if (install->kernel_args && install->kernel_args_overwrite)
    return g_strdup(install->kernel_args);
  if (install->kernel_args)
    g_ptr_array_add(args, g_strdup(install->kernel_args));
  else
    for (guint i = 0; i < install->extra_args->len; i++)
      g_ptr_array_add(args, g_strdup(install->extra_args->pdata[i]));
  /* unattended installs: the scripts' arguments instead of the URL's */
  if (unattended_args) {
    if (*unattended_args)
      g_ptr_array_add(args, g_strdup(unattended_args));
  } else if (files->media && vmi_media_get_kind(files->media) == VMI_MEDIA_URL && url_arg)
    g_ptr_array_add(args, g_strdup_printf("%s=%s", url_arg, install->location));
  if (args->len == 0) {
    if (files->media && vmi_media_get_kind(files->media) == VMI_MEDIA_DIR && warnings)
      g_ptr_array_add(warnings,
                      g_strdup("Directory tree installs typically do not work unless extra "
                               "kernel args are passed to point the installer at a network "
                               "accessible install tree."));
    return NULL;
  }
  g_ptr_array_add(args, NULL);
  ret = g_strjoinv(" ", (char **)args->pdata);
  return ret;
}

gint64
vmi_media_install_memory_kib(const VmiBootFiles *files, gint64 current_kib, gint64 ram_bytes)
{
  gint64 kib;

  if (!files->media || !files->network || ram_bytes <= 0)
    return 0;
  kib = ram_bytes / 1024;
  return kib > current_kib ? kib : 0;
}
