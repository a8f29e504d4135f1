/*
 * The install itself: hands the plan to the runner (storage, define,
 * start, wait, reboot) and prints its progress the way virt-install does.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "vminstall/error.h"
#include "run.h"

typedef struct {
  gboolean quiet;
  gboolean debug;       /* --debug: each step on stderr, with the time */
  const char *die_at;   /* VMINSTALL_TEST_DIE_AT: a step name */
  /* What the steps before the run had to say, held back until the run
   * gets going (its first step or message), so that an error it reports
   * before that is the only line printed */
  GPtrArray *warnings;  /* stderr */
  GPtrArray *notices;   /* stdout, then conn_notice */
  const char *conn_notice;
  gboolean said;
} InstallCtx;

static void
flush_pending(InstallCtx *ctx)
{
  if (ctx->said)
    return;
  ctx->said = TRUE;
  cmd_flush_warnings(ctx->warnings);
  if (ctx->quiet)
    return;
  cli_busy_output_begin();
  for (guint i = 0; ctx->notices && i < ctx->notices->len; i++)
    printf("%s\n", (const char *)g_ptr_array_index(ctx->notices, i));
  if (ctx->conn_notice)
    printf("%s\n", ctx->conn_notice);
  fflush(stdout);
  cli_busy_output_end();
}

/* Wall-clock time as libvirt writes it in its logs, so that --debug
 * lines line up with /var/log/libvirt/qemu/NAME.log. */
static void
debug_line(const char *what, const char *detail)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc();
  g_autofree char *stamp = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");

  fprintf(stderr, "%s.%03d+0000: %s %s\n", stamp, g_date_time_get_microsecond(now) / 1000,
          what, detail);
}

/* The run a Ctrl-C goes to. */
static VmiRun *interruptible;

static void
on_sigint(int sig)
{
  if (interruptible)
    vmi_run_interrupt(interruptible);
}

static void
on_message(VmiRunLevel level, const char *message, gpointer data)
{
  InstallCtx *ctx = data;

  flush_pending(ctx);
  cli_busy_output_begin();
  if (ctx->debug)
    debug_line("message", message);
  if (level == VMI_RUN_WARNING) {
    fflush(stdout);
    fprintf(stderr, "WARNING  %s\n", message);
  } else if (!ctx->quiet) {
    printf("%s\n", message);
    fflush(stdout);
  }
  cli_busy_output_end();
}

static void
on_busy(const char *what, gpointer data)
{
  if (what)
    cli_busy_begin(what);
  else
    cli_busy_end();
}

/* Test-only fault injection: VMINSTALL_TEST_DIE_AT=after-define makes
 * vminstall kill itself at that step boundary, as a crash or kill -9
 * would, so that tests can check what is left behind. */
static void
on_step(VmiRunStep step, gpointer data)
{
  InstallCtx *ctx = data;

  flush_pending(ctx);
  if (ctx->debug) {
    cli_busy_output_begin();
    debug_line("step", vmi_run_step_name(step));
    cli_busy_output_end();
  }
  if (ctx->die_at && strcmp(ctx->die_at, vmi_run_step_name(step)) == 0) {
    fflush(stdout);
    fflush(stderr);
    raise(SIGKILL);
  }
}

int
cmd_install(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os,
            VmiStaged *staged, GPtrArray *notices, GPtrArray *warnings)
{
  InstallCtx ctx = {
    .quiet = req->quiet,
    .debug = req->debug,
    .die_at = g_getenv("VMINSTALL_TEST_DIE_AT"),
    .warnings = warnings,
    .notices = notices,
    .conn_notice = vmi_conn_notice(conn),
  };
  VmiRunOptions opts = {
    .message = on_message,
    .step = on_step,
    .busy = on_busy,
    .data = &ctx,
    .guard_exe = "/proc/self/exe",
    .console_in = STDIN_FILENO,
    .console_out = STDOUT_FILENO,
  };
  const char *unit = g_getenv("VMINSTALL_TEST_WAIT_UNIT");
  g_autoptr(VmiRun) run = NULL;
  struct sigaction sa = { .sa_handler = on_sigint }, old_sa;
  VmiRunOutcome outcome = VMI_RUN_DONE;
  GError *error = NULL;
  gboolean ok;

  /* Test-only: seconds per --wait minute, so that timeouts take seconds. */
  if (unit)
    opts.wait_unit_seconds = atoi(unit);
  if (ctx.debug)
    debug_line("step", "install");
  run = vmi_run_new(conn, req, plan, staged, &opts);
  interruptible = run;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_sa);
  ok = vmi_run_install(run, &outcome, &error);
  cli_busy_end();
  sigaction(SIGINT, &old_sa, NULL);
  interruptible = NULL;
  if (!ok)
    return cmd_fail(error);
  flush_pending(&ctx);

  switch (outcome) {
  case VMI_RUN_DONE:
  case VMI_RUN_RUNNING:
  case VMI_RUN_USER_STOPPED:
    return 0;
  case VMI_RUN_TIMEOUT:
    return 1;
  case VMI_RUN_INTERRUPTED: {
    g_autofree char *console = vmi_run_virsh_command(run, "console");
    fprintf(stderr, "Domain install interrupted.\nThe guest keeps running; its installed "
            "configuration is defined.  Reattach with:\n  %s\n", console);
    return 130;
  }
  case VMI_RUN_CRASHED: {
    g_autofree char *start = vmi_run_virsh_command(run, "start");
    fprintf(stderr, "Domain installation does not appear to have been successful.\n"
            "If it was, you can restart your domain by running:\n  %s\n"
            "otherwise, please restart your installation.\n", start);
    return 1;
  }
  }
  return 1;
}

int
cmd_guard(void)
{
  g_autoptr(GPtrArray) report = g_ptr_array_new_with_free_func(g_free);
  int status = vmi_guard_main(STDIN_FILENO, report);

  for (guint i = 0; i < report->len; i++)
    fprintf(stderr, "vminstall: the install was interrupted; %s\n",
            (char *)g_ptr_array_index(report, i));
  return status;
}
