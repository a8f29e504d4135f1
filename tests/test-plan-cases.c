/*
 * test-plan-cases: the rules of the install plan (src/lib/plan), one case
 * per file pair in tests/data/plan:
 *
 *   NAME.in   <plan> holding which rule the case shows (<about>), the
 *             request's install options (<install>), the facts the other
 *             steps found (<facts>) and the guest before the install media
 *             go in (<domain>).
 *   NAME.out  the two phases the plan makes of it (vmi_plan_prepare, then
 *             vmi_plan_build), each after a comment naming it.
 *
 * <install> takes method= (none, cdrom, location, pxe, import, kernel,
 * bootdev, no-install), cdrom=, location=, location-kernel=,
 * location-initrd=, kernel=, initrd=, bootdev=, no-install=yes,
 * cloud-init= and unattended= (present: given).  <facts> takes the
 * fields of VmiPlanFacts in the same spelling (kernel-args=,
 * seed-cdrom=, cloud-init=yes, default-tpm=yes, windows=yes,
 * install-memory-kib=N, final-kernel= ...).
 *
 * VMI_TEST_REGENERATE_OUTPUT=1 rewrites the NAME.out files (review them
 * with git diff: they are the rules).  Speaks TAP; --filter SUBSTR runs
 * the cases whose name holds SUBSTR.
 */
#include <stdio.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "compare.h"
#include "plan.h"
#include "xmlnode.h"

typedef struct {
  VmiInstall install;
  VmiPlanFacts facts;
  GPtrArray *strings;   /* what the two structs point to */
  char *guest_xml;
} Case;

static void
case_clear(Case *c)
{
  g_clear_pointer(&c->install.extra_args, g_ptr_array_unref);
  g_clear_pointer(&c->install.initrd_inject, g_ptr_array_unref);
  g_clear_pointer(&c->strings, g_ptr_array_unref);
  g_clear_pointer(&c->guest_xml, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Case, case_clear)

static const struct {
  const char *name;
  VmiInstallMethod method;
} methods[] = {
  { "none", VMI_INSTALL_NONE },     { "cdrom", VMI_INSTALL_CDROM },
  { "location", VMI_INSTALL_LOCATION }, { "pxe", VMI_INSTALL_PXE },
  { "import", VMI_INSTALL_IMPORT }, { "kernel", VMI_INSTALL_KERNEL },
  { "bootdev", VMI_INSTALL_BOOTDEV }, { "no-install", VMI_INSTALL_NO_INSTALL },
};

/* The attribute @name of @node as a string the case keeps, or NULL. */
static char *
attr(Case *c, xmlNodePtr node, const char *name)
{
  xmlChar *v = node ? xmlGetProp(node, BAD_CAST name) : NULL;
  char *s;

  if (!v)
    return NULL;
  s = g_strdup((const char *)v);
  xmlFree(v);
  g_ptr_array_add(c->strings, s);
  return s;
}

static gboolean
yes(Case *c, xmlNodePtr node, const char *name)
{
  return g_strcmp0(attr(c, node, name), "yes") == 0;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
  for (xmlNodePtr n = parent->children; n; n = n->next)
    if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
      return n;
  return NULL;
}

static gboolean
read_install(Case *c, xmlNodePtr node, GError **error)
{
  VmiInstall *in = &c->install;
  const char *method = attr(c, node, "method");
  gboolean found = method == NULL;

  for (guint i = 0; method && i < G_N_ELEMENTS(methods); i++)
    if (strcmp(methods[i].name, method) == 0) {
      in->method = methods[i].method;
      found = TRUE;
    }
  if (!found) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "unknown method '%s'", method);
    return FALSE;
  }
  in->cdrom = attr(c, node, "cdrom");
  in->location = attr(c, node, "location");
  in->location_kernel = attr(c, node, "location-kernel");
  in->location_initrd = attr(c, node, "location-initrd");
  in->kernel = attr(c, node, "kernel");
  in->initrd = attr(c, node, "initrd");
  in->bootdev = attr(c, node, "bootdev");
  in->no_install = yes(c, node, "no-install");
  in->cloud_init = attr(c, node, "cloud-init");
  in->unattended = attr(c, node, "unattended");
  return TRUE;
}

static void
read_facts(Case *c, xmlNodePtr node)
{
  VmiPlanFacts *f = &c->facts;
  const char *memory = attr(c, node, "install-memory-kib");

  f->kernel = attr(c, node, "kernel");
  f->initrd = attr(c, node, "initrd");
  f->kernel_args = attr(c, node, "kernel-args");
  f->cdrom = attr(c, node, "cdrom");
  f->seed_cdrom = attr(c, node, "seed-cdrom");
  f->cloud_init = yes(c, node, "cloud-init");
  f->default_tpm = yes(c, node, "default-tpm");
  f->windows = yes(c, node, "windows");
  f->install_memory_kib = memory ? g_ascii_strtoll(memory, NULL, 10) : 0;
  f->final_kernel = attr(c, node, "final-kernel");
  f->final_initrd = attr(c, node, "final-initrd");
  f->final_cmdline = attr(c, node, "final-cmdline");
}

static gboolean
read_case(const char *path, Case *c, GError **error)
{
  g_autofree char *text = NULL;
  xmlDocPtr doc;
  xmlNodePtr root, domain;
  xmlBufferPtr buf;
  gboolean ok = FALSE;

  c->strings = g_ptr_array_new_with_free_func(g_free);
  c->install.extra_args = g_ptr_array_new_with_free_func(g_free);
  c->install.initrd_inject = g_ptr_array_new_with_free_func(g_free);
  if (!g_file_get_contents(path, &text, NULL, error))
    return FALSE;
  doc = xmlReadMemory(text, (int)strlen(text), path, NULL,
                      XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR);
  root = doc ? xmlDocGetRootElement(doc) : NULL;
  domain = root ? child(root, "domain") : NULL;
  if (!root || strcmp((const char *)root->name, "plan") != 0 || !domain) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                "%s: not a <plan> holding a <domain>", path);
    goto out;
  }
  if (!read_install(c, child(root, "install"), error))
    goto out;
  read_facts(c, child(root, "facts"));
  buf = xmlBufferCreate();
  xmlNodeDump(buf, doc, domain, 0, 0);
  c->guest_xml = g_strdup((const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  ok = TRUE;
out:
  if (doc)
    xmlFreeDoc(doc);
  return ok;
}

/* The phases as NAME.out spells them. */
static char *
render(const Case *c, GError **error)
{
  g_autoptr(VmiGuest) guest = vmi_guest_new_from_xml(c->guest_xml, error);
  g_auto(VmiPlan) plan = { 0 };
  g_autofree char *final = NULL;
  g_autofree char *first = NULL;

  if (!guest)
    return NULL;
  vmi_plan_prepare(guest, &c->install, &c->facts);
  vmi_plan_build(guest, &c->install, &c->facts, &plan);
  final = vmi_guest_to_xml(plan.final);
  if (!plan.install)
    return g_strdup_printf("<!-- no install phase -->\n<!-- final configuration -->\n%s", final);
  first = vmi_guest_to_xml(plan.install);
  return g_strdup_printf("<!-- install phase -->\n%s<!-- final configuration -->\n%s", first,
                         final);
}

static gboolean
run_case(const char *dir, const char *name, guint number)
{
  g_autofree char *in_path = g_strdup_printf("%s/%s.in", dir, name);
  g_autofree char *out_path = g_strdup_printf("%s/%s.out", dir, name);
  g_auto(Case) c = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *got = NULL;
  g_autofree char *report = NULL;
  gboolean ok;

  if (!read_case(in_path, &c, &error) || !(got = render(&c, &error))) {
    printf("not ok %u - %s\n# %s\n", number, name, error->message);
    return FALSE;
  }
  ok = vmi_test_compare_file(out_path, got, &report);
  printf("%s %u - %s\n%s", ok ? "ok" : "not ok", number, name, report ? report : "");
  return ok;
}

int
main(int argc, char **argv)
{
  g_autofree char *filter = NULL;
  g_autoptr(GOptionContext) octx = g_option_context_new("[CASEDIR]");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  GOptionEntry entries[] = {
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter,
      "run only cases whose name contains SUBSTR", "SUBSTR" },
    { NULL },
  };
  const char *dir;
  guint failed = 0;

  g_option_context_add_main_entries(octx, entries, NULL);
  if (!g_option_context_parse(octx, &argc, &argv, &error) || argc != 2) {
    fprintf(stderr, "usage: test-plan-cases [--filter SUBSTR] CASEDIR%s%s\n",
            error ? ": " : "", error ? error->message : "");
    return 2;
  }
  dir = argv[1];
  names = vmi_test_list_cases(dir, ".in", filter, &error);
  if (!names) {
    printf("Bail out! %s\n", error->message);
    return 2;
  }
  printf("1..%u\n", names->len);
  for (guint i = 0; i < names->len; i++)
    if (!run_case(dir, g_ptr_array_index(names, i), i + 1))
      failed++;
  return failed ? 1 : 0;
}
