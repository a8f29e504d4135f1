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
#include "osinfo-private.h"

#include <dirent.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osinfo.h"

#define CACHE_MAGIC "vminstall-osinfo-index 2"

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

/* One <tree> element, in the order of its <os> element's trees. */
typedef struct {
  char *arch, *family, *variant, *version, *treeinfo_arch;
  gboolean has_treeinfo; /* any element inside <treeinfo> */
} ScannedTree;

static void
scanned_tree_free(gpointer data)
{
  ScannedTree *t = data;

  g_free(t->arch);
  g_free(t->family);
  g_free(t->variant);
  g_free(t->version);
  g_free(t->treeinfo_arch);
  g_free(t);
}

enum { REL_DERIVES, REL_CLONES, REL_UPGRADES, N_RELS };

static const char *const rel_names[N_RELS] = { "derives-from", "clones",
                                               "upgrades" };

/* One top-level <os> element of a file. */
typedef struct {
  char *id;
  GPtrArray *short_ids;
  GPtrArray *rels[N_RELS];  /* ids, each kind in document order */
  gboolean seen_codename;
  char *codename;           /* whole text of the first <codename> */
  gboolean codename_unknown;
  GPtrArray *trees;         /* ScannedTree * */
} ScannedOs;

static ScannedOs *
scanned_os_new(char *id)
{
  ScannedOs *s = g_new0(ScannedOs, 1);

  s->id = id;
  s->short_ids = g_ptr_array_new_with_free_func(g_free);
  for (int k = 0; k < N_RELS; k++)
    s->rels[k] = g_ptr_array_new_with_free_func(g_free);
  s->trees = g_ptr_array_new_with_free_func(scanned_tree_free);
  return s;
}

static void
scanned_os_free(gpointer data)
{
  ScannedOs *s = data;

  g_free(s->id);
  g_ptr_array_unref(s->short_ids);
  for (int k = 0; k < N_RELS; k++)
    g_ptr_array_unref(s->rels[k]);
  g_free(s->codename);
  g_ptr_array_unref(s->trees);
  g_free(s);
}

/* Where the <treeinfo> child element @name goes in @tree, or NULL. */
static char **
treeinfo_field(ScannedTree *tree, const char *name, gsize len)
{
  if (len == 6 && memcmp(name, "family", 6) == 0)
    return &tree->family;
  if (len == 7 && memcmp(name, "variant", 7) == 0)
    return &tree->variant;
  if (len == 7 && memcmp(name, "version", 7) == 0)
    return &tree->version;
  if (len == 4 && memcmp(name, "arch", 4) == 0)
    return &tree->treeinfo_arch;
  return NULL;
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

static gboolean
name_is(const char *name, gsize len, const char *want)
{
  gsize n = strlen(want);

  return len == n && memcmp(name, want, n) == 0;
}

static int
rel_kind(const char *name, gsize len)
{
  for (int k = 0; k < N_RELS; k++) {
    if (name_is(name, len, rel_names[k]))
      return k;
  }
  return -1;
}

/* "lang" under any prefix, as the record reader reads xml:lang */
static gboolean
is_lang_attr(const char *attr, gsize len)
{
  return len >= 4 && memcmp(attr + len - 4, "lang", 4) == 0 &&
         (len == 4 || attr[len - 5] == ':');
}

/* Finds every <os id> at the top level of a database file and what the
 * index keeps of it (short ids, relations, codename, trees), reading the
 * text directly.  Returns FALSE when the file uses XML this scanner does
 * not handle (DTD, CDATA, an encoding other than UTF-8...); the caller
 * then asks libxml2. */
static gboolean
quick_scan(const char *buf, gsize len, GPtrArray *oses)
{
  const char *p = buf;
  const char *end = buf + len;
  int depth = 0;
  ScannedOs *cur = NULL;
  ScannedTree *tree = NULL; /* the open <tree> of cur */
  gboolean in_treeinfo = FALSE;

  if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  while (p < end) {
    const char *lt = memchr(p, '<', end - p);
    const char *name;
    gsize name_len;
    gboolean closing = FALSE;
    gboolean self_closing = FALSE;
    gboolean want_id = FALSE, want_arch = FALSE, want_lang = FALSE;
    gboolean has_lang = FALSE;
    int rel = -1;
    g_autofree char *id = NULL;
    g_autofree char *arch = NULL;

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

    /* the attributes that matter for this element */
    if (!closing && depth == 1) {
      want_id = name_is(name, name_len, "os");
    } else if (!closing && depth == 2 && cur) {
      rel = rel_kind(name, name_len);
      want_id = rel >= 0;
      want_arch = name_is(name, name_len, "tree");
      want_lang = name_is(name, name_len, "codename");
    }

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
      if (want_id && name_is(attr, attr_len, "id")) {
        g_clear_pointer(&id, g_free);
        if (!decode_text(val, p, TRUE, &id))
          return FALSE;
      } else if (want_arch && name_is(attr, attr_len, "arch")) {
        g_clear_pointer(&arch, g_free);
        if (!decode_text(val, p, TRUE, &arch))
          return FALSE;
      } else if (want_lang && is_lang_attr(attr, attr_len)) {
        has_lang = TRUE;
      }
      p++;
    }

    if (closing) {
      depth--;
      if (depth < 0)
        return FALSE;
      if (depth <= 1)
        cur = NULL;
      if (depth <= 2)
        tree = NULL;
      if (depth <= 3)
        in_treeinfo = FALSE;
      continue;
    }

    if (depth == 1 && name_is(name, name_len, "os")) {
      cur = NULL;
      tree = NULL;
      in_treeinfo = FALSE;
      /* libosinfo refuses an <os> without id; so do we */
      if (id) {
        cur = scanned_os_new(g_steal_pointer(&id));
        g_ptr_array_add(oses, cur);
      }
    } else if (depth == 2 && cur && !self_closing &&
               name_is(name, name_len, "short-id")) {
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
    } else if (depth == 2 && cur && rel >= 0) {
      /* libosinfo fails to load a relation without id; the record
       * reader reports that */
      if (id)
        g_ptr_array_add(cur->rels[rel], g_steal_pointer(&id));
    } else if (depth == 2 && cur && want_lang) {
      /* a translated codename: only the record reader, which knows the
       * user's languages, can tell */
      if (has_lang)
        cur->codename_unknown = TRUE;
      if (!cur->seen_codename && !self_closing) {
        const char *text_end = memchr(p, '<', end - p);

        if (!text_end)
          return FALSE;
        if (end - text_end >= 11 && memcmp(text_end, "</codename>", 11) == 0) {
          char *text = NULL;

          if (!decode_text(p, text_end, FALSE, &text))
            return FALSE;
          if (text[0])
            cur->codename = text;
          else
            g_free(text);
        } else {
          /* markup inside: the whole text is the record reader's job */
          cur->codename_unknown = TRUE;
        }
      }
      cur->seen_codename = TRUE;
    } else if (depth == 2 && cur && want_arch) {
      ScannedTree *t = g_new0(ScannedTree, 1);

      t->arch = g_steal_pointer(&arch);
      g_ptr_array_add(cur->trees, t);
      tree = self_closing ? NULL : t;
    } else if (depth == 3 && tree && !self_closing &&
               name_is(name, name_len, "treeinfo")) {
      in_treeinfo = TRUE;
    } else if (depth == 4 && in_treeinfo) {
      char **field = treeinfo_field(tree, name, name_len);

      /* libosinfo reads the first child of each element, if text */
      tree->has_treeinfo = TRUE;
      if (field && !self_closing) {
        const char *text_end = memchr(p, '<', end - p);
        char *text = NULL;

        if (!text_end)
          return FALSE;
        if (text_end > p) {
          if (!decode_text(p, text_end, FALSE, &text))
            return FALSE;
          g_free(*field);
          *field = text;
        }
      }
    }

    if (!self_closing)
      depth++;
  }
  return depth == 0;
}

static gboolean
xml_has_lang(xmlNodePtr node)
{
  for (xmlAttrPtr a = node->properties; a; a = a->next) {
    if (xmlStrEqual(a->name, BAD_CAST "lang"))
      return TRUE;
  }
  return FALSE;
}

static char *
xml_prop(xmlNodePtr node, const char *name)
{
  xmlChar *v = xmlGetProp(node, BAD_CAST name);
  char *ret = v ? g_strdup((const char *)v) : NULL;

  xmlFree(v);
  return ret;
}

static void
xml_scan_tree(xmlNodePtr node, ScannedOs *s)
{
  ScannedTree *t = g_new0(ScannedTree, 1);

  t->arch = xml_prop(node, "arch");
  g_ptr_array_add(s->trees, t);
  /* libosinfo: every element child of <treeinfo>, the first child of
   * each if text */
  for (xmlNodePtr ti = node->children; ti; ti = ti->next) {
    if (ti->type != XML_ELEMENT_NODE ||
        !xmlStrEqual(ti->name, BAD_CAST "treeinfo"))
      continue;
    for (xmlNodePtr f = ti->children; f; f = f->next) {
      char **field;

      if (f->type != XML_ELEMENT_NODE)
        continue;
      t->has_treeinfo = TRUE;
      field = treeinfo_field(t, (const char *)f->name,
                             strlen((const char *)f->name));
      if (field && f->children && f->children->type == XML_TEXT_NODE) {
        g_free(*field);
        *field = g_strdup((const char *)f->children->content);
      }
    }
  }
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
    char *id;
    ScannedOs *s;

    if (it->type != XML_ELEMENT_NODE || !xmlStrEqual(it->name, BAD_CAST "os"))
      continue;
    id = xml_prop(it, "id");
    if (!id)
      continue;
    s = scanned_os_new(id);
    for (xmlNodePtr c = it->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      if (xmlStrEqual(c->name, BAD_CAST "short-id")) {
        if (c->children && c->children->type == XML_TEXT_NODE)
          g_ptr_array_add(s->short_ids,
                          g_strdup((const char *)c->children->content));
      } else if (xmlStrEqual(c->name, BAD_CAST "codename")) {
        if (xml_has_lang(c))
          s->codename_unknown = TRUE;
        if (!s->seen_codename) {
          xmlChar *text = xmlNodeGetContent(c);

          if (text && text[0])
            s->codename = g_strdup((const char *)text);
          xmlFree(text);
        }
        s->seen_codename = TRUE;
      } else if (xmlStrEqual(c->name, BAD_CAST "tree")) {
        xml_scan_tree(c, s);
      } else {
        int k = rel_kind((const char *)c->name, strlen((const char *)c->name));
        char *rel_id = k >= 0 ? xml_prop(c, "id") : NULL;

        if (rel_id)
          g_ptr_array_add(s->rels[k], rel_id);
      }
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

/* What one database location holds, as libosinfo's loader gathers it. */
typedef struct {
  /* every key (os/, device/, platform/...) as libosinfo names it
   * ("/os/vendor/name"), in the order its directory walk first meets it */
  GPtrArray *keys;
  GHashTable *seen; /* the same strings */
  GHashTable *os;   /* "os/vendor/name" -> KeyFiles * */
} RootScan;

/* deeper means a symlink loop, which libosinfo would not survive either */
#define MAX_WALK_DEPTH 32

/* libosinfo's osinfo_loader_find_files(): every *.xml file below a
 * location, directories in strcmp order, any directory named "schema"
 * skipped; a file's key is its path without ".xml", or for a file in a
 * directory "NAME.d", that directory's path without ".d". */
static void
walk_dir(const char *dir, const char *rel, int level, RootScan *rs,
         gboolean stamp_files, GString *stamps)
{
  g_autoptr(GPtrArray) names = NULL;
  g_autofree char *stamp = stamp_of(dir);

  add_stamp(stamps, 'D', dir, stamp);
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
        walk_dir(path, relpath, level + 1, rs, stamp_files, stamps);
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
      KeyFiles *kf = key_files_get(rs->os, key);

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
        g_autofree char *fstamp = stamp_of(path);
        add_stamp(stamps, 'F', path, fstamp);
      }
    }
  }
}

/* ---------------------------------------------------------------- index */

/* A tree and its strings in one block, which g_free() frees: trees are
 * many and their strings short. */
static VmiOsTree *
tree_new(const char *arch, const char *family, const char *variant,
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

static void
entry_add_tree(VmiOsIndexEntry *e, VmiOsTree *tree)
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

static VmiOsIndexEntry *
index_entry_new(char *id)
{
  VmiOsIndexEntry *e = g_new0(VmiOsIndexEntry, 1);

  e->id = id;
  e->short_ids = g_ptr_array_new_with_free_func(g_free);
  e->files = g_ptr_array_new_with_free_func(g_free);
  e->rank = G_MAXUINT;
  return e;
}

static void
index_entry_free(gpointer data)
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

static VmiOsIndex *
index_new(void)
{
  VmiOsIndex *index = g_rc_box_new0(VmiOsIndex);

  index->entries = g_ptr_array_new_with_free_func(index_entry_free);
  index->by_id = g_hash_table_new(g_str_hash, g_str_equal);
  index->by_short_id = g_hash_table_new(g_str_hash, g_str_equal);
  index->with_trees = g_ptr_array_new();
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

static gint
compare_rank(gconstpointer a, gconstpointer b)
{
  const VmiOsIndexEntry *x = *(VmiOsIndexEntry *const *)a;
  const VmiOsIndexEntry *y = *(VmiOsIndexEntry *const *)b;

  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* Done once all entries are in. */
static void
index_finish(VmiOsIndex *index)
{
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];

    if (e->trees)
      g_ptr_array_add(index->with_trees, e);
  }
  g_ptr_array_sort(index->with_trees, compare_rank);
}

/* Whether libosinfo accepts @id from @file, which holds @key's data. */
static gboolean
id_matches_key(const char *id, const char *key)
{
  g_autofree char *expected = vmi_os_id_to_key(id);

  return g_str_equal(expected, key);
}

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
static void
assign_ranks(VmiOsIndex *index, GPtrArray *root_keys, GHashTable *mentions)
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

/* An OS being put together from its <os> elements. */
typedef struct {
  VmiOsIndexEntry *entry;
  GPtrArray *tree_ids; /* libosinfo's internal ids, parallel to trees */
  GPtrArray *trees;    /* ScannedTree *, borrowed from the scan */
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
pending_add(Pending *pend, const char *file, ScannedOs *s)
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
    ScannedTree *t = s->trees->pdata[i];
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
      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, key_files_free);
  g_autoptr(GPtrArray) root_keys =
      g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GHashTable) mentions = g_hash_table_new_full(
      g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_ptr_array_unref);
  g_autoptr(GPtrArray) keys = NULL;
  g_autoptr(VmiOsIndex) index = index_new();

  for (guint r = 0; roots[r]; r++) {
    g_autofree char *root_stamp = stamp_of(roots[r]);
    RootScan rs;
    GHashTableIter iter;
    gpointer k, v;

    add_stamp(stamps, 'D', roots[r], root_stamp);
    if (g_str_equal(root_stamp, "-"))
      continue;
    rs.keys = g_ptr_array_new_with_free_func(g_free);
    rs.seen = g_hash_table_new(g_str_hash, g_str_equal);
    rs.os = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                  key_files_free);
    walk_dir(roots[r], "", 0, &rs, r > 0, stamps);

    /* A later location's master file replaces a key entirely; extension
     * files without a master add to what earlier locations gave. */
    g_hash_table_iter_init(&iter, rs.os);
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
    KeyFiles *kf = g_hash_table_lookup(all, key);
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
      GPtrArray *oses = g_ptr_array_new_with_free_func(scanned_os_free);

      /* kept until the key is done: the pending trees point into it */
      g_ptr_array_add(scanned, oses);
      scan_file(files->pdata[j], oses);
      for (guint o = 0; o < oses->len; o++) {
        ScannedOs *s = oses->pdata[o];
        Pending *pend = NULL;

        if (!id_matches_key(s->id, key))
          continue;
        /* the ids osinfo_loader_os() meets, in its order */
        g_ptr_array_add(met, g_strdup(s->id));
        for (int k = 0; k < N_RELS; k++) {
          for (guint x = 0; x < s->rels[k]->len; x++)
            g_ptr_array_add(met, g_strdup(s->rels[k]->pdata[x]));
        }

        for (guint f = 0; f < found->len; f++) {
          if (g_str_equal(((Pending *)found->pdata[f])->entry->id, s->id))
            pend = found->pdata[f];
        }
        if (!pend) {
          pend = g_new0(Pending, 1);
          pend->entry = index_entry_new(g_strdup(s->id));
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
        ScannedTree *st = pend->trees->pdata[t];

        /* a tree without treeinfo data never matches */
        if (st->has_treeinfo)
          entry_add_tree(pend->entry,
                         tree_new(st->arch, st->family, st->variant,
                                  st->version, st->treeinfo_arch));
      }
      index_add(index, pend->entry);
    }
  }

  assign_ranks(index, root_keys, mentions);
  index_finish(index);
  return g_steal_pointer(&index);
}

/* ---------------------------------------------------------------- cache */

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
static VmiOsIndex *
load_cache(const char *path, const char *const *roots)
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
    } else if (g_str_equal(f[0], "O") && n >= 5) {
      guint nshort = (guint)g_ascii_strtoull(f[4], NULL, 10);
      VmiOsIndexEntry *e;

      if (nshort > n - 5)
        return NULL;
      e = index_entry_new(unescape(f[1]));
      e->rank = (guint)g_ascii_strtoull(f[2], NULL, 10);
      if (g_str_equal(f[3], "?"))
        e->codename_unknown = TRUE;
      else if (!unescape_optional(f[3], &e->codename)) {
        index_entry_free(e);
        return NULL;
      }
      for (guint j = 0; j < nshort; j++)
        g_ptr_array_add(e->short_ids, unescape(f[5 + j]));
      for (guint j = 5 + nshort; j < n; j++)
        g_ptr_array_add(e->files, unescape(f[j]));
      index_add(index, e);
      last = e;
    } else if (g_str_equal(f[0], "T") && n == 6 && last) {
      char *v[5];

      for (guint j = 0; j < 5; j++) {
        if (!optional_field(f[1 + j], &v[j]))
          return NULL;
      }
      entry_add_tree(last, tree_new(v[0], v[1], v[2], v[3], v[4]));
    } else {
      return NULL;
    }
  }
  index_finish(index);
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
