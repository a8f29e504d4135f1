/*
 * VmiMedia: one install source, whatever its kind.  Chooses the kind from
 * the location, keeps the small files detection reads, and checks every
 * path handed in before a source sees it.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "media-private.h"
#include "vminstall/error.h"

#define MISSING GINT_TO_POINTER(1)

char *
vmi_media_path_normalize(const char *path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new();

  if (!path)
    return NULL;
  parts = g_strsplit(path, "/", -1);
  for (char **p = parts; *p; p++) {
    if (**p == '\0' || strcmp(*p, ".") == 0)
      continue;
    if (strcmp(*p, "..") == 0) {
      if (out->len == 0)
        return NULL;
      g_ptr_array_remove_index(out, out->len - 1);
      continue;
    }
    g_ptr_array_add(out, *p);
  }
  if (out->len == 0)
    return NULL;
  g_ptr_array_add(out, NULL);
  return g_strjoinv("/", (char **)out->pdata);
}

char *
vmi_media_path_resolve_link(const char *path, const char *target)
{
  g_autofree char *dir = NULL;
  g_autofree char *joined = NULL;

  /* An absolute target means a file of whatever system mounts the
   * medium: outside it. */
  if (!target || target[0] == '/' || target[0] == '\0')
    return NULL;
  dir = g_path_get_dirname(path);
  joined = strcmp(dir, ".") == 0 ? g_strdup(target) : g_strdup_printf("%s/%s", dir, target);
  return vmi_media_path_normalize(joined);
}

char *
vmi_media_format_size(gint64 bytes)
{
  return g_format_size_full(bytes < 0 ? 0 : (guint64)bytes, G_FORMAT_SIZE_IEC_UNITS);
}

gboolean
vmi_media_write_all(int fd, const void *buf, gsize len)
{
  const char *p = buf;

  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    p += n;
    len -= (gsize)n;
  }
  return TRUE;
}

const char *
vmi_media_kind_name(VmiMediaKind kind)
{
  switch (kind) {
  case VMI_MEDIA_DIR: return "directory";
  case VMI_MEDIA_ISO: return "iso";
  case VMI_MEDIA_URL: return "url";
  }
  return "unknown";
}

static gboolean
is_url(const char *location)
{
  return g_str_has_prefix(location, "http://") || g_str_has_prefix(location, "https://") ||
         g_str_has_prefix(location, "ftp://");
}

static void
small_value_free(gpointer v)
{
  if (v != MISSING)
    g_bytes_unref(v);
}

VmiMedia *
vmi_media_open(const char *location, const VmiMediaOptions *opts, GError **error)
{
  g_autoptr(VmiMedia) media = g_new0(VmiMedia, 1);
  const char *scheme_end;
  gboolean ok;

  media->small = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, small_value_free);
  media->opts.retries = -1;
  if (opts)
    media->opts = *opts;

  if (!location || !*location) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE, "no install location given");
    return NULL;
  }
  if (g_str_has_prefix(location, "nfs:")) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "'%s': NFS install sources are not read directly; mount the export "
                "(mount -t nfs -o ro HOST:/PATH /mnt/tree) and pass the directory "
                "(/mnt/tree), or serve the tree over HTTP", location);
    return NULL;
  }
  if (is_url(location)) {
    media->kind = VMI_MEDIA_URL;
    ok = vmi_media_url_open(media, location, error);
  } else if ((scheme_end = strstr(location, "://")) &&
             strspn(location, "abcdefghijklmnopqrstuvwxyz+.-") == (gsize)(scheme_end - location)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "'%s': unsupported kind of URL (accepted: http://, https://, ftp://, "
                "a local directory, an ISO image or a block device)", location);
    return NULL;
  } else {
    g_autofree char *abs = g_canonicalize_filename(location, NULL);
    GStatBuf st;

    if (g_stat(abs, &st) != 0) {
      int err = errno;
      g_set_error(error, VMI_ERROR, err == ENOENT ? VMI_ERROR_NOT_FOUND : VMI_ERROR_FAILED,
                  "'%s': %s", location,
                  err == ENOENT ? "no such file or directory" : g_strerror(err));
      return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
      media->kind = VMI_MEDIA_DIR;
      ok = vmi_media_dir_open(media, abs, error);
    } else {
      media->kind = VMI_MEDIA_ISO;
      ok = vmi_media_iso_open(media, abs, error);
    }
  }
  if (!ok)
    return NULL;
  return g_steal_pointer(&media);
}

void
vmi_media_free(VmiMedia *media)
{
  if (!media)
    return;
  if (media->ops && media->ops->free && media->priv)
    media->ops->free(media->priv);
  g_clear_pointer(&media->small, g_hash_table_unref);
  g_clear_pointer(&media->iso, vmi_iso_info_free);
  g_free(media->location);
  g_free(media);
}

VmiMediaKind
vmi_media_get_kind(const VmiMedia *media)
{
  return media->kind;
}

const char *
vmi_media_get_location(const VmiMedia *media)
{
  return media->location;
}

guint64
vmi_media_bytes_read(const VmiMedia *media)
{
  return media->bytes_read;
}

const VmiIsoInfo *
vmi_media_get_iso_info(const VmiMedia *media)
{
  return media->iso;
}

static char *
checked_path(VmiMedia *media, const char *path, GError **error)
{
  char *norm = vmi_media_path_normalize(path);

  if (!norm)
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "'%s' is not a path inside the install tree '%s'", path ? path : "",
                media->location);
  return norm;
}

static gboolean
stat_path(VmiMedia *media, const char *path, VmiEntryStat *st, GError **error)
{
  g_autofree char *norm = checked_path(media, path, error);

  if (!norm)
    return FALSE;
  st->type = VMI_ENTRY_NONE;
  st->size = -1;
  if (g_hash_table_lookup(media->small, norm) == MISSING)
    return TRUE;
  return media->ops->stat(media, norm, st, error);
}

gboolean
vmi_media_has_file(VmiMedia *media, const char *path, GError **error)
{
  VmiEntryStat st;

  return stat_path(media, path, &st, error) && st.type == VMI_ENTRY_FILE;
}

gint64
vmi_media_file_size(VmiMedia *media, const char *path, GError **error)
{
  VmiEntryStat st;

  if (!stat_path(media, path, &st, error))
    return -1;
  if (st.type != VMI_ENTRY_FILE) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                media->location, path);
    return -1;
  }
  return st.size;
}

char *
vmi_media_read_file(VmiMedia *media, const char *path, gsize max, gsize *len,
                    GError **error)
{
  g_autofree char *norm = checked_path(media, path, error);
  gpointer cached;
  GError *local = NULL;
  char *data;
  gsize n = 0;

  if (!norm)
    return NULL;
  cached = g_hash_table_lookup(media->small, norm);
  if (cached == MISSING) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                media->location, norm);
    return NULL;
  }
  if (cached && g_bytes_get_size(cached) <= max) {
    gsize size;
    const char *bytes = g_bytes_get_data(cached, &size);
    if (len)
      *len = size;
    data = g_malloc(size + 1);
    if (size)   /* an empty GBytes has no data pointer */
      memcpy(data, bytes, size);
    data[size] = '\0';
    return data;
  }
  data = media->ops->read(media, norm, max, &n, &local);
  if (!data) {
    if (g_error_matches(local, VMI_ERROR, VMI_ERROR_NOT_FOUND))
      g_hash_table_insert(media->small, g_strdup(norm), MISSING);
    g_propagate_error(error, local);
    return NULL;
  }
  g_hash_table_insert(media->small, g_strdup(norm), g_bytes_new(data, n));
  if (len)
    *len = n;
  return data;
}

gboolean
vmi_media_extract(VmiMedia *media, const char *const *paths, const int *fds, guint n,
                  GError **error)
{
  g_autoptr(GPtrArray) norm = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < n; i++) {
    char *p = checked_path(media, paths[i], error);
    if (!p)
      return FALSE;
    g_ptr_array_add(norm, p);
  }
  return media->ops->extract(media, (const char *const *)norm->pdata, fds, n, error);
}
