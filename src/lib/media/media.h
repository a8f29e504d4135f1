/*
 * Install media: ISO images (read without mounting), local directory trees
 * and http/https/ftp URLs; which distribution they hold; where the
 * installer's kernel and initrd are; fetching them to where the hypervisor
 * can read them.
 *
 * Every path inside a medium is relative ("install.amd/vmlinuz"), without
 * "." or ".." components; nothing a medium says can name a file outside it.
 */
#pragma once

#include <glib.h>
#include <libvirt/libvirt.h>
#include "osinfo.h"
#include "request.h"
#include "vminstall/media.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------ sources */

typedef enum {
  VMI_MEDIA_DIR,   /* a local directory tree */
  VMI_MEDIA_ISO,   /* an ISO 9660 image file or block device */
  VMI_MEDIA_URL,   /* http://, https://, ftp:// */
} VmiMediaKind;

typedef struct _VmiMedia VmiMedia;

typedef struct {
  VmiMediaProgress progress;  /* NULL: none (the tool draws a bar on
                               * stderr when it is a terminal, not --quiet) */
  gpointer progress_data;
  int timeout;        /* URLs: seconds to connect, and without any byte
                       * before giving up; 0: $VMINSTALL_URL_TIMEOUT or 30 */
  int retries;        /* URLs: new attempts after a transient failure;
                       * -1: $VMINSTALL_URL_RETRIES or 2 */
} VmiMediaOptions;

/* Opens @location: a URL (http, https, ftp), a directory, or else an ISO
 * image or block device.  An ISO's directory is read at once; a broken
 * image fails here.  @opts may be NULL. */
VmiMedia *vmi_media_open(const char *location, const VmiMediaOptions *opts,
                         GError **error);
void vmi_media_free(VmiMedia *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiMedia, vmi_media_free)

VmiMediaKind vmi_media_get_kind(const VmiMedia *media);
const char *vmi_media_kind_name(VmiMediaKind kind);  /* "directory", "iso", "url" */
/* The location as opened: absolute path, or the URL with one trailing '/'. */
const char *vmi_media_get_location(const VmiMedia *media);

/* TRUE if @path is a regular file in @media (following symbolic links
 * that stay inside it).  FALSE without error when it is simply missing;
 * FALSE with @error when the medium fails (I/O, timeout, a link out of
 * the tree ...). */
gboolean vmi_media_has_file(VmiMedia *media, const char *path, GError **error);

/* Size in bytes of the regular file @path, -1 when unknown (some URLs). */
gint64 vmi_media_file_size(VmiMedia *media, const char *path, GError **error);

/* Contents of the small file @path (at most @max bytes, NUL-terminated),
 * or NULL: VMI_ERROR_NOT_FOUND when missing, else the reason. */
char *vmi_media_read_file(VmiMedia *media, const char *path, gsize max,
                          gsize *len, GError **error);

/* Copies the files @paths[i] into the open descriptors @fds[i], all in
 * one pass over the medium. */
gboolean vmi_media_extract(VmiMedia *media, const char *const *paths,
                           const int *fds, guint n, GError **error);

/* Bytes read from the medium so far (ISO: from the image; URL: received). */
guint64 vmi_media_bytes_read(const VmiMedia *media);

/* What the volume descriptors of an ISO say (libosinfo's identification
 * keys); NULL unless @media is an ISO. */
typedef struct {
  char *volume_id;
  char *system_id;
  char *publisher_id;
  char *application_id;
  gint64 volume_size;   /* bytes: volume space size * logical block size */
  gboolean el_torito;   /* a boot record volume descriptor (El Torito) */
  gboolean joliet;      /* a Joliet supplementary volume descriptor */
  gboolean rock_ridge;  /* Rock Ridge names were seen */
} VmiIsoInfo;
const VmiIsoInfo *vmi_media_get_iso_info(const VmiMedia *media);

/* Reads only the volume descriptors of the ISO at @path (no directory):
 * for --cdrom OS detection.  NULL with @error if it is no ISO 9660 image. */
VmiIsoInfo *vmi_iso_info_read(const char *path, GError **error);
void vmi_iso_info_free(VmiIsoInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiIsoInfo, vmi_iso_info_free)

/* ------------------------------------------------------------ detection */

typedef struct {
  char *kernel;   /* paths inside the medium */
  char *initrd;
  char *label;    /* what this pair boots: "hvm", "xen", "64-bit" ... */
} VmiBootPair;

typedef struct {
  const char *arch;     /* guest architecture (x86_64, i686, aarch64 ...);
                         * NULL: x86_64 */
  const char *os_type;  /* "hvm" or "xen"; NULL: hvm */
  gint64 memory_mib;    /* guest memory (Solaris 32/64-bit rule); 0: unknown */
  gboolean host_64bit;  /* the host can run 64-bit guests, and this guest's
                         * arch is 64-bit (vmi_media_can_boot_64bit) */
  const char *distro;   /* osinfo distro of the OS the user named
                         * (fedora, debian ...): its family is tried first */
} VmiMediaQuery;

typedef struct {
  char *family;     /* fedora, rhel, centos, sles, sled, opensuse, debian,
                     * ubuntu, mageia, mandriva, altlinux, solaris, osinfo
                     * (found by osinfo-db only), treeinfo (any other
                     * .treeinfo); NULL when nothing was recognised */
  char *layout;     /* treeinfo, debian-url, debian-daily, debian-cd,
                     * ubuntu-cd, ubuntu-live, suse, mageia, mandriva, alt,
                     * solaris-RELEASE[-ai] (vmi_solaris_layout),
                     * osinfo-media */
  char *os_name;    /* OS short id (debian11 ...), NULL when not known */
  char *os_id;      /* its full id, when found in osinfo-db */
  char *version;    /* the version the medium states (treeinfo, content) */
  gboolean netinst; /* ISO: osinfo-db calls the medium a network installer */
  GPtrArray *pairs; /* VmiBootPair *: the kernel/initrd pairs to try for
                     * the query, best first (not yet checked to exist) */
  GPtrArray *notes; /* char *: how the answer was reached, for --debug */
} VmiMediaInfo;

void vmi_media_info_clear(VmiMediaInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiMediaInfo, vmi_media_info_clear)

/* Recognises the distribution on @media the way virt-install 4.1.0 does
 * (osinfo-db media for ISOs, then Fedora, RHEL, CentOS, SUSE, Debian,
 * Ubuntu, Mageia, Mandriva, ALT, any .treeinfo).  Fails only when the
 * medium itself fails; an unrecognised medium gives family NULL. */
gboolean vmi_media_detect(VmiMedia *media, const VmiMediaQuery *query,
                          VmiMediaInfo *out, GError **error);

/* The Solaris 32/64-bit rule's "the host is 64-bit capable" for a guest:
 * @host_arch is 64-bit and so is @guest_arch (NULL: the host's); a 32-bit
 * guest boots the 32-bit kernel on any host. */
gboolean vmi_media_can_boot_64bit(const char *host_arch, const char *guest_arch);

/* A VmiSolarisHasFile over a VmiMedia (@data): whether the medium holds
 * @path, FALSE with @error when it cannot be read. */
gboolean vmi_media_solaris_has_file(const char *path, gpointer data, gboolean *exists,
                                    GError **error);

/* The first pair of @info that exists on @media, or NULL (borrowed). */
const VmiBootPair *vmi_media_info_find_pair(const VmiMediaInfo *info, VmiMedia *media,
                                            GError **error);

/* .treeinfo: Python configparser's reading, which anaconda and
 * virt-install use ([section], key = value or key: value, # and ;
 * comments, indented continuation lines; names are case-insensitive). */
typedef struct _VmiTreeinfo VmiTreeinfo;
VmiTreeinfo *vmi_treeinfo_parse(const char *text, gsize len, GError **error);
void vmi_treeinfo_free(VmiTreeinfo *ti);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiTreeinfo, vmi_treeinfo_free)
/* The value of @key in @section, or NULL (borrowed). */
const char *vmi_treeinfo_get(const VmiTreeinfo *ti, const char *section, const char *key);

/* ------------------------------------------------------------ the install */

typedef struct {
  VmiMedia *media;  /* where kernel/initrd come from (owned); NULL when
                     * they are local files (--install kernel=,initrd=) */
  char *kernel;     /* path in @media, or an absolute local path */
  char *initrd;
  char *cdrom;      /* install media to attach as a cdrom, if any */
  char *layout;     /* "treeinfo", "debian-url", ... for messages */
  char *os_name;    /* OS detected from the media, or NULL */
  gboolean network; /* the installer fetches the OS over the network
                     * (URL or directory trees, netinst ISOs) */
  VmiMediaInfo info;/* what detection found (family NULL if not run) */
} VmiBootFiles;

void vmi_boot_files_clear(VmiBootFiles *files);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiBootFiles, vmi_boot_files_clear)

/* Opens the install media of @install (--location; --cdrom only records
 * the path) and validates what needs no guest yet.  @remote: the
 * connection is remote (local trees and ISOs cannot be used).  Call
 * first; the next calls complete @out. */
gboolean vmi_media_prepare(const VmiInstall *install, const VmiMediaOptions *opts,
                           gboolean remote, VmiBootFiles *out, GError **error);

/* The OS short id the install media hold (virt-install's detect_distro:
 * --location trees and ISOs, --cdrom ISOs), or NULL when not recognised.
 * Fails only when the media cannot be read. */
gboolean vmi_media_detect_os(VmiBootFiles *files, const VmiInstall *install,
                             char **os_name, GError **error);

/* Finds the installer's kernel and initrd for --location or --install
 * kernel=/initrd= for the guest described by @query. */
gboolean vmi_media_find_boot_files(const VmiInstall *install, const VmiMediaQuery *query,
                                   VmiBootFiles *files, GError **error);

/* The local file behind @path, a kernel or initrd of @files: inside a
 * directory tree, or the --install kernel=/initrd= file itself; NULL when
 * it is inside an ISO image or behind a URL (only a copy can be booted). */
char *vmi_boot_files_local_path(const VmiBootFiles *files, const char *path);

/* The kernel command line of the install phase, or NULL: --extra-args,
 * then what the install method needs (inst.repo=URL for a URL install of
 * an OS whose osinfo record names its argument @url_arg; the unattended
 * scripts' arguments @unattended_args instead when not NULL, as
 * virt-install does, "" for none), or --install kernel_args= alone.
 * Appends virt-install's warnings to @warnings (may be NULL). */
char *vmi_media_kernel_args(const VmiInstall *install, const VmiBootFiles *files,
                            const char *url_arg, const char *unattended_args,
                            GPtrArray *warnings);

/* Directory the hypervisor can read: $VMINSTALL_SCRATCH_DIR when set, the
 * system one for privileged local connections when writable, else a
 * per-user cache directory (created). */
char *vmi_media_scratch_dir(gboolean privileged, gboolean xen, GError **error);

/* A made-up name @dir/vminstall-XXXXXX-@base for a file that is only
 * printed, never created (X: [a-z0-9_], like virt-install's names). */
char *vmi_media_scratch_name(const char *dir, const char *base);

typedef struct {
  char *kernel;     /* staged copies */
  char *initrd;
  gboolean copied;  /* files exist and must be removed */
  /* remote connections: uploaded volumes, deleted by vmi_staged_clear */
  virConnectPtr conn; /* a reference, set when volumes were uploaded */
  char *pool;       /* pool the volumes are in */
  char *kernel_vol; /* volume names */
  char *initrd_vol;
  /* more files of the install, removed with the pair (cloud-init and
   * unattended seed ISOs): local paths, and volume names in @pool */
  GPtrArray *extra;
  GPtrArray *extra_vols;
} VmiStaged;

/* Copies kernel and initrd into @dir under unique names
 * (vminstall-XXXXXX-BASENAME), extracting them from the medium.  With
 * @copy FALSE only the names are made up, for --print-xml. */
gboolean vmi_media_stage(const VmiBootFiles *files, const char *dir, gboolean copy,
                         VmiStaged *out, GError **error);

/* Remote connections (or a local system connection whose scratch
 * directory we cannot write): uploads kernel and initrd with
 * virStorageVolUpload into the pool at the system scratch directory
 * (created as "boot-scratch" when none exists); the staged paths become
 * the volumes' paths. */
gboolean vmi_media_stage_upload(const VmiBootFiles *files, virConnectPtr conn, gboolean xen,
                                VmiStaged *out, GError **error);

/* Remote connections: uploads the local file @local (named after
 * @basename) into the pool at the system scratch directory like the
 * kernel and initrd, records the volume in @staged->extra_vols and
 * returns its path on the host. */
char *vmi_media_stage_upload_file(VmiStaged *staged, virConnectPtr conn, gboolean xen,
                                  const char *local, const char *basename, GError **error);

/* --inspect-media: what @location holds for the guest @query describes
 * (@install: the request's other install options, for the kernel
 * arguments), as the public VmiMediaReport; @debug (may be NULL) gets
 * detection's notes.  Errors are prefixed "--inspect-media: ". */
VmiMediaReport *vmi_media_report_new(const char *location, const VmiInstall *install,
                                     const VmiMediaQuery *query, VmiDebugFunc debug,
                                     gpointer data, GError **error);

/* Removes staged copies and uploaded volumes; safe to call twice. */
void vmi_staged_clear(VmiStaged *staged);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiStaged, vmi_staged_clear)

/* The install phase's memory for the OS's network-install needs
 * (virt-install's _alter_install_resources): @ram_bytes is
 * vmi_os_network_install_ram(); returns the new KiB, or 0 when the
 * install needs no network or @current_kib is enough. */
gint64 vmi_media_install_memory_kib(const VmiBootFiles *files, gint64 current_kib,
                                    gint64 ram_bytes);

/* Can the QEMU process, running as @user (@uid; its groups, or @gid when
 * the user is unknown here), read @path?  FALSE with a
 * message naming the user, the first directory or file it cannot pass and
 * the fix (setfacl, or moving the file to /var/lib/libvirt/images). */
gboolean vmi_media_check_access(const char *path, const char *user, guint uid,
                                guint gid, GError **error);

G_END_DECLS
