/*
 * Internals of the media module: one set of operations per kind of
 * source (directory, ISO image, URL) behind VmiMedia.
 */
#pragma once

#include <glib.h>
#include "media.h"

G_BEGIN_DECLS

/* Larger kernels or initrds are refused: a file this big is a mistake or
 * an attack, and would fill the scratch directory. */
#define VMI_MEDIA_MAX_BOOT_FILE (G_GINT64_CONSTANT(2) << 30)
/* Detection reads small text files only. */
#define VMI_MEDIA_MAX_SMALL_FILE (1 << 20)

typedef enum {
  VMI_ENTRY_NONE,     /* no such path */
  VMI_ENTRY_FILE,
  VMI_ENTRY_DIR,
  VMI_ENTRY_OTHER,
} VmiEntryType;

typedef struct {
  VmiEntryType type;
  gint64 size;        /* -1 when unknown */
} VmiEntryStat;

typedef struct {
  /* @st->type VMI_ENTRY_NONE when missing; FALSE only when the source fails */
  gboolean (*stat)(VmiMedia *media, const char *path, VmiEntryStat *st, GError **error);
  /* NULL with VMI_ERROR_NOT_FOUND when missing */
  char *(*read)(VmiMedia *media, const char *path, gsize max, gsize *len, GError **error);
  gboolean (*extract)(VmiMedia *media, const char *const *paths, const int *fds, guint n,
                      GError **error);
  void (*free)(gpointer priv);
} VmiMediaOps;

struct _VmiMedia {
  const VmiMediaOps *ops;
  VmiMediaKind kind;
  char *location;        /* absolute path, or URL ending in '/' */
  VmiMediaOptions opts;
  guint64 bytes_read;
  GHashTable *small;     /* path -> GBytes of a small file read, or
                          * GINT_TO_POINTER(1) for a missing one */
  VmiIsoInfo *iso;       /* ISO images only */
  gpointer priv;
};

/* Normalised form of a path inside a medium: no leading '/', no empty or
 * "." components; NULL if a ".." component would leave the medium or the
 * path is empty. */
char *vmi_media_path_normalize(const char *path);

/* Joins a symbolic link target found at @path onto @path's directory and
 * normalises it; NULL when the result leaves the medium. */
char *vmi_media_path_resolve_link(const char *path, const char *target);

/* Human size for messages: "3.9 GiB". */
char *vmi_media_format_size(gint64 bytes);

/* Writes @len bytes to @fd, retrying short writes; FALSE with errno. */
gboolean vmi_media_write_all(int fd, const void *buf, gsize len);

/* Sources (source-*.c); each fills media->ops and media->priv. */
gboolean vmi_media_dir_open(VmiMedia *media, const char *path, GError **error);
gboolean vmi_media_iso_open(VmiMedia *media, const char *path, GError **error);
gboolean vmi_media_url_open(VmiMedia *media, const char *url, GError **error);

/* HEAD of the URL itself answers (virt-install's can_access). */
gboolean vmi_media_url_accessible(VmiMedia *media);

/* Parses the volume descriptors at the start of an ISO (from sector 16);
 * @fd is read with pread.  @size is the image's size in bytes (-1 for
 * devices of unknown size). */
VmiIsoInfo *vmi_iso_info_read_fd(int fd, const char *display, gint64 size, GError **error);

/* The osinfo-db media entry matching @iso's volume descriptors, or NULL. */
VmiOsMedia *vmi_iso_info_identify(const VmiIsoInfo *iso, GError **error);

/* The xVM part of vmi_media_find_boot_files, called first (boot-solaris.c):
 * refuses PXE for a PV guest and, for a PV guest whose --location holds
 * Solaris media, fills @files with its kernel and ramdisk (32/64-bit rule
 * from @query), family "solaris" and layout "solaris-RELEASE", and sets
 * *@done.  Other media leave *@done FALSE and @files untouched. */
gboolean vmi_media_find_solaris_boot_files(const VmiInstall *install, const VmiMediaQuery *query,
                                           VmiBootFiles *files, gboolean *done, GError **error);

/* Distribution families (detect.c), run in virt-install's order. */
typedef struct _VmiDetect VmiDetect;

G_END_DECLS
