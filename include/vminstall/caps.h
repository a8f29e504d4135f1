/*
 * Host capabilities and domain capabilities XML, parsed into the facts
 * defaults need, with virt-install's lookup rules.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VmiCaps VmiCaps;
typedef struct _VmiDomcaps VmiDomcaps;

/* One <guest>/<arch>/<domain> combination chosen for a guest. */
typedef struct {
  char *os_type;          /* hvm, xen, exe */
  char *arch;             /* x86_64, i686 ... */
  char *domain_type;      /* kvm, qemu, test, xen */
  char *emulator;         /* may be NULL */
  char *loader;           /* may be NULL */
  GPtrArray *machines;    /* char*, canonical names first as virt-install orders them */
  gboolean pae;           /* guest feature pae listed */
  gboolean nonpae;
  gboolean acpi_default;  /* <acpi default='on'/> or plain <acpi/> */
  gboolean apic_default;
} VmiCapsGuest;

VmiCaps *vmi_caps_new_from_xml(const char *xml, GError **error);
void vmi_caps_free(VmiCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCaps, vmi_caps_free)

const char *vmi_caps_host_arch(const VmiCaps *caps);

/* Chooses the guest entry like virt-install's Capabilities.guest_lookup:
 * any argument may be NULL for "best choice".  The result is a new
 * struct; errors name what was asked and what the host offers. */
VmiCapsGuest *vmi_caps_lookup_guest(const VmiCaps *caps, const char *os_type,
                                    const char *arch, const char *domain_type,
                                    const char *machine, GError **error);
void vmi_caps_guest_free(VmiCapsGuest *guest);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCapsGuest, vmi_caps_guest_free)

/* TRUE if @alias is a machine alias of @machine (pc -> pc-i440fx-7.2). */
gboolean vmi_caps_guest_machine_is_alias(const VmiCapsGuest *guest,
                                         const char *alias, const char *machine);

VmiDomcaps *vmi_domcaps_new_from_xml(const char *xml, GError **error);
/* Empty domcaps for drivers that do not report any (test driver). */
VmiDomcaps *vmi_domcaps_new_empty(void);
void vmi_domcaps_free(VmiDomcaps *domcaps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiDomcaps, vmi_domcaps_free)

const char *vmi_domcaps_machine(const VmiDomcaps *dc);
const char *vmi_domcaps_arch(const VmiDomcaps *dc);
gboolean vmi_domcaps_supports_firmware_efi(const VmiDomcaps *dc);
gboolean vmi_domcaps_supports_uefi_loader(const VmiDomcaps *dc);
/* Default UEFI loader path for the arch, like find_uefi_path_for_arch. */
const char *vmi_domcaps_find_uefi_path(const VmiDomcaps *dc);
gboolean vmi_domcaps_supports_tpm_emulator(const VmiDomcaps *dc);
/* TRUE if <enum name=@enum_name> under the element at @path lists @value,
 * e.g. ("devices/video", "modelType", "virtio"). */
gboolean vmi_domcaps_enum_has(const VmiDomcaps *dc, const char *path,
                              const char *enum_name, const char *value);
/* TRUE if the element at @path has an <enum name=@enum_name> at all. */
gboolean vmi_domcaps_has_enum(const VmiDomcaps *dc, const char *path,
                              const char *enum_name);
/* TRUE if the element at @path has supported='yes' ("cpu/mode[host-passthrough]"
 * style lookups use vmi_domcaps_cpu_mode_supported). */
gboolean vmi_domcaps_supported(const VmiDomcaps *dc, const char *path);
gboolean vmi_domcaps_cpu_mode_supported(const VmiDomcaps *dc, const char *mode);
gboolean vmi_domcaps_is_empty(const VmiDomcaps *dc);

G_END_DECLS
