/*
 * Initrd injection with libarchive: a gzip'd newc cpio archive appended
 * to a staged copy of the initrd (see inject.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include <libvirt/virterror.h>
#include "inject.h"
#include "vminstall/error.h"

typedef struct archive_entry ArchiveEntry;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ArchiveEntry, archive_entry_free)

VmiInjectFile *
vmi_inject_file_new_path(const char *path)
{
  VmiInjectFile *f = g_new0(VmiInjectFile, 1);

  f->name = g_path_get_basename(path);
  f->path = g_strdup(path);
  return f;
}

VmiInjectFile *
vmi_inject_file_new_data(const char *name, GBytes *data)
{
  VmiInjectFile *f = g_new0(VmiInjectFile, 1);

  f->name = g_strdup(name);
  f->data = g_bytes_ref(data);
  f->mode = 0600;
  return f;
}

void
vmi_inject_file_free(VmiInjectFile *file)
{
  if (!file)
    return;
  g_free(file->name);
  g_free(file->path);
  if (file->data)
    g_bytes_unref(file->data);
  g_free(file);
}

GPtrArray *
vmi_inject_list_new(void)
{
  return g_ptr_array_new_with_free_func((GDestroyNotify)vmi_inject_file_free);
}

static gboolean
check_name(const char *name, const char *what, GError **error)
{
  if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "%s: '%s' cannot be a file name in the initrd's root directory", what, name);
    return FALSE;
  }
  return TRUE;
}

gboolean
vmi_inject_check(const GPtrArray *files, GError **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

  for (guint i = 0; i < files->len; i++) {
    const VmiInjectFile *f = g_ptr_array_index(files, i);
    struct stat st;

    if (f->path) {
      int fd = open(f->path, O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                    "--initrd-inject: cannot read '%s': %s", f->path, g_strerror(errno));
        return FALSE;
      }
      if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                    "--initrd-inject: '%s' is not a regular file (give one file per "
                    "--initrd-inject)", f->path);
        return FALSE;
      }
      close(fd);
    }
    if (!check_name(f->name, "--initrd-inject", error))
      return FALSE;
    if (g_hash_table_contains(seen, f->name)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                  "--initrd-inject: two files would be '/%s' in the initrd (%s); "
                  "rename one of them", f->name, f->path ? f->path : "a generated file");
      return FALSE;
    }
    g_hash_table_add(seen, f->name);
  }
  return TRUE;
}

static gboolean
archive_failed(struct archive *a, const char *what, GError **error)
{
  g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write the initrd archive (%s): %s",
              what, archive_error_string(a) ? archive_error_string(a) : "unknown error");
  return FALSE;
}

static gboolean
add_entry(struct archive *a, const VmiInjectFile *f, GError **error)
{
  g_autoptr(ArchiveEntry) e = archive_entry_new();
  static char buf[1 << 16];
  int fd = -1;
  struct stat st;
  gint64 size;
  gint64 now = g_get_real_time() / G_USEC_PER_SEC;

  if (f->path) {
    fd = open(f->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "--initrd-inject: cannot read '%s': %s",
                  f->path, fd < 0 ? g_strerror(errno) : "not a regular file");
      if (fd >= 0)
        close(fd);
      return FALSE;
    }
    size = st.st_size;
    archive_entry_set_perm(e, st.st_mode & 0777);
    archive_entry_set_mtime(e, st.st_mtime, 0);
  } else {
    size = (gint64)g_bytes_get_size(f->data);
    archive_entry_set_perm(e, f->mode ? f->mode : 0600);
    archive_entry_set_mtime(e, now, 0);
  }
  archive_entry_set_pathname(e, f->name);
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_size(e, size);
  archive_entry_set_uid(e, 0);
  archive_entry_set_gid(e, 0);
  archive_entry_set_nlink(e, 1);
  if (archive_write_header(a, e) != ARCHIVE_OK) {
    if (fd >= 0)
      close(fd);
    return archive_failed(a, f->name, error);
  }

  if (fd < 0) {
    gsize len;
    const char *p = g_bytes_get_data(f->data, &len);
    if (len && archive_write_data(a, p, len) != (la_ssize_t)len)
      return archive_failed(a, f->name, error);
    return TRUE;
  }
  for (gint64 left = size; left > 0;) {
    ssize_t n = read(fd, buf, MIN((gint64)sizeof(buf), left));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "--initrd-inject: cannot read '%s': %s",
                  f->path, n < 0 ? g_strerror(errno) : "the file shrank while being read");
      close(fd);
      return FALSE;
    }
    if (archive_write_data(a, buf, (size_t)n) != n) {
      close(fd);
      return archive_failed(a, f->name, error);
    }
    left -= n;
  }
  close(fd);
  return TRUE;
}

/* Every entry, then the trailer, into an archive opened by the caller. */
static gboolean
write_entries(struct archive *a, const GPtrArray *files, GError **error)
{
  for (guint i = 0; i < files->len; i++)
    if (!add_entry(a, g_ptr_array_index(files, i), error))
      return FALSE;
  if (archive_write_close(a) != ARCHIVE_OK)
    return archive_failed(a, "closing", error);
  return TRUE;
}

static struct archive *
new_writer(void)
{
  struct archive *a = archive_write_new();

  archive_write_set_format_cpio_newc(a);
  archive_write_add_filter_gzip(a);
  /* No block padding: the compressed stream ends the file. */
  archive_write_set_bytes_per_block(a, 0);
  return a;
}

gboolean
vmi_inject_write_archive(int fd, const GPtrArray *files, GError **error)
{
  struct archive *a = new_writer();
  gboolean ok;

  if (archive_write_open_fd(a, fd) != ARCHIVE_OK)
    ok = archive_failed(a, "opening", error);
  else
    ok = write_entries(a, files, error);
  archive_write_free(a);
  return ok;
}

gboolean
vmi_inject_initrd(const char *initrd, const GPtrArray *files, GError **error)
{
  int fd;
  gboolean ok;

  if (!files->len)
    return TRUE;
  fd = open(initrd, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot open the staged initrd '%s': %s",
                initrd, g_strerror(errno));
    return FALSE;
  }
  /* What was injected may hold passwords; the hypervisor gets the file
   * relabelled to its own user when it boots. */
  fchmod(fd, 0600);
  ok = vmi_inject_write_archive(fd, files, error);
  if (close(fd) != 0 && ok) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write the staged initrd '%s': %s",
                initrd, g_strerror(errno));
    ok = FALSE;
  }
  if (ok)
    return TRUE;
  g_prefix_error(error, "initrd injection into '%s': ", initrd);
  return FALSE;
}

/* ---- remote volumes ---- */

static la_ssize_t
to_bytes(struct archive *a, void *data, const void *buf, size_t len)
{
  g_byte_array_append(data, buf, (guint)len);
  return (la_ssize_t)len;
}

gboolean
vmi_inject_volume(virStorageVolPtr vol, const GPtrArray *files, GError **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new();
  struct archive *a;
  virStorageVolInfo info;
  virStreamPtr stream = NULL;
  gboolean ok;

  if (!files->len)
    return TRUE;
  a = new_writer();
  if (archive_write_open2(a, bytes, NULL, to_bytes, NULL, NULL) != ARCHIVE_OK)
    ok = archive_failed(a, "opening", error);
  else
    ok = write_entries(a, files, error);
  archive_write_free(a);
  if (!ok)
    return FALSE;

  if (virStorageVolGetInfo(vol, &info) < 0 ||
      virStorageVolResize(vol, info.capacity + bytes->len, 0) < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT, "cannot grow the initrd volume '%s': %s",
                virStorageVolGetName(vol), virGetLastErrorMessage());
    return FALSE;
  }
  stream = virStreamNew(virStorageVolGetConnect(vol), 0);
  ok = stream && virStorageVolUpload(vol, stream, info.capacity, bytes->len, 0) == 0;
  for (guint sent = 0; ok && sent < bytes->len;) {
    int n = virStreamSend(stream, (const char *)bytes->data + sent, bytes->len - sent);
    if (n < 0)
      ok = FALSE;
    else
      sent += (guint)n;
  }
  if (ok && virStreamFinish(stream) < 0)
    ok = FALSE;
  if (!ok) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT,
                "cannot upload the injected files to the initrd volume '%s': %s",
                virStorageVolGetName(vol), virGetLastErrorMessage());
    if (stream)
      virStreamAbort(stream);
  }
  if (stream)
    virStreamFree(stream);
  return ok;
}
