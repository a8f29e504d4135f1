/*
 * Facts about one operating system from osinfo-db, as virt-install's
 * osdict uses them.  Loading the whole database costs ~0.7 s, so lookups
 * load only the record asked for and the records it derives from, through
 * a short-id/id index cached under $XDG_CACHE_HOME keyed on the database
 * directories' mtimes.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _VmiOs VmiOs;

typedef enum {
  VMI_OS_VIRTIO_DISK,
  VMI_OS_VIRTIO_SCSI,
  VMI_OS_VIRTIO_NET,
  VMI_OS_VIRTIO_RNG,
  VMI_OS_VIRTIO_GPU,
  VMI_OS_VIRTIO_BALLOON,
  VMI_OS_VIRTIO_SERIAL,
  VMI_OS_VIRTIO_INPUT,
  VMI_OS_USB3,
  VMI_OS_VIRTIO1,
  VMI_OS_CHIPSET_Q35,
} VmiOsFeature;

/* "generic" (and NULL) give virt-install's built-in generic OS. */
VmiOs *vmi_os_lookup(const char *short_id, GError **error);
VmiOs *vmi_os_lookup_by_id(const char *full_id, GError **error);
void vmi_os_free(VmiOs *os);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiOs, vmi_os_free)

const char *vmi_os_short_id(const VmiOs *os);   /* first short id */
/* All short ids of @os, sorted, without repeats (virt-install's all_names). */
GPtrArray *vmi_os_all_short_ids(const VmiOs *os);
const char *vmi_os_full_id(const VmiOs *os);    /* NULL for generic */
const char *vmi_os_family(const VmiOs *os);     /* may be NULL */
const char *vmi_os_label(const VmiOs *os);      /* human name, may be NULL */
/* <codename>, e.g. "bullseye" or "Jammy Jellyfish"; NULL when none. */
const char *vmi_os_codename(const VmiOs *os);
gboolean vmi_os_is_generic(const VmiOs *os);
gboolean vmi_os_is_windows(const VmiOs *os);
gboolean vmi_os_is_linux_generic(const VmiOs *os); /* linuxNNNN */
gboolean vmi_os_is_eol(const VmiOs *os);
/* Whether @os is end-of-life on the day @today (vmi_os_is_eol uses the
 * local date). */
gboolean vmi_os_is_eol_on(const VmiOs *os, const GDate *today);
/* TRUE if @os or an OS it derives from, clones or upgrades (transitively)
 * is named @short_id; like virt-install, an OS's name is its first short id. */
gboolean vmi_os_is_related_to(const VmiOs *os, const char *short_id);

gboolean vmi_os_supports(const VmiOs *os, VmiOsFeature feature);
gboolean vmi_os_requires_efi(const VmiOs *os, const char *arch);
/* "utc" or "localtime" */
const char *vmi_os_clock(const VmiOs *os);

/* Resources in bytes (ram, storage) or count (cpus); -1 when unknown.
 * Recommended falls back to twice the minimum, like virt-install. */
gint64 vmi_os_minimum_ram(const VmiOs *os, const char *arch);
gint64 vmi_os_recommended_ram(const VmiOs *os, const char *arch);
gint64 vmi_os_recommended_ncpus(const VmiOs *os, const char *arch);
gint64 vmi_os_recommended_storage(const VmiOs *os, const char *arch);
gint64 vmi_os_network_install_ram(const VmiOs *os, const char *arch);

/* Kernel argument naming the install tree for URL installs ("inst.repo",
 * "method", ...), or NULL. */
const char *vmi_os_kernel_url_arg(const VmiOs *os);

/* The name (first short id) of every OS in the database plus "generic",
 * sorted like `virt-install --osinfo list`.  Reads only the index. */
GPtrArray *vmi_os_list_short_ids(GError **error);
/* The lines `virt-install --osinfo list` prints, in the same order: each
 * OS's short ids, sorted and joined by ", ". */
GPtrArray *vmi_os_list_lines(GError **error);

/* The OS of an install tree whose .treeinfo [general] section gives
 * @family, @variant, @version and @arch (NULL where a key is missing; an
 * empty value counts as missing), as libosinfo's osinfo_db_identify_tree()
 * matches them against the database's <tree> entries: the first name of
 * the OS found, or NULL (without error) when none matches.  Like
 * libosinfo, a tree without @arch is taken for an i386 tree.  Reads only
 * the index. */
char *vmi_os_identify_tree(const char *family, const char *variant,
                           const char *version, const char *arch,
                           GError **error);

/* virt-install's guess for Debian-like URL trees: among the OSes whose
 * name starts with @prefix ("debian", "ubuntu"), taken in `--osinfo list`
 * order, the first whose codename (its first word, lowercased; without a
 * codename, the second word of its label) appears as "/codename/" in
 * @location.  NULL (without error) when none does. */
char *vmi_os_find_by_codename(const char *prefix, const char *location,
                              GError **error);

/* What an ISO's volume descriptors say, as osinfo-db's <media> entries
 * match them (NULL where the image has no such field). */
typedef struct {
  const char *volume_id;
  const char *system_id;
  const char *publisher_id;
  const char *application_id;
  gint64 volume_size;   /* bytes */
} VmiOsMediaKeys;

/* The osinfo-db <media> entry matching @keys, like libosinfo's
 * osinfo_db_identify_media (the <media> elements are cached under
 * $XDG_CACHE_HOME/vminstall); NULL without error when none matches. */
typedef struct {
  char *os_name;    /* short id */
  char *os_id;
  char *arch;
  char *kernel;     /* may be NULL (live media ...) */
  char *initrd;
  gboolean netinst; /* a variant id containing "netinst" */
  gboolean live;
  gboolean installer;
} VmiOsMedia;

VmiOsMedia *vmi_os_media_identify(const VmiOsMediaKeys *keys, GError **error);
void vmi_os_media_free(VmiOsMedia *media);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiOsMedia, vmi_os_media_free)
/* Forgets the media cache kept for the process (tests). */
void vmi_os_media_forget(void);

/* Forgets the index kept for the process, so that the next lookup checks
 * the database again (long-running programs, tests). */
void vmi_os_db_forget(void);

G_END_DECLS
