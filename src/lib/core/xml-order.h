/* Where libvirt's schema and virt-install put child elements. */
#pragma once

#include <glib.h>

/* Rank of child @child under an element named @parent: smaller comes
 * first; -1 when unranked (unranked children go after ranked ones, in the
 * order they were created). */
int vmi_xml_child_rank(const char *parent, const char *child);
