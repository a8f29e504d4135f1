/* Shared state of the defaults module; not public API. */
#pragma once

#include "defaults.h"
#include "caps.h"
#include "guest.h"
#include "xmlnode.h"
#include "vminstall/error.h"

/* libvirt feature checks virt-install makes through its support module.
 * Modern libvirt and QEMU are assumed, so each reduces to the driver. */
typedef enum {
  VMI_SUPPORT_DEFAULT_QCOW2,
  VMI_SUPPORT_AUTOSOCKET,
  VMI_SUPPORT_PM_DISABLE,
  VMI_SUPPORT_HYPERV_VAPIC,
  VMI_SUPPORT_HYPERV_CLOCK,
  VMI_SUPPORT_VMPORT,
  VMI_SUPPORT_RNG_URANDOM,
  VMI_SUPPORT_USB3_PORTS,
  VMI_SUPPORT_QEMU_XHCI,
  VMI_SUPPORT_Q35_DEFAULT,
  VMI_SUPPORT_DISK_DRIVER_NAME_QEMU,
  VMI_SUPPORT_DEVICE_BOOT_ORDER,
} VmiSupport;

struct _VmiDefaults {
  const VmiRequest *req;
  VmiGuest *guest;        /* the guest being completed, borrowed */
  xmlNodePtr root;        /* its <domain> */
  GPtrArray *storage;     /* VmiDiskStorage* of its disks, borrowed */
  const VmiOsSpec *os_spec;
  gboolean check_name;
  VmiConn *conn;
  VmiDriver driver;       /* the connection's */
  const VmiCaps *caps;
  VmiCapsGuest *capsinfo; /* owned */
  const VmiDomcaps *domcaps; /* lazily looked up, borrowed from conn */
  VmiDomcaps *empty_domcaps; /* owned; stands in when the driver has none */
  VmiOs *os;              /* owned until handed out */
  GPtrArray *notices;     /* may be NULL */
  gboolean uefi_requested;
};

gboolean vmi_defaults_support(VmiDefaults *d, VmiSupport what);

/* Replaces the string in *@ptr by a copy of @value (GLib 2.76 has g_set_str). */
static inline void
vmi_set_str(char **ptr, const char *value)
{
  char *copy = g_strdup(value);
  g_free(*ptr);
  *ptr = copy;
}

gboolean vmi_d_supports_virtio(VmiDefaults *d, VmiOsFeature feature);
const VmiDomcaps *vmi_d_domcaps(VmiDefaults *d);
void vmi_d_notice(VmiDefaults *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* <cpu><topology> and <vcpu> must agree; fills whichever is missing. */
gboolean vmi_defaults_sync_vcpus(VmiDefaults *d, gint64 def_cpus, GError **error);

/* Steps, in the order virt-install runs them. */
gboolean vmi_defaults_caps(VmiDefaults *d, GError **error);
gboolean vmi_defaults_disks(VmiDefaults *d, GError **error);
gboolean vmi_defaults_guest(VmiDefaults *d, GError **error);
gboolean vmi_defaults_devices(VmiDefaults *d, GError **error);
void vmi_defaults_domain(VmiDefaults *d);
gboolean vmi_defaults_validate(VmiDefaults *d, GError **error);
/* Sets @type of a disk with a path but no --disk storage entry (the
 * install cdrom) and returns the format found there, if any. */
void vmi_defaults_disk_source_facts(VmiDefaults *d, xmlNodePtr disk, char **format);
