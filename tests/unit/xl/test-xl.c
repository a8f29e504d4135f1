/*
 * xl configs: golden files, and every config the tests produce parsed
 * back by Xen's own parser (libxlutil: xlu_cfg_readdata, xlu_cfg_get_*,
 * xlu_disk_parse) and checked against the libvirt XML it was written
 * from, read independently with XPath.
 *
 *   tests/data/xl/NAME.xml   a guest (one phase); a first comment
 *                            "<!-- xl-options: installer check-files
 *                            vnc-password-file=FILE -->" sets the options
 *   tests/data/xl/NAME.cfg   the xl config expected for it
 *   tests/data/xl/NAME.args  a vminstall command line (one argument per
 *                            line) run with --print-xl; NAME.cfg holds
 *                            its output, or NAME.err its one error line;
 *                            NAME.print-xml, when present, the output of
 *                            the same line with --print-xml
 *
 * @DATADIR@ stands for tests/data in all of them.  With
 * VMI_TEST_REGENERATE_OUTPUT=1 the .cfg files are rewritten.
 */
#include <string.h>
#include <stdio.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxlutil.h>
#include "xl.h"
#include "guest.h"
#include "vminstall/error.h"
#include "compare.h"

static char *datadir;
static char *xldir;

/* ------------------------------------------------------------ helpers */

static char *
subst(const char *s, const char *from, const char *to)
{
  g_auto(GStrv) parts = g_strsplit(s, from, -1);
  return g_strjoinv(to, parts);
}

static char *
read_data(const char *path)
{
  g_autofree char *raw = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents(path, &raw, NULL, &error))
    g_error("%s", error->message);
  return subst(raw, "@DATADIR@", datadir);
}

/* Compares @actual with the golden file @path (@DATADIR@ spelled out). */
static void
check_golden(const char *path, const char *actual)
{
  g_autofree char *written = subst(actual, datadir, "@DATADIR@");
  g_autofree char *report = NULL;

  if (!vmi_test_compare_file(path, written, &report)) {
    fputs(report, stdout);
    g_test_fail();
  }
}

/* ------------------------------------------------------------ XML side */

typedef struct {
  xmlDocPtr doc;
  xmlXPathContextPtr ctx;
} Xml;

static void
xml_clear(Xml *x)
{
  g_clear_pointer(&x->ctx, xmlXPathFreeContext);
  g_clear_pointer(&x->doc, xmlFreeDoc);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Xml, xml_clear)

static void
xml_load(Xml *x, const char *text)
{
  x->doc = xmlReadMemory(text, strlen(text), "guest.xml", NULL, XML_PARSE_NONET);
  g_assert_nonnull(x->doc);
  x->ctx = xmlXPathNewContext(x->doc);
}

/* string(@expr), NULL when the node set it names is empty */
static char *
xp(Xml *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static char *
xp(Xml *x, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *expr = NULL;
  xmlXPathObjectPtr obj;
  char *ret = NULL;

  va_start(ap, fmt);
  expr = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  obj = xmlXPathEvalExpression((const xmlChar *)expr, x->ctx);
  g_assert_nonnull(obj);
  if (obj->type == XPATH_NODESET && obj->nodesetval && obj->nodesetval->nodeNr > 0) {
    xmlChar *s = xmlXPathCastNodeSetToString(obj->nodesetval);
    ret = g_strdup((const char *)s);
    xmlFree(s);
  }
  xmlXPathFreeObject(obj);
  return ret;
}

static int
xp_count(Xml *x, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static int
xp_count(Xml *x, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *expr = NULL;
  xmlXPathObjectPtr obj;

  va_start(ap, fmt);
  expr = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  obj = xmlXPathEvalExpression((const xmlChar *)expr, x->ctx);
  int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : 0;
  xmlXPathFreeObject(obj);
  return n;
}

/* KiB of /domain/@what, honouring a unit */
static long
xml_kib(Xml *x, const char *what)
{
  g_autofree char *v = xp(x, "/domain/%s", what);
  g_autofree char *unit = xp(x, "/domain/%s/@unit", what);
  long n = v ? atol(v) : -1;

  if (n < 0 || !unit || !strcmp(unit, "KiB"))
    return n;
  if (!strcmp(unit, "MiB"))
    return n * 1024;
  if (!strcmp(unit, "GiB"))
    return n * 1024 * 1024;
  g_error("unit %s", unit);
}

/* ------------------------------------------------------------ xl side */

typedef struct {
  XLU_Config *cfg;
  char *report;
  size_t report_len;
  FILE *report_f;
} Xl;

static void
xl_clear(Xl *x)
{
  g_clear_pointer(&x->cfg, xlu_cfg_destroy);
  if (x->report_f)
    fclose(x->report_f);
  x->report_f = NULL;
  g_clear_pointer(&x->report, free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Xl, xl_clear)

/* Parses @text with libxlutil; it must read without a single warning. */
static void
xl_load(Xl *x, const char *text)
{
  x->report_f = open_memstream(&x->report, &x->report_len);
  x->cfg = xlu_cfg_init(x->report_f, "vminstall.cfg");
  g_assert_nonnull(x->cfg);
  g_assert_cmpint(xlu_cfg_readdata(x->cfg, text, (int)strlen(text)), ==, 0);
  fflush(x->report_f);
  g_assert_cmpstr(x->report ? x->report : "", ==, "");
}

static const char *
xl_str(Xl *x, const char *key)
{
  const char *v = NULL;
  int r = xlu_cfg_get_string(x->cfg, key, &v, 1);
  g_assert_true(r == 0 || r == ESRCH);
  return r == 0 ? v : NULL;
}

static long
xl_long(Xl *x, const char *key, long missing)
{
  long v = 0;
  int r = xlu_cfg_get_long(x->cfg, key, &v, 1);
  g_assert_true(r == 0 || r == ESRCH);
  return r == 0 ? v : missing;
}

static XLU_ConfigList *
xl_list(Xl *x, const char *key, int *n)
{
  XLU_ConfigList *list = NULL;
  *n = 0;
  if (xlu_cfg_get_list(x->cfg, key, &list, n, 1) != 0)
    return NULL;
  return list;
}

/* "k=v,k2=v2" of a vif or vfb spec (xl splits them on commas) */
static GHashTable *
spec_map(const char *spec)
{
  GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) items = g_strsplit(spec, ",", -1);

  for (guint i = 0; items[i]; i++) {
    char *eq = strchr(items[i], '=');
    g_assert_nonnull(eq);
    g_assert_false(g_hash_table_contains(h, items[i]));
    g_hash_table_insert(h, g_strndup(items[i], eq - items[i]), g_strdup(eq + 1));
  }
  return h;
}

/* ------------------------------------------------------------ the cross-check */

typedef struct {
  gboolean kernel_from_media;   /* xl names the media's kernel, XML a staged copy */
  const char *vnc_password;     /* from the password file */
} CheckOpts;

static char
boot_letter(const char *dev)
{
  if (!strcmp(dev, "fd"))
    return 'a';
  if (!strcmp(dev, "hd"))
    return 'c';
  if (!strcmp(dev, "cdrom"))
    return 'd';
  if (!strcmp(dev, "network"))
    return 'n';
  g_assert_not_reached();
}

static char *
expected_boot(Xml *x)
{
  GString *s = g_string_new(NULL);
  int n = xp_count(x, "/domain/os/boot");

  for (int i = 1; i <= n; i++) {
    g_autofree char *dev = xp(x, "/domain/os/boot[%d]/@dev", i);
    char c = boot_letter(dev);
    if (!strchr(s->str, c))
      g_string_append_c(s, c);
  }
  for (int order = 1; n == 0 && order < 10; order++) {
    if (xp_count(x, "/domain/devices/interface[boot/@order='%d']", order) > 0)
      g_string_append_c(s, 'n');
    g_autofree char *dev = xp(x, "/domain/devices/disk[boot/@order='%d']/@device", order);
    if (dev)
      g_string_append_c(s, !strcmp(dev, "cdrom") ? 'd' : 'c');
  }
  return g_string_free(s, s->len == 0);
}

/* The xl vdev of disk @i (1-based): its libvirt target, except that an
 * HVM guest's first IDE cdrom is hdc (Ganeti's "hdc:cdrom,r") when no
 * disk of the XML is hdc. */
static char *
expected_vdev(Xml *x, gboolean hvm, int i)
{
  g_autofree char *first_cd = NULL;
  char *vdev = xp(x, "/domain/devices/disk[%d]/target/@dev", i);

  if (!hvm || xp_count(x, "/domain/devices/disk[target/@dev='hdc']") > 0)
    return vdev;
  first_cd = xp(x, "(/domain/devices/disk[@device='cdrom'][starts-with(target/@dev, 'hd')]"
                "[not(target/@bus) or target/@bus='ide'])[1]/target/@dev");
  if (first_cd && !g_strcmp0(first_cd, vdev) &&
      xp_count(x, "/domain/devices/disk[%d][@device='cdrom']", i) > 0) {
    g_free(vdev);
    return g_strdup("hdc");
  }
  return vdev;
}

static void
check_disks(Xml *x, Xl *xl, gboolean hvm)
{
  int n = 0;
  XLU_ConfigList *list = xl_list(xl, "disk", &n);

  g_assert_cmpint(n, ==, xp_count(x, "/domain/devices/disk"));
  for (int i = 0; i < n; i++) {
    const char *spec = xlu_cfg_get_listitem(list, i);
    libxl_device_disk disk;
    g_autofree char *type = xp(x, "/domain/devices/disk[%d]/@type", i + 1);
    g_autofree char *device = xp(x, "/domain/devices/disk[%d]/@device", i + 1);
    g_autofree char *format = xp(x, "/domain/devices/disk[%d]/driver/@type", i + 1);
    g_autofree char *driver = xp(x, "/domain/devices/disk[%d]/driver/@name", i + 1);
    g_autofree char *vdev = expected_vdev(x, hvm, i + 1);
    g_autofree char *src = xp(x, "/domain/devices/disk[%d]/source/@%s", i + 1,
                              g_strcmp0(type, "block") == 0 ? "dev" : "file");
    gboolean cdrom = g_strcmp0(device, "cdrom") == 0;
    gboolean ro = cdrom || xp_count(x, "/domain/devices/disk[%d]/readonly", i + 1) > 0;

    libxl_device_disk_init(&disk);
    g_assert_cmpint(xlu_disk_parse(xl->cfg, 1, &spec, &disk), ==, 0);
    fflush(xl->report_f);
    g_assert_cmpstr(xl->report ? xl->report : "", ==, "");
    if (src)
      g_assert_cmpstr(disk.pdev_path, ==, src);
    else
      g_assert_true(disk.pdev_path == NULL || !*disk.pdev_path);
    g_assert_cmpstr(disk.vdev, ==, vdev);
    g_assert_cmpint(disk.readwrite, ==, !ro);
    g_assert_cmpint(disk.is_cdrom, ==, cdrom);
    if (!src)
      g_assert_cmpint(disk.format, ==, LIBXL_DISK_FORMAT_EMPTY);
    else if (!g_strcmp0(format, "qcow2"))
      g_assert_cmpint(disk.format, ==, LIBXL_DISK_FORMAT_QCOW2);
    else
      g_assert_cmpint(disk.format, ==, LIBXL_DISK_FORMAT_RAW);
    if (!g_strcmp0(type, "block") || !g_strcmp0(driver, "phy"))
      g_assert_true(g_str_has_prefix(spec, "phy:") || strstr(spec, "backendtype=phy"));
    if (!g_strcmp0(driver, "tap"))
      g_assert_true(g_str_has_prefix(spec, "tap:aio:") || strstr(spec, "backendtype=tap"));
    /* an emulated IDE disk of an HVM guest is marked ioemu, as Ganeti does */
    if (hvm && !cdrom && g_str_has_prefix(vdev, "hd") && g_str_has_prefix(spec, "file:"))
      g_assert_nonnull(strstr(spec, ",ioemu:hd"));
    libxl_device_disk_dispose(&disk);
  }
}

static void
check_vifs(Xml *x, Xl *xl, gboolean hvm)
{
  int n = 0;
  XLU_ConfigList *list = xl_list(xl, "vif", &n);

  g_assert_cmpint(n, ==, xp_count(x, "/domain/devices/interface"));
  for (int i = 0; i < n; i++) {
    g_autoptr(GHashTable) h = spec_map(xlu_cfg_get_listitem(list, i));
    g_autofree char *mac = xp(x, "/domain/devices/interface[%d]/mac/@address", i + 1);
    g_autofree char *bridge = xp(x, "/domain/devices/interface[%d]/source/@bridge", i + 1);
    g_autofree char *ip = xp(x, "/domain/devices/interface[%d]/ip/@address", i + 1);
    g_autofree char *model = xp(x, "/domain/devices/interface[%d]/model/@type", i + 1);
    g_autofree char *vifname = xp(x, "/domain/devices/interface[%d]/target/@dev", i + 1);
    g_autofree char *script = xp(x, "/domain/devices/interface[%d]/script/@path", i + 1);

    g_assert_cmpstr(g_hash_table_lookup(h, "mac"), ==, mac);
    g_assert_cmpstr(g_hash_table_lookup(h, "bridge"), ==, bridge);
    g_assert_cmpstr(g_hash_table_lookup(h, "ip"), ==, ip);
    g_assert_cmpstr(g_hash_table_lookup(h, "vifname"), ==, vifname);
    g_assert_cmpstr(g_hash_table_lookup(h, "script"), ==, script);
    if (!hvm) {
      g_assert_null(g_hash_table_lookup(h, "model"));
      g_assert_null(g_hash_table_lookup(h, "type"));
    } else if (!g_strcmp0(model, "netfront")) {
      g_assert_cmpstr(g_hash_table_lookup(h, "type"), ==, "vif");
      g_assert_null(g_hash_table_lookup(h, "model"));
    } else {
      g_assert_cmpstr(g_hash_table_lookup(h, "type"), ==, "ioemu");
      g_assert_cmpstr(g_hash_table_lookup(h, "model"), ==, model);
    }
  }
}

static void
check_graphics(Xml *x, Xl *xl, gboolean hvm, const CheckOpts *co)
{
  g_autofree char *type = xp(x, "/domain/devices/graphics/@type");
  g_autofree char *listen = xp(x, "/domain/devices/graphics/@listen");
  g_autofree char *port = xp(x, "/domain/devices/graphics/@port");
  g_autofree char *passwd = xp(x, "/domain/devices/graphics/@passwd");
  const char *pw = co->vnc_password ? co->vnc_password : passwd;
  long display = port && atol(port) >= 5900 ? atol(port) - 5900 : -1;

  if (hvm) {
    g_assert_cmpint(xl_long(xl, "vnc", -1), ==, !g_strcmp0(type, "vnc"));
    g_assert_cmpint(xl_long(xl, "sdl", -1), ==, !g_strcmp0(type, "sdl"));
    if (g_strcmp0(type, "vnc") != 0)
      return;
    g_assert_cmpstr(xl_str(xl, "vnclisten"), ==, listen);
    g_assert_cmpint(xl_long(xl, "vncdisplay", -1), ==, display);
    g_assert_cmpint(xl_long(xl, "vncunused", -1), ==, display < 0);
    g_assert_cmpstr(xl_str(xl, "vncpasswd"), ==, pw);
    return;
  }
  int n = 0;
  XLU_ConfigList *list = xl_list(xl, "vfb", &n);
  g_assert_cmpint(n, ==, type ? 1 : 0);
  if (!type)
    return;
  g_autoptr(GHashTable) h = spec_map(xlu_cfg_get_listitem(list, 0));
  g_assert_cmpstr(g_hash_table_lookup(h, "vnc"), ==, !strcmp(type, "vnc") ? "1" : NULL);
  g_assert_cmpstr(g_hash_table_lookup(h, "vnclisten"), ==, listen);
  g_assert_cmpstr(g_hash_table_lookup(h, "vncpasswd"), ==, pw);
  if (display >= 0) {
    g_autofree char *d = g_strdup_printf("%ld", display);
    g_assert_cmpstr(g_hash_table_lookup(h, "vncdisplay"), ==, d);
  }
}

/* Every value of @cfg against the guest XML it was written from. */
static void
check_against_xml(const char *cfg, const char *xml, const CheckOpts *co)
{
  g_auto(Xml) x = { 0 };
  g_auto(Xl) xl = { 0 };
  g_autofree char *ostype = NULL;
  g_autofree char *name = NULL, *uuid = NULL, *kernel = NULL, *initrd = NULL, *cmdline = NULL;
  gboolean hvm;
  long mem, cur;

  xml_load(&x, xml);
  xl_load(&xl, cfg);
  ostype = xp(&x, "/domain/os/type");
  hvm = g_strcmp0(ostype, "hvm") == 0;
  name = xp(&x, "/domain/name");
  uuid = xp(&x, "/domain/uuid");
  g_assert_cmpstr(xl_str(&xl, "name"), ==, name);
  g_assert_cmpstr(xl_str(&xl, "uuid"), ==, uuid);
  g_assert_cmpstr(xl_str(&xl, "type"), ==, hvm ? "hvm" : "pv");

  mem = xml_kib(&x, "memory");
  cur = xml_kib(&x, "currentMemory");
  if (cur < 0)
    cur = mem;
  g_assert_cmpint(xl_long(&xl, "memory", -1), ==, cur / 1024);
  g_assert_cmpint(xl_long(&xl, "maxmem", -1), ==, mem > cur ? mem / 1024 : -1);
  {
    g_autofree char *vcpu = xp(&x, "/domain/vcpu");
    g_autofree char *current = xp(&x, "/domain/vcpu/@current");
    long max = atol(vcpu), c = current ? atol(current) : max;
    g_assert_cmpint(xl_long(&xl, "vcpus", -1), ==, c);
    g_assert_cmpint(xl_long(&xl, "maxvcpus", -1), ==, max > c ? max : -1);
  }

  kernel = xp(&x, "/domain/os/kernel");
  initrd = xp(&x, "/domain/os/initrd");
  cmdline = xp(&x, "/domain/os/cmdline");
  if (kernel) {
    if (co->kernel_from_media) {
      /* the media's files, of which the XML names the staged copies
       * (SCRATCH/vminstall-XXXXXX-BASENAME) */
      const char *k = xl_str(&xl, "kernel"), *r = xl_str(&xl, "ramdisk");
      g_autofree char *kbase = g_strconcat("-", strrchr(k, '/') + 1, NULL);
      g_autofree char *rbase = g_strconcat("-", strrchr(r, '/') + 1, NULL);
      g_assert_true(g_file_test(k, G_FILE_TEST_IS_REGULAR));
      g_assert_true(g_file_test(r, G_FILE_TEST_IS_REGULAR));
      g_assert_true(g_str_has_suffix(kernel, kbase));
      g_assert_true(g_str_has_suffix(initrd, rbase));
    } else {
      g_assert_cmpstr(xl_str(&xl, "kernel"), ==, kernel);
      g_assert_cmpstr(xl_str(&xl, "ramdisk"), ==, initrd);
    }
    g_assert_cmpstr(xl_str(&xl, "cmdline"), ==, cmdline);
    g_assert_null(xl_str(&xl, "bootloader"));
  } else if (!hvm) {
    g_autofree char *bl = xp(&x, "/domain/bootloader");
    g_autofree char *args = xp(&x, "/domain/bootloader_args");
    g_assert_cmpstr(xl_str(&xl, "bootloader"), ==, bl ? bl : "pygrub");
    g_assert_null(xl_str(&xl, "kernel"));
    if (args) {
      g_auto(GStrv) want = g_strsplit(args, " ", -1);
      int n = 0;
      XLU_ConfigList *list = xl_list(&xl, "bootloader_args", &n);
      g_assert_cmpint(n, ==, (int)g_strv_length(want));
      for (int i = 0; i < n; i++)
        g_assert_cmpstr(xlu_cfg_get_listitem(list, i), ==, want[i]);
    }
  }

  if (hvm) {
    g_autofree char *boot = expected_boot(&x);
    g_autofree char *firmware = xp(&x, "/domain/os/@firmware");
    g_autofree char *clock = xp(&x, "/domain/clock/@offset");
    g_autofree char *stype = xp(&x, "(/domain/devices/serial|/domain/devices/console)[1]/@type");
    g_autofree char *spath = xp(&x, "(/domain/devices/serial|/domain/devices/console)[1]"
                                "/source/@path");
    g_autofree char *serial = !g_strcmp0(stype, "file") ? g_strdup_printf("file:%s", spath)
                                                       : g_strdup(stype);
    g_assert_cmpstr(xl_str(&xl, "boot"), ==, boot);
    g_assert_cmpstr(xl_str(&xl, "bios"), ==, !g_strcmp0(firmware, "efi") ? "ovmf" : NULL);
    g_assert_cmpint(xl_long(&xl, "acpi", -1), ==, xp_count(&x, "/domain/features/acpi"));
    g_assert_cmpint(xl_long(&xl, "apic", -1), ==, xp_count(&x, "/domain/features/apic"));
    g_assert_cmpint(xl_long(&xl, "pae", -1), ==, xp_count(&x, "/domain/features/pae"));
    g_assert_cmpint(xl_long(&xl, "localtime", 0), ==, !g_strcmp0(clock, "localtime"));
    g_assert_cmpstr(xl_str(&xl, "serial"), ==, serial);
    g_assert_cmpstr(xl_str(&xl, "usbdevice"), ==,
                    xp_count(&x, "/domain/devices/input[@type='tablet']") ? "tablet" : NULL);
  }
  check_graphics(&x, &xl, hvm, co);
  check_vifs(&x, &xl, hvm);
  check_disks(&x, &xl, hvm);

  {
    const char *ev[] = { "on_poweroff", "on_reboot", "on_crash" };
    const char *dflt[] = { "destroy", "restart", "destroy" };
    for (guint i = 0; i < 3; i++) {
      g_autofree char *v = xp(&x, "/domain/%s", ev[i]);
      g_assert_cmpstr(xl_str(&xl, ev[i]), ==, v ? v : dflt[i]);
    }
  }
}

/* ------------------------------------------------------------ golden XML cases */

static void
options_from_xml(const char *xml, VmiXlOptions *opts, char **password_file)
{
  const char *c = strstr(xml, "<!-- xl-options:");
  g_autofree char *line = NULL;
  g_auto(GStrv) words = NULL;

  memset(opts, 0, sizeof(*opts));
  *password_file = NULL;
  if (!c)
    return;
  line = g_strndup(c + strlen("<!-- xl-options:"), strstr(c, "-->") - c - strlen("<!-- xl-options:"));
  words = g_strsplit_set(g_strstrip(line), " ", -1);
  for (guint i = 0; words[i]; i++) {
    if (!strcmp(words[i], "installer"))
      opts->installer = TRUE;
    else if (!strcmp(words[i], "check-files"))
      opts->check_files = TRUE;
    else if (g_str_has_prefix(words[i], "vnc-password-file="))
      *password_file = g_build_filename(xldir, words[i] + strlen("vnc-password-file="), NULL);
    else if (*words[i])
      g_error("unknown xl-option %s", words[i]);
  }
  opts->vnc_password_file = *password_file;
}

static void
test_golden(gconstpointer data)
{
  const char *name = data;
  g_autofree char *xml_path = g_strdup_printf("%s/%s.xml", xldir, name);
  g_autofree char *cfg_path = g_strdup_printf("%s/%s.cfg", xldir, name);
  g_autofree char *xml = read_data(xml_path);
  g_autofree char *pwfile = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiGuest) guest = vmi_guest_new_from_xml(xml, &error);
  VmiXlOptions opts;
  CheckOpts co = { 0 };

  g_assert_no_error(error);
  options_from_xml(xml, &opts, &pwfile);
  if (pwfile) {
    g_assert_true(g_file_get_contents(pwfile, &password, NULL, NULL));
    password[strcspn(password, "\n")] = '\0';
    co.vnc_password = password;
  }
  g_autofree char *cfg = vmi_xl_config(guest, &opts, &error);
  g_assert_no_error(error);
  check_golden(cfg_path, cfg);
  check_against_xml(cfg, xml, &co);
}

/* ------------------------------------------------------------ CLI cases */

static char **
case_argv(const char *args_path, const char *swap_from, const char *swap_to)
{
  g_autofree char *text = read_data(args_path);
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);
  const char *exe = g_getenv("VMI_TEST_VMINSTALL");

  g_assert_nonnull(exe);
  g_ptr_array_add(argv, g_strdup(exe));
  for (guint i = 0; lines[i]; i++) {
    if (!*lines[i] || lines[i][0] == '#')
      continue;
    if (swap_from && g_str_has_prefix(lines[i], swap_from))
      g_ptr_array_add(argv, g_strconcat(swap_to, lines[i] + strlen(swap_from), NULL));
    else
      g_ptr_array_add(argv, g_strdup(lines[i]));
  }
  g_ptr_array_add(argv, NULL);
  return (char **)g_ptr_array_free(argv, FALSE);
}

static void
run(char **argv, char **out, char **err, int *status)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_environ_setenv(g_get_environ(), "LANG", "C", TRUE);

  env = g_environ_setenv(env, "XDG_CACHE_HOME", "/tmp/vminstall-test-cache", FALSE);
  if (!g_spawn_sync(NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, out, err, status, &error))
    g_error("%s", error->message);
}

/* Splits concatenated documents at each line starting with @marker. */
static GPtrArray *
split_docs(const char *text, const char *marker)
{
  GPtrArray *docs = g_ptr_array_new_with_free_func(g_free);
  const char *p = text;

  while ((p = strstr(p, marker))) {
    const char *next = strstr(p + 1, marker);
    g_ptr_array_add(docs, next ? g_strndup(p, next - p) : g_strdup(p));
    p = next ? next : p + strlen(p);
  }
  return docs;
}

static void
test_cli(gconstpointer data)
{
  const char *name = data;
  g_autofree char *args_path = g_strdup_printf("%s/%s.args", xldir, name);
  g_autofree char *cfg_path = g_strdup_printf("%s/%s.cfg", xldir, name);
  g_autofree char *err_path = g_strdup_printf("%s/%s.err", xldir, name);
  g_auto(GStrv) argv = case_argv(args_path, NULL, NULL);
  g_autofree char *out = NULL, *err = NULL;
  int status;

  run(argv, &out, &err, &status);
  if (g_file_test(err_path, G_FILE_TEST_EXISTS)) {
    g_autofree char *expected = read_data(err_path);
    g_assert_cmpstr(out, ==, "");
    g_assert_cmpstr(err, ==, expected);
    g_assert_true(g_spawn_check_wait_status(status, NULL) == FALSE);
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    return;
  }
  g_assert_cmpstr(err, ==, "");
  g_assert_cmpint(status, ==, 0);
  check_golden(cfg_path, out);

  /* the same command line as libvirt XML, phase by phase */
  g_auto(GStrv) xml_argv = case_argv(args_path, "--print-xl", "--print-xml");
  g_autofree char *xml_out = NULL, *xml_err = NULL;
  run(xml_argv, &xml_out, &xml_err, &status);
  g_assert_cmpint(status, ==, 0);
  /* vminstall's own options have no virt-install oracle: NAME.print-xml
   * holds their libvirt XML */
  g_autofree char *print_xml_path = g_strdup_printf("%s/%s.print-xml", xldir, name);
  if (g_file_test(print_xml_path, G_FILE_TEST_EXISTS))
    check_golden(print_xml_path, xml_out);
  g_autoptr(GPtrArray) cfgs = split_docs(out, "# Xen xl configuration");
  g_autoptr(GPtrArray) xmls = split_docs(xml_out, "<domain");
  g_assert_cmpuint(cfgs->len, ==, xmls->len);
  for (guint i = 0; i < cfgs->len; i++) {
    const char *cfg = g_ptr_array_index(cfgs, i);
    CheckOpts co = { .kernel_from_media = strstr(cfg, "# install phase") != NULL };
    check_against_xml(cfg, g_ptr_array_index(xmls, i), &co);
  }
}

/* ------------------------------------------------------------ rules */

#define PV_HEAD "<domain type='xen'><name>g</name><uuid>6f1c1a40-52b0-4c5e-9b8a-0d5f0b9e2aff</uuid>" \
  "<memory>524288</memory><vcpu>1</vcpu>"
#define HVM_OS "<os><type arch='x86_64' machine='xenfv'>hvm</type>" \
  "<loader>/usr/lib/xen/boot/hvmloader</loader><boot dev='hd'/></os>"
#define DISK(dev, bus) "<disk type='file' device='disk'><source file='/srv/" dev ".img'/>" \
  "<target dev='" dev "' bus='" bus "'/></disk>"
#define NIC "<interface type='bridge'><source bridge='xenbr0'/>" \
  "<mac address='00:16:3e:00:00:aa'/></interface>"

typedef struct {
  const char *rule;
  const char *xml;
  gboolean installer;
  gboolean check_files;
  const char *password_file;
  const char *message;   /* expected error; NULL: must succeed */
} RuleCase;

static const RuleCase rule_cases[] = {
  /* the Ganeti checklist */
  { "PV: a kernel is required",
    PV_HEAD "<os><type>xen</type></os><devices>" NIC "</devices></domain>", FALSE, FALSE, NULL,
    "xl: need a kernel for the PV guest 'g': give --boot kernel=PATH, or "
    "--boot bootloader=pygrub with a disk to boot" },
  { "PV: the kernel path must be absolute",
    PV_HEAD "<os><type>xen</type><kernel>vmlinuz</kernel><cmdline>root=/dev/xvda1</cmdline>"
    "</os><devices/></domain>", FALSE, FALSE, NULL,
    "xl: the kernel path must be an absolute path, not 'vmlinuz'" },
  { "PV: the kernel must be an existing regular file",
    PV_HEAD "<os><type>xen</type><kernel>/nonexistent/vmlinuz</kernel>"
    "<cmdline>root=/dev/xvda1</cmdline></os><devices/></domain>", FALSE, TRUE, NULL,
    "xl: instance kernel '/nonexistent/vmlinuz' not found or not a file" },
  { "PV: the kernel must be a regular file, not a directory",
    PV_HEAD "<os><type>xen</type><kernel>/</kernel>"
    "<cmdline>root=/dev/xvda1</cmdline></os><devices/></domain>", FALSE, TRUE, NULL,
    "xl: instance kernel '/' not found or not a file" },
  { "PV: a root device is required",
    PV_HEAD "<os><type>xen</type><kernel>/boot/vmlinuz</kernel><cmdline>console=hvc0</cmdline>"
    "</os><devices/></domain>", FALSE, FALSE, NULL,
    "xl: need a root device for the PV guest 'g': the kernel command line 'console=hvc0' "
    "has no root= (add root=DEVICE to --boot cmdline=)" },
  { "PV: an installer's kernel needs no root device",
    PV_HEAD "<os><type>xen</type><kernel>/boot/vmlinuz</kernel><cmdline>console=hvc0</cmdline>"
    "</os><devices/></domain>", TRUE, FALSE, NULL, NULL },
  { "PV: a Solaris bootpath counts as the root device",
    PV_HEAD "<os><type>xen</type><kernel>/srv/unix</kernel><cmdline>"
    "/platform/i86xpv/kernel/amd64/unix -B zfs-bootfs=rpool/57,bootpath='/xpvd/xdf@51712:a'"
    "</cmdline></os><devices/></domain>", FALSE, FALSE, NULL, NULL },
  { "PV: the initrd path must be absolute",
    PV_HEAD "<os><type>xen</type><kernel>/boot/vmlinuz</kernel><initrd>initrd.img</initrd>"
    "<cmdline>root=/dev/xvda1</cmdline></os><devices/></domain>", FALSE, FALSE, NULL,
    "xl: the initrd path must be an absolute path, if defined, not 'initrd.img'" },
  { "PV: the initrd must exist when given",
    PV_HEAD "<os><type>xen</type><kernel>@DATADIR@/media/vmlinuz</kernel>"
    "<initrd>/nonexistent/initrd.img</initrd><cmdline>root=/dev/xvda1</cmdline></os>"
    "<devices/></domain>", FALSE, TRUE, NULL,
    "xl: instance initrd '/nonexistent/initrd.img' not found or not a file" },
  { "HVM: boot order only of [acdn]",
    PV_HEAD "<os><type>hvm</type><boot dev='cdrom'/><boot dev='usb'/></os><devices/></domain>",
    FALSE, FALSE, NULL,
    "xl: invalid boot order 'usb' specified, must be one or more of [acdn] "
    "(fd, hd, cdrom, network)" },
  { "HVM: NIC type from the valid set",
    PV_HEAD HVM_OS "<devices><interface type='bridge'><source bridge='xenbr0'/>"
    "<model type='virtio'/></interface></devices></domain>", FALSE, FALSE, NULL,
    "xl: invalid NIC type 'virtio' specified for the Xen HVM hypervisor. Please choose one "
    "of: e1000, rtl8139, ne2k_pci, ne2k_isa, i82551, i82557b, i82559er, pcnet, netfront "
    "(paravirtual)" },
  { "PV: NICs are paravirtual",
    PV_HEAD "<os><type>xen</type></os><devices>" DISK("xvda", "xen")
    "<interface type='bridge'><source bridge='xenbr0'/><model type='e1000'/></interface>"
    "</devices></domain>", FALSE, FALSE, NULL,
    "xl: invalid NIC type 'e1000' specified for the Xen PV hypervisor: PV NICs are "
    "paravirtual (netfront); drop model=" },
  { "HVM: disk type from the valid set",
    PV_HEAD HVM_OS "<devices>" DISK("sda", "sata") "</devices></domain>", FALSE, FALSE, NULL,
    "xl: invalid disk type 'sata' specified for the Xen HVM hypervisor. Please choose one "
    "of: ide (ioemu), xen (paravirtual)" },
  { "PV: disk type from the valid set",
    PV_HEAD "<os><type>xen</type></os><devices>" DISK("vda", "virtio") "</devices></domain>",
    FALSE, FALSE, NULL,
    "xl: invalid disk type 'virtio' specified for the Xen PV hypervisor. Please choose one "
    "of: xen, ide, scsi" },
  { "VNC listen address must be an IP address",
    PV_HEAD HVM_OS "<devices><graphics type='vnc' port='-1' listen='vnc.example.com'/>"
    "</devices></domain>", FALSE, FALSE, NULL,
    "xl: given VNC bind address 'vnc.example.com' doesn't look like a valid IP address" },
  { "VNC listen address: IPv6 is an IP address",
    PV_HEAD HVM_OS "<devices><graphics type='vnc' port='-1' listen='::1'/>"
    "</devices></domain>", FALSE, FALSE, NULL, NULL },
  { "the cdrom image path must be absolute",
    PV_HEAD HVM_OS "<devices><disk type='file' device='cdrom'><source file='fake.iso'/>"
    "<target dev='hdc' bus='ide'/><readonly/></disk></devices></domain>", FALSE, FALSE, NULL,
    "xl: the path to the CDROM image must be an absolute path, not 'fake.iso'" },
  { "the cdrom image must be an existing regular file",
    PV_HEAD HVM_OS "<devices><disk type='file' device='cdrom'><source file='/nonexistent.iso'/>"
    "<target dev='hdc' bus='ide'/><readonly/></disk></devices></domain>", FALSE, TRUE, NULL,
    "xl: the CDROM image must either be a regular file or a symlink pointing to an "
    "existing regular file, not '/nonexistent.iso'" },
  { "at most the disks the naming scheme allows (hda to hdd)",
    PV_HEAD HVM_OS "<devices>" DISK("hda", "ide") DISK("hdb", "ide") DISK("hdc", "ide")
    DISK("hdd", "ide") DISK("hde", "ide") "</devices></domain>", FALSE, FALSE, NULL,
    "xl: too many disks: 'hde' is beyond the 4 disks the hd naming scheme allows" },
  { "at most the disks the naming scheme allows (xvda to xvdzz)",
    PV_HEAD "<os><type>xen</type></os><devices>" DISK("xvdaaa", "xen") "</devices></domain>",
    FALSE, FALSE, NULL,
    "xl: disk target 'xvdaaa' is not a Xen virtual device name (hdX, sdX, xvdX)" },
  { "a disk name outside Xen's schemes",
    PV_HEAD "<os><type>xen</type></os><devices>" DISK("vda", "xen") "</devices></domain>",
    FALSE, FALSE, NULL,
    "xl: disk target 'vda' is not a Xen virtual device name (hdX, sdX, xvdX)" },
  { "the VNC password file must be readable",
    PV_HEAD HVM_OS "<devices><graphics type='vnc' port='-1'/></devices></domain>",
    FALSE, FALSE, "/nonexistent/vnc-password",
    "xl: failed to open VNC password file /nonexistent/vnc-password: Failed to open file "
    "“/nonexistent/vnc-password”: No such file or directory" },
  /* PV boots: the xVM seed */
  { "PV mode doesn't support PXE",
    PV_HEAD "<os><type>xen</type><boot dev='network'/><boot dev='hd'/></os><devices>"
    DISK("xvda", "xen") "</devices></domain>", TRUE, FALSE, NULL,
    "xl: a Xen PV guest cannot boot from the network (boot device 'network'): PV has no "
    "PXE; use --location for a PV network install, or --hvm" },
  { "a PV guest does not boot a cdrom",
    PV_HEAD "<os><type>xen</type><boot dev='cdrom'/></os><devices>"
    DISK("xvda", "xen") "</devices></domain>", TRUE, FALSE, NULL,
    "xl: a Xen PV guest cannot boot from a cdrom (boot device 'cdrom'): use --location "
    "with the install media for a PV install" },
  /* what xl cannot represent */
  { "a libvirt network",
    PV_HEAD "<os><type>xen</type></os><devices>" DISK("xvda", "xen")
    "<interface type='network'><source network='default'/></interface></devices></domain>",
    FALSE, FALSE, NULL,
    "xl: interface 1 uses the libvirt network 'default', which xl does not know: give "
    "--network bridge=BRIDGE" },
  { "a KVM guest",
    "<domain type='kvm'><name>g</name><memory>524288</memory><os><type>hvm</type></os>"
    "</domain>", FALSE, FALSE, NULL,
    "xl: the guest is a 'kvm' domain, xl configs describe Xen guests only (connect to "
    "xen:///system)" },
  { "a device xl has no words for",
    PV_HEAD HVM_OS "<devices><sound model='ich6'/></devices></domain>", FALSE, FALSE, NULL,
    "xl: <sound> devices are not written to xl configs (remove it, e.g. --sound none)" },
  { "memory that is not whole MiB",
    "<domain type='xen'><name>g</name><memory>1000</memory><os><type>hvm</type></os>"
    "</domain>", FALSE, FALSE, NULL,
    "xl: memory of 1000 KiB is not a whole number of MiB, which xl counts in" },
  { "a storage volume",
    PV_HEAD "<os><type>xen</type></os><devices><disk type='volume' device='disk'>"
    "<source pool='default' volume='v'/><target dev='xvda' bus='xen'/></disk></devices>"
    "</domain>", FALSE, FALSE, NULL,
    "xl: disk 1 is of type 'volume'; xl needs a file or block device path (give --disk path=)" },
  { "SPICE graphics",
    PV_HEAD HVM_OS "<devices><graphics type='spice'/></devices></domain>", FALSE, FALSE, NULL,
    "xl: graphics type 'spice' is not written to xl configs (use vnc, sdl or none)" },
  { "an element with no xl equivalent",
    PV_HEAD HVM_OS "<cputune><shares>2048</shares></cputune></domain>", FALSE, FALSE, NULL,
    "xl: the <cputune> element has no xl equivalent" },
};

static void
test_rule(gconstpointer data)
{
  const RuleCase *c = data;
  g_autofree char *xml = subst(c->xml, "@DATADIR@", datadir);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiGuest) guest = vmi_guest_new_from_xml(xml, &error);
  VmiXlOptions opts = { .installer = c->installer, .check_files = c->check_files,
                        .vnc_password_file = c->password_file };
  g_autofree char *cfg = NULL;

  g_test_message("%s", c->rule);
  g_assert_no_error(error);
  cfg = vmi_xl_config(guest, &opts, &error);
  if (c->message) {
    g_assert_null(cfg);
    g_assert_nonnull(error);
    g_assert_cmpstr(error->message, ==, c->message);
    g_assert_null(strchr(error->message, '\n'));
  } else {
    CheckOpts co = { 0 };
    g_assert_no_error(error);
    check_against_xml(cfg, xml, &co);
  }
}

/* ------------------------------------------------------------ bad input */

typedef struct {
  const char *what;
  const char *name;      /* values put into a PV or HVM guest */
  const char *path;
  const char *mac;
  const char *bridge;
  const char *cmdline;
  const char *kernel;
  const char *password;
  gboolean hvm;
  const char *message;   /* NULL: written and read back intact */
} BadCase;

static const BadCase bad_cases[] = {
  { "quotes, brackets, commas and a backslash in the name are escaped",
    .name = "web\"1'[a],b\\c #x" },
  { "a newline in the name is refused",
    .name = "web1\nkernel = \"/evil\"",
    .message = "xl: guest name \"web1\\nkernel = \\\"/evil\\\"\" contains a control character "
    "(\\012), which an xl config cannot hold" },
  { "quotes in a disk path are escaped, the positional form kept",
    .path = "/srv/it's \"q\".img" },
  { "commas, brackets and '=' in a disk path go through target=",
    .path = "/srv/a],[b=c,xvdz,w" },
  { "a colon in a disk path goes through target=",
    .path = "/srv/phy:/dev/sda" },
  { "a newline in a disk path is refused",
    .path = "/srv/a.img\",\n\"phy:/dev/sda",
    .message = "xl: path of disk 1 \"/srv/a.img\\\",\\n\\\"phy:/dev/sda\" contains a control "
    "character (\\012), which an xl config cannot hold" },
  { "a MAC with a comma cannot add vif keys",
    .mac = "00:16:3e:00:00:01,bridge=evil",
    .message = "xl: MAC address \"00:16:3e:00:00:01,bridge=evil\" of interface 1 is not of "
    "the form XX:XX:XX:XX:XX:XX" },
  { "a MAC with a quote",
    .mac = "00:16:3e:00:00:0\"",
    .message = "xl: MAC address \"00:16:3e:00:00:0\\\"\" of interface 1 is not of the form "
    "XX:XX:XX:XX:XX:XX" },
  { "a MAC with a newline",
    .mac = "00:16:3e:00:00:01\n",
    .message = "xl: MAC address \"00:16:3e:00:00:01\\n\" of interface 1 is not of the form "
    "XX:XX:XX:XX:XX:XX" },
  { "a bridge with a comma cannot add vif keys",
    .bridge = "xenbr0,script=/tmp/evil",
    .message = "xl: bridge name \"xenbr0,script=/tmp/evil\" of interface 1 cannot be written "
    "to an xl vif spec (1 to 15 letters, digits, '.', '_' or '-')" },
  { "quotes, commas and brackets in the kernel command line are escaped",
    .cmdline = "root=/dev/xvda1 ks=\"http://h/a b.cfg\" x=[1,2] y='z' \\" },
  { "a newline in the kernel command line is refused",
    .cmdline = "root=/dev/xvda1\nbootloader = \"/evil\"",
    .message = "xl: kernel command line \"root=/dev/xvda1\\nbootloader = \\\"/evil\\\"\" "
    "contains a control character (\\012), which an xl config cannot hold" },
  { "quotes in the kernel path are escaped",
    .kernel = "/boot/vm\"linuz'[1]" },
  { "a tab in the kernel path is refused",
    .kernel = "/boot/vm\tlinuz",
    .message = "xl: kernel path \"/boot/vm\\tlinuz\" contains a control character (\\011), "
    "which an xl config cannot hold" },
  { "an HVM VNC password with quotes and a backslash is escaped",
    .password = "p\"a's\\s,w]", .hvm = TRUE },
  { "a PV VNC password with a comma cannot add vfb keys",
    .password = "pw,vnclisten=0.0.0.0",
    .message = "xl: the VNC password of a PV guest cannot be written to an xl vfb spec "
    "(no commas, control characters or surrounding blanks)" },
};

/* Markup escape that keeps control characters: XML would turn a raw
 * newline in an attribute into a space. */
static char *
xml_escape(const char *s)
{
  g_autofree char *m = g_markup_escape_text(s, -1);
  GString *out = g_string_new(NULL);

  for (const char *p = m; *p; p++) {
    if (*p == '\n' || *p == '\t' || *p == '\r')
      g_string_append_printf(out, "&#%d;", *p);
    else
      g_string_append_c(out, *p);
  }
  return g_string_free(out, FALSE);
}

static void
test_bad_input(gconstpointer data)
{
  const BadCase *c = data;
  g_autofree char *name = xml_escape(c->name ? c->name : "g");
  g_autofree char *path = xml_escape(c->path ? c->path : "/srv/g.img");
  g_autofree char *mac = xml_escape(c->mac ? c->mac : "00:16:3e:00:00:01");
  g_autofree char *bridge = xml_escape(c->bridge ? c->bridge : "xenbr0");
  g_autofree char *cmdline = xml_escape(c->cmdline ? c->cmdline : "root=/dev/xvda1");
  g_autofree char *kernel = xml_escape(c->kernel ? c->kernel : "/boot/vmlinuz");
  g_autofree char *password = c->password ? xml_escape(c->password) : NULL;
  g_autofree char *gfx = password ? g_strdup_printf("<graphics type='vnc' port='-1' "
                                                    "passwd=\"%s\"/>", password)
                                  : g_strdup("");
  g_autofree char *os = c->hvm ? g_strdup("<os><type>hvm</type><boot dev='hd'/></os>")
                               : g_strdup_printf("<os><type>xen</type><kernel>%s</kernel>"
                                                 "<cmdline>%s</cmdline></os>", kernel, cmdline);
  g_autofree char *xml = g_strdup_printf(
      "<domain type='xen'><name>%s</name><memory>524288</memory><vcpu>1</vcpu>%s<devices>"
      "<disk type='file' device='disk'><source file=\"%s\"/><target dev='%s' bus='%s'/></disk>"
      "<interface type='bridge'><source bridge=\"%s\"/><mac address=\"%s\"/></interface>"
      "%s</devices></domain>", name, os, path, c->hvm ? "hda" : "xvda", c->hvm ? "ide" : "xen",
      bridge, mac, gfx);
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiGuest) guest = vmi_guest_new_from_xml(xml, &error);
  g_autofree char *cfg = NULL;

  g_test_message("%s", c->what);
  g_assert_no_error(error);
  cfg = vmi_xl_config(guest, NULL, &error);
  if (c->message) {
    g_assert_null(cfg);
    g_assert_cmpstr(error ? error->message : NULL, ==, c->message);
    g_assert_null(strchr(error->message, '\n'));
    return;
  }
  g_assert_no_error(error);
  {
    CheckOpts co = { 0 };
    check_against_xml(cfg, xml, &co);
  }
}

/* ------------------------------------------------------------ main */

static GPtrArray *
case_names(const char *ext)
{
  g_autoptr(GDir) dir = g_dir_open(xldir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
  const char *f;

  g_assert_nonnull(dir);
  while ((f = g_dir_read_name(dir)))
    if (g_str_has_suffix(f, ext))
      g_ptr_array_add(names, g_strndup(f, strlen(f) - strlen(ext)));
  g_ptr_array_sort(names, (GCompareFunc)g_strcmp0);
  return names;
}

int
main(int argc, char **argv)
{
  g_autoptr(GPtrArray) xml_names = NULL;
  g_autoptr(GPtrArray) cli_names = NULL;
  int ret;

  g_test_init(&argc, &argv, NULL);
  datadir = g_canonicalize_filename(g_getenv("VMI_TEST_DATADIR") ? g_getenv("VMI_TEST_DATADIR")
                                    : g_test_get_filename(G_TEST_DIST, "data", NULL), NULL);
  xldir = g_build_filename(datadir, "xl", NULL);
  xml_names = case_names(".xml");
  cli_names = case_names(".args");

  for (guint i = 0; i < xml_names->len; i++) {
    const char *n = g_ptr_array_index(xml_names, i);
    g_autofree char *path = g_strdup_printf("/xl/golden/%s", n);
    g_test_add_data_func(path, n, test_golden);
  }
  for (guint i = 0; i < cli_names->len; i++) {
    const char *n = g_ptr_array_index(cli_names, i);
    g_autofree char *path = g_strdup_printf("/xl/cli/%s", n);
    g_test_add_data_func(path, n, test_cli);
  }
  for (guint i = 0; i < G_N_ELEMENTS(rule_cases); i++) {
    g_autofree char *path = g_strdup_printf("/xl/rule/%02u", i + 1);
    g_test_add_data_func(path, &rule_cases[i], test_rule);
  }
  for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
    g_autofree char *path = g_strdup_printf("/xl/bad-input/%02u", i + 1);
    g_test_add_data_func(path, &bad_cases[i], test_bad_input);
  }
  ret = g_test_run();
  g_free(datadir);
  g_free(xldir);
  return ret;
}
