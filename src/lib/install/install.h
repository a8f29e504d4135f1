/*
 * The install's steps, in the order the tool runs them: what turns the
 * user's request into the prepared phases, using every module below.
 */
#pragma once

#include <glib.h>
#include "cloudinit.h"
#include "conn.h"
#include "media.h"
#include "osinfo.h"
#include "plan.h"
#include "request.h"
#include "unattended.h"

G_BEGIN_DECLS

/* ---- media (install-media.c) ---- */

/* Before the defaults: opens --location, and with --osinfo detect (the
 * default) puts the OS found on --location or --cdrom into req->os.
 * @opts (may be NULL) holds for every later download. */
gboolean vmi_install_media_begin(VmiRequest *req, VmiConn *conn, const VmiMediaOptions *opts,
                                 VmiBootFiles *files, GError **error);

typedef enum {
  VMI_MEDIA_FOR_PRINT,    /* --print-xml: staged names only, nothing copied */
  VMI_MEDIA_FOR_DRY_RUN,  /* copied (and removed at exit), problems are warnings */
  VMI_MEDIA_FOR_INSTALL,
} VmiMediaPurpose;

/* Once the guest has its defaults: finds kernel and initrd, stages them
 * (scratch directory, or volumes on remote hosts), builds the kernel
 * command line, and checks that the system QEMU can read the install
 * ISO (an error for installs, a warning for dry runs). */
gboolean vmi_install_media_stage(VmiRequest *req, VmiConn *conn, const VmiOs *os,
                                 VmiMediaPurpose purpose, VmiBootFiles *files,
                                 VmiStaged *staged, char **kernel_args,
                                 GPtrArray *warnings, GError **error);

/* After the plan: raises the install phase's memory for network installs,
 * with virt-install's warning. */
void vmi_install_media_adjust_plan(const VmiBootFiles *files, const VmiOs *os, VmiPlan *plan,
                                   GPtrArray *warnings);

/* ---- Solaris (install-solaris.c) ---- */

/* After vmi_media_kernel_args: for Solaris media (layout "solaris-*")
 * replaces *@kernel_args with the synthesized command line of @req's
 * guest (name, MAC, --nographics, -x, --autocf) and the host's facts. */
gboolean vmi_install_solaris_kernel_args(const VmiRequest *req, const VmiBootFiles *files,
                                         char **kernel_args, GError **error);

/* After the plan: applies @req's --boot zfs_bootfs= (if any) to @plan's
 * final phase with vmi_solaris_zfs_boot.  The guest must be Solaris: media
 * of a Solaris layout in @files, or an OS of osinfo-db's solaris family.
 * The width is the install phase's (its kernel) when it booted Solaris
 * media, else the 32/64-bit rule for the guest's memory and @host_64bit. */
gboolean vmi_install_solaris_zfs_boot(const VmiRequest *req, const VmiBootFiles *files,
                                      const VmiOs *os, gboolean host_64bit, VmiPlan *plan,
                                      GError **error);

/* ---- hands-off installs (hands-off.c): unattended scripts, the
 * cloud-init seed and --initrd-inject ---- */

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

/* ---- defaults around the install media (install-defaults.c) ---- */

/* virt-install's build_guest_instance: the defaults of the OS, name and
 * disks, the install media put into the guest with its post-install boot
 * order (vmi_plan_prepare), then every device's defaults.  @out_os
 * receives the OS the guest was configured for; notices go to @notices. */
gboolean vmi_install_defaults(VmiRequest *req, VmiConn *conn, VmiOs **out_os,
                              GPtrArray *notices, GError **error);

G_END_DECLS
