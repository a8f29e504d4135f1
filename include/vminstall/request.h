/**
 * @file request.h
 * @brief What the user asks for: the guest and how to install it.
 *
 * A request is written in virt-install's option language, the options of
 * `vminstall --help` (without the tool's own: --print-xml, --print-xl,
 * --dry-run, --quiet, --debug, --inspect-media, --json, --help,
 * --version).  Each setter records one option; the request is read as a
 * whole, exactly as a command line is, when an installer first uses it
 * (vmi_installer_new()), and it never changes after that.  Unknown
 * options and bad values are reported then, with the words of the
 * command-line tool.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** The user's request (opaque). */
typedef struct _VmiRequest VmiRequest;

/** A new, empty request. */
VmiRequest *vmi_request_new(void);

/** Frees @p req (NULL is fine). */
void vmi_request_free(VmiRequest *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiRequest, vmi_request_free)

/**
 * Records the option `--NAME VALUE`.
 *
 * @param req    a request not yet used by an installer
 * @param name   the option's long name without "--" ("disk", "boot",
 *               "cloud-init" ...)
 * @param value  its value in virt-install's syntax ("size=10,bus=virtio"),
 *               or NULL for a flag ("import") or a bare optional value
 *               ("cloud-init")
 * @param error  set when @p req is already in use
 * @return FALSE when @p req is already in use
 *
 * An option given twice behaves as on a command line: the last one wins,
 * or each adds a device (--disk, --network ...).
 */
gboolean vmi_request_add_option(VmiRequest *req, const char *name, const char *value,
                                GError **error);

/** `--name NAME`: the guest's name. */
void vmi_request_set_name(VmiRequest *req, const char *name);
/** `--memory MIB`: the guest's memory in MiB. */
void vmi_request_set_memory(VmiRequest *req, guint64 mib);
/** `--vcpus N`. */
void vmi_request_set_vcpus(VmiRequest *req, guint vcpus);
/** `--osinfo OS`: the OS short id ("fedora36", "win10", "linux2020",
 *  "generic") or virt-install's suboptions ("detect=on,require=off"). */
void vmi_request_set_os(VmiRequest *req, const char *os);
/** `--disk DISK`: one disk ("size=20,bus=virtio", "/path/to/image", or
 *  "none" for a guest without storage). */
void vmi_request_add_disk(VmiRequest *req, const char *disk);
/** `--network NETWORK`: one NIC ("network=default", "bridge=br0", or
 *  "none"). */
void vmi_request_add_network(VmiRequest *req, const char *network);
/** `--cdrom PATH`: install from this ISO image. */
void vmi_request_set_cdrom(VmiRequest *req, const char *path);
/** `--location SRC`: install from a tree, an ISO or a URL. */
void vmi_request_set_location(VmiRequest *req, const char *location);
/** `--import`: boot the first disk as it is. */
void vmi_request_set_import(VmiRequest *req);

G_END_DECLS
