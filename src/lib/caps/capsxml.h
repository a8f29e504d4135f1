/*
 * Small read-only libxml2 helpers shared by the capabilities and domain
 * capabilities parsers (private to src/lib/caps and src/lib/conn).
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* Parses @xml without network access and without libxml2 printing
 * anything; the root element must be @root.  @what names the document in
 * errors ("capabilities"). */
xmlDocPtr vmi_capsxml_parse(const char *xml, const char *root, const char *what,
                            GError **error);

/* First element child of @node named @name (any name when NULL), or NULL. */
xmlNodePtr vmi_capsxml_child(xmlNodePtr node, const char *name);
/* Next element sibling after @node named @name (any name when NULL). */
xmlNodePtr vmi_capsxml_next(xmlNodePtr node, const char *name);

/* The text of @node as a new string; NULL for a missing node or empty
 * text, because virt-install treats both alike ("a or b"). */
char *vmi_capsxml_text(xmlNodePtr node);
/* Text of the first child element @name of @node. */
char *vmi_capsxml_child_text(xmlNodePtr node, const char *name);
/* Attribute @name of @node as a new string, NULL when absent. */
char *vmi_capsxml_attr(xmlNodePtr node, const char *name);
/* TRUE if attribute @name of @node equals @value. */
gboolean vmi_capsxml_attr_is(xmlNodePtr node, const char *name, const char *value);

#define vmi_capsxml_foreach(var, parent, name)                    \
  for (xmlNodePtr var = vmi_capsxml_child((parent), (name)); var; \
       var = vmi_capsxml_next(var, (name)))

G_DEFINE_AUTOPTR_CLEANUP_FUNC(xmlDoc, xmlFreeDoc)

G_END_DECLS
