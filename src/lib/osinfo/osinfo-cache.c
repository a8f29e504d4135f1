/*
 * The index's cache under $XDG_CACHE_HOME/vminstall: written after a
 * scan, read back while the stamps it records still hold.
 */
#include <string.h>
#include <glib/gstdio.h>
#include "osinfo-private.h"

#define CACHE_MAGIC "vminstall-osinfo-index 2"

char *
vmi_os_index_cache_path(const char *const *roots)
{
  g_autofree char *joined = g_strjoinv("\n", (GStrv)roots);
  g_autofree char *sum =
      g_compute_checksum_for_string(G_CHECKSUM_SHA256, joined, -1);
  g_autofree char *name = NULL;

  /* one cache per set of locations, so that tests or users switching
   * OSINFO_SYSTEM_DIR do not overwrite each other's index */
  sum[16] = '\0';
  name = g_strdup_printf("osinfo-index-%s", sum);
  return g_build_filename(g_get_user_cache_dir(), "vminstall", name, NULL);
}

/*
 * The cache is text, one record per line, fields separated by tabs and
 * escaped with g_strescape():
 *   vminstall-osinfo-index 2
 *   G <GLib version>     the ranks follow GLib's hash tables
 *   R <location>         one per database location, in order
 *   D|F <stamp> <path>   what the index was built from
 *   O <id> <rank> <codename> <n> <short id> x n <file>...
 *   T <arch> <family> <variant> <version> <treeinfo arch>
 *                        a tree of the OS of the O line before it
 * An optional value is empty when absent and "=value" when present; the
 * codename is "?" when only the record can tell.
 */

static char *
cache_header(const char *const *roots)
{
  GString *s = g_string_new(CACHE_MAGIC "\n");

  g_string_append_printf(s, "G\t%u.%u.%u\n", glib_major_version,
                         glib_minor_version, glib_micro_version);
  for (guint r = 0; roots[r]; r++) {
    g_autofree char *esc = g_strescape(roots[r], NULL);
    g_string_append_printf(s, "R\t%s\n", esc);
  }
  return g_string_free(s, FALSE);
}

static void
append_optional(GString *s, const char *value)
{
  g_string_append_c(s, '\t');
  if (value) {
    g_autofree char *esc = g_strescape(value, NULL);

    g_string_append_c(s, '=');
    g_string_append(s, esc);
  }
}

static char *
serialize(const char *const *roots, GString *stamps, const VmiOsIndex *index)
{
  g_autofree char *header = cache_header(roots);
  GString *s = g_string_new(header);

  g_string_append(s, stamps->str);
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];
    g_autofree char *id = g_strescape(e->id, NULL);

    g_string_append_printf(s, "O\t%s\t%u", id, e->rank);
    if (e->codename_unknown)
      g_string_append(s, "\t?");
    else
      append_optional(s, e->codename);
    g_string_append_printf(s, "\t%u", e->short_ids->len);
    for (guint j = 0; j < e->short_ids->len; j++) {
      g_autofree char *esc = g_strescape(e->short_ids->pdata[j], NULL);
      g_string_append_printf(s, "\t%s", esc);
    }
    for (guint j = 0; j < e->files->len; j++) {
      g_autofree char *esc = g_strescape(e->files->pdata[j], NULL);
      g_string_append_printf(s, "\t%s", esc);
    }
    g_string_append_c(s, '\n');
    for (guint j = 0; e->trees && j < e->trees->len; j++) {
      VmiOsTree *t = e->trees->pdata[j];

      g_string_append_c(s, 'T');
      append_optional(s, t->arch);
      append_optional(s, t->family);
      append_optional(s, t->variant);
      append_optional(s, t->version);
      append_optional(s, t->treeinfo_arch);
      g_string_append_c(s, '\n');
    }
  }
  return g_string_free(s, FALSE);
}

static char *
unescape(const char *field)
{
  /* g_strescape() output only needs undoing where it escaped something */
  return strchr(field, '\\') ? g_strcompress(field) : g_strdup(field);
}

/* An optional value; FALSE if malformed. */
static gboolean
unescape_optional(const char *field, char **out)
{
  *out = NULL;
  if (!field[0])
    return TRUE;
  if (field[0] != '=')
    return FALSE;
  *out = unescape(field + 1);
  return TRUE;
}

/* The same, unescaped in place in @field, which it then points into. */
static gboolean
optional_field(char *field, char **out)
{
  *out = NULL;
  if (!field[0])
    return TRUE;
  if (field[0] != '=')
    return FALSE;
  *out = field + 1;
  if (strchr(*out, '\\')) {
    g_autofree char *plain = g_strcompress(*out);

    strcpy(*out, plain); /* never longer than the escaped text */
  }
  return TRUE;
}

/* The cached index if it is still valid for @roots, else NULL. */
VmiOsIndex *
vmi_os_index_load_cache(const char *path, const char *const *roots)
{
  g_autofree char *buf = NULL;
  g_autofree char *header = cache_header(roots);
  g_autoptr(VmiOsIndex) index = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new();
  VmiOsIndexEntry *last = NULL;
  char *line;
  char *next;

  if (!g_file_get_contents(path, &buf, NULL, NULL))
    return NULL;
  if (!g_str_has_prefix(buf, header))
    return NULL;

  index = vmi_os_index_new();
  for (line = buf + strlen(header); *line; line = next) {
    char **f;
    guint n;

    next = strchr(line, '\n');
    if (!next)
      return NULL; /* truncated */
    *next++ = '\0';
    g_ptr_array_set_size(fields, 0);
    for (char *p = line; p; ) {
      char *tab = strchr(p, '\t');

      if (tab)
        *tab++ = '\0';
      g_ptr_array_add(fields, p);
      p = tab;
    }
    f = (char **)fields->pdata;
    n = fields->len;

    if ((g_str_equal(f[0], "D") || g_str_equal(f[0], "F")) && n == 3) {
      g_autofree char *file = unescape(f[2]);
      g_autofree char *stamp = vmi_os_stamp_of(file);

      if (!g_str_equal(stamp, f[1]))
        return NULL;
    } else if (g_str_equal(f[0], "O") && n >= 5) {
      guint nshort = (guint)g_ascii_strtoull(f[4], NULL, 10);
      VmiOsIndexEntry *e;

      if (nshort > n - 5)
        return NULL;
      e = vmi_os_index_entry_new(unescape(f[1]));
      e->rank = (guint)g_ascii_strtoull(f[2], NULL, 10);
      if (g_str_equal(f[3], "?"))
        e->codename_unknown = TRUE;
      else if (!unescape_optional(f[3], &e->codename)) {
        vmi_os_index_entry_free(e);
        return NULL;
      }
      for (guint j = 0; j < nshort; j++)
        g_ptr_array_add(e->short_ids, unescape(f[5 + j]));
      for (guint j = 5 + nshort; j < n; j++)
        g_ptr_array_add(e->files, unescape(f[j]));
      vmi_os_index_add(index, e);
      last = e;
    } else if (g_str_equal(f[0], "T") && n == 6 && last) {
      char *v[5];

      for (guint j = 0; j < 5; j++) {
        if (!optional_field(f[1 + j], &v[j]))
          return NULL;
      }
      vmi_os_entry_add_tree(last, vmi_os_tree_new(v[0], v[1], v[2], v[3], v[4]));
    } else {
      return NULL;
    }
  }
  vmi_os_index_finish(index);
  return g_steal_pointer(&index);
}

void
vmi_os_index_save_cache(const char *path, const char *const *roots, GString *stamps,
           const VmiOsIndex *index)
{
  gint64 now_sec = g_get_real_time() / G_USEC_PER_SEC;
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = g_strsplit(stamps->str, "\n", -1);

  for (guint i = 0; lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], "\t", 3);

    if (g_strv_length(f) == 3 && vmi_os_stamp_is_racy(f[1], now_sec))
      return;
  }

  /* Any failure only costs the next run a rescan. */
  if (g_mkdir_with_parents(dir, 0700) != 0)
    return;
  text = serialize(roots, stamps, index);
  (void)g_file_set_contents(path, text, -1, NULL);
}
