/*
 * cloud-init: the NoCloud data of --cloud-init (user-data, meta-data,
 * network-config) and the seed ISO that carries them to the guest's
 * first boot (volume label CIDATA), as virt-install's cloudinit module
 * does, plus the checks virt-install leaves out: a user-data file must be
 * one cloud-init reads, YAML must parse, a private key is refused as a
 * public one, password files others can read are named in a warning.
 *
 * The ISO writer (libisofs, no external program) serves the unattended
 * module's script cdrom too.
 */
#pragma once

#include <glib.h>
#include "request.h"

G_BEGIN_DECLS

typedef struct _VmiCloudInit VmiCloudInit;

/* Reads and checks the files @opts names and builds the three documents.
 * @bare: --cloud-init was given without suboptions (virt-install's
 * default root-password-generate=on,disable=on, with its warning).
 * @hostname, @instance_id: for the generated meta-data when no meta-data
 * file is given (NULL: none).  Warnings are appended to @warnings. */
VmiCloudInit *vmi_cloudinit_new(const VmiCloudInitOpts *opts, gboolean bare,
                                const char *hostname, const char *instance_id,
                                GPtrArray *warnings, GError **error);
/* Wipes the passwords from memory. */
void vmi_cloudinit_free(VmiCloudInit *ci);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCloudInit, vmi_cloudinit_free)

const char *vmi_cloudinit_user_data(const VmiCloudInit *ci);
const char *vmi_cloudinit_meta_data(const VmiCloudInit *ci);
/* NULL when there is no network-config. */
const char *vmi_cloudinit_network_config(const VmiCloudInit *ci);
/* The generated root password (root-password-generate=on), or NULL.  The
 * caller shows it once on the terminal and nowhere else. */
const char *vmi_cloudinit_generated_password(const VmiCloudInit *ci);

/* Writes the NoCloud seed ISO (label CIDATA: meta-data, user-data and
 * network-config when there is one) to @fd. */
gboolean vmi_cloudinit_write_seed(const VmiCloudInit *ci, int fd, GError **error);

/* ---- ISO writing (libisofs) ---- */

typedef struct {
  const char *name;   /* in the root directory */
  const void *data;
  gsize len;
} VmiIsoFile;

/* Writes an ISO 9660 image with Rock Ridge and Joliet names, owner root,
 * read-only permissions (like xorrisofs -J -rational-rock), holding
 * @files in its root directory, to @fd. */
gboolean vmi_iso_write(int fd, const char *volume_id, const VmiIsoFile *files, guint n,
                       GError **error);

G_END_DECLS
