/**
 * @file media.h
 * @brief Install media as the installer finds them: downloads in
 * progress, and the report of --inspect-media.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** Told how a download goes: @p done of @p total bytes (-1: unknown) of
 *  the file @p name, at most ten times a second, and once more with
 *  @p finished. */
typedef void (*VmiMediaProgress)(const char *name, gint64 done, gint64 total,
                                 gboolean finished, gpointer data);

/** One line that explains how an answer was reached (for --debug). */
typedef void (*VmiDebugFunc)(const char *line, gpointer data);

/** What install media hold (opaque); see vmi_installer_inspect_media(). */
typedef struct _VmiMediaReport VmiMediaReport;

/** Frees @p report (NULL is fine). */
void vmi_media_report_free(VmiMediaReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiMediaReport, vmi_media_report_free)

/** The text fields of a report. */
typedef enum {
  VMI_MEDIA_LOCATION,        /**< the medium as opened: absolute path or URL */
  VMI_MEDIA_KIND,            /**< "directory", "iso" or "url" */
  VMI_MEDIA_VOLUME_ID,       /**< the ISO volume id (ISOs only) */
  VMI_MEDIA_SYSTEM_ID,       /**< the ISO system id */
  VMI_MEDIA_PUBLISHER_ID,    /**< the ISO publisher id */
  VMI_MEDIA_APPLICATION_ID,  /**< the ISO application id */
  VMI_MEDIA_OS,              /**< the OS short id ("debian11"), if known */
  VMI_MEDIA_OS_ID,           /**< its osinfo-db id, if known */
  VMI_MEDIA_FAMILY,          /**< "fedora", "debian", "solaris" ... */
  VMI_MEDIA_LAYOUT,          /**< "treeinfo", "debian-cd", "solaris-nevada" ... */
  VMI_MEDIA_VERSION,         /**< the version the medium states, if any */
  VMI_MEDIA_KERNEL,          /**< the kernel an install boots (inside the medium) */
  VMI_MEDIA_INITRD,          /**< its initrd */
  VMI_MEDIA_KERNEL_ARGS,     /**< the kernel arguments the method needs, if any */
} VmiMediaField;

/** A text field of @p report, borrowed; NULL when it has none. */
const char *vmi_media_report_get(const VmiMediaReport *report, VmiMediaField field);

/** The yes/no facts of a report. */
typedef enum {
  VMI_MEDIA_IS_ISO,           /**< an ISO image (the ISO fields are set) */
  VMI_MEDIA_EL_TORITO,        /**< an El Torito boot record */
  VMI_MEDIA_JOLIET,           /**< Joliet names */
  VMI_MEDIA_ROCK_RIDGE,       /**< Rock Ridge names */
  VMI_MEDIA_NETWORK_INSTALL,  /**< the installer fetches the OS over the network */
} VmiMediaFlag;

/** Whether @p flag holds for @p report. */
gboolean vmi_media_report_has(const VmiMediaReport *report, VmiMediaFlag flag);

/** An ISO's size in bytes from its volume descriptors; 0 for others. */
gint64 vmi_media_report_volume_size(const VmiMediaReport *report);

/** How many kernel/initrd pairs the medium offers. */
guint vmi_media_report_n_boot_options(const VmiMediaReport *report);

/**
 * The boot option @p i (0 ≤ @p i < vmi_media_report_n_boot_options()):
 * what it boots ("hvm", "xen", "64-bit" ...), its kernel and its initrd,
 * borrowed; any pointer may be NULL.
 */
void vmi_media_report_boot_option(const VmiMediaReport *report, guint i, const char **label,
                                  const char **kernel, const char **initrd);

G_END_DECLS
