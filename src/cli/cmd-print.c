/* --print-xml and --print-xl. */
#include <stdio.h>
#include "commands.h"
#include "vminstall/error.h"
#include "xl.h"
#include "xmlnode.h"

/* What a renderer may look at besides the guest it renders. */
typedef struct {
  const VmiRequest *req;
  VmiConn *conn;
  const VmiPlan *plan;
  GPtrArray *warnings; /* printed once the output is ready */
} PrintCtx;

static int
print_steps(const PrintCtx *ctx, VmiPrintMode mode, int step, const char *option,
            char *(*render)(const PrintCtx *ctx, const VmiGuest *guest, GError **error))
{
  const VmiPlan *plan = ctx->plan;
  const VmiGuest *first = plan->install ? plan->install : plan->final;
  const VmiGuest *second = plan->install ? plan->final : NULL;
  const VmiGuest *which[2] = { first, second };
  GError *error = NULL;

  if (mode == VMI_PRINT_STEP && step == 2 && !second) {
    g_set_error(&error, VMI_ERROR, VMI_ERROR_USAGE,
                "%s: step 2 requested but this install has a single phase "
                "(use %s 1 or %s all)", option, option, option);
    return cmd_fail(error);
  }
  if (mode == VMI_PRINT_STEP)
    which[0] = step == 1 ? first : second, which[1] = NULL;

  /* Render everything first: an error must leave stdout empty. */
  g_autofree char *a = render(ctx, which[0], &error);
  if (!a)
    return cmd_fail(error);
  g_autofree char *b = which[1] ? render(ctx, which[1], &error) : NULL;
  if (which[1] && !b)
    return cmd_fail(error);
  cmd_flush_warnings(ctx->warnings);
  fputs(a, stdout);
  if (b)
    fputs(b, stdout);
  return 0;
}

static char *
render_xml(const PrintCtx *ctx, const VmiGuest *guest, GError **error)
{
  return vmi_guest_to_xml(guest);
}

/* Printing stages nothing, so the install phase's kernel and ramdisk are
 * names of copies that do not exist: its xl config names the media's own
 * files instead, which xl create can boot as they are.  Files inside an ISO
 * or behind a URL have no such name: *@staged tells the xl writer so. */
static VmiGuest *
with_source_boot_files(const PrintCtx *ctx, const VmiGuest *guest, gboolean *staged,
                       GError **error)
{
  const VmiRequest *req = ctx->req;
  const VmiCaps *caps = vmi_conn_caps(ctx->conn, NULL);
  const char *host_arch = caps ? vmi_caps_host_arch(caps) : NULL;
  g_auto(VmiBootFiles) files = { 0 };
  g_autofree char *arch = vmi_guest_get(req->guest, "os/type/@arch");
  g_autofree char *os_type = vmi_guest_get(req->guest, "os/type");
  /* the query of the install, so that the same files are found (the
   * Solaris 32/64-bit rule looks at memory and host) */
  VmiMediaQuery query = {
    .arch = arch,
    .os_type = os_type,
    .memory_mib = vmi_node_get_int(vmi_guest_root(req->guest), "memory", 0) / 1024,
    .host_64bit = vmi_media_can_boot_64bit(host_arch, arch),
  };
  g_autofree char *kernel = NULL;
  g_autofree char *initrd = NULL;
  VmiGuest *copy;

  if (!vmi_media_prepare(&req->install, NULL, FALSE, &files, error) ||
      !vmi_media_find_boot_files(&req->install, &query, &files, error))
    return NULL;
  /* files inside an ISO or behind a URL have no name of their own */
  kernel = vmi_boot_files_local_path(&files, files.kernel);
  initrd = vmi_boot_files_local_path(&files, files.initrd);
  *staged = files.kernel && !kernel;
  copy = vmi_guest_copy(guest);
  if (kernel && vmi_node_has(vmi_guest_root(copy), "os/kernel"))
    vmi_node_set(vmi_guest_root(copy), "os/kernel", kernel);
  if (initrd && vmi_node_has(vmi_guest_root(copy), "os/initrd"))
    vmi_node_set(vmi_guest_root(copy), "os/initrd", initrd);
  return copy;
}

static char *
render_xl(const PrintCtx *ctx, const VmiGuest *guest, GError **error)
{
  gboolean install_phase = guest == ctx->plan->install;
  VmiXlOptions opts = {
    .installer = install_phase,
    .check_files = TRUE,
  };
  g_autoptr(VmiGuest) source = NULL;

  if (install_phase) {
    source = with_source_boot_files(ctx, guest, &opts.boot_files_staged, error);
    if (!source)
      return NULL;
    guest = source;
  }
  return vmi_xl_config(guest, &opts, error);
}

int
cmd_print(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os,
          GPtrArray *warnings)
{
  PrintCtx ctx = { req, conn, plan, warnings };

  if (req->print_xl != VMI_PRINT_NONE)
    return print_steps(&ctx, req->print_xl, req->print_xl_step, "--print-xl", render_xl);
  return print_steps(&ctx, req->print, req->print_step, "--print-xml", render_xml);
}
