/*
 * The install runner: creates the storage, defines the installed guest's
 * configuration, boots the install phase under the same name and UUID,
 * waits on libvirt's lifecycle events, boots the installed guest, and on
 * failure removes exactly what it created.
 *
 * The order makes the install crash-safe: the post-install configuration
 * is defined before anything boots, so whenever the tool dies after that,
 * the guest left behind boots the installed system.  Before the define, a
 * guard process (see vmi_guard_main) removes what the run created if the
 * run dies without finishing.
 */
#pragma once

#include <glib.h>
#include "conn.h"
#include "media.h"
#include "plan.h"
#include "request.h"
#include "vminstall/run.h"

G_BEGIN_DECLS

typedef struct {
  VmiRunMessageFunc message;
  VmiRunStepFunc step;
  VmiRunBusyFunc busy;  /* may be NULL */
  gpointer data;
  /* A program that runs vmi_guard_main when started with the arguments
   * VMI_GUARD_ARG (the CLI: /proc/self/exe), or NULL for no guard: then
   * only an orderly failure cleans up. */
  const char *guard_exe;
  /* Text console: guest output goes to @console_out; keys are read from
   * @console_in when it is a terminal (Ctrl-] detaches).  -1: none. */
  int console_in;
  int console_out;
  /* Seconds per --wait minute; 0 means 60 (tests shorten it). */
  int wait_unit_seconds;
} VmiRunOptions;

typedef struct _VmiRun VmiRun;

/* Borrows everything: the user's request @req (its install options:
 * console, wait, reboot, transient, autostart), the storage to create
 * (VmiDiskStorage* of the plan's guest), the plan; @staged copies are
 * removed once the guest started or the run failed. */
VmiRun *vmi_run_new(VmiConn *conn, const VmiRequest *req, GPtrArray *storage,
                    const VmiPlan *plan, VmiStaged *staged, const VmiRunOptions *opts);
void vmi_run_free(VmiRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiRun, vmi_run_free)

/* The whole install.  FALSE with @error when it failed; everything the
 * run created is then gone again (volumes, files, the pool, the
 * definition).  TRUE with @outcome otherwise. */
gboolean vmi_run_install(VmiRun *run, VmiRunOutcome *outcome, GError **error);

/* Asks a waiting run to stop waiting (Ctrl-C); before the guest runs, the
 * run fails and cleans up.  Async-signal-safe. */
void vmi_run_interrupt(VmiRun *run);

/* "virsh --connect URI start NAME" and "... console NAME", for messages. */
char *vmi_run_virsh_command(const VmiRun *run, const char *verb);

G_END_DECLS
