/*
 * A local directory tree.  Symbolic links inside the tree are followed
 * (mirrors use them) as long as they stay inside it; a link out of the
 * tree, a link loop or an unreadable file is an error naming the path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "media-private.h"
#include "vminstall/error.h"

typedef struct {
  char *root;   /* realpath of the tree */
} DirSource;

static void
dir_free(gpointer priv)
{
  DirSource *d = priv;

  g_free(d->root);
  g_free(d);
}

/* The real path of @rel, or NULL: *missing TRUE when it does not exist,
 * else @error says why it cannot be used. */
static char *
resolve(VmiMedia *media, const char *rel, gboolean *missing, GError **error)
{
  DirSource *d = media->priv;
  g_autofree char *full = g_build_filename(d->root, rel, NULL);
  char *real = realpath(full, NULL);
  int err = errno;

  *missing = FALSE;
  if (!real) {
    if (err == ENOENT || err == ENOTDIR) {
      *missing = TRUE;
      return NULL;
    }
    if (err == ELOOP)
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "'%s' in '%s': symbolic link loop", rel, media->location);
    else
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "'%s' in '%s': %s", rel,
                  media->location, g_strerror(err));
    return NULL;
  }
  if (strcmp(real, d->root) != 0 &&
      !(g_str_has_prefix(real, d->root) &&
        (real[strlen(d->root)] == '/' || strcmp(d->root, "/") == 0))) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' in '%s' is a symbolic link to '%s', outside the install tree",
                rel, media->location, real);
    free(real);
    return NULL;
  }
  return real;
}

static gboolean
dir_stat(VmiMedia *media, const char *path, VmiEntryStat *st, GError **error)
{
  gboolean missing;
  char *real = resolve(media, path, &missing, error);
  struct stat sb;
  int rc;

  if (!real)
    return missing;
  rc = stat(real, &sb);
  free(real);
  if (rc != 0)
    return TRUE;
  st->type = S_ISREG(sb.st_mode) ? VMI_ENTRY_FILE
             : S_ISDIR(sb.st_mode) ? VMI_ENTRY_DIR : VMI_ENTRY_OTHER;
  st->size = sb.st_size;
  return TRUE;
}

/* Opens @rel for reading: a regular file inside the tree. */
static int
open_regular(VmiMedia *media, const char *rel, struct stat *sb, GError **error)
{
  gboolean missing;
  char *real = resolve(media, rel, &missing, error);
  int fd, err;

  if (!real) {
    if (missing)
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "'%s' has no file '%s'",
                  media->location, rel);
    return -1;
  }
  /* resolved already: a link appearing now is refused (ELOOP) */
  fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  err = errno;
  free(real);
  if (fd < 0) {
    g_set_error(error, VMI_ERROR, err == ENOENT ? VMI_ERROR_NOT_FOUND : VMI_ERROR_FAILED,
                "cannot read '%s' in '%s': %s", rel, media->location, g_strerror(err));
    return -1;
  }
  if (fstat(fd, sb) != 0 || !S_ISREG(sb->st_mode)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' in '%s' is not a regular file",
                rel, media->location);
    close(fd);
    return -1;
  }
  return fd;
}

static char *
dir_read(VmiMedia *media, const char *path, gsize max, gsize *len, GError **error)
{
  struct stat sb;
  int fd = open_regular(media, path, &sb, error);
  g_autofree char *buf = NULL;
  gsize got = 0;

  if (fd < 0)
    return NULL;
  if ((guint64)sb.st_size > max) {
    g_autofree char *size = vmi_media_format_size(sb.st_size);
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' in '%s' is too large (%s)", path,
                media->location, size);
    close(fd);
    return NULL;
  }
  buf = g_malloc((gsize)sb.st_size + 1);
  while (got < (gsize)sb.st_size) {
    ssize_t n = read(fd, buf + got, (gsize)sb.st_size - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s' in '%s': %s", path,
                  media->location, g_strerror(errno));
      close(fd);
      return NULL;
    }
    if (n == 0)
      break;
    got += (gsize)n;
  }
  close(fd);
  media->bytes_read += got;
  buf[got] = '\0';
  *len = got;
  return g_steal_pointer(&buf);
}

static gboolean
copy_fd(VmiMedia *media, const char *path, int in, int out, GError **error)
{
  static char buf[1 << 17];
  gboolean plain = FALSE;

  for (;;) {
    ssize_t n;

    if (!plain) {
      n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
      if (n < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS ||
                    errno == EOPNOTSUPP || errno == EBADF)) {
        plain = TRUE;
        continue;
      }
    } else {
      n = read(in, buf, sizeof(buf));
      if (n > 0 && !vmi_media_write_all(out, buf, (gsize)n))
        n = -1;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot copy '%s' from '%s': %s", path,
                  media->location, g_strerror(errno));
      return FALSE;
    }
    if (n == 0)
      return TRUE;
    media->bytes_read += (guint64)n;
  }
}

static gboolean
dir_extract(VmiMedia *media, const char *const *paths, const int *fds, guint n,
            GError **error)
{
  for (guint i = 0; i < n; i++) {
    struct stat sb;
    int fd = open_regular(media, paths[i], &sb, error);
    gboolean ok;

    if (fd < 0)
      return FALSE;
    if (sb.st_size > VMI_MEDIA_MAX_BOOT_FILE) {
      g_autofree char *size = vmi_media_format_size(sb.st_size);
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "'%s' in '%s' is %s, too large for an installer kernel or initrd",
                  paths[i], media->location, size);
      close(fd);
      return FALSE;
    }
    ok = copy_fd(media, paths[i], fd, fds[i], error);
    close(fd);
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

static const VmiMediaOps dir_ops = {
  .stat = dir_stat,
  .read = dir_read,
  .extract = dir_extract,
  .free = dir_free,
};

gboolean
vmi_media_dir_open(VmiMedia *media, const char *path, GError **error)
{
  char *real = realpath(path, NULL);
  DirSource *d;

  if (!real) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "'%s': %s", path, g_strerror(errno));
    return FALSE;
  }
  if (access(real, R_OK | X_OK) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read the directory '%s': %s",
                path, g_strerror(errno));
    free(real);
    return FALSE;
  }
  d = g_new0(DirSource, 1);
  d->root = g_strdup(real);
  free(real);
  media->ops = &dir_ops;
  media->priv = d;
  media->location = g_strdup(path);
  return TRUE;
}
