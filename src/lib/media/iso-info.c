/*
 * The volume descriptors of an ISO 9660 image: the identification strings
 * osinfo-db matches (what libosinfo reads), the volume size, whether an El
 * Torito boot record, a Joliet descriptor and Rock Ridge (SUSP) are there.
 * Fixed-offset fields of at most 64 descriptors plus one root directory
 * sector; the directory tree itself is libarchive's job (source-iso.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "media-private.h"
#include "vminstall/error.h"

#define SECTOR 2048
#define FIRST_DESCRIPTOR 16
#define MAX_DESCRIPTORS 64

void
vmi_iso_info_free(VmiIsoInfo *info)
{
  if (!info)
    return;
  g_free(info->volume_id);
  g_free(info->system_id);
  g_free(info->publisher_id);
  g_free(info->application_id);
  g_free(info);
}

static guint32
le32(const guint8 *p)
{
  return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* A d-/a-character field: trailing spaces and NULs dropped, NULL when
 * blank (libosinfo sets no value then). */
static char *
id_field(const guint8 *p, gsize len)
{
  g_autofree char *s = g_strndup((const char *)p, len);

  g_strchomp(s);
  if (!*s)
    return NULL;
  /* identifiers are ASCII; anything else would not match osinfo-db */
  if (!g_utf8_validate(s, -1, NULL))
    return g_utf8_make_valid(s, -1);
  return g_steal_pointer(&s);
}

static gboolean
read_sector(int fd, guint64 lba, guint8 *buf)
{
  gsize got = 0;

  while (got < SECTOR) {
    ssize_t n = pread(fd, buf + got, SECTOR - got, (off_t)(lba * SECTOR + got));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return FALSE;
    got += (gsize)n;
  }
  return TRUE;
}

/* Rock Ridge is announced by a SUSP "SP" entry in the system use area of
 * the root directory's "." record. */
static gboolean
has_susp(int fd, const guint8 *root_record)
{
  guint8 sec[SECTOR];
  guint32 extent = le32(root_record + 2);
  guint len, name_len, off;

  if (extent == 0 || !read_sector(fd, extent, sec))
    return FALSE;
  len = sec[0];
  name_len = sec[32];
  if (len < 34 || len > SECTOR)
    return FALSE;
  off = 33 + name_len + ((name_len & 1) ? 0 : 1);
  return off + 7 <= len && sec[off] == 'S' && sec[off + 1] == 'P' &&
         sec[off + 4] == 0xBE && sec[off + 5] == 0xEF;
}

VmiIsoInfo *
vmi_iso_info_read_fd(int fd, const char *display, gint64 size, GError **error)
{
  g_autoptr(VmiIsoInfo) info = g_new0(VmiIsoInfo, 1);
  guint8 sec[SECTOR];
  guint8 root[34];
  gboolean have_pvd = FALSE;
  guint32 blocks = 0, block_size = 0;

  for (guint i = 0; i < MAX_DESCRIPTORS; i++) {
    if (!read_sector(fd, FIRST_DESCRIPTOR + i, sec)) {
      if (i == 0) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                    "'%s' is not an ISO 9660 image (it is too small to hold a volume "
                    "descriptor)", display);
        return NULL;
      }
      break;
    }
    if (memcmp(sec + 1, "CD001", 5) != 0) {
      if (i == 0) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                    "'%s' is neither a directory nor an ISO 9660 image (no volume "
                    "descriptor at byte 32768)", display);
        return NULL;
      }
      break;
    }
    if (sec[0] == 255)
      break;
    if (sec[0] == 0 && memcmp(sec + 7, "EL TORITO SPECIFICATION", 23) == 0)
      info->el_torito = TRUE;
    else if (sec[0] == 1 && !have_pvd) {
      have_pvd = TRUE;
      info->system_id = id_field(sec + 8, 32);
      info->volume_id = id_field(sec + 40, 32);
      blocks = le32(sec + 80);
      block_size = (guint32)sec[128] | (guint32)sec[129] << 8;
      info->publisher_id = id_field(sec + 318, 128);
      info->application_id = id_field(sec + 574, 128);
      memcpy(root, sec + 156, sizeof(root));
    } else if (sec[0] == 2 && sec[88] == '%' && sec[89] == '/' &&
               (sec[90] == '@' || sec[90] == 'C' || sec[90] == 'E'))
      info->joliet = TRUE;
  }
  if (!have_pvd) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' is a corrupt ISO 9660 image: no primary volume descriptor", display);
    return NULL;
  }
  if (block_size != 2048 && block_size != 1024 && block_size != 512) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' is a corrupt ISO 9660 image: logical block size %u", display,
                block_size);
    return NULL;
  }
  info->volume_size = (gint64)blocks * block_size;
  if (size >= 0 && info->volume_size > size) {
    g_autofree char *have = vmi_media_format_size(size);
    g_autofree char *want = vmi_media_format_size(info->volume_size);
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "'%s' is a truncated ISO image: it has %s of the %s its volume "
                "descriptor announces", display, have, want);
    return NULL;
  }
  info->rock_ridge = has_susp(fd, root);
  return g_steal_pointer(&info);
}

VmiIsoInfo *
vmi_iso_info_read(const char *path, GError **error)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  VmiIsoInfo *info;

  if (fd < 0) {
    g_set_error(error, VMI_ERROR, errno == ENOENT ? VMI_ERROR_NOT_FOUND : VMI_ERROR_FAILED,
                "cannot read '%s': %s", path, g_strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "'%s' is not an ISO image", path);
    close(fd);
    return NULL;
  }
  info = vmi_iso_info_read_fd(fd, path, S_ISREG(st.st_mode) ? st.st_size : -1, error);
  close(fd);
  return info;
}

VmiOsMedia *
vmi_iso_info_identify(const VmiIsoInfo *iso, GError **error)
{
  const VmiOsMediaKeys keys = {
    .volume_id = iso->volume_id,
    .system_id = iso->system_id,
    .publisher_id = iso->publisher_id,
    .application_id = iso->application_id,
    .volume_size = iso->volume_size,
  };

  return vmi_os_media_identify(&keys, error);
}
