/*
 * The index of osinfo-db: which files define which OS, and its short ids.
 *
 * Loading the whole database with libosinfo costs ~0.75 s and ~57 MB, most
 * of it for data a command never uses.  The index lets a lookup read only
 * the files of the OS asked for and of the OSes it derives from.  Building
 * it needs every OS file, but only their <os id> and <short-id> elements,
 * which a small scanner finds without building a tree; the result is cached
 * under $XDG_CACHE_HOME/vminstall, stamped with the database directories'
 * mtimes (a package update replaces files by rename, which changes them).
 */
#include "osinfo-private.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vminstall/osinfo.h"

#define CACHE_MAGIC "vminstall-osinfo-index 1"

/* A stamp newer than this (seconds) may hide a change made in the same
 * clock tick as the scan, so such a scan is not cached. */
#define RACY_SECONDS 2

/* ---------------------------------------------------------------- roots */

static char *
pick_existing(const char *path, const char *old_path)
{
  /* libosinfo falls back to the pre-1.0 location only when it exists and
   * the new one does not */
  if (!g_file_test(path, G_FILE_TEST_IS_DIR) &&
      g_file_test(old_path, G_FILE_TEST_IS_DIR))
    return g_strdup(old_path);
  return g_strdup(path);
}

GStrv
vmi_os_db_roots(void)
{
  GPtrArray *roots = g_ptr_array_new();
  const char *env;

  /* Same order and variables as osinfo_loader_process_default_path();
   * the deprecated OSINFO_DATA_DIR still wins over OSINFO_SYSTEM_DIR. */
  if ((env = g_getenv("OSINFO_DATA_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else if ((env = g_getenv("OSINFO_SYSTEM_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else
    g_ptr_array_add(roots, g_strdup("/usr/share/osinfo"));

  if ((env = g_getenv("OSINFO_LOCAL_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else
    g_ptr_array_add(roots, pick_existing("/etc/osinfo", "/etc/libosinfo/db"));

  if ((env = g_getenv("OSINFO_USER_DIR"))) {
    g_ptr_array_add(roots, g_strdup(env));
  } else {
    g_autofree char *user_new =
        g_build_filename(g_get_user_config_dir(), "osinfo", NULL);
    g_autofree char *user_old =
        g_build_filename(g_get_user_config_dir(), "libosinfo", "db", NULL);

    g_ptr_array_add(roots, pick_existing(user_new, user_old));
  }

  g_ptr_array_add(roots, NULL);
  return (GStrv)g_ptr_array_free(roots, FALSE);
}

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

/* ---------------------------------------------------------------- stamps */

static char *
stamp_of(const char *path)
{
  GStatBuf st;

  if (g_stat(path, &st) != 0)
    return g_strdup("-");
  return g_strdup_printf("%llu:%llu:%lld.%09ld", (unsigned long long)st.st_dev,
                         (unsigned long long)st.st_ino,
                         (long long)st.st_mtim.tv_sec,
                         (long)st.st_mtim.tv_nsec);
}

static gboolean
stamp_is_racy(const char *stamp, gint64 now_sec)
{
  const char *mtime = strrchr(stamp, ':');

  if (!mtime)
    return FALSE;
  return g_ascii_strtoll(mtime + 1, NULL, 10) >= now_sec - RACY_SECONDS;
}

static void
add_stamp(GString *stamps, char kind, const char *path, const char *stamp)
{
  g_autofree char *esc = g_strescape(path, NULL);

  if (stamps)
    g_string_append_printf(stamps, "%c\t%s\t%s\n", kind, stamp, esc);
}

/* ---------------------------------------------------------------- scanning */

typedef struct {
  char *id;
  GPtrArray *short_ids;
} ScannedOs;

static void
scanned_os_free(gpointer data)
{
  ScannedOs *s = data;

  g_free(s->id);
  g_ptr_array_unref(s->short_ids);
  g_free(s);
}

/* Decodes XML character data; FALSE when it holds something only a real
 * XML parser can resolve (a DTD entity, a raw line break). */
static gboolean
decode_text(const char *start, const char *end, gboolean attribute,
            char **out)
{
  GString *s = g_string_sized_new(end - start);

  for (const char *p = start; p < end; p++) {
    if (*p == '\r' || (!attribute && (*p == '\n' || *p == '\t'))) {
      g_string_free(s, TRUE);
      return FALSE;
    }
    if (*p == '\n' || *p == '\t') {
      /* attribute value normalisation */
      g_string_append_c(s, ' ');
      continue;
    }
    if (*p != '&') {
      g_string_append_c(s, *p);
      continue;
    }
    {
      const char *semi = memchr(p, ';', end - p);
      gsize n = semi ? (gsize)(semi - p - 1) : 0;
      const char *name = p + 1;

      if (!semi || n == 0) {
        g_string_free(s, TRUE);
        return FALSE;
      }
      if (n == 2 && strncmp(name, "lt", 2) == 0) {
        g_string_append_c(s, '<');
      } else if (n == 2 && strncmp(name, "gt", 2) == 0) {
        g_string_append_c(s, '>');
      } else if (n == 3 && strncmp(name, "amp", 3) == 0) {
        g_string_append_c(s, '&');
      } else if (n == 4 && strncmp(name, "quot", 4) == 0) {
        g_string_append_c(s, '"');
      } else if (n == 4 && strncmp(name, "apos", 4) == 0) {
        g_string_append_c(s, '\'');
      } else if (name[0] == '#' && n > 1) {
        g_autofree char *num = g_strndup(name + 1, n - 1);
        char *numend = NULL;
        guint64 cp;

        if (num[0] == 'x')
          cp = g_ascii_strtoull(num + 1, &numend, 16);
        else
          cp = g_ascii_strtoull(num, &numend, 10);
        if (!numend || *numend || numend == num || cp == 0 || cp > 0x10FFFF) {
          g_string_free(s, TRUE);
          return FALSE;
        }
        g_string_append_unichar(s, (gunichar)cp);
      } else {
        g_string_free(s, TRUE);
        return FALSE;
      }
      p = semi;
    }
  }
  *out = g_string_free(s, FALSE);
  return TRUE;
}

static const char *
find_str(const char *p, const char *end, const char *needle)
{
  gsize n = strlen(needle);

  for (; p + n <= end; p++) {
    p = memchr(p, needle[0], end - p);
    if (!p || p + n > end)
      return NULL;
    if (memcmp(p, needle, n) == 0)
      return p;
  }
  return NULL;
}

/* Finds every <os id> at the top level of a database file and its
 * <short-id> children, reading the text directly.  Returns FALSE when the
 * file uses XML this scanner does not handle (DTD, CDATA, an encoding
 * other than UTF-8...); the caller then asks libxml2. */
static gboolean
quick_scan(const char *buf, gsize len, GPtrArray *oses)
{
  const char *p = buf;
  const char *end = buf + len;
  int depth = 0;
  ScannedOs *cur = NULL;

  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end) {
    const char *lt = memchr(p, '<', end - p);
    const char *name;
    gsize name_len;
    gboolean closing = FALSE;
    gboolean self_closing = FALSE;
    g_autofree char *id = NULL;

    if (!lt)
      break;
    p = lt;
    if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
      const char *q = find_str(p + 4, end, "-->");
      if (!q)
        return FALSE;
      p = q + 3;
      continue;
    }
    if (end - p >= 2 && p[1] == '?') {
      const char *q = find_str(p + 2, end, "?>");
      g_autofree char *decl = NULL;

      if (!q)
        return FALSE;
      decl = g_ascii_strdown(p, q - p);
      if (strstr(decl, "encoding") && !strstr(decl, "utf-8"))
        return FALSE;
      p = q + 2;
      continue;
    }
    if (end - p >= 2 && p[1] == '!')
      return FALSE; /* DOCTYPE or CDATA */

    p++;
    if (p < end && *p == '/') {
      closing = TRUE;
      p++;
    }
    name = p;
    while (p < end && !g_ascii_isspace(*p) && *p != '>' && *p != '/')
      p++;
    name_len = p - name;
    if (name_len == 0)
      return FALSE;

    /* attributes: name = "value" | 'value' */
    for (;;) {
      const char *attr;
      gsize attr_len;
      char quote;
      const char *val;

      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end)
        return FALSE;
      if (*p == '>') {
        p++;
        break;
      }
      if (*p == '/') {
        if (p + 1 >= end || p[1] != '>')
          return FALSE;
        self_closing = TRUE;
        p += 2;
        break;
      }
      if (closing)
        return FALSE;
      attr = p;
      while (p < end && *p != '=' && !g_ascii_isspace(*p) && *p != '>')
        p++;
      attr_len = p - attr;
      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end || *p != '=')
        return FALSE;
      p++;
      while (p < end && g_ascii_isspace(*p))
        p++;
      if (p >= end || (*p != '"' && *p != '\''))
        return FALSE;
      quote = *p++;
      val = p;
      p = memchr(p, quote, end - p);
      if (!p)
        return FALSE;
      if (depth == 1 && name_len == 2 && memcmp(name, "os", 2) == 0 &&
          attr_len == 2 && memcmp(attr, "id", 2) == 0) {
        g_free(id);
        if (!decode_text(val, p, TRUE, &id))
          return FALSE;
      }
      p++;
    }

    if (closing) {
      depth--;
      if (depth < 0)
        return FALSE;
      if (depth == 1)
        cur = NULL;
      continue;
    }

    if (depth == 1 && name_len == 2 && memcmp(name, "os", 2) == 0) {
      cur = NULL;
      /* libosinfo refuses an <os> without id; so do we */
      if (id) {
        cur = g_new0(ScannedOs, 1);
        cur->id = g_steal_pointer(&id);
        cur->short_ids = g_ptr_array_new_with_free_func(g_free);
        g_ptr_array_add(oses, cur);
      }
    } else if (depth == 2 && cur && !self_closing && name_len == 8 &&
               memcmp(name, "short-id", 8) == 0) {
      const char *text_end = memchr(p, '<', end - p);
      char *text = NULL;

      if (!text_end || end - text_end < 11 ||
          memcmp(text_end, "</short-id>", 11) != 0)
        return FALSE;
      if (!decode_text(p, text_end, FALSE, &text))
        return FALSE;
      /* an empty <short-id/> has no text child: libosinfo cannot use it */
      if (text[0])
        g_ptr_array_add(cur->short_ids, text);
      else
        g_free(text);
      p = text_end + 11;
      continue;
    }

    if (!self_closing)
      depth++;
  }
  return depth == 0;
}

/* The same answer as quick_scan(), from a real XML parser.  A file libxml2
 * cannot parse defines nothing here; looking up an OS whose files include
 * it reports the parse error. */
static void
xml_scan(const char *buf, gsize len, const char *file, GPtrArray *oses)
{
  xmlDocPtr doc;
  xmlNodePtr root;

  if (len > G_MAXINT)
    return;
  doc = xmlReadMemory(buf, (int)len, file, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR |
                          XML_PARSE_NOWARNING);
  if (!doc)
    return;
  root = xmlDocGetRootElement(doc);
  for (xmlNodePtr it = root ? root->children : NULL; it; it = it->next) {
    xmlChar *id;
    ScannedOs *s;

    if (it->type != XML_ELEMENT_NODE || !xmlStrEqual(it->name, BAD_CAST "os"))
      continue;
    id = xmlGetProp(it, BAD_CAST "id");
    if (!id)
      continue;
    s = g_new0(ScannedOs, 1);
    s->id = g_strdup((const char *)id);
    s->short_ids = g_ptr_array_new_with_free_func(g_free);
    xmlFree(id);
    for (xmlNodePtr c = it->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE &&
          xmlStrEqual(c->name, BAD_CAST "short-id") && c->children &&
          c->children->type == XML_TEXT_NODE)
        g_ptr_array_add(s->short_ids,
                        g_strdup((const char *)c->children->content));
    }
    g_ptr_array_add(oses, s);
  }
  xmlFreeDoc(doc);
}

static void
scan_file(const char *file, GPtrArray *oses)
{
  g_autofree char *buf = NULL;
  gsize len = 0;

  /* a file that vanished or is unreadable is skipped, as libosinfo skips
   * missing locations */
  if (!g_file_get_contents(file, &buf, &len, NULL) || len == 0)
    return;
  if (quick_scan(buf, len, oses))
    return;
  g_ptr_array_set_size(oses, 0);
  xml_scan(buf, len, file, oses);
}

/* The files one root gives to one key (a path like os/vendor/name). */
typedef struct {
  char *master;
  GPtrArray *extensions;
} KeyFiles;

static KeyFiles *
key_files_new(void)
{
  KeyFiles *kf = g_new0(KeyFiles, 1);

  kf->extensions = g_ptr_array_new_with_free_func(g_free);
  return kf;
}

static void
key_files_free(gpointer data)
{
  KeyFiles *kf = data;

  g_free(kf->master);
  g_ptr_array_unref(kf->extensions);
  g_free(kf);
}

static KeyFiles *
key_files_get(GHashTable *keys, const char *key)
{
  KeyFiles *kf = g_hash_table_lookup(keys, key);

  if (!kf) {
    kf = key_files_new();
    g_hash_table_insert(keys, g_strdup(key), kf);
  }
  return kf;
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
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

static void
scan_extension_dir(const char *dir, KeyFiles *kf, gboolean stamp_files,
                   GString *stamps)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *stamp = stamp_of(dir);

  add_stamp(stamps, 'D', dir, stamp);
  names = sorted_dir(dir);
  for (guint i = 0; names && i < names->len; i++) {
    DirEntry *de = names->pdata[i];
    const char *name = de->name;
    char *path;

    if (de->is_dir || !g_str_has_suffix(name, ".xml"))
      continue;
    path = g_build_filename(dir, name, NULL);
    if (stamp_files) {
      g_autofree char *fstamp = stamp_of(path);
      add_stamp(stamps, 'F', path, fstamp);
    }
    g_ptr_array_add(kf->extensions, path);
  }
}

/* Scans one directory level below <root>/os; @prefix is the key prefix
 * ("os/" or "os/vendor/").  OS files can only live at most one vendor
 * directory deep, because libosinfo requires the path to match the id. */
static void
scan_os_dir(const char *dir, const char *prefix, gboolean descend,
            GHashTable *keys, gboolean stamp_files, GString *stamps)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *stamp = stamp_of(dir);

  add_stamp(stamps, 'D', dir, stamp);
  names = sorted_dir(dir);
  for (guint i = 0; names && i < names->len; i++) {
    DirEntry *de = names->pdata[i];
    const char *name = de->name;
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (!de->is_dir && g_str_has_suffix(name, ".xml")) {
      g_autofree char *base = g_strndup(name, strlen(name) - 4);
      g_autofree char *key = g_strconcat(prefix, base, NULL);
      KeyFiles *kf = key_files_get(keys, key);

      g_free(kf->master);
      kf->master = g_strdup(path);
      if (stamp_files) {
        g_autofree char *fstamp = stamp_of(path);
        add_stamp(stamps, 'F', path, fstamp);
      }
    } else if (de->is_dir) {
      if (g_str_has_suffix(name, ".d")) {
        g_autofree char *base = g_strndup(name, strlen(name) - 2);
        g_autofree char *key = g_strconcat(prefix, base, NULL);

        scan_extension_dir(path, key_files_get(keys, key), stamp_files,
                           stamps);
      } else if (descend && !g_str_equal(name, "schema")) {
        g_autofree char *sub = g_strconcat(prefix, name, "/", NULL);

        scan_os_dir(path, sub, FALSE, keys, stamp_files, stamps);
      }
    }
  }
}

static void
index_clear(gpointer data)
{
  VmiOsIndex *index = data;

  g_ptr_array_unref(index->entries);
  g_hash_table_unref(index->by_id);
  g_hash_table_unref(index->by_short_id);
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

static void
index_entry_free(gpointer data)
{
  VmiOsIndexEntry *e = data;

  g_free(e->id);
  g_ptr_array_unref(e->short_ids);
  g_ptr_array_unref(e->files);
  g_free(e);
}

static VmiOsIndex *
index_new(void)
{
  VmiOsIndex *index = g_rc_box_new0(VmiOsIndex);

  index->entries = g_ptr_array_new_with_free_func(index_entry_free);
  index->by_id = g_hash_table_new(g_str_hash, g_str_equal);
  index->by_short_id = g_hash_table_new(g_str_hash, g_str_equal);
  return index;
}

static void
index_add(VmiOsIndex *index, VmiOsIndexEntry *e)
{
  g_ptr_array_add(index->entries, e);
  g_hash_table_insert(index->by_id, e->id, e);
  for (guint i = 0; i < e->short_ids->len; i++) {
    if (!g_hash_table_contains(index->by_short_id, e->short_ids->pdata[i]))
      g_hash_table_insert(index->by_short_id, e->short_ids->pdata[i], e);
  }
}

/* Whether libosinfo accepts @id from @file, which holds @key's data. */
static gboolean
id_matches_key(const char *id, const char *key)
{
  g_autofree char *expected = vmi_os_id_to_key(id);

  return g_str_equal(expected, key);
}

VmiOsIndex *
vmi_os_index_scan(const char *const *roots, GString *stamps)
{
  g_autoptr(GHashTable) all =
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, key_files_free);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(VmiOsIndex) index = index_new();

  for (guint r = 0; roots[r]; r++) {
    g_autoptr(GHashTable) mine =
        g_hash_table_new_full(g_str_hash, g_str_equal, g_free, key_files_free);
    g_autofree char *root_stamp = stamp_of(roots[r]);
    g_autofree char *os_dir = g_build_filename(roots[r], "os", NULL);
    GHashTableIter iter;
    gpointer k, v;

    add_stamp(stamps, 'D', roots[r], root_stamp);
    if (g_str_equal(root_stamp, "-"))
      continue;
    /* package-managed files change by rename, which the directory stamps
     * see; files in the local and user locations may be edited in place */
    scan_os_dir(os_dir, "os/", TRUE, mine, r > 0, stamps);

    /* A later location's master file replaces a key entirely; extension
     * files without a master add to what earlier locations gave. */
    g_hash_table_iter_init(&iter, mine);
    while (g_hash_table_iter_next(&iter, &k, &v)) {
      KeyFiles *kf = v;
      KeyFiles *old = g_hash_table_lookup(all, k);

      if (!old || kf->master) {
        g_hash_table_iter_steal(&iter);
        g_hash_table_replace(all, k, kf);
      } else {
        for (guint i = 0; i < kf->extensions->len; i++)
          g_ptr_array_add(old->extensions, g_strdup(kf->extensions->pdata[i]));
      }
    }
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
    KeyFiles *kf = g_hash_table_lookup(all, key);
    g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
    g_autoptr(GPtrArray) found = g_ptr_array_new();

    if (kf->master)
      g_ptr_array_add(files, g_strdup(kf->master));
    for (guint j = 0; j < kf->extensions->len; j++)
      g_ptr_array_add(files, g_strdup(kf->extensions->pdata[j]));

    for (guint j = 0; j < files->len; j++) {
      g_autoptr(GPtrArray) oses = g_ptr_array_new_with_free_func(scanned_os_free);

      scan_file(files->pdata[j], oses);
      for (guint o = 0; o < oses->len; o++) {
        ScannedOs *s = oses->pdata[o];
        VmiOsIndexEntry *e = NULL;

        if (!id_matches_key(s->id, key))
          continue;
        for (guint f = 0; f < found->len; f++) {
          if (g_str_equal(((VmiOsIndexEntry *)found->pdata[f])->id, s->id))
            e = found->pdata[f];
        }
        if (!e) {
          e = g_new0(VmiOsIndexEntry, 1);
          e->id = g_strdup(s->id);
          e->short_ids = g_ptr_array_new_with_free_func(g_free);
          e->files = g_ptr_array_new_with_free_func(g_free);
          for (guint f = 0; f < files->len; f++)
            g_ptr_array_add(e->files, g_strdup(files->pdata[f]));
          g_ptr_array_add(found, e);
        }
        for (guint sid = 0; sid < s->short_ids->len; sid++)
          g_ptr_array_add(e->short_ids, g_strdup(s->short_ids->pdata[sid]));
      }
    }
    for (guint f = 0; f < found->len; f++)
      index_add(index, found->pdata[f]);
  }

  return g_steal_pointer(&index);
}

/* ---------------------------------------------------------------- cache */

static char *
cache_header(const char *const *roots)
{
  GString *s = g_string_new(CACHE_MAGIC "\n");

  for (guint r = 0; roots[r]; r++) {
    g_autofree char *esc = g_strescape(roots[r], NULL);
    g_string_append_printf(s, "R\t%s\n", esc);
  }
  return g_string_free(s, FALSE);
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

    g_string_append_printf(s, "O\t%s\t%u", id, e->short_ids->len);
    for (guint j = 0; j < e->short_ids->len; j++) {
      g_autofree char *esc = g_strescape(e->short_ids->pdata[j], NULL);
      g_string_append_printf(s, "\t%s", esc);
    }
    for (guint j = 0; j < e->files->len; j++) {
      g_autofree char *esc = g_strescape(e->files->pdata[j], NULL);
      g_string_append_printf(s, "\t%s", esc);
    }
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

static char *
unescape(const char *field)
{
  /* g_strescape() output only needs undoing where it escaped something */
  return strchr(field, '\\') ? g_strcompress(field) : g_strdup(field);
}

/* The cached index if it is still valid for @roots, else NULL. */
static VmiOsIndex *
load_cache(const char *path, const char *const *roots)
{
  g_autofree char *buf = NULL;
  g_autofree char *header = cache_header(roots);
  g_autoptr(VmiOsIndex) index = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new();
  char *line;
  char *next;

  if (!g_file_get_contents(path, &buf, NULL, NULL))
    return NULL;
  if (!g_str_has_prefix(buf, header))
    return NULL;

  index = index_new();
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
      g_autofree char *stamp = stamp_of(file);

      if (!g_str_equal(stamp, f[1]))
        return NULL;
    } else if (g_str_equal(f[0], "O") && n >= 3) {
      guint nshort = (guint)g_ascii_strtoull(f[2], NULL, 10);
      VmiOsIndexEntry *e;

      if (nshort > n - 3)
        return NULL;
      e = g_new0(VmiOsIndexEntry, 1);
      e->id = unescape(f[1]);
      e->short_ids = g_ptr_array_new_full(nshort, g_free);
      e->files = g_ptr_array_new_full(n - 3 - nshort, g_free);
      for (guint j = 0; j < nshort; j++)
        g_ptr_array_add(e->short_ids, unescape(f[3 + j]));
      for (guint j = 3 + nshort; j < n; j++)
        g_ptr_array_add(e->files, unescape(f[j]));
      index_add(index, e);
    } else {
      return NULL;
    }
  }
  return g_steal_pointer(&index);
}

static void
save_cache(const char *path, const char *const *roots, GString *stamps,
           const VmiOsIndex *index)
{
  gint64 now_sec = g_get_real_time() / G_USEC_PER_SEC;
  g_autofree char *dir = g_path_get_dirname(path);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = g_strsplit(stamps->str, "\n", -1);

  for (guint i = 0; lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], "\t", 3);

    if (g_strv_length(f) == 3 && stamp_is_racy(f[1], now_sec))
      return;
  }

  /* Any failure only costs the next run a rescan. */
  if (g_mkdir_with_parents(dir, 0700) != 0)
    return;
  text = serialize(roots, stamps, index);
  (void)g_file_set_contents(path, text, -1, NULL);
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
  index = load_cache(path, (const char *const *)roots);
  if (!index) {
    g_autoptr(GString) stamps = g_string_new(NULL);

    index = vmi_os_index_scan((const char *const *)roots, stamps);
    save_cache(path, (const char *const *)roots, stamps, index);
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
