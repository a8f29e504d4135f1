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

G_BEGIN_DECLS

/* The step boundaries of a run, in order.  vmi_run_step_name gives the
 * names "start", "after-pool", ... used by VMINSTALL_TEST_DIE_AT. */
typedef enum {
  VMI_RUN_STEP_START,       /* nothing created yet (the guard runs) */
  VMI_RUN_STEP_POOL,        /* the missing 'default' pool was created */
  VMI_RUN_STEP_STORAGE,     /* every disk to create exists */
  VMI_RUN_STEP_DEFINE,      /* the post-install configuration is defined */
  VMI_RUN_STEP_CREATE,      /* the install phase runs */
  VMI_RUN_STEP_INSTALL,     /* the install phase stopped; not rebooted yet */
  VMI_RUN_STEP_REBOOT,      /* the installed guest was started */
  VMI_RUN_STEP_LAST,
} VmiRunStep;

const char *vmi_run_step_name(VmiRunStep step);

/* How a run that did not fail ended. */
typedef enum {
  VMI_RUN_DONE,         /* installed; rebooted or left off as asked */
  VMI_RUN_RUNNING,      /* left running without waiting (--noautoconsole,
                         * --wait 0, console closed by the user) */
  VMI_RUN_USER_STOPPED, /* someone destroyed the guest during the install */
  VMI_RUN_TIMEOUT,      /* --wait ran out; the guest is left as it is */
  VMI_RUN_INTERRUPTED,  /* vmi_run_interrupt while waiting; guest left running */
  VMI_RUN_CRASHED,      /* the install phase crashed; nothing rebooted */
} VmiRunOutcome;

typedef enum {
  VMI_RUN_INFO,     /* progress: "Creating disk ...", "Restarting guest." */
  VMI_RUN_WARNING,  /* something the user should know; the run goes on */
} VmiRunLevel;

/* One line (or a few) for the user.  The runner never prints; the caller
 * decides (--quiet silences VMI_RUN_INFO). */
typedef void (*VmiRunMessageFunc)(VmiRunLevel level, const char *message, gpointer data);
/* Called at each step boundary as it is passed. */
typedef void (*VmiRunStepFunc)(VmiRunStep step, gpointer data);
/* Called with a few words when something that may take long begins
 * (creating the domain, waiting without a console), and with NULL when
 * it ends, so that the caller can show that the run is alive. */
typedef void (*VmiRunBusyFunc)(const char *what, gpointer data);

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

/* Borrows everything; @staged copies are removed once the guest started
 * or the run failed. */
VmiRun *vmi_run_new(VmiConn *conn, const VmiRequest *req, const VmiPlan *plan,
                    VmiStaged *staged, const VmiRunOptions *opts);
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

/* ---- the guard process ---- */

#define VMI_GUARD_ARG "--vminstall-internal-guard"

/* Entry point of the guard process: reads what the run creates from
 * @in_fd; when that ends without the run saying it finished, removes the
 * uncommitted storage and the staged files.  Each thing removed (or that
 * could not be) is added to @report as a line for the user.  Returns the
 * exit status. */
int vmi_guard_main(int in_fd, GPtrArray *report);

G_END_DECLS
