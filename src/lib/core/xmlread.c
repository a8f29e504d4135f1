#include <string.h>
#include <libxml/parser.h>
#include "vminstall/error.h"
#include "xmlread.h"

xmlDocPtr
vmi_xmlread_parse(const char *xml, const char *root, const char *what, GError **error)
{
  xmlDocPtr doc;
  xmlNodePtr top;

  if (!xml) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "no %s XML to parse", what);
    return NULL;
  }
  /* NOERROR/NOWARNING: library code must not print; the error is read
   * back from libxml2 and reported through GError instead. */
  doc = xmlReadMemory(xml, (int)strlen(xml), what, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc) {
    const xmlError *xerr = xmlGetLastError();
    g_autofree char *msg = g_strdup(xerr && xerr->message ? xerr->message : "malformed XML");
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot parse %s XML: %s", what,
                g_strstrip(msg));
    return NULL;
  }
  top = xmlDocGetRootElement(doc);
  if (!top || !xmlStrEqual(top->name, BAD_CAST root)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "%s XML has root element <%s>, expected <%s>", what,
                top ? (const char *)top->name : "", root);
    xmlFreeDoc(doc);
    return NULL;
  }
  return doc;
}

static gboolean
is_element(xmlNodePtr node, const char *name)
{
  return node->type == XML_ELEMENT_NODE &&
         (!name || xmlStrEqual(node->name, BAD_CAST name));
}

xmlNodePtr
vmi_xmlread_child(xmlNodePtr node, const char *name)
{
  if (!node)
    return NULL;
  for (xmlNodePtr c = node->children; c; c = c->next)
    if (is_element(c, name))
      return c;
  return NULL;
}

xmlNodePtr
vmi_xmlread_next(xmlNodePtr node, const char *name)
{
  for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
    if (is_element(c, name))
      return c;
  return NULL;
}

char *
vmi_xmlread_text(xmlNodePtr node)
{
  xmlChar *content;
  char *ret = NULL;

  if (!node)
    return NULL;
  content = xmlNodeGetContent(node);
  if (content && *content)
    ret = g_strdup((const char *)content);
  xmlFree(content);
  return ret;
}

char *
vmi_xmlread_child_text(xmlNodePtr node, const char *name)
{
  return vmi_xmlread_text(vmi_xmlread_child(node, name));
}

char *
vmi_xmlread_attr(xmlNodePtr node, const char *name)
{
  xmlChar *val;
  char *ret;

  if (!node)
    return NULL;
  val = xmlGetProp(node, BAD_CAST name);
  if (!val)
    return NULL;
  ret = g_strdup((const char *)val);
  xmlFree(val);
  return ret;
}

gboolean
vmi_xmlread_attr_is(xmlNodePtr node, const char *name, const char *value)
{
  g_autofree char *val = vmi_xmlread_attr(node, name);
  return g_strcmp0(val, value) == 0;
}
