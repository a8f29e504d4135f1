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

/* The install a Ctrl-C goes to. */
static VmiInstaller *interruptible;

static void
on_sigint(int sig)
{
  if (interruptible)
    vmi_installer_interrupt(interruptible);
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
cmd_install(VmiInstaller *inst, const CliModes *modes, GPtrArray *notices, GPtrArray *warnings)
{
  InstallCtx ctx = {
    .quiet = modes->quiet,
    .debug = modes->debug,
    .die_at = g_getenv("VMINSTALL_TEST_DIE_AT"),
    .warnings = warnings,
    .notices = notices,
    .conn_notice = vmi_conn_notice(vmi_installer_get_connection(inst)),
  };
  const char *unit = g_getenv("VMINSTALL_TEST_WAIT_UNIT");
  struct sigaction sa = { .sa_handler = on_sigint }, old_sa;
  VmiRunOutcome outcome = VMI_RUN_DONE;
  GError *error = NULL;
  gboolean ok;

  vmi_installer_set_run_callbacks(inst, on_message, on_step, on_busy, &ctx);
  vmi_installer_set_guard_program(inst, "/proc/self/exe");
  vmi_installer_set_console(inst, STDIN_FILENO, STDOUT_FILENO);
  /* Test-only: seconds per --wait minute, so that timeouts take seconds. */
  if (unit)
    vmi_installer_set_wait_unit(inst, atoi(unit));
  if (ctx.debug)
    debug_line("step", "install");
  interruptible = inst;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &old_sa);
  ok = vmi_installer_run(inst, &outcome, &error);
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
    g_autofree char *console = vmi_installer_virsh_command(inst, "console");
    fprintf(stderr, "Domain install interrupted.\nThe guest keeps running; its installed "
            "configuration is defined.  Reattach with:\n  %s\n", console);
    return 130;
  }
  case VMI_RUN_CRASHED: {
    g_autofree char *start = vmi_installer_virsh_command(inst, "start");
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
