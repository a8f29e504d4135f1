/*
 * vminstall: the command-line tool.  All the work is in libvminstall;
 * this file prints what the library returns and turns errors into one
 * line and exit status 1.
 */
#include <stdio.h>
#include <string.h>
#include <locale.h>
#include "vminstall/cli.h"
#include "vminstall/conn.h"
#include "vminstall/defaults.h"
#include "vminstall/plan.h"
#include "vminstall/media.h"
#include "vminstall/error.h"

static int
fail(GError *error)
{
  fprintf(stderr, "ERROR    %s\n", error->message);
  g_error_free(error);
  return 1;
}

static gboolean
print_xml(const VmiRequest *req, const VmiPlan *plan, GError **error)
{
  const VmiGuest *first = plan->install ? plan->install : plan->final;
  const VmiGuest *second = plan->install ? plan->final : NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (req->print == VMI_PRINT_STEP && req->print_step == 2 && !second) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--print-xml: step 2 requested but this install has a single phase "
                        "(use --print-xml 1 or --print-xml all)");
    return FALSE;
  }
  if (req->print == VMI_PRINT_STEP && req->print_step == 2) {
    b = vmi_guest_to_xml(second);
    fputs(b, stdout);
    return TRUE;
  }
  a = vmi_guest_to_xml(first);
  fputs(a, stdout);
  if (req->print == VMI_PRINT_STEP && req->print_step == 1)
    return TRUE;
  if (second) {
    b = vmi_guest_to_xml(second);
    fputs(b, stdout);
  }
  return TRUE;
}

int
main(int argc, char **argv)
{
  g_autoptr(VmiRequest) req = NULL;
  g_autoptr(VmiConn) conn = NULL;
  g_autoptr(VmiOs) os = NULL;
  g_autoptr(GPtrArray) notices = g_ptr_array_new_with_free_func(g_free);
  g_auto(VmiPlan) plan = { 0 };
  GError *error = NULL;

  setlocale(LC_ALL, "");
  req = vmi_cli_parse(argc, argv, &error);
  if (!req)
    return fail(error);
  if (req->output) {
    fputs(req->output, stdout);
    return 0;
  }

  conn = vmi_conn_new(req->connect_uri, &error);
  if (!conn)
    return fail(error);
  if (!vmi_defaults_apply(req, conn, &os, notices, &error))
    return fail(error);

  g_auto(VmiBootFiles) files = { 0 };
  g_auto(VmiStaged) staged = { 0 };
  g_autofree char *kernel_args = NULL;
  g_autofree char *arch = vmi_guest_get(req->guest, "os/type/@arch");
  g_autofree char *os_type = vmi_guest_get(req->guest, "os/type");
  if (!vmi_media_find_boot_files(&req->install, arch, os_type, &files, &error))
    return fail(error);
  if (files.kernel) {
    gboolean copy = req->print == VMI_PRINT_NONE && !req->dry_run;
    g_autofree char *scratch = vmi_media_scratch_dir(
        !vmi_conn_is_session(conn) && !vmi_conn_is_remote(conn),
        vmi_conn_is_xen(conn), &error);
    if (!scratch || !vmi_media_stage(&files, scratch, copy, &staged, &error))
      return fail(error);
  }
  kernel_args = vmi_media_kernel_args(&req->install);

  VmiPlanMedia media = {
    .kernel = staged.kernel,
    .initrd = staged.initrd,
    .kernel_args = kernel_args,
    .cdrom = files.cdrom,
  };
  vmi_plan_build(req->guest, &req->install, &media, os, &plan);

  if (req->print != VMI_PRINT_NONE) {
    if (!print_xml(req, &plan, &error))
      return fail(error);
    return 0;
  }
  if (!req->quiet)
    for (guint i = 0; i < notices->len; i++)
      printf("%s\n", (const char *)g_ptr_array_index(notices, i));
  if (req->dry_run) {
    if (!req->quiet)
      printf("Dry run completed successfully\n");
    return 0;
  }
  g_set_error_literal(&error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                      "starting the install is not available in this build yet "
                      "(use --print-xml or --dry-run)");
  return fail(error);
}
