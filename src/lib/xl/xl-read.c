/*
 * From libvirt domain XML to the xl model.  Only what xl.cfg can say is
 * taken; an element with a meaning xl has no words for is refused rather
 * than dropped, so that an xl file never describes a different guest.
 */
#include <string.h>
#include <stdlib.h>
#include "xl-private.h"
#include "xmlnode.h"
#include "vminstall/error.h"

static void
xl_disk_free(gpointer p)
{
  XlDisk *d = p;
  g_free(d->target);
  g_free(d->vdev);
  g_free(d->bus);
  g_free(d->format);
  g_free(d);
}

static void
xl_nic_free(gpointer p)
{
  XlNic *n = p;
  g_free(n->mac);
  g_free(n->bridge);
  g_free(n->ip);
  g_free(n->model);
  g_free(n->vifname);
  g_free(n->script);
  g_free(n);
}

void
xl_domain_free(XlDomain *d)
{
  if (!d)
    return;
  g_free(d->name);
  g_free(d->uuid);
  g_free(d->kernel);
  g_free(d->ramdisk);
  g_free(d->cmdline);
  g_free(d->bootloader);
  g_strfreev(d->bootloader_args);
  if (d->boot_devs)
    g_ptr_array_free(d->boot_devs, TRUE);
  g_free(d->firmware);
  g_free(d->vnc_listen);
  g_free(d->vnc_password);
  g_free(d->serial);
  g_free(d->vga);
  if (d->disks)
    g_ptr_array_free(d->disks, TRUE);
  if (d->nics)
    g_ptr_array_free(d->nics, TRUE);
  g_free(d->on_poweroff);
  g_free(d->on_reboot);
  g_free(d->on_crash);
  g_free(d);
}

/* Size in KiB of the element at @path, honouring its unit attribute;
 * -1 when absent, -2 when the unit is unknown. */
static gint64
size_kib(xmlNodePtr root, const char *path)
{
  g_autofree char *upath = g_strdup_printf("%s/@unit", path);
  g_autofree char *unit = vmi_node_get(root, upath);
  gint64 v = vmi_node_get_int(root, path, -1);

  if (v < 0)
    return -1;
  if (!unit || !strcmp(unit, "KiB") || !strcmp(unit, "k") || !strcmp(unit, "K"))
    return v;
  if (!strcmp(unit, "b") || !strcmp(unit, "bytes"))
    return (v + 1023) / 1024;
  if (!strcmp(unit, "MiB") || !strcmp(unit, "M") || !strcmp(unit, "m"))
    return v * 1024;
  if (!strcmp(unit, "GiB") || !strcmp(unit, "G") || !strcmp(unit, "g"))
    return v * 1024 * 1024;
  return -2;
}

static gboolean
read_memory(XlDomain *d, xmlNodePtr root, GError **error)
{
  gint64 max = size_kib(root, "memory");
  gint64 cur = size_kib(root, "currentMemory");

  if (max == -2 || cur == -2)
    return vmi_xl_unsupported(error, "unknown memory unit in the domain XML (use KiB, MiB or GiB)");
  if (max < 0 && cur < 0)
    return vmi_xl_unsupported(error, "the guest has no memory size (give --memory)");
  if (cur < 0)
    cur = max;
  if (max < 0 || max < cur)
    max = cur;
  if (cur % 1024 || max % 1024)
    return vmi_xl_unsupported(error, "memory of %" G_GINT64_FORMAT " KiB is not a whole number "
                              "of MiB, which xl counts in", cur % 1024 ? cur : max);
  d->memory_mib = cur / 1024;
  d->maxmem_mib = max > cur ? max / 1024 : 0;
  return TRUE;
}

static void
read_vcpus(XlDomain *d, xmlNodePtr root)
{
  gint64 max = vmi_node_get_int(root, "vcpu", 1);
  gint64 cur = vmi_node_get_int(root, "vcpu/@current", max);

  d->vcpus = cur;
  d->maxvcpus = max > cur ? max : 0;
}

static gboolean
read_os(XlDomain *d, xmlNodePtr root, GError **error)
{
  g_autofree char *domtype = vmi_node_get(root, "@type");
  g_autofree char *ostype = vmi_node_get(root, "os/type");
  xmlNodePtr os = vmi_node_child(root, "os", FALSE);
  g_autoptr(GPtrArray) boots = os ? vmi_node_children(os, "boot") : g_ptr_array_new();
  g_autofree char *loader = vmi_node_get(root, "os/loader");
  g_autofree char *firmware = vmi_node_get(root, "os/@firmware");
  g_autofree char *args = vmi_node_get(root, "bootloader_args");

  if (g_strcmp0(domtype, "xen") != 0)
    return vmi_xl_unsupported(error, "the guest is a '%s' domain, xl configs describe Xen guests "
                              "only (connect to xen:///system)", domtype ? domtype : "(untyped)");
  if (vmi_os_type_is_xen_pv(ostype))
    d->kind = XL_PV;
  else if (!g_strcmp0(ostype, "hvm"))
    d->kind = XL_HVM;
  else
    return vmi_xl_unsupported(error, "OS type '%s' is neither Xen PV (xen) nor HVM (hvm)",
                              ostype ? ostype : "");

  d->kernel = vmi_node_get(root, "os/kernel");
  d->ramdisk = vmi_node_get(root, "os/initrd");
  d->cmdline = vmi_node_get(root, "os/cmdline");
  d->bootloader = vmi_node_get(root, "bootloader");
  if (d->bootloader && !*d->bootloader)
    g_clear_pointer(&d->bootloader, g_free);
  if (args) {
    /* as libvirt's libxl driver splits them */
    g_auto(GStrv) parts = g_strsplit_set(args, " \t\n", -1);
    GPtrArray *kept = g_ptr_array_new();
    for (guint i = 0; parts[i]; i++)
      if (*parts[i])
        g_ptr_array_add(kept, g_strdup(parts[i]));
    g_ptr_array_add(kept, NULL);
    d->bootloader_args = (char **)g_ptr_array_free(kept, FALSE);
  }

  d->boot_devs = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < boots->len; i++)
    g_ptr_array_add(d->boot_devs, vmi_node_get(g_ptr_array_index(boots, i), "@dev"));

  if (d->kind == XL_HVM) {
    if (!g_strcmp0(firmware, "efi") || (loader && strstr(loader, "OVMF")))
      d->firmware = g_strdup("ovmf");
    else if (loader && !g_str_has_suffix(loader, "/hvmloader"))
      return vmi_xl_unsupported(error, "HVM loader '%s' has no xl equivalent (xl boots hvmloader "
                                "with SeaBIOS, or OVMF for UEFI)", loader);
  }
  return TRUE;
}

static gboolean
read_features(XlDomain *d, xmlNodePtr root)
{
  d->acpi = vmi_node_has(root, "features/acpi");
  d->apic = vmi_node_has(root, "features/apic");
  d->pae = vmi_node_has(root, "features/pae");
  d->hap = vmi_node_has(root, "features/hap") &&
           !vmi_node_is(root, "features/hap/@state", "off");
  d->localtime = vmi_node_is(root, "clock/@offset", "localtime");
  return TRUE;
}

static const char *const lifecycle_actions[] = {
  "destroy", "restart", "rename-restart", "preserve", "coredump-destroy",
  "coredump-restart", NULL
};

static gboolean
read_lifecycle(XlDomain *d, xmlNodePtr root, GError **error)
{
  struct { const char *name; const char *dflt; char **out; } ev[] = {
    { "on_poweroff", "destroy", &d->on_poweroff },
    { "on_reboot", "restart", &d->on_reboot },
    { "on_crash", "destroy", &d->on_crash },
  };

  for (guint i = 0; i < G_N_ELEMENTS(ev); i++) {
    g_autofree char *v = vmi_node_get(root, ev[i].name);
    if (!v)
      v = g_strdup(ev[i].dflt);
    if (!g_strv_contains(lifecycle_actions, v))
      return vmi_xl_unsupported(error, "%s action '%s' has no xl equivalent (one of destroy, "
                                "restart, rename-restart, preserve, coredump-destroy, "
                                "coredump-restart)", ev[i].name, v);
    *ev[i].out = g_steal_pointer(&v);
  }
  return TRUE;
}

static gboolean
read_disk(XlDomain *d, xmlNodePtr node, guint n, GError **error)
{
  g_autofree char *type = vmi_node_get(node, "@type");
  g_autofree char *device = vmi_node_get(node, "@device");
  g_autofree char *driver = vmi_node_get(node, "driver/@name");
  g_autofree char *format = vmi_node_get(node, "driver/@type");
  XlDisk *disk;

  if (!device)
    device = g_strdup("disk");
  if (strcmp(device, "disk") != 0 && strcmp(device, "cdrom") != 0)
    return vmi_xl_unsupported(error, "disk %u is a %s device; xl configs hold disks and cdroms "
                              "only", n, device);
  if (type && strcmp(type, "file") != 0 && strcmp(type, "block") != 0)
    return vmi_xl_unsupported(error, "disk %u is of type '%s'; xl needs a file or block device "
                              "path (give --disk path=)", n, type);

  disk = g_new0(XlDisk, 1);
  g_ptr_array_add(d->disks, disk);
  disk->cdrom = strcmp(device, "cdrom") == 0;
  disk->readonly = disk->cdrom || vmi_node_has(node, "readonly");
  disk->target = vmi_node_get(node, g_strcmp0(type, "block") == 0 ? "source/@dev"
                                                                  : "source/@file");
  disk->vdev = vmi_node_get(node, "target/@dev");
  disk->bus = vmi_node_get(node, "target/@bus");
  disk->boot_order = (int)vmi_node_get_int(node, "boot/@order", 0);
  if (!disk->target && !disk->cdrom)
    return vmi_xl_unsupported(error, "disk %u has no source path", n);
  if (!disk->vdev)
    return vmi_xl_unsupported(error, "disk %u has no target device name", n);

  if (!g_strcmp0(type, "block") || !g_strcmp0(driver, "phy"))
    disk->backend = XL_BACKEND_PHY;
  else if (!g_strcmp0(driver, "tap") || !g_strcmp0(driver, "tap2"))
    disk->backend = XL_BACKEND_TAP_AIO;
  else if (!driver || !strcmp(driver, "qemu") || !strcmp(driver, "file"))
    disk->backend = XL_BACKEND_FILE;
  else
    return vmi_xl_unsupported(error, "disk %u: driver '%s' has no xl equivalent (phy, file, tap, "
                              "qemu)", n, driver);

  if (!format || !strcmp(format, "aio") || !strcmp(format, "raw"))
    disk->format = g_strdup("raw");
  else if (!strcmp(format, "qcow2") || !strcmp(format, "qcow") ||
           !strcmp(format, "vhd") || !strcmp(format, "qed"))
    disk->format = g_steal_pointer(&format);
  else
    return vmi_xl_unsupported(error, "disk %u: format '%s' is not one xl reads (raw, qcow, qcow2, "
                              "vhd, qed)", n, format);
  return TRUE;
}

static gboolean
read_interface(XlDomain *d, xmlNodePtr node, guint n, GError **error)
{
  g_autofree char *type = vmi_node_get(node, "@type");
  XlNic *nic;

  if (g_strcmp0(type, "bridge") != 0) {
    g_autofree char *net = vmi_node_get(node, "source/@network");
    if (net)
      return vmi_xl_unsupported(error, "interface %u uses the libvirt network '%s', which xl does "
                                "not know: give --network bridge=BRIDGE", n, net);
    return vmi_xl_unsupported(error, "interface %u is of type '%s'; xl configs hold bridged NICs "
                              "only (give --network bridge=BRIDGE)", n, type ? type : "");
  }
  nic = g_new0(XlNic, 1);
  g_ptr_array_add(d->nics, nic);
  nic->mac = vmi_node_get(node, "mac/@address");
  nic->bridge = vmi_node_get(node, "source/@bridge");
  nic->ip = vmi_node_get(node, "ip/@address");
  nic->model = vmi_node_get(node, "model/@type");
  nic->vifname = vmi_node_get(node, "target/@dev");
  nic->script = vmi_node_get(node, "script/@path");
  nic->boot_order = (int)vmi_node_get_int(node, "boot/@order", 0);
  return TRUE;
}

static gboolean
read_graphics(XlDomain *d, xmlNodePtr node, const VmiXlOptions *opts, GError **error)
{
  g_autofree char *type = vmi_node_get(node, "@type");
  g_autofree char *listen_type = vmi_node_get(node, "listen/@type");
  gint64 port = vmi_node_get_int(node, "@port", -1);

  if (d->graphics != XL_GFX_NONE)
    return vmi_xl_unsupported(error, "more than one graphics device; xl has one display");
  if (!g_strcmp0(type, "sdl")) {
    d->graphics = XL_GFX_SDL;
    return TRUE;
  }
  if (g_strcmp0(type, "vnc") != 0)
    return vmi_xl_unsupported(error, "graphics type '%s' is not written to xl configs (use vnc, "
                              "sdl or none)", type ? type : "");
  d->graphics = XL_GFX_VNC;
  if (listen_type && strcmp(listen_type, "address") != 0)
    return vmi_xl_unsupported(error, "VNC listen type '%s' has no xl equivalent (give an address)",
                              listen_type);
  d->vnc_listen = vmi_node_get(node, "@listen");
  if (!d->vnc_listen)
    d->vnc_listen = vmi_node_get(node, "listen/@address");
  if (vmi_node_is(node, "@autoport", "yes") || port < 0)
    d->vnc_display = -1;
  else if (port >= 5900 && port <= 65535)
    d->vnc_display = (int)(port - 5900);
  else
    return vmi_xl_unsupported(error, "VNC port %" G_GINT64_FORMAT " is below 5900; xl sets a "
                              "display number (port 5900 + N)", port);

  if (opts && opts->vnc_password_file) {
    g_autofree char *data = NULL;
    g_autoptr(GError) local = NULL;
    if (!g_file_get_contents(opts->vnc_password_file, &data, NULL, &local)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                  "xl: failed to open VNC password file %s: %s",
                  opts->vnc_password_file, local->message);
      return FALSE;
    }
    data[strcspn(data, "\r\n")] = '\0';
    d->vnc_password = g_steal_pointer(&data);
  } else {
    d->vnc_password = vmi_node_get(node, "@passwd");
  }
  return TRUE;
}

static gboolean
read_serial(XlDomain *d, xmlNodePtr node, GError **error)
{
  g_autofree char *type = vmi_node_get(node, "@type");
  g_autofree char *path = vmi_node_get(node, "source/@path");

  if (d->serial)
    return TRUE;   /* xl's serial is the first port; later ones are consoles */
  if (!g_strcmp0(type, "pty"))
    d->serial = g_strdup("pty");
  else if (!g_strcmp0(type, "file") && path)
    d->serial = g_strdup_printf("file:%s", path);
  else if (!g_strcmp0(type, "null"))
    d->serial = g_strdup("null");
  else
    return vmi_xl_unsupported(error, "serial port of type '%s' is not written to xl configs (pty, "
                              "file or null)", type ? type : "");
  return TRUE;
}

static gboolean
read_video(XlDomain *d, xmlNodePtr node, GError **error)
{
  g_autofree char *model = vmi_node_get(node, "model/@type");

  if (d->kind == XL_PV)
    return TRUE;   /* PV guests have the xen framebuffer only */
  if (!g_strcmp0(model, "vga"))
    d->vga = g_strdup("stdvga");
  else if (!g_strcmp0(model, "cirrus") || !g_strcmp0(model, "qxl") ||
           !g_strcmp0(model, "none"))
    d->vga = g_strdup(model);
  else
    return vmi_xl_unsupported(error, "video model '%s' has no xl equivalent (vga, cirrus, qxl, "
                              "none)", model ? model : "");
  return TRUE;
}

static gboolean
read_devices(XlDomain *d, xmlNodePtr root, const VmiXlOptions *opts, GError **error)
{
  xmlNodePtr devices = vmi_node_child(root, "devices", FALSE);
  guint ndisk = 0, nnic = 0;

  d->disks = g_ptr_array_new_with_free_func(xl_disk_free);
  d->nics = g_ptr_array_new_with_free_func(xl_nic_free);
  d->vnc_display = -1;
  for (xmlNodePtr n = devices ? devices->children : NULL; n; n = n->next) {
    const char *name = (const char *)n->name;
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (!strcmp(name, "disk")) {
      if (!read_disk(d, n, ++ndisk, error))
        return FALSE;
    } else if (!strcmp(name, "interface")) {
      if (!read_interface(d, n, ++nnic, error))
        return FALSE;
    } else if (!strcmp(name, "graphics")) {
      if (!read_graphics(d, n, opts, error))
        return FALSE;
    } else if (!strcmp(name, "serial") || !strcmp(name, "console")) {
      /* PV: the console is xl's own; HVM: the first one is the serial port */
      if (d->kind == XL_HVM && !read_serial(d, n, error))
        return FALSE;
    } else if (!strcmp(name, "input")) {
      if (vmi_node_is(n, "@type", "tablet"))
        d->usb_tablet = TRUE;
    } else if (!strcmp(name, "video")) {
      if (!read_video(d, n, error))
        return FALSE;
    } else if (!strcmp(name, "emulator") || !strcmp(name, "controller") ||
               !strcmp(name, "memballoon")) {
      /* xl picks the device model, buses and balloon itself */
    } else {
      return vmi_xl_unsupported(error, "<%s> devices are not written to xl configs (remove it, "
                                "e.g. --%s none)", name, name);
    }
  }
  return TRUE;
}

/* Ganeti writes an HVM guest's cdrom as the read-only "hdc:cdrom,r", the
 * secondary IDE master where BIOSes and installers look for a CD first:
 * the first emulated IDE cdrom moves there unless another disk is hdc. */
static void
place_hvm_cdrom(XlDomain *d)
{
  XlDisk *cd = NULL;

  if (d->kind != XL_HVM)
    return;
  for (guint i = 0; i < d->disks->len; i++) {
    XlDisk *disk = g_ptr_array_index(d->disks, i);
    const char *scheme;
    guint index;

    if (!g_strcmp0(disk->vdev, "hdc"))
      return;
    if (!cd && disk->cdrom && (!disk->bus || !strcmp(disk->bus, "ide")) &&
        xl_vdev_parse(disk->vdev, &scheme, &index) && !strcmp(scheme, "hd"))
      cd = disk;
  }
  if (cd) {
    g_free(cd->vdev);
    cd->vdev = g_strdup("hdc");
  }
}

static const char *const known_toplevel[] = {
  "name", "uuid", "title", "description", "metadata", "memory", "currentMemory",
  "vcpu", "bootloader", "bootloader_args", "os", "features", "clock", "cpu", "pm",
  "on_poweroff", "on_reboot", "on_crash", "devices", NULL
};

XlDomain *
xl_domain_read(const VmiGuest *guest, const VmiXlOptions *opts, GError **error)
{
  xmlNodePtr root = vmi_guest_root(guest);
  g_autoptr(XlDomain) d = g_new0(XlDomain, 1);

  for (xmlNodePtr n = root->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && !g_strv_contains(known_toplevel, (const char *)n->name)) {
      vmi_xl_unsupported(error, "the <%s> element has no xl equivalent", (const char *)n->name);
      return NULL;
    }
  }
  d->name = vmi_node_get(root, "name");
  d->uuid = vmi_node_get(root, "uuid");
  if (!d->name || !*d->name) {
    vmi_xl_unsupported(error, "the guest has no name (give --name)");
    return NULL;
  }
  if (!read_os(d, root, error) || !read_memory(d, root, error))
    return NULL;
  read_vcpus(d, root);
  read_features(d, root);
  if (!read_lifecycle(d, root, error) || !read_devices(d, root, opts, error))
    return NULL;
  place_hvm_cdrom(d);

  /* libvirt's libxl driver boots a PV guest with neither a kernel nor a
   * bootloader through pygrub, as the legacy toolstack did. */
  if (d->kind == XL_PV && !d->kernel && !d->bootloader && d->disks->len) {
    d->bootloader = g_strdup("pygrub");
    d->bootloader_default = TRUE;
  }
  return g_steal_pointer(&d);
}
