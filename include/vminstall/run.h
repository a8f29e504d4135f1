/**
 * @file run.h
 * @brief What an install run tells its caller, and its cleanup guard.
 *
 * A run (vmi_installer_run()) creates the storage, defines the installed
 * guest's configuration, boots the install phase under the same name and
 * UUID, waits on libvirt's lifecycle events, boots the installed guest,
 * and on failure removes exactly what it created.  The library never
 * prints: the run reports through the callbacks below.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/** The step boundaries of a run, in order. */
typedef enum {
  VMI_RUN_STEP_START,       /**< nothing created yet (the guard runs) */
  VMI_RUN_STEP_POOL,        /**< the missing 'default' pool was created */
  VMI_RUN_STEP_STORAGE,     /**< every disk to create exists */
  VMI_RUN_STEP_DEFINE,      /**< the post-install configuration is defined */
  VMI_RUN_STEP_CREATE,      /**< the install phase runs */
  VMI_RUN_STEP_INSTALL,     /**< the install phase stopped; not rebooted yet */
  VMI_RUN_STEP_REBOOT,      /**< the installed guest was started */
  VMI_RUN_STEP_LAST,        /**< the number of steps */
} VmiRunStep;

/** "start", "after-pool", "after-storage", "after-define", "after-create",
 *  "after-install", "after-reboot"; NULL for others. */
const char *vmi_run_step_name(VmiRunStep step);

/** How a run that did not fail ended. */
typedef enum {
  VMI_RUN_DONE,         /**< installed; rebooted or left off as asked */
  VMI_RUN_RUNNING,      /**< left running without waiting (no console,
                         *   --wait 0, console closed by the user) */
  VMI_RUN_USER_STOPPED, /**< someone destroyed the guest during the install */
  VMI_RUN_TIMEOUT,      /**< --wait ran out; the guest is left as it is */
  VMI_RUN_INTERRUPTED,  /**< interrupted while waiting; the guest is left
                         *   running */
  VMI_RUN_CRASHED,      /**< the install phase crashed; nothing rebooted */
} VmiRunOutcome;

/** What kind of line a message is. */
typedef enum {
  VMI_RUN_INFO,     /**< progress: "Creating disk ...", "Restarting guest." */
  VMI_RUN_WARNING,  /**< something the user should know; the run goes on */
} VmiRunLevel;

/** One line (or a few) for the user; the caller decides whether to show
 *  VMI_RUN_INFO lines. */
typedef void (*VmiRunMessageFunc)(VmiRunLevel level, const char *message, gpointer data);
/** Called at each step boundary as it is passed. */
typedef void (*VmiRunStepFunc)(VmiRunStep step, gpointer data);
/** Called with a few words when something that may take long begins
 *  (creating the domain, waiting without a console), and with NULL when
 *  it ends, so that the caller can show that the run is alive. */
typedef void (*VmiRunBusyFunc)(const char *what, gpointer data);

/** The argument that starts a program as a run's cleanup guard (see
 *  vmi_installer_set_guard_program()). */
#define VMI_GUARD_ARG "--vminstall-internal-guard"

/**
 * The guard process: a program started with the single argument
 * VMI_GUARD_ARG calls this and exits with its result.  It reads what the
 * run creates from @p in_fd; when that ends without the run saying it
 * finished, it removes the uncommitted storage and the staged files.
 * @param in_fd   the program's standard input
 * @param report  receives one line (char *) for each thing removed or
 *                that could not be
 * @return the exit status
 */
int vmi_guard_main(int in_fd, GPtrArray *report);

G_END_DECLS
