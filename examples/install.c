/*
 * install URI NAME ISO [--OPTION=VALUE ...]: installs the guest NAME from
 * the install ISO on the libvirt connection URI through libvminstall's API,
 * the way `vminstall --connect URI --name NAME --cdrom ISO ...` does: a
 * guest of 1024 MiB with a new 8 GiB disk, the OS found on the ISO, the
 * text console on this terminal; further virt-install options (as
 * --OPTION=VALUE, or --OPTION for a flag) change any of that.
 *
 * It shows the pieces a program puts together: a request written with
 * setters, an installer, its warnings, the run's messages and steps, and
 * the cleanup guard, for which the program starts itself again.
 *
 *   cc install.c $(pkg-config --cflags --libs vminstall) -o install
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <vminstall/vminstall.h>

static VmiInstaller *running;

static void
on_sigint(int sig)
{
  if (running)
    vmi_installer_interrupt(running);
}

static void
on_message(VmiRunLevel level, const char *message, gpointer data)
{
  fprintf(level == VMI_RUN_WARNING ? stderr : stdout, "%s%s\n",
          level == VMI_RUN_WARNING ? "warning: " : "", message);
}

static void
on_step(VmiRunStep step, gpointer data)
{
  fprintf(stderr, "install: %s\n", vmi_run_step_name(step));
}

static void
print_lines(FILE *out, const char *prefix, GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    fprintf(out, "%s%s\n", prefix, (const char *)g_ptr_array_index(lines, i));
}

/* "--OPTION=VALUE" or "--OPTION" into the request */
static gboolean
add_options(VmiRequest *req, int argc, char **argv, GError **error)
{
  for (int i = 0; i < argc; i++) {
    g_autofree char *name = NULL;
    const char *eq;

    if (!g_str_has_prefix(argv[i], "--")) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "'%s' is not --OPTION=VALUE", argv[i]);
      return FALSE;
    }
    eq = strchr(argv[i], '=');
    name = eq ? g_strndup(argv[i] + 2, eq - argv[i] - 2) : g_strdup(argv[i] + 2);
    if (!vmi_request_add_option(req, name, eq ? eq + 1 : NULL, error))
      return FALSE;
  }
  return TRUE;
}

int
main(int argc, char **argv)
{
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiInstaller) inst = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GError) error = NULL;
  struct sigaction sa = { .sa_handler = on_sigint };
  VmiRunOutcome outcome;

  /* the run's cleanup guard is this program, started again */
  if (argc == 2 && strcmp(argv[1], VMI_GUARD_ARG) == 0) {
    g_autoptr(GPtrArray) report = g_ptr_array_new_with_free_func(g_free);
    int status = vmi_guard_main(STDIN_FILENO, report);

    print_lines(stderr, "install: interrupted; ", report);
    return status;
  }
  if (argc < 4) {
    fprintf(stderr, "usage: %s URI NAME ISO [--OPTION=VALUE ...]\n", argv[0]);
    return 2;
  }

  req = vmi_request_new();
  vmi_request_set_name(req, argv[2]);
  vmi_request_set_cdrom(req, argv[3]);
  vmi_request_set_memory(req, 1024);
  vmi_request_add_disk(req, "size=8");
  /* the OS the ISO holds (osinfo-db), or a generic one */
  vmi_request_set_os(req, "detect=on,require=off");
  if (!add_options(req, argc - 4, argv + 4, &error))
    goto fail;

  conn = vmi_conn_new(argv[1], &error);
  if (!conn || !(inst = vmi_installer_new(req, conn, &error)) ||
      !vmi_installer_prepare(inst, VMI_INSTALLER_INSTALL, &error))
    goto fail;
  warnings = vmi_installer_take_warnings(inst);
  notices = vmi_installer_take_notices(inst);
  print_lines(stderr, "warning: ", warnings);
  print_lines(stdout, "", notices);

  vmi_installer_set_run_callbacks(inst, on_message, on_step, NULL, NULL);
  vmi_installer_set_guard_program(inst, "/proc/self/exe");
  vmi_installer_set_console(inst, STDIN_FILENO, STDOUT_FILENO);
  running = inst;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  if (!vmi_installer_run(inst, &outcome, &error))
    goto fail;
  running = NULL;

  switch (outcome) {
  case VMI_RUN_DONE:
  case VMI_RUN_RUNNING:
  case VMI_RUN_USER_STOPPED:
    return 0;
  case VMI_RUN_INTERRUPTED:
  case VMI_RUN_TIMEOUT:
  case VMI_RUN_CRASHED: {
    g_autofree char *start = vmi_installer_virsh_command(inst, "start");
    fprintf(stderr, "install: the install did not finish; the guest is defined "
            "(start it with: %s)\n", start);
    return 1;
  }
  }
  return 1;
fail:
  fprintf(stderr, "install: %s\n", error->message);
  return 1;
}
