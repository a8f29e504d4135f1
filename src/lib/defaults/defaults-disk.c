/*
 * Disk sources: where each --disk's storage is (an existing volume or
 * file) or will be (a new volume in a pool), and what its type and format
 * are.  Nothing is created here; the runner creates what is marked.
 */
#include <string.h>
#include <sys/stat.h>
#include <libxml/parser.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include "defaults-private.h"

static xmlDocPtr
parse_xml(const char *xml)
{
  return xml ? xmlReadMemory(xml, strlen(xml), "libvirt.xml", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                             XML_PARSE_NOERROR | XML_PARSE_NOWARNING)
             : NULL;
}

static char *
xml_value(const char *xml, const char *path)
{
  xmlDocPtr doc = parse_xml(xml);
  char *ret = NULL;

  if (doc) {
    ret = vmi_node_get(xmlDocGetRootElement(doc), path);
    xmlFreeDoc(doc);
  }
  return ret;
}

static int
compare_strings(gconstpointer a, gconstpointer b)
{
  return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static virStoragePoolPtr
lookup_pool(VmiDefaults *d, const char *name, GError **error)
{
  virConnectPtr c = vmi_conn_get(d->conn, error);
  virStoragePoolPtr pool;

  if (!c)
    return NULL;
  pool = virStoragePoolLookupByName(c, name);
  if (!pool) {
    virStoragePoolPtr *pools = NULL;
    int n = virConnectListAllStoragePools(c, &pools, 0);
    g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func(g_free);
    GString *names = g_string_new(NULL);
    for (int i = 0; i < n; i++) {
      g_ptr_array_add(sorted, g_strdup(virStoragePoolGetName(pools[i])));
      virStoragePoolFree(pools[i]);
    }
    free(pools);
    g_ptr_array_sort(sorted, (GCompareFunc)compare_strings);
    for (guint i = 0; i < sorted->len; i++)
      g_string_append_printf(names, "%s%s", i ? ", " : "", (char *)g_ptr_array_index(sorted, i));
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--disk: storage pool '%s' not found (pools on this connection: %s)",
                name, n > 0 ? names->str : "none");
    g_string_free(names, TRUE);
  }
  return pool;
}

static char *
pool_target_path(virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc(pool, 0);
  return xml_value(xml, "target/path");
}

/* Format of an existing volume as virt-install maps it to a driver type. */
static char *
volume_format(virStorageVolPtr vol)
{
  g_autofree char *xml = virStorageVolGetXMLDesc(vol, 0);
  char *fmt = xml_value(xml, "target/format/@type");
  return fmt ? fmt : g_strdup("raw");
}

static const char *
volume_dev_type(virStorageVolPtr vol)
{
  virStorageVolInfo info;

  if (virStorageVolGetInfo(vol, &info) == 0) {
    if (info.type == VIR_STORAGE_VOL_BLOCK)
      return "block";
    if (info.type == VIR_STORAGE_VOL_DIR)
      return "dir";
    if (info.type == VIR_STORAGE_VOL_NETWORK)
      return "network";
  }
  return "file";
}

/* Storage behind a test:/// connection lives only in the driver's memory;
 * on a real one, libvirt would probe the file, so we do the same. */
static gboolean
storage_is_real(VmiDefaults *d)
{
  return !vmi_conn_is_really_test(d->conn);
}

static char *
probe_local_format(const char *path)
{
  static const char qcow_magic[] = { 'Q', 'F', 'I', (char)0xfb };
  char buf[8] = { 0 };
  g_autoptr(GFile) file = g_file_new_for_path(path);
  g_autoptr(GFileInputStream) in = g_file_read(file, NULL, NULL);

  if (!in)
    return NULL;
  if (g_input_stream_read(G_INPUT_STREAM(in), buf, 4, NULL, NULL) == 4 &&
      memcmp(buf, qcow_magic, 4) == 0)
    return g_strdup("qcow2");
  if (g_seekable_seek(G_SEEKABLE(in), 32769, G_SEEK_SET, NULL, NULL) &&
      g_input_stream_read(G_INPUT_STREAM(in), buf, 5, NULL, NULL) == 5 &&
      memcmp(buf, "CD001", 5) == 0)
    return g_strdup("iso");
  return g_strdup("raw");
}

/* Type and format of an existing path, or FALSE if nothing is there. */
static gboolean
existing_path_facts(VmiDefaults *d, const char *path, const char **type, char **format)
{
  virConnectPtr c = vmi_conn_get(d->conn, NULL);
  virStorageVolPtr vol = c ? virStorageVolLookupByPath(c, path) : NULL;
  GStatBuf st;

  *type = NULL;
  *format = NULL;
  if (vol) {
    *type = volume_dev_type(vol);
    *format = volume_format(vol);
    virStorageVolFree(vol);
    return TRUE;
  }
  if (vmi_conn_is_remote(d->conn) || g_stat(path, &st) != 0)
    return FALSE;
  if (S_ISBLK(st.st_mode))
    *type = "block";
  else if (S_ISDIR(st.st_mode))
    *type = "dir";
  else
    *type = "file";
  if (storage_is_real(d) && S_ISREG(st.st_mode))
    *format = probe_local_format(path);
  return TRUE;
}

static gboolean
volume_exists(virStoragePoolPtr pool, const char *name)
{
  virStorageVolPtr vol = virStorageVolLookupByName(pool, name);
  if (vol)
    virStorageVolFree(vol);
  return vol != NULL;
}

/* Is @name (in @dir) taken, by a volume of @pool (or, with no pool, a
 * file) or by another disk of this guest? */
static gboolean
volume_name_taken(VmiDefaults *d, virStoragePoolPtr pool, const char *dir,
                  const char *name, xmlNodePtr self)
{
  g_autofree char *path = g_build_filename(dir, name, NULL);
  g_autoptr(GPtrArray) disks = vmi_guest_devices(d->guest, "disk");

  if (pool ? volume_exists(pool, name) : g_file_test(path, G_FILE_TEST_EXISTS))
    return TRUE;
  for (guint j = 0; j < disks->len; j++) {
    xmlNodePtr other = g_ptr_array_index(disks, j);
    if (other != self && vmi_node_is(other, "source/@file", path))
      return TRUE;
  }
  return FALSE;
}

/* GUEST.qcow2, GUEST-1.qcow2, ... (.img for raw), as virt-install names
 * new volumes. */
static char *
free_volume_name(VmiDefaults *d, virStoragePoolPtr pool, const char *dir,
                 const char *fmt, xmlNodePtr self)
{
  g_autofree char *name = vmi_node_get(d->root, "name");
  const char *base = name ? name : "disk";
  g_autofree char *ext = g_strcmp0(fmt, "raw") == 0 ? g_strdup(".img")
                         : fmt ? g_strdup_printf(".%s", fmt) : g_strdup("");

  for (int i = 0; i < 100000; i++) {
    g_autofree char *try = i == 0 ? g_strconcat(base, ext, NULL)
                                  : g_strdup_printf("%s-%d%s", base, i, ext);
    if (!volume_name_taken(d, pool, dir, try, self))
      return g_steal_pointer(&try);
  }
  return NULL;
}

static const char *
default_format(VmiDefaults *d)
{
  return vmi_defaults_support(d, VMI_SUPPORT_DEFAULT_QCOW2) ? "qcow2" : "raw";
}

/* A new volume in @poolname.  The 'default' pool is created on first use,
 * like virt-install does, in libvirt's images directory; until then names
 * are checked on disk. */
static gboolean
resolve_new_in_pool(VmiDefaults *d, VmiDiskStorage *st, const char *poolname, GError **error)
{
  virStoragePoolPtr pool = NULL;
  g_autofree char *dir = NULL;

  if (strcmp(poolname, "default") == 0) {
    virConnectPtr c = vmi_conn_get(d->conn, error);
    if (!c)
      return FALSE;
    pool = virStoragePoolLookupByName(c, poolname);
    if (!pool) {
      g_autofree char *root = vmi_conn_data_root_dir(d->conn);
      dir = g_build_filename(root, "images", NULL);
      st->create_pool_dir = g_strdup(dir);
    }
  } else {
    pool = lookup_pool(d, poolname, error);
    if (!pool)
      return FALSE;
  }
  if (pool) {
    dir = pool_target_path(pool);
    if (!dir)
      dir = g_strdup("");
  }
  if (!st->format)
    st->format = g_strdup(default_format(d));
  st->create_name = free_volume_name(d, pool, dir, st->format, st->disk);
  if (pool)
    virStoragePoolFree(pool);
  st->create_pool = g_strdup(poolname);
  st->will_create = TRUE;
  g_autofree char *path = g_build_filename(dir, st->create_name, NULL);
  vmi_node_set(st->disk, "source/@file", path);
  vmi_node_set(st->disk, "@type", "file");
  return TRUE;
}

static gboolean
resolve_volume(VmiDefaults *d, VmiDiskStorage *st, GError **error)
{
  g_auto(GStrv) parts = g_strsplit(st->vol, "/", -1);
  virStoragePoolPtr pool;
  virStorageVolPtr vol;

  if (g_strv_length(parts) != 2) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--disk vol: invalid value '%s' (expected POOL/VOLUME)", st->vol);
    return FALSE;
  }
  pool = lookup_pool(d, parts[0], error);
  if (!pool)
    return FALSE;
  vol = virStorageVolLookupByName(pool, parts[1]);
  virStoragePoolFree(pool);
  if (!vol) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--disk: volume '%s' not found in pool '%s' "
                "(expected vol=POOL/VOLUME of an existing volume)", parts[1], parts[0]);
    return FALSE;
  }
  g_autofree char *path = virStorageVolGetPath(vol);
  vmi_node_set(st->disk, "source/@file", path);
  vmi_node_set(st->disk, "@type", volume_dev_type(vol));
  if (!st->format)
    st->format = volume_format(vol);
  virStorageVolFree(vol);
  return TRUE;
}

static gboolean
resolve_path(VmiDefaults *d, VmiDiskStorage *st, GError **error)
{
  const char *type;
  g_autofree char *format = NULL;
  g_autofree char *abspath = g_canonicalize_filename(st->path, NULL);

  vmi_node_set(st->disk, "source/@file", abspath);
  if (existing_path_facts(d, abspath, &type, &format)) {
    vmi_node_set(st->disk, "@type", type);
    if (strcmp(type, "block") == 0) {
      vmi_node_set(st->disk, "source/@file", NULL);
      vmi_node_set(st->disk, "source/@dev", abspath);
    } else if (strcmp(type, "dir") == 0) {
      vmi_node_set(st->disk, "source/@file", NULL);
      vmi_node_set(st->disk, "source/@dir", abspath);
    }
    /* format= only matters for storage being created: an existing
     * image is what it is, as virt-install treats it. */
    g_free(st->format);
    st->format = g_steal_pointer(&format);
    return TRUE;
  }
  if (st->size_gib < 0 && !vmi_node_is(st->disk, "@device", "disk")) {
    /* cdrom/floppy media the user will provide later: keep as given */
    return TRUE;
  }
  if (st->size_gib < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--disk: '%s' does not exist; give size= (in GiB) to create it", abspath);
    return FALSE;
  }
  if (!st->format)
    st->format = g_strdup(default_format(d));
  st->will_create = TRUE;
  vmi_node_set(st->disk, "@type", "file");
  return TRUE;
}

gboolean
vmi_defaults_disks(VmiDefaults *d, GError **error)
{
  for (guint i = 0; i < d->storage->len; i++) {
    VmiDiskStorage *st = g_ptr_array_index(d->storage, i);
    gboolean ok;

    if (st->vol)
      ok = resolve_volume(d, st, error);
    else if (st->pool)
      ok = resolve_new_in_pool(d, st, st->pool, error);
    else if (st->path)
      ok = resolve_path(d, st, error);
    else if (st->size_gib >= 0)
      ok = resolve_new_in_pool(d, st, "default", error);
    else
      ok = TRUE;
    if (!ok)
      return FALSE;
  }
  return TRUE;
}

/* Type and format for disks that have a path but no --disk storage entry
 * (the install cdrom). */
void
vmi_defaults_disk_source_facts(VmiDefaults *d, xmlNodePtr disk, char **format)
{
  g_autofree char *path = vmi_node_get(disk, "source/@file");
  const char *type = NULL;

  *format = NULL;
  if (!path || vmi_node_has(disk, "@type"))
    return;
  if (existing_path_facts(d, path, &type, format)) {
    vmi_node_set(disk, "@type", type);
    if (strcmp(type, "block") == 0) {
      vmi_node_set(disk, "source/@file", NULL);
      vmi_node_set(disk, "source/@dev", path);
    }
  }
}
