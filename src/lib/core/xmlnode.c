#include <string.h>
#include <stdlib.h>
#include "xmlnode.h"
#include "xml-order.h"

/* Splits "a/b/@c" into element segments and an optional attribute. */
typedef struct {
  char **segs;      /* element names; empty for "." or "@attr" */
  const char *attr; /* points into segs' storage or NULL */
  char *attr_owned;
} Path;

static void
path_clear(Path *p)
{
  g_strfreev(p->segs);
  g_free(p->attr_owned);
}

static void
path_parse(const char *path, Path *p)
{
  g_auto(GStrv) parts = g_strsplit(path && *path ? path : ".", "/", -1);
  g_autoptr(GPtrArray) segs = g_ptr_array_new();

  p->attr = NULL;
  p->attr_owned = NULL;
  for (guint i = 0; parts[i]; i++) {
    if (parts[i][0] == '@' && !parts[i + 1]) {
      p->attr_owned = g_strdup(parts[i] + 1);
      p->attr = p->attr_owned;
    } else if (strcmp(parts[i], ".") != 0 && parts[i][0]) {
      g_ptr_array_add(segs, g_strdup(parts[i]));
    }
  }
  g_ptr_array_add(segs, NULL);
  p->segs = (char **)g_ptr_array_steal(segs, NULL);
}

static gboolean
doc_append_mode(xmlNodePtr node)
{
  return node->doc && node->doc->_private == GINT_TO_POINTER(1);
}

void
vmi_doc_set_append_mode(xmlDocPtr doc, gboolean append)
{
  doc->_private = append ? GINT_TO_POINTER(1) : NULL;
}

static xmlNodePtr
find_child(xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr c = parent->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
      return c;
  return NULL;
}

xmlNodePtr
vmi_node_add(xmlNodePtr parent, const char *name)
{
  xmlNodePtr node = xmlNewDocNode(parent->doc, NULL, (const xmlChar *)name, NULL);
  int rank = vmi_xml_child_rank((const char *)parent->name, name);

  if (rank >= 0 && !doc_append_mode(parent)) {
    /* Before the first sibling that ranks later; siblings of the same
     * name stay in creation order. */
    for (xmlNodePtr c = parent->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE)
        continue;
      int crank = vmi_xml_child_rank((const char *)parent->name, (const char *)c->name);
      if (crank < 0 || crank > rank)
        return xmlAddPrevSibling(c, node);
    }
  }
  return xmlAddChild(parent, node);
}

xmlNodePtr
vmi_node_child(xmlNodePtr node, const char *path, gboolean create)
{
  g_auto(GStrv) parts = g_strsplit(path ? path : ".", "/", -1);

  for (guint i = 0; node && parts[i]; i++) {
    if (!parts[i][0] || strcmp(parts[i], ".") == 0)
      continue;
    xmlNodePtr next = find_child(node, parts[i]);
    if (!next && create)
      next = vmi_node_add(node, parts[i]);
    node = next;
  }
  return node;
}

static xmlNodePtr
path_element(xmlNodePtr node, const Path *p, gboolean create)
{
  for (guint i = 0; node && p->segs[i]; i++) {
    xmlNodePtr next = find_child(node, p->segs[i]);
    if (!next && create)
      next = vmi_node_add(node, p->segs[i]);
    node = next;
  }
  return node;
}

char *
vmi_node_get(xmlNodePtr node, const char *path)
{
  Path p;
  char *ret = NULL;

  path_parse(path, &p);
  xmlNodePtr el = path_element(node, &p, FALSE);
  if (el) {
    xmlChar *val = p.attr ? xmlGetProp(el, (const xmlChar *)p.attr)
                          : xmlNodeGetContent(el);
    if (val) {
      ret = g_strdup((const char *)val);
      xmlFree(val);
    }
  }
  path_clear(&p);
  return ret;
}

gboolean
vmi_node_has(xmlNodePtr node, const char *path)
{
  Path p;
  gboolean ret = FALSE;

  path_parse(path, &p);
  xmlNodePtr el = path_element(node, &p, FALSE);
  if (el)
    ret = p.attr ? xmlHasProp(el, (const xmlChar *)p.attr) != NULL : TRUE;
  path_clear(&p);
  return ret;
}

gboolean
vmi_node_is(xmlNodePtr node, const char *path, const char *value)
{
  g_autofree char *cur = vmi_node_get(node, path);
  return g_strcmp0(cur, value) == 0;
}

gint64
vmi_node_get_int(xmlNodePtr node, const char *path, gint64 fallback)
{
  g_autofree char *cur = vmi_node_get(node, path);
  gint64 val;

  if (!cur || !g_ascii_string_to_signed(cur, 10, G_MININT64, G_MAXINT64, &val, NULL))
    return fallback;
  return val;
}

static gboolean
element_is_empty(xmlNodePtr el)
{
  return !el->properties && !el->children;
}

void
vmi_node_set(xmlNodePtr node, const char *path, const char *value)
{
  Path p;

  path_parse(path, &p);
  if (value) {
    xmlNodePtr el = path_element(node, &p, TRUE);
    if (p.attr) {
      xmlSetProp(el, (const xmlChar *)p.attr, (const xmlChar *)value);
    } else {
      /* Text goes in as a text node so that '&' and '<' are escaped on
       * output rather than parsed as markup. */
      xmlNodeSetContent(el, NULL);
      if (*value)
        xmlAddChild(el, xmlNewDocText(el->doc, (const xmlChar *)value));
    }
  } else {
    xmlNodePtr el = path_element(node, &p, FALSE);
    if (el) {
      if (p.attr) {
        xmlUnsetProp(el, (const xmlChar *)p.attr);
      } else if (el != node) {
        xmlNodePtr parent = el->parent;
        vmi_node_remove(el);
        el = parent;
      } else {
        xmlNodeSetContent(el, NULL);
      }
      /* Drop elements the removal left empty, up to @node itself. */
      while (el && el != node && element_is_empty(el)) {
        xmlNodePtr parent = el->parent;
        vmi_node_remove(el);
        el = parent;
      }
    }
  }
  path_clear(&p);
}

void
vmi_node_set_int(xmlNodePtr node, const char *path, gint64 value)
{
  char buf[32];
  g_snprintf(buf, sizeof(buf), "%" G_GINT64_FORMAT, value);
  vmi_node_set(node, path, buf);
}

GPtrArray *
vmi_node_children(xmlNodePtr node, const char *name)
{
  GPtrArray *ret = g_ptr_array_new();

  for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE &&
        (!name || strcmp((const char *)c->name, name) == 0))
      g_ptr_array_add(ret, c);
  return ret;
}

void
vmi_node_remove(xmlNodePtr node)
{
  if (!node)
    return;
  xmlUnlinkNode(node);
  xmlFreeNode(node);
}
