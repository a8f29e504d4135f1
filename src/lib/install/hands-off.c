/*
 * The install's steps for hands-off installs (install.h): unattended
 * scripts, the cloud-init seed and --initrd-inject, following the seed's
 * Installer._prepare: scripts go into the initrd of tree installs and on
 * an extra cdrom for ISO installs; the cloud-init seed is a cdrom too;
 * both cdroms are in the first boot only.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "install-private.h"
#include "defaults.h"
#include "vminstall/error.h"
#include "inject.h"
#include "xmlnode.h"

void
vmi_hands_off_clear(VmiHandsOff *ho)
{
  g_clear_pointer(&ho->unattended, vmi_unattended_free);
  g_clear_pointer(&ho->inject, g_ptr_array_unref);
  g_clear_pointer(&ho->seed_cdrom, g_free);
  if (ho->password) {
    explicit_bzero(ho->password, strlen(ho->password));
    g_clear_pointer(&ho->password, g_free);
  }
  g_clear_pointer(&ho->cloudinit, vmi_cloudinit_free);
}

void
vmi_hands_off_begin(VmiInstaller *inst)
{
  inst->hands_off.user_tpm = vmi_guest_count_devices(inst->guest, "tpm") > 0;
}

static gboolean
is_tree_install(const VmiInstall *in, const VmiBootFiles *files)
{
  return !in->cdrom && (files->media || in->kernel || in->initrd);
}

static gboolean
prepare_unattended(VmiInstaller *inst, GError **error)
{
  const VmiInstall *in = &inst->req->install;
  const VmiBootFiles *files = &inst->files;
  const VmiOs *os = inst->os;
  VmiHandsOff *ho = &inst->hands_off;
  xmlNodePtr root = vmi_guest_root(inst->guest);
  g_autofree char *arch = vmi_node_get(root, "os/type/@arch");
  g_autofree char *name = vmi_node_get(root, "name");
  gboolean remote = vmi_conn_is_remote(inst->conn);
  gboolean tree = is_tree_install(in, files);
  VmiMediaKind kind = files->media ? vmi_media_get_kind(files->media) : VMI_MEDIA_DIR;
  VmiUnattendedQuery q = {
    .os_id = vmi_os_full_id(os),
    .os_name = vmi_os_short_id(os),
    .windows = vmi_os_is_windows(os),
    .virtio_disk = vmi_os_supports(os, VMI_OS_VIRTIO_DISK),
    .arch = arch,
    .hostname = name,
    .method = tree ? VMI_INJECT_INITRD : VMI_INJECT_CDROM,
    .opts = &in->unattended_opts,
  };

  if (!tree && !in->cdrom) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--unattended: needs install media to give the script to: "
                        "--location TREE_OR_ISO (script in the initrd) or --cdrom ISO "
                        "(script on an extra cdrom)");
    return FALSE;
  }
  if (tree && files->media && kind == VMI_MEDIA_URL)
    q.url = in->location;
  /* libosinfo reads local media only, as virt-install does */
  if (!remote)
    q.media_path = in->cdrom ? in->cdrom : files->cdrom;
  if (tree && files->media && kind != VMI_MEDIA_ISO)
    q.tree_location = in->location;

  ho->unattended = vmi_unattended_generate(&q, inst->warnings, error);
  if (!ho->unattended)
    return FALSE;
  ho->unattended_cdrom = !tree;
  if (tree) {
    for (guint i = 0; i < vmi_unattended_n_scripts(ho->unattended); i++)
      g_ptr_array_add(ho->inject,
                      vmi_inject_file_new_data(vmi_unattended_script_filename(ho->unattended, i),
                                               vmi_unattended_script_content(ho->unattended, i)));
    g_free(inst->unattended_args);
    inst->unattended_args = g_strdup(vmi_unattended_cmdline(ho->unattended));
  }
  return TRUE;
}

gboolean
vmi_hands_off_prepare(VmiInstaller *inst, GError **error)
{
  const VmiInstall *in = &inst->req->install;
  const VmiBootFiles *files = &inst->files;
  VmiHandsOff *ho = &inst->hands_off;

  ho->inject = vmi_inject_list_new();
  for (guint i = 0; i < in->initrd_inject->len; i++)
    g_ptr_array_add(ho->inject, vmi_inject_file_new_path(g_ptr_array_index(in->initrd_inject, i)));
  /* the user's files first: no time is spent on scripts for a typo */
  if (!vmi_inject_check(ho->inject, error))
    return FALSE;

  if (in->cloud_init && in->unattended && !is_tree_install(in, files)) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--cloud-init and --unattended with --cdrom would need two seed "
                        "cdroms; use --location for the unattended install, or one of them");
    return FALSE;
  }
  if (in->cloud_init) {
    xmlNodePtr root = vmi_guest_root(inst->guest);
    g_autofree char *name = vmi_node_get(root, "name");
    g_autofree char *uuid = vmi_node_get(root, "uuid");

    ho->cloudinit = vmi_cloudinit_new(&in->cloud_init_opts, !*in->cloud_init, name,
                                      uuid ? uuid : name, inst->warnings, error);
    if (!ho->cloudinit)
      return FALSE;
    ho->password = g_strdup(vmi_cloudinit_generated_password(ho->cloudinit));
  }
  if (in->unattended && !prepare_unattended(inst, error))
    return FALSE;
  /* the scripts' names must not collide with --initrd-inject files */
  return vmi_inject_check(ho->inject, error);
}

/* ---- staging ---- */

static gboolean
inject_initrd(VmiStaged *staged, VmiHandsOff *ho, GError **error)
{
  if (!ho->inject->len || !staged->initrd)
    return TRUE;
  if (staged->conn && staged->initrd_vol) {
    virStoragePoolPtr pool = virStoragePoolLookupByName(staged->conn, staged->pool);
    virStorageVolPtr vol = pool ? virStorageVolLookupByName(pool, staged->initrd_vol) : NULL;
    gboolean ok;

    if (!vol) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT,
                  "cannot find the uploaded initrd volume '%s' to inject files into",
                  staged->initrd_vol);
      if (pool)
        virStoragePoolFree(pool);
      return FALSE;
    }
    ok = vmi_inject_volume(vol, ho->inject, error);
    virStorageVolFree(vol);
    virStoragePoolFree(pool);
    return ok;
  }
  /* a staged copy: never the medium's own initrd */
  if (!staged->copied) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED,
                        "initrd injection needs a staged copy of the initrd");
    return FALSE;
  }
  return vmi_inject_initrd(staged->initrd, ho->inject, error);
}

/* A new file vminstall-XXXXXX-BASE in @dir, mode 0600 (the hypervisor
 * gets it relabelled to its own user when the guest starts). */
static int
create_private(const char *dir, const char *base, char **path, GError **error)
{
  g_autofree char *tmpl = g_strdup_printf("%s/vminstall-XXXXXX-%s", dir, base);
  int fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot create a file in '%s': %s", dir,
                g_strerror(errno));
    return -1;
  }
  *path = g_steal_pointer(&tmpl);
  return fd;
}

static gboolean
write_seed(VmiHandsOff *ho, int fd, GError **error)
{
  if (ho->cloudinit)
    return vmi_cloudinit_write_seed(ho->cloudinit, fd, error);

  guint n = vmi_unattended_n_scripts(ho->unattended);
  g_autofree VmiIsoFile *files = g_new0(VmiIsoFile, n);
  for (guint i = 0; i < n; i++) {
    GBytes *b = vmi_unattended_script_content(ho->unattended, i);
    files[i].name = vmi_unattended_script_filename(ho->unattended, i);
    files[i].data = g_bytes_get_data(b, &files[i].len);
  }
  /* xorrisofs' default volume id, which virt-install's ISO gets */
  return vmi_iso_write(fd, "ISOIMAGE", files, n, error);
}

/* Writes the seed ISO in @dir; on failure nothing is left. */
static char *
make_seed_file(VmiHandsOff *ho, const char *dir, const char *base, GError **error)
{
  char *path = NULL;
  int fd = create_private(dir, base, &path, error);
  gboolean ok;

  if (fd < 0)
    return NULL;
  ok = write_seed(ho, fd, error);
  if (close(fd) != 0 && ok) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write '%s': %s", path,
                g_strerror(errno));
    ok = FALSE;
  }
  if (!ok) {
    g_unlink(path);
    g_free(path);
    return NULL;
  }
  return path;
}

gboolean
vmi_hands_off_stage(VmiInstaller *inst, GError **error)
{
  VmiHandsOff *ho = &inst->hands_off;
  VmiStaged *staged = &inst->staged;
  gboolean xen = vmi_conn_driver(inst->conn) == VMI_DRIVER_XEN;
  gboolean printing = inst->mode == VMI_INSTALLER_PRINT;
  const char *base = NULL;
  g_autofree char *scratch = NULL;
  g_autofree char *path = NULL;
  gboolean upload;

  if (!printing && !inject_initrd(staged, ho, error))
    return FALSE;

  if (ho->cloudinit)
    base = "cloudinit.iso";
  else if (ho->unattended && ho->unattended_cdrom)
    base = "unattended.iso";
  if (!base)
    return TRUE;

  /* as the kernel and initrd: a remote host, or a system connection
   * whose scratch directory we cannot write, gets a volume */
  scratch = vmi_install_scratch_dir(inst, &upload, error);
  if (!scratch)
    return FALSE;
  if (printing) {
    path = vmi_media_scratch_name(scratch, base);
  } else if (upload) {
    g_autofree char *tmpdir = g_dir_make_tmp("vminstall-seed-XXXXXX", error);
    g_autofree char *local = NULL;
    virConnectPtr c;

    if (!tmpdir)
      return FALSE;
    c = vmi_conn_get(inst->conn, error);
    local = c ? make_seed_file(ho, tmpdir, base, error) : NULL;
    if (local) {
      path = vmi_media_stage_upload_file(staged, c, xen, local, base, error);
      g_unlink(local);
    }
    g_rmdir(tmpdir);
    if (!path)
      return FALSE;
  } else {
    path = make_seed_file(ho, scratch, base, error);
    if (!path)
      return FALSE;
    if (!staged->extra)
      staged->extra = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(staged->extra, g_strdup(path));
  }

  if (!vmi_defaults_add_cdrom(inst->guest, inst->req, inst->conn, inst->os, path, error)) {
    g_prefix_error(error, "%s: cannot attach its cdrom: ",
                   ho->cloudinit ? "--cloud-init" : "--unattended");
    return FALSE;
  }
  ho->seed_cdrom = g_steal_pointer(&path);
  return TRUE;
}

void
vmi_hands_off_plan_facts(const VmiInstaller *inst, VmiPlanFacts *facts)
{
  facts->seed_cdrom = inst->hands_off.seed_cdrom;
  facts->cloud_init = inst->req->install.cloud_init != NULL;
  facts->default_tpm = !inst->hands_off.user_tpm;
}
