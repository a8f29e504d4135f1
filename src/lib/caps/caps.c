/*
 * Host capabilities: the <guest>/<arch>/<domain> tree and virt-install's
 * guest_lookup preference rules over it.
 */
#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "caps.h"
#include "vminstall/error.h"
#include "xmlread.h"

typedef struct {
  char *name;
  char *canonical;
} CapsMachine;

typedef struct {
  char *type;
  char *emulator;
  GPtrArray *machines; /* CapsMachine* */
} CapsDomain;

typedef struct {
  char *os_type;
  char *arch;
  int wordsize;
  char *emulator;
  char *loader;
  GPtrArray *machines; /* CapsMachine* */
  GPtrArray *domains;  /* CapsDomain* */
  gboolean pae, nonpae;
  gboolean acpi, apic;
  gboolean acpi_toggle, apic_toggle;
} CapsGuest;

struct _VmiCaps {
  char *host_arch;
  char *host_cpu_model;
  GPtrArray *secmodels; /* char* */
  char *qemu_baselabel; /* dac <baselabel type='qemu|kvm'> text */
  GPtrArray *guests;    /* CapsGuest* */
};

static void
caps_machine_free(gpointer p)
{
  CapsMachine *m = p;
  g_free(m->name);
  g_free(m->canonical);
  g_free(m);
}

static void
caps_domain_free(gpointer p)
{
  CapsDomain *d = p;
  g_free(d->type);
  g_free(d->emulator);
  g_ptr_array_unref(d->machines);
  g_free(d);
}

static void
caps_guest_free(gpointer p)
{
  CapsGuest *g = p;
  g_free(g->os_type);
  g_free(g->arch);
  g_free(g->emulator);
  g_free(g->loader);
  g_ptr_array_unref(g->machines);
  g_ptr_array_unref(g->domains);
  g_free(g);
}

/* The <machine> children of @parent, in document order. */
static GPtrArray *
parse_machines(xmlNodePtr parent)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func(caps_machine_free);

  vmi_xmlread_foreach(node, parent, "machine") {
    CapsMachine *m = g_new0(CapsMachine, 1);
    m->name = vmi_xmlread_text(node);
    m->canonical = vmi_xmlread_attr(node, "canonical");
    if (m->canonical && !*m->canonical)
      g_clear_pointer(&m->canonical, g_free);
    if (!m->name) {
      /* An empty <machine/> names nothing a guest could ask for. */
      caps_machine_free(m);
      continue;
    }
    g_ptr_array_add(ret, m);
  }
  return ret;
}

/* virt-install reads default= as on/off, and any other non-empty value
 * as true: only a missing, empty or 'off' default means unsupported. */
static gboolean
feature_default(xmlNodePtr features, const char *name)
{
  g_autofree char *def = vmi_xmlread_attr(vmi_xmlread_child(features, name), "default");
  return def && *def && strcmp(def, "off") != 0;
}

static gboolean
feature_toggle(xmlNodePtr features, const char *name)
{
  return vmi_xmlread_attr_is(vmi_xmlread_child(features, name), "toggle", "yes");
}

static CapsGuest *
parse_guest(xmlNodePtr node)
{
  CapsGuest *g = g_new0(CapsGuest, 1);
  xmlNodePtr arch = vmi_xmlread_child(node, "arch");
  xmlNodePtr features = vmi_xmlread_child(node, "features");
  g_autofree char *wordsize = vmi_xmlread_child_text(arch, "wordsize");

  g->os_type = vmi_xmlread_child_text(node, "os_type");
  g->arch = vmi_xmlread_attr(arch, "name");
  g->wordsize = wordsize ? atoi(wordsize) : 0;
  g->emulator = vmi_xmlread_child_text(arch, "emulator");
  g->loader = vmi_xmlread_child_text(arch, "loader");
  g->machines = parse_machines(arch);
  g->domains = g_ptr_array_new_with_free_func(caps_domain_free);
  vmi_xmlread_foreach(dnode, arch, "domain") {
    CapsDomain *d = g_new0(CapsDomain, 1);
    d->type = vmi_xmlread_attr(dnode, "type");
    d->emulator = vmi_xmlread_child_text(dnode, "emulator");
    d->machines = parse_machines(dnode);
    g_ptr_array_add(g->domains, d);
  }
  g->pae = vmi_xmlread_child(features, "pae") != NULL;
  g->nonpae = vmi_xmlread_child(features, "nonpae") != NULL;
  g->acpi = feature_default(features, "acpi");
  g->apic = feature_default(features, "apic");
  g->acpi_toggle = feature_toggle(features, "acpi");
  g->apic_toggle = feature_toggle(features, "apic");
  return g;
}

static void
parse_host(VmiCaps *caps, xmlNodePtr host)
{
  xmlNodePtr cpu = vmi_xmlread_child(host, "cpu");

  caps->host_arch = vmi_xmlread_child_text(cpu, "arch");
  caps->host_cpu_model = vmi_xmlread_child_text(cpu, "model");
  vmi_xmlread_foreach(sec, host, "secmodel") {
    g_autofree char *model = vmi_xmlread_child_text(sec, "model");
    if (!model)
      continue;
    if (strcmp(model, "dac") == 0 && !caps->qemu_baselabel) {
      vmi_xmlread_foreach(label, sec, "baselabel") {
        g_autofree char *type = vmi_xmlread_attr(label, "type");
        if (g_strcmp0(type, "qemu") == 0 || g_strcmp0(type, "kvm") == 0) {
          caps->qemu_baselabel = vmi_xmlread_text(label);
          break;
        }
      }
    }
    g_ptr_array_add(caps->secmodels, g_steal_pointer(&model));
  }
}

VmiCaps *
vmi_caps_new_from_xml(const char *xml, GError **error)
{
  g_autoptr(xmlDoc) doc = vmi_xmlread_parse(xml, "capabilities", "capabilities", error);
  VmiCaps *caps;
  xmlNodePtr root;

  if (!doc)
    return NULL;
  root = xmlDocGetRootElement(doc);
  caps = g_new0(VmiCaps, 1);
  caps->secmodels = g_ptr_array_new_with_free_func(g_free);
  caps->guests = g_ptr_array_new_with_free_func(caps_guest_free);
  parse_host(caps, vmi_xmlread_child(root, "host"));
  vmi_xmlread_foreach(node, root, "guest")
    g_ptr_array_add(caps->guests, parse_guest(node));
  return caps;
}

void
vmi_caps_free(VmiCaps *caps)
{
  if (!caps)
    return;
  g_free(caps->host_arch);
  g_free(caps->host_cpu_model);
  g_free(caps->qemu_baselabel);
  g_ptr_array_unref(caps->secmodels);
  g_ptr_array_unref(caps->guests);
  g_free(caps);
}

const char *
vmi_caps_host_arch(const VmiCaps *caps)
{
  return caps->host_arch;
}

const char *
vmi_caps_host_cpu_model(const VmiCaps *caps)
{
  return caps->host_cpu_model;
}

gboolean
vmi_caps_has_secmodel(const VmiCaps *caps, const char *model)
{
  for (guint i = 0; i < caps->secmodels->len; i++)
    if (g_strcmp0(g_ptr_array_index(caps->secmodels, i), model) == 0)
      return TRUE;
  return FALSE;
}

gboolean
vmi_caps_qemu_user(const VmiCaps *caps, char **user, guint *uid)
{
  g_autofree char *label = NULL;
  g_autofree char *buf = NULL;
  const char *colon;
  char *end = NULL;
  guint64 id;
  struct passwd pw, *found = NULL;
  long bufsize;

  if (user)
    *user = NULL;
  if (!caps->qemu_baselabel)
    return FALSE;
  /* "+107:+107": the uid is before the colon, '+' marks it numeric. */
  colon = strchr(caps->qemu_baselabel, ':');
  label = colon ? g_strndup(caps->qemu_baselabel, colon - caps->qemu_baselabel)
                : g_strdup(caps->qemu_baselabel);
  g_strdelimit(label, "+", ' ');
  g_strstrip(label);
  errno = 0;
  id = g_ascii_strtoull(label, &end, 10);
  if (!*label || *end || errno || id > G_MAXUINT32)
    return FALSE;

  /* virt-install only reports the label when the uid maps to a user. */
  bufsize = sysconf(_SC_GETPW_R_SIZE_MAX);
  if (bufsize <= 0)
    bufsize = 16384;
  buf = g_malloc(bufsize);
  if (getpwuid_r((uid_t)id, &pw, buf, bufsize, &found) != 0 || !found)
    return FALSE;
  if (user)
    *user = g_strdup(found->pw_name);
  if (uid)
    *uid = (guint)id;
  return TRUE;
}

gboolean
vmi_caps_has_install_options(const VmiCaps *caps)
{
  for (guint i = 0; i < caps->guests->len; i++) {
    CapsGuest *g = g_ptr_array_index(caps->guests, i);
    if (g->domains->len)
      return TRUE;
  }
  return FALSE;
}

/* ---- guest_lookup ---- */

/* The machine list virt-install consults for a guest+domain pair: the
 * domain's own list overrides the guest's only when it is non-empty. */
static GPtrArray *
machine_objs(const CapsGuest *g, const CapsDomain *d)
{
  return d && d->machines->len ? d->machines : g->machines;
}

static gboolean
str_in(GPtrArray *strs, const char *s)
{
  for (guint i = 0; i < strs->len; i++)
    if (g_strcmp0(g_ptr_array_index(strs, i), s) == 0)
      return TRUE;
  return FALSE;
}

/* Every machine name, each followed by its canonical target unless that
 * is already listed; names themselves are never deduplicated. */
static GPtrArray *
all_machine_names(const CapsGuest *g, const CapsDomain *d)
{
  GPtrArray *mobjs = machine_objs(g, d);
  GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < mobjs->len; i++) {
    CapsMachine *m = g_ptr_array_index(mobjs, i);
    g_ptr_array_add(ret, g_strdup(m->name));
    if (m->canonical && !str_in(ret, m->canonical))
      g_ptr_array_add(ret, g_strdup(m->canonical));
  }
  return ret;
}

static const CapsGuest *
guest_for_os_type(const VmiCaps *caps, const char *os_type, const char *arch)
{
  /* Without an arch: the host's first, then any (NULL matches all). */
  const char *archs[2] = { arch, NULL };
  guint n = 1;

  if (!arch) {
    archs[0] = caps->host_arch;
    n = 2;
  }
  for (guint a = 0; a < n; a++) {
    for (guint i = 0; i < caps->guests->len; i++) {
      const CapsGuest *g = g_ptr_array_index(caps->guests, i);
      if ((!os_type || g_strcmp0(g->os_type, os_type) == 0) &&
          (!archs[a] || g_strcmp0(g->arch, archs[a]) == 0))
        return g;
    }
  }
  return NULL;
}

static const CapsDomain *
best_domain(const CapsGuest *g, const char *dtype, const char *machine)
{
  static const char *const priority[] = { "kvm", "xen", "qemu" };
  g_autofree char *want = dtype ? g_ascii_strdown(dtype, -1) : NULL;
  g_autoptr(GPtrArray) domains = g_ptr_array_new();

  for (guint i = 0; i < g->domains->len; i++) {
    const CapsDomain *d = g_ptr_array_index(g->domains, i);
    if (want && g_strcmp0(d->type, want) != 0)
      continue;
    if (machine) {
      g_autoptr(GPtrArray) names = all_machine_names(g, d);
      if (!str_in(names, machine))
        continue;
    }
    g_ptr_array_add(domains, (gpointer)d);
  }
  if (!domains->len)
    return NULL;
  for (guint p = 0; p < G_N_ELEMENTS(priority); p++)
    for (guint i = 0; i < domains->len; i++) {
      const CapsDomain *d = g_ptr_array_index(domains, i);
      if (g_strcmp0(d->type, priority[p]) == 0)
        return d;
    }
  /* None of the known types: virt-install takes the last one listed. */
  return g_ptr_array_index(domains, domains->len - 1);
}

static const char *
nonempty(const char *s)
{
  return s && *s ? s : NULL;
}

VmiCapsGuest *
vmi_caps_lookup_guest(const VmiCaps *caps, const char *os_type, const char *arch,
                      const char *domain_type, const char *machine, GError **error)
{
  const CapsGuest *g;
  const CapsDomain *d;
  VmiCapsGuest *ret;
  GPtrArray *mobjs;

  g_return_val_if_fail(caps != NULL, NULL);
  os_type = nonempty(os_type);
  arch = nonempty(arch);
  domain_type = nonempty(domain_type);
  machine = nonempty(machine);
  /* libxl's Xen reports PV guests as 'linux' in domain XML. */
  if (g_strcmp0(os_type, "linux") == 0)
    os_type = "xen";

  g = guest_for_os_type(caps, os_type, arch);
  if (!g) {
    if (arch && os_type)
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "Host does not support virtualization type '%s' for architecture '%s'",
                  os_type, arch);
    else if (arch)
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "Host does not support any virtualization options for architecture '%s'",
                  arch);
    else if (os_type)
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "Host does not support virtualization type '%s'", os_type);
    else
      g_set_error_literal(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                          "Host does not support any virtualization options");
    return NULL;
  }

  d = best_domain(g, domain_type, machine);
  if (!d) {
    /* virt-install prints the unset domain type as Python's None; the
     * same words keep scripts that match its messages working. */
    const char *dt = domain_type ? domain_type : "None";
    const char *ot = g->os_type ? g->os_type : "None";
    const char *ar = g->arch ? g->arch : "None";
    if (machine)
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "Host does not support domain type %s with machine '%s' for "
                  "virtualization type '%s' with architecture '%s'",
                  dt, machine, ot, ar);
    else
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "Host does not support domain type %s for virtualization type "
                  "'%s' with architecture '%s'",
                  dt, ot, ar);
    return NULL;
  }

  ret = g_new0(VmiCapsGuest, 1);
  ret->os_type = g_strdup(g->os_type);
  ret->arch = g_strdup(g->arch);
  ret->domain_type = g_strdup(d->type);
  ret->emulator = g_strdup(d->emulator ? d->emulator : g->emulator);
  ret->loader = g_strdup(g->loader);
  ret->wordsize = g->wordsize;
  ret->machines = all_machine_names(g, d);
  ret->pae = g->pae;
  ret->nonpae = g->nonpae;
  ret->acpi_default = g->acpi;
  ret->apic_default = g->apic;
  ret->acpi_toggle = g->acpi_toggle;
  ret->apic_toggle = g->apic_toggle;
  ret->aliases = g_ptr_array_new_with_free_func(g_free);
  ret->alias_targets = g_ptr_array_new_with_free_func(g_free);
  mobjs = machine_objs(g, d);
  for (guint i = 0; i < mobjs->len; i++) {
    CapsMachine *m = g_ptr_array_index(mobjs, i);
    if (!m->canonical)
      continue;
    g_ptr_array_add(ret->aliases, g_strdup(m->name));
    g_ptr_array_add(ret->alias_targets, g_strdup(m->canonical));
  }
  return ret;
}

void
vmi_caps_guest_free(VmiCapsGuest *guest)
{
  if (!guest)
    return;
  g_free(guest->os_type);
  g_free(guest->arch);
  g_free(guest->domain_type);
  g_free(guest->emulator);
  g_free(guest->loader);
  g_clear_pointer(&guest->machines, g_ptr_array_unref);
  g_clear_pointer(&guest->aliases, g_ptr_array_unref);
  g_clear_pointer(&guest->alias_targets, g_ptr_array_unref);
  g_free(guest);
}

gboolean
vmi_caps_guest_machine_is_alias(const VmiCapsGuest *guest, const char *alias,
                                const char *machine)
{
  if (!guest->aliases || !alias || !machine)
    return FALSE;
  for (guint i = 0; i < guest->aliases->len; i++)
    if (strcmp(g_ptr_array_index(guest->aliases, i), alias) == 0 &&
        strcmp(g_ptr_array_index(guest->alias_targets, i), machine) == 0)
      return TRUE;
  return FALSE;
}

gboolean
vmi_caps_guest_has_machine(const VmiCapsGuest *guest, const char *machine)
{
  return guest->machines && machine && str_in(guest->machines, machine);
}

GPtrArray *
vmi_caps_offered(const VmiCaps *caps, const char *what, const char *os_type,
                 const char *arch)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < caps->guests->len; i++) {
    const CapsGuest *g = g_ptr_array_index(caps->guests, i);
    if (os_type && g_strcmp0(g->os_type, os_type) != 0)
      continue;
    if (arch && g_strcmp0(g->arch, arch) != 0)
      continue;
    if (strcmp(what, "arch") == 0 || strcmp(what, "os_type") == 0) {
      const char *v = strcmp(what, "arch") == 0 ? g->arch : g->os_type;
      if (!str_in(ret, v))
        g_ptr_array_add(ret, g_strdup(v));
      continue;
    }
    for (guint j = 0; j < g->domains->len; j++) {
      const CapsDomain *d = g_ptr_array_index(g->domains, j);
      if (!str_in(ret, d->type))
        g_ptr_array_add(ret, g_strdup(d->type));
    }
  }
  return ret;
}
