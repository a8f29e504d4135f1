/**
 * @file installer.h
 * @brief The installer: from a request and a connection to the guest's two
 * configurations, the files they boot, and the install itself.
 *
 * One object owns the whole flow, as virt-install's Installer does:
 *
 * 1. vmi_installer_new() takes the user's request;
 * 2. vmi_installer_prepare() opens the install media, finds the OS, fills
 *    in the defaults (from the connection's capabilities and osinfo-db),
 *    prepares the hands-off data (cloud-init, unattended scripts, initrd
 *    injection), stages kernel and initrd, and plans the install phase
 *    (the first boot) and the final configuration (every later boot);
 * 3. the phases can be read (vmi_installer_phase_xml(),
 *    vmi_installer_phase_xl()), and vmi_installer_run() installs.
 *
 * The library never prints: warnings and notices are handed over, and a
 * run reports through callbacks.
 */
#pragma once

#include <glib.h>
#include "vminstall/conn.h"
#include "vminstall/media.h"
#include "vminstall/request.h"
#include "vminstall/run.h"

G_BEGIN_DECLS

/** The installer (opaque). */
typedef struct _VmiInstaller VmiInstaller;

/** What vmi_installer_prepare() prepares for. */
typedef enum {
  VMI_INSTALLER_PRINT,    /**< only the configurations: nothing is copied or
                           *   created, file names are made up */
  VMI_INSTALLER_DRY_RUN,  /**< every check and copy of an install (removed
                           *   again by vmi_installer_free()), nothing
                           *   defined; problems are warnings */
  VMI_INSTALLER_INSTALL,  /**< an install by vmi_installer_run() */
} VmiInstallerMode;

/**
 * An installer for @p req.
 * @param req   the request, borrowed: it must outlive the installer; read
 *              as a whole now if it was built with setters
 * @param conn  the connection, borrowed; NULL: the installer connects to
 *              the request's --connect (or the default) when it first
 *              needs to
 * @param error set when the request is not valid (one line naming the
 *              option, the value and what is accepted)
 * @return NULL with @p error
 */
VmiInstaller *vmi_installer_new(VmiRequest *req, VmiConn *conn, GError **error);

/** Frees @p inst (NULL is fine), removing the files a print or dry run
 *  staged. */
void vmi_installer_free(VmiInstaller *inst);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiInstaller, vmi_installer_free)

/** Reports downloads of install media to @p func (NULL: none). */
void vmi_installer_set_progress(VmiInstaller *inst, VmiMediaProgress func, gpointer data);

/** Gives @p func the lines that explain how the installer reached its
 *  answers (how media detection recognised a medium ...); NULL: none. */
void vmi_installer_set_debug(VmiInstaller *inst, VmiDebugFunc func, gpointer data);

/** Where vmi_installer_run() reports its messages, step boundaries and
 *  long waits; any may be NULL. */
void vmi_installer_set_run_callbacks(VmiInstaller *inst, VmiRunMessageFunc message,
                                     VmiRunStepFunc step, VmiRunBusyFunc busy, gpointer data);

/**
 * The program a run starts as its cleanup guard, with the single argument
 * VMI_GUARD_ARG (its main() then calls vmi_guard_main()); the guard
 * removes what the run created when the run dies before it finished.
 * NULL (the default): no guard, only an orderly failure cleans up.
 */
void vmi_installer_set_guard_program(VmiInstaller *inst, const char *path);

/** The text console of a run: the guest's output goes to @p out_fd, keys
 *  are read from @p in_fd when it is a terminal (Ctrl-] detaches); -1
 *  (the default): none. */
void vmi_installer_set_console(VmiInstaller *inst, int in_fd, int out_fd);

/** Seconds per minute of --wait (tests shorten it); 0: 60. */
void vmi_installer_set_wait_unit(VmiInstaller *inst, int seconds);

/**
 * Prepares the install for @p mode (once).
 * @return FALSE with @p error (one line naming what was wrong); nothing
 *         is left behind
 */
gboolean vmi_installer_prepare(VmiInstaller *inst, VmiInstallerMode mode, GError **error);

/** The number of configurations after vmi_installer_prepare(): 2 when
 *  the first boot differs from later boots, else 1. */
guint vmi_installer_n_phases(const VmiInstaller *inst);

/**
 * Configuration @p phase as libvirt domain XML.
 * @param inst   a prepared installer
 * @param phase  1: the first boot (the install phase, or the only one);
 *               2: every later boot
 * @return a new string; NULL when there is no such phase
 */
char *vmi_installer_phase_xml(const VmiInstaller *inst, guint phase);

/**
 * Configuration @p phase of a Xen guest as an xl configuration
 * (xl.cfg(5)); the install phase names the media's own kernel and
 * ramdisk where they are files of their own.
 * @return a new string, or NULL with @p error for what xl cannot express
 *         or a Xen toolstack would refuse
 */
char *vmi_installer_phase_xl(VmiInstaller *inst, guint phase, GError **error);

/** The warnings of vmi_installer_prepare() (char *, in order), handed
 *  over: a second call gives an empty array. */
GPtrArray *vmi_installer_take_warnings(VmiInstaller *inst);

/** The notices of vmi_installer_prepare() ("Using default --name vm1" ...),
 *  handed over like the warnings. */
GPtrArray *vmi_installer_take_notices(VmiInstaller *inst);

/** The root password cloud-init was given when the request asked for one
 *  to be generated, or NULL; show it once, to the user only. */
const char *vmi_installer_generated_password(const VmiInstaller *inst);

/** The connection the installer uses, borrowed. */
VmiConn *vmi_installer_get_connection(VmiInstaller *inst);

/**
 * Installs (after vmi_installer_prepare() with VMI_INSTALLER_INSTALL).
 * @return FALSE with @p error when the install failed: everything the run
 *         created is gone again; TRUE with @p outcome otherwise
 */
gboolean vmi_installer_run(VmiInstaller *inst, VmiRunOutcome *outcome, GError **error);

/** Asks a waiting run to stop waiting (Ctrl-C); before the guest runs,
 *  the run fails and cleans up.  Async-signal-safe. */
void vmi_installer_interrupt(VmiInstaller *inst);

/** "virsh --connect URI VERB NAME" for the guest, for messages. */
char *vmi_installer_virsh_command(const VmiInstaller *inst, const char *verb);

/**
 * What the install media @p location (an ISO, a directory tree or a URL)
 * hold, for the request's guest (its --arch, --paravirt and --memory; the
 * Solaris 32/64-bit rule): without creating anything, and without the
 * connection.
 * @return a new report, or NULL with @p error ("--inspect-media: ...")
 */
VmiMediaReport *vmi_installer_inspect_media(VmiInstaller *inst, const char *location,
                                            GError **error);

G_END_DECLS
