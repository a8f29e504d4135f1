/*
 * What the index keeps of one database file: every <os id> at its top
 * level with its short ids, relations, codename and <tree> data.  The
 * scanner of osinfo-quickscan.c reads the text directly; a file it does
 * not handle is read with libxml2 here, with the same answer.
 */
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "osinfo-scan.h"

static void
scanned_tree_free(gpointer data)
{
  VmiOsScannedTree *t = data;

  g_free(t->arch);
  g_free(t->family);
  g_free(t->variant);
  g_free(t->version);
  g_free(t->treeinfo_arch);
  g_free(t);
}

static const char *const rel_names[VMI_OS_N_RELS] = { "derives-from", "clones", "upgrades" };

VmiOsScannedOs *
vmi_os_scanned_os_new(char *id)
{
  VmiOsScannedOs *s = g_new0(VmiOsScannedOs, 1);

  s->id = id;
  s->short_ids = g_ptr_array_new_with_free_func(g_free);
  for (int k = 0; k < VMI_OS_N_RELS; k++)
    s->rels[k] = g_ptr_array_new_with_free_func(g_free);
  s->trees = g_ptr_array_new_with_free_func(scanned_tree_free);
  return s;
}

void
vmi_os_scanned_os_free(gpointer data)
{
  VmiOsScannedOs *s = data;

  g_free(s->id);
  g_ptr_array_unref(s->short_ids);
  for (int k = 0; k < VMI_OS_N_RELS; k++)
    g_ptr_array_unref(s->rels[k]);
  g_free(s->codename);
  g_ptr_array_unref(s->trees);
  g_free(s);
}

char **
vmi_os_treeinfo_field(VmiOsScannedTree *tree, const char *name, gsize len)
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

int
vmi_os_rel_kind(const char *name, gsize len)
{
  for (int k = 0; k < VMI_OS_N_RELS; k++) {
    if (vmi_os_name_is(name, len, rel_names[k]))
      return k;
  }
  return -1;
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
xml_scan_tree(xmlNodePtr node, VmiOsScannedOs *s)
{
  VmiOsScannedTree *t = g_new0(VmiOsScannedTree, 1);

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
      field = vmi_os_treeinfo_field(t, (const char *)f->name,
                             strlen((const char *)f->name));
      if (field && f->children && f->children->type == XML_TEXT_NODE) {
        g_free(*field);
        *field = g_strdup((const char *)f->children->content);
      }
    }
  }
}

void
vmi_os_xml_scan(const char *buf, gsize len, const char *file, GPtrArray *oses)
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
    VmiOsScannedOs *s;

    if (it->type != XML_ELEMENT_NODE || !xmlStrEqual(it->name, BAD_CAST "os"))
      continue;
    id = xml_prop(it, "id");
    if (!id)
      continue;
    s = vmi_os_scanned_os_new(id);
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
        int k = vmi_os_rel_kind((const char *)c->name, strlen((const char *)c->name));
        char *rel_id = k >= 0 ? xml_prop(c, "id") : NULL;

        if (rel_id)
          g_ptr_array_add(s->rels[k], rel_id);
      }
    }
    g_ptr_array_add(oses, s);
  }
  xmlFreeDoc(doc);
}

void
vmi_os_scan_file(const char *file, GPtrArray *oses)
{
  g_autofree char *buf = NULL;
  gsize len = 0;

  /* a file that vanished or is unreadable is skipped, as libosinfo skips
   * missing locations */
  if (!g_file_get_contents(file, &buf, &len, NULL) || len == 0)
    return;
  if (vmi_os_quick_scan(buf, len, oses))
    return;
  g_ptr_array_set_size(oses, 0);
  vmi_os_xml_scan(buf, len, file, oses);
}
