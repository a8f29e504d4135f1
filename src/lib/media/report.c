/*
 * --inspect-media: what install media hold, without creating anything:
 * the OS, the family and layout, the kernel and initrd an install would
 * boot, the other boot options the media offer and the kernel arguments
 * the method needs.  Solaris media follow the xVM 32/64-bit rule of the
 * query, as an install does.
 */
#include "media-private.h"
#include "error-util.h"

struct _VmiMediaReport {
  VmiMedia *media;
  VmiMediaInfo info;          /* for the guest's arch and hvm */
  const VmiBootPair *chosen;  /* borrowed from info */
  GPtrArray *options;         /* VmiBootPair *, borrowed: every pair that exists */
  VmiMediaInfo xen;           /* the same medium for the other os type */
  char *kernel_args;
};

void
vmi_media_report_free(VmiMediaReport *r)
{
  if (!r)
    return;
  vmi_media_info_clear(&r->info);
  vmi_media_info_clear(&r->xen);
  g_clear_pointer(&r->options, g_ptr_array_unref);
  g_free(r->kernel_args);
  vmi_media_free(r->media);
  g_free(r);
}

/* The pairs of @info that exist on the medium, once each. */
static void
add_options(VmiMediaReport *r, const VmiMediaInfo *info)
{
  for (guint i = 0; info->pairs && i < info->pairs->len; i++) {
    const VmiBootPair *p = info->pairs->pdata[i];
    gboolean dup = FALSE;

    for (guint j = 0; j < r->options->len && !dup; j++) {
      const VmiBootPair *q = r->options->pdata[j];
      dup = g_str_equal(p->kernel, q->kernel) && g_str_equal(p->initrd, q->initrd);
    }
    if (!dup && vmi_media_has_file(r->media, p->kernel, NULL) &&
        vmi_media_has_file(r->media, p->initrd, NULL))
      g_ptr_array_add(r->options, (gpointer)p);
  }
}

static gboolean
inspect(VmiMediaReport *r, const char *location, const VmiInstall *install,
        const VmiMediaQuery *query, VmiDebugFunc debug, gpointer data, GError **error)
{
  VmiMediaQuery other = *query;
  VmiInstall with_location = *install;
  VmiBootFiles files = { 0 };
  g_autoptr(VmiOs) os = NULL;
  GError *local = NULL;

  if (!vmi_media_detect(r->media, query, &r->info, error))
    return FALSE;
  for (guint i = 0; debug && i < r->info.notes->len; i++)
    debug(r->info.notes->pdata[i], data);
  if (!r->info.family)
    return vmi_fail(error, VMI_ERROR_NOT_FOUND,
                    "could not find an installable distribution at '%s'", location);
  r->chosen = vmi_media_info_find_pair(&r->info, r->media, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  if (!r->chosen)
    return vmi_fail(error, VMI_ERROR_NOT_FOUND,
                    "found a %s install tree at '%s' but not its kernel and initrd",
                    r->info.family, location);
  add_options(r, &r->info);
  other.os_type = g_strcmp0(query->os_type, "xen") == 0 ? "hvm" : "xen";
  if (!vmi_media_detect(r->media, &other, &r->xen, error))
    return FALSE;
  add_options(r, &r->xen);

  /* the method's kernel arguments, as an install would add them */
  if (r->info.os_name)
    os = vmi_os_lookup(r->info.os_name, NULL);
  with_location.location = (char *)location;
  files.media = r->media;
  r->kernel_args = vmi_media_kernel_args(&with_location, &files,
                                         os ? vmi_os_kernel_url_arg(os) : NULL, NULL, NULL);
  return TRUE;
}

VmiMediaReport *
vmi_media_report_new(const char *location, const VmiInstall *install,
                     const VmiMediaQuery *query, VmiDebugFunc debug, gpointer data,
                     GError **error)
{
  VmiMediaOptions opts = { .retries = -1 };
  g_autoptr(VmiMediaReport) r = g_new0(VmiMediaReport, 1);

  r->options = g_ptr_array_new();
  r->media = vmi_media_open(location, &opts, error);
  if (!r->media || !inspect(r, location, install, query, debug, data, error)) {
    g_prefix_error(error, "--inspect-media: ");
    return NULL;
  }
  return g_steal_pointer(&r);
}

const char *
vmi_media_report_get(const VmiMediaReport *r, VmiMediaField field)
{
  const VmiIsoInfo *iso = vmi_media_get_iso_info(r->media);

  switch (field) {
  case VMI_MEDIA_LOCATION:
    return vmi_media_get_location(r->media);
  case VMI_MEDIA_KIND:
    return vmi_media_kind_name(vmi_media_get_kind(r->media));
  case VMI_MEDIA_VOLUME_ID:
    return iso ? iso->volume_id : NULL;
  case VMI_MEDIA_SYSTEM_ID:
    return iso ? iso->system_id : NULL;
  case VMI_MEDIA_PUBLISHER_ID:
    return iso ? iso->publisher_id : NULL;
  case VMI_MEDIA_APPLICATION_ID:
    return iso ? iso->application_id : NULL;
  case VMI_MEDIA_OS:
    return r->info.os_name;
  case VMI_MEDIA_OS_ID:
    return r->info.os_id;
  case VMI_MEDIA_FAMILY:
    return r->info.family;
  case VMI_MEDIA_LAYOUT:
    return r->info.layout ? r->info.layout : r->info.family;
  case VMI_MEDIA_VERSION:
    return r->info.version;
  case VMI_MEDIA_KERNEL:
    return r->chosen ? r->chosen->kernel : NULL;
  case VMI_MEDIA_INITRD:
    return r->chosen ? r->chosen->initrd : NULL;
  case VMI_MEDIA_KERNEL_ARGS:
    return r->kernel_args;
  }
  return NULL;
}

gboolean
vmi_media_report_has(const VmiMediaReport *r, VmiMediaFlag flag)
{
  const VmiIsoInfo *iso = vmi_media_get_iso_info(r->media);

  switch (flag) {
  case VMI_MEDIA_IS_ISO:
    return iso != NULL;
  case VMI_MEDIA_EL_TORITO:
    return iso && iso->el_torito;
  case VMI_MEDIA_JOLIET:
    return iso && iso->joliet;
  case VMI_MEDIA_ROCK_RIDGE:
    return iso && iso->rock_ridge;
  case VMI_MEDIA_NETWORK_INSTALL:
    return vmi_media_get_kind(r->media) != VMI_MEDIA_ISO || r->info.netinst;
  }
  return FALSE;
}

gint64
vmi_media_report_volume_size(const VmiMediaReport *r)
{
  const VmiIsoInfo *iso = vmi_media_get_iso_info(r->media);

  return iso ? iso->volume_size : 0;
}

guint
vmi_media_report_n_boot_options(const VmiMediaReport *r)
{
  return r->options->len;
}

void
vmi_media_report_boot_option(const VmiMediaReport *r, guint i, const char **label,
                             const char **kernel, const char **initrd)
{
  const VmiBootPair *p = i < r->options->len ? r->options->pdata[i] : NULL;

  if (label)
    *label = p ? p->label : NULL;
  if (kernel)
    *kernel = p ? p->kernel : NULL;
  if (initrd)
    *initrd = p ? p->initrd : NULL;
}
