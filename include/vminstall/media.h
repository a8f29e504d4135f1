/*
 * Install media: where the kernel and initrd of an install tree are, and
 * copying them where the hypervisor can read them.
 */
#pragma once

#include <glib.h>
#include "request.h"

G_BEGIN_DECLS

typedef struct {
  char *kernel;     /* absolute path of the kernel to boot the installer */
  char *initrd;
  char *cdrom;      /* install media to attach as a cdrom, if any */
  char *layout;     /* "treeinfo", "debian-url", ... for messages */
} VmiBootFiles;

void vmi_boot_files_clear(VmiBootFiles *files);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiBootFiles, vmi_boot_files_clear)

/* Finds the installer's kernel and initrd for --location or --install
 * kernel=/initrd=.  @os_type is the guest's (hvm, xen). */
gboolean vmi_media_find_boot_files(const VmiInstall *install, const char *arch,
                                   const char *os_type, VmiBootFiles *out,
                                   GError **error);

/* The kernel command line of the install phase, or NULL. */
char *vmi_media_kernel_args(const VmiInstall *install);

/* Directory the hypervisor can read: the system one for privileged local
 * connections when writable, else a per-user cache directory (created). */
char *vmi_media_scratch_dir(gboolean privileged, gboolean xen, GError **error);

typedef struct {
  char *kernel;     /* staged copies */
  char *initrd;
  gboolean copied;  /* files exist and must be removed */
} VmiStaged;

/* Copies kernel and initrd into @dir under unique names
 * (vminstall-XXXXXX-BASENAME).  With @copy FALSE only the names are
 * made up, for --print-xml. */
gboolean vmi_media_stage(const VmiBootFiles *files, const char *dir, gboolean copy,
                         VmiStaged *out, GError **error);
/* Removes staged copies; safe to call twice. */
void vmi_staged_clear(VmiStaged *staged);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiStaged, vmi_staged_clear)

G_END_DECLS
