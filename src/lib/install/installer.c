/*
 * The installer: the install's steps in order, from the user's request to
 * the prepared phases and the run.  The request is only read; everything
 * the steps derive (the completed guest, its storage, the OS, the media's
 * boot files, the staged copies, the plan) is the installer's.
 */
#include <sys/utsname.h>
#include "install-private.h"
#include "cli.h"
#include "error-util.h"
#include "xmlnode.h"

VmiInstaller *
vmi_installer_new(VmiRequest *req, VmiConn *conn, GError **error)
{
  VmiInstaller *inst;

  if (!vmi_cli_parse_request(req, error))
    return NULL;
  inst = g_new0(VmiInstaller, 1);
  inst->req = req;
  inst->conn = conn;
  inst->media_opts.retries = -1;
  inst->run_opts.console_in = inst->run_opts.console_out = -1;
  inst->warnings = g_ptr_array_new_with_free_func(g_free);
  inst->notices = g_ptr_array_new_with_free_func(g_free);
  return inst;
}

void
vmi_installer_free(VmiInstaller *inst)
{
  if (!inst)
    return;
  g_clear_pointer(&inst->run, vmi_run_free);
  vmi_hands_off_clear(&inst->hands_off);
  vmi_staged_clear(&inst->staged);
  vmi_boot_files_clear(&inst->files);
  vmi_plan_clear(&inst->plan);
  g_free(inst->kernel_args);
  g_free(inst->unattended_args);
  g_clear_pointer(&inst->os, vmi_os_free);
  g_free(inst->os_spec.name);
  g_free(inst->os_spec.full_id);
  g_clear_pointer(&inst->storage, g_ptr_array_unref);
  g_clear_pointer(&inst->guest, vmi_guest_free);
  g_ptr_array_unref(inst->warnings);
  g_ptr_array_unref(inst->notices);
  vmi_conn_free(inst->own_conn);
  g_free(inst);
}

void
vmi_installer_set_progress(VmiInstaller *inst, VmiMediaProgress func, gpointer data)
{
  inst->media_opts.progress = func;
  inst->media_opts.progress_data = data;
}

void
vmi_installer_set_debug(VmiInstaller *inst, VmiDebugFunc func, gpointer data)
{
  inst->debug = func;
  inst->debug_data = data;
}

void
vmi_installer_set_run_callbacks(VmiInstaller *inst, VmiRunMessageFunc message,
                                VmiRunStepFunc step, VmiRunBusyFunc busy, gpointer data)
{
  inst->run_opts.message = message;
  inst->run_opts.step = step;
  inst->run_opts.busy = busy;
  inst->run_opts.data = data;
}

void
vmi_installer_set_guard_program(VmiInstaller *inst, const char *path)
{
  /* a path the caller keeps, like the callbacks' data */
  inst->run_opts.guard_exe = path;
}

void
vmi_installer_set_console(VmiInstaller *inst, int in_fd, int out_fd)
{
  inst->run_opts.console_in = in_fd;
  inst->run_opts.console_out = out_fd;
}

void
vmi_installer_set_wait_unit(VmiInstaller *inst, int seconds)
{
  inst->run_opts.wait_unit_seconds = seconds;
}

/* The plan from the completed guest and what the steps found. */
static gboolean
plan(VmiInstaller *inst, GError **error)
{
  g_auto(VmiSolarisDirectBoot) zfs = { 0 };
  VmiPlanFacts facts = {
    .kernel = inst->staged.kernel,
    .initrd = inst->staged.initrd,
    .kernel_args = inst->kernel_args,
    .cdrom = inst->files.cdrom,
    .windows = vmi_os_is_windows(inst->os),
  };

  vmi_hands_off_plan_facts(inst, &facts);
  facts.install_memory_kib = vmi_install_network_memory(inst);
  /* --boot zfs_bootfs=: a Solaris PV guest boots its ZFS root directly */
  if (!vmi_install_solaris_zfs_boot(inst->req, inst->guest, &inst->files, inst->os,
                                    inst->host_64bit, &zfs, error))
    return FALSE;
  facts.final_kernel = zfs.kernel;
  facts.final_initrd = zfs.initrd;
  facts.final_cmdline = zfs.cmdline;
  vmi_plan_build(inst->guest, &inst->req->install, &facts, &inst->plan);
  return TRUE;
}

gboolean
vmi_installer_prepare(VmiInstaller *inst, VmiInstallerMode mode, GError **error)
{
  const VmiRequest *req = inst->req;

  if (inst->prepared || inst->guest)
    return vmi_fail(error, VMI_ERROR_FAILED, "the installer was prepared already");
  inst->mode = mode;
  if (!inst->conn) {
    inst->own_conn = vmi_conn_new(req->connect_uri, error);
    if (!inst->own_conn)
      return FALSE;
    inst->conn = inst->own_conn;
  }
  inst->guest = vmi_guest_copy(req->guest);
  inst->storage = vmi_storage_list_copy(req->storage, req->guest, inst->guest);
  inst->os_spec = req->os;
  inst->os_spec.name = g_strdup(req->os.name);
  inst->os_spec.full_id = g_strdup(req->os.full_id);

  vmi_hands_off_begin(inst);
  if (!vmi_install_open_media(inst, error) || !vmi_install_defaults(inst, error) ||
      !vmi_hands_off_prepare(inst, error) || !vmi_install_stage_media(inst, error) ||
      !vmi_hands_off_stage(inst, error) || !plan(inst, error))
    return FALSE;
  inst->prepared = TRUE;
  return TRUE;
}

static GPtrArray *
take(GPtrArray **lines)
{
  GPtrArray *taken = *lines;

  *lines = g_ptr_array_new_with_free_func(g_free);
  return taken;
}

GPtrArray *
vmi_installer_take_warnings(VmiInstaller *inst)
{
  return take(&inst->warnings);
}

GPtrArray *
vmi_installer_take_notices(VmiInstaller *inst)
{
  return take(&inst->notices);
}

const char *
vmi_installer_generated_password(const VmiInstaller *inst)
{
  return inst->hands_off.password;
}

VmiConn *
vmi_installer_get_connection(VmiInstaller *inst)
{
  return inst->conn;
}

gboolean
vmi_installer_run(VmiInstaller *inst, VmiRunOutcome *outcome, GError **error)
{
  if (!inst->prepared || inst->mode != VMI_INSTALLER_INSTALL || inst->run)
    return vmi_fail(error, VMI_ERROR_FAILED,
                    "the installer is not prepared for an install, or ran already");
  inst->run = vmi_run_new(inst->conn, inst->req, inst->storage, &inst->plan, &inst->staged,
                          &inst->run_opts);
  return vmi_run_install(inst->run, outcome, error);
}

void
vmi_installer_interrupt(VmiInstaller *inst)
{
  VmiRun *run = inst->run;

  if (run)
    vmi_run_interrupt(run);
}

char *
vmi_installer_virsh_command(const VmiInstaller *inst, const char *verb)
{
  return inst->run ? vmi_run_virsh_command(inst->run, verb) : NULL;
}

VmiMediaReport *
vmi_installer_inspect_media(VmiInstaller *inst, const char *location, GError **error)
{
  const VmiRequest *req = inst->req;
  struct utsname uts;
  const char *host_arch = uname(&uts) == 0 ? uts.machine : NULL;
  const char *arch = req->arch ? req->arch : host_arch;
  /* the 32/64-bit rule's threshold when no --memory is given */
  VmiMediaQuery query = {
    .arch = arch,
    .os_type = req->paravirt ? "xen" : "hvm",
    .memory_mib = vmi_node_get_int(vmi_guest_root(req->guest), "memory", 1024 * 1024) / 1024,
    .host_64bit = vmi_media_can_boot_64bit(host_arch, arch),
  };

  return vmi_media_report_new(location, &req->install, &query, inst->debug, inst->debug_data,
                              error);
}

/* ---- what the installer prepared (install.h) ---- */

const VmiRequest *
vmi_installer_request(const VmiInstaller *inst)
{
  return inst->req;
}

const VmiGuest *
vmi_installer_guest(const VmiInstaller *inst)
{
  return inst->guest;
}

GPtrArray *
vmi_installer_storage(VmiInstaller *inst)
{
  return inst->storage;
}

const VmiPlan *
vmi_installer_plan(const VmiInstaller *inst)
{
  return &inst->plan;
}

VmiStaged *
vmi_installer_staged(VmiInstaller *inst)
{
  return &inst->staged;
}

const VmiOs *
vmi_installer_os(const VmiInstaller *inst)
{
  return inst->os;
}
