/*
 * Which OS an ISO image is, from osinfo-db's <media> entries: what
 * libosinfo's osinfo_db_identify_media() does, without loading the
 * database.  The OS order and the files each OS is defined in come from
 * the osinfo module's index (its private interface: the ranks replicate
 * libosinfo's hash-table order, which decides between overlapping
 * patterns); the <media> elements of those files are kept in a cache
 * under $XDG_CACHE_HOME/vminstall, one entry per file, revalidated by the
 * file's stamp, so that a lookup reads no XML once the cache is warm.
 */
#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "osinfo-private.h"
#include "osinfo.h"
#include "vminstall/error.h"

#define CACHE_MAGIC "vminstall-osinfo-media 2"

typedef struct {
  char *os_id;
  guint index;          /* position among its <os> element's <media> */
  char *key;            /* libosinfo's media id: "OSID:INDEX" */
  char *arch;
  char *volume_id, *system_id, *publisher_id, *application_id;
  gint64 volume_size;   /* 0: not given */
  char *kernel, *initrd;
  gboolean live, installer, netinst;
} MediaEntry;

typedef struct {
  char *stamp;
  GPtrArray *media;     /* MediaEntry * */
} FileEntry;

static GHashTable *process_files;   /* path -> FileEntry, kept for the process */
static gboolean process_checked;    /* process_files matches the files' stamps */
static GHashTable *regexes;         /* pattern -> Pattern */

static void
media_entry_free(gpointer p)
{
  MediaEntry *m = p;

  g_free(m->os_id);
  g_free(m->key);
  g_free(m->arch);
  g_free(m->volume_id);
  g_free(m->system_id);
  g_free(m->publisher_id);
  g_free(m->application_id);
  g_free(m->kernel);
  g_free(m->initrd);
  g_free(m);
}

static void
file_entry_free(gpointer p)
{
  FileEntry *f = p;

  g_free(f->stamp);
  g_ptr_array_unref(f->media);
  g_free(f);
}

void
vmi_os_media_free(VmiOsMedia *media)
{
  if (!media)
    return;
  g_free(media->os_name);
  g_free(media->os_id);
  g_free(media->arch);
  g_free(media->kernel);
  g_free(media->initrd);
  g_free(media);
}

void
vmi_os_media_forget(void)
{
  g_clear_pointer(&process_files, g_hash_table_unref);
  g_clear_pointer(&regexes, g_hash_table_unref);
  process_checked = FALSE;
}

static char *
stamp_of(const char *path)
{
  GStatBuf st;

  if (g_stat(path, &st) != 0)
    return g_strdup("-");
  return g_strdup_printf("%llu:%lld:%lld.%09ld", (unsigned long long)st.st_ino,
                         (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                         (long)st.st_mtim.tv_nsec);
}

/* ---------------------------------------------------------------- parsing */

static char *
child_text(xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr c = parent->children; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0) {
      xmlChar *t = xmlNodeGetContent(c);
      char *s = g_strdup((const char *)t);
      xmlFree(t);
      return s;
    }
  }
  return NULL;
}

static char *
prop(xmlNodePtr node, const char *name)
{
  xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
  char *s = v ? g_strdup((const char *)v) : NULL;

  xmlFree(v);
  return s;
}

static gboolean
bool_prop(xmlNodePtr node, const char *name, gboolean fallback)
{
  g_autofree char *v = prop(node, name);

  if (!v)
    return fallback;
  return strcmp(v, "true") == 0 || strcmp(v, "yes") == 0;
}

static MediaEntry *
parse_media(xmlNodePtr node, const char *os_id, guint index)
{
  MediaEntry *m = g_new0(MediaEntry, 1);

  m->os_id = g_strdup(os_id);
  m->index = index;
  m->key = g_strdup_printf("%s:%u", os_id, index);
  m->arch = prop(node, "arch");
  m->live = bool_prop(node, "live", FALSE);
  m->installer = bool_prop(node, "installer", TRUE);
  for (xmlNodePtr c = node->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (strcmp((const char *)c->name, "iso") == 0) {
      g_autofree char *size = child_text(c, "volume-size");
      m->volume_id = child_text(c, "volume-id");
      m->system_id = child_text(c, "system-id");
      m->publisher_id = child_text(c, "publisher-id");
      m->application_id = child_text(c, "application-id");
      m->volume_size = size ? g_ascii_strtoll(size, NULL, 10) : 0;
    } else if (strcmp((const char *)c->name, "variant") == 0) {
      g_autofree char *id = prop(c, "id");
      if (id && strstr(id, "netinst"))
        m->netinst = TRUE;
    } else if (strcmp((const char *)c->name, "kernel") == 0 && !m->kernel) {
      m->kernel = child_text(node, "kernel");
    } else if (strcmp((const char *)c->name, "initrd") == 0 && !m->initrd) {
      m->initrd = child_text(node, "initrd");
    }
  }
  return m;
}

static GPtrArray *
scan_file(const char *path)
{
  GPtrArray *media = g_ptr_array_new_with_free_func(media_entry_free);
  xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                              XML_PARSE_NOWARNING);
  xmlNodePtr root;

  if (!doc)
    return media;
  root = xmlDocGetRootElement(doc);
  for (xmlNodePtr os = root ? root->children : NULL; os; os = os->next) {
    g_autofree char *id = NULL;
    guint index = 0;

    if (os->type != XML_ELEMENT_NODE || strcmp((const char *)os->name, "os") != 0)
      continue;
    id = prop(os, "id");
    if (!id)
      continue;
    for (xmlNodePtr c = os->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "media") == 0)
        g_ptr_array_add(media, parse_media(c, id, index++));
  }
  xmlFreeDoc(doc);
  return media;
}

/* ---------------------------------------------------------------- cache */

static char *
cache_path(void)
{
  return g_build_filename(g_get_user_cache_dir(), "vminstall", "osinfo-media", NULL);
}

static void
put_field(GString *out, const char *value)
{
  g_autofree char *esc = NULL;

  if (!value) {
    g_string_append(out, "\t-");
    return;
  }
  esc = g_strescape(value, NULL);
  g_string_append_printf(out, "\t=%s", esc);
}

static char *
get_field(const char *field)
{
  return field[0] == '=' ? g_strcompress(field + 1) : NULL;
}

static GHashTable *
cache_load(void)
{
  g_autofree char *path = cache_path();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *files = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, file_entry_free);
  FileEntry *cur = NULL;

  if (!g_file_get_contents(path, &text, NULL, NULL) ||
      !g_str_has_prefix(text, CACHE_MAGIC "\n"))
    return files;
  lines = g_strsplit(text + strlen(CACHE_MAGIC) + 1, "\n", -1);
  for (char **l = lines; *l; l++) {
    g_auto(GStrv) f = g_strsplit(*l, "\t", -1);
    guint n = g_strv_length(f);

    if (n == 3 && strcmp(f[0], "F") == 0) {
      g_autofree char *file = get_field(f[1]);
      if (!file)
        continue;
      cur = g_new0(FileEntry, 1);
      cur->stamp = g_strdup(f[2]);
      cur->media = g_ptr_array_new_with_free_func(media_entry_free);
      g_hash_table_replace(files, g_steal_pointer(&file), cur);
    } else if (n == 15 && strcmp(f[0], "M") == 0 && cur) {
      MediaEntry *m = g_new0(MediaEntry, 1);
      m->os_id = get_field(f[1]);
      m->index = (guint)g_ascii_strtoull(f[2], NULL, 10);
      m->key = g_strdup_printf("%s:%u", m->os_id ? m->os_id : "", m->index);
      m->arch = get_field(f[3]);
      m->volume_id = get_field(f[4]);
      m->system_id = get_field(f[5]);
      m->publisher_id = get_field(f[6]);
      m->application_id = get_field(f[7]);
      m->volume_size = g_ascii_strtoll(f[8], NULL, 10);
      m->kernel = get_field(f[9]);
      m->initrd = get_field(f[10]);
      m->live = f[11][0] == '1';
      m->installer = f[12][0] == '1';
      m->netinst = f[13][0] == '1';
      if (!m->os_id) {
        media_entry_free(m);
        continue;
      }
      g_ptr_array_add(cur->media, m);
    }
  }
  return files;
}

static void
cache_save(GHashTable *files)
{
  g_autofree char *path = cache_path();
  g_autofree char *dir = g_path_get_dirname(path);
  g_autoptr(GString) out = g_string_new(CACHE_MAGIC "\n");
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init(&iter, files);
  while (g_hash_table_iter_next(&iter, &key, &value)) {
    FileEntry *f = value;

    g_string_append(out, "F");
    put_field(out, key);
    g_string_append_printf(out, "\t%s\n", f->stamp);
    for (guint i = 0; i < f->media->len; i++) {
      MediaEntry *m = f->media->pdata[i];
      g_string_append(out, "M");
      put_field(out, m->os_id);
      g_string_append_printf(out, "\t%u", m->index);
      put_field(out, m->arch);
      put_field(out, m->volume_id);
      put_field(out, m->system_id);
      put_field(out, m->publisher_id);
      put_field(out, m->application_id);
      g_string_append_printf(out, "\t%" G_GINT64_FORMAT, m->volume_size);
      put_field(out, m->kernel);
      put_field(out, m->initrd);
      g_string_append_printf(out, "\t%d\t%d\t%d\t-\n", m->live, m->installer, m->netinst);
    }
  }
  /* a cache we cannot write only costs time */
  if (g_mkdir_with_parents(dir, 0700) == 0)
    g_file_set_contents(path, out->str, (gssize)out->len, NULL);
}

/* ---------------------------------------------------------------- matching */

/* The literal text every match of @pattern starts with ("Debian 11" for
 * "Debian 11.\d+ amd64"), or "" when there is none to be sure of: most
 * patterns then need no regex at all to be ruled out. */
static char *
literal_prefix(const char *pattern)
{
  GString *out = g_string_new(NULL);

  if (strchr(pattern, '|'))
    return g_string_free(out, FALSE);
  for (const char *p = pattern; *p; p++) {
    if (strchr("\\^$.[]()*+?{}", *p))
      break;
    g_string_append_c(out, *p);
  }
  /* "ab*" and "ab?" match "a": a quantified last letter is not certain */
  if (out->len && strchr("*?{", pattern[out->len]))
    g_string_truncate(out, out->len - 1);
  return g_string_free(out, FALSE);
}

typedef struct {
  GRegex *re;      /* NULL: the pattern does not compile, matches nothing */
  char *prefix;
} Pattern;

static void
pattern_free(gpointer p)
{
  Pattern *pat = p;

  if (pat->re)
    g_regex_unref(pat->re);
  g_free(pat->prefix);
  g_free(pat);
}

/* g_regex_match_simple(pattern, value, 0, 0), as libosinfo matches, with
 * each pattern compiled once per process and only when its literal prefix
 * is in @value */
static gboolean
match_regex(const char *pattern, const char *value)
{
  Pattern *pat;

  if (!pattern)
    return TRUE;
  if (!value)
    return FALSE;
  if (!regexes)
    regexes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, pattern_free);
  pat = g_hash_table_lookup(regexes, pattern);
  if (!pat) {
    pat = g_new0(Pattern, 1);
    pat->prefix = literal_prefix(pattern);
    g_hash_table_insert(regexes, g_strdup(pattern), pat);
  }
  if (*pat->prefix && !strstr(value, pat->prefix))
    return FALSE;
  if (!pat->re) {
    pat->re = g_regex_new(pattern, 0, 0, NULL);
    if (!pat->re)
      return FALSE;
  }
  return g_regex_match(pat->re, value, 0, NULL);
}



/* libosinfo's media_volume_compare, for g_list_sort (the same merge sort
 * gives the same order, however odd this comparison is) */
static gint
volume_compare(gconstpointer a, gconstpointer b)
{
  const MediaEntry *x = a, *y = b;

  if (!x->volume_id || !y->volume_id)
    return 0;
  return strstr(x->volume_id, y->volume_id) ? -1 : 1;
}

static gint
rank_compare(gconstpointer a, gconstpointer b)
{
  const VmiOsIndexEntry *x = *(VmiOsIndexEntry *const *)a;
  const VmiOsIndexEntry *y = *(VmiOsIndexEntry *const *)b;

  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The media of @os_id from its files, in the order libosinfo lists an
 * OS's media: a hash table keyed by "OSID:N", sorted by volume_compare. */
static GList *
os_media(GHashTable *files, const VmiOsIndexEntry *entry)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new(g_str_hash, g_str_equal);
  GList *list;

  for (guint i = 0; i < entry->files->len; i++) {
    FileEntry *f = g_hash_table_lookup(files, entry->files->pdata[i]);
    for (guint j = 0; f && j < f->media->len; j++) {
      MediaEntry *m = f->media->pdata[j];
      if (strcmp(m->os_id, entry->id) == 0)
        g_hash_table_insert(by_key, m->key, m);
    }
  }
  list = g_hash_table_get_values(by_key);
  return g_list_sort(list, volume_compare);
}

VmiOsMedia *
vmi_os_media_identify(const VmiOsMediaKeys *iso, GError **error)
{
  g_autoptr(VmiOsIndex) index = vmi_os_index_get(error);
  g_autoptr(GPtrArray) order = NULL;
  gboolean dirty = FALSE;
  const MediaEntry *found = NULL;
  const VmiOsIndexEntry *found_os = NULL;
  VmiOsMedia *out;

  if (!index)
    return NULL;
  /* libosinfo makes no media object of an image without a volume id
   * ("insufficient metadata"); virt-install asks it not to require an El
   * Torito boot record (create_from_location_with_flags) */
  if (!iso->volume_id)
    return NULL;
  if (!process_files)
    process_files = cache_load();

  order = g_ptr_array_new();
  for (guint i = 0; i < index->entries->len; i++) {
    VmiOsIndexEntry *e = index->entries->pdata[i];
    g_ptr_array_add(order, e);
    for (guint j = 0; !process_checked && j < e->files->len; j++) {
      const char *path = e->files->pdata[j];
      g_autofree char *stamp = stamp_of(path);
      FileEntry *f = g_hash_table_lookup(process_files, path);

      if (f && strcmp(f->stamp, stamp) == 0)
        continue;
      f = g_new0(FileEntry, 1);
      f->stamp = g_steal_pointer(&stamp);
      f->media = scan_file(path);
      g_hash_table_replace(process_files, g_strdup(path), f);
      dirty = TRUE;
    }
  }
  if (dirty)
    cache_save(process_files);
  process_checked = TRUE;
  g_ptr_array_sort(order, rank_compare);

  for (guint i = 0; i < order->len && !found; i++) {
    const VmiOsIndexEntry *e = order->pdata[i];
    GList *media = os_media(process_files, e);

    for (GList *l = media; l; l = l->next) {
      const MediaEntry *m = l->data;
      gint64 size = m->volume_size > 0 ? m->volume_size : iso->volume_size;

      if (match_regex(m->volume_id, iso->volume_id) &&
          match_regex(m->application_id, iso->application_id) &&
          match_regex(m->system_id, iso->system_id) &&
          match_regex(m->publisher_id, iso->publisher_id) && size == iso->volume_size) {
        found = m;
        found_os = e;
        break;
      }
    }
    g_list_free(media);
  }
  if (!found)
    return NULL;

  out = g_new0(VmiOsMedia, 1);
  out->os_id = g_strdup(found_os->id);
  out->os_name = found_os->short_ids->len ? g_strdup(found_os->short_ids->pdata[0]) : NULL;
  {
    /* the first short id as the record gives it (virt-install's name) */
    g_autoptr(VmiOs) os = vmi_os_lookup_by_id(found_os->id, NULL);
    if (os && vmi_os_short_id(os)) {
      g_free(out->os_name);
      out->os_name = g_strdup(vmi_os_short_id(os));
    }
  }
  out->arch = g_strdup(found->arch);
  out->kernel = g_strdup(found->kernel);
  out->initrd = g_strdup(found->initrd);
  out->live = found->live;
  out->installer = found->installer;
  out->netinst = found->netinst;
  return out;
}
