/*
 * What the index keeps of one database file (osinfo-scan.c), and the
 * scanner that reads it from the text (osinfo-quickscan.c).  Private to
 * the osinfo module (and its fuzz target).
 */
#pragma once

#include <string.h>
#include <glib.h>
#include "osinfo-private.h"

G_BEGIN_DECLS

/* One <tree> element, in the order of its <os> element's trees. */
typedef struct {
  char *arch, *family, *variant, *version, *treeinfo_arch;
  gboolean has_treeinfo; /* any element inside <treeinfo> */
} VmiOsScannedTree;

/* The relations an <os> names, in the order libosinfo walks them. */
enum { VMI_OS_REL_DERIVES, VMI_OS_REL_CLONES, VMI_OS_REL_UPGRADES, VMI_OS_N_RELS };

/* One top-level <os> element of a file. */
typedef struct {
  char *id;
  GPtrArray *short_ids;
  GPtrArray *rels[VMI_OS_N_RELS]; /* ids, each kind in document order */
  gboolean seen_codename;
  char *codename;                 /* whole text of the first <codename> */
  gboolean codename_unknown;
  GPtrArray *trees;               /* VmiOsScannedTree * */
} VmiOsScannedOs;

/* Takes @id. */
VmiOsScannedOs *vmi_os_scanned_os_new(char *id);
void vmi_os_scanned_os_free(gpointer os);

/* Where the <treeinfo> child element @name goes in @tree, or NULL. */
char **vmi_os_treeinfo_field(VmiOsScannedTree *tree, const char *name, gsize len);
/* The relation element @name names (VMI_OS_REL_*), or -1. */
int vmi_os_rel_kind(const char *name, gsize len);

static inline gboolean
vmi_os_name_is(const char *name, gsize len, const char *want)
{
  gsize n = strlen(want);

  return len == n && memcmp(name, want, n) == 0;
}

/* Appends the <os> elements of the file @buf to @oses (of
 * VmiOsScannedOs), reading the text directly.  FALSE when the file uses
 * XML this scanner does not handle (DTD, CDATA, an encoding other than
 * UTF-8 ...): then @oses holds nothing that counts. */
gboolean vmi_os_quick_scan(const char *buf, gsize len, GPtrArray *oses);

/* The same answer from libxml2.  A file libxml2 cannot parse defines
 * nothing; looking up an OS whose files include it reports the error. */
void vmi_os_xml_scan(const char *buf, gsize len, const char *file, GPtrArray *oses);

/* vmi_os_quick_scan, else vmi_os_xml_scan, on the file @file (a file
 * that vanished or cannot be read defines nothing). */
void vmi_os_scan_file(const char *file, GPtrArray *oses);

G_END_DECLS
