/**
 * @file conn.h
 * @brief A libvirt connection, opened on first need.
 *
 * Creating a connection opens nothing; the installer connects when a
 * step needs the hypervisor (commands that print an offline
 * configuration never do).  Besides libvirt's URIs, the test-suite form
 * of virt-install is accepted:
 * `__virtinst_test__test:///abs/testdriver.xml,caps=FILE,domcaps=FILE,fakeuri=qemu:///system`.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>

G_BEGIN_DECLS

/** A connection (opaque). */
typedef struct _VmiConn VmiConn;

/**
 * A connection to @p uri, not opened yet.
 * @param uri  a libvirt URI; NULL or "" for the default
 *             (LIBVIRT_DEFAULT_URI, else qemu:///system for root and
 *             qemu:///session for others; when no daemon answers there,
 *             the QEMU driver embedded in this process)
 * @param error  set when the URI is a test URI with unknown options
 * @return NULL with @p error
 */
VmiConn *vmi_conn_new(const char *uri, GError **error);

/** Closes and frees @p conn (NULL is fine). */
void vmi_conn_free(VmiConn *conn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiConn, vmi_conn_free)

/** The URI the connection stands for (a test URI's fakeuri). */
const char *vmi_conn_uri(const VmiConn *conn);

/**
 * The libvirt connection, opened on the first call.
 * @return borrowed from @p conn; NULL with @p error when it cannot be
 *         opened
 */
virConnectPtr vmi_conn_get(VmiConn *conn, GError **error);

/** A line for the user about how the connection was chosen (the
 *  embedded driver used because no daemon answered), or NULL. */
const char *vmi_conn_notice(const VmiConn *conn);

G_END_DECLS
