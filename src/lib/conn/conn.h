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
#include "vminstall/conn.h"

G_BEGIN_DECLS

/* vmi_conn_new does no I/O: a test URI's options are checked there,
 * unknown ones are an error, as in virt-install. */

/* Sets @error (VMI_ERROR_LIBVIRT) from libvirt's last error of this
 * thread and resets it: "@fmt...: <libvirt message>", or just libvirt's
 * message when @fmt is NULL.  A libvirt error handler that prints nothing
 * is installed by vmi_conn_new, so this is where libvirt errors go. */
void vmi_libvirt_error(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* vmi_conn_get: with the default URI (no @uri, no LIBVIRT_DEFAULT_URI)
 * and no daemon answering, it opens the embedded QEMU driver instead
 * (qemu:///embed?root=DIR, DIR from vmi_embed_root_dir) and
 * vmi_conn_notice says so. */
gboolean vmi_conn_is_open(const VmiConn *conn);
/* Closes the connection (if any) and opens the same URI again: after the
 * daemon restarted.  Pointers from vmi_conn_get become invalid. */
gboolean vmi_conn_reopen(VmiConn *conn, GError **error);
/* The URI is the QEMU driver embedded in this process (qemu:///embed). */
gboolean vmi_conn_is_embedded(const VmiConn *conn);

/* Registers libvirt's default event loop and runs it in a thread of its
 * own, once per process; vmi_conn_get calls it before opening.  Lifecycle
 * events, console streams and the embedded driver's QEMU monitor all
 * need that loop running. */
void vmi_event_loop_ensure(void);

/* The embedded driver's root directory: $VMINSTALL_EMBED_ROOT, else
 * /var/lib/vminstall for root and $XDG_STATE_HOME/vminstall (or
 * ~/.local/state/vminstall) for others; a per-user runtime directory when
 * that path is too long for the UNIX sockets QEMU gets under it. */
char *vmi_embed_root_dir(void);
/* Creates @root and its etc/qemu.conf (when missing) for a
 * daemon-less host: QEMU's output goes to files, not to virtlogd. */
gboolean vmi_embed_prepare(const char *root, GError **error);
/* qemu:///embed?root=ROOT, escaped. */
char *vmi_embed_uri(const char *root);
/* The root directory of the embedded driver this connection opens (or
 * opened), or NULL when it is not the embedded driver. */
char *vmi_conn_embed_root(const VmiConn *conn);

/* One line for the user when /dev/kvm exists but the QEMU processes of
 * this local QEMU connection cannot open it (libvirt is then very slow:
 * it re-probes QEMU at every capabilities lookup), naming the fix; NULL
 * when all is well or the connection is remote, not QEMU, or a test. */
char *vmi_conn_kvm_warning(VmiConn *conn);
/* The same check for @device and the QEMU user @user ("NAME" or "+UID"):
 * the line, or NULL when @user can read and write @device (or either is
 * missing). */
char *vmi_kvm_access_problem(const char *device, const char *user);

/* The driver of the advertised URI: its scheme without the transport, as
 * virt-install tests it (by prefix: libxl is xen, parallels is vz). */
typedef enum {
  VMI_DRIVER_QEMU,
  VMI_DRIVER_TEST,
  VMI_DRIVER_XEN,
  VMI_DRIVER_LXC,
  VMI_DRIVER_OPENVZ,
  VMI_DRIVER_VZ,
  VMI_DRIVER_BHYVE,
  VMI_DRIVER_OTHER,     /* any other scheme (esx, hyperv ...) */
} VmiDriver;

VmiDriver vmi_conn_driver(const VmiConn *conn);
/* "qemu", "test", "xen", "lxc", "openvz", "vz", "bhyve"; NULL for OTHER. */
const char *vmi_driver_name(VmiDriver driver);
/* The driver's name, or the URI's scheme for any other driver. */
const char *vmi_conn_driver_name(const VmiConn *conn);
/* Drivers that run nothing but containers (lxc, openvz). */
gboolean vmi_driver_is_container_only(VmiDriver driver);
/* The URI actually opened (differs from vmi_conn_uri with a fakeuri). */
const char *vmi_conn_open_uri(const VmiConn *conn);
/* The opened URI is the test driver, whatever the fakeuri says. */
gboolean vmi_conn_is_really_test(const VmiConn *conn);
/* The advertised URI names a host (qemu+ssh://host/system). */
gboolean vmi_conn_is_remote(const VmiConn *conn);
/* Unprivileged, virt-install's rule: path /session, or /embed when not
 * root; every other path (/system ...) is privileged. */
gboolean vmi_conn_is_session(const VmiConn *conn);
const char *vmi_conn_uri_hostname(const VmiConn *conn);   /* NULL if none */
const char *vmi_conn_uri_transport(const VmiConn *conn);  /* "ssh", "tls" ...; NULL if none */
/* The test URI asked for predictable UUIDs, MACs and file names. */
gboolean vmi_conn_is_predictable(const VmiConn *conn);
/* The test URI has a fakeuri: XML sent to the test driver must be made
 * acceptable to it (virt-install's sanitize_xml_for_test_define). */
gboolean vmi_conn_has_fakeuri(const VmiConn *conn);
/* /var/lib/libvirt when privileged, else $XDG_DATA_HOME or
 * ~/.local/share/libvirt (virt-install's get_libvirt_data_root_dir). */
char *vmi_conn_data_root_dir(const VmiConn *conn);

/* Cached; borrowed.  With a test URI's caps=FILE the file is read and the
 * driver is not contacted. */
const VmiCaps *vmi_conn_caps(VmiConn *conn, GError **error);
/* Domain capabilities for the combination (NULL arguments: the driver's
 * choice); an empty VmiDomcaps when the driver has none or refuses the
 * combination, as virt-install does.  With a test URI's domcaps=FILE, that
 * file for every combination with its <arch> replaced by @arch.  Cached
 * per combination; borrowed. */
const VmiDomcaps *vmi_conn_domcaps(VmiConn *conn, const char *emulator,
                                   const char *arch, const char *machine,
                                   const char *virt_type, GError **error);

/* FALSE with @error set only when the connection cannot be opened; any
 * lookup failure means "no such domain", as in virt-install. */
gboolean vmi_conn_domain_name_exists(VmiConn *conn, const char *name, GError **error);
gboolean vmi_conn_domain_uuid_exists(VmiConn *conn, const char *uuid, GError **error);

/* TRUE if a network called @name exists (active or not). */
gboolean vmi_conn_network_exists(VmiConn *conn, const char *name);

/* Target path of the pool named @name, or NULL (error set) when missing. */
char *vmi_conn_pool_path(VmiConn *conn, const char *name, GError **error);
/* Name of the first pool (active or not) whose target path is @dir, or
 * NULL; both are compared as absolute, normalised paths. */
char *vmi_conn_pool_for_dir(VmiConn *conn, const char *dir);
/* Path of volume @vol in pool @pool, or NULL (error set). */
char *vmi_conn_volume_path(VmiConn *conn, const char *pool, const char *vol, GError **error);
/* TRUE if a storage volume has the path @path, or, on a local connection,
 * a file exists there (virt-install's path_definitely_exists, without its
 * starting and refreshing of inactive pools). */
gboolean vmi_conn_path_exists(VmiConn *conn, const char *path);

G_END_DECLS
