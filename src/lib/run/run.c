/*
 * The run: storage, define, start, wait, reboot, in the order that makes
 * an install crash-safe (see run.h), with virt-install's messages and its
 * rules for consoles and waiting.
 */
#include <string.h>
#include <unistd.h>
#include <libvirt/virterror.h>
#include "run-private.h"
#include "vminstall/error.h"
#include "xmlnode.h"

struct _VmiRun {
  VmiConn *conn;
  const VmiRequest *req;
  GPtrArray *storage;   /* VmiDiskStorage*: what to create */
  const VmiPlan *plan;
  VmiStaged *staged;
  VmiRunOptions opts;
  char *name;
  char *uuid;
  VmiWatch *watch;
  VmiGuard *guard;
  GPtrArray *created;   /* VmiCreated*, for an orderly undo */
  virDomainPtr dom;
  VmiConsole *console;
  VmiConsoleMode console_mode;  /* resolved: NONE, TEXT or GRAPHICAL */
  gint64 deadline;              /* -1: none */
};

static const char *const step_names[VMI_RUN_STEP_LAST] = {
  [VMI_RUN_STEP_START] = "start",
  [VMI_RUN_STEP_POOL] = "after-pool",
  [VMI_RUN_STEP_STORAGE] = "after-storage",
  [VMI_RUN_STEP_DEFINE] = "after-define",
  [VMI_RUN_STEP_CREATE] = "after-create",
  [VMI_RUN_STEP_INSTALL] = "after-install",
  [VMI_RUN_STEP_REBOOT] = "after-reboot",
};

const char *
vmi_run_step_name(VmiRunStep step)
{
  return step < VMI_RUN_STEP_LAST ? step_names[step] : NULL;
}

VmiRun *
vmi_run_new(VmiConn *conn, const VmiRequest *req, GPtrArray *storage, const VmiPlan *plan,
            VmiStaged *staged, const VmiRunOptions *opts)
{
  VmiRun *run = g_new0(VmiRun, 1);

  run->conn = conn;
  run->req = req;
  run->storage = storage;
  run->plan = plan;
  run->staged = staged;
  if (opts)
    run->opts = *opts;
  else
    run->opts.console_in = run->opts.console_out = -1;
  run->name = vmi_guest_get(plan->final, "name");
  run->uuid = vmi_guest_get(plan->final, "uuid");
  /* Made now, so that vmi_run_interrupt always has somewhere to go. */
  run->watch = vmi_watch_new(NULL);
  run->created = g_ptr_array_new_with_free_func((GDestroyNotify)vmi_created_free);
  run->deadline = -1;
  return run;
}

void
vmi_run_free(VmiRun *run)
{
  if (!run)
    return;
  vmi_console_close(run->console);
  vmi_watch_free(run->watch);
  vmi_guard_free(run->guard);
  if (run->dom)
    virDomainFree(run->dom);
  g_ptr_array_unref(run->created);
  g_free(run->name);
  g_free(run->uuid);
  g_free(run);
}

void
vmi_run_interrupt(VmiRun *run)
{
  if (run->watch)
    vmi_watch_interrupt(run->watch);
}

/* Quoted for a shell only where it needs it, so that the usual command
 * reads as virt-install prints it. */
static char *
shell_word(const char *s)
{
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_./:=@%+,-", *p))
      return g_shell_quote(s);
  return g_strdup(s);
}

char *
vmi_run_virsh_command(const VmiRun *run, const char *verb)
{
  g_autofree char *uri = shell_word(vmi_conn_uri(run->conn));
  g_autofree char *name = shell_word(run->name);
  return g_strdup_printf("virsh --connect %s %s %s", uri, verb, name);
}

static void
say(VmiRun *run, VmiRunLevel level, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void
say(VmiRun *run, VmiRunLevel level, const char *fmt, ...)
{
  g_autofree char *msg = NULL;
  va_list ap;

  if (!run->opts.message)
    return;
  va_start(ap, fmt);
  msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  run->opts.message(level, msg, run->opts.data);
}

/* @what: a step that may take long begins; NULL: it ended. */
static void
busy(VmiRun *run, const char *what)
{
  if (run->opts.busy)
    run->opts.busy(what, run->opts.data);
}

static void
step(VmiRun *run, VmiRunStep s)
{
  if (run->opts.step)
    run->opts.step(s, run->opts.data);
}

static gboolean
interrupted_before_start(VmiRun *run, GError **error)
{
  if (vmi_watch_wait(run->watch, VMI_WAKE_INTERRUPT, 0) != VMI_WAKE_INTERRUPT)
    return FALSE;
  g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED,
                      "interrupted before the guest started; nothing was left behind");
  return TRUE;
}

/* ---- starting ---- */

static gboolean
needs_guard(VmiRun *run)
{
  if (!run->opts.guard_exe || vmi_conn_is_really_test(run->conn))
    return FALSE;
  if (run->staged && (run->staged->copied || (run->staged->extra && run->staged->extra->len)))
    return TRUE;
  for (guint i = 0; i < run->storage->len; i++)
    if (((VmiDiskStorage *)g_ptr_array_index(run->storage, i))->will_create)
      return TRUE;
  return FALSE;
}

static void
remove_staged(VmiRun *run)
{
  if (run->staged)
    vmi_staged_clear(run->staged);
}

/* Takes back everything after a failure before the guest ran. */
static void
undo(VmiRun *run, gboolean defined)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func(g_free);

  vmi_guard_uncommit(run->guard);
  if (defined && run->dom) {
    g_autoptr(GError) local = NULL;
    if (!vmi_domain_undefine(run->dom, run->uuid, &local))
      g_ptr_array_add(problems, g_strdup(local->message));
  }
  vmi_storage_undo(run->conn, run->created, problems);
  remove_staged(run);
  vmi_guard_finish(run->guard);
  g_clear_pointer(&run->guard, vmi_guard_free);
  for (guint i = 0; i < problems->len; i++)
    say(run, VMI_RUN_WARNING, "%s", (char *)g_ptr_array_index(problems, i));
}

/* @warnings: those of vmi_storage_check, said here */
static gboolean
start(VmiRun *run, GPtrArray *warnings, GError **error)
{
  const VmiInstall *in = &run->req->install;
  g_autofree char *final_xml = vmi_guest_to_xml(run->plan->final);
  g_autofree char *install_xml = run->plan->install ? vmi_guest_to_xml(run->plan->install)
                                                    : NULL;
  virConnectPtr c = vmi_conn_get(run->conn, error);
  gboolean defined = FALSE;
  virDomainPtr live = NULL;

  if (!c)
    return FALSE;
  for (guint i = 0; i < warnings->len; i++)
    say(run, VMI_RUN_WARNING, "%s", (char *)g_ptr_array_index(warnings, i));

  if (needs_guard(run)) {
    const char *uri = vmi_conn_is_embedded(run->conn) ? "" : vmi_conn_open_uri(run->conn);
    run->guard = vmi_guard_start(run->opts.guard_exe, uri, run->uuid, error);
    if (!run->guard)
      return FALSE;
    if (run->staged && run->staged->copied) {
      vmi_guard_note_tmp(run->guard, run->staged->kernel);
      vmi_guard_note_tmp(run->guard, run->staged->initrd);
    }
    /* seed ISOs of cloud-init and unattended installs */
    for (guint i = 0; run->staged && run->staged->extra && i < run->staged->extra->len; i++)
      vmi_guard_note_tmp(run->guard, g_ptr_array_index(run->staged->extra, i));
  }
  step(run, VMI_RUN_STEP_START);
  /* A daemon that stops answering (a remote host gone) ends the wait
   * like a closed connection.  Drivers in this process have no use for
   * it and refuse. */
  if (virConnectSetKeepAlive(c, 5, 3) < 0)
    virResetLastError();
  /* Before anything can start: no event may be missed. */
  if (!vmi_watch_attach(run->watch, c, run->uuid, error))
    goto fail;
  if (interrupted_before_start(run, error))
    goto fail;

  busy(run, "Creating storage");
  if (!vmi_storage_create(run->conn, run->storage, run->guard, run->created,
                          run->opts.message, run->opts.data, run->opts.step, error))
    goto fail;
  busy(run, NULL);
  step(run, VMI_RUN_STEP_STORAGE);
  if (interrupted_before_start(run, error))
    goto fail;

  say(run, VMI_RUN_INFO, "Creating domain...");
  busy(run, "Creating the domain");
  if (!in->transient) {
    run->dom = vmi_domain_define(c, final_xml, error);
    if (!run->dom)
      goto fail;
    defined = TRUE;
    vmi_guard_commit(run->guard);
    step(run, VMI_RUN_STEP_DEFINE);
    if (in->autostart && virDomainSetAutostart(run->dom, 1) < 0) {
      g_autoptr(GError) local = NULL;
      vmi_libvirt_error(&local, NULL);
      say(run, VMI_RUN_WARNING, "Could not set the autostart flag: %s", local->message);
    }
    if (interrupted_before_start(run, error))
      goto fail;
  }

  if (in->transient || install_xml) {
    live = vmi_domain_create_xml(c, install_xml ? install_xml : final_xml, error);
    if (!live)
      goto fail;
    if (run->dom)
      virDomainFree(run->dom);
    run->dom = live;
    vmi_guard_commit(run->guard);
  } else if (!in->noreboot) {
    /* No install phase (--import): boot what was defined. */
    if (virDomainCreate(run->dom) < 0) {
      vmi_libvirt_error(error, "cannot start the guest");
      goto fail;
    }
  }
  busy(run, NULL);
  /* QEMU has read the kernel and initrd by now. */
  remove_staged(run);
  vmi_guard_finish(run->guard);
  g_clear_pointer(&run->guard, vmi_guard_free);
  step(run, VMI_RUN_STEP_CREATE);
  return TRUE;

fail:
  busy(run, NULL);
  undo(run, defined);
  return FALSE;
}

/* ---- consoles ---- */

static VmiConsoleMode
resolve_console(VmiRun *run, gboolean *defaulted)
{
  VmiConsoleMode mode = run->req->install.console;
  g_autoptr(GPtrArray) gfx = vmi_guest_devices(run->plan->final, "graphics");
  g_autofree char *viewer = NULL;

  *defaulted = mode == VMI_CONSOLE_DEFAULT;
  if (mode == VMI_CONSOLE_DEFAULT) {
    /* virt-install's rules for the default console */
    if (gfx->len == 0) {
      mode = VMI_CONSOLE_TEXT;
    } else {
      g_autofree char *type = vmi_node_get(g_ptr_array_index(gfx, 0), "@type");
      const char *display = g_getenv("DISPLAY");
      viewer = g_find_program_in_path("virt-viewer");
      if (g_strcmp0(type, "vnc") != 0 && g_strcmp0(type, "spice") != 0) {
        mode = VMI_CONSOLE_NONE;
      } else if (!viewer) {
        say(run, VMI_RUN_WARNING, "Unable to connect to graphical console: virt-viewer not "
            "installed. Please install the 'virt-viewer' package.");
        mode = VMI_CONSOLE_NONE;
      } else if (!display || !*display) {
        say(run, VMI_RUN_WARNING, "Graphics requested but DISPLAY is not set. "
            "Not running virt-viewer.");
        mode = VMI_CONSOLE_NONE;
      } else {
        mode = VMI_CONSOLE_GRAPHICAL;
      }
    }
  }
  if (mode == VMI_CONSOLE_TEXT && run->opts.console_out < 0)
    mode = VMI_CONSOLE_NONE;
  if (mode == VMI_CONSOLE_GRAPHICAL && vmi_conn_is_embedded(run->conn)) {
    say(run, VMI_RUN_WARNING, "virt-viewer cannot reach the embedded driver of this process; "
        "not running a graphical console.");
    mode = VMI_CONSOLE_NONE;
  }
  return mode;
}

/* Connects the console chosen to the running guest; FALSE when there is
 * none to wait for. */
static gboolean
attach_console(VmiRun *run)
{
  g_autoptr(GError) local = NULL;

  if (run->console_mode == VMI_CONSOLE_TEXT) {
    virConnectPtr c = vmi_conn_get(run->conn, NULL);
    vmi_console_close(run->console);
    run->console = c ? vmi_console_open(c, run->dom, run->opts.console_in,
                                        run->opts.console_out, run->watch, &local)
                     : NULL;
    if (!run->console) {
      say(run, VMI_RUN_WARNING, "%s", local ? local->message : "cannot open the console");
      return FALSE;
    }
    say(run, VMI_RUN_INFO, "Connected to domain '%s'%s", run->name,
        run->opts.console_in >= 0 && isatty(run->opts.console_in)
            ? "\nEscape character is ^] (Ctrl + ])" : "");
    return TRUE;
  }
  if (run->console_mode == VMI_CONSOLE_GRAPHICAL) {
    say(run, VMI_RUN_INFO, "Running graphical console command: virt-viewer --connect %s "
        "--wait %s", vmi_conn_uri(run->conn), run->name);
    if (!vmi_viewer_spawn(vmi_conn_uri(run->conn), run->name, run->watch, &local)) {
      say(run, VMI_RUN_WARNING, "%s", local->message);
      return FALSE;
    }
    return TRUE;
  }
  return FALSE;
}

/* ---- waiting ---- */

/* After the daemon went away: open a new connection, follow the guest
 * again and learn what it did meanwhile.  Retries twice a second until
 * the run's deadline (--wait) or an interrupt. */
static VmiWake
reconnect(VmiRun *run)
{
  gboolean console = run->console != NULL;

  say(run, VMI_RUN_WARNING, "Lost the connection to %s; reconnecting", vmi_conn_uri(run->conn));
  vmi_console_close(run->console);
  run->console = NULL;
  vmi_watch_detach(run->watch);
  for (;;) {
    g_autoptr(GError) local = NULL;
    virDomainPtr dom;
    int state = 0, reason = 0;
    gint64 retry = g_get_monotonic_time() + G_USEC_PER_SEC / 2;
    VmiWake w;

    if (vmi_conn_reopen(run->conn, &local) &&
        vmi_watch_attach(run->watch, vmi_conn_get(run->conn, NULL), run->uuid, &local)) {
      say(run, VMI_RUN_INFO, "Reconnected to %s", vmi_conn_uri(run->conn));
      dom = virDomainLookupByUUIDString(vmi_conn_get(run->conn, NULL), run->uuid);
      if (!dom) {
        virResetLastError();
        vmi_watch_set_stop(run->watch, VMI_STOP_GONE);
        return 0;
      }
      if (run->dom)
        virDomainFree(run->dom);
      run->dom = dom;
      if (virDomainGetState(dom, &state, &reason, 0) == 0)
        vmi_watch_set_stop(run->watch, vmi_watch_stop_from_state(state, reason));
      else
        virResetLastError();
      if (console && vmi_watch_stop(run->watch) == VMI_STOP_NONE)
        attach_console(run);
      return 0;
    }
    /* A timer between attempts while the daemon starts again. */
    if (run->deadline >= 0 && run->deadline < retry)
      retry = run->deadline;
    w = vmi_watch_wait(run->watch, VMI_WAKE_INTERRUPT, retry);
    if (w == VMI_WAKE_INTERRUPT)
      return w;
    if (run->deadline >= 0 && g_get_monotonic_time() >= run->deadline)
      return VMI_WAKE_TIMEOUT;
  }
}

/* vmi_watch_wait that carries on through daemon restarts. */
static VmiWake
wait_for(VmiRun *run, guint wanted, gint64 deadline)
{
  for (;;) {
    VmiWake w = vmi_watch_wait(run->watch, wanted, deadline);
    if (w)
      return w;
    w = reconnect(run);
    if (w)
      return w;
  }
}

static gboolean
domain_active(VmiRun *run)
{
  int active;

  if (vmi_watch_stop(run->watch) != VMI_STOP_NONE)
    return FALSE;
  active = virDomainIsActive(run->dom);
  if (active < 0) {
    virResetLastError();
    return FALSE; /* a transient guest that stopped is gone */
  }
  return active == 1;
}

/* The console and the lifecycle event race when a guest stops: its
 * console ends as QEMU exits, the event follows.  Give the one still due
 * a moment, so that neither the last output nor the stop is missed. */
static void
settle(VmiRun *run, VmiWake got)
{
  gint64 grace = g_get_monotonic_time() + 3 * G_USEC_PER_SEC;

  if ((got & VMI_WAKE_STOPPED) && run->console && !(got & VMI_WAKE_CONSOLE))
    wait_for(run, VMI_WAKE_CONSOLE | VMI_WAKE_INTERRUPT, grace);
  else if ((got & VMI_WAKE_CONSOLE) && run->console && !vmi_console_detached(run->console))
    wait_for(run, VMI_WAKE_STOPPED | VMI_WAKE_INTERRUPT, grace);
}

static const char *
minutes_text(gint64 minutes)
{
  return minutes == 1 ? "minute" : "minutes";
}

/* The install phase: returns TRUE when it stopped; otherwise @outcome
 * says why the run ends here. */
static gboolean
wait_install(VmiRun *run, gboolean has_console, gboolean defaulted, VmiRunOutcome *outcome)
{
  const VmiInstall *in = &run->req->install;
  gboolean wait_set = in->wait_set;
  gint64 minutes = in->wait_minutes;
  gboolean has_install = run->plan->install != NULL;
  guint wanted = VMI_WAKE_STOPPED | VMI_WAKE_INTERRUPT;
  VmiWake w;

  if (!wait_set && !has_console && defaulted) {
    /* Nothing to show the user: wait like virt-install does then. */
    say(run, VMI_RUN_WARNING, "No console to launch for the guest, defaulting to --wait -1");
    wait_set = TRUE;
    minutes = -1;
  }
  if (!wait_set && has_console) {
    w = wait_for(run, wanted | VMI_WAKE_CONSOLE | VMI_WAKE_VIEWER, -1);
    if (w & VMI_WAKE_INTERRUPT) {
      *outcome = VMI_RUN_INTERRUPTED;
      return FALSE;
    }
    settle(run, w);
    if (!domain_active(run))
      return TRUE;
  }
  if (!wait_set) {
    if (!domain_active(run))
      return TRUE;
    if (!has_install) {
      *outcome = VMI_RUN_DONE;
      return FALSE;
    }
    say(run, VMI_RUN_INFO, "\nDomain is still running. Installation may be in progress.\n"
        "You can reconnect to the console to complete the installation process.");
    *outcome = VMI_RUN_RUNNING;
    return FALSE;
  }
  if (!domain_active(run))
    return TRUE;
  if (minutes < 0)
    say(run, VMI_RUN_INFO, "\nDomain is still running. Installation may be in progress.\n"
        "Waiting for the installation to complete.");
  else
    say(run, VMI_RUN_INFO, "\nDomain is still running. Installation may be in progress.\n"
        "Waiting %" G_GINT64_FORMAT " %s for the installation to complete.", minutes,
        minutes_text(minutes));
  /* with a console, the guest's output shows it is alive */
  if (!run->console)
    busy(run, "Waiting for the installation to finish");
  w = wait_for(run, wanted, run->deadline);
  busy(run, NULL);
  if (w & VMI_WAKE_STOPPED) {
    settle(run, w);
    if (vmi_watch_stop(run->watch) != VMI_STOP_CRASHED)
      say(run, VMI_RUN_INFO, "Domain has shutdown. Continuing.");
    return TRUE;
  }
  if (w & VMI_WAKE_INTERRUPT) {
    *outcome = VMI_RUN_INTERRUPTED;
    return FALSE;
  }
  say(run, VMI_RUN_INFO, "Installation has exceeded specified time limit. Exiting application.");
  *outcome = VMI_RUN_TIMEOUT;
  return FALSE;
}

/* After the install phase stopped: boot the installed guest, or say why
 * not. */
static gboolean
after_install(VmiRun *run, gboolean has_console, VmiRunOutcome *outcome, GError **error)
{
  const VmiInstall *in = &run->req->install;
  VmiStopKind stop = vmi_watch_stop(run->watch);
  g_autofree char *start_cmd = vmi_run_virsh_command(run, "start");

  vmi_console_close(run->console);
  run->console = NULL;
  step(run, VMI_RUN_STEP_INSTALL);
  if (stop == VMI_STOP_CRASHED) {
    say(run, VMI_RUN_WARNING, "Domain has crashed.");
    *outcome = VMI_RUN_CRASHED;
    return TRUE;
  }
  say(run, VMI_RUN_INFO, "Domain creation completed.");
  *outcome = VMI_RUN_DONE;
  if (in->transient || domain_active(run))
    return TRUE;
  if (in->noreboot || !run->plan->install) {
    say(run, VMI_RUN_INFO, "You can restart your domain by running:\n  %s", start_cmd);
    return TRUE;
  }
  if ((stop == VMI_STOP_DESTROYED || stop == VMI_STOP_SAVED) && !in->destroy_on_exit) {
    say(run, VMI_RUN_INFO, "User stopped the VM. Not rebooting.");
    *outcome = VMI_RUN_USER_STOPPED;
    return TRUE;
  }
  say(run, VMI_RUN_INFO, "Restarting guest.");
  vmi_watch_reset_stop(run->watch);
  busy(run, "Starting the installed guest");
  if (virDomainCreate(run->dom) < 0) {
    busy(run, NULL);
    vmi_libvirt_error(error, "cannot start the installed guest (it stays defined; "
                      "try %s)", start_cmd);
    return FALSE;
  }
  busy(run, NULL);
  step(run, VMI_RUN_STEP_REBOOT);
  if (has_console && attach_console(run)) {
    VmiWake w = wait_for(run, VMI_WAKE_STOPPED | VMI_WAKE_INTERRUPT | VMI_WAKE_CONSOLE |
                         VMI_WAKE_VIEWER, -1);
    if (w & VMI_WAKE_INTERRUPT)
      *outcome = VMI_RUN_INTERRUPTED;
    else
      settle(run, w);
  }
  return TRUE;
}

gboolean
vmi_run_install(VmiRun *run, VmiRunOutcome *outcome, GError **error)
{
  const VmiInstall *in = &run->req->install;
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  gboolean defaulted;
  gboolean has_console;
  gboolean ok = TRUE;

  *outcome = VMI_RUN_DONE;
  if (!run->watch || !run->name || !run->uuid) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_INVALID,
                        "the guest configuration has no name or UUID");
    return FALSE;
  }
  if (in->wait_set && in->wait_minutes >= 0)
    run->deadline = g_get_monotonic_time() +
                    in->wait_minutes * (run->opts.wait_unit_seconds > 0
                                        ? run->opts.wait_unit_seconds : 60) * G_USEC_PER_SEC;
  /* What the user can fix (a disk that exists, no room for it) is found
   * before anything is said, like virt-install's checks of --disk. */
  if (!vmi_conn_get(run->conn, error) ||
      !vmi_storage_check(run->conn, run->storage, warnings, error))
    return FALSE;
  {
    /* Before the first QEMU start: the cause of a run that will crawl */
    g_autofree char *kvm = vmi_conn_kvm_warning(run->conn);
    if (kvm)
      say(run, VMI_RUN_WARNING, "%s", kvm);
  }
  say(run, VMI_RUN_INFO, "\nStarting install...");
  run->console_mode = resolve_console(run, &defaulted);
  if (!start(run, warnings, error))
    return FALSE;
  if (in->noreboot && !run->plan->install && !in->transient) {
    /* --import --noreboot: defined, not started. */
    g_autofree char *start_cmd = vmi_run_virsh_command(run, "start");
    say(run, VMI_RUN_INFO, "Domain creation completed.\nYou can restart your domain by "
        "running:\n  %s", start_cmd);
    return TRUE;
  }
  has_console = attach_console(run);
  if (wait_install(run, has_console, defaulted, outcome))
    ok = after_install(run, has_console, outcome, error);
  vmi_console_close(run->console);
  run->console = NULL;
  if (ok && in->destroy_on_exit && domain_active(run) && virDomainDestroy(run->dom) < 0)
    virResetLastError();
  return ok;
}
