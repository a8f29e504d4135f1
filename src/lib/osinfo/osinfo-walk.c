/*
 * The files one database location holds, as libosinfo's loader finds
 * them: every *.xml below it, directories in strcmp order, "schema"
 * skipped, each file under the key (os/vendor/name) it defines.
 */
#include <dirent.h>
#include <string.h>
#include "osinfo-private.h"

static VmiOsKeyFiles *
key_files_new(void)
{
  VmiOsKeyFiles *kf = g_new0(VmiOsKeyFiles, 1);

  kf->extensions = g_ptr_array_new_with_free_func(g_free);
  return kf;
}

void
vmi_os_key_files_free(gpointer data)
{
  VmiOsKeyFiles *kf = data;

  g_free(kf->master);
  g_ptr_array_unref(kf->extensions);
  g_free(kf);
}

static VmiOsKeyFiles *
key_files_get(GHashTable *keys, const char *key)
{
  VmiOsKeyFiles *kf = g_hash_table_lookup(keys, key);

  if (!kf) {
    kf = key_files_new();
    g_hash_table_insert(keys, g_strdup(key), kf);
  }
  return kf;
}

typedef struct {
  char *name;
  gboolean is_dir;
} DirEntry;

static void
dir_entry_free(gpointer data)
{
  DirEntry *e = data;

  g_free(e->name);
  g_free(e);
}

static gint
compare_dir_entries(gconstpointer a, gconstpointer b)
{
  return strcmp((*(DirEntry *const *)a)->name, (*(DirEntry *const *)b)->name);
}

/* Entries of @dir in libosinfo's (strcmp) order; NULL if unreadable.
 * readdir's d_type spares a stat per file on the common file systems;
 * like libosinfo (which asks GIO), symlinks count as what they point to. */
static GPtrArray *
sorted_dir(const char *dir)
{
  DIR *d = opendir(dir);
  GPtrArray *entries;
  struct dirent *de;

  if (!d)
    return NULL;
  entries = g_ptr_array_new_with_free_func(dir_entry_free);
  while ((de = readdir(d))) {
    DirEntry *e;

    if (g_str_equal(de->d_name, ".") || g_str_equal(de->d_name, ".."))
      continue;
    e = g_new0(DirEntry, 1);
    e->name = g_strdup(de->d_name);
    if (de->d_type == DT_DIR) {
      e->is_dir = TRUE;
    } else if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) {
      g_autofree char *path = g_build_filename(dir, de->d_name, NULL);

      e->is_dir = g_file_test(path, G_FILE_TEST_IS_DIR);
    }
    g_ptr_array_add(entries, e);
  }
  closedir(d);
  g_ptr_array_sort(entries, compare_dir_entries);
  return entries;
}

/* deeper means a symlink loop, which libosinfo would not survive either */
#define MAX_WALK_DEPTH 32

/* libosinfo's osinfo_loader_find_files(): every *.xml file below a
 * location, directories in strcmp order, any directory named "schema"
 * skipped; a file's key is its path without ".xml", or for a file in a
 * directory "NAME.d", that directory's path without ".d". */
void
vmi_os_walk_dir(const char *dir, const char *rel, int level, VmiOsRootScan *rs,
         gboolean stamp_files, GString *stamps)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *stamp = vmi_os_stamp_of(dir);

  vmi_os_add_stamp(stamps, 'D', dir, stamp);
  if (level > MAX_WALK_DEPTH)
    return;
  names = sorted_dir(dir);
  for (guint i = 0; names && i < names->len; i++) {
    DirEntry *de = names->pdata[i];
    g_autofree char *path = g_build_filename(dir, de->name, NULL);
    g_autofree char *relpath =
        rel[0] ? g_strconcat(rel, "/", de->name, NULL) : g_strdup(de->name);
    gboolean extension;
    g_autofree char *key = NULL;
    char *lkey;

    if (de->is_dir) {
      if (!g_str_equal(de->name, "schema"))
        vmi_os_walk_dir(path, relpath, level + 1, rs, stamp_files, stamps);
      continue;
    }
    if (!g_str_has_suffix(de->name, ".xml"))
      continue;

    extension = g_str_has_suffix(rel, ".d");
    key = extension ? g_strndup(rel, strlen(rel) - 2)
                    : g_strndup(relpath, strlen(relpath) - 4);
    lkey = g_strconcat("/", key, NULL);
    if (!g_hash_table_contains(rs->seen, lkey)) {
      g_hash_table_add(rs->seen, lkey);
      g_ptr_array_add(rs->keys, lkey);
    } else {
      g_free(lkey);
    }

    if (g_str_has_prefix(key, "os/")) {
      VmiOsKeyFiles *kf = key_files_get(rs->os, key);

      if (extension) {
        g_ptr_array_add(kf->extensions, g_strdup(path));
      } else {
        g_free(kf->master);
        kf->master = g_strdup(path);
      }
      /* package-managed files change by rename, which the directory
       * stamps see; files in the local and user locations may be edited
       * in place */
      if (stamp_files) {
        g_autofree char *fstamp = vmi_os_stamp_of(path);
        vmi_os_add_stamp(stamps, 'F', path, fstamp);
      }
    }
  }
}
