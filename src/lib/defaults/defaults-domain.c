/* Domain-level defaults: clock, CPU, features, power management. */
#include <string.h>
#include "defaults-private.h"

static void
add_timer(xmlNodePtr clock, const char *name, const char *attr, const char *value)
{
  xmlNodePtr t = vmi_node_add(clock, "timer");
  vmi_node_set(t, "@name", name);
  vmi_node_set(t, attr, value);
}

static gboolean
hyperv_supported(VmiDefaults *d)
{
  return vmi_os_is_windows(d->os);
}

static void
clock_defaults(VmiDefaults *d)
{
  if (!vmi_guest_is_hvm(d->guest))
    return;
  if (!vmi_node_has(d->root, "clock/@offset"))
    vmi_node_set(d->root, "clock/@offset", vmi_os_clock(d->os));

  xmlNodePtr clock = vmi_node_child(d->root, "clock", TRUE);
  g_autoptr(GPtrArray) timers = vmi_node_children(clock, "timer");
  if (timers->len || !vmi_guest_is_x86(d->guest) || d->driver != VMI_DRIVER_QEMU)
    return;
  /* -no-hpet -no-kvm-pit-reinjection -rtc driftfix=slew */
  add_timer(clock, "rtc", "@tickpolicy", "catchup");
  add_timer(clock, "pit", "@tickpolicy", "delay");
  add_timer(clock, "hpet", "@present", "no");
  if (hyperv_supported(d) && vmi_defaults_support(d, VMI_SUPPORT_HYPERV_CLOCK))
    add_timer(clock, "hypervclock", "@present", "yes");
}

static void
cpu_defaults(VmiDefaults *d)
{
  if (d->driver != VMI_DRIVER_TEST && d->driver != VMI_DRIVER_QEMU)
    return;
  if (d->req->cpu_set || vmi_node_has(d->root, "cpu"))
    return;
  if (!vmi_guest_is_x86(d->guest) || !vmi_node_is(d->root, "@type", "kvm"))
    return;
  if (g_strcmp0(d->capsinfo->arch, vmi_caps_host_arch(d->caps)) != 0)
    return;

  /* host-passthrough, else host-model, else the host's model by name,
   * each only where domcaps says it is safe or usable. */
  const VmiDomcaps *dc = vmi_d_domcaps(d);
  if (vmi_domcaps_supports_safe_host_passthrough(dc)) {
    vmi_node_set(d->root, "cpu/@mode", "host-passthrough");
  } else if (vmi_domcaps_supports_safe_host_model(dc)) {
    vmi_node_set(d->root, "cpu/@mode", "host-model");
  } else {
    const char *model = vmi_caps_host_cpu_model(d->caps);
    g_autoptr(GPtrArray) usable = vmi_domcaps_cpu_models(dc);
    gboolean ok = FALSE;
    for (guint i = 0; model && usable && i < usable->len; i++)
      ok |= g_strcmp0(g_ptr_array_index(usable, i), model) == 0;
    if (ok) {
      vmi_node_set(d->root, "cpu/@mode", "custom");
      vmi_node_set(d->root, "cpu/@match", "exact");
      vmi_node_set(d->root, "cpu/model", model);
    }
  }
}

static gboolean
feature_unset(VmiDefaults *d, const char *name)
{
  g_autofree char *path = g_strdup_printf("features/%s", name);
  return !vmi_node_has(d->root, path);
}

static void
set_feature(VmiDefaults *d, const char *name, gboolean on)
{
  g_autofree char *path = g_strdup_printf("features/%s", name);
  if (on)
    vmi_node_set(d->root, path, "");
}

static void
features_defaults(VmiDefaults *d)
{
  if (vmi_guest_is_container(d->guest) || !vmi_guest_is_hvm(d->guest))
    return;

  /* acpi=off etc. leave no element but must not get the default either */
  if (feature_unset(d, "acpi") && !d->req->no_acpi)
    set_feature(d, "acpi", d->capsinfo->acpi_default);
  if (feature_unset(d, "apic") && !d->req->no_apic)
    set_feature(d, "apic", d->capsinfo->apic_default);
  if (feature_unset(d, "pae") && !d->req->no_pae) {
    gboolean pae = d->capsinfo->pae;
    if (vmi_node_is(d->root, "@type", "xen") &&
        g_strcmp0(d->capsinfo->arch, "x86_64") == 0)
      pae = TRUE;
    set_feature(d, "pae", pae);
  }
  if (hyperv_supported(d) && vmi_defaults_support(d, VMI_SUPPORT_HYPERV_VAPIC)) {
    if (!vmi_node_has(d->root, "features/hyperv/relaxed"))
      vmi_node_set(d->root, "features/hyperv/relaxed/@state", "on");
    if (!vmi_node_has(d->root, "features/hyperv/vapic"))
      vmi_node_set(d->root, "features/hyperv/vapic/@state", "on");
    if (!vmi_node_has(d->root, "features/hyperv/spinlocks")) {
      vmi_node_set(d->root, "features/hyperv/spinlocks/@state", "on");
      vmi_node_set(d->root, "features/hyperv/spinlocks/@retries", "8191");
    }
  }
}

static void
pm_defaults(VmiDefaults *d)
{
  if (!vmi_guest_is_x86(d->guest) || !vmi_defaults_support(d, VMI_SUPPORT_PM_DISABLE))
    return;
  /* Exposed suspend turns an ACPI shutdown into a suspend: confusing. */
  if (!vmi_node_has(d->root, "pm/suspend-to-mem"))
    vmi_node_set(d->root, "pm/suspend-to-mem/@enabled", "no");
  if (!vmi_node_has(d->root, "pm/suspend-to-disk"))
    vmi_node_set(d->root, "pm/suspend-to-disk/@enabled", "no");
}

static void
os_defaults(VmiDefaults *d)
{
  if (vmi_guest_is_container(d->guest) && !vmi_node_has(d->root, "os/init"))
    vmi_node_set(d->root, "os/init", "/bin/sh");
}

void
vmi_defaults_domain(VmiDefaults *d)
{
  clock_defaults(d);
  cpu_defaults(d);
  features_defaults(d);
  pm_defaults(d);
  os_defaults(d);
}
