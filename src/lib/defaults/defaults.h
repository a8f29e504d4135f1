/*
 * Fills in what the user left out, the way virt-install 4.1.0 does: from
 * the connection's capabilities and domain capabilities and the OS's
 * osinfo record.  Needs the connection (opened on demand) but changes
 * nothing on it.
 *
 * Two calls with the install media put into the guest in between
 * (vmi_plan_prepare), in the order of virt-install's build_guest_instance:
 * vmi_defaults_begin (capabilities, OS, name, memory, vCPUs, default disk,
 * the disks' storage), then vmi_defaults_finish (every device, the checks,
 * the OS metadata).
 */
#pragma once

#include <glib.h>
#include "conn.h"
#include "guest.h"
#include "osinfo.h"
#include "request.h"

G_BEGIN_DECLS

typedef struct {
  const VmiRequest *req;  /* what the user asked for (read only) */
  VmiGuest *guest;        /* the guest to complete: a copy of req->guest */
  GPtrArray *storage;     /* VmiDiskStorage* of @guest's disks, completed too */
  const VmiOsSpec *os;    /* the OS asked for, or the one the media hold */
  gboolean check_name;    /* a name in use is an error (virt-install checks it
                           * only when it creates the guest) */
  GPtrArray *notices;     /* lines virt-install prints on stdout ("Using default
                           * --name vm1") are appended here; may be NULL */
} VmiDefaultsInput;

typedef struct _VmiDefaults VmiDefaults;

/* The first part; NULL with @error.  @in and what it points to must
 * outlive the result. */
VmiDefaults *vmi_defaults_begin(const VmiDefaultsInput *in, VmiConn *conn, GError **error);

/* The rest: the guest becomes the complete post-install guest (install
 * media devices included, phase changes not yet applied).  @out_os
 * receives the OS the guest was configured for. */
gboolean vmi_defaults_finish(VmiDefaults *d, VmiOs **out_os, GError **error);

void vmi_defaults_free(VmiDefaults *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiDefaults, vmi_defaults_free)

/* Appends a cdrom holding @path to @guest, after every other device (the
 * install phase's cloud-init seed or unattended script disk, as
 * virt-install adds it to its finished guest), with the disk defaults
 * (bus, target, driver, readonly). */
gboolean vmi_defaults_add_cdrom(VmiGuest *guest, const VmiRequest *req, VmiConn *conn,
                                const VmiOs *os, const char *path, GError **error);

G_END_DECLS
