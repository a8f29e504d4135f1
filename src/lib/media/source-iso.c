/*
 * An ISO 9660 image (file or block device), read with libarchive without
 * mounting: Rock Ridge and Joliet names, zisofs, hard links; El Torito
 * and the identification strings come from iso-info.c.  Why libarchive
 * and not libcdio or libisofs: README.md, "Reading ISO images".
 *
 * Opening reads the directory once (libarchive lists entries in the order
 * of their data, and skips file data with lseek), keeping an index of
 * every path and the contents of the few small files detection reads.
 * Extracting makes one more pass that stops at the last file wanted, so a
 * 4 GB image costs its directory plus the files copied.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fs.h>
#include <archive.h>
#include <archive_entry.h>
#include "media-private.h"
#include "vminstall/error.h"

/* More entries than any install DVD has: a crafted directory cannot make
 * us index forever. */
#define MAX_ENTRIES 2000000
#define MAX_LINK_HOPS 16

/* The small files detection reads (detect.c), kept from the first pass. */
static const char *const small_files[] = {
  ".treeinfo", "treeinfo", ".disk/info", "current/images/MANIFEST",
  "current/legacy-images/MANIFEST", "daily/MANIFEST", "content", "VERSION",
  "media.1/products", "media.1/media", ".discinfo", "isolinux/isolinux.cfg",
  ".cdrom_info", ".image_info", NULL,
};

typedef struct {
  VmiEntryType type;
  gint64 size;
  char *symlink;   /* target as the image says, or NULL */
  char *hardlink;  /* normalised path holding the data, or NULL */
} IsoEntry;

typedef struct {
  int fd;
  gint64 size;            /* bytes, -1 when unknown */
  GHashTable *entries;    /* normalised path -> IsoEntry */
  GHashTable *folded;     /* lower-case path -> path, for plain ISO 9660 names */
  VmiMedia *media;        /* for counting bytes read */
  char buf[1 << 18];      /* fewer system calls when copying, little read ahead */
} IsoSource;

static void
entry_free(gpointer p)
{
  IsoEntry *e = p;

  g_free(e->symlink);
  g_free(e->hardlink);
  g_free(e);
}

static void
iso_free(gpointer priv)
{
  IsoSource *s = priv;

  if (s->fd >= 0)
    close(s->fd);
  g_clear_pointer(&s->entries, g_hash_table_unref);
  g_clear_pointer(&s->folded, g_hash_table_unref);
  g_free(s);
}

/* ---- libarchive callbacks over our descriptor ---- */

static la_ssize_t
cb_read(struct archive *a, void *data, const void **buf)
{
  IsoSource *s = data;
  ssize_t n;

  do
    n = read(s->fd, s->buf, sizeof(s->buf));
  while (n < 0 && errno == EINTR);
  if (n < 0) {
    archive_set_error(a, errno, "read error: %s", g_strerror(errno));
    return -1;
  }
  s->media->bytes_read += (guint64)n;
  *buf = s->buf;
  return n;
}

static la_int64_t
cb_skip(struct archive *a, void *data, la_int64_t request)
{
  IsoSource *s = data;
  off_t cur = lseek(s->fd, 0, SEEK_CUR);

  if (cur < 0 || request < 0)
    return 0;
  if (s->size >= 0 && cur + request > s->size)
    request = s->size - cur;
  if (lseek(s->fd, request, SEEK_CUR) < 0)
    return 0;
  return request;
}

static la_int64_t
cb_seek(struct archive *a, void *data, la_int64_t offset, int whence)
{
  IsoSource *s = data;
  off_t r = lseek(s->fd, offset, whence);

  if (r < 0) {
    archive_set_error(a, errno, "seek error: %s", g_strerror(errno));
    return ARCHIVE_FATAL;
  }
  return r;
}

static struct archive *
start_pass(VmiMedia *media, GError **error)
{
  IsoSource *s = media->priv;
  struct archive *a = archive_read_new();

  if (lseek(s->fd, 0, SEEK_SET) < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s': %s", media->location,
                g_strerror(errno));
    archive_read_free(a);
    return NULL;
  }
  archive_read_support_format_iso9660(a);
  archive_read_set_read_callback(a, cb_read);
  archive_read_set_skip_callback(a, cb_skip);
  archive_read_set_seek_callback(a, cb_seek);
  archive_read_set_callback_data(a, s);
  if (archive_read_open1(a) != ARCHIVE_OK) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' is a corrupt ISO image: %s",
                media->location, archive_error_string(a));
    archive_read_free(a);
    return NULL;
  }
  return a;
}

static const char *
entry_name(struct archive_entry *e)
{
  const char *name = archive_entry_pathname_utf8(e);

  return name ? name : archive_entry_pathname(e);
}

static gboolean
next_header(VmiMedia *media, struct archive *a, struct archive_entry **e, gboolean *done,
            GError **error)
{
  int r = archive_read_next_header(a, e);

  *done = FALSE;
  if (r == ARCHIVE_EOF) {
    *done = TRUE;
    return TRUE;
  }
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
    return TRUE;
  g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' is a corrupt ISO image: %s",
              media->location,
              archive_error_string(a) ? archive_error_string(a) : "unreadable directory");
  return FALSE;
}

/* Reads the current entry's data into memory (at most @max bytes). */
static GBytes *
read_data(VmiMedia *media, struct archive *a, const char *path, gint64 size, gsize max,
          GError **error)
{
  g_autofree char *buf = NULL;
  gsize got = 0;

  if (size < 0 || (guint64)size > max) {
    g_autofree char *human = vmi_media_format_size(size);
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' in '%s' is too large (%s)", path,
                media->location, human);
    return NULL;
  }
  buf = g_malloc((gsize)size + 1);
  while (got < (gsize)size) {
    la_ssize_t n = archive_read_data(a, buf + got, (gsize)size - got);
    if (n < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "cannot read '%s' in '%s': %s", path,
                  media->location, archive_error_string(a));
      return NULL;
    }
    if (n == 0)
      break;
    got += (gsize)n;
  }
  if (got != (gsize)size) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' in '%s' is cut short (%" G_GSIZE_FORMAT " of %" G_GINT64_FORMAT " bytes)",
                path, media->location, got, size);
    return NULL;
  }
  return g_bytes_new_take(g_steal_pointer(&buf), got);
}

static gboolean
index_image(VmiMedia *media, GError **error)
{
  IsoSource *s = media->priv;
  struct archive *a = start_pass(media, error);
  struct archive_entry *e;
  gboolean done = FALSE, ok = TRUE;
  guint count = 0;

  if (!a)
    return FALSE;
  while (ok && (ok = next_header(media, a, &e, &done, error)) && !done) {
    g_autofree char *norm = vmi_media_path_normalize(entry_name(e));
    IsoEntry *entry;
    mode_t type;

    if (++count > MAX_ENTRIES) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "'%s' has more than %d directory entries: refusing it", media->location,
                  MAX_ENTRIES);
      ok = FALSE;
      break;
    }
    /* a name that leaves the image (Rock Ridge allows "..") names nothing */
    if (!norm || g_hash_table_contains(s->entries, norm))
      continue;
    entry = g_new0(IsoEntry, 1);
    type = archive_entry_filetype(e);
    entry->type = type == AE_IFREG ? VMI_ENTRY_FILE
                  : type == AE_IFDIR ? VMI_ENTRY_DIR
                  : VMI_ENTRY_OTHER;
    entry->size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
    if (type == AE_IFLNK) {
      const char *target = archive_entry_symlink_utf8(e);
      entry->symlink = g_strdup(target ? target : archive_entry_symlink(e));
    }
    if (archive_entry_hardlink(e)) {
      const char *target = archive_entry_hardlink_utf8(e);
      entry->hardlink = vmi_media_path_normalize(target ? target : archive_entry_hardlink(e));
      entry->type = VMI_ENTRY_FILE;
    }
    g_hash_table_insert(s->entries, g_strdup(norm), entry);
    {
      char *folded = g_ascii_strdown(norm, -1);
      if (!g_hash_table_contains(s->folded, folded))
        g_hash_table_insert(s->folded, folded, g_strdup(norm));
      else
        g_free(folded);
    }
    if (entry->type == VMI_ENTRY_FILE && !entry->hardlink &&
        g_strv_contains(small_files, norm) && entry->size >= 0 &&
        entry->size <= VMI_MEDIA_MAX_SMALL_FILE) {
      GBytes *data = read_data(media, a, norm, entry->size, VMI_MEDIA_MAX_SMALL_FILE, error);
      if (!data) {
        ok = FALSE;
        break;
      }
      g_hash_table_insert(media->small, g_strdup(norm), data);
    }
  }
  archive_read_free(a);
  return ok;
}

/* The entry @path stands for after symbolic links (inside the image) and
 * hard links; *real receives the path holding the data.  NULL without
 * error when missing. */
static IsoEntry *
lookup(VmiMedia *media, const char *path, char **real, GError **error)
{
  IsoSource *s = media->priv;
  g_autofree char *cur = g_strdup(path);
  guint hops = 0;

  for (;;) {
    g_auto(GStrv) parts = g_strsplit(cur, "/", -1);
    g_autoptr(GString) prefix = g_string_new(NULL);
    IsoEntry *entry = NULL;
    gboolean restarted = FALSE;

    for (guint i = 0; parts[i]; i++) {
      const char *key;

      if (prefix->len)
        g_string_append_c(prefix, '/');
      g_string_append(prefix, parts[i]);
      key = prefix->str;
      entry = g_hash_table_lookup(s->entries, key);
      if (!entry) {
        g_autofree char *folded = g_ascii_strdown(key, -1);
        const char *alt = g_hash_table_lookup(s->folded, folded);
        if (alt) {
          entry = g_hash_table_lookup(s->entries, alt);
          g_string_assign(prefix, alt);
        }
      }
      if (!entry) {
        /* libarchive may list files without their directories */
        if (parts[i + 1])
          continue;
        return NULL;
      }
      if (entry->symlink) {
        g_autofree char *target = vmi_media_path_resolve_link(prefix->str, entry->symlink);
        GString *rest;

        if (!target) {
          g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                      "'%s' in '%s' is a symbolic link to '%s', outside the image",
                      prefix->str, media->location, entry->symlink);
          return NULL;
        }
        if (++hops > MAX_LINK_HOPS) {
          g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                      "'%s' in '%s': symbolic link loop", path, media->location);
          return NULL;
        }
        rest = g_string_new(target);
        for (guint j = i + 1; parts[j]; j++)
          g_string_append_printf(rest, "/%s", parts[j]);
        g_free(cur);
        cur = g_string_free(rest, FALSE);
        restarted = TRUE;
        break;
      }
    }
    if (restarted)
      continue;
    if (entry && entry->hardlink) {
      IsoEntry *data = g_hash_table_lookup(s->entries, entry->hardlink);
      if (data && !data->hardlink && !data->symlink) {
        *real = g_strdup(entry->hardlink);
        return data;
      }
    }
    *real = g_strdup(prefix->str);
    return entry;
  }
}

static gboolean
iso_stat(VmiMedia *media, const char *path, VmiEntryStat *st, GError **error)
{
  g_autofree char *real = NULL;
  GError *local = NULL;
  IsoEntry *entry = lookup(media, path, &real, &local);

  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  if (entry) {
    st->type = entry->type;
    st->size = entry->size;
  }
  return TRUE;
}

/* One pass: copies the data of @reals[i] to @fds[i] (several may name the
 * same path), stopping once all are done. */
static gboolean
copy_pass(VmiMedia *media, char **reals, const int *fds, guint n, GBytes **mem, gsize max,
          GError **error)
{
  IsoSource *s = media->priv;
  struct archive *a = start_pass(media, error);
  struct archive_entry *e;
  gboolean done = FALSE;
  guint left = n;
  g_autofree gboolean *copied = g_new0(gboolean, n);

  if (!a)
    return FALSE;
  while (left > 0) {
    g_autofree char *norm = NULL;
    gint64 size, written = 0;
    gboolean any = FALSE;

    if (!next_header(media, a, &e, &done, error))
      goto fail;
    if (done)
      break;
    norm = vmi_media_path_normalize(entry_name(e));
    if (!norm || archive_entry_hardlink(e))
      continue;
    for (guint i = 0; i < n; i++)
      any |= !copied[i] && strcmp(reals[i], norm) == 0;
    if (!any)
      continue;
    size = archive_entry_size(e);
    if (mem) {
      *mem = read_data(media, a, norm, size, max, error);
      if (!*mem)
        goto fail;
      archive_read_free(a);
      return TRUE;
    }
    if (size > VMI_MEDIA_MAX_BOOT_FILE || (s->size >= 0 && size > s->size)) {
      g_autofree char *human = vmi_media_format_size(size);
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "'%s' in '%s' claims %s, too large for an installer kernel or initrd",
                  norm, media->location, human);
      goto fail;
    }
    for (;;) {
      const void *block;
      size_t len;
      la_int64_t offset;
      int r = archive_read_data_block(a, &block, &len, &offset);

      if (r == ARCHIVE_EOF)
        break;
      if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "cannot read '%s' in '%s': %s", norm,
                    media->location, archive_error_string(a));
        goto fail;
      }
      for (guint i = 0; i < n; i++) {
        if (copied[i] || strcmp(reals[i], norm) != 0)
          continue;
        if (offset != written && lseek(fds[i], offset, SEEK_SET) < 0) {
          g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write '%s': %s", norm,
                      g_strerror(errno));
          goto fail;
        }
        if (!vmi_media_write_all(fds[i], block, len)) {
          g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write a copy of '%s': %s",
                      norm, g_strerror(errno));
          goto fail;
        }
      }
      written = offset + (gint64)len;
    }
    if (written != size) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "'%s' in '%s' is cut short (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                  " bytes): the image is truncated or corrupt",
                  norm, media->location, written, size);
      goto fail;
    }
    for (guint i = 0; i < n; i++) {
      if (!copied[i] && strcmp(reals[i], norm) == 0) {
        /* sparse tails: the file must have its full size */
        if (ftruncate(fds[i], size) != 0 && errno != EINVAL) {
          g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write a copy of '%s': %s",
                      norm, g_strerror(errno));
          goto fail;
        }
        copied[i] = TRUE;
        left--;
      }
    }
  }
  archive_read_free(a);
  if (left > 0) {
    for (guint i = 0; i < n; i++)
      if (!copied[i]) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                    "'%s' in '%s' has no data: the image is corrupt", reals[i],
                    media->location);
        return FALSE;
      }
  }
  return TRUE;

fail:
  archive_read_free(a);
  return FALSE;
}

static char *
iso_read(VmiMedia *media, const char *path, gsize max, gsize *len, GError **error)
{
  g_autofree char *real = NULL;
  GError *local = NULL;
  IsoEntry *entry = lookup(media, path, &real, &local);
  g_autoptr(GBytes) data = NULL;
  char *out;
  gsize size;
  const void *bytes;

  if (local) {
    g_propagate_error(error, local);
    return NULL;
  }
  if (!entry || entry->type != VMI_ENTRY_FILE) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                media->location, path);
    return NULL;
  }
  if (!copy_pass(media, &real, NULL, 1, &data, max, error))
    return NULL;
  bytes = g_bytes_get_data(data, &size);
  out = g_malloc(size + 1);
  if (size)   /* an empty GBytes has no data pointer */
    memcpy(out, bytes, size);
  out[size] = '\0';
  *len = size;
  return out;
}

static gboolean
iso_extract(VmiMedia *media, const char *const *paths, const int *fds, guint n,
            GError **error)
{
  g_autoptr(GPtrArray) reals = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < n; i++) {
    char *real = NULL;
    GError *local = NULL;
    IsoEntry *entry = lookup(media, paths[i], &real, &local);

    if (local) {
      g_propagate_error(error, local);
      return FALSE;
    }
    if (!entry || entry->type != VMI_ENTRY_FILE) {
      g_free(real);
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                  media->location, paths[i]);
      return FALSE;
    }
    g_ptr_array_add(reals, real);
  }
  return copy_pass(media, (char **)reals->pdata, fds, n, NULL, 0, error);
}

static const VmiMediaOps iso_ops = {
  .stat = iso_stat,
  .read = iso_read,
  .extract = iso_extract,
  .free = iso_free,
};

gboolean
vmi_media_iso_open(VmiMedia *media, const char *path, GError **error)
{
  IsoSource *s;
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  media->location = g_strdup(path);
  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s': %s", path,
                g_strerror(errno));
    return FALSE;
  }
  if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' is neither a directory, an ISO image nor a block device", path);
    close(fd);
    return FALSE;
  }
  s = g_new0(IsoSource, 1);
  s->fd = fd;
  s->media = media;
  s->size = S_ISREG(st.st_mode) ? st.st_size : -1;
  if (S_ISBLK(st.st_mode)) {
    guint64 bytes;
    if (ioctl(fd, BLKGETSIZE64, &bytes) == 0)
      s->size = (gint64)bytes;
  }
  s->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
  s->folded = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  media->ops = &iso_ops;
  media->priv = s;
  media->iso = vmi_iso_info_read_fd(fd, path, s->size, error);
  if (!media->iso)
    return FALSE;
  media->bytes_read += 2048 * 3;
  return index_image(media, error);
}
