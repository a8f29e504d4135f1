/*
 * Staging: copies of the installer kernel and initrd where the hypervisor
 * can read them, under unique names, removed once the guest runs or on
 * any failure.  Local connections get files in a scratch directory;
 * remote ones get volumes uploaded with virStorageVolUpload into the pool
 * at the host's scratch directory (virt-install's volumeupload).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "media-private.h"
#include "vminstall/error.h"
#include "conn.h"
#include "storage-xml.h"

#define SYSTEM_SCRATCH "/var/lib/libvirt/boot"
#define XEN_SCRATCH "/var/lib/xen"

char *
vmi_media_scratch_dir(gboolean privileged, gboolean xen, GError **error)
{
  const char *system_dir = xen ? XEN_SCRATCH : SYSTEM_SCRATCH;
  const char *forced = g_getenv("VMINSTALL_SCRATCH_DIR");
  g_autofree char *user_dir = NULL;

  if (forced && *forced) {
    if (!g_file_test(forced, G_FILE_TEST_IS_DIR)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                  "VMINSTALL_SCRATCH_DIR: '%s' is not a directory", forced);
      return NULL;
    }
    return g_strdup(forced);
  }
  if (privileged && g_file_test(system_dir, G_FILE_TEST_IS_DIR) &&
      access(system_dir, W_OK) == 0)
    return g_strdup(system_dir);
  user_dir = g_build_filename(g_get_user_cache_dir(), "vminstall", "boot", NULL);
  if (g_mkdir_with_parents(user_dir, 0751) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot create scratch directory '%s': %s", user_dir, g_strerror(errno));
    return NULL;
  }
  return g_steal_pointer(&user_dir);
}

char *
vmi_media_scratch_name(const char *dir, const char *base)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
  char rnd[7];

  for (int i = 0; i < 6; i++)
    rnd[i] = chars[g_random_int_range(0, sizeof(chars) - 1)];
  rnd[6] = '\0';
  return g_strdup_printf("%s/vminstall-%s-%s", dir, rnd, base);
}

/* A new empty file vminstall-XXXXXX-BASENAME in @dir, open for writing. */
static int
unique_file(const char *dir, const char *src, char **path, GError **error)
{
  g_autofree char *base = g_path_get_basename(src);
  g_autofree char *tmpl = g_strdup_printf("%s/vminstall-XXXXXX-%s", dir, base);
  int fd = g_mkstemp_full(tmpl, O_RDWR | O_CLOEXEC, 0644);

  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot create a file in '%s': %s", dir,
                g_strerror(errno));
    return -1;
  }
  /* the hypervisor's user reads it; mkstemp ignores the umask's leniency */
  fchmod(fd, 0644);
  *path = g_steal_pointer(&tmpl);
  return fd;
}

/* Copies the staged pair into the open descriptors. */
static gboolean
fill(const VmiBootFiles *files, const int fds[2], GError **error)
{
  const char *paths[2] = { files->kernel, files->initrd };

  if (files->media)
    return vmi_media_extract(files->media, paths, fds, 2, error);
  /* --install kernel=,initrd=: local files */
  for (int i = 0; i < 2; i++) {
    static char buf[1 << 17];
    int in = open(paths[i], O_RDONLY | O_CLOEXEC);

    if (in < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s': %s", paths[i],
                  g_strerror(errno));
      return FALSE;
    }
    for (;;) {
      ssize_t n = read(in, buf, sizeof(buf));
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0)
        break;
      if (n < 0 || !vmi_media_write_all(fds[i], buf, (gsize)n)) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot copy '%s': %s", paths[i],
                    g_strerror(errno));
        close(in);
        return FALSE;
      }
    }
    close(in);
  }
  return TRUE;
}

gboolean
vmi_media_stage(const VmiBootFiles *files, const char *dir, gboolean copy, VmiStaged *out,
                GError **error)
{
  int fds[2] = { -1, -1 };
  gboolean ok;

  memset(out, 0, sizeof(*out));
  if (!files->kernel)
    return TRUE;
  if (!copy) {
    g_autofree char *kb = g_path_get_basename(files->kernel);
    g_autofree char *ib = g_path_get_basename(files->initrd);
    out->kernel = vmi_media_scratch_name(dir, kb);
    out->initrd = vmi_media_scratch_name(dir, ib);
    return TRUE;
  }
  out->copied = TRUE;
  fds[0] = unique_file(dir, files->kernel, &out->kernel, error);
  if (fds[0] < 0) {
    vmi_staged_clear(out);
    return FALSE;
  }
  fds[1] = unique_file(dir, files->initrd, &out->initrd, error);
  if (fds[1] < 0) {
    close(fds[0]);
    vmi_staged_clear(out);
    return FALSE;
  }
  ok = fill(files, fds, error);
  if (close(fds[0]) != 0 && ok) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write '%s': %s", out->kernel,
                g_strerror(errno));
    ok = FALSE;
  }
  if (close(fds[1]) != 0 && ok) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot write '%s': %s", out->initrd,
                g_strerror(errno));
    ok = FALSE;
  }
  if (!ok)
    vmi_staged_clear(out);
  return ok;
}

/* ------------------------------------------------------------ remote */

static char *
pool_target(virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc(pool, 0);
  xmlDocPtr doc;
  char *path = NULL;

  if (!xml)
    return NULL;
  doc = xmlReadMemory(xml, (int)strlen(xml), NULL, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc)
    return NULL;
  for (xmlNodePtr n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, "target") != 0)
      continue;
    for (xmlNodePtr c = n->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "path") == 0) {
        xmlChar *t = xmlNodeGetContent(c);
        path = g_strdup((const char *)t);
        xmlFree(t);
      }
  }
  xmlFreeDoc(doc);
  return path;
}

/* The running pool at @dir, defined (boot-scratch) when there is none. */
static virStoragePoolPtr
scratch_pool(virConnectPtr conn, const char *dir, GError **error)
{
  virStoragePoolPtr *pools = NULL;
  virStoragePoolPtr found = NULL;
  int n = virConnectListAllStoragePools(conn, &pools, 0);
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;

  for (int i = 0; i < n; i++) {
    g_autofree char *target = found ? NULL : pool_target(pools[i]);
    if (!found && g_strcmp0(target, dir) == 0)
      found = pools[i];
    else
      virStoragePoolFree(pools[i]);
  }
  free(pools);
  if (!found) {
    for (int i = 0; i < 100; i++) {
      virStoragePoolPtr other;
      g_free(name);
      name = i ? g_strdup_printf("boot-scratch-%d", i) : g_strdup("boot-scratch");
      other = virStoragePoolLookupByName(conn, name);
      if (!other)
        break;
      virStoragePoolFree(other);
    }
    xml = vmi_storage_xml_dir_pool(name, dir);
    found = virStoragePoolDefineXML(conn, xml, 0);
    if (!found) {
      vmi_libvirt_error(error, "cannot define the storage pool '%s' at '%s' for the "
                        "installer kernel and initrd", name, dir);
      return NULL;
    }
    virStoragePoolSetAutostart(found, 1);
  }
  if (virStoragePoolIsActive(found) != 1 && virStoragePoolCreate(found, 0) < 0) {
    vmi_libvirt_error(error, "cannot start the storage pool at '%s'", dir);
    virStoragePoolFree(found);
    return NULL;
  }
  virStoragePoolRefresh(found, 0);
  return found;
}

static gboolean
upload_one(virConnectPtr conn, virStoragePoolPtr pool, const char *local, const char *src,
           char **vol_name, char **vol_path, GError **error)
{
  g_autofree char *base = g_path_get_basename(src);
  g_autofree char *name = NULL;
  g_autofree char *xml = NULL;
  virStorageVolPtr vol;
  virStreamPtr stream = NULL;
  struct stat st;
  int fd = open(local, O_RDONLY | O_CLOEXEC);
  static char buf[1 << 20];
  gboolean ok = FALSE;

  if (fd < 0 || fstat(fd, &st) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s': %s", local,
                g_strerror(errno));
    if (fd >= 0)
      close(fd);
    return FALSE;
  }
  {
    g_autofree char *tmp = vmi_media_scratch_name("", base);
    name = g_strdup(tmp + 1);   /* "vminstall-XXXXXX-base" */
  }
  xml = vmi_storage_xml_raw_volume(name, (guint64)st.st_size);
  vol = virStorageVolCreateXML(pool, xml, 0);
  if (!vol) {
    vmi_libvirt_error(error, "cannot create the volume '%s' for '%s'", name, base);
    close(fd);
    return FALSE;
  }
  stream = virStreamNew(conn, 0);
  if (!stream || virStorageVolUpload(vol, stream, 0, (unsigned long long)st.st_size, 0) < 0) {
    vmi_libvirt_error(error, "cannot upload '%s' to the volume '%s'", base, name);
    goto out;
  }
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot read '%s': %s", local,
                  g_strerror(errno));
      virStreamAbort(stream);
      goto out;
    }
    if (n == 0)
      break;
    for (ssize_t sent = 0; sent < n;) {
      int r = virStreamSend(stream, buf + sent, (size_t)(n - sent));
      if (r < 0) {
        vmi_libvirt_error(error, "cannot upload '%s' to the volume '%s'", base, name);
        virStreamAbort(stream);
        goto out;
      }
      sent += r;
    }
  }
  if (virStreamFinish(stream) < 0) {
    vmi_libvirt_error(error, "cannot upload '%s' to the volume '%s'", base, name);
    goto out;
  }
  *vol_path = virStorageVolGetPath(vol);
  *vol_name = g_steal_pointer(&name);
  ok = *vol_path != NULL;
out:
  if (stream)
    virStreamFree(stream);
  if (!ok)
    virStorageVolDelete(vol, 0);
  virStorageVolFree(vol);
  close(fd);
  return ok;
}

gboolean
vmi_media_stage_upload(const VmiBootFiles *files, virConnectPtr conn, gboolean xen,
                       VmiStaged *out, GError **error)
{
  g_autofree char *tmpdir = NULL;
  g_auto(VmiStaged) local = { 0 };
  virStoragePoolPtr pool;
  gboolean ok;

  memset(out, 0, sizeof(*out));
  if (!files->kernel)
    return TRUE;
  tmpdir = g_dir_make_tmp("vminstall-upload-XXXXXX", error);
  if (!tmpdir)
    return FALSE;
  ok = vmi_media_stage(files, tmpdir, TRUE, &local, error);
  pool = ok ? scratch_pool(conn, xen ? XEN_SCRATCH : SYSTEM_SCRATCH, error) : NULL;
  if (pool) {
    virConnectRef(conn);
    out->conn = conn;
    out->pool = g_strdup(virStoragePoolGetName(pool));
    ok = upload_one(conn, pool, local.kernel, files->kernel, &out->kernel_vol, &out->kernel,
                    error) &&
         upload_one(conn, pool, local.initrd, files->initrd, &out->initrd_vol, &out->initrd,
                    error);
    virStoragePoolFree(pool);
  } else
    ok = FALSE;
  vmi_staged_clear(&local);
  g_rmdir(tmpdir);
  if (!ok)
    vmi_staged_clear(out);
  return ok;
}

char *
vmi_media_stage_upload_file(VmiStaged *staged, virConnectPtr conn, gboolean xen,
                            const char *local, const char *basename, GError **error)
{
  virStoragePoolPtr pool = scratch_pool(conn, xen ? XEN_SCRATCH : SYSTEM_SCRATCH, error);
  char *vol_name = NULL;
  char *vol_path = NULL;

  if (!pool)
    return NULL;
  if (staged->pool && g_strcmp0(staged->pool, virStoragePoolGetName(pool)) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot upload '%s': the scratch pool changed during the install", basename);
    virStoragePoolFree(pool);
    return NULL;
  }
  if (upload_one(conn, pool, local, basename, &vol_name, &vol_path, error)) {
    if (!staged->conn) {
      virConnectRef(conn);
      staged->conn = conn;
    }
    if (!staged->pool)
      staged->pool = g_strdup(virStoragePoolGetName(pool));
    if (!staged->extra_vols)
      staged->extra_vols = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(staged->extra_vols, vol_name);
  }
  virStoragePoolFree(pool);
  return vol_path;
}

static void
delete_volume(virConnectPtr conn, const char *pool_name, const char *vol_name)
{
  virStoragePoolPtr pool = virStoragePoolLookupByName(conn, pool_name);
  virStorageVolPtr vol = pool ? virStorageVolLookupByName(pool, vol_name) : NULL;

  if (vol) {
    virStorageVolDelete(vol, 0);
    virStorageVolFree(vol);
  }
  if (pool)
    virStoragePoolFree(pool);
}

void
vmi_staged_clear(VmiStaged *staged)
{
  if (staged->copied) {
    if (staged->kernel)
      g_unlink(staged->kernel);
    if (staged->initrd)
      g_unlink(staged->initrd);
  }
  for (guint i = 0; staged->extra && i < staged->extra->len; i++)
    g_unlink(g_ptr_array_index(staged->extra, i));
  g_clear_pointer(&staged->extra, g_ptr_array_unref);
  if (staged->conn) {
    if (staged->kernel_vol)
      delete_volume(staged->conn, staged->pool, staged->kernel_vol);
    if (staged->initrd_vol)
      delete_volume(staged->conn, staged->pool, staged->initrd_vol);
    for (guint i = 0; staged->extra_vols && i < staged->extra_vols->len; i++)
      delete_volume(staged->conn, staged->pool, g_ptr_array_index(staged->extra_vols, i));
    virConnectClose(staged->conn);
    staged->conn = NULL;
  }
  staged->copied = FALSE;
  g_clear_pointer(&staged->kernel, g_free);
  g_clear_pointer(&staged->initrd, g_free);
  g_clear_pointer(&staged->pool, g_free);
  g_clear_pointer(&staged->kernel_vol, g_free);
  g_clear_pointer(&staged->initrd_vol, g_free);
  g_clear_pointer(&staged->extra_vols, g_ptr_array_unref);
}
