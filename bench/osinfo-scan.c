/*
 * bench/osinfo-scan.c: what building the osinfo-db index costs per way of
 * reading the database's OS files, to choose how src/lib/osinfo reads them
 * (README.md, "The osinfo-db index"):
 *
 *   quick   the index's own scanner (osinfo-quickscan.c)
 *   tree    libxml2's tree parser (xmlReadMemory), what the index falls
 *           back to (osinfo-scan.c)
 *   reader  libxml2's streaming reader (xmlReaderForMemory), pulling the
 *           same elements the scanner finds
 *
 *   osinfo-scan-bench [-n RUNS] [DBDIR]    (default /usr/share/osinfo)
 *
 * Every file below DBDIR/os is read into memory first; each way then reads
 * all of them RUNS times (default 15).  Prints the median per way, the
 * ratio to quick, and whether the three found the same <os> elements.
 * Built as BUILDDIR/bench/osinfo-scan-bench.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/xmlreader.h>
#include "osinfo-scan.h"

typedef struct {
  char *path;
  char *buf;
  gsize len;
} File;

static void
collect(const char *dir, GPtrArray *files)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(dir, name, NULL);

    if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
      collect(path, files);
    } else if (g_str_has_suffix(name, ".xml")) {
      File *f = g_new0(File, 1);

      if (g_file_get_contents(path, &f->buf, &f->len, NULL)) {
        f->path = g_steal_pointer(&path);
        g_ptr_array_add(files, f);
      } else {
        g_free(f);
      }
    }
  }
}

/* The scanner's answer with libxml2's streaming reader: every <os id> at
 * depth 1 with its short ids, relation ids, first codename and trees. */
static void
reader_scan(const char *buf, gsize len, GPtrArray *oses)
{
  xmlTextReaderPtr r = xmlReaderForMemory(buf, (int)len, NULL, NULL,
                                          XML_PARSE_NONET | XML_PARSE_NOERROR |
                                              XML_PARSE_NOWARNING);
  VmiOsScannedOs *cur = NULL;
  VmiOsScannedTree *tree = NULL;
  gboolean in_treeinfo = FALSE;

  while (r && xmlTextReaderRead(r) == 1) {
    int type = xmlTextReaderNodeType(r);
    int depth = xmlTextReaderDepth(r);
    const char *name = (const char *)xmlTextReaderConstLocalName(r);
    gsize n = name ? strlen(name) : 0;

    if (type != XML_READER_TYPE_ELEMENT)
      continue;
    if (depth == 1) {
      xmlChar *id = xmlTextReaderGetAttribute(r, BAD_CAST "id");

      cur = NULL;
      tree = NULL;
      if (vmi_os_name_is(name, n, "os") && id) {
        cur = vmi_os_scanned_os_new(g_strdup((const char *)id));
        g_ptr_array_add(oses, cur);
      }
      xmlFree(id);
    } else if (depth == 2 && cur) {
      int rel = vmi_os_rel_kind(name, n);

      in_treeinfo = FALSE;
      tree = NULL;
      if (vmi_os_name_is(name, n, "short-id")) {
        xmlChar *text = xmlTextReaderReadString(r);
        if (text && text[0])
          g_ptr_array_add(cur->short_ids, g_strdup((const char *)text));
        xmlFree(text);
      } else if (vmi_os_name_is(name, n, "codename")) {
        if (!cur->seen_codename) {
          xmlChar *text = xmlTextReaderReadString(r);
          if (text && text[0])
            cur->codename = g_strdup((const char *)text);
          xmlFree(text);
        }
        cur->seen_codename = TRUE;
      } else if (vmi_os_name_is(name, n, "tree")) {
        xmlChar *arch = xmlTextReaderGetAttribute(r, BAD_CAST "arch");

        tree = g_new0(VmiOsScannedTree, 1);
        tree->arch = arch ? g_strdup((const char *)arch) : NULL;
        g_ptr_array_add(cur->trees, tree);
        xmlFree(arch);
      } else if (rel >= 0) {
        xmlChar *id = xmlTextReaderGetAttribute(r, BAD_CAST "id");
        if (id)
          g_ptr_array_add(cur->rels[rel], g_strdup((const char *)id));
        xmlFree(id);
      }
    } else if (depth == 3 && tree) {
      in_treeinfo = vmi_os_name_is(name, n, "treeinfo");
    } else if (depth == 4 && tree && in_treeinfo) {
      char **field = vmi_os_treeinfo_field(tree, name, n);

      tree->has_treeinfo = TRUE;
      if (field) {
        xmlChar *text = xmlTextReaderReadString(r);
        g_free(*field);
        *field = text && text[0] ? g_strdup((const char *)text) : NULL;
        xmlFree(text);
      }
    }
  }
  xmlFreeTextReader(r);
}

typedef enum { QUICK, TREE, READER, N_WAYS } Way;
static const char *const way_names[N_WAYS] = { "quick", "tree", "reader" };

/* Reads every file one way; the number of <os> elements and of short ids
 * found, for the check that all ways agree. */
static void
read_all(Way way, GPtrArray *files, guint *n_os, guint *n_short)
{
  *n_os = *n_short = 0;
  for (guint i = 0; i < files->len; i++) {
    File *f = files->pdata[i];
    g_autoptr(GPtrArray) oses = g_ptr_array_new_with_free_func(vmi_os_scanned_os_free);

    if (way == QUICK) {
      if (!vmi_os_quick_scan(f->buf, f->len, oses)) {
        g_ptr_array_set_size(oses, 0);
        vmi_os_xml_scan(f->buf, f->len, f->path, oses);
      }
    } else if (way == TREE) {
      vmi_os_xml_scan(f->buf, f->len, f->path, oses);
    } else {
      reader_scan(f->buf, f->len, oses);
    }
    *n_os += oses->len;
    for (guint o = 0; o < oses->len; o++)
      *n_short += ((VmiOsScannedOs *)oses->pdata[o])->short_ids->len;
  }
}

static int
compare_doubles(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
  const char *db = "/usr/share/osinfo";
  g_autofree char *osdir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new();
  double median[N_WAYS];
  guint n_os[N_WAYS], n_short[N_WAYS];
  int runs = 15;
  gsize bytes = 0;
  int opt;

  while ((opt = getopt(argc, argv, "n:")) != -1) {
    if (opt != 'n') {
      fprintf(stderr, "usage: osinfo-scan-bench [-n RUNS] [DBDIR]\n");
      return 2;
    }
    runs = atoi(optarg) > 0 ? atoi(optarg) : 1;
  }
  if (optind < argc)
    db = argv[optind];
  osdir = g_build_filename(db, "os", NULL);
  collect(osdir, files);
  for (guint i = 0; i < files->len; i++)
    bytes += ((File *)files->pdata[i])->len;
  printf("%u OS files, %.1f MB, below %s; %d runs each\n", files->len, bytes / 1e6, osdir,
         runs);
  xmlInitParser();
  for (int w = 0; w < N_WAYS; w++) {
    g_autofree double *t = g_new(double, runs);

    for (int i = 0; i < runs; i++) {
      gint64 start = g_get_monotonic_time();
      read_all(w, files, &n_os[w], &n_short[w]);
      t[i] = (g_get_monotonic_time() - start) / 1000.0;
    }
    qsort(t, runs, sizeof(double), compare_doubles);
    median[w] = t[runs / 2];
  }
  for (int w = 0; w < N_WAYS; w++)
    printf("%-7s %8.1f ms  %5.2fx quick   %u <os>, %u short ids\n", way_names[w], median[w],
           median[w] / median[QUICK], n_os[w], n_short[w]);
  printf("all ways found the same: %s\n",
         n_os[TREE] == n_os[QUICK] && n_os[READER] == n_os[QUICK] &&
         n_short[TREE] == n_short[QUICK] && n_short[READER] == n_short[QUICK] ? "yes" : "NO");
  return 0;
}
