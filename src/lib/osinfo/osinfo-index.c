/*
 * The index of osinfo-db: which files define which OS, its short ids, and
 * what detecting the OS of an install tree needs (codename, <tree> data,
 * the order libosinfo lists OSes in).
 *
 * Loading the whole database with libosinfo costs ~0.75 s and ~57 MB, most
 * of it for data a command never uses.  The index lets a lookup read only
 * the files of the OS asked for and of the OSes it derives from, and tree
 * detection read no OS file at all.  Building it needs every OS file, but
 * only a few of their elements, which a small scanner finds without
 * building a tree; the result is cached under $XDG_CACHE_HOME/vminstall,
 * stamped with the database directories' mtimes (a package update replaces
 * files by rename, which changes them) and with GLib's version.
 */
#include <string.h>
#include "osinfo-scan.h"
#include "osinfo.h"

/* A tree and its strings in one block, which g_free() frees: trees are
 * many and their strings short. */
VmiOsTree *
vmi_os_tree_new(const char *arch, const char *family, const char *variant,
         const char *version, const char *treeinfo_arch)
{
  const char *values[] = { arch, family, variant, version, treeinfo_arch };
  gsize size = sizeof(VmiOsTree);
  VmiOsTree *tree;
  char **fields[G_N_ELEMENTS(values)];
  char *p;

  for (guint i = 0; i < G_N_ELEMENTS(values); i++)
    size += values[i] ? strlen(values[i]) + 1 : 0;
  tree = g_malloc0(size);
  fields[0] = &tree->arch;
  fields[1] = &tree->family;
  fields[2] = &tree->variant;
  fields[3] = &tree->version;
  fields[4] = &tree->treeinfo_arch;
  p = (char *)(tree + 1);
  for (guint i = 0; i < G_N_ELEMENTS(values); i++) {
    if (values[i]) {
      *fields[i] = strcpy(p, values[i]);
      p += strlen(p) + 1;
    }
  }
  return tree;
}

void
vmi_os_entry_add_tree(VmiOsIndexEntry *e, VmiOsTree *tree)
{
  if (!e->trees)
    e->trees = g_ptr_array_new_with_free_func(g_free);
  g_ptr_array_add(e->trees, tree);
}

static void
index_clear(gpointer data)
{
  VmiOsIndex *index = data;

  g_ptr_array_unref(index->entries);
  g_hash_table_unref(index->by_id);
  g_hash_table_unref(index->by_short_id);
  g_ptr_array_unref(index->with_trees);
}

VmiOsIndex *
vmi_os_index_ref(VmiOsIndex *index)
{
  return g_rc_box_acquire(index);
}

void
vmi_os_index_unref(VmiOsIndex *index)
{
  if (index)
    g_rc_box_release_full(index, index_clear);
}

VmiOsIndexEntry *
vmi_os_index_entry_new(char *id)
{
  VmiOsIndexEntry *e = g_new0(VmiOsIndexEntry, 1);

  e->id = id;
  e->short_ids = g_ptr_array_new_with_free_func(g_free);
  e->files = g_ptr_array_new_with_free_func(g_free);
  e->rank = G_MAXUINT;
  return e;
}

void
vmi_os_index_entry_free(gpointer data)
{
  VmiOsIndexEntry *e = data;

  g_free(e->id);
  g_ptr_array_unref(e->short_ids);
  g_ptr_array_unref(e->files);
  g_free(e->codename);
  if (e->trees)
    g_ptr_array_unref(e->trees);
  g_free(e);
}

VmiOsIndex *
vmi_os_index_new(void)
{
  VmiOsIndex *index = g_rc_box_new0(VmiOsIndex);

  index->entries = g_ptr_array_new_with_free_func(vmi_os_index_entry_free);
  index->by_id = g_hash_table_new(g_str_hash, g_str_equal);
  index->by_short_id = g_hash_table_new(g_str_hash, g_str_equal);
  index->with_trees = g_ptr_array_new();
  return index;
}

void
vmi_os_index_add(VmiOsIndex *index, VmiOsIndexEntry *e)
{
  g_ptr_array_add(index->entries, e);
  g_hash_table_insert(index->by_id, e->id, e);
  for (guint i = 0; i < e->short_ids->len; i++) {
    if (!g_hash_table_contains(index->by_short_id, e->short_ids->pdata[i]))
      g_hash_table_insert(index->by_short_id, e->short_ids->pdata[i], e);
  }
}

static gint
compare_rank(gconstpointer a, gconstpointer b)
{
  const VmiOsIndexEntry *x = *(VmiOsIndexEntry *const *)a;
  const VmiOsIndexEntry *y = *(VmiOsIndexEntry *const *)b;

  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Done once all entries are in. */
void
vmi_os_index_finish(VmiOsIndex *index)
{
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];

    if (e->trees)
      g_ptr_array_add(index->with_trees, e);
  }
  g_ptr_array_sort(index->with_trees, compare_rank);
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether libosinfo accepts @id from @file, which holds @key's data. */
static gboolean
id_matches_key(const char *id, const char *key)
{
  g_autofree char *expected = vmi_os_id_to_key(id);

  return g_str_equal(expected, key);
}

/* An OS being put together from its <os> elements. */
typedef struct {
  VmiOsIndexEntry *entry;
  GPtrArray *tree_ids; /* libosinfo's internal ids, parallel to trees */
  GPtrArray *trees;    /* VmiOsScannedTree *, borrowed from the scan */
} Pending;

static void
pending_free(gpointer data)
{
  Pending *p = data;

  g_ptr_array_unref(p->tree_ids);
  g_ptr_array_unref(p->trees);
  g_free(p);
}

static void
pending_add(Pending *pend, const char *file, VmiOsScannedOs *s)
{
  g_autofree char *dir = g_path_get_dirname(file);
  g_autofree char *base = g_path_get_basename(file);
  VmiOsIndexEntry *e = pend->entry;

  for (guint i = 0; i < s->short_ids->len; i++)
    g_ptr_array_add(e->short_ids, g_strdup(s->short_ids->pdata[i]));

  /* a later <os> element's value replaces an earlier one's */
  if (s->codename_unknown)
    e->codename_unknown = TRUE;
  if (s->codename) {
    g_free(e->codename);
    e->codename = g_strdup(s->codename);
  }

  /* osinfo_build_internal_id(): a tree with the id of one already there
   * replaces it */
  for (guint i = 0; i < s->trees->len; i++) {
    VmiOsScannedTree *t = s->trees->pdata[i];
    char *tree_id = g_str_has_suffix(dir, ".d")
                        ? g_strdup_printf("%s:%s:%u", s->id, base, i)
                        : g_strdup_printf("%s:%u", s->id, i);

    for (guint j = 0; j < pend->tree_ids->len; j++) {
      if (g_str_equal(pend->tree_ids->pdata[j], tree_id)) {
        g_ptr_array_remove_index(pend->tree_ids, j);
        g_ptr_array_remove_index(pend->trees, j);
        break;
      }
    }
    g_ptr_array_add(pend->tree_ids, tree_id);
    g_ptr_array_add(pend->trees, t);
  }
}

VmiOsIndex *
vmi_os_index_scan(const char *const *roots, GString *stamps)
{
  g_autoptr(GHashTable) all =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, vmi_os_key_files_free);
  g_autoptr(GPtrArray) root_keys =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GHashTable) mentions = g_hash_table_new_full(
      g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(VmiOsIndex) index = vmi_os_index_new();

  for (guint r = 0; roots[r]; r++) {
    g_autofree char *root_stamp = vmi_os_stamp_of(roots[r]);
    VmiOsRootScan rs;
    GHashTableIter iter;
    gpointer k, v;

    vmi_os_add_stamp(stamps, 'D', roots[r], root_stamp);
    if (g_str_equal(root_stamp, "-"))
      continue;
    rs.keys = g_ptr_array_new_with_free_func(g_free);
    rs.seen = g_hash_table_new(g_str_hash, g_str_equal);
    rs.os = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                  vmi_os_key_files_free);
    vmi_os_walk_dir(roots[r], "", 0, &rs, r > 0, stamps);

    /* A later location's master file replaces a key entirely; extension
     * files without a master add to what earlier locations gave. */
    g_hash_table_iter_init(&iter, rs.os);
    while (g_hash_table_iter_next(&iter, &k, &v)) {
      VmiOsKeyFiles *kf = v;
      VmiOsKeyFiles *old = g_hash_table_lookup(all, k);

      if (!old || kf->master) {
        g_hash_table_iter_steal(&iter);
        g_hash_table_replace(all, k, kf);
      } else {
        for (guint i = 0; i < kf->extensions->len; i++)
          g_ptr_array_add(old->extensions, g_strdup(kf->extensions->pdata[i]));
      }
    }
    g_hash_table_unref(rs.os);
    g_hash_table_unref(rs.seen);
    g_ptr_array_add(root_keys, rs.keys);
  }

  keys = g_ptr_array_new();
  {
    GHashTableIter iter;
    gpointer k;

    g_hash_table_iter_init(&iter, all);
    while (g_hash_table_iter_next(&iter, &k, NULL))
      g_ptr_array_add(keys, k);
  }
  g_ptr_array_sort(keys, compare_strings);
  for (guint i = 0; i < keys->len; i++) {
    const char *key = keys->pdata[i];
    VmiOsKeyFiles *kf = g_hash_table_lookup(all, key);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(pending_free);
    g_autoptr(GPtrArray) scanned =
        g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
    GPtrArray *met = g_ptr_array_new_with_free_func(g_free);

    g_hash_table_insert(mentions, g_strconcat("/", key, NULL), met);
    if (kf->master)
      g_ptr_array_add(files, g_strdup(kf->master));
    for (guint j = 0; j < kf->extensions->len; j++)
      g_ptr_array_add(files, g_strdup(kf->extensions->pdata[j]));

    for (guint j = 0; j < files->len; j++) {
      GPtrArray *oses = g_ptr_array_new_with_free_func(vmi_os_scanned_os_free);

      /* kept until the key is done: the pending trees point into it */
      g_ptr_array_add(scanned, oses);
      vmi_os_scan_file(files->pdata[j], oses);
      for (guint o = 0; o < oses->len; o++) {
        VmiOsScannedOs *s = oses->pdata[o];
        Pending *pend = NULL;

        if (!id_matches_key(s->id, key))
          continue;
        /* the ids osinfo_loader_os() meets, in its order */
        g_ptr_array_add(met, g_strdup(s->id));
        for (int k = 0; k < VMI_OS_N_RELS; k++) {
          for (guint x = 0; x < s->rels[k]->len; x++)
            g_ptr_array_add(met, g_strdup(s->rels[k]->pdata[x]));
        }

        for (guint f = 0; f < found->len; f++) {
          if (g_str_equal(((Pending *)found->pdata[f])->entry->id, s->id))
            pend = found->pdata[f];
        }
        if (!pend) {
          pend = g_new0(Pending, 1);
          pend->entry = vmi_os_index_entry_new(g_strdup(s->id));
          pend->tree_ids = g_ptr_array_new_with_free_func(g_free);
          pend->trees = g_ptr_array_new();
          for (guint f = 0; f < files->len; f++)
            g_ptr_array_add(pend->entry->files, g_strdup(files->pdata[f]));
          g_ptr_array_add(found, pend);
        }
        pending_add(pend, files->pdata[j], s);
      }
    }
    for (guint f = 0; f < found->len; f++) {
      Pending *pend = found->pdata[f];

      for (guint t = 0; t < pend->trees->len; t++) {
        VmiOsScannedTree *st = pend->trees->pdata[t];

        /* a tree without treeinfo data never matches */
        if (st->has_treeinfo)
          vmi_os_entry_add_tree(pend->entry,
                         vmi_os_tree_new(st->arch, st->family, st->variant,
                                  st->version, st->treeinfo_arch));
      }
      vmi_os_index_add(index, pend->entry);
    }
  }

  vmi_os_assign_ranks(index, root_keys, mentions);
  vmi_os_index_finish(index);
  return g_steal_pointer(&index);
}

/* ---------------------------------------------------------------- access */

G_LOCK_DEFINE_STATIC(index_lock);
static VmiOsIndex *cached_index;
static GStrv cached_roots;

VmiOsIndex *
vmi_os_index_get(GError **error)
{
  g_auto(GStrv) roots = vmi_os_db_roots();
  g_autofree char *path = NULL;
  VmiOsIndex *index;

  G_LOCK(index_lock);
  if (cached_index && g_strv_equal((const char *const *)roots,
                                   (const char *const *)cached_roots)) {
    index = vmi_os_index_ref(cached_index);
    G_UNLOCK(index_lock);
    return index;
  }
  G_UNLOCK(index_lock);

  path = vmi_os_index_cache_path((const char *const *)roots);
  index = vmi_os_index_load_cache(path, (const char *const *)roots);
  if (!index) {
    g_autoptr(GString) stamps = g_string_new(NULL);

    index = vmi_os_index_scan((const char *const *)roots, stamps);
    vmi_os_index_save_cache(path, (const char *const *)roots, stamps, index);
  }

  G_LOCK(index_lock);
  g_clear_pointer(&cached_index, vmi_os_index_unref);
  g_strfreev(cached_roots);
  cached_index = vmi_os_index_ref(index);
  cached_roots = g_steal_pointer(&roots);
  G_UNLOCK(index_lock);
  return index;
}

void
vmi_os_db_forget(void)
{
  G_LOCK(index_lock);
  g_clear_pointer(&cached_index, vmi_os_index_unref);
  g_clear_pointer(&cached_roots, g_strfreev);
  G_UNLOCK(index_lock);
}
