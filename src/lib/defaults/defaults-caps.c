/*
 * Hypervisor choice (domain type, OS type, arch, emulator) and the OS,
 * name, memory, vCPU and storage defaults of virt-install's main flow.
 */
#include <string.h>
#include "defaults-private.h"

static gboolean
str_listed(GPtrArray *strs, const char *s)
{
  for (guint i = 0; i < strs->len; i++)
    if (g_strcmp0(g_ptr_array_index(strs, i), s) == 0)
      return TRUE;
  return FALSE;
}

static char *
joined(GPtrArray *strs)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < strs->len; i++)
    g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(strs, i));
  if (!strs->len)
    g_string_append(s, "none");
  return g_string_free(s, FALSE);
}

/* Names the option that asked for what the host does not offer, and what
 * it offers instead; @inner is used when no option is to blame. */
static void
explain_lookup_failure(VmiDefaults *d, const char *os_type, const char *arch,
                       const char *type, GError *inner, GError **error)
{
  g_autoptr(GPtrArray) os_types = vmi_caps_offered(d->caps, "os_type", NULL, NULL);
  g_autoptr(GPtrArray) arches = vmi_caps_offered(d->caps, "arch", os_type, NULL);

  if (d->req->paravirt && !str_listed(os_types, "xen")) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                        "--paravirt: the connection offers no paravirtualized (xen) guests (use --hvm)");
  } else if (arch && !str_listed(arches, arch)) {
    g_autofree char *list = joined(arches);
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--arch: the connection has no guest for architecture '%s' (accepted here: %s)",
                arch, list);
  } else if (type) {
    const char *ot = os_type ? os_type : os_types->len ? g_ptr_array_index(os_types, 0) : "hvm";
    const char *ar = arch ? arch : vmi_caps_host_arch(d->caps);
    g_autoptr(GPtrArray) types = vmi_caps_offered(d->caps, "domain_type", ot, ar);
    g_autofree char *list = joined(types);
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--virt-type: the connection does not offer domain type '%s' for %s/%s "
                "(accepted here: %s)", type, ot, ar, list);
  } else {
    g_propagate_error(error, g_steal_pointer(&inner));
  }
  g_clear_error(&inner);
}

gboolean
vmi_defaults_caps(VmiDefaults *d, GError **error)
{
  const VmiRequest *req = d->req;
  g_autofree char *type = vmi_node_get(d->root, "@type");
  g_autofree char *os_type = vmi_node_get(d->root, "os/type");
  g_autofree char *arch = vmi_node_get(d->root, "os/type/@arch");
  g_autofree char *machine = vmi_node_get(d->root, "os/type/@machine");

  if (req->virt_type)
    vmi_set_str(&type, req->virt_type);
  if (req->arch)
    vmi_set_str(&arch, req->arch);
  if (req->machine)
    vmi_set_str(&machine, req->machine);
  if (req->hvm)
    vmi_set_str(&os_type, "hvm");
  else if (req->paravirt)
    vmi_set_str(&os_type, "xen");
  else if (req->container)
    vmi_set_str(&os_type, "exe");

  d->caps = vmi_conn_caps(d->conn, error);
  if (!d->caps)
    return FALSE;
  g_autoptr(GError) lookup_err = NULL;
  d->capsinfo = vmi_caps_lookup_guest(d->caps, os_type, arch, type, machine, &lookup_err);
  if (!d->capsinfo) {
    explain_lookup_failure(d, os_type, arch, type, g_steal_pointer(&lookup_err), error);
    return FALSE;
  }

  vmi_node_set(d->root, "@type", d->capsinfo->domain_type);
  vmi_node_set(d->root, "os/type", d->capsinfo->os_type);
  vmi_node_set(d->root, "os/type/@arch", d->capsinfo->arch);
  if (machine)
    vmi_node_set(d->root, "os/type/@machine", machine);
  if (!vmi_node_has(d->root, "os/loader") && d->capsinfo->loader)
    vmi_node_set(d->root, "os/loader", d->capsinfo->loader);
  if (!vmi_node_has(d->root, "devices/emulator") && !vmi_guest_is_xen_pv(d->guest) &&
      d->capsinfo->emulator)
    vmi_node_set(d->root, "devices/emulator", d->capsinfo->emulator);
  return TRUE;
}
