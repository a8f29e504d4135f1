/*
 * Internals of the install module: the installer's state and its steps,
 * one file per kind of step (install-media.c, install-defaults.c,
 * hands-off.c, install-solaris.c, install-print.c), run in order by
 * installer.c.
 */
#pragma once

#include "install.h"
#include "cloudinit.h"
#include "conn.h"
#include "run.h"
#include "unattended.h"

G_BEGIN_DECLS

/* What the hands-off steps made for one install: owned files are removed
 * by vmi_hands_off_clear (or handed to a VmiStaged to be removed once the
 * guest started). */
typedef struct {
  VmiUnattended *unattended;
  gboolean unattended_cdrom;/* its scripts go on a cdrom (ISO installs) */
  VmiCloudInit *cloudinit;
  GPtrArray *inject;        /* VmiInjectFile*: --initrd-inject files + scripts */
  char *seed_cdrom;         /* cloud-init seed or unattended script ISO */
  char *password;           /* generated root password, shown once */
  gboolean user_tpm;        /* the user asked for a TPM (--tpm) */
} VmiHandsOff;

void vmi_hands_off_clear(VmiHandsOff *ho);

struct _VmiInstaller {
  const VmiRequest *req;    /* the user's request: read, never written */
  VmiConn *conn;            /* borrowed, or @own_conn */
  VmiConn *own_conn;
  VmiMediaOptions media_opts;
  VmiRunOptions run_opts;
  VmiDebugFunc debug;
  gpointer debug_data;

  /* What the steps derive from the request, in the order they do. */
  VmiInstallerMode mode;
  gboolean prepared;
  VmiGuest *guest;          /* the request's guest, completed by the defaults */
  GPtrArray *storage;       /* VmiDiskStorage* of @guest's disks */
  VmiOsSpec os_spec;        /* the request's, or the OS the media hold */
  VmiOs *os;                /* what the guest was configured for */
  VmiBootFiles files;       /* the install media and their boot files, found once */
  gboolean host_64bit;      /* the Solaris 32/64-bit rule's host fact */
  VmiStaged staged;         /* the copies the install phase boots */
  char *kernel_args;        /* its command line */
  char *unattended_args;    /* the unattended scripts' kernel arguments, which
                             * replace the install URL argument; NULL: none */
  VmiHandsOff hands_off;
  VmiPlan plan;
  GPtrArray *warnings;      /* char *, handed over by vmi_installer_take_warnings */
  GPtrArray *notices;
  VmiRun *run;
};

/* ---- the steps, in the order vmi_installer_prepare runs them ---- */

/* hands-off.c: notes what the user said about the guest that the
 * defaults blur (an explicit TPM). */
void vmi_hands_off_begin(VmiInstaller *inst);

/* install-media.c: opens --location, and with --osinfo detect (the
 * default) takes the OS found on --location or --cdrom. */
gboolean vmi_install_open_media(VmiInstaller *inst, GError **error);

/* install-defaults.c: the defaults around the install media (virt-install's
 * build_guest_instance): OS, name and disks, then the install media put
 * into the guest with its post-install boot order (vmi_plan_prepare),
 * then every device. */
gboolean vmi_install_defaults(VmiInstaller *inst, GError **error);

/* hands-off.c: checks the --initrd-inject files, generates the
 * unattended scripts and their kernel arguments. */
gboolean vmi_hands_off_prepare(VmiInstaller *inst, GError **error);

/* install-media.c: finds kernel and initrd, stages them (scratch
 * directory, or volumes on remote hosts), builds the kernel command line,
 * and checks that the system QEMU can read the install ISO (an error for
 * installs, a warning for dry runs). */
gboolean vmi_install_stage_media(VmiInstaller *inst, GError **error);

/* hands-off.c: injects files into the staged initrd, writes the seed ISO
 * (cloud-init or unattended cdrom) into the scratch directory (when
 * printing, only its name is made up) and adds its cdrom to the guest. */
gboolean vmi_hands_off_stage(VmiInstaller *inst, GError **error);

/* hands-off.c: the plan's facts of the hands-off install. */
void vmi_hands_off_plan_facts(const VmiInstaller *inst, VmiPlanFacts *facts);

/* install-media.c: the install phase's memory for a network install
 * (with virt-install's warning), or 0 when it needs no more. */
gint64 vmi_install_network_memory(VmiInstaller *inst);

/* The scratch directory a staged file goes to, and whether it must be
 * uploaded into a pool instead (remote hosts, or a system connection
 * whose scratch directory we cannot write).  NULL with @error. */
char *vmi_install_scratch_dir(const VmiInstaller *inst, gboolean *upload, GError **error);

G_END_DECLS
