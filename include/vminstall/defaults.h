/*
 * Fills in what the user left out, the way virt-install 4.1.0 does: from
 * the connection's capabilities and domain capabilities and the OS's
 * osinfo record.  Needs the connection (opened on demand) but changes
 * nothing on it.
 */
#pragma once

#include <glib.h>
#include "request.h"
#include "conn.h"
#include "osinfo.h"

G_BEGIN_DECLS

/* Turns req->guest into the complete post-install guest (install media
 * devices included, phase changes not yet applied).  @out_os receives the
 * OS the guest was configured for.  Notices virt-install prints on stdout
 * ("Using default --name vm1") are appended to @notices when non-NULL. */
gboolean vmi_defaults_apply(VmiRequest *req, VmiConn *conn, VmiOs **out_os,
                            GPtrArray *notices, GError **error);

/* Appends a cdrom holding @path to req->guest, after every other device
 * (the install phase's cloud-init seed or unattended script disk, as
 * virt-install adds it to its finished guest), with the disk defaults
 * (bus, target, driver, readonly). */
gboolean vmi_defaults_add_cdrom(VmiRequest *req, VmiConn *conn, const VmiOs *os,
                                const char *path, GError **error);

G_END_DECLS
