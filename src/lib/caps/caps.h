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
  char *emulator;         /* the domain's own, else the guest's; may be NULL */
  char *loader;           /* may be NULL */
  int wordsize;           /* 32, 64; 0 when not reported */
  /* char*: the domain's <machine> list if it has one, else the guest's;
   * each name followed by its canonical= target unless already listed,
   * exactly as virt-install orders them (duplicates kept).  Never NULL. */
  GPtrArray *machines;
  gboolean pae;           /* guest feature <pae/> listed */
  gboolean nonpae;        /* guest feature <nonpae/> listed */
  /* virt-install's supports_acpi/apic: default= present and not 'off'
   * (a bare <acpi/> counts as unsupported, as in virt-install). */
  gboolean acpi_default;
  gboolean apic_default;
  gboolean acpi_toggle;   /* toggle='yes' */
  gboolean apic_toggle;
  /* Parallel char* arrays, from the same list as @machines: machine
   * names that carry canonical= (pc, q35 ...) and their targets. */
  GPtrArray *aliases;
  GPtrArray *alias_targets;
} VmiCapsGuest;

VmiCaps *vmi_caps_new_from_xml(const char *xml, GError **error);
void vmi_caps_free(VmiCaps *caps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCaps, vmi_caps_free)

const char *vmi_caps_host_arch(const VmiCaps *caps);
/* <host><cpu><model>, or NULL (host-model-only CPU default). */
const char *vmi_caps_host_cpu_model(const VmiCaps *caps);
/* TRUE if the host lists <secmodel><model>@model</model> (selinux, apparmor, dac). */
gboolean vmi_caps_has_secmodel(const VmiCaps *caps, const char *model);
/* The user and uid the 'dac' secmodel runs qemu/kvm guests as (+64055:+994
 * -> "libvirt-qemu", 64055), like get_qemu_baselabel; FALSE when not
 * reported or the uid has no passwd entry.  @user may be NULL. */
gboolean vmi_caps_qemu_user(const VmiCaps *caps, char **user, guint *uid);
/* TRUE if any guest has at least one <domain> (has_install_options). */
gboolean vmi_caps_has_install_options(const VmiCaps *caps);

/* Chooses the guest entry like virt-install's Capabilities.guest_lookup:
 * any argument may be NULL (or "") for "best choice": os_type "linux" means
 * xen; without @arch the host arch is tried first, then any; the first
 * matching <guest> in document order wins; among its domains kvm, then xen,
 * then qemu, else the last one, restricted to @domain_type (any case) and to
 * domains whose machine list has @machine.  The result is a new struct;
 * errors (VMI_ERROR_UNSUPPORTED) are virt-install's words, naming what was
 * asked. */
VmiCapsGuest *vmi_caps_lookup_guest(const VmiCaps *caps, const char *os_type,
                                    const char *arch, const char *domain_type,
                                    const char *machine, GError **error);
void vmi_caps_guest_free(VmiCapsGuest *guest);

/* What the host offers, for error messages: @what is "arch", "os_type" or
 * "domain_type", restricted to @os_type and @arch when given (new array
 * of strings, in capabilities order, no duplicates). */
GPtrArray *vmi_caps_offered(const VmiCaps *caps, const char *what,
                            const char *os_type, const char *arch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCapsGuest, vmi_caps_guest_free)

/* TRUE if @alias is a machine alias of @machine (pc -> pc-i440fx-7.2). */
gboolean vmi_caps_guest_machine_is_alias(const VmiCapsGuest *guest,
                                         const char *alias, const char *machine);
/* TRUE if @machine is in guest->machines. */
gboolean vmi_caps_guest_has_machine(const VmiCapsGuest *guest, const char *machine);

VmiDomcaps *vmi_domcaps_new_from_xml(const char *xml, GError **error);
/* Empty domcaps for drivers that do not report any (test driver). */
VmiDomcaps *vmi_domcaps_new_empty(void);
void vmi_domcaps_free(VmiDomcaps *domcaps);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiDomcaps, vmi_domcaps_free)

/* <machine>, <arch>, <domain>, <path>; NULL when empty. */
const char *vmi_domcaps_machine(const VmiDomcaps *dc);
const char *vmi_domcaps_arch(const VmiDomcaps *dc);
const char *vmi_domcaps_domain(const VmiDomcaps *dc);
const char *vmi_domcaps_path(const VmiDomcaps *dc);
/* os <enum name='firmware'> lists efi. */
gboolean vmi_domcaps_supports_firmware_efi(const VmiDomcaps *dc);
/* os/loader <enum name='readonly'> lists yes. */
gboolean vmi_domcaps_supports_uefi_loader(const VmiDomcaps *dc);
/* The arch is one virt-install knows UEFI binaries for (i686, x86_64,
 * aarch64, armv7l). */
gboolean vmi_domcaps_arch_can_uefi(const VmiDomcaps *dc);
/* Default UEFI loader path for the arch, like find_uefi_path_for_arch:
 * the first os/loader <value> matching the arch's patterns, trying the
 * patterns in virt-install's order; NULL when none (bhyve's rule is not
 * covered: it has no QEMU firmware names). */
const char *vmi_domcaps_find_uefi_path(const VmiDomcaps *dc);
/* devices/tpm lists a model and the 'emulator' backend (and is not
 * armv7l with only tpm-tis, which libvirt then rejects). */
gboolean vmi_domcaps_supports_tpm_emulator(const VmiDomcaps *dc);

/* @path is a '/'-separated element path below <domainCapabilities>;
 * a step may select by its name attribute: "cpu/mode[host-model]".
 * The first matching element is used, as virt-install does. */

/* TRUE if <enum name=@enum_name> under the element at @path lists @value,
 * e.g. ("devices/video", "modelType", "virtio"). */
gboolean vmi_domcaps_enum_has(const VmiDomcaps *dc, const char *path,
                              const char *enum_name, const char *value);
/* TRUE if the element at @path has an <enum name=@enum_name> at all. */
gboolean vmi_domcaps_has_enum(const VmiDomcaps *dc, const char *path,
                              const char *enum_name);
/* The enum's values (new array of new strings; empty when missing). */
GPtrArray *vmi_domcaps_enum_values(const VmiDomcaps *dc, const char *path,
                                   const char *enum_name);
/* The <value> children directly under @path, e.g. "os/loader" firmware
 * paths (new array of new strings; empty when missing). */
GPtrArray *vmi_domcaps_values(const VmiDomcaps *dc, const char *path);
/* TRUE if the element at @path has supported='yes' (virt-install also
 * takes any value other than yes/no as true). */
gboolean vmi_domcaps_supported(const VmiDomcaps *dc, const char *path);
/* TRUE if the element at @path has a supported= attribute at all
 * (virt-install's ".present": devices/tpm decides the default TPM model). */
gboolean vmi_domcaps_present(const VmiDomcaps *dc, const char *path);
/* cpu <mode name=@mode supported='yes'> (host-passthrough, host-model,
 * maximum, custom). */
gboolean vmi_domcaps_cpu_mode_supported(const VmiDomcaps *dc, const char *mode);
/* virt-install's default CPU mode choice: host-passthrough is "safe" when
 * supported and hostPassthroughMigratable lists on; host-model when
 * supported and its first <model> has fallback='forbid'. */
gboolean vmi_domcaps_supports_safe_host_passthrough(const VmiDomcaps *dc);
gboolean vmi_domcaps_supports_safe_host_model(const VmiDomcaps *dc);
/* Usable (usable != 'no') models of a supported custom mode (new array). */
GPtrArray *vmi_domcaps_cpu_models(const VmiDomcaps *dc);
/* features/sev supported; with @check_es also a non-empty <maxESGuests>. */
gboolean vmi_domcaps_supports_sev(const VmiDomcaps *dc, gboolean check_es);
gboolean vmi_domcaps_is_empty(const VmiDomcaps *dc);

G_END_DECLS
