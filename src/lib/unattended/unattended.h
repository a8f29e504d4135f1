/*
 * Unattended installs (--unattended) with libosinfo's install scripts,
 * as virt-install's unattended module drives them: the OS's scripts for a
 * profile, an install configuration (user, passwords, target disk,
 * hostname, timezone, language, URL, registration) and, per script, the
 * generated file and kernel command line.
 *
 * libosinfo (and the libraries it pulls in) is opened with dlopen the
 * first time this module is used, so that every other command starts as
 * fast as before; the rest of vminstall reads osinfo-db through its own
 * index (osinfo.h).
 *
 * The install's step for all hands-off installs (unattended scripts,
 * cloud-init seed, --initrd-inject) is the install module's (install.h).
 */
#pragma once

#include <glib.h>
#include "osinfo.h"
#include "request.h"

G_BEGIN_DECLS

typedef enum {
  VMI_INJECT_INITRD,  /* tree installs: the scripts go into the initrd */
  VMI_INJECT_CDROM,   /* ISO installs: an extra cdrom holds them */
} VmiInjectMethod;

typedef struct {
  const char *os_id;        /* full osinfo-db id of the guest's OS */
  const char *os_name;      /* its short id, for messages */
  gboolean windows;
  gboolean virtio_disk;     /* the OS supports virtio-blk: target /dev/vda */
  const char *arch;         /* guest architecture */
  const char *hostname;     /* guest name */
  const char *url;          /* network install tree (http, ftp ...), or NULL */
  const char *media_path;   /* local ISO of the install (--cdrom, ISO --location),
                             * identified with libosinfo; NULL when none */
  const char *tree_location;/* tree with a .treeinfo (directory or URL), or NULL */
  VmiInjectMethod method;
  const VmiUnattendedOpts *opts;
} VmiUnattendedQuery;

typedef struct _VmiUnattended VmiUnattended;

/* Finds the scripts and generates them.  Warnings (the profile chosen,
 * cdrom injection for a non-Windows OS, password files others can read)
 * are appended to @warnings. */
VmiUnattended *vmi_unattended_generate(const VmiUnattendedQuery *query, GPtrArray *warnings,
                                       GError **error);
/* Wipes the generated scripts (they hold passwords) from memory. */
void vmi_unattended_free(VmiUnattended *ua);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiUnattended, vmi_unattended_free)

guint vmi_unattended_n_scripts(const VmiUnattended *ua);
/* The name the installer looks for (fedora.ks, preseed.cfg,
 * autounattend.xml ...). */
const char *vmi_unattended_script_filename(const VmiUnattended *ua, guint i);
GBytes *vmi_unattended_script_content(const VmiUnattended *ua, guint i);
/* The profile used (desktop, jeos ...). */
const char *vmi_unattended_profile(const VmiUnattended *ua);
/* The scripts' kernel command lines joined by ' ' (virt-install's
 * install_args; may be empty; unused for cdrom injection). */
const char *vmi_unattended_cmdline(const VmiUnattended *ua);

/* TRUE when libosinfo can be loaded (tests). */
gboolean vmi_unattended_available(void);

G_END_DECLS
