/*
 * .treeinfo files, read the way Python's configparser reads them (anaconda
 * and virt-install both use it): "[section]" lines, "key = value" or
 * "key: value" options, full-line comments starting with '#' or ';',
 * indented lines continuing the previous value.  Section names are
 * case-sensitive, option names are not.  Fuzzed by fuzz/fuzz-treeinfo.c.
 */
#include <string.h>
#include "media-private.h"
#include "vminstall/error.h"

struct _VmiTreeinfo {
  GHashTable *sections;   /* name -> GHashTable (lower-case key -> value) */
};

void
vmi_treeinfo_free(VmiTreeinfo *ti)
{
  if (!ti)
    return;
  g_hash_table_unref(ti->sections);
  g_free(ti);
}

const char *
vmi_treeinfo_get(const VmiTreeinfo *ti, const char *section, const char *key)
{
  GHashTable *opts = g_hash_table_lookup(ti->sections, section);
  g_autofree char *lower = NULL;

  if (!opts)
    return NULL;
  lower = g_ascii_strdown(key, -1);
  return g_hash_table_lookup(opts, lower);
}

static gboolean
blank(const char *s)
{
  for (; *s; s++)
    if (!g_ascii_isspace(*s))
      return FALSE;
  return TRUE;
}

VmiTreeinfo *
vmi_treeinfo_parse(const char *text, gsize len, GError **error)
{
  g_autoptr(VmiTreeinfo) ti = g_new0(VmiTreeinfo, 1);
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *cur = NULL;
  char *cur_key = NULL;     /* borrowed from @cur */
  gsize cur_indent = 0;
  guint lineno = 0;

  ti->sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_hash_table_unref);
  if (len > VMI_MEDIA_MAX_SMALL_FILE) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "treeinfo: too large (%" G_GSIZE_FORMAT
                " bytes)", len);
    return NULL;
  }
  copy = g_strndup(text, len);   /* stops at a NUL, like a text read */
  lines = g_strsplit(copy, "\n", -1);
  for (char **l = lines; *l; l++) {
    char *line = *l;
    gsize n = strlen(line);
    gsize indent = strspn(line, " \t");
    char *stripped;

    lineno++;
    if (n && line[n - 1] == '\r')
      line[--n] = '\0';
    stripped = g_strstrip(g_strdup(line));
    if (*stripped == '#' || *stripped == ';') {
      g_free(stripped);
      continue;
    }
    if (!*stripped) {
      /* a blank line ends a value */
      cur_key = NULL;
      g_free(stripped);
      continue;
    }
    if (cur_key && indent > cur_indent) {
      const char *old = g_hash_table_lookup(cur, cur_key);
      g_hash_table_insert(cur, g_strdup(cur_key), g_strdup_printf("%s\n%s", old, stripped));
      /* the key string in the table was replaced: find it again */
      g_hash_table_lookup_extended(cur, cur_key, (gpointer *)&cur_key, NULL);
      g_free(stripped);
      continue;
    }
    if (line[0] == '[') {
      char *end = strrchr(line, ']');
      g_autofree char *name = NULL;

      if (!end || end == line + 1) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                    "treeinfo line %u: malformed section header", lineno);
        g_free(stripped);
        return NULL;
      }
      name = g_strndup(line + 1, (gsize)(end - line - 1));
      cur = g_hash_table_lookup(ti->sections, name);
      if (!cur) {
        cur = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        g_hash_table_insert(ti->sections, g_steal_pointer(&name), cur);
      }
      cur_key = NULL;
      g_free(stripped);
      continue;
    }
    {
      char *delim = stripped + strcspn(stripped, "=:");
      g_autofree char *key = NULL;

      if (!*delim || delim == stripped || !cur) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "treeinfo line %u: %s", lineno,
                    cur ? "expected 'key = value'" : "an option before any [section]");
        g_free(stripped);
        return NULL;
      }
      *delim = '\0';
      key = g_ascii_strdown(g_strchomp(stripped), -1);
      if (blank(key)) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID, "treeinfo line %u: empty key",
                    lineno);
        g_free(stripped);
        return NULL;
      }
      g_hash_table_insert(cur, g_strdup(key), g_strstrip(g_strdup(delim + 1)));
      g_hash_table_lookup_extended(cur, key, (gpointer *)&cur_key, NULL);
      cur_indent = indent;
    }
    g_free(stripped);
  }
  return g_steal_pointer(&ti);
}
