/*
 * Storage: the disks the request marks for creation become libvirt
 * storage volumes (raw or qcow2, sparse unless asked otherwise, backing
 * store overlays) in their pool, or plain files where no storage driver
 * is at hand (the embedded driver).  The 'default' pool is created when
 * it is missing, as virt-install does.  Nothing existing is ever
 * overwritten, and everything made is recorded so that a failed run can
 * remove exactly that.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/statvfs.h>
#include <libxml/tree.h>
#include <libvirt/virterror.h>
#include <glib/gstdio.h>
#include "run-private.h"
#include "vminstall/error.h"
#include "xmlnode.h"
#include "storage-xml.h"

#define GIB (1024.0 * 1024.0 * 1024.0)

void
vmi_created_free(VmiCreated *created)
{
  if (!created)
    return;
  g_free(created->path);
  g_free(created->pool);
  g_free(created->name);
  g_free(created);
}

static VmiCreated *
created_new(VmiCreatedKind kind, const char *path, const char *pool, const char *name)
{
  VmiCreated *c = g_new0(VmiCreated, 1);
  c->kind = kind;
  c->path = g_strdup(path);
  c->pool = g_strdup(pool);
  c->name = g_strdup(name);
  return c;
}

/* ---- what each disk needs ---- */

static char *
source_file(const VmiDiskStorage *st)
{
  return vmi_node_get(st->disk, "source/@file");
}

static gboolean
is_sparse(const VmiDiskStorage *st)
{
  return st->sparse != 0;
}

static guint64
capacity_bytes(const VmiDiskStorage *st)
{
  return st->size_gib >= 0 ? (guint64)(st->size_gib * GIB + 0.5) : 0;
}

static const char *
disk_format(const VmiDiskStorage *st)
{
  return st->format ? st->format : "raw";
}

/* Can this connection manage storage pools at all?  The embedded driver
 * and some hypervisors have no storage driver. */
static gboolean
has_storage_driver(VmiConn *conn)
{
  virConnectPtr c;
  virStoragePoolPtr *pools = NULL;
  int n;

  if (vmi_conn_is_embedded(conn))
    return FALSE;
  c = vmi_conn_get(conn, NULL);
  if (!c)
    return FALSE;
  n = virConnectListAllStoragePools(c, &pools, 0);
  if (n < 0) {
    virResetLastError();
    return FALSE;
  }
  for (int i = 0; i < n; i++)
    virStoragePoolFree(pools[i]);
  free(pools);
  return TRUE;
}

/* Where a new disk goes: a volume NAME in POOL (@pool set), or a plain
 * file at @path. */
typedef struct {
  char *pool;
  char *name;
  char *path;
  char *make_pool_dir; /* the 'default' pool must be created here first */
} Target;

static void
target_clear(Target *t)
{
  g_clear_pointer(&t->pool, g_free);
  g_clear_pointer(&t->name, g_free);
  g_clear_pointer(&t->path, g_free);
  g_clear_pointer(&t->make_pool_dir, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Target, target_clear)

static gboolean
resolve_target(VmiConn *conn, const VmiDiskStorage *st, gboolean pools, Target *t,
               GError **error)
{
  t->path = source_file(st);
  if (!t->path) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_INVALID,
                        "--disk: a disk to create has no path");
    return FALSE;
  }
  if (st->create_pool) {
    if (!pools)
      return TRUE; /* a plain file where the pool's volume would be */
    t->pool = g_strdup(st->create_pool);
    t->name = g_strdup(st->create_name);
    t->make_pool_dir = g_strdup(st->create_pool_dir);
    return TRUE;
  }
  if (pools) {
    /* A path inside a pool's directory is made through the pool, so
     * that libvirt knows the volume at once. */
    g_autofree char *dir = g_path_get_dirname(t->path);
    t->pool = vmi_conn_pool_for_dir(conn, dir);
    if (t->pool)
      t->name = g_path_get_basename(t->path);
  }
  if (!t->pool && vmi_conn_is_remote(conn)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--disk: cannot create '%s' on the remote host: its directory is not a "
                "storage pool there (create one with virsh pool-define-as, or use pool=)",
                t->path);
    return FALSE;
  }
  return TRUE;
}

/* ---- checks before anything is created ---- */

/* Free bytes where @t goes, or -1 when unknown. */
static gint64
available_bytes(VmiConn *conn, const Target *t)
{
  if (t->pool && !t->make_pool_dir) {
    virConnectPtr c = vmi_conn_get(conn, NULL);
    virStoragePoolPtr pool = c ? virStoragePoolLookupByName(c, t->pool) : NULL;
    virStoragePoolInfo info;
    gint64 avail = -1;

    if (pool && virStoragePoolGetInfo(pool, &info) == 0 &&
        info.state == VIR_STORAGE_POOL_RUNNING)
      avail = (gint64)info.available;
    if (pool)
      virStoragePoolFree(pool);
    virResetLastError();
    return avail;
  } else {
    /* The nearest existing directory holds the new file. */
    g_autofree char *dir = g_path_get_dirname(t->make_pool_dir ? t->make_pool_dir : t->path);
    struct statvfs vfs;

    while (!g_file_test(dir, G_FILE_TEST_IS_DIR) && strcmp(dir, "/") != 0) {
      char *up = g_path_get_dirname(dir);
      g_free(dir);
      dir = up;
    }
    if (statvfs(dir, &vfs) != 0)
      return -1;
    return (gint64)vfs.f_bavail * (gint64)vfs.f_frsize;
  }
}

gboolean
vmi_storage_check(VmiConn *conn, GPtrArray *storage, GPtrArray *warnings, GError **error)
{
  int pools = -1; /* has_storage_driver, asked once when needed */

  for (guint i = 0; i < storage->len; i++) {
    VmiDiskStorage *st = g_ptr_array_index(storage, i);
    g_auto(Target) t = { 0 };
    guint64 cap, alloc;
    gint64 avail;

    if (!st->will_create) {
      g_autofree char *path = source_file(st);
      if (st->path && st->size_gib >= 0 && path && vmi_conn_path_exists(conn, path)) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_CONFLICT,
                    "--disk: '%s' exists already and size= was given; vminstall never "
                    "overwrites a disk: drop size= to use it as it is, or name a new path",
                    path);
        return FALSE;
      }
      continue;
    }
    if (pools == -1)
      pools = has_storage_driver(conn);
    if (!resolve_target(conn, st, pools, &t, error))
      return FALSE;
    if (st->size_gib < 0 && !st->backing_store) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                  "--disk: '%s' does not exist; give size= (in GiB) to create it", t.path);
      return FALSE;
    }
    if (!t.pool && g_file_test(t.path, G_FILE_TEST_EXISTS)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_CONFLICT,
                  "--disk: '%s' exists already; vminstall never overwrites a disk", t.path);
      return FALSE;
    }
    cap = capacity_bytes(st);
    alloc = is_sparse(st) ? 0 : cap;
    avail = available_bytes(conn, &t);
    if (avail < 0)
      continue;
    if (alloc > (guint64)avail) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                  "--disk: not enough free space %s%s%s for a fully allocated disk of "
                  "%.1f GiB (%.1f GiB available); use sparse=yes or a smaller size=",
                  t.pool ? "in storage pool '" : "for '", t.pool ? t.pool : t.path, "'",
                  cap / GIB, avail / GIB);
      return FALSE;
    }
    if (cap > (guint64)avail && warnings)
      g_ptr_array_add(warnings,
                      g_strdup_printf("The disk '%s' (%.1f GiB) will exceed the %.1f GiB "
                                      "available once fully allocated",
                                      t.name ? t.name : t.path, cap / GIB, avail / GIB));
  }
  return TRUE;
}

/* ---- creating ---- */

static char *
volume_xml(const VmiDiskStorage *st, const char *name)
{
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "volume");
  xmlNodePtr node, target;
  guint64 cap = capacity_bytes(st);
  g_autofree char *capstr = g_strdup_printf("%" G_GUINT64_FORMAT, cap);
  g_autofree char *allocstr = g_strdup_printf("%" G_GUINT64_FORMAT, is_sparse(st) ? 0 : cap);
  char *xml;

  xmlDocSetRootElement(doc, root);
  xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
  if (st->size_gib >= 0) {
    node = xmlNewTextChild(root, NULL, BAD_CAST "capacity", BAD_CAST capstr);
    xmlNewProp(node, BAD_CAST "unit", BAD_CAST "bytes");
    node = xmlNewTextChild(root, NULL, BAD_CAST "allocation", BAD_CAST allocstr);
    xmlNewProp(node, BAD_CAST "unit", BAD_CAST "bytes");
  }
  target = xmlNewChild(root, NULL, BAD_CAST "target", NULL);
  node = xmlNewChild(target, NULL, BAD_CAST "format", NULL);
  xmlNewProp(node, BAD_CAST "type", BAD_CAST disk_format(st));
  if (strcmp(disk_format(st), "qcow2") == 0) {
    /* virt-install's choice: fewer metadata writes on a fresh image. */
    node = xmlNewChild(target, NULL, BAD_CAST "features", NULL);
    xmlNewChild(node, NULL, BAD_CAST "lazy_refcounts", NULL);
  }
  if (st->backing_store) {
    xmlNodePtr bs = xmlNewChild(root, NULL, BAD_CAST "backingStore", NULL);
    xmlNewTextChild(bs, NULL, BAD_CAST "path", BAD_CAST st->backing_store);
    if (st->backing_format) {
      node = xmlNewChild(bs, NULL, BAD_CAST "format", NULL);
      xmlNewProp(node, BAD_CAST "type", BAD_CAST st->backing_format);
    }
  }
  xml = vmi_storage_xml_finish(doc);
  return xml;
}

static gboolean
create_default_pool(VmiConn *conn, const char *name, const char *dir, VmiGuard *guard,
                    GPtrArray *created, GError **error)
{
  virConnectPtr c = vmi_conn_get(conn, error);
  g_autofree char *xml = NULL;
  virStoragePoolPtr pool;
  gboolean dir_existed = g_file_test(dir, G_FILE_TEST_IS_DIR);
  VmiCreated *made;

  if (!c)
    return FALSE;
  /* Someone may have made it since the defaults looked. */
  pool = virStoragePoolLookupByName(c, name);
  if (pool) {
    virStoragePoolFree(pool);
    return TRUE;
  }
  virResetLastError();
  xml = vmi_storage_xml_dir_pool(name, dir);
  pool = virStoragePoolDefineXML(c, xml, 0);
  if (!pool) {
    vmi_libvirt_error(error, "cannot create the storage pool '%s' at '%s'", name, dir);
    return FALSE;
  }
  made = created_new(VMI_CREATED_POOL, dir, name, NULL);
  made->delete_dir = !dir_existed;
  g_ptr_array_add(created, made);
  vmi_guard_note_pool(guard, name, made->delete_dir);
  if (virStoragePoolBuild(pool, 0) < 0 || virStoragePoolCreate(pool, 0) < 0) {
    vmi_libvirt_error(error, "cannot start the storage pool '%s' at '%s'", name, dir);
    virStoragePoolFree(pool);
    return FALSE;
  }
  /* Like virt-install: the default pool is there on every boot. */
  if (virStoragePoolSetAutostart(pool, 1) < 0)
    virResetLastError();
  virStoragePoolFree(pool);
  return TRUE;
}

static gboolean
create_volume(VmiConn *conn, const VmiDiskStorage *st, const Target *t, VmiGuard *guard,
              GPtrArray *created, GError **error)
{
  virConnectPtr c = vmi_conn_get(conn, error);
  virStoragePoolPtr pool;
  virStorageVolPtr vol;
  g_autofree char *xml = volume_xml(st, t->name);
  unsigned int flags = 0;
  char *path;

  if (!c)
    return FALSE;
  pool = virStoragePoolLookupByName(c, t->pool);
  if (!pool) {
    vmi_libvirt_error(error, "--disk: storage pool '%s'", t->pool);
    return FALSE;
  }
  if (strcmp(disk_format(st), "qcow2") == 0 && !st->backing_store)
    flags |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
  vol = virStorageVolCreateXML(pool, xml, flags);
  if (!vol && flags) {
    /* Not every pool type preallocates metadata. */
    virResetLastError();
    vol = virStorageVolCreateXML(pool, xml, 0);
  }
  virStoragePoolFree(pool);
  if (!vol) {
    vmi_libvirt_error(error, "--disk: cannot create volume '%s' in pool '%s'", t->name,
                      t->pool);
    return FALSE;
  }
  path = virStorageVolGetPath(vol);
  g_ptr_array_add(created, created_new(VMI_CREATED_VOL, path, t->pool, t->name));
  vmi_guard_note_vol(guard, t->pool, t->name);
  free(path);
  virStorageVolFree(vol);
  return TRUE;
}

/* mkdir -p, recording each directory made. */
static gboolean
make_dirs(const char *dir, VmiGuard *guard, GPtrArray *created, GError **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test(dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  parent = g_path_get_dirname(dir);
  if (strcmp(parent, dir) != 0 && !make_dirs(parent, guard, created, error))
    return FALSE;
  if (g_mkdir(dir, 0755) != 0 && errno != EEXIST) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "--disk: cannot create directory '%s': %s",
                dir, g_strerror(errno));
    return FALSE;
  }
  g_ptr_array_add(created, created_new(VMI_CREATED_DIR, dir, NULL, NULL));
  vmi_guard_note_dir(guard, dir);
  return TRUE;
}

static gboolean
run_qemu_img(const VmiDiskStorage *st, const char *path, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GString) opts = g_string_new(NULL);
  g_autofree char *err = NULL;
  const char *fmt = disk_format(st);
  int status = 0;

  g_ptr_array_add(argv, g_strdup("qemu-img"));
  g_ptr_array_add(argv, g_strdup("create"));
  g_ptr_array_add(argv, g_strdup("-q"));
  g_ptr_array_add(argv, g_strdup("-f"));
  g_ptr_array_add(argv, g_strdup(fmt));
  if (strcmp(fmt, "qcow2") == 0) {
    g_string_append(opts, "lazy_refcounts=on");
    if (!is_sparse(st))
      g_string_append(opts, ",preallocation=falloc");
    else if (!st->backing_store)
      g_string_append(opts, ",preallocation=metadata");
  } else if (!is_sparse(st)) {
    g_string_append(opts, "preallocation=falloc");
  }
  if (opts->len) {
    g_ptr_array_add(argv, g_strdup("-o"));
    g_ptr_array_add(argv, g_strdup(opts->str));
  }
  if (st->backing_store) {
    g_ptr_array_add(argv, g_strdup("-b"));
    g_ptr_array_add(argv, g_strdup(st->backing_store));
    if (st->backing_format) {
      g_ptr_array_add(argv, g_strdup("-F"));
      g_ptr_array_add(argv, g_strdup(st->backing_format));
    }
  }
  g_ptr_array_add(argv, g_strdup(path));
  if (st->size_gib >= 0)
    g_ptr_array_add(argv, g_strdup_printf("%" G_GUINT64_FORMAT, capacity_bytes(st)));
  g_ptr_array_add(argv, NULL);

  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL,
                    G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                    &err, &status, error)) {
    g_prefix_error(error, "--disk: cannot run qemu-img to create '%s': ", path);
    return FALSE;
  }
  if (!g_spawn_check_wait_status(status, NULL)) {
    g_strstrip(err);
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "--disk: qemu-img could not create '%s': %s",
                path, *err ? err : "failed");
    return FALSE;
  }
  return TRUE;
}

/* A plain file: claimed with O_EXCL first, so that an existing file is
 * never touched, then filled (raw) or handed to qemu-img. */
static gboolean
create_file(const VmiDiskStorage *st, const char *path, VmiGuard *guard, GPtrArray *created,
            GError **error)
{
  g_autofree char *dir = g_path_get_dirname(path);
  int fd;

  if (!make_dirs(dir, guard, created, error))
    return FALSE;
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    g_set_error(error, VMI_ERROR, errno == EEXIST ? VMI_ERROR_CONFLICT : VMI_ERROR_FAILED,
                "--disk: cannot create '%s': %s%s", path, g_strerror(errno),
                errno == EEXIST ? " (vminstall never overwrites a disk)" : "");
    return FALSE;
  }
  g_ptr_array_add(created, created_new(VMI_CREATED_FILE, path, NULL, NULL));
  vmi_guard_note_file(guard, path);
  if (strcmp(disk_format(st), "raw") == 0 && !st->backing_store) {
    off_t size = (off_t)capacity_bytes(st);
    int rc = is_sparse(st) ? ftruncate(fd, size) : posix_fallocate(fd, 0, size);
    int e = is_sparse(st) ? errno : rc;
    close(fd);
    if (rc != 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "--disk: cannot size '%s': %s", path,
                  g_strerror(e));
      return FALSE;
    }
    return TRUE;
  }
  close(fd);
  return run_qemu_img(st, path, error);
}

gboolean
vmi_storage_create(VmiConn *conn, GPtrArray *storage, VmiGuard *guard, GPtrArray *created,
                   VmiRunMessageFunc message, gpointer data, VmiRunStepFunc step,
                   GError **error)
{
  int pools = -1; /* has_storage_driver, asked once when needed */
  gboolean made_pool = FALSE;

  for (guint i = 0; i < storage->len; i++) {
    VmiDiskStorage *st = g_ptr_array_index(storage, i);
    g_auto(Target) t = { 0 };
    g_autofree char *what = NULL;

    if (!st->will_create)
      continue;
    if (pools == -1)
      pools = has_storage_driver(conn);
    if (!resolve_target(conn, st, pools, &t, error))
      return FALSE;
    if (t.make_pool_dir) {
      guint before = created->len;
      g_autofree char *msg = g_strdup_printf("Creating storage pool '%s' at %s", t.pool,
                                             t.make_pool_dir);
      if (message)
        message(VMI_RUN_INFO, msg, data);
      if (!create_default_pool(conn, t.pool, t.make_pool_dir, guard, created, error))
        return FALSE;
      made_pool = made_pool || created->len > before;
    }
    if (made_pool && step) {
      step(VMI_RUN_STEP_POOL, data);
      made_pool = FALSE;
    }
    if (st->size_gib >= 0)
      what = g_strdup_printf("Creating disk '%s' (%.4g GiB, %s%s)", t.name ? t.name : t.path,
                             st->size_gib, disk_format(st), is_sparse(st) ? ", sparse" : "");
    else
      what = g_strdup_printf("Creating disk '%s' (%s over %s)", t.name ? t.name : t.path,
                             disk_format(st), st->backing_store);
    if (message)
      message(VMI_RUN_INFO, what, data);
    if (t.pool ? !create_volume(conn, st, &t, guard, created, error)
               : !create_file(st, t.path, guard, created, error))
      return FALSE;
  }
  return TRUE;
}

/* ---- undoing ---- */

static void
problem(GPtrArray *problems, const char *what)
{
  virErrorPtr err = virGetLastError();
  g_ptr_array_add(problems, g_strdup_printf("could not remove %s: %s", what,
                                            err && err->message ? err->message
                                                                : g_strerror(errno)));
  virResetLastError();
}

static void
undo_one(virConnectPtr c, const VmiCreated *made, GPtrArray *problems)
{
  virStoragePoolPtr pool = NULL;
  virStorageVolPtr vol = NULL;
  g_autofree char *what = NULL;

  switch (made->kind) {
  case VMI_CREATED_FILE:
    if (g_unlink(made->path) != 0 && errno != ENOENT)
      problem(problems, made->path);
    break;
  case VMI_CREATED_DIR:
    if (g_rmdir(made->path) != 0 && errno != ENOENT)
      problem(problems, made->path);
    break;
  case VMI_CREATED_VOL:
    what = g_strdup_printf("volume '%s' of pool '%s'", made->name, made->pool);
    pool = c ? virStoragePoolLookupByName(c, made->pool) : NULL;
    vol = pool ? virStorageVolLookupByName(pool, made->name) : NULL;
    if (!vol || virStorageVolDelete(vol, 0) < 0)
      problem(problems, what);
    break;
  case VMI_CREATED_POOL:
    what = g_strdup_printf("storage pool '%s'", made->pool);
    pool = c ? virStoragePoolLookupByName(c, made->pool) : NULL;
    if (pool && virStoragePoolIsActive(pool) == 1)
      virStoragePoolDestroy(pool);
    if (pool && made->delete_dir)
      virStoragePoolDelete(pool, 0);
    virResetLastError();
    if (!pool || virStoragePoolUndefine(pool) < 0)
      problem(problems, what);
    break;
  }
  if (vol)
    virStorageVolFree(vol);
  if (pool)
    virStoragePoolFree(pool);
}

void
vmi_storage_undo(VmiConn *conn, GPtrArray *created, GPtrArray *problems)
{
  virConnectPtr c = vmi_conn_is_open(conn) ? vmi_conn_get(conn, NULL) : NULL;

  for (guint i = created->len; i-- > 0;)
    undo_one(c, g_ptr_array_index(created, i), problems);
  g_ptr_array_set_size(created, 0);
}
