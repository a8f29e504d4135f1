/*
 * The guest: one libvirt domain configuration held as a libxml2 document.
 *
 * The command line writes what the user said into it, defaults fill the
 * rest, the plan copies it into the install and post-install phases and
 * format serialises it.  Keeping the configuration as XML (rather than as
 * C structs) means every value reaches the output through libxml2 and
 * unknown-to-us elements survive untouched.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

typedef struct _VmiGuest VmiGuest;

/* Device element names, in the order libvirt and virt-install list them. */
extern const char *const vmi_device_types[];

VmiGuest *vmi_guest_new(void);
VmiGuest *vmi_guest_new_from_xml(const char *xml, GError **error);
VmiGuest *vmi_guest_copy(const VmiGuest *guest);
void vmi_guest_free(VmiGuest *guest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiGuest, vmi_guest_free)

/* The <domain> element, borrowed. */
xmlNodePtr vmi_guest_root(const VmiGuest *guest);

/* Shorthands for vmi_node_get/set on the <domain> element. */
char *vmi_guest_get(const VmiGuest *guest, const char *path);
void vmi_guest_set(VmiGuest *guest, const char *path, const char *value);

/* Adds a device element of @type ("disk", "interface", ...) after the
 * last device of the same kind; returns it, borrowed. */
xmlNodePtr vmi_guest_add_device(VmiGuest *guest, const char *type);

/* Inserts @type before @before (a device of the same kind). */
xmlNodePtr vmi_guest_insert_device_before(VmiGuest *guest, xmlNodePtr before,
                                          const char *type);

/* Devices of @type (NULL: all), borrowed, in document order. */
GPtrArray *vmi_guest_devices(const VmiGuest *guest, const char *type);
guint vmi_guest_count_devices(const VmiGuest *guest, const char *type);

/* The first <disk> that is a hard disk (no device=, or device="disk"; not
 * a cdrom, floppy or lun), borrowed from @guest; NULL when it has none. */
xmlNodePtr vmi_guest_first_hard_disk(const VmiGuest *guest);

/* Serialises the domain the way virsh dumpxml does (2-space indent). */
char *vmi_guest_to_xml(const VmiGuest *guest);

/* Puts the document in append mode: the plan edits a parsed-back copy. */
void vmi_guest_set_append_mode(VmiGuest *guest, gboolean append);

G_END_DECLS
