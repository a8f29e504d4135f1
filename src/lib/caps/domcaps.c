/*
 * Domain capabilities: what one emulator/arch/machine/virt-type
 * combination supports, answered the way virt-install's domcapabilities.py
 * answers it.  A missing element, enum or value always means "no", so an
 * empty VmiDomcaps (drivers without domcaps) answers no to everything.
 */
#include <string.h>
#include "caps.h"
#include "vminstall/error.h"
#include "xmlread.h"

struct _VmiDomcaps {
  xmlDocPtr doc; /* NULL when empty */
  char *arch;
  char *machine;
  char *domain;
  char *path;
  char *uefi_path;
};

/* virt-install's UEFI binary name patterns per arch, most specific first;
 * matched from the start of the path (Python re.match), not anchored at
 * the end. */
static const struct {
  const char *arch;
  const char *const patterns[7];
} uefi_patterns[] = {
  { "i686", { ".*edk2-i386-.*\\.fd", ".*ovmf-ia32.*", NULL } },
  { "x86_64", { ".*edk2-x86_64-.*\\.fd", ".*OVMF_CODE\\.fd", ".*ovmf-x64/OVMF.*\\.fd",
                ".*ovmf-x86_64-.*", ".*ovmf.*", ".*OVMF.*", NULL } },
  { "aarch64", { ".*AAVMF_CODE\\.fd", ".*aarch64/QEMU_EFI.*", ".*aarch64.*",
                 ".*edk2-aarch64-code\\.fd", NULL } },
  { "armv7l", { ".*AAVMF32_CODE\\.fd", ".*arm/QEMU_EFI.*", ".*edk2-arm-code\\.fd", NULL } },
};

static xmlNodePtr
root_of(const VmiDomcaps *dc)
{
  return dc && dc->doc ? xmlDocGetRootElement(dc->doc) : NULL;
}

/* One path step: "name" or "name[value-of-@name]". */
static xmlNodePtr
step(xmlNodePtr node, const char *seg)
{
  const char *bracket = strchr(seg, '[');
  g_autofree char *name = NULL;
  g_autofree char *sel = NULL;

  if (!bracket)
    return vmi_xmlread_child(node, seg);
  name = g_strndup(seg, bracket - seg);
  sel = g_strdup(bracket + 1);
  if (!*sel || sel[strlen(sel) - 1] != ']')
    return NULL;
  sel[strlen(sel) - 1] = '\0';
  vmi_xmlread_foreach(c, node, name)
    if (vmi_xmlread_attr_is(c, "name", sel))
      return c;
  return NULL;
}

static xmlNodePtr
lookup(const VmiDomcaps *dc, const char *path)
{
  xmlNodePtr node = root_of(dc);
  g_auto(GStrv) segs = NULL;

  if (!node || !path)
    return NULL;
  segs = g_strsplit(path, "/", -1);
  for (guint i = 0; segs[i] && node; i++) {
    if (!*segs[i] || strcmp(segs[i], ".") == 0)
      continue;
    node = step(node, segs[i]);
  }
  return node;
}

static xmlNodePtr
find_enum(xmlNodePtr node, const char *enum_name)
{
  vmi_xmlread_foreach(e, node, "enum")
    if (vmi_xmlread_attr_is(e, "name", enum_name))
      return e;
  return NULL;
}

/* <value> children of @node as new strings; empty values are kept as ""
 * so that positions and counts match the document. */
static GPtrArray *
values_of(xmlNodePtr node)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);

  vmi_xmlread_foreach(v, node, "value") {
    char *text = vmi_xmlread_text(v);
    g_ptr_array_add(ret, text ? text : g_strdup(""));
  }
  return ret;
}

static gboolean
has_value(xmlNodePtr node, const char *value)
{
  g_autoptr(GPtrArray) vals = values_of(node);

  for (guint i = 0; i < vals->len; i++)
    if (g_strcmp0(g_ptr_array_index(vals, i), value) == 0)
      return TRUE;
  return FALSE;
}

/* virt-install reads supported= as yes/no and keeps any other value,
 * which Python then takes as true. */
static gboolean
node_supported(xmlNodePtr node)
{
  g_autofree char *val = vmi_xmlread_attr(node, "supported");
  return val && *val && strcmp(val, "no") != 0;
}

static char *
compute_uefi_path(const VmiDomcaps *dc)
{
  g_autoptr(GPtrArray) files = NULL;

  if (!dc->arch)
    return NULL;
  files = vmi_domcaps_values(dc, "os/loader");
  for (guint a = 0; a < G_N_ELEMENTS(uefi_patterns); a++) {
    if (strcmp(uefi_patterns[a].arch, dc->arch) != 0)
      continue;
    for (guint p = 0; uefi_patterns[a].patterns[p]; p++) {
      g_autoptr(GRegex) re = g_regex_new(uefi_patterns[a].patterns[p], G_REGEX_ANCHORED, 0, NULL);
      g_assert(re);
      for (guint f = 0; f < files->len; f++) {
        const char *file = g_ptr_array_index(files, f);
        if (g_regex_match(re, file, 0, NULL))
          return g_strdup(file);
      }
    }
  }
  return NULL;
}

VmiDomcaps *
vmi_domcaps_new_from_xml(const char *xml, GError **error)
{
  xmlDocPtr doc = vmi_xmlread_parse(xml, "domainCapabilities", "domain capabilities", error);
  VmiDomcaps *dc;
  xmlNodePtr root;

  if (!doc)
    return NULL;
  dc = g_new0(VmiDomcaps, 1);
  dc->doc = doc;
  root = xmlDocGetRootElement(doc);
  dc->arch = vmi_xmlread_child_text(root, "arch");
  dc->machine = vmi_xmlread_child_text(root, "machine");
  dc->domain = vmi_xmlread_child_text(root, "domain");
  dc->path = vmi_xmlread_child_text(root, "path");
  /* Computed once so the const getter can hand out a borrowed string. */
  dc->uefi_path = compute_uefi_path(dc);
  return dc;
}

VmiDomcaps *
vmi_domcaps_new_empty(void)
{
  return g_new0(VmiDomcaps, 1);
}

void
vmi_domcaps_free(VmiDomcaps *dc)
{
  if (!dc)
    return;
  if (dc->doc)
    xmlFreeDoc(dc->doc);
  g_free(dc->arch);
  g_free(dc->machine);
  g_free(dc->domain);
  g_free(dc->path);
  g_free(dc->uefi_path);
  g_free(dc);
}

gboolean
vmi_domcaps_is_empty(const VmiDomcaps *dc)
{
  return !dc || !dc->doc;
}

const char *
vmi_domcaps_machine(const VmiDomcaps *dc)
{
  return dc ? dc->machine : NULL;
}

const char *
vmi_domcaps_arch(const VmiDomcaps *dc)
{
  return dc ? dc->arch : NULL;
}

const char *
vmi_domcaps_domain(const VmiDomcaps *dc)
{
  return dc ? dc->domain : NULL;
}

const char *
vmi_domcaps_path(const VmiDomcaps *dc)
{
  return dc ? dc->path : NULL;
}

gboolean
vmi_domcaps_enum_has(const VmiDomcaps *dc, const char *path, const char *enum_name,
                     const char *value)
{
  return has_value(find_enum(lookup(dc, path), enum_name), value);
}

gboolean
vmi_domcaps_has_enum(const VmiDomcaps *dc, const char *path, const char *enum_name)
{
  return find_enum(lookup(dc, path), enum_name) != NULL;
}

GPtrArray *
vmi_domcaps_enum_values(const VmiDomcaps *dc, const char *path, const char *enum_name)
{
  return values_of(find_enum(lookup(dc, path), enum_name));
}

GPtrArray *
vmi_domcaps_values(const VmiDomcaps *dc, const char *path)
{
  return values_of(lookup(dc, path));
}

gboolean
vmi_domcaps_supported(const VmiDomcaps *dc, const char *path)
{
  return node_supported(lookup(dc, path));
}

gboolean
vmi_domcaps_present(const VmiDomcaps *dc, const char *path)
{
  xmlNodePtr node = lookup(dc, path);
  return node && xmlHasProp(node, BAD_CAST "supported") != NULL;
}

gboolean
vmi_domcaps_supports_firmware_efi(const VmiDomcaps *dc)
{
  return vmi_domcaps_enum_has(dc, "os", "firmware", "efi");
}

gboolean
vmi_domcaps_supports_uefi_loader(const VmiDomcaps *dc)
{
  return vmi_domcaps_enum_has(dc, "os/loader", "readonly", "yes");
}

gboolean
vmi_domcaps_arch_can_uefi(const VmiDomcaps *dc)
{
  for (guint a = 0; dc && dc->arch && a < G_N_ELEMENTS(uefi_patterns); a++)
    if (strcmp(uefi_patterns[a].arch, dc->arch) == 0)
      return TRUE;
  return FALSE;
}

const char *
vmi_domcaps_find_uefi_path(const VmiDomcaps *dc)
{
  return dc ? dc->uefi_path : NULL;
}

gboolean
vmi_domcaps_supports_tpm_emulator(const VmiDomcaps *dc)
{
  g_autoptr(GPtrArray) models = vmi_domcaps_enum_values(dc, "devices/tpm", "model");

  /* libvirt (8.4) advertises tpm-tis on armv7l but rejects the config. */
  if (g_strcmp0(vmi_domcaps_arch(dc), "armv7l") == 0 && models->len == 1 &&
      strcmp(g_ptr_array_index(models, 0), "tpm-tis") == 0)
    return FALSE;
  return models->len > 0 &&
         vmi_domcaps_enum_has(dc, "devices/tpm", "backendModel", "emulator");
}

gboolean
vmi_domcaps_cpu_mode_supported(const VmiDomcaps *dc, const char *mode)
{
  g_autofree char *path = g_strdup_printf("cpu/mode[%s]", mode);
  return vmi_domcaps_supported(dc, path);
}

gboolean
vmi_domcaps_supports_safe_host_passthrough(const VmiDomcaps *dc)
{
  /* Only libvirt new enough to say whether host-passthrough migrates is
   * also new enough not to taint guests that use it. */
  return vmi_domcaps_cpu_mode_supported(dc, "host-passthrough") &&
         vmi_domcaps_enum_has(dc, "cpu/mode[host-passthrough]",
                              "hostPassthroughMigratable", "on");
}

gboolean
vmi_domcaps_supports_safe_host_model(const VmiDomcaps *dc)
{
  xmlNodePtr mode = lookup(dc, "cpu/mode[host-model]");

  /* host-model predates domcaps but was only safe once libvirt reported
   * it with fallback='forbid'.  (virt-install crashes on a supported
   * host-model without any <model>; that is "not safe" here.) */
  return node_supported(mode) &&
         vmi_xmlread_attr_is(vmi_xmlread_child(mode, "model"), "fallback", "forbid");
}

GPtrArray *
vmi_domcaps_cpu_models(const VmiDomcaps *dc)
{
  GPtrArray *ret = g_ptr_array_new_with_free_func(g_free);

  vmi_xmlread_foreach(mode, lookup(dc, "cpu"), "mode") {
    if (!vmi_xmlread_attr_is(mode, "name", "custom") || !node_supported(mode))
      continue;
    vmi_xmlread_foreach(model, mode, "model") {
      char *name;
      if (vmi_xmlread_attr_is(model, "usable", "no"))
        continue;
      name = vmi_xmlread_text(model);
      g_ptr_array_add(ret, name ? name : g_strdup(""));
    }
  }
  return ret;
}

gboolean
vmi_domcaps_supports_sev(const VmiDomcaps *dc, gboolean check_es)
{
  xmlNodePtr sev = lookup(dc, "features/sev");
  g_autofree char *max_es = NULL;

  if (!node_supported(sev))
    return FALSE;
  if (!check_es)
    return TRUE;
  /* virt-install tests the text, so even "0" counts as ES support. */
  max_es = vmi_xmlread_child_text(sev, "maxESGuests");
  return max_es != NULL;
}
