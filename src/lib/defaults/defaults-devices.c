/* Per-device defaults (virt-install's Device*.set_defaults). */
#include <string.h>
#include "defaults-private.h"

/* 1 -> "a", 26 -> "z", 27 -> "aa": disk target suffixes. */
static char *
num_to_target(int num)
{
  int digits[3];
  GString *s = g_string_new(NULL);

  for (int factor = 0, pow = 1; factor < 3; factor++, pow *= 26) {
    int amt = (num % (pow * 26)) / pow;
    if (amt == 0 && num >= pow * 26)
      amt = 26;
    num -= amt * pow;
    digits[2 - factor] = amt;
  }
  for (int i = 0; i < 3; i++)
    if (digits[i])
      g_string_append_c(s, (char)('a' + digits[i] - 1));
  return g_string_free(s, FALSE);
}

static const char *
disk_default_bus(VmiDefaults *d, xmlNodePtr disk)
{
  g_autofree char *device = vmi_node_get(disk, "@device");

  if (g_strcmp0(device, "floppy") == 0)
    return "fdc";
  if (vmi_guest_is_xen_pv(d->guest))
    return "xen";
  if (!vmi_guest_is_hvm(d->guest))
    return "ide";
  if ((!device || strcmp(device, "disk") == 0) &&
      vmi_d_supports_virtio(d, VMI_OS_VIRTIO_DISK))
    return "virtio";
  if (g_strcmp0(device, "cdrom") == 0 && !vmi_guest_is_x86(d->guest) &&
      vmi_d_supports_virtio(d, VMI_OS_VIRTIO_SCSI))
    return "scsi";
  if (vmi_guest_is_q35(d->guest))
    return "sata";
  return "ide";
}

static gboolean
disk_generate_target(VmiDefaults *d, xmlNodePtr disk, GError **error)
{
  g_autofree char *bus = vmi_node_get(disk, "target/@bus");
  g_autofree char *device = vmi_node_get(disk, "@device");
  const char *prefix = "sd";
  int maxnode = 1024;
  g_autoptr(GPtrArray) disks = vmi_guest_devices(d->guest, "disk");
  g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func(g_free);

  if (g_strcmp0(bus, "virtio") == 0)
    prefix = "vd";
  else if (g_strcmp0(bus, "xen") == 0)
    prefix = "xvd";
  else if (g_strcmp0(bus, "fdc") == 0 || g_strcmp0(device, "floppy") == 0)
    prefix = "fd", maxnode = 2;
  else if (g_strcmp0(bus, "ide") == 0)
    prefix = "hd", maxnode = 4;

  for (guint i = 0; i < disks->len; i++) {
    char *t = vmi_node_get(g_ptr_array_index(disks, i), "target/@dev");
    if (t && g_str_has_prefix(t, prefix))
      g_ptr_array_add(used, t);
    else
      g_free(t);
  }

  /* First free name after the used ones; failing that the first gap. */
  g_autofree char *first_free = NULL;
  for (int i = 0; i < maxnode; i++) {
    g_autofree char *suffix = num_to_target(i + 1);
    g_autofree char *name = g_strconcat(prefix, suffix, NULL);
    gboolean taken = FALSE;
    for (guint j = 0; j < used->len; j++) {
      if (strcmp(g_ptr_array_index(used, j), name) == 0) {
        g_ptr_array_remove_index(used, j);
        taken = TRUE;
        break;
      }
    }
    if (taken)
      continue;
    if (!used->len) {
      vmi_node_set(disk, "target/@dev", name);
      return TRUE;
    }
    if (!first_free)
      first_free = g_strdup(name);
  }
  if (first_free) {
    vmi_node_set(disk, "target/@dev", first_free);
    return TRUE;
  }
  g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
              "--disk: only %d disks for bus '%s' are supported", maxnode, bus);
  return FALSE;
}

static gboolean
disk_defaults(VmiDefaults *d, xmlNodePtr disk, GError **error)
{
  VmiDiskStorage *st = d->storage ? vmi_storage_list_find(d->storage, disk) : NULL;
  g_autofree char *type = NULL;
  g_autofree char *probed = NULL;
  gboolean empty;

  if (!st)
    vmi_defaults_disk_source_facts(d, disk, &probed);
  if (!vmi_node_has(disk, "@device"))
    vmi_node_set(disk, "@device", "disk");
  if (!vmi_node_has(disk, "@type"))
    vmi_node_set(disk, "@type", "file");
  type = vmi_node_get(disk, "@type");
  empty = !vmi_node_has(disk, "source");

  gboolean is_disk = vmi_node_is(disk, "@device", "disk");
  gboolean is_cdrom = vmi_node_is(disk, "@device", "cdrom");

  if (!vmi_node_has(disk, "driver/@name") && !empty) {
    if (d->driver == VMI_DRIVER_XEN && g_strcmp0(type, "block") == 0)
      vmi_node_set(disk, "driver/@name", "phy");
    else if (vmi_defaults_support(d, VMI_SUPPORT_DISK_DRIVER_NAME_QEMU))
      vmi_node_set(disk, "driver/@name", "qemu");
  }
  if (!vmi_node_has(disk, "driver/@type") && vmi_node_is(disk, "driver/@name", "qemu")) {
    const char *fmt = st ? st->format : probed;
    if (g_strcmp0(type, "block") == 0 || g_strcmp0(fmt, "iso") == 0)
      fmt = "raw";
    if (fmt)
      vmi_node_set(disk, "driver/@type", fmt);
  }
  if (!vmi_node_has(disk, "target/@bus"))
    vmi_node_set(disk, "target/@bus", disk_default_bus(d, disk));
  if (is_cdrom)
    vmi_node_set(disk, "readonly", "");

  gboolean unmap = FALSE;
  if (d->driver == VMI_DRIVER_QEMU && is_disk && st && st->will_create && st->sparse != 0)
    unmap = TRUE;
  if (d->driver == VMI_DRIVER_QEMU && is_disk && g_strcmp0(type, "block") == 0) {
    unmap = TRUE;
    if (!vmi_node_has(disk, "driver/@cache"))
      vmi_node_set(disk, "driver/@cache", "none");
    if (!vmi_node_has(disk, "driver/@io"))
      vmi_node_set(disk, "driver/@io", "native");
  }
  if (unmap && !vmi_node_has(disk, "driver/@discard"))
    vmi_node_set(disk, "driver/@discard", "unmap");

  if (!vmi_node_has(disk, "target/@dev"))
    return disk_generate_target(d, disk, error);
  return TRUE;
}

gboolean
vmi_defaults_add_cdrom(VmiGuest *guest, const VmiRequest *req, VmiConn *conn, const VmiOs *os,
                       const char *path, GError **error)
{
  VmiDefaults d = {
    .req = req,
    .guest = guest,
    .root = vmi_guest_root(guest),
    .conn = conn,
    .driver = vmi_conn_driver(conn),
    .os = (VmiOs *)os,
  };
  xmlNodePtr disk;

  /* last of all devices; its own children in their usual order */
  vmi_guest_set_append_mode(guest, TRUE);
  disk = vmi_guest_add_device(guest, "disk");
  vmi_guest_set_append_mode(guest, FALSE);
  /* a file we write: nothing to probe (virt-install's sync_path_props) */
  vmi_node_set(disk, "@type", "file");
  vmi_node_set(disk, "@device", "cdrom");
  vmi_node_set(disk, "source/@file", path);
  return disk_defaults(&d, disk, error);
}

static const char *
bridge_of_default_route(void)
{
  g_autofree char *routes = NULL;

  if (!g_file_get_contents("/proc/net/route", &routes, NULL, NULL))
    return NULL;
  g_auto(GStrv) lines = g_strsplit(routes, "\n", -1);
  for (guint i = 1; lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit_set(lines[i], " \t", -1);
    g_autoptr(GPtrArray) cols = g_ptr_array_new();
    for (guint j = 0; f[j]; j++)
      if (*f[j])
        g_ptr_array_add(cols, f[j]);
    if (cols->len > 2 && strcmp(g_ptr_array_index(cols, 1), "00000000") == 0) {
      static char dev[64];
      g_autofree char *brpath = g_strdup_printf("/sys/class/net/%s/bridge",
                                                (char *)g_ptr_array_index(cols, 0));
      if (g_file_test(brpath, G_FILE_TEST_EXISTS)) {
        g_strlcpy(dev, g_ptr_array_index(cols, 0), sizeof(dev));
        return dev;
      }
      return NULL;
    }
  }
  return NULL;
}

/* virt-install's default source: user networking where no other works,
 * else a host bridge on the default route, else the "default" network.
 * The embedded driver has no network driver in the process (libvirt
 * networks live in a daemon), so it gets user networking too. */
static void
interface_default_source(VmiDefaults *d, xmlNodePtr nic)
{
  const char *bridge = NULL;

  if ((d->driver == VMI_DRIVER_QEMU && vmi_conn_is_session(d->conn)) ||
      d->driver == VMI_DRIVER_TEST || vmi_conn_is_embedded(d->conn)) {
    vmi_node_set(nic, "@type", "user");
    return;
  }
  if (!vmi_conn_is_remote(d->conn))
    bridge = bridge_of_default_route();
  if (bridge) {
    vmi_node_set(nic, "@type", "bridge");
    vmi_node_set(nic, "source/@bridge", bridge);
  } else {
    vmi_node_set(nic, "@type", "network");
    vmi_node_set(nic, "source/@network", "default");
  }
}

static char *
random_mac(VmiDefaults *d)
{
  gboolean qemu = d->driver == VMI_DRIVER_QEMU;
  return g_strdup_printf("%s:%02x:%02x:%02x", qemu ? "52:54:00" : "00:16:3e",
                         g_random_int_range(0, 0x80), g_random_int_range(0, 0x100),
                         g_random_int_range(0, 0x100));
}

static void
interface_defaults(VmiDefaults *d, xmlNodePtr nic)
{
  if (!vmi_node_has(nic, "@type"))
    interface_default_source(d, nic);
  if (!vmi_node_has(nic, "mac/@address")) {
    g_autofree char *mac = random_mac(d);
    vmi_node_set(nic, "mac/@address", mac);
  }
  if (vmi_node_is(nic, "@type", "bridge") && !vmi_node_has(nic, "source/@bridge")) {
    const char *br = vmi_conn_is_remote(d->conn) ? NULL : bridge_of_default_route();
    if (br)
      vmi_node_set(nic, "source/@bridge", br);
  }
  if (!vmi_node_has(nic, "model/@type") && vmi_guest_is_hvm(d->guest)) {
    const char *model = NULL;
    if (vmi_d_supports_virtio(d, VMI_OS_VIRTIO_NET))
      model = "virtio";
    else if (vmi_guest_is_q35(d->guest))
      model = "e1000e";
    else if (vmi_guest_is_x86(d->guest))
      model = "e1000";
    if (model)
      vmi_node_set(nic, "model/@type", model);
  }
}

static gboolean
supports_spice(VmiDefaults *d)
{
  const VmiDomcaps *dc = vmi_d_domcaps(d);

  if (!vmi_domcaps_supported(dc, "devices/graphics")) {
    const char *host = vmi_caps_host_arch(d->caps);
    if (d->driver != VMI_DRIVER_QEMU && d->driver != VMI_DRIVER_TEST)
      return FALSE;
    return g_strcmp0(host, "i686") == 0 || g_strcmp0(host, "x86_64") == 0;
  }
  return vmi_domcaps_enum_has(dc, "devices/graphics", "type", "spice");
}

static void
graphics_defaults(VmiDefaults *d, xmlNodePtr gfx)
{
  if (!vmi_node_has(gfx, "@type")) {
    const char *type = "spice";
    if (d->driver == VMI_DRIVER_XEN || !supports_spice(d))
      type = "vnc";
    vmi_node_set(gfx, "@type", type);
  }
  g_autofree char *type = vmi_node_get(gfx, "@type");
  g_autofree char *listen = vmi_node_get(gfx, "listen/@type");
  gboolean need_port = !listen || strcmp(listen, "address") == 0 ||
                       strcmp(listen, "network") == 0;
  gboolean vnc_or_spice = g_strcmp0(type, "vnc") == 0 || g_strcmp0(type, "spice") == 0;
  gboolean spice = g_strcmp0(type, "spice") == 0;

  if (!vmi_node_has(gfx, "@port") && vnc_or_spice && need_port)
    vmi_node_set(gfx, "@port", "-1");
  if (!vmi_node_has(gfx, "@tlsPort") && spice && need_port)
    vmi_node_set(gfx, "@tlsPort", "-1");
  if (!vmi_node_has(gfx, "@autoport") && spice &&
      vmi_node_is(gfx, "@port", "-1") && vmi_node_is(gfx, "@tlsPort", "-1"))
    vmi_node_set(gfx, "@autoport", "yes");
  if (spice && !vmi_node_has(gfx, "image/@compression") && !vmi_conn_is_remote(d->conn))
    vmi_node_set(gfx, "image/@compression", "off");
}

static void
video_defaults(VmiDefaults *d, xmlNodePtr video)
{
  const VmiDomcaps *dc = vmi_d_domcaps(d);
  const char *model = "vga";

  if (vmi_node_has(video, "model/@type"))
    return;
  if (!vmi_guest_is_hvm(d->guest)) {
    /* No model to give it: virt-install's empty <video/> vanishes. */
    if (!video->properties && !video->children)
      vmi_node_remove(video);
    return;
  }
  if (vmi_domcaps_enum_has(dc, "devices/video", "modelType", "virtio") &&
      vmi_os_supports(d->os, VMI_OS_VIRTIO_GPU))
    model = "virtio";
  else if (vmi_guest_is_x86(d->guest) && vmi_guest_has_spice(d->guest) &&
           (vmi_domcaps_has_enum(dc, "devices/video", "modelType")
                ? vmi_domcaps_enum_has(dc, "devices/video", "modelType", "qxl")
                : supports_spice(d)))
    model = "qxl";
  else if (vmi_guest_is_uefi(d->guest) &&
           vmi_domcaps_enum_has(dc, "devices/video", "modelType", "bochs"))
    model = "bochs";
  vmi_node_set(video, "model/@type", model);
}

static void
char_defaults(xmlNodePtr dev)
{
  g_autofree char *type = vmi_node_get(dev, "@type");

  if (!vmi_node_has(dev, "source/@mode") &&
      (g_strcmp0(type, "unix") == 0 || g_strcmp0(type, "tcp") == 0))
    vmi_node_set(dev, "source/@mode", "bind");
  if (!vmi_node_has(dev, "target/@type") && strcmp((const char *)dev->name, "channel") == 0)
    vmi_node_set(dev, "target/@type", "virtio");
  if (!vmi_node_has(dev, "target/@name") &&
      (g_strcmp0(type, "spicevmc") == 0 || g_strcmp0(type, "qemu-vdagent") == 0))
    vmi_node_set(dev, "target/@name", "com.redhat.spice.0");
}

static void
input_defaults(VmiDefaults *d, xmlNodePtr in)
{
  if (!vmi_node_has(in, "@type"))
    vmi_node_set(in, "@type", "mouse");
  if (!vmi_node_has(in, "@bus")) {
    g_autofree char *type = vmi_node_get(in, "@type");
    if (g_strcmp0(type, "tablet") == 0)
      vmi_node_set(in, "@bus", "usb");
    else if (g_strcmp0(type, "evdev") != 0)
      vmi_node_set(in, "@bus", d->driver == VMI_DRIVER_XEN ? "xen" : "ps2");
  }
}

static void
tpm_defaults(VmiDefaults *d, xmlNodePtr tpm)
{
  const VmiDomcaps *dc = vmi_d_domcaps(d);

  if (!vmi_node_has(tpm, "backend/@type"))
    vmi_node_set(tpm, "backend/@type",
                 vmi_node_has(tpm, "backend/device/@path") ? "passthrough" : "emulator");
  if (vmi_node_is(tpm, "backend/@type", "emulator") && !vmi_node_has(tpm, "@model") &&
      !vmi_node_has(tpm, "backend/@version")) {
    if (!vmi_domcaps_present(dc, "devices/tpm") ||
        vmi_domcaps_enum_has(dc, "devices/tpm", "model", "tpm-crb"))
      vmi_node_set(tpm, "@model", "tpm-crb");
  }
}

gboolean
vmi_defaults_devices(VmiDefaults *d, GError **error)
{
  g_autoptr(GPtrArray) devs = vmi_guest_devices(d->guest, NULL);

  for (guint i = 0; i < devs->len; i++) {
    xmlNodePtr dev = g_ptr_array_index(devs, i);
    const char *kind = (const char *)dev->name;

    if (strcmp(kind, "disk") == 0) {
      if (!disk_defaults(d, dev, error))
        return FALSE;
    } else if (strcmp(kind, "interface") == 0) {
      interface_defaults(d, dev);
    } else if (strcmp(kind, "graphics") == 0) {
      graphics_defaults(d, dev);
    } else if (strcmp(kind, "video") == 0) {
      video_defaults(d, dev);
    } else if (strcmp(kind, "sound") == 0) {
      if (!vmi_node_has(dev, "@model"))
        vmi_node_set(dev, "@model", vmi_guest_is_q35(d->guest) ? "ich9" : "ich6");
    } else if (strcmp(kind, "serial") == 0 || strcmp(kind, "console") == 0 ||
               strcmp(kind, "channel") == 0 || strcmp(kind, "parallel") == 0) {
      char_defaults(dev);
    } else if (strcmp(kind, "input") == 0) {
      input_defaults(d, dev);
    } else if (strcmp(kind, "tpm") == 0) {
      tpm_defaults(d, dev);
    } else if (strcmp(kind, "rng") == 0 || strcmp(kind, "memballoon") == 0) {
      if (!vmi_node_has(dev, "@model"))
        vmi_node_set(dev, "@model", "virtio");
    }
  }
  return TRUE;
}
