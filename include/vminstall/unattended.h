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
 * The tool's step for all hands-off installs (unattended scripts,
 * cloud-init seed, --initrd-inject) is at the end of this header.
 */
#pragma once

#include <glib.h>
#include "cloudinit.h"
#include "conn.h"
#include "media.h"
#include "osinfo.h"
#include "plan.h"
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

/* ------------------------------------------------------------ the tool's steps */

/* What the hands-off steps made for one install: owned files are removed
 * by vmi_hands_off_clear (or handed to a VmiStaged to be removed once the
 * guest started). */
typedef struct {
  VmiUnattended *unattended;
  gboolean unattended_cdrom;/* its scripts go on a cdrom (ISO installs) */
  VmiCloudInit *cloudinit;
  GPtrArray *inject;        /* VmiInjectFile*: --initrd-inject files + scripts */
  char *seed_cdrom;         /* cloud-init seed or unattended script ISO */
  gboolean seed_written;    /* @seed_cdrom is a file we made */
  char *password;           /* generated root password, shown once */
  gboolean user_tpm;        /* the user asked for a TPM (--tpm) */
} VmiHandsOff;

void vmi_hands_off_clear(VmiHandsOff *ho);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiHandsOff, vmi_hands_off_clear)

/* Before the defaults: notes what the user said about the guest that
 * the defaults blur (an explicit TPM). */
void vmi_hands_off_begin(const VmiRequest *req, VmiHandsOff *ho);

/* After the defaults, before kernel and initrd are staged: checks the
 * --initrd-inject files, generates the unattended scripts and puts their
 * command line into req->install (it replaces the install URL argument,
 * as virt-install does). */
gboolean vmi_hands_off_prepare(VmiRequest *req, VmiConn *conn, const VmiOs *os,
                               const VmiBootFiles *files, VmiHandsOff *ho,
                               GPtrArray *warnings, GError **error);

/* After staging: injects files into the staged initrd, writes the seed
 * ISO (cloud-init or unattended cdrom) into the scratch directory (for
 * --print-xml only its name is made up) and adds its cdrom to req->guest.
 * Files made are appended to @staged's list of files removed once the
 * guest has started. */
gboolean vmi_hands_off_stage(VmiRequest *req, VmiConn *conn, const VmiOs *os,
                             VmiMediaPurpose purpose, VmiStaged *staged, VmiHandsOff *ho,
                             GPtrArray *warnings, GError **error);

/* Fills the plan media fields of the hands-off install. */
void vmi_hands_off_plan_media(const VmiRequest *req, const VmiHandsOff *ho,
                              VmiPlanMedia *media);

G_END_DECLS
