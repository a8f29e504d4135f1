/*
 * vminstall: the command-line tool.  All the work is in libvminstall;
 * this file runs the steps of the data flow and hands the result to the
 * command asked for.
 */
#include <stdio.h>
#include <locale.h>
#include "commands.h"
#include "vminstall/cli.h"
#include "vminstall/defaults.h"
#include "vminstall/error.h"

int
cmd_fail(GError *error)
{
  fprintf(stderr, "ERROR    %s\n", error->message);
  g_error_free(error);
  return 1;
}

int
main(int argc, char **argv)
{
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiOs) os = NULL;
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func(g_free);
  g_auto(VmiPlan) plan = { 0 };
  g_auto(VmiBootFiles) files = { 0 };
  g_auto(VmiStaged) staged = { 0 };
  g_autofree char *kernel_args = NULL;
  g_autofree char *arch = NULL;
  g_autofree char *os_type = NULL;
  GError *error = NULL;
  gboolean printing;

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

  conn = vmi_conn_new(req->connect_uri, &error);
  if (!conn || !vmi_defaults_apply(req, conn, &os, notices, &error))
    return cmd_fail(error);

  arch = vmi_guest_get(req->guest, "os/type/@arch");
  os_type = vmi_guest_get(req->guest, "os/type");
  if (!vmi_media_find_boot_files(&req->install, arch, os_type, &files, &error))
    return cmd_fail(error);
  printing = req->print != VMI_PRINT_NONE || req->print_xl != VMI_PRINT_NONE;
  if (files.kernel) {
    /* Printing only shows where the copies would go. */
    gboolean copy = !printing && !req->dry_run;
    g_autofree char *scratch = vmi_media_scratch_dir(
        !vmi_conn_is_session(conn) && !vmi_conn_is_remote(conn),
        vmi_conn_is_xen(conn), &error);
    if (!scratch || !vmi_media_stage(&files, scratch, copy, &staged, &error))
      return cmd_fail(error);
  }
  kernel_args = vmi_media_kernel_args(&req->install);

  VmiPlanMedia media = {
    .kernel = staged.kernel,
    .initrd = staged.initrd,
    .kernel_args = kernel_args,
    .cdrom = files.cdrom,
  };
  vmi_plan_build(req->guest, &req->install, &media, os, &plan);

  if (printing)
    return cmd_print(req, conn, &plan, os);
  if (!req->quiet)
    for (guint i = 0; i < notices->len; i++)
      printf("%s\n", (const char *)g_ptr_array_index(notices, i));
  if (req->dry_run) {
    if (!req->quiet)
      printf("Dry run completed successfully\n");
    return 0;
  }
  return cmd_install(req, conn, &plan, os, &staged, notices);
}
