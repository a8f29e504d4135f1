/*
 * The media steps of an install, in the order the tool runs them:
 * open the media and detect the OS before the defaults (they depend on
 * the OS), find and stage kernel and initrd once the guest is known, then
 * adjust the install phase (network-install memory).
 */
#include <string.h>
#include "install.h"
#include "vminstall/error.h"
#include "xmlnode.h"

gboolean
vmi_install_media_begin(VmiRequest *req, VmiConn *conn, const VmiMediaOptions *opts,
                        VmiBootFiles *files, GError **error)
{
  g_autofree char *name = NULL;

  if (!vmi_media_prepare(&req->install, opts, vmi_conn_is_remote(conn), files, error))
    return FALSE;
  if (files->cdrom) {
    g_free(req->install.location_iso);
    req->install.location_iso = g_strdup(files->cdrom);
  }
  if (!req->os.detect)
    return TRUE;
  /* virt-install cannot look at a cdrom of a remote host either */
  if (!files->media && vmi_conn_is_remote(conn))
    return TRUE;
  if (!vmi_media_detect_os(files, &req->install, &name, error))
    return FALSE;
  if (name) {
    /* a detected OS wins over name= (the fallback), as in virt-install */
    g_free(req->os.name);
    g_clear_pointer(&req->os.full_id, g_free);
    req->os.name = g_steal_pointer(&name);
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

gboolean
vmi_install_media_stage(VmiRequest *req, VmiConn *conn, const VmiOs *os,
                        VmiMediaPurpose purpose, VmiBootFiles *files, VmiStaged *staged,
                        char **kernel_args, GPtrArray *warnings, GError **error)
{
  xmlNodePtr root = vmi_guest_root(req->guest);
  g_autofree char *arch = vmi_node_get(root, "os/type/@arch");
  g_autofree char *os_type = vmi_node_get(root, "os/type");
  g_autofree char *distro = distro_of(os);
  const VmiCaps *caps = vmi_conn_caps(conn, NULL);
  g_autoptr(VmiOs) url_os = NULL;
  const char *cdrom;
  VmiMediaQuery query = {
    .arch = arch,
    .os_type = os_type,
    .memory_mib = vmi_node_get_int(root, "memory", 0) / 1024,
    .host_64bit = vmi_media_can_boot_64bit(caps ? vmi_caps_host_arch(caps) : NULL, arch),
    .distro = distro,
  };

  *kernel_args = NULL;
  if (!vmi_media_find_boot_files(&req->install, &query, files, error))
    return FALSE;

  if (files->kernel) {
    gboolean remote = vmi_conn_is_remote(conn);
    gboolean privileged = !vmi_conn_is_session(conn) && !remote;
    g_autofree char *scratch = vmi_media_scratch_dir(privileged, vmi_conn_is_xen(conn), error);
    /* a scratch directory the user chose is one the hypervisor reads */
    gboolean system = scratch && (g_str_equal(scratch, "/var/lib/libvirt/boot") ||
                                  g_str_equal(scratch, "/var/lib/xen") ||
                                  g_getenv("VMINSTALL_SCRATCH_DIR"));

    if (!scratch)
      return FALSE;
    /* virt-install's _should_upload_media: a remote host, or a system
     * connection whose scratch directory we cannot write */
    if (purpose != VMI_MEDIA_FOR_PRINT && !vmi_conn_is_really_test(conn) &&
        (remote || (privileged && !system))) {
      virConnectPtr c = vmi_conn_get(conn, error);
      if (!c || !vmi_media_stage_upload(files, c, vmi_conn_is_xen(conn), staged, error)) {
        if (c && files->media)
          g_prefix_error(error, "--location: ");
        return FALSE;
      }
    } else if (!vmi_media_stage(files, scratch, purpose != VMI_MEDIA_FOR_PRINT, staged,
                                error)) {
      if (files->media)
        g_prefix_error(error, "--location: ");
      return FALSE;
    }
  }

  /* the repo argument of the detected OS, else of the guest's */
  if (files->os_name)
    url_os = vmi_os_lookup(files->os_name, NULL);
  *kernel_args = vmi_media_kernel_args(&req->install, files,
                                       vmi_os_kernel_url_arg(url_os ? url_os : os), warnings);
  /* Solaris media: the synthesized -B command line (install-solaris.c) */
  if (!vmi_install_solaris_kernel_args(req, files, kernel_args, error))
    return FALSE;

  /* virt-install's show_guest_warnings: the fallback of --osinfo
   * detect=on,require=off (or an explicit generic) */
  if (os && vmi_os_is_generic(os) && g_strcmp0(os_type, "hvm") == 0)
    g_ptr_array_add(warnings, g_strdup_printf("Using --osinfo %s, VM performance may suffer. "
                                              "Specify an accurate OS for optimal results.",
                                              vmi_os_short_id(os)));

  /* the system QEMU must be able to open the install ISO */
  cdrom = files->cdrom ? files->cdrom : req->install.cdrom;
  if (cdrom && purpose != VMI_MEDIA_FOR_PRINT && vmi_conn_is_qemu(conn) &&
      !vmi_conn_is_really_test(conn) && !vmi_conn_is_session(conn) &&
      !vmi_conn_is_remote(conn) && caps) {
    g_autofree char *user = NULL;
    guint uid;

    if (vmi_caps_qemu_user(caps, &user, &uid) && g_file_test(cdrom, G_FILE_TEST_EXISTS)) {
      GError *local = NULL;
      if (!vmi_media_check_access(cdrom, user, uid, uid, &local)) {
        if (purpose == VMI_MEDIA_FOR_INSTALL) {
          g_propagate_error(error, local);
          return FALSE;
        }
        g_ptr_array_add(warnings, g_strdup(local->message));
        g_error_free(local);
      }
    }
  }
  return TRUE;
}

void
vmi_install_media_adjust_plan(const VmiBootFiles *files, const VmiOs *os, VmiPlan *plan,
                              GPtrArray *warnings)
{
  xmlNodePtr root;
  g_autofree char *arch = NULL;
  gint64 current, kib;

  if (!plan->install || !files->media)
    return;
  root = vmi_guest_root(plan->install);
  arch = vmi_node_get(root, "os/type/@arch");
  current = vmi_node_get_int(root, "currentMemory", vmi_node_get_int(root, "memory", 0));
  kib = vmi_media_install_memory_kib(files, current, vmi_os_network_install_ram(os, arch));
  if (kib <= 0)
    return;
  g_ptr_array_add(warnings, g_strdup_printf("Overriding memory to %" G_GINT64_FORMAT
                                            " MiB needed for %s network install.",
                                            kib / 1024, vmi_os_short_id(os)));
  vmi_node_set_int(root, "currentMemory", kib);
  if (vmi_node_get_int(root, "memory", 0) < kib)
    vmi_node_set_int(root, "memory", kib);
}
