/*
 * One libvirt connection, opened lazily on first need.
 *
 * Accepts virt-install's test-suite URI form too, so the same command line
 * runs under both tools:
 *   __virtinst_test__test:///abs/testdriver.xml,caps=FILE,domcaps=FILE,fakeuri=qemu:///system
 * 'caps'/'domcaps' replace what the driver reports, 'fakeuri' is the URI the
 * connection claims to be (driver kind, privilege, remoteness).
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include "caps.h"

G_BEGIN_DECLS

typedef struct _VmiConn VmiConn;

/* No I/O: @uri NULL means the default (LIBVIRT_DEFAULT_URI, qemu:///system
 * for root, qemu:///session otherwise). */
VmiConn *vmi_conn_new(const char *uri, GError **error);
void vmi_conn_free(VmiConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiConn, vmi_conn_free)

/* The live connection, opening it on first call; borrowed. */
virConnectPtr vmi_conn_get(VmiConn *conn, GError **error);
gboolean vmi_conn_is_open(const VmiConn *conn);

const char *vmi_conn_uri(const VmiConn *conn);      /* the advertised URI */
const char *vmi_conn_driver(const VmiConn *conn);   /* "qemu", "test", "xen", ... */
/* The URI actually opened (differs from vmi_conn_uri with a fakeuri). */
const char *vmi_conn_open_uri(const VmiConn *conn);
gboolean vmi_conn_is_qemu(const VmiConn *conn);
gboolean vmi_conn_is_test(const VmiConn *conn);
gboolean vmi_conn_is_xen(const VmiConn *conn);
gboolean vmi_conn_is_remote(const VmiConn *conn);
gboolean vmi_conn_is_session(const VmiConn *conn);  /* unprivileged */

/* Cached; borrowed. */
const VmiCaps *vmi_conn_caps(VmiConn *conn, GError **error);
/* Domain capabilities for the combination; an empty VmiDomcaps when the
 * driver has none.  Cached per combination; borrowed. */
const VmiDomcaps *vmi_conn_domcaps(VmiConn *conn, const char *emulator,
                                   const char *arch, const char *machine,
                                   const char *virt_type, GError **error);

gboolean vmi_conn_domain_name_exists(VmiConn *conn, const char *name, GError **error);
gboolean vmi_conn_domain_uuid_exists(VmiConn *conn, const char *uuid, GError **error);

/* TRUE if a network called @name exists (active or not). */
gboolean vmi_conn_network_exists(VmiConn *conn, const char *name);

/* Target path of the pool named @name, or NULL (error set) when missing. */
char *vmi_conn_pool_path(VmiConn *conn, const char *name, GError **error);
/* Name of the pool whose target path is @dir, or NULL. */
char *vmi_conn_pool_for_dir(VmiConn *conn, const char *dir);
/* Path of volume @vol in pool @pool, or NULL (error set). */
char *vmi_conn_volume_path(VmiConn *conn, const char *pool, const char *vol, GError **error);
/* TRUE if a storage volume or a local file exists at @path. */
gboolean vmi_conn_path_exists(VmiConn *conn, const char *path);

G_END_DECLS
