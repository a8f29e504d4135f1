/*
 * Small read-only libxml2 helpers for documents libvirt hands back
 * (capabilities, domain capabilities, storage pools): parsing without
 * network access or printing, and element/attribute lookups.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Parses @xml without network access and without libxml2 printing
 * anything; the root element must be @root.  @what names the document in
 * errors ("capabilities"). */
xmlDocPtr vmi_xmlread_parse(const char *xml, const char *root, const char *what,
                            GError **error);

/* First element child of @node named @name (any name when NULL), or NULL. */
xmlNodePtr vmi_xmlread_child(xmlNodePtr node, const char *name);
/* Next element sibling after @node named @name (any name when NULL). */
xmlNodePtr vmi_xmlread_next(xmlNodePtr node, const char *name);

/* The text of @node as a new string; NULL for a missing node or empty
 * text, because virt-install treats both alike ("a or b"). */
char *vmi_xmlread_text(xmlNodePtr node);
/* Text of the first child element @name of @node. */
char *vmi_xmlread_child_text(xmlNodePtr node, const char *name);
/* Attribute @name of @node as a new string, NULL when absent. */
char *vmi_xmlread_attr(xmlNodePtr node, const char *name);
/* TRUE if attribute @name of @node equals @value. */
gboolean vmi_xmlread_attr_is(xmlNodePtr node, const char *name, const char *value);

#define vmi_xmlread_foreach(var, parent, name)                    \
  for (xmlNodePtr var = vmi_xmlread_child((parent), (name)); var; \
       var = vmi_xmlread_next(var, (name)))

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)

G_END_DECLS
