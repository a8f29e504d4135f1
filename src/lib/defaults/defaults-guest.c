/*
 * Guest-wide defaults: machine type, firmware and the devices every guest
 * gets (virt-install's Guest.set_defaults).
 */
#include <string.h>
#include "defaults-private.h"

static gboolean
has_device_where(VmiDefaults *d, const char *type, const char *path, const char *value)
{
  g_autoptr(GPtrArray) devs = vmi_guest_devices(d->guest, type);

  for (guint i = 0; i < devs->len; i++)
    if (!path || vmi_node_is(g_ptr_array_index(devs, i), path, value))
      return TRUE;
  return FALSE;
}

static gboolean
has_devices(VmiDefaults *d, const char *type)
{
  return vmi_guest_count_devices(d->guest, type) > 0;
}

static void
set_default_machine(VmiDefaults *d)
{
  GPtrArray *machines = d->capsinfo->machines;

  if (vmi_node_has(d->root, "os/type/@machine"))
    return;
  if (vmi_guest_is_x86(d->guest) && d->driver == VMI_DRIVER_QEMU && machines) {
    for (guint i = 0; i < machines->len; i++) {
      if (strcmp(g_ptr_array_index(machines, i), "q35") == 0 &&
          vmi_defaults_support(d, VMI_SUPPORT_Q35_DEFAULT) &&
          vmi_os_supports(d->os, VMI_OS_CHIPSET_Q35)) {
        vmi_node_set(d->root, "os/type/@machine", "q35");
        d->domcaps = NULL;
        return;
      }
    }
  }
  if (machines && machines->len) {
    vmi_node_set(d->root, "os/type/@machine", g_ptr_array_index(machines, 0));
    d->domcaps = NULL;
  }
}

static gboolean
enable_uefi(VmiDefaults *d, GError **error)
{
  const VmiDomcaps *dc = vmi_d_domcaps(d);
  const char *path;

  if (vmi_domcaps_supports_firmware_efi(dc)) {
    vmi_node_set(d->root, "os/@firmware", "efi");
    return TRUE;
  }
  if (!vmi_domcaps_supports_uefi_loader(dc)) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                        "--boot: uefi requested but the connection reports no UEFI firmware "
                        "(domain capabilities list no loader)");
    return FALSE;
  }
  path = vmi_domcaps_find_uefi_path(dc);
  if (!path) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--boot: uefi requested but the connection reports no UEFI firmware "
                "for architecture '%s'", d->capsinfo->arch);
    return FALSE;
  }
  vmi_node_set(d->root, "os/loader", path);
  vmi_node_set(d->root, "os/loader/@readonly", "yes");
  vmi_node_set(d->root, "os/loader/@type", "pflash");
  /* Secure-boot builds need SMM, which needs q35. */
  if (vmi_guest_is_x86(d->guest) && strstr(path, "secboot")) {
    vmi_node_set(d->root, "features/smm", "");
    vmi_node_set(d->root, "os/loader/@secure", "yes");
    if (!vmi_guest_is_q35(d->guest))
      vmi_node_set(d->root, "os/type/@machine", "q35");
  }
  return TRUE;
}

static gboolean
set_default_uefi(VmiDefaults *d, GError **error)
{
  gboolean prefers = FALSE;
  g_autoptr(GError) local = NULL;

  if (vmi_guest_is_x86(d->guest) && (d->driver == VMI_DRIVER_QEMU || d->driver == VMI_DRIVER_TEST))
    prefers = vmi_os_requires_efi(d->os, d->capsinfo->arch);

  gboolean use_default = prefers && !vmi_node_has(d->root, "os/kernel") &&
                         !vmi_node_has(d->root, "os/loader") &&
                         !vmi_node_has(d->root, "os/nvram") &&
                         !vmi_node_has(d->root, "os/@firmware");
  if (!use_default && !d->uefi_requested)
    return TRUE;
  if (enable_uefi(d, &local))
    return TRUE;
  if (d->uefi_requested) {
    g_propagate_error(error, g_steal_pointer(&local));
    return FALSE;
  }
  return TRUE;
}

static gboolean
usb_disabled(VmiDefaults *d)
{
  g_autoptr(GPtrArray) ctrls = vmi_guest_devices(d->guest, "controller");
  guint usb = 0, none = 0;

  for (guint i = 0; i < ctrls->len; i++) {
    xmlNodePtr c = g_ptr_array_index(ctrls, i);
    if (!vmi_node_is(c, "@type", "usb"))
      continue;
    usb++;
    if (vmi_node_is(c, "@model", "none"))
      none++;
  }
  return usb > 0 && usb == none;
}

static void
add_default_graphics(VmiDefaults *d)
{
  if (d->req->no_graphics || has_devices(d, "graphics"))
    return;
  if (vmi_guest_is_container(d->guest) || !vmi_guest_is_x86(d->guest))
    return;
  vmi_guest_add_device(d->guest, "graphics");
}

static void
add_default_video(VmiDefaults *d)
{
  if (vmi_guest_is_container(d->guest) || d->req->no_video || has_devices(d, "video") ||
      !has_devices(d, "graphics"))
    return;
  vmi_guest_add_device(d->guest, "video");
}

static void
add_default_input(VmiDefaults *d)
{
  if (vmi_guest_is_container(d->guest) || d->req->no_input || has_devices(d, "input") ||
      !has_devices(d, "graphics") || usb_disabled(d))
    return;
  if (vmi_guest_is_x86(d->guest) && !vmi_guest_is_xen_pv(d->guest)) {
    xmlNodePtr dev = vmi_guest_add_device(d->guest, "input");
    vmi_node_set(dev, "@type", "tablet");
    vmi_node_set(dev, "@bus", "usb");
  }
}

static void
add_default_console(VmiDefaults *d)
{
  if (d->req->no_console || has_devices(d, "console") || has_devices(d, "serial"))
    return;
  vmi_node_set(vmi_guest_add_device(d->guest, "console"), "@type", "pty");
}

static void
add_usb_controller(VmiDefaults *d, const char *model, int startport)
{
  xmlNodePtr c = vmi_guest_add_device(d->guest, "controller");
  vmi_node_set(c, "@type", "usb");
  vmi_node_set(c, "@model", model);
  if (startport >= 0)
    vmi_node_set_int(c, "master/@startport", startport);
}

static void
add_default_usb(VmiDefaults *d)
{
  if (d->req->no_usb || has_device_where(d, "controller", "@type", "usb"))
    return;
  if (d->driver != VMI_DRIVER_QEMU && d->driver != VMI_DRIVER_TEST)
    return;
  if (!vmi_guest_is_x86(d->guest))
    return;

  gboolean usb3 = vmi_os_supports(d->os, VMI_OS_USB3) &&
                  vmi_defaults_support(d, VMI_SUPPORT_QEMU_XHCI);
  if (usb3) {
    xmlNodePtr c = vmi_guest_add_device(d->guest, "controller");
    vmi_node_set(c, "@type", "usb");
    vmi_node_set(c, "@model", "qemu-xhci");
    if (vmi_defaults_support(d, VMI_SUPPORT_USB3_PORTS))
      vmi_node_set_int(c, "@ports", 15);
  } else {
    add_usb_controller(d, "ich9-ehci1", -1);
    add_usb_controller(d, "ich9-uhci1", 0);
    add_usb_controller(d, "ich9-uhci2", 2);
    add_usb_controller(d, "ich9-uhci3", 4);
  }
}

static gboolean
supports_virtioserial(VmiDefaults *d)
{
  return vmi_d_supports_virtio(d, VMI_OS_VIRTIO_SERIAL);
}

static void
add_default_channels(VmiDefaults *d)
{
  if (d->req->no_channel || has_devices(d, "channel"))
    return;
  if (d->driver == VMI_DRIVER_QEMU && supports_virtioserial(d) &&
      vmi_defaults_support(d, VMI_SUPPORT_AUTOSOCKET)) {
    xmlNodePtr c = vmi_guest_add_device(d->guest, "channel");
    vmi_node_set(c, "@type", "unix");
    vmi_node_set(c, "target/@type", "virtio");
    vmi_node_set(c, "target/@name", "org.qemu.guest_agent.0");
  }
}

static void
add_default_rng(VmiDefaults *d)
{
  if (d->req->no_rng || has_devices(d, "rng") || !vmi_guest_is_x86(d->guest))
    return;
  if (d->driver == VMI_DRIVER_QEMU && vmi_os_supports(d->os, VMI_OS_VIRTIO_RNG) &&
      vmi_defaults_support(d, VMI_SUPPORT_RNG_URANDOM)) {
    xmlNodePtr r = vmi_guest_add_device(d->guest, "rng");
    vmi_node_set(r, "backend/@model", "random");
    vmi_node_set(r, "backend", "/dev/urandom");
  }
}

static void
add_default_memballoon(VmiDefaults *d)
{
  if (d->req->no_memballoon || has_devices(d, "memballoon"))
    return;
  if (d->driver != VMI_DRIVER_QEMU || !vmi_guest_is_x86(d->guest))
    return;
  if (vmi_os_supports(d->os, VMI_OS_VIRTIO_BALLOON))
    vmi_node_set(vmi_guest_add_device(d->guest, "memballoon"), "@model", "virtio");
}

static void
add_default_tpm(VmiDefaults *d)
{
  if (d->req->no_tpm || has_devices(d, "tpm") || !vmi_guest_is_uefi(d->guest))
    return;
  if (!vmi_domcaps_supports_tpm_emulator(vmi_d_domcaps(d)))
    return;
  xmlNodePtr t = vmi_guest_add_device(d->guest, "tpm");
  vmi_node_set(t, "backend/@type", "emulator");
}

static void
add_virtioscsi_controller(VmiDefaults *d)
{
  if (has_device_where(d, "controller", "@type", "scsi"))
    return;
  if (!vmi_d_supports_virtio(d, VMI_OS_VIRTIO_SCSI))
    return;
  if (!has_device_where(d, "disk", "target/@bus", "scsi"))
    return;
  xmlNodePtr c = vmi_guest_add_device(d->guest, "controller");
  vmi_node_set(c, "@type", "scsi");
  vmi_node_set(c, "@model", "virtio-scsi");
}

static void
add_pcie_controllers(VmiDefaults *d)
{
  if (has_device_where(d, "controller", "@type", "pci") || !vmi_guest_is_q35(d->guest))
    return;
  /* QEMU 6.1 breaks with 15 or more root ports; virt-install uses 14. */
  int ports = d->req->pcie_root_ports_set ? d->req->pcie_root_ports : 14;
  if (ports <= 0)
    return;
  xmlNodePtr c = vmi_guest_add_device(d->guest, "controller");
  vmi_node_set(c, "@type", "pci");
  vmi_node_set(c, "@model", "pcie-root");
  for (int i = 0; i < ports; i++) {
    c = vmi_guest_add_device(d->guest, "controller");
    vmi_node_set(c, "@type", "pci");
    vmi_node_set(c, "@model", "pcie-root-port");
  }
}

static void
add_spice_devices(VmiDefaults *d)
{
  if (!vmi_guest_has_spice(d->guest))
    return;
  if (!vmi_node_has(d->root, "features/vmport") && vmi_guest_is_x86(d->guest) &&
      vmi_defaults_support(d, VMI_SUPPORT_VMPORT))
    vmi_node_set(d->root, "features/vmport/@state", "off");

  if (!d->req->no_channel && !has_device_where(d, "channel", "@type", "spicevmc")) {
    xmlNodePtr c = vmi_guest_add_device(d->guest, "channel");
    vmi_node_set(c, "@type", "spicevmc");
    vmi_node_set(c, "target/@type", "virtio");
    vmi_node_set(c, "target/@name", "com.redhat.spice.0");
  }
  if (!d->req->no_sound && !has_devices(d, "sound") && vmi_guest_is_hvm(d->guest)) {
    xmlNodePtr s = vmi_guest_add_device(d->guest, "sound");
    vmi_node_set(s, "@model", vmi_guest_is_q35(d->guest) ? "ich9" : "ich6");
  }
  if (!d->req->no_redirdev && !has_devices(d, "redirdev") && !usb_disabled(d) &&
      vmi_guest_is_x86(d->guest)) {
    /* Two, not four: four would fill every emulated USB2 port. */
    for (int i = 0; i < 2; i++) {
      xmlNodePtr r = vmi_guest_add_device(d->guest, "redirdev");
      vmi_node_set(r, "@bus", "usb");
      vmi_node_set(r, "@type", "spicevmc");
    }
  }
}

gboolean
vmi_defaults_guest(VmiDefaults *d, GError **error)
{
  if (!vmi_node_has(d->root, "uuid")) {
    g_autofree char *uuid = g_uuid_string_random();
    vmi_node_set(d->root, "uuid", uuid);
  }
  if (!vmi_defaults_sync_vcpus(d, 1, error))
    return FALSE;

  set_default_machine(d);
  if (!set_default_uefi(d, error))
    return FALSE;

  add_default_graphics(d);
  add_default_video(d);
  add_default_input(d);
  add_default_console(d);
  add_default_usb(d);
  add_default_channels(d);
  add_default_rng(d);
  add_default_memballoon(d);
  add_default_tpm(d);

  vmi_defaults_domain(d);
  if (!vmi_defaults_devices(d, error))
    return FALSE;

  add_virtioscsi_controller(d);
  add_pcie_controllers(d);
  add_spice_devices(d);
  return TRUE;
}
