/*
 * Reading one OS record from its osinfo-db files with libxml2 (SAX2).
 *
 * Each rule here mirrors how libosinfo's loader (1.10) turns the XML into
 * an OsinfoOs, because virt-install sees the database only through
 * libosinfo: what libosinfo drops or reorders, virt-install never sees.
 */
#include "osinfo-private.h"

#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "vminstall/error.h"

static void
resources_free(gpointer data)
{
  VmiOsResources *res = data;

  g_free(res->arch);
  g_free(res);
}

static void
firmware_free(gpointer data)
{
  VmiOsFirmware *fw = data;

  g_free(fw->arch);
  g_free(fw->type);
  g_free(fw);
}

VmiOsRecord *
vmi_os_record_new(const char *id)
{
  VmiOsRecord *rec = g_new0(VmiOsRecord, 1);

  rec->id = g_strdup(id);
  rec->short_ids = g_ptr_array_new_with_free_func(g_free);
  rec->derives_from = g_ptr_array_new_with_free_func(g_free);
  rec->clones = g_ptr_array_new_with_free_func(g_free);
  rec->upgrades = g_ptr_array_new_with_free_func(g_free);
  rec->devices = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  rec->firmware = g_ptr_array_new_with_free_func(firmware_free);
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++)
    rec->resources[k] = g_ptr_array_new_with_free_func(resources_free);
  return rec;
}

void
vmi_os_record_free(VmiOsRecord *rec)
{
  if (!rec)
    return;
  g_free(rec->id);
  g_ptr_array_unref(rec->short_ids);
  g_free(rec->name);
  g_free(rec->family);
  g_free(rec->distro);
  g_free(rec->release_status);
  g_free(rec->kernel_url_arg);
  g_free(rec->codename);
  g_free(rec->release_date);
  g_free(rec->eol_date);
  g_ptr_array_unref(rec->derives_from);
  g_ptr_array_unref(rec->clones);
  g_ptr_array_unref(rec->upgrades);
  g_hash_table_unref(rec->devices);
  g_ptr_array_unref(rec->firmware);
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++)
    g_ptr_array_unref(rec->resources[k]);
  g_free(rec);
}

char *
vmi_os_id_to_key(const char *id)
{
  /* libosinfo accepts an entity only from the file its id names: drop
   * "http://", keep the first '/', turn every other unusual byte into '-'. */
  const char *suffix = g_str_has_prefix(id, "http://") ? id + 7 : id;
  GString *key = g_string_new("os/");
  gboolean sep = FALSE;

  for (const char *p = suffix; *p; p++) {
    if (*p == '/' && !sep) {
      sep = TRUE;
      g_string_append_c(key, '/');
    } else if (g_ascii_isalnum(*p) || *p == '-' || *p == '.' || *p == '_') {
      g_string_append_c(key, *p);
    } else {
      g_string_append_c(key, '-');
    }
  }
  return g_string_free(key, FALSE);
}

/*
 * The files are read with libxml2's SAX2 interface: building a tree for the
 * ~50 files of an OS like fedora36 costs ~3 ms, mostly in malloc, for data
 * (media, trees, variants) a lookup never uses.  The callbacks reproduce
 * what libosinfo's loader reads from the tree:
 *  - <short-id> and resource values: the content of the element's first
 *    child, when that is text;
 *  - single-valued strings (name, codename, family, ...): the last
 *    element whose lang attribute is one of the user's languages (its
 *    first child's text), else the whole text of the first element of
 *    that name;
 *  - relations, device links, firmware: attributes.
 */

typedef enum {
  KEY_NAME,
  KEY_FAMILY,
  KEY_DISTRO,
  KEY_RELEASE_STATUS,
  KEY_KERNEL_URL_ARG,
  KEY_RELEASE_DATE,
  KEY_EOL_DATE,
  KEY_CODENAME,
  N_KEYS,
} StringKey;

static const char *const key_names[N_KEYS] = {
  [KEY_NAME] = "name",
  [KEY_FAMILY] = "family",
  [KEY_DISTRO] = "distro",
  [KEY_RELEASE_STATUS] = "release-status",
  [KEY_KERNEL_URL_ARG] = "kernel-url-argument",
  [KEY_RELEASE_DATE] = "release-date",
  [KEY_EOL_DATE] = "eol-date",
  [KEY_CODENAME] = "codename",
};

static const char *const res_names[VMI_OS_RES_N_KINDS] = {
  [VMI_OS_RES_MINIMUM] = "minimum",
  [VMI_OS_RES_RECOMMENDED] = "recommended",
  [VMI_OS_RES_NETWORK_INSTALL] = "network-install",
};

/* What the open depth-2 child of <os> is. */
typedef enum {
  CHILD_OTHER,
  CHILD_SHORT_ID,
  CHILD_STRING,
  CHILD_DEVICES,
  CHILD_RESOURCES,
} ChildKind;

/* Where the first-child text being collected goes. */
typedef enum {
  FIRST_NONE,
  FIRST_SHORT_ID,
  FIRST_LANG_STRING,
  FIRST_RESOURCE,
} FirstTarget;

typedef struct {
  VmiOsRecord *rec;
  const char *file;
  const char *const *langs; /* g_get_language_names() */
  GPtrArray *raw_rel[3]; /* derives-from, clones, upgrades */
  GError *error;

  int depth;
  gboolean in_os;   /* inside the <os> being read */
  ChildKind child;  /* at depth 2 */
  StringKey key;    /* for CHILD_STRING */

  /* first-child text: open from an element's start until any other event */
  FirstTarget first_target;
  int first_depth;
  gboolean first_open;
  GString *first_text; /* NULL: the first child is not text */

  /* whole text of the first element of each string key */
  gboolean seen_key[N_KEYS];
  gboolean value_open;
  GString *value_text;
  GString *key_value[N_KEYS];
  char *lang_value[N_KEYS];

  /* the open <resources> */
  VmiOsResources *res[VMI_OS_RES_N_KINDS];
  int res_nodes[VMI_OS_RES_N_KINDS];
  int res_kind;              /* -1 outside minimum/recommended/... */
  gint64 *res_field;         /* value element being read */
} Reader;

static char *
attr_value(const xmlChar **attrs, int nb, const char *name)
{
  /* SAX2 gives (localname, prefix, URI, value, end) per attribute.  The
   * prefix is ignored like xmlGetProp() does, so "lang" is xml:lang. */
  for (int i = 0; i < nb; i++) {
    const xmlChar **a = attrs + i * 5;

    if (xmlStrEqual(a[0], BAD_CAST name)) {
      g_autofree char *raw = g_strndup((const char *)a[3], a[4] - a[3]);
      g_autoptr(GString) s = NULL;
      const char *p;

      /* without entity substitution, libxml2 hands '&' over as "&#38;" */
      if (!strchr(raw, '&'))
        return g_steal_pointer(&raw);
      s = g_string_new(NULL);
      for (p = raw; *p; p++) {
        if (g_str_has_prefix(p, "&#38;")) {
          g_string_append_c(s, '&');
          p += 4;
        } else {
          g_string_append_c(s, *p);
        }
      }
      return g_string_free(g_steal_pointer(&s), FALSE);
    }
  }
  return NULL;
}

static gboolean
is_users_language(const char *const *langs, const char *lang)
{
  /* the last entry is always "C", which libosinfo skips */
  for (int j = 0; langs[j] && langs[j + 1]; j++) {
    if (g_str_equal(lang, langs[j]))
      return TRUE;
  }
  return FALSE;
}

static void
reader_fail(Reader *r, const char *what)
{
  if (!r->error)
    g_set_error(&r->error, VMI_ERROR, VMI_ERROR_FAILED,
                "%s: %s in osinfo-db", r->file, what);
}

/* Any event but text ends the first child's text. */
static void
close_first(Reader *r)
{
  r->first_open = FALSE;
}

/* Called from the element's start, after the depth was counted. */
static void
start_first(Reader *r, FirstTarget target)
{
  r->first_target = target;
  r->first_depth = r->depth - 1;
  r->first_open = TRUE;
  if (r->first_text)
    g_string_free(r->first_text, TRUE);
  r->first_text = NULL;
}

/* The text of the element ending at the current depth (counted down
 * already), if it was its first child; consumes it. */
static char *
take_first(Reader *r, FirstTarget target)
{
  char *ret = NULL;

  if (r->first_target == target && r->first_depth == r->depth &&
      r->first_text) {
    ret = g_string_free(r->first_text, FALSE);
    r->first_text = NULL;
  }
  if (r->first_target == target && r->first_depth == r->depth)
    r->first_target = FIRST_NONE;
  r->first_open = FALSE;
  return ret;
}

static void
on_text(void *ctx, const xmlChar *ch, int len)
{
  Reader *r = ctx;

  if (r->first_open && r->first_target != FIRST_NONE) {
    if (!r->first_text)
      r->first_text = g_string_new(NULL);
    g_string_append_len(r->first_text, (const char *)ch, len);
  }
  if (r->value_open)
    g_string_append_len(r->value_text, (const char *)ch, len);
}

static void
on_cdata(void *ctx, const xmlChar *ch, int len)
{
  Reader *r = ctx;

  /* a CDATA section is its own node: not "text" for the first child,
   * but part of the element's whole text */
  close_first(r);
  if (r->value_open)
    g_string_append_len(r->value_text, (const char *)ch, len);
}

static void
on_other(void *ctx, const xmlChar *a, const xmlChar *b)
{
  close_first(ctx);
}

static void
on_comment(void *ctx, const xmlChar *value)
{
  close_first(ctx);
}

static void
on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
         const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
         int nb_attributes, int nb_defaulted, const xmlChar **attrs)
{
  Reader *r = ctx;
  const char *name = (const char *)localname;
  int depth = r->depth++;

  close_first(r);
  if (r->error)
    return;

  if (depth == 0) {
    if (!g_str_equal(name, "libosinfo"))
      reader_fail(r, "no <libosinfo> root element");
    return;
  }
  if (depth == 1) {
    g_autofree char *id = NULL;

    if (!g_str_equal(name, "os"))
      return;
    id = attr_value(attrs, nb_attributes, "id");
    r->in_os = g_strcmp0(id, r->rec->id) == 0;
    if (r->in_os)
      r->rec->defined = TRUE;
    return;
  }
  if (!r->in_os)
    return;

  if (depth == 2) {
    static const char *const rel_names[3] = { "derives-from", "clones",
                                              "upgrades" };

    r->child = CHILD_OTHER;
    if (g_str_equal(name, "short-id")) {
      r->child = CHILD_SHORT_ID;
      start_first(r, FIRST_SHORT_ID);
      return;
    }
    for (int k = 0; k < N_KEYS; k++) {
      g_autofree char *lang = NULL;

      if (!g_str_equal(name, key_names[k]))
        continue;
      r->child = CHILD_STRING;
      r->key = k;
      lang = attr_value(attrs, nb_attributes, "lang");
      if (lang && is_users_language(r->langs, lang))
        start_first(r, FIRST_LANG_STRING);
      if (!r->seen_key[k]) {
        r->seen_key[k] = TRUE;
        r->value_open = TRUE;
        g_string_truncate(r->value_text, 0);
      }
      return;
    }
    for (int k = 0; k < 3; k++) {
      char *id;

      if (!g_str_equal(name, rel_names[k]))
        continue;
      id = attr_value(attrs, nb_attributes, "id");
      if (!id) {
        g_autofree char *what = g_strdup_printf("<%s> without id", name);
        reader_fail(r, what);
        return;
      }
      g_ptr_array_add(r->raw_rel[k], id);
      return;
    }
    if (g_str_equal(name, "devices")) {
      r->child = CHILD_DEVICES;
    } else if (g_str_equal(name, "firmware")) {
      g_autofree char *supported =
          attr_value(attrs, nb_attributes, "supported");
      VmiOsFirmware *fw = g_new0(VmiOsFirmware, 1);

      fw->arch = attr_value(attrs, nb_attributes, "arch");
      fw->type = attr_value(attrs, nb_attributes, "type");
      /* unlike device links, a firmware is supported only by "true" */
      fw->supported = !supported || g_str_equal(supported, "true");
      g_ptr_array_add(r->rec->firmware, fw);
    } else if (g_str_equal(name, "resources")) {
      g_autofree char *inherit = attr_value(attrs, nb_attributes, "inherit");

      r->child = CHILD_RESOURCES;
      r->res_kind = -1;
      for (int k = 0; k < VMI_OS_RES_N_KINDS; k++) {
        VmiOsResources *res = g_new0(VmiOsResources, 1);

        res->arch = attr_value(attrs, nb_attributes, "arch");
        res->inherit = g_strcmp0(inherit, "true") == 0;
        res->n_cpus = res->cpu = res->ram = res->storage = -1;
        r->res[k] = res;
        r->res_nodes[k] = 0;
      }
    }
    return;
  }

  if (depth == 3 && r->child == CHILD_DEVICES && g_str_equal(name, "device")) {
    g_autofree char *supported = attr_value(attrs, nb_attributes, "supported");
    char *id = attr_value(attrs, nb_attributes, "id");

    if (!id) {
      reader_fail(r, "<device> without id");
      return;
    }
    /* only "false" withdraws support; a later link for the same device
     * replaces an earlier one */
    g_hash_table_replace(
        r->rec->devices, id,
        GINT_TO_POINTER(g_strcmp0(supported, "false") != 0 ? 2 : 1));
    return;
  }

  if (r->child == CHILD_RESOURCES) {
    if (depth == 3) {
      r->res_kind = -1;
      for (int k = 0; k < VMI_OS_RES_N_KINDS; k++) {
        if (g_str_equal(name, res_names[k]))
          r->res_kind = k;
      }
    } else if (depth == 4 && r->res_kind >= 0) {
      VmiOsResources *res = r->res[r->res_kind];

      /* libosinfo counts every element here, known or not */
      r->res_nodes[r->res_kind]++;
      r->res_field = NULL;
      if (g_str_equal(name, "n-cpus"))
        r->res_field = &res->n_cpus;
      else if (g_str_equal(name, "cpu"))
        r->res_field = &res->cpu;
      else if (g_str_equal(name, "ram"))
        r->res_field = &res->ram;
      else if (g_str_equal(name, "storage"))
        r->res_field = &res->storage;
      if (r->res_field)
        start_first(r, FIRST_RESOURCE);
    }
  }
}

static void
finish_resources(Reader *r)
{
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++) {
    VmiOsResources *res = g_steal_pointer(&r->res[k]);

    if (!res)
      continue;
    /* libosinfo keeps an empty block only when it asks to inherit */
    if (res->inherit || r->res_nodes[k] > 0)
      g_ptr_array_add(r->rec->resources[k], res);
    else
      resources_free(res);
  }
}

static void
finish_os(Reader *r)
{
  /* a later file (or <os> element) replaces what an earlier one set */
  char **fields[N_KEYS] = {
    [KEY_NAME] = &r->rec->name,
    [KEY_FAMILY] = &r->rec->family,
    [KEY_DISTRO] = &r->rec->distro,
    [KEY_RELEASE_STATUS] = &r->rec->release_status,
    [KEY_KERNEL_URL_ARG] = &r->rec->kernel_url_arg,
    [KEY_RELEASE_DATE] = &r->rec->release_date,
    [KEY_EOL_DATE] = &r->rec->eol_date,
    [KEY_CODENAME] = &r->rec->codename,
  };

  for (int k = 0; k < N_KEYS; k++) {
    char *value = g_steal_pointer(&r->lang_value[k]);

    if (!value && r->key_value[k] && r->key_value[k]->len > 0)
      value = g_strdup(r->key_value[k]->str);
    if (value) {
      g_free(*fields[k]);
      *fields[k] = value;
    }
    if (r->key_value[k])
      g_string_free(g_steal_pointer(&r->key_value[k]), TRUE);
    r->seen_key[k] = FALSE;
  }
}

static void
on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
       const xmlChar *uri)
{
  Reader *r = ctx;
  int depth = --r->depth;

  if (r->error || !r->in_os) {
    close_first(r);
    return;
  }

  if (depth == 1) {
    finish_os(r);
    r->in_os = FALSE;
  } else if (depth == 2) {
    if (r->child == CHILD_SHORT_ID) {
      char *text = take_first(r, FIRST_SHORT_ID);

      /* an empty <short-id/> has no text child: libosinfo cannot use it */
      if (text)
        g_ptr_array_add(r->rec->short_ids, text);
    } else if (r->child == CHILD_STRING) {
      char *text = take_first(r, FIRST_LANG_STRING);

      if (text) {
        g_free(r->lang_value[r->key]);
        r->lang_value[r->key] = text;
      }
      if (r->value_open) {
        r->value_open = FALSE;
        r->key_value[r->key] = g_string_new(r->value_text->str);
      }
    } else if (r->child == CHILD_RESOURCES) {
      finish_resources(r);
    }
    r->child = CHILD_OTHER;
  } else if (depth == 4 && r->child == CHILD_RESOURCES && r->res_field) {
    g_autofree char *text = take_first(r, FIRST_RESOURCE);

    /* libosinfo reads numbers with base 0 (so "0x..." works) */
    if (text)
      *r->res_field = g_ascii_strtoll(text, NULL, 0);
    r->res_field = NULL;
  }
  close_first(r);
}

/* libxml2 2.12 made the error const */
#if LIBXML_VERSION >= 21200
#define VMI_XML_ERROR const xmlError
#else
#define VMI_XML_ERROR xmlError
#endif

static void
on_error(void *ctx, VMI_XML_ERROR *error)
{
  /* read back from the parser context; a library never prints, and a
   * handler of our own keeps a process-wide one from seeing it */
}

static void
reader_clear(Reader *r)
{
  for (int k = 0; k < VMI_OS_RES_N_KINDS; k++)
    g_clear_pointer(&r->res[k], resources_free);
  for (int k = 0; k < N_KEYS; k++) {
    g_clear_pointer(&r->lang_value[k], g_free);
    if (r->key_value[k])
      g_string_free(g_steal_pointer(&r->key_value[k]), TRUE);
  }
  if (r->first_text)
    g_string_free(g_steal_pointer(&r->first_text), TRUE);
  if (r->value_text)
    g_string_free(g_steal_pointer(&r->value_text), TRUE);
}

static gboolean
load_file(VmiOsRecord *rec, const char *file, GPtrArray **raw_rel,
          GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buf = NULL;
  gsize len = 0;
  xmlSAXHandler sax;
  xmlParserCtxtPtr ctxt;
  Reader r = { 0 };
  gboolean ok;

  if (!g_file_get_contents(file, &buf, &len, &local_error)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "Cannot read osinfo-db file: %s", local_error->message);
    return FALSE;
  }
  /* libosinfo skips empty files */
  if (len == 0)
    return TRUE;
  if (len > G_MAXINT) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "osinfo-db file %s is too large", file);
    return FALSE;
  }

  r.rec = rec;
  r.file = file;
  r.langs = g_get_language_names();
  for (int k = 0; k < 3; k++)
    r.raw_rel[k] = raw_rel[k];
  r.value_text = g_string_new(NULL);

  memset(&sax, 0, sizeof(sax));
  sax.initialized = XML_SAX2_MAGIC;
  sax.startElementNs = on_start;
  sax.endElementNs = on_end;
  sax.characters = on_text;
  sax.ignorableWhitespace = on_text;
  sax.cdataBlock = on_cdata;
  sax.comment = on_comment;
  sax.processingInstruction = on_other;
  sax.serror = on_error;

  ctxt = xmlCreatePushParserCtxt(&sax, &r, NULL, 0, file);
  if (!ctxt) {
    reader_clear(&r);
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "Out of memory");
    return FALSE;
  }
  xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
                              XML_PARSE_NOWARNING);
  xmlParseChunk(ctxt, buf, (int)len, 1);

  {
    /* libosinfo fails only where libxml2 gives up (fatal errors) */
    const xmlError *xerr = xmlCtxtGetLastError(ctxt);

    if (xerr && xerr->level == XML_ERR_FATAL) {
      g_autofree char *msg =
          g_strstrip(g_strdup(xerr->message ? xerr->message : "not well-formed"));

      g_clear_error(&r.error);
      g_set_error(&r.error, VMI_ERROR, VMI_ERROR_FAILED,
                  "Cannot parse osinfo-db file %s: %s", file, msg);
    }
  }
  xmlFreeParserCtxt(ctxt);

  ok = r.error == NULL;
  if (!ok)
    g_propagate_error(error, g_steal_pointer(&r.error));
  reader_clear(&r);
  return ok;
}

/* libosinfo prepends each relation to one list, then lists one kind by
 * walking that list and moving a repeated id to the end: so the walk order
 * is the reverse of the files' order, with repeats placed last. */
static void
order_relations(GPtrArray *raw, GPtrArray *out)
{
  for (guint i = raw->len; i-- > 0;) {
    const char *id = raw->pdata[i];

    for (guint j = 0; j < out->len; j++) {
      if (g_str_equal(out->pdata[j], id)) {
        g_ptr_array_remove_index(out, j);
        break;
      }
    }
    g_ptr_array_add(out, g_strdup(id));
  }
}

gboolean
vmi_os_record_load(VmiOsRecord *rec, GPtrArray *files, GError **error)
{
  g_autoptr(GPtrArray) raw_derives = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) raw_clones = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) raw_upgrades = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *raw_rel[3] = { raw_derives, raw_clones, raw_upgrades };

  for (guint i = 0; i < files->len; i++) {
    if (!load_file(rec, files->pdata[i], raw_rel, error))
      return FALSE;
  }

  order_relations(raw_derives, rec->derives_from);
  order_relations(raw_clones, rec->clones);
  order_relations(raw_upgrades, rec->upgrades);
  return TRUE;
}
