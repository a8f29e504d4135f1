/*
 * The libvirt storage XML vminstall defines (a directory pool, a raw
 * volume), built with libxml2 so that names and paths taken from the
 * user or from install media are always escaped.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>

G_BEGIN_DECLS

/* <pool type='dir'> named @name with its target at @dir. */
char *vmi_storage_xml_dir_pool(const char *name, const char *dir);

/* <volume> named @name: a raw image of @bytes bytes. */
char *vmi_storage_xml_raw_volume(const char *name, guint64 bytes);

/* @doc as text (indented, with the XML declaration); frees @doc. */
char *vmi_storage_xml_finish(xmlDocPtr doc);

G_END_DECLS
