/*
 * The prepared phases as text: libvirt domain XML, or Xen xl
 * configurations (xl.cfg(5)).
 */
#include "install-private.h"
#include "vminstall/error.h"
#include "xl.h"
#include "xmlnode.h"

/* Phase 1 is the first boot (the install phase, or the only one). */
static const VmiGuest *
phase(const VmiInstaller *inst, guint n)
{
  const VmiPlan *plan = &inst->plan;

  if (!inst->prepared)
    return NULL;
  if (n == 1)
    return plan->install ? plan->install : plan->final;
  if (n == 2)
    return plan->install ? plan->final : NULL;
  return NULL;
}

guint
vmi_installer_n_phases(const VmiInstaller *inst)
{
  return !inst->prepared ? 0 : inst->plan.install ? 2 : 1;
}

char *
vmi_installer_phase_xml(const VmiInstaller *inst, guint n)
{
  const VmiGuest *guest = phase(inst, n);

  return guest ? vmi_guest_to_xml(guest) : NULL;
}

/* When printing nothing is staged, so the install phase's kernel and
 * ramdisk are names of copies that do not exist: its xl config names the
 * media's own files instead, which xl create can boot as they are.  Files
 * inside an ISO or behind a URL have no such name: *@staged tells the xl
 * writer so. */
static VmiGuest *
with_source_boot_files(const VmiInstaller *inst, const VmiGuest *guest, gboolean *staged)
{
  const VmiBootFiles *files = &inst->files;
  g_autofree char *kernel = vmi_boot_files_local_path(files, files->kernel);
  g_autofree char *initrd = vmi_boot_files_local_path(files, files->initrd);
  VmiGuest *copy = vmi_guest_copy(guest);

  *staged = files->kernel && !kernel;
  if (kernel && vmi_node_has(vmi_guest_root(copy), "os/kernel"))
    vmi_node_set(vmi_guest_root(copy), "os/kernel", kernel);
  if (initrd && vmi_node_has(vmi_guest_root(copy), "os/initrd"))
    vmi_node_set(vmi_guest_root(copy), "os/initrd", initrd);
  return copy;
}

char *
vmi_installer_phase_xl(VmiInstaller *inst, guint n, GError **error)
{
  const VmiGuest *guest = phase(inst, n);
  gboolean install_phase = guest && guest == inst->plan.install;
  VmiXlOptions opts = {
    .installer = install_phase,
    .check_files = TRUE,
  };
  g_autoptr(VmiGuest) source = NULL;

  if (!guest) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "no configuration %u to print", n);
    return NULL;
  }
  if (install_phase) {
    source = with_source_boot_files(inst, guest, &opts.boot_files_staged);
    guest = source;
  }
  return vmi_xl_config(guest, &opts, error);
}
