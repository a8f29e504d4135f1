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

/* What kind of guest it is, as virt-install's DomainOs answers it: the one
 * set of these rules for every module. */
gboolean vmi_guest_is_hvm(const VmiGuest *guest);
gboolean vmi_guest_is_xen_pv(const VmiGuest *guest);   /* os type xen (or linux) */
gboolean vmi_guest_is_container(const VmiGuest *guest); /* os type exe */
gboolean vmi_guest_is_x86(const VmiGuest *guest);
gboolean vmi_guest_is_q35(const VmiGuest *guest);
gboolean vmi_guest_is_uefi(const VmiGuest *guest);      /* firmware efi, or a pflash loader */
gboolean vmi_guest_has_spice(const VmiGuest *guest);
/* The same rules for the plain values, where there is no guest yet. */
gboolean vmi_os_type_is_xen_pv(const char *os_type);
gboolean vmi_arch_is_x86(const char *arch);             /* x86_64, i686, i386 */
gboolean vmi_arch_is_64bit(const char *arch);

/* Serialises the domain the way virsh dumpxml does (2-space indent). */
char *vmi_guest_to_xml(const VmiGuest *guest);

/* Puts the document in append mode: the plan edits a parsed-back copy. */
void vmi_guest_set_append_mode(VmiGuest *guest, gboolean append);

G_END_DECLS
