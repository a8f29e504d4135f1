/*
 * The order libosinfo's OsinfoDb lists its OSes in, without loading it.
 */
#include "osinfo-private.h"

/*
 * The order in which libosinfo's OsinfoDb lists its OSes is that of a
 * GHashTable keyed by id, so it depends on the order the ids went in:
 * an OS goes in when the loader first meets its id, defining it or naming
 * it in <derives-from>, <clones> or <upgrades>; the loader reads the files
 * key by key in the order of another GHashTable, built from one table per
 * location, each filled in directory-walk order.  Doing the same with the
 * same GLib gives the same order, without loading anything.
 *
 * @root_keys: per location, its keys in walk order;
 * @mentions: key -> ids, in the order the loader meets them.
 */
void
vmi_os_assign_ranks(VmiOsIndex *index, GPtrArray *root_keys, GHashTable *mentions)
{
  g_autoptr(GHashTable) all = g_hash_table_new(g_str_hash, g_str_equal);
  g_autoptr(GHashTable) oses = g_hash_table_new(g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  GList *order;
  guint rank = 0;

  for (guint r = 0; r < root_keys->len; r++) {
    GPtrArray *keys = root_keys->pdata[r];
    g_autoptr(GHashTable) entries = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < keys->len; i++)
      g_hash_table_insert(entries, keys->pdata[i], keys->pdata[i]);
    g_hash_table_iter_init(&iter, entries);
    while (g_hash_table_iter_next(&iter, &key, NULL))
      g_hash_table_insert(all, key, key);
  }

  g_hash_table_iter_init(&iter, all);
  while (g_hash_table_iter_next(&iter, &key, NULL)) {
    GPtrArray *ids = g_hash_table_lookup(mentions, key);

    for (guint i = 0; ids && i < ids->len; i++) {
      if (!g_hash_table_contains(oses, ids->pdata[i]))
        g_hash_table_insert(oses, ids->pdata[i], ids->pdata[i]);
    }
  }

  /* what osinfo_list_get_elements() returns */
  order = g_hash_table_get_values(oses);
  for (GList *l = order; l; l = l->next) {
    VmiOsIndexEntry *e = g_hash_table_lookup(index->by_id, l->data);

    if (e)
      e->rank = rank;
    rank++;
  }
  g_list_free(order);
}
