/*
 * libFuzzer target: the osinfo-db index's own XML scanner
 * (src/lib/osinfo/osinfo-quickscan.c).  No input may crash it, and what it
 * accepts (TRUE) it must read as libxml2 reads it (osinfo-scan.c's
 * vmi_os_xml_scan): the same <os> elements, short ids, relations,
 * codename and trees, for every document libxml2 parses without a single
 * error or warning.  (A document libxml2 complains about is outside
 * osinfo-db's XML: there the scanner only has to survive.)
 */
#include <stdint.h>
#include <string.h>
#include <libxml/parser.h>
#include "osinfo-scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int complaints;

static void
count_complaint(void *data, const xmlError *error)
{
  complaints++;
}

/* libxml2 reads @buf without any error or warning. */
static gboolean
well_formed(const char *buf, size_t size)
{
  xmlDocPtr doc;

  complaints = 0;
  xmlSetStructuredErrorFunc(NULL, (xmlStructuredErrorFunc)count_complaint);
  doc = xmlReadMemory(buf, (int)size, "fuzz.xml", NULL, XML_PARSE_NONET);
  xmlSetStructuredErrorFunc(NULL, NULL);
  if (doc)
    xmlFreeDoc(doc);
  return doc && complaints == 0;
}

static void
assert_same_strings(GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint(a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr(a->pdata[i], ==, b->pdata[i]);
}

static void
assert_same(GPtrArray *quick, GPtrArray *xml)
{
  g_assert_cmpuint(quick->len, ==, xml->len);
  for (guint i = 0; i < quick->len; i++) {
    const VmiOsScannedOs *q = quick->pdata[i];
    const VmiOsScannedOs *x = xml->pdata[i];

    g_assert_cmpstr(q->id, ==, x->id);
    assert_same_strings(q->short_ids, x->short_ids);
    for (int k = 0; k < VMI_OS_N_RELS; k++)
      assert_same_strings(q->rels[k], x->rels[k]);
    /* "unknown" sends the lookup to the record reader, which reads the
     * whole element: any answer is then right */
    if (!q->codename_unknown) {
      g_assert_false(x->codename_unknown);
      g_assert_cmpstr(q->codename, ==, x->codename);
    }
    g_assert_cmpuint(q->trees->len, ==, x->trees->len);
    for (guint t = 0; t < q->trees->len; t++) {
      const VmiOsScannedTree *qt = q->trees->pdata[t];
      const VmiOsScannedTree *xt = x->trees->pdata[t];

      g_assert_cmpstr(qt->arch, ==, xt->arch);
      g_assert_cmpint(qt->has_treeinfo, ==, xt->has_treeinfo);
      g_assert_cmpstr(qt->family, ==, xt->family);
      g_assert_cmpstr(qt->variant, ==, xt->variant);
      g_assert_cmpstr(qt->version, ==, xt->version);
      g_assert_cmpstr(qt->treeinfo_arch, ==, xt->treeinfo_arch);
    }
  }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *buf = (const char *)data;
  g_autoptr(GPtrArray) quick = g_ptr_array_new_with_free_func(vmi_os_scanned_os_free);
  g_autoptr(GPtrArray) xml = g_ptr_array_new_with_free_func(vmi_os_scanned_os_free);

  if (size > G_MAXINT)
    return 0;
  if (!vmi_os_quick_scan(buf, size, quick) || !well_formed(buf, size))
    return 0;
  for (guint i = 0; i < quick->len; i++)
    g_assert_nonnull(((VmiOsScannedOs *)quick->pdata[i])->id);
  vmi_os_xml_scan(buf, size, "fuzz.xml", xml);
  assert_same(quick, xml);
  return 0;
}
