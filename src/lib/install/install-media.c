/*
 * The media steps of an install, in the order the installer runs them:
 * open the media and detect the OS before the defaults (they depend on
 * the OS), find and stage kernel and initrd once the guest is known, then
 * the install phase's memory for a network install.
 */
#include <string.h>
#include "install-private.h"
#include "vminstall/error.h"
#include "xmlnode.h"

gboolean
vmi_install_open_media(VmiInstaller *inst, GError **error)
{
  const VmiInstall *install = &inst->req->install;
  gboolean remote = vmi_conn_is_remote(inst->conn);
  g_autofree char *name = NULL;

  if (!vmi_media_prepare(install, &inst->media_opts, remote, &inst->files, error))
    return FALSE;
  if (!inst->os_spec.detect)
    return TRUE;
  /* virt-install cannot look at a cdrom of a remote host either */
  if (!inst->files.media && remote)
    return TRUE;
  if (!vmi_media_detect_os(&inst->files, install, &name, error))
    return FALSE;
  if (name) {
    /* a detected OS wins over name= (the fallback), as in virt-install */
    g_free(inst->os_spec.name);
    g_clear_pointer(&inst->os_spec.full_id, g_free);
    inst->os_spec.name = g_steal_pointer(&name);
  }
  return TRUE;
}

/* "fedora36" -> "fedora": the family of the OS the user named */
static char *
distro_of(const VmiOs *os)
{
  const char *name = os ? vmi_os_short_id(os) : NULL;

  if (!name || vmi_os_is_generic(os))
    return NULL;
  return g_strndup(name, strcspn(name, "0123456789.-"));
}

char *
vmi_install_scratch_dir(const VmiInstaller *inst, gboolean *upload, GError **error)
{
  VmiConn *conn = inst->conn;
  gboolean remote = vmi_conn_is_remote(conn);
  gboolean privileged = !vmi_conn_is_session(conn) && !remote;
  char *scratch = vmi_media_scratch_dir(privileged, vmi_conn_driver(conn) == VMI_DRIVER_XEN, error);
  /* a scratch directory the user chose is one the hypervisor reads */
  gboolean system = scratch && (g_str_equal(scratch, "/var/lib/libvirt/boot") ||
                                g_str_equal(scratch, "/var/lib/xen") ||
                                g_getenv("VMINSTALL_SCRATCH_DIR"));

  /* virt-install's _should_upload_media: a remote host, or a system
   * connection whose scratch directory we cannot write */
  *upload = inst->mode != VMI_INSTALLER_PRINT && !vmi_conn_is_really_test(conn) &&
            (remote || (privileged && !system));
  return scratch;
}

static gboolean
stage_boot_files(VmiInstaller *inst, GError **error)
{
  VmiBootFiles *files = &inst->files;
  gboolean upload;
  g_autofree char *scratch = vmi_install_scratch_dir(inst, &upload, error);

  if (!scratch)
    return FALSE;
  if (upload) {
    virConnectPtr c = vmi_conn_get(inst->conn, error);
    gboolean xen = vmi_conn_driver(inst->conn) == VMI_DRIVER_XEN;

    if (!c || !vmi_media_stage_upload(files, c, xen, &inst->staged, error)) {
      if (c && files->media)
        g_prefix_error(error, "--location: ");
      return FALSE;
    }
  } else if (!vmi_media_stage(files, scratch, inst->mode != VMI_INSTALLER_PRINT, &inst->staged,
                              error)) {
    if (files->media)
      g_prefix_error(error, "--location: ");
    return FALSE;
  }
  return TRUE;
}

/* The system QEMU must be able to open the install ISO: an error for an
 * install, a warning for a dry run. */
static gboolean
check_cdrom_access(VmiInstaller *inst, GError **error)
{
  const char *cdrom = inst->files.cdrom ? inst->files.cdrom : inst->req->install.cdrom;
  VmiConn *conn = inst->conn;
  const VmiCaps *caps = vmi_conn_caps(conn, NULL);
  g_autofree char *user = NULL;
  GError *local = NULL;
  guint uid;

  if (!cdrom || inst->mode == VMI_INSTALLER_PRINT || vmi_conn_driver(conn) != VMI_DRIVER_QEMU ||
      vmi_conn_is_really_test(conn) || vmi_conn_is_session(conn) ||
      vmi_conn_is_remote(conn) || !caps)
    return TRUE;
  if (!vmi_caps_qemu_user(caps, &user, &uid) || !g_file_test(cdrom, G_FILE_TEST_EXISTS) ||
      vmi_media_check_access(cdrom, user, uid, uid, &local))
    return TRUE;
  if (inst->mode == VMI_INSTALLER_INSTALL) {
    g_propagate_error(error, local);
    return FALSE;
  }
  g_ptr_array_add(inst->warnings, g_strdup(local->message));
  g_error_free(local);
  return TRUE;
}

gboolean
vmi_install_stage_media(VmiInstaller *inst, GError **error)
{
  const VmiRequest *req = inst->req;
  xmlNodePtr root = vmi_guest_root(inst->guest);
  g_autofree char *arch = vmi_node_get(root, "os/type/@arch");
  g_autofree char *os_type = vmi_node_get(root, "os/type");
  g_autofree char *distro = distro_of(inst->os);
  const VmiCaps *caps = vmi_conn_caps(inst->conn, NULL);
  g_autoptr(VmiOs) url_os = NULL;
  VmiMediaQuery query = {
    .arch = arch,
    .os_type = os_type,
    .memory_mib = vmi_node_get_int(root, "memory", 0) / 1024,
    .distro = distro,
  };

  inst->host_64bit = vmi_media_can_boot_64bit(caps ? vmi_caps_host_arch(caps) : NULL, arch);
  query.host_64bit = inst->host_64bit;
  if (!vmi_media_find_boot_files(&req->install, &query, &inst->files, error))
    return FALSE;
  if (inst->files.kernel && !stage_boot_files(inst, error))
    return FALSE;

  /* the repo argument of the detected OS, else of the guest's */
  if (inst->files.os_name)
    url_os = vmi_os_lookup(inst->files.os_name, NULL);
  inst->kernel_args = vmi_media_kernel_args(&req->install, &inst->files,
                                            vmi_os_kernel_url_arg(url_os ? url_os : inst->os),
                                            inst->unattended_args, inst->warnings);
  /* Solaris media: the synthesized -B command line (install-solaris.c) */
  if (!vmi_install_solaris_kernel_args(req, inst->guest, &inst->files, &inst->kernel_args,
                                       error))
    return FALSE;

  /* virt-install's show_guest_warnings: the fallback of --osinfo
   * detect=on,require=off (or an explicit generic) */
  if (vmi_os_is_generic(inst->os) && g_strcmp0(os_type, "hvm") == 0)
    g_ptr_array_add(inst->warnings,
                    g_strdup_printf("Using --osinfo %s, VM performance may suffer. "
                                    "Specify an accurate OS for optimal results.",
                                    vmi_os_short_id(inst->os)));
  return check_cdrom_access(inst, error);
}

gint64
vmi_install_network_memory(VmiInstaller *inst)
{
  xmlNodePtr root = vmi_guest_root(inst->guest);
  g_autofree char *arch = NULL;
  gint64 current, kib;

  if (!vmi_plan_has_install_phase(&inst->req->install) || !inst->files.media)
    return 0;
  arch = vmi_node_get(root, "os/type/@arch");
  current = vmi_node_get_int(root, "currentMemory", vmi_node_get_int(root, "memory", 0));
  kib = vmi_media_install_memory_kib(&inst->files, current,
                                     vmi_os_network_install_ram(inst->os, arch));
  if (kib > 0)
    g_ptr_array_add(inst->warnings, g_strdup_printf("Overriding memory to %" G_GINT64_FORMAT
                                                    " MiB needed for %s network install.",
                                                    kib / 1024, vmi_os_short_id(inst->os)));
  return kib;
}
