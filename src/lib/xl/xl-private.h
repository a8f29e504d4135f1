/*
 * The xl writer's model of one Xen domain: what the libvirt XML says,
 * reduced to what xl.cfg can express.  Read (xl-read.c) refuses what has
 * no xl form, validate (xl-validate.c) applies the toolstack's rules,
 * write (xl-write.c) quotes and escapes.
 */
#pragma once

#include <glib.h>
#include "error-util.h"
#include "xl.h"

/* What xl refuses: "xl: ..." for a rule a Xen toolstack applies
 * (VMI_ERROR_INVALID), or for what xl.cfg cannot express
 * (VMI_ERROR_UNSUPPORTED). */
#define vmi_xl_invalid(error, fmt, ...) \
  vmi_fail((error), VMI_ERROR_INVALID, "xl: " fmt, ##__VA_ARGS__)
#define vmi_xl_unsupported(error, fmt, ...) \
  vmi_fail((error), VMI_ERROR_UNSUPPORTED, "xl: " fmt, ##__VA_ARGS__)

typedef enum {
  XL_PV,
  XL_HVM,
} XlKind;

typedef enum {
  XL_BACKEND_FILE,      /* file: (a regular file, any backend xl picks) */
  XL_BACKEND_PHY,       /* phy:  (a block device, blkback) */
  XL_BACKEND_TAP_AIO,   /* tap:aio: (blktap) */
} XlBackend;

typedef struct {
  char *target;         /* source path; NULL for an empty cdrom */
  char *vdev;           /* libvirt target dev: xvda, hda, sdb ...; an HVM
                         * guest's first IDE cdrom is put at hdc when free */
  char *bus;            /* libvirt target bus (ide, xen, scsi ...), may be NULL */
  char *format;         /* raw, qcow2, qcow, vhd, qed */
  XlBackend backend;
  gboolean cdrom;
  gboolean readonly;
  int boot_order;       /* <boot order=N/>, 0 when none */
} XlDisk;

typedef struct {
  char *mac;
  char *bridge;
  char *ip;
  char *model;          /* NULL: the hypervisor's default */
  char *vifname;        /* <target dev=/> */
  char *script;
  int boot_order;
} XlNic;

typedef enum {
  XL_GFX_NONE,
  XL_GFX_VNC,
  XL_GFX_SDL,
} XlGraphics;

typedef struct {
  XlKind kind;
  char *name;
  char *uuid;
  gint64 memory_mib;    /* memory at boot (currentMemory) */
  gint64 maxmem_mib;    /* 0 when equal to memory_mib */
  gint64 vcpus;
  gint64 maxvcpus;      /* 0 when equal to vcpus */

  char *kernel;
  char *ramdisk;
  char *cmdline;
  char *bootloader;
  char **bootloader_args;
  gboolean bootloader_default;  /* pygrub, as libvirt's libxl driver picks */

  GPtrArray *boot_devs; /* libvirt boot device names, in order (char*) */
  char *firmware;       /* HVM: "bios" or "ovmf" (NULL: default) */
  gboolean acpi, apic, pae, hap;
  gboolean localtime;

  XlGraphics graphics;
  char *vnc_listen;
  int vnc_display;      /* -1: vncunused */
  char *vnc_password;
  char *serial;         /* HVM: "pty", "file:PATH" ... */
  gboolean usb_tablet;
  char *vga;            /* HVM: "stdvga", "cirrus", "none", "qxl" */

  GPtrArray *disks;     /* XlDisk* */
  GPtrArray *nics;      /* XlNic* */

  char *on_poweroff;
  char *on_reboot;
  char *on_crash;
} XlDomain;

void xl_domain_free(XlDomain *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(XlDomain, xl_domain_free)

/* xl-read.c: the libvirt XML as an XlDomain; refuses what xl cannot hold. */
XlDomain *xl_domain_read(const VmiGuest *guest, const VmiXlOptions *opts, GError **error);

/* xl-validate.c: the toolstack's parameter checks. */
gboolean xl_domain_validate(const XlDomain *d, const VmiXlOptions *opts, GError **error);

/* The HVM boot order as [acdn] letters ("dc"); NULL when a device has no
 * letter (validate reports it). */
char *xl_boot_letters(const XlDomain *d, const char **bad_dev);

/* xl-write.c: the xl.cfg text. */
char *xl_domain_write(const XlDomain *d, const VmiXlOptions *opts, GError **error);

/* xl-text.c: value checks and quoting shared by the steps above. */

/* FALSE with @error when @value holds a control character (newline, tab,
 * NUL...): xl files and kernel command lines keep them out. */
gboolean xl_check_text(const char *what, const char *value, GError **error);

/* Appends @value as an xl.cfg string literal: "..." with \ and " escaped. */
void xl_append_string(GString *out, const char *value);

/* Splits a Xen virtual device name (hda, sdb, xvdc, xvdaa) into its
 * scheme ("hd", "sd", "xvd") and index (0 for 'a'); FALSE if it is none. */
gboolean xl_vdev_parse(const char *vdev, const char **scheme, guint *index);

/* How many disks a scheme names (hd: 4 emulated IDE, sd: 16, xvd: 702). */
guint xl_vdev_scheme_limit(const char *scheme);
