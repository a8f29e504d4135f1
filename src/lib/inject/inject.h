/*
 * Initrd injection: files put into the root directory of an installer's
 * initial ram disk (--initrd-inject, and unattended install scripts on
 * tree installs).  A gzip'd newc cpio archive holding the files is
 * appended to a staged copy of the initrd; the kernel unpacks every
 * archive of the concatenation over the same root, so the files land in
 * "/" next to what the original holds.  The original initrd is never
 * written to.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/* One file to inject: a local file (@path) or bytes (@data). */
typedef struct {
  char *name;     /* file name in the initrd's root directory (no '/') */
  char *path;     /* local file to copy, or NULL */
  GBytes *data;   /* contents when @path is NULL */
  guint mode;     /* permission bits for @data (0600 by default) */
} VmiInjectFile;

/* @path copied as its base name, with its own permission bits. */
VmiInjectFile *vmi_inject_file_new_path(const char *path);
/* @data under @name (mode 0600: scripts may hold passwords). */
VmiInjectFile *vmi_inject_file_new_data(const char *name, GBytes *data);
void vmi_inject_file_free(VmiInjectFile *file);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiInjectFile, vmi_inject_file_free)

/* A GPtrArray of VmiInjectFile* that frees them. */
GPtrArray *vmi_inject_list_new(void);

/* Checks @files before anything is created: local files must be
 * readable regular files, and no two files may have the same name. */
gboolean vmi_inject_check(const GPtrArray *files, GError **error);

/* Writes the gzip'd newc cpio archive of @files (owner root:root) to
 * @fd, without padding after the compressed stream. */
gboolean vmi_inject_write_archive(int fd, const GPtrArray *files, GError **error);

/* Appends the archive of @files to the local file @initrd, which must be
 * a copy made for this install (never the medium's own file). */
gboolean vmi_inject_initrd(const char *initrd, const GPtrArray *files, GError **error);

/* The same for an initrd already uploaded to the storage volume @vol
 * (remote connections): the volume grows by the archive's size and the
 * archive is uploaded at its old end. */
gboolean vmi_inject_volume(virStorageVolPtr vol, const GPtrArray *files, GError **error);

G_END_DECLS
