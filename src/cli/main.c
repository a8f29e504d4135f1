/*
 * vminstall: the command-line tool.  All the work is in libvminstall;
 * this file runs the steps of the data flow and hands the result to the
 * command asked for.
 */
#include <stdio.h>
#include <locale.h>
#include <string.h>
#include "commands.h"
#include "cli.h"
#include "install.h"
#include "vminstall/error.h"
#include "run.h"
#include "caps.h"

int
cmd_fail(GError *error)
{
  cli_busy_end();
  fprintf(stderr, "ERROR    %s\n", error->message);
  g_error_free(error);
  return 1;
}

void
cmd_flush_warnings(GPtrArray *warnings)
{
  if (!warnings || warnings->len == 0)
    return;
  cli_busy_output_begin();
  fflush(stdout);
  for (guint i = 0; i < warnings->len; i++)
    fprintf(stderr, "WARNING  %s\n", (const char *)g_ptr_array_index(warnings, i));
  g_ptr_array_set_size(warnings, 0);
  cli_busy_output_end();
}

/* The generated cloud-init root password: once, on the terminal (never
 * on stdout, which may go to a log), as virt-install shows it. */
static void
show_password(const char *password)
{
  FILE *tty = fopen("/dev/tty", "w");
  FILE *out = tty ? tty : stderr;

  fprintf(out, "Password for first root login is: %s\n", password);
  fflush(out);
  if (tty)
    fclose(tty);
}

int
main(int argc, char **argv)
{
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiOs) os = NULL;
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
  g_auto(VmiPlan) plan = { 0 };
  g_auto(VmiBootFiles) files = { 0 };
  g_auto(VmiStaged) staged = { 0 };
  g_auto(VmiHandsOff) hands_off = { 0 };
  g_autofree char *kernel_args = NULL;
  GError *error = NULL;
  gboolean printing;
  VmiMediaPurpose purpose;

  /* Started by a run of this program, not by a user. */
  if (argc == 2 && strcmp(argv[1], VMI_GUARD_ARG) == 0)
    return cmd_guard();
  setlocale(LC_ALL, "");
  req = vmi_cli_parse(argc, argv, &error);
  if (!req)
    return cmd_fail(error);
  if (req->output) {
    fputs(req->output, stdout);
    return 0;
  }
  if (req->inspect_media)
    return cmd_inspect_media(req);

  /* Connecting, reading capabilities and the media can take a while
   * (a slow host, a slow mirror). */
  cli_busy_init(req->quiet);
  cli_busy_begin("Preparing the guest");
  conn = vmi_conn_new(req->connect_uri, &error);
  vmi_hands_off_begin(req, &hands_off);
  VmiMediaOptions media_opts = { .progress = cli_progress(req), .retries = -1 };
  if (!conn || !vmi_install_media_begin(req, conn, &media_opts, &files, &error) ||
      !vmi_install_defaults(req, conn, &os, notices, &error) ||
      !vmi_hands_off_prepare(req, conn, os, &files, &hands_off, warnings, &error))
    return cmd_fail(error);

  printing = req->print != VMI_PRINT_NONE || req->print_xl != VMI_PRINT_NONE;
  purpose = printing ? VMI_MEDIA_FOR_PRINT
            : req->dry_run ? VMI_MEDIA_FOR_DRY_RUN : VMI_MEDIA_FOR_INSTALL;
  if (!vmi_install_media_stage(req, conn, os, purpose, &files, &staged, &kernel_args, warnings,
                               &error) ||
      !vmi_hands_off_stage(req, conn, os, purpose, &staged, &hands_off, warnings, &error))
    return cmd_fail(error);

  VmiPlanMedia media = {
    .kernel = staged.kernel,
    .initrd = staged.initrd,
    .kernel_args = kernel_args,
    .cdrom = files.cdrom,
  };
  vmi_hands_off_plan_media(req, &hands_off, &media);
  vmi_plan_build(req->guest, &req->install, &media, os, &plan);
  vmi_install_media_adjust_plan(&files, os, &plan, warnings);
  {
    /* --boot zfs_bootfs=: a Solaris PV guest boots its ZFS root directly */
    const VmiCaps *caps = vmi_conn_caps(conn, NULL);
    g_autofree char *arch = vmi_guest_get(req->guest, "os/type/@arch");

    if (!vmi_install_solaris_zfs_boot(req, &files, os,
                                   vmi_media_can_boot_64bit(caps ? vmi_caps_host_arch(caps)
                                                            : NULL, arch),
                                   &plan, &error))
      return cmd_fail(error);
  }
  /* The warnings wait for the command to get somewhere: an error before
   * that is the only line on stderr. */
  if (req->quiet)
    g_ptr_array_set_size(warnings, 0);
  cli_busy_end();

  if (printing)
    return cmd_print(req, conn, &plan, os, warnings);
  if (req->dry_run) {
    cmd_flush_warnings(warnings);
    if (!req->quiet) {
      for (guint i = 0; i < notices->len; i++)
        printf("%s\n", (const char *)g_ptr_array_index(notices, i));
      printf("Dry run completed successfully\n");
    }
    return 0;
  }
  if (hands_off.password)
    show_password(hands_off.password);
  return cmd_install(req, conn, &plan, os, &staged, notices, warnings);
}
