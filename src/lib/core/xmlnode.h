/*
 * Property access on libxml2 element trees with a path syntax
 * ("target/@bus", "source/@file", "model/@type", "name" for text).
 *
 * Elements created by a set are inserted at the position libvirt's
 * schema (and virt-install) puts them, unless the document is in
 * append mode: then they go last, the way virt-install edits an XML
 * document it parsed back (that is what the install phase is).
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* A new string with the value at @path below @node, or NULL if unset.
 * An element path yields its text content; "." is the node's own text. */
char *vmi_node_get(xmlNodePtr node, const char *path);

/* TRUE if the attribute or element at @path exists. */
gboolean vmi_node_has(xmlNodePtr node, const char *path);

/* TRUE if the value at @path equals @value (NULL matches unset). */
gboolean vmi_node_is(xmlNodePtr node, const char *path, const char *value);

/* Integer value at @path, or @fallback when unset or not a number. */
gint64 vmi_node_get_int(xmlNodePtr node, const char *path, gint64 fallback);

/* Sets the value at @path, creating elements as needed; "" on an element
 * path leaves it present and empty (<acpi/>).
 * @value NULL removes it, and removes elements left empty by that. */
void vmi_node_set(xmlNodePtr node, const char *path, const char *value);
void vmi_node_set_int(xmlNodePtr node, const char *path, gint64 value);

/* The element at @path (no attribute part); created when @create. */
xmlNodePtr vmi_node_child(xmlNodePtr node, const char *path, gboolean create);

/* Appends a new element @name to @parent at its ordered position. */
xmlNodePtr vmi_node_add(xmlNodePtr parent, const char *name);

/* All direct children of @node named @name, borrowed, in document order. */
GPtrArray *vmi_node_children(xmlNodePtr node, const char *name);

/* Unlinks and frees @node; NULL is fine. */
void vmi_node_remove(xmlNodePtr node);

/* Switches the whole document of @node to append mode (see above). */
void vmi_doc_set_append_mode(xmlDocPtr doc, gboolean append);

G_END_DECLS
