/*
 * Storage pool and volume XML for the places outside the runner's disk
 * creation that define them (the boot scratch pool, uploaded kernels,
 * initrds and seed ISOs).
 */
#include <libxml/tree.h>
#include "storage-xml.h"

char *
vmi_storage_xml_finish(xmlDocPtr doc)
{
  xmlChar *mem = NULL;
  int len = 0;
  char *ret;

  xmlDocDumpFormatMemory(doc, &mem, &len, 1);
  ret = g_strndup((const char *)mem, len);
  xmlFree(mem);
  xmlFreeDoc(doc);
  return ret;
}

char *
vmi_storage_xml_dir_pool(const char *name, const char *dir)
{
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "pool");
  xmlNodePtr target;

  xmlDocSetRootElement(doc, root);
  xmlNewProp(root, BAD_CAST "type", BAD_CAST "dir");
  xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
  target = xmlNewChild(root, NULL, BAD_CAST "target", NULL);
  xmlNewTextChild(target, NULL, BAD_CAST "path", BAD_CAST dir);
  return vmi_storage_xml_finish(doc);
}

char *
vmi_storage_xml_raw_volume(const char *name, guint64 bytes)
{
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "volume");
  xmlNodePtr node;
  g_autofree char *cap = g_strdup_printf("%" G_GUINT64_FORMAT, bytes);

  xmlDocSetRootElement(doc, root);
  xmlNewTextChild(root, NULL, BAD_CAST "name", BAD_CAST name);
  node = xmlNewTextChild(root, NULL, BAD_CAST "capacity", BAD_CAST cap);
  xmlNewProp(node, BAD_CAST "unit", BAD_CAST "bytes");
  node = xmlNewChild(xmlNewChild(root, NULL, BAD_CAST "target", NULL), NULL, BAD_CAST "format",
                     NULL);
  xmlNewProp(node, BAD_CAST "type", BAD_CAST "raw");
  return vmi_storage_xml_finish(doc);
}
