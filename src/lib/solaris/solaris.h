/*
 * Solaris (xVM) install media and the PV boot command line, after the
 * xVM installer-dependencies document: which release a medium holds,
 * where its kernel and ramdisk are (the 32/64-bit rule), and the synthetic
 * "-B" kernel command line of ISO, NFS netinstall, JumpStart, AI and
 * bootable-AI installs and of post-install ZFS boots.
 *
 * The rules are pure functions of plain facts (vmi_solaris_cmdline,
 * vmi_solaris_boot_pairs ...); gathering those facts from the host (name
 * resolution, the default route) is vmi_solaris_host_facts.
 */
#pragma once

#include <glib.h>
#include "guest.h"

G_BEGIN_DECLS

typedef enum {
  VMI_SOLARIS_NONE = 0,
  VMI_SOLARIS_NEVADA,              /* Solaris Express / Nevada: boot/x86.miniroot */
  VMI_SOLARIS_OPENSOLARIS,         /* OpenSolaris 2009.06 and earlier: x86.microroot */
  VMI_SOLARIS_OPENSOLARIS_ARCHIVE, /* later OpenSolaris (b128 on): boot_archive */
} VmiSolarisRelease;

/* "nevada", "opensolaris", "opensolaris-b128" ("" for none). */
const char *vmi_solaris_release_name(VmiSolarisRelease release);

/* Does @path (relative to the medium's root) exist as a regular file?
 * FALSE with @error only when the medium cannot be read. */
typedef gboolean (*VmiSolarisHasFile)(const char *path, gpointer data, gboolean *exists,
                                      GError **error);

typedef struct {
  VmiSolarisRelease release;
  gboolean automated_installer;   /* an AI image: auto_install/ on the medium */
} VmiSolarisMedia;

/* Recognises Solaris media by their PV kernel and ramdisk; release NONE
 * when the medium is something else. */
gboolean vmi_solaris_detect(VmiSolarisHasFile has_file, gpointer data,
                            VmiSolarisMedia *out, GError **error);

/* Whether a Solaris PV kernel path is the 64-bit one (.../amd64/unix). */
gboolean vmi_solaris_kernel_is_64bit(const char *kernel);

/* The media layout name: "solaris-RELEASE", with "-ai" for an AI image
 * ("solaris-opensolaris-b128-ai"). */
char *vmi_solaris_layout(const VmiSolarisMedia *media);

/* The release of a layout name of vmi_solaris_layout; NONE for others. */
VmiSolarisRelease vmi_solaris_release_of_layout(const char *layout);

/* The osinfo-db short id of @release's media, NULL when osinfo-db has no
 * record for it: OpenSolaris up to 2009.06 is "opensolaris2009.06" (the
 * last and only release of that layout osinfo-db knows); the later
 * development builds and Nevada have none. */
const char *vmi_solaris_os_name(VmiSolarisRelease release);

/* 64-bit when the guest has at least 1024 MiB and the host is 64-bit. */
gboolean vmi_solaris_use_64bit(gint64 memory_mib, gboolean host_64bit);

typedef struct {
  const char *kernel;   /* relative to the medium's root */
  const char *ramdisk;
} VmiSolarisPair;

/* The kernel/ramdisk pairs to try for @release, best first (static
 * strings); the count in @n_pairs. */
const VmiSolarisPair *vmi_solaris_boot_pairs(VmiSolarisRelease release, gboolean use_64bit,
                                             guint *n_pairs);

/* Finds the first pair of vmi_solaris_boot_pairs present on the medium.
 * FALSE with @error when none is (or the medium fails). */
gboolean vmi_solaris_find_boot_files(VmiSolarisHasFile has_file, gpointer data,
                                     VmiSolarisRelease release, gboolean use_64bit,
                                     const VmiSolarisPair **pair, GError **error);

typedef enum {
  VMI_SOLARIS_SOURCE_ISO,    /* an ISO image (local file) */
  VMI_SOLARIS_SOURCE_NFS,    /* nfs:HOST:/PATH, nfs://HOST/PATH or HOST:/PATH */
  VMI_SOLARIS_SOURCE_HTTP,   /* http:// or https:// (an AI server) */
  VMI_SOLARIS_SOURCE_DIR,    /* a local directory */
} VmiSolarisSource;

/* The kind of install source @location is, and for NFS its host and
 * path (new strings, NULL otherwise).  @is_dir: the location is a local
 * directory (decided by the caller). */
VmiSolarisSource vmi_solaris_source_parse(const char *location, gboolean is_dir,
                                          char **nfs_host, char **nfs_path);

/* Everything the kernel command line depends on. */
typedef struct {
  VmiSolarisRelease release;
  gboolean use_64bit;
  VmiSolarisSource source;
  const char *location;      /* --location as given */
  const char *location_ip;   /* NFS: the server's IP address */
  const char *extra_args;    /* -x / --extra-args, Solaris boot syntax */
  const char *autocf;        /* --autocf */
  const char *autocf_ip;     /* JumpStart: the IP of --autocf's NFS host */
  const char *guest_ip;      /* the guest name resolved on dom0; NULL: dhcp */
  const char *subnet_mask;   /* dom0's, used when -x gives none */
  const char *router_ip;     /* dom0's default route */
  const char *mac;           /* the guest's MAC (--mac) */
  gboolean nographics;       /* --nographics / --graphics none */
  /* Post-install boot from the installed ZFS root (install fields unused): */
  const char *zfs_bootfs;    /* the root pool's objset, "rpool/57" */
  const char *root_vdev;     /* the root disk's Xen name, "xvda" */
} VmiSolarisBootFacts;

/* The PV kernel command line: the unix path, then -FLAGS, "- WORDS" and
 * "-B name=value,...".  NULL with @error (naming the value) for facts that
 * cannot make one: a malformed -x, a JumpStart config not on NFS, a value
 * that would break the -B list. */
char *vmi_solaris_cmdline(const VmiSolarisBootFacts *facts, GError **error);

/* The PV kernel's path inside the booted root ("/platform/i86xpv/kernel/
 * amd64/unix"). */
const char *vmi_solaris_unix_path(gboolean use_64bit);

/* The installed system's kernel and ramdisk (inside its root). */
const VmiSolarisPair *vmi_solaris_installed_pair(gboolean use_64bit);

/* The Xen device number of a virtual disk name (xvda: 51712), -1 if none. */
gint64 vmi_solaris_vdev_number(const char *vdev);

/* xVM: "PV mode doesn't support PXE. HVM mode, however, has an emulated
 * PXE ROM".  FALSE with @error for a network boot of a PV guest (@os_type
 * "xen" or "linux"). */
gboolean vmi_solaris_check_pxe(const char *os_type, gboolean network_boot, GError **error);

/* Host facts for vmi_solaris_cmdline: resolves @guest_name (NULL result
 * when it does not resolve), the NFS hosts of @location and @autocf, and
 * reads dom0's default route and its interface's netmask.  Fills the
 * fields of @facts it names with new strings added to @strings (which
 * must free with g_free). */
gboolean vmi_solaris_host_facts(const char *guest_name, VmiSolarisBootFacts *facts,
                                GPtrArray *strings, GError **error);

/* For a directory on an NFS mount: the server and the exported path
 * that hold it, read from @mounts (/proc/mounts text); FALSE otherwise. */
gboolean vmi_solaris_nfs_from_mounts(const char *mounts, const char *dir, char **host,
                                     char **path);

/* ---- the post-install ZFS boot (--boot zfs_bootfs=, vminstall's) ---- */

/* A kernel a PV guest boots directly: paths inside its root. */
typedef struct {
  char *kernel;
  char *initrd;
  char *cmdline;
} VmiSolarisDirectBoot;

void vmi_solaris_direct_boot_clear(VmiSolarisDirectBoot *boot);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiSolarisDirectBoot, vmi_solaris_direct_boot_clear)

/* What the post-install phase of @guest, a Xen PV Solaris guest, boots to
 * start its installed ZFS root directly, as xVM does after an install:
 * the kernel and ramdisk @guest names (--boot kernel=,initrd=), else the
 * installed system's own (vmi_solaris_installed_pair, as absolute paths),
 * with the command line "UNIX -B zfs-bootfs=@zfs_bootfs,bootpath='/xpvd/
 * xdf@N:a'" where N is the Xen device number of its first disk.
 * @use_64bit is the 32/64-bit rule's answer, used when @guest names no
 * kernel (a named kernel's path decides: .../amd64/unix is 64-bit).
 * FALSE with one line naming --boot zfs_bootfs for a guest that is not
 * Xen PV, has no disk, a bootloader or a cmdline of its own, or only one
 * of kernel and initrd, and for a malformed POOL/OBJSET. */
gboolean vmi_solaris_zfs_boot(const VmiGuest *guest, const char *zfs_bootfs, gboolean use_64bit,
                              VmiSolarisDirectBoot *out, GError **error);

G_END_DECLS
