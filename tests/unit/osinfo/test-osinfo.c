/*
 * Tests of the osinfo module (TAP).
 *
 *   test-osinfo [--tap] [EXPECTED]
 *                              compare with virt-install's answers, written
 *                              by gen-expected.py (and, for install trees,
 *                              by gen-expected-trees.py into the
 *                              expected-trees.txt beside EXPECTED), and test
 *                              the index cache and the inheritance rules on
 *                              a made-up db; EXPECTED defaults to the
 *                              expected.txt beside this file (found through
 *                              VMI_TEST_DATADIR, which tests/meson.build
 *                              sets, or __FILE__)
 *   test-osinfo --print EXPECTED   print our answers for EXPECTED's sections
 *   test-osinfo --print-all        our answers for the whole database, to
 *                                  diff with `gen-expected.py --all`
 *   test-osinfo --os SHORT_ID      our answers for one OS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "vminstall/error.h"
#include "compare.h"
#include "osinfo.h"

/* for the order of the index's entries */
#include "osinfo-private.h"

static const char *const archs[] = { "x86_64", "i686", "aarch64",
                                     "ppc64le", "s390x", "armv7l", NULL };
static const char *const efi_archs[] = { "x86_64", "i686", "aarch64", NULL };
static const char *const eol_dates[] = { "2010-06-15", "2020-06-15",
                                         "2023-06-15", "2030-06-15", NULL };
static const char *const related[] = { "rhel7.0", "rhel6.0", "fedora30",
                                       "win7", "debian9", NULL };
static const struct {
  const char *label;
  VmiOsFeature feature;
} supports[] = {
  { "virtio-disk", VMI_OS_VIRTIO_DISK },
  { "virtio-scsi", VMI_OS_VIRTIO_SCSI },
  { "virtio-net", VMI_OS_VIRTIO_NET },
  { "virtio-rng", VMI_OS_VIRTIO_RNG },
  { "virtio-gpu", VMI_OS_VIRTIO_GPU },
  { "virtio-balloon", VMI_OS_VIRTIO_BALLOON },
  { "virtio-serial", VMI_OS_VIRTIO_SERIAL },
  { "virtio-input", VMI_OS_VIRTIO_INPUT },
  { "usb3", VMI_OS_USB3 },
  { "virtio1", VMI_OS_VIRTIO1 },
  { "chipset-q35", VMI_OS_CHIPSET_Q35 },
};

static int test_num;
static int failures;

/* the directory of expected.txt, and tests/data */
static char *unit_dir;
static char *data_dir;

static void
tap(gboolean ok, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
tap(gboolean ok, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *name = NULL;

  va_start(ap, fmt);
  name = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  printf("%s %d - %s\n", ok ? "ok" : "not ok", ++test_num, name);
  if (!ok)
    failures++;
}

static void
diag(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void
diag(const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start(ap, fmt);
  msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  printf("# %s\n", msg);
}

static const char *
yes_no(gboolean v)
{
  return v ? "yes" : "no";
}

static char *
num(gint64 v)
{
  return v == -1 ? g_strdup("none") : g_strdup_printf("%" G_GINT64_FORMAT, v);
}

static GDate *
date_of(const char *s)
{
  GDate *d = g_date_new();

  g_date_set_parse(d, s);
  g_assert(g_date_valid(d));
  return d;
}

/* The facts, in gen-expected.py's format. */
static void
print_os(GString *out, const VmiOs *os)
{
  g_autoptr(GPtrArray) names = vmi_os_all_short_ids(os);
  const char *kernel_arg = vmi_os_kernel_url_arg(os);

  g_string_append_printf(out, "name: %s\n", vmi_os_short_id(os));
  g_string_append(out, "all-names: ");
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf(out, "%s%s", i ? ", " : "",
                           (char *)names->pdata[i]);
  g_string_append_c(out, '\n');
  g_string_append_printf(out, "full-id: %s\n",
                         vmi_os_full_id(os) ? vmi_os_full_id(os) : "none");
  g_string_append_printf(out, "family: %s\n",
                         vmi_os_family(os) ? vmi_os_family(os) : "none");
  g_string_append_printf(out, "label: %s\n", vmi_os_label(os));
  g_string_append_printf(out, "generic: %s\n", yes_no(vmi_os_is_generic(os)));
  g_string_append_printf(out, "windows: %s\n", yes_no(vmi_os_is_windows(os)));
  g_string_append_printf(out, "linux-generic: %s\n",
                         yes_no(vmi_os_is_linux_generic(os)));
  g_string_append_printf(out, "clock: %s\n", vmi_os_clock(os));
  for (int i = 0; eol_dates[i]; i++) {
    g_autoptr(GDate) d = date_of(eol_dates[i]);

    g_string_append_printf(out, "eol %s: %s\n", eol_dates[i],
                           yes_no(vmi_os_is_eol_on(os, d)));
  }
  for (int i = 0; related[i]; i++)
    g_string_append_printf(out, "related-to %s: %s\n", related[i],
                           yes_no(vmi_os_is_related_to(os, related[i])));
  for (guint i = 0; i < G_N_ELEMENTS(supports); i++)
    g_string_append_printf(out, "%s: %s\n", supports[i].label,
                           yes_no(vmi_os_supports(os, supports[i].feature)));
  for (int i = 0; efi_archs[i]; i++)
    g_string_append_printf(out, "requires-efi %s: %s\n", efi_archs[i],
                           yes_no(vmi_os_requires_efi(os, efi_archs[i])));
  for (int i = 0; archs[i]; i++) {
    g_autofree char *min_ram = num(vmi_os_minimum_ram(os, archs[i]));
    g_autofree char *rec_ram = num(vmi_os_recommended_ram(os, archs[i]));
    g_autofree char *ncpus = num(vmi_os_recommended_ncpus(os, archs[i]));
    g_autofree char *storage = num(vmi_os_recommended_storage(os, archs[i]));
    g_autofree char *net = num(vmi_os_network_install_ram(os, archs[i]));

    g_string_append_printf(out,
                           "resources %s: min-ram=%s rec-ram=%s rec-ncpus=%s "
                           "rec-storage=%s netinst-ram=%s\n",
                           archs[i], min_ram, rec_ram, ncpus, storage, net);
  }
  g_string_append_printf(out, "kernel-url-arg: %s\n",
                         kernel_arg ? kernel_arg : "none");
}

static const char *
opt_field(const char *field)
{
  return g_str_equal(field, "(none)") ? NULL : field;
}

static void
print_answer(GString *out, char *short_id, GError *error)
{
  if (error)
    g_string_append_printf(out, "error: %s\n", error->message);
  else
    g_string_append_printf(out, "os: %s\n", short_id ? short_id : "none");
  g_free(short_id);
}

/* The tree at @dir as libosinfo's osinfo_tree_create_from_location()
 * reads it: .treeinfo (or treeinfo) as a GKeyFile, [general] values. */
static char *
identify_dir(const char *dir, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  g_autofree char *path = g_build_filename(dir, ".treeinfo", NULL);
  g_autofree char *family = NULL;
  g_autofree char *variant = NULL;
  g_autofree char *version = NULL;
  g_autofree char *arch = NULL;

  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    g_free(path);
    path = g_build_filename(dir, "treeinfo", NULL);
  }
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
    return NULL;
  family = g_key_file_get_string(kf, "general", "family", NULL);
  variant = g_key_file_get_string(kf, "general", "variant", NULL);
  version = g_key_file_get_string(kf, "general", "version", NULL);
  arch = g_key_file_get_string(kf, "general", "arch", NULL);
  return vmi_os_identify_tree(family, variant, version, arch, error);
}

static gint
compare_rank(gconstpointer a, gconstpointer b)
{
  const VmiOsIndexEntry *x = *(VmiOsIndexEntry *const *)a;
  const VmiOsIndexEntry *y = *(VmiOsIndexEntry *const *)b;

  return x->rank < y->rank ? -1 : x->rank > y->rank;
}

static char *section_text(const char *header);

/* @header's text with tests/unit/osinfo/treedb as the only database. */
static char *
treedb_section_text(const char *header)
{
  static const char *const vars[] = { "OSINFO_SYSTEM_DIR", "OSINFO_LOCAL_DIR",
                                      "OSINFO_USER_DIR", "OSINFO_DATA_DIR" };
  char *saved[G_N_ELEMENTS(vars)];
  g_autofree char *db = g_build_filename(unit_dir, "treedb", NULL);
  g_autofree char *nowhere = g_build_filename(db, "nowhere", NULL);
  char *text;

  for (guint i = 0; i < G_N_ELEMENTS(vars); i++)
    saved[i] = g_strdup(g_getenv(vars[i]));
  g_setenv("OSINFO_SYSTEM_DIR", db, TRUE);
  g_setenv("OSINFO_LOCAL_DIR", nowhere, TRUE);
  g_setenv("OSINFO_USER_DIR", nowhere, TRUE);
  g_unsetenv("OSINFO_DATA_DIR");
  vmi_os_db_forget();
  text = section_text(header);
  for (guint i = 0; i < G_N_ELEMENTS(vars); i++) {
    if (saved[i])
      g_setenv(vars[i], saved[i], TRUE);
    else
      g_unsetenv(vars[i]);
    g_free(saved[i]);
  }
  vmi_os_db_forget();
  return text;
}

/* Our text for one section header of expected.txt ("os X", "id X",
 * "list") or expected-trees.txt ("tree F|V|V|A", "treeinfo DIR",
 * "codename PREFIX|LOCATION", "codename-dir PREFIX|DIR", "order",
 * "treedb SECTION"), without the header line. */
static char *
section_text(const char *header)
{
  GString *out = g_string_new(NULL);
  g_autoptr(GError) error = NULL;

  if (g_str_has_prefix(header, "treedb ")) {
    g_autofree char *text = treedb_section_text(header + strlen("treedb "));

    g_string_append(out, text);
  } else if (g_str_has_prefix(header, "tree ")) {
    g_auto(GStrv) f = g_strsplit(header + strlen("tree "), "|", 4);

    if (g_strv_length(f) == 4) {
      char *id = vmi_os_identify_tree(opt_field(f[0]), opt_field(f[1]),
                                      opt_field(f[2]), opt_field(f[3]),
                                      &error);
      print_answer(out, id, error);
    } else {
      g_string_append_printf(out, "error: bad section '%s'\n", header);
    }
  } else if (g_str_has_prefix(header, "treeinfo ")) {
    g_autofree char *dir =
        g_build_filename(data_dir, header + strlen("treeinfo "), NULL);
    char *id = identify_dir(dir, &error);

    print_answer(out, id, error);
  } else if (g_str_has_prefix(header, "codename ") ||
             g_str_has_prefix(header, "codename-dir ")) {
    gboolean dir = g_str_has_prefix(header, "codename-dir ");
    g_auto(GStrv) f = g_strsplit(strchr(header, ' ') + 1, "|", 2);

    if (g_strv_length(f) == 2) {
      g_autofree char *location =
          dir ? g_build_filename(data_dir, f[1], NULL) : g_strdup(f[1]);
      char *id = vmi_os_find_by_codename(f[0], location, &error);

      print_answer(out, id, error);
    } else {
      g_string_append_printf(out, "error: bad section '%s'\n", header);
    }
  } else if (g_str_equal(header, "order")) {
    g_autoptr(VmiOsIndex) index = vmi_os_index_get(&error);
    g_autoptr(GPtrArray) sorted = g_ptr_array_new();

    if (!index)
      g_string_append_printf(out, "error: %s\n", error->message);
    for (guint i = 0; index && i < index->entries->len; i++) {
      VmiOsIndexEntry *e = index->entries->pdata[i];

      if (e->short_ids->len > 0)
        g_ptr_array_add(sorted, e);
    }
    g_ptr_array_sort(sorted, compare_rank);
    for (guint i = 0; i < sorted->len; i++)
      g_string_append_printf(out, "%s\n",
                             ((VmiOsIndexEntry *)sorted->pdata[i])->id);
  } else if (g_str_has_prefix(header, "os ") ||
             g_str_has_prefix(header, "id ")) {
    gboolean by_id = header[0] == 'i';
    g_autoptr(VmiOs) os = by_id ? vmi_os_lookup_by_id(header + 3, &error)
                                : vmi_os_lookup(header + 3, &error);

    if (!os)
      g_string_append_printf(out, "error: %s\n", error->message);
    else if (by_id)
      g_string_append_printf(out, "name: %s\n", vmi_os_short_id(os));
    else
      print_os(out, os);
  } else if (g_str_equal(header, "list")) {
    g_autoptr(GPtrArray) lines = vmi_os_list_lines(&error);

    if (!lines)
      g_string_append_printf(out, "error: %s\n", error->message);
    for (guint i = 0; lines && i < lines->len; i++)
      g_string_append_printf(out, "%s\n", (char *)lines->pdata[i]);
  } else {
    g_string_append_printf(out, "error: unknown section '%s'\n", header);
  }
  return g_string_free(out, FALSE);
}

typedef struct {
  char *header;
  GString *body;
} Section;

static void
section_free(gpointer data)
{
  Section *s = data;

  g_free(s->header);
  g_string_free(s->body, TRUE);
  g_free(s);
}

static GPtrArray *
read_expected(const char *path, char **db_version)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *sections = g_ptr_array_new_with_free_func(section_free);
  Section *cur = NULL;

  if (!g_file_get_contents(path, &text, NULL, &error)) {
    printf("Bail out! %s\n", error->message);
    exit(1);
  }
  lines = g_strsplit(text, "\n", -1);
  for (int i = 0; lines[i]; i++) {
    if (g_str_has_prefix(lines[i], "# osinfo-db ")) {
      *db_version = g_strdup(lines[i] + strlen("# osinfo-db "));
    } else if (g_str_has_prefix(lines[i], "== ")) {
      cur = g_new0(Section, 1);
      cur->header = g_strdup(lines[i] + 3);
      cur->body = g_string_new(NULL);
      g_ptr_array_add(sections, cur);
    } else if (cur && (lines[i][0] || lines[i + 1])) {
      g_string_append_printf(cur->body, "%s\n", lines[i]);
    }
  }
  return sections;
}

static char *
installed_db_version(void)
{
  const char *dir = g_getenv("OSINFO_SYSTEM_DIR");
  g_autofree char *path =
      g_build_filename(dir ? dir : "/usr/share/osinfo", "VERSION", NULL);
  char *text = NULL;

  if (!g_file_get_contents(path, &text, NULL, NULL))
    return g_strdup("unknown");
  return g_strstrip(text);
}

static void
compare_with_virt_install(const char *expected_path)
{
  g_autofree char *want_version = NULL;
  g_autofree char *have_version = installed_db_version();
  g_autoptr(GPtrArray) sections = read_expected(expected_path, &want_version);
  gboolean skip = g_strcmp0(want_version, have_version) != 0;

  for (guint i = 0; i < sections->len; i++) {
    Section *s = sections->pdata[i];
    g_autofree char *got = NULL;

    /* the made-up database's answers do not depend on osinfo-db */
    if (skip && !g_str_has_prefix(s->header, "treedb ")) {
      printf("ok %d - virt-install agrees on %s # SKIP osinfo-db %s "
             "installed, expected.txt is for %s\n",
             ++test_num, s->header, have_version, want_version);
      continue;
    }
    got = section_text(s->header);
    tap(g_str_equal(got, s->body->str), "virt-install agrees on %s",
        s->header);
    if (!g_str_equal(got, s->body->str)) {
      g_autofree char *diff = vmi_test_diff(s->body->str, got, "virt-install", "vminstall");
      fputs(diff, stdout);
    }
  }
}

/* ------------------------------------------------------------ made-up db */

static void
write_file(const char *path, const char *text)
{
  g_autofree char *dir = g_path_get_dirname(path);
  g_autoptr(GError) error = NULL;

  g_assert(g_mkdir_with_parents(dir, 0755) == 0);
  if (!g_file_set_contents(path, text, -1, &error))
    g_error("%s", error->message);
}

/* Dates every directory under @root in the past: a scan that sees a
 * directory changed in the last seconds is not cached (it might miss a
 * change made in the same clock tick), and tests must not wait. */
static void
age_tree(const char *root, time_t when)
{
  g_autoptr(GDir) d = g_dir_open(root, 0, NULL);
  struct timespec ts[2] = { { when, 0 }, { when, 0 } };
  const char *name;

  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *path = g_build_filename(root, name, NULL);

    if (g_file_test(path, G_FILE_TEST_IS_DIR))
      age_tree(path, when);
    utimensat(AT_FDCWD, path, ts, 0);
  }
  utimensat(AT_FDCWD, root, ts, 0);
}

static void
put(const char *root, const char *rel, const char *text)
{
  g_autofree char *path = g_build_filename(root, rel, NULL);

  write_file(path, text);
}

#define OS_XML(id, body)                                                  \
  "<?xml version=\"1.0\"?>\n<libosinfo version=\"0.0.1\">\n"              \
  "  <!-- a comment with <os id=\"http://example.org/fake/1\"> -->\n"     \
  "  <os id=\"" id "\">\n" body "  </os>\n</libosinfo>\n"

static VmiOs *
must_lookup(const char *short_id)
{
  g_autoptr(GError) error = NULL;
  VmiOs *os = vmi_os_lookup(short_id, &error);

  if (!os)
    diag("lookup %s: %s", short_id, error->message);
  return os;
}

static void
test_made_up_db(const char *tmp)
{
  g_autofree char *db = g_build_filename(tmp, "db", NULL);
  g_autofree char *local = g_build_filename(tmp, "local", NULL);
  g_autoptr(VmiOs) base = NULL;
  g_autoptr(VmiOs) child = NULL;
  g_autoptr(VmiOs) grand = NULL;
  g_autoptr(VmiOs) rolling = NULL;
  g_autoptr(VmiOs) over = NULL;
  g_autoptr(VmiOs) later = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDate) d1 = NULL;
  g_autoptr(GDate) d2 = NULL;
  time_t now = time(NULL);

  put(db, "os/example.org/base-1.xml", OS_XML("http://example.org/base/1",
    "    <short-id>base1</short-id>\n"
    "    <name>Base &amp; One</name>\n"
    "    <name xml:lang=\"de\">Basis Eins</name>\n"
    "    <family>linux</family>\n"
    "    <distro>fedora</distro>\n"
    "    <kernel-url-argument>inst.stage2</kernel-url-argument>\n"
    "    <release-date>2000-01-01</release-date>\n"
    "    <devices>\n"
    "      <device id=\"http://pcisig.com/pci/1af4/1000\"/>\n"
    "      <device id=\"http://pcisig.com/pci/1af4/1050\"/>\n"
    "      <device id=\"http://qemu.org/chipset/x86/q35\"/>\n"
    "    </devices>\n"
    "    <firmware arch=\"x86_64\" type=\"efi\"/>\n"
    "    <resources arch=\"all\">\n"
    "      <minimum><ram>1073741824</ram><n-cpus>1</n-cpus></minimum>\n"
    "    </resources>\n"
    "    <resources arch=\"x86_64\">\n"
    "      <network-install><ram>3221225472</ram></network-install>\n"
    "    </resources>\n"));
  put(db, "os/example.org/base-1.d/more.xml", OS_XML("http://example.org/base/1",
    "    <short-id>base-one</short-id>\n"
    "    <devices><device id=\"http://pcisig.com/pci/1af4/1052\"/></devices>\n"));
  put(db, "os/example.org/child-1.xml", OS_XML("http://example.org/child/1",
    "    <short-id>child1</short-id>\n"
    "    <name>Child</name>\n"
    "    <derives-from id=\"http://example.org/base/1\"/>\n"
    "    <eol-date>2020-05-01</eol-date>\n"
    "    <devices>\n"
    "      <device id=\"http://pcisig.com/pci/1af4/1050\" supported=\"false\"/>\n"
    "      <device id=\"http://pcisig.com/pci/1af4/1041\"/>\n"
    "    </devices>\n"
    "    <firmware arch=\"x86_64\" type=\"bios\" supported=\"false\"/>\n"
    "    <resources arch=\"all\" inherit=\"true\"/>\n"));
  put(db, "os/example.org/grand-1.xml", OS_XML("http://example.org/grand/1",
    "    <short-id>grand1</short-id>\n"
    "    <name>Grandchild</name>\n"
    "    <derives-from id=\"http://example.org/child/1\"/>\n"
    "    <upgrades id=\"http://example.org/missing/1\"/>\n"
    "    <devices>\n"
    "      <device id=\"http://pcisig.com/pci/1af4/1050\"/>\n"
    "    </devices>\n"
    "    <firmware arch=\"x86_64\" type=\"bios\"/>\n"));
  put(db, "os/example.org/treeos-1.xml", OS_XML("http://example.org/treeos/1",
    "    <short-id>treeos1</short-id>\n"
    "    <name>Tree OS</name>\n"
    "    <codename>Yak Yodel</codename>\n"
    "    <tree arch=\"x86_64\">\n"
    "      <treeinfo><family>Made Up</family><version>^4$</version>\n"
    "      </treeinfo>\n"
    "    </tree>\n"));
  put(db, "os/example.org/roll.xml", OS_XML("http://example.org/roll",
    "    <short-id>roll</short-id>\n"
    "    <name>Rolling</name>\n"
    "    <release-status>rolling</release-status>\n"
    "    <release-date>2000-01-01</release-date>\n"));
  /* an entity in the wrong file is ignored, as libosinfo ignores it */
  put(db, "os/example.org/stray.xml", OS_XML("http://example.org/elsewhere/1",
    "    <short-id>stray1</short-id>\n"));
  put(db, "os/example.org/over-1.xml", OS_XML("http://example.org/over/1",
    "    <short-id>over1</short-id>\n    <name>System copy</name>\n"));
  /* the local location's master file replaces the system's */
  put(local, "os/example.org/over-1.xml", OS_XML("http://example.org/over/1",
    "    <short-id>over1</short-id>\n    <name>Local copy</name>\n"));
  /* a file libxml2 cannot parse defines nothing; an OS whose files
   * include one cannot be read */
  put(db, "os/example.org/junk.xml",
      "<libosinfo><os id=\"http://example.org/junk\"><short-id>junk"
      "</short-id>");
  put(db, "os/example.org/broken-1.xml", OS_XML("http://example.org/broken/1",
    "    <short-id>broken1</short-id>\n"));
  put(db, "os/example.org/broken-1.d/bad.xml",
      "<libosinfo><os id=\"http://example.org/broken/1\"></libosinfo>");
  age_tree(db, now - 3600);
  age_tree(local, now - 3600);

  g_setenv("OSINFO_SYSTEM_DIR", db, TRUE);
  g_setenv("OSINFO_LOCAL_DIR", local, TRUE);
  vmi_os_db_forget();

  base = must_lookup("base1");
  child = must_lookup("child1");
  grand = must_lookup("grand1");
  tap(base && child && grand, "made-up db: lookups");
  if (!base || !child || !grand)
    return;

  tap(g_str_equal(vmi_os_label(base), "Base & One"), "label, entity decoded");
  g_setenv("LANGUAGE", "de", TRUE);
  g_setenv("LC_ALL", "de_DE.UTF-8", TRUE);
  {
    g_autoptr(VmiOs) de = must_lookup("base-one");

    tap(de && g_str_equal(vmi_os_label(de), "Basis Eins"),
        "label in the user's language, via an extension's short id");
  }
  g_setenv("LC_ALL", "C", TRUE);
  g_unsetenv("LANGUAGE");

  tap(vmi_os_supports(base, VMI_OS_VIRTIO_INPUT),
      "device from an extension file");
  tap(vmi_os_supports(base, VMI_OS_VIRTIO_GPU) &&
          !vmi_os_supports(child, VMI_OS_VIRTIO_GPU),
      "supported=\"false\" withdraws an inherited device");
  tap(vmi_os_supports(grand, VMI_OS_VIRTIO_GPU),
      "a nearer link supports the device again");
  tap(!vmi_os_supports(base, VMI_OS_CHIPSET_Q35) &&
          vmi_os_supports(child, VMI_OS_CHIPSET_Q35),
      "q35 needs virtio 1.0 when virtio-net is there");
  tap(!vmi_os_requires_efi(base, "x86_64") &&
          vmi_os_requires_efi(child, "x86_64") &&
          !vmi_os_requires_efi(child, "aarch64") &&
          !vmi_os_requires_efi(grand, "x86_64"),
      "efi required only where bios is unsupported, nearest entry wins");
  tap(vmi_os_minimum_ram(child, "x86_64") == 1073741824 &&
          vmi_os_recommended_ram(child, "x86_64") == 2147483648 &&
          vmi_os_recommended_ncpus(child, "ppc64le") == 2 &&
          vmi_os_minimum_ram(grand, "x86_64") == -1,
      "inherit=\"true\" resources, recommended = 2 x minimum");
  tap(vmi_os_network_install_ram(base, "x86_64") == 3221225472 &&
          vmi_os_network_install_ram(base, "aarch64") == -1,
      "network install ram per arch");
  tap(g_strcmp0(vmi_os_kernel_url_arg(grand), "inst.stage2") == 0,
      "kernel url argument inherited");
  tap(vmi_os_is_related_to(grand, "base1") &&
          !vmi_os_is_related_to(base, "grand1"),
      "related through derives-from, missing upgrade ignored");

  d1 = date_of("2020-04-30");
  d2 = date_of("2020-05-01");
  tap(!vmi_os_is_eol_on(child, d1) && vmi_os_is_eol_on(child, d2),
      "eol from eol-date");
  g_date_set_dmy(d1, 28, 12, 2009);
  g_date_set_dmy(d2, 29, 12, 2009);
  tap(!vmi_os_is_eol_on(base, d1) && vmi_os_is_eol_on(base, d2),
      "eol ten years after release");
  rolling = must_lookup("roll");
  tap(rolling && !vmi_os_is_eol_on(rolling, d2), "rolling is never eol");

  tap(!vmi_os_lookup("stray1", &error) &&
          g_error_matches(error, VMI_ERROR, VMI_ERROR_NOT_FOUND),
      "entity in the wrong file is ignored");
  g_clear_error(&error);

  tap(!vmi_os_lookup("junk", &error) &&
          g_error_matches(error, VMI_ERROR, VMI_ERROR_NOT_FOUND),
      "unparsable file defines nothing");
  g_clear_error(&error);
  tap(!vmi_os_lookup("broken1", &error) &&
          g_error_matches(error, VMI_ERROR, VMI_ERROR_FAILED) &&
          strstr(error->message, "broken-1.d/bad.xml"),
      "unparsable extension: error names the file");
  g_clear_error(&error);

  over = must_lookup("over1");
  tap(over && g_str_equal(vmi_os_label(over), "Local copy"),
      "local location overrides the system's file");

  /* a new file changes its directory's mtime, which invalidates the
   * cached index even in a fresh process (simulated by forgetting) */
  put(db, "os/example.org/later-1.xml", OS_XML("http://example.org/later/1",
    "    <short-id>later1</short-id>\n    <name>Later</name>\n"));
  age_tree(db, now - 1800);
  vmi_os_db_forget();
  later = must_lookup("later1");
  tap(later != NULL, "cached index is rebuilt after the db changed");

  {
    g_autoptr(VmiOs) treeos = must_lookup("treeos1");
    g_autofree char *found = NULL;
    g_autofree char *again = NULL;
    g_autofree char *none = NULL;
    g_autofree char *by_codename = NULL;
    g_autofree char *path =
        g_build_filename(db, "os/example.org/treeos-1.xml", NULL);
    FILE *f;

    tap(treeos && g_strcmp0(vmi_os_codename(treeos), "Yak Yodel") == 0 &&
            vmi_os_codename(base) == NULL,
        "codename, NULL when none");
    found = vmi_os_identify_tree("Made Up", NULL, "4", "x86_64", &error);
    none = vmi_os_identify_tree("Made Up", NULL, "4", "i686", &error);
    tap(g_strcmp0(found, "treeos1") == 0 && !none && !error,
        "tree identified in a made-up db, NULL without error otherwise");
    by_codename =
        vmi_os_find_by_codename("tree", "http://example.org/yak/x", &error);
    tap(g_strcmp0(by_codename, "treeos1") == 0 && !error,
        "codename found in a made-up db");

    /* a package-managed file rewritten in place does not change its
     * directory's stamp: the index keeps answering, without the file */
    f = fopen(path, "r+");
    g_assert(f);
    fputs("<junk", f);
    fclose(f);
    vmi_os_db_forget();
    again = vmi_os_identify_tree("Made Up", NULL, "4", "x86_64", &error);
    tap(g_strcmp0(again, "treeos1") == 0 && !error,
        "tree identified from the cached index alone");
    g_clear_pointer(&treeos, vmi_os_free);
    treeos = vmi_os_lookup("treeos1", &error);
    tap(!treeos && g_error_matches(error, VMI_ERROR, VMI_ERROR_FAILED),
        "(while reading the OS itself fails)");
    g_clear_error(&error);
  }

  g_unsetenv("OSINFO_SYSTEM_DIR");
  g_unsetenv("OSINFO_LOCAL_DIR");
}

/* ------------------------------------------------------------ cache */

static char *
find_cache_file(const char *cache_dir)
{
  g_autofree char *dir = g_build_filename(cache_dir, "vminstall", NULL);
  g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name(d))) {
    if (g_str_has_prefix(name, "osinfo-index-"))
      return g_build_filename(dir, name, NULL);
  }
  return NULL;
}

static void
test_cache(const char *tmp, const char *argv0)
{
  g_autofree char *cache_dir = g_build_filename(tmp, "cache", NULL);
  g_autofree char *cache_file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *probe_file = NULL;
  g_autoptr(VmiOs) os = NULL;
  g_autoptr(VmiOs) probe = NULL;
  g_autoptr(GError) error = NULL;

  os = vmi_os_lookup("fedora36", &error);
  cache_file = find_cache_file(cache_dir);
  tap(os && cache_file, "cold lookup writes the index cache");
  if (!cache_file)
    return;

  /* a line only the cache has proves the next lookup reads it */
  g_assert(g_file_get_contents(cache_file, &text, NULL, NULL));
  probe_file = g_strconcat(text,
                           "O\thttp://fedoraproject.org/fedora/36\t0\t\t1\t"
                           "cache-probe\t/usr/share/osinfo/os/"
                           "fedoraproject.org/fedora-36.xml\n",
                           NULL);
  g_assert(g_file_set_contents(cache_file, probe_file, -1, NULL));
  vmi_os_db_forget();
  probe = vmi_os_lookup("cache-probe", NULL);
  tap(probe && g_str_equal(vmi_os_short_id(probe), "fedora36"),
      "warm lookup reads the cached index");
  g_assert(g_file_set_contents(cache_file, text, -1, NULL));

  /* corrupt or truncated caches are rebuilt */
  g_assert(g_file_set_contents(cache_file, "vminstall-osinfo-index 2\nR\tx",
                               -1, NULL));
  vmi_os_db_forget();
  g_clear_pointer(&os, vmi_os_free);
  os = vmi_os_lookup("win10", &error);
  tap(os != NULL, "corrupt cache is ignored");

  /* without a writable cache directory, lookups still work */
  {
    g_autofree char *blocker = g_build_filename(tmp, "not-a-dir", NULL);
    g_autofree char *xdg = g_build_filename(blocker, "cache", NULL);
    g_auto(GStrv) env = g_get_environ();
    g_autofree char *out = NULL;
    int status = -1;
    const char *args[] = { argv0, "--os", "fedora36", NULL };
    GString *mine = g_string_new(NULL);
    g_autoptr(VmiOs) f36 = vmi_os_lookup("fedora36", NULL);

    g_assert(g_file_set_contents(blocker, "", -1, NULL));
    env = g_environ_setenv(env, "XDG_CACHE_HOME", xdg, TRUE);
    if (!g_spawn_sync(NULL, (char **)args, env, G_SPAWN_DEFAULT, NULL, NULL,
                      &out, NULL, &status, &error))
      diag("spawn: %s", error->message);
    if (f36)
      print_os(mine, f36);
    tap(status == 0 && out && g_str_equal(out, mine->str),
        "unwritable cache directory: same answers from a scan");
    g_string_free(mine, TRUE);
  }
}

static void
test_errors(void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiOs) os = vmi_os_lookup("foo", &error);
  g_autoptr(VmiOs) generic = vmi_os_lookup(NULL, NULL);

  tap(!os && g_error_matches(error, VMI_ERROR, VMI_ERROR_NOT_FOUND) &&
          g_str_equal(error->message, "Unknown OS name 'foo'. See "
                                      "`--osinfo list` for valid values."),
      "unknown short id: VMI_ERROR_NOT_FOUND naming it");
  tap(generic && vmi_os_is_generic(generic) && !vmi_os_full_id(generic) &&
          vmi_os_is_related_to(generic, "generic"),
      "NULL gives the generic OS");
}

static void
test_list(void)
{
  g_autoptr(GPtrArray) names = vmi_os_list_short_ids(NULL);
  gboolean linux2022 = FALSE, generic = FALSE;

  for (guint i = 0; names && i < names->len; i++) {
    linux2022 |= g_str_equal(names->pdata[i], "linux2022");
    generic |= g_str_equal(names->pdata[i], "generic");
  }
  tap(names && names->len > 100 && linux2022 && generic,
      "list of names includes linux2022 and generic");
}

static void
print_sections(const char *expected_path)
{
  g_autofree char *version = NULL;
  g_autoptr(GPtrArray) sections = read_expected(expected_path, &version);
  g_autofree char *have = installed_db_version();

  printf("# osinfo-db %s\n", have);
  for (guint i = 0; i < sections->len; i++) {
    Section *s = sections->pdata[i];
    g_autofree char *got = section_text(s->header);

    printf("== %s\n%s", s->header, got);
  }
}

static void
print_all(void)
{
  g_autoptr(GPtrArray) names = vmi_os_list_short_ids(NULL);
  g_autofree char *have = installed_db_version();
  const char *tail[] = { "id http://microsoft.com/win/10",
                         "id http://example.com/nosuchos", "list", NULL };

  printf("# osinfo-db %s\n", have);
  for (guint i = 0; names && i < names->len; i++) {
    g_autofree char *header = g_strconcat("os ", names->pdata[i], NULL);
    g_autofree char *got = section_text(header);

    printf("== %s\n%s", header, got);
  }
  for (int i = 0; tail[i]; i++) {
    g_autofree char *got = section_text(tail[i]);

    printf("== %s\n%s", tail[i], got);
  }
}

static void
rm_tree(const char *path)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  if (!g_file_test(path, G_FILE_TEST_IS_DIR) ||
      g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
    g_unlink(path);
    return;
  }
  d = g_dir_open(path, 0, NULL);
  while (d && (name = g_dir_read_name(d))) {
    g_autofree char *child = g_build_filename(path, name, NULL);

    rm_tree(child);
  }
  g_rmdir(path);
}

/* Where expected-trees.txt, treedb/ and tests/data are, from the path of
 * expected.txt. */
static void
set_dirs(const char *expected_path)
{
  const char *datadir = g_getenv("VMI_TEST_DATADIR");

  unit_dir = g_path_get_dirname(expected_path);
  data_dir = datadir ? g_strdup(datadir)
                     : g_build_filename(unit_dir, "..", "..", "data", NULL);
}

int
main(int argc, char **argv)
{
  g_autofree char *tmp = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *nowhere = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  /* answers must not depend on the user's language or osinfo overrides */
  g_setenv("LC_ALL", "C", TRUE);
  g_unsetenv("LANGUAGE");

  if (argc == 3 && g_str_equal(argv[1], "--os")) {
    g_autoptr(VmiOs) os = vmi_os_lookup(argv[2], &error);
    GString *out = g_string_new(NULL);

    if (!os) {
      fprintf(stderr, "%s\n", error->message);
      return 1;
    }
    print_os(out, os);
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
    return 0;
  }
  if (argc == 3 && g_str_equal(argv[1], "--print")) {
    set_dirs(argv[2]);
    print_sections(argv[2]);
    return 0;
  }
  if (argc == 2 && g_str_equal(argv[1], "--print-all")) {
    print_all();
    return 0;
  }
  /* the unit-test runner passes --tap, which is all this program speaks */
  if (argc >= 2 && g_str_equal(argv[1], "--tap")) {
    argv[1] = argv[0];
    argv++;
    argc--;
  }
  if (argc == 2) {
    expected = g_strdup(argv[1]);
  } else if (argc == 1) {
    const char *datadir = g_getenv("VMI_TEST_DATADIR");
    g_autofree char *here = g_path_get_dirname(__FILE__);

    if (datadir)
      expected = g_build_filename(datadir, "..", "unit", "osinfo",
                                  "expected.txt", NULL);
    else
      expected = g_build_filename(here, "expected.txt", NULL);
  } else {
    fprintf(stderr, "usage: %s [--tap] [EXPECTED] | --print EXPECTED | "
                    "--print-all | --os SHORT_ID\n", argv[0]);
    return 2;
  }

  set_dirs(expected);
  tmp = g_dir_make_tmp("vmi-osinfo-XXXXXX", &error);
  g_assert(tmp);
  cache = g_build_filename(tmp, "cache", NULL);
  nowhere = g_build_filename(tmp, "nowhere", NULL);
  /* before anything asks GLib for the cache directory, which it keeps */
  g_setenv("XDG_CACHE_HOME", cache, TRUE);
  g_setenv("OSINFO_LOCAL_DIR", nowhere, TRUE);
  g_setenv("OSINFO_USER_DIR", nowhere, TRUE);
  g_unsetenv("OSINFO_SYSTEM_DIR");
  g_unsetenv("OSINFO_DATA_DIR");

  test_cache(tmp, argv[0]);
  test_errors();
  test_list();
  compare_with_virt_install(expected);
  {
    g_autofree char *trees = g_build_filename(unit_dir, "expected-trees.txt",
                                              NULL);

    compare_with_virt_install(trees);
  }
  {
    /* the library never prints, even about broken data */
    g_autofree char *err_path = g_build_filename(tmp, "stderr", NULL);
    int saved = dup(2);
    int fd = open(err_path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
    g_autofree char *printed = NULL;

    g_assert(saved >= 0 && fd >= 0);
    fflush(stderr);
    dup2(fd, 2);
    close(fd);
    test_made_up_db(tmp);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    g_assert(g_file_get_contents(err_path, &printed, NULL, NULL));
    tap(printed[0] == '\0', "nothing printed on stderr");
    if (printed[0])
      diag("stderr: %s", printed);
  }
  g_setenv("OSINFO_LOCAL_DIR", nowhere, TRUE);

  printf("1..%d\n", test_num);
  rm_tree(tmp);
  g_free(unit_dir);
  g_free(data_dir);
  return failures ? 1 : 0;
}
