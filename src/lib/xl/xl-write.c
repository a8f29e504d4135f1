/*
 * The xl.cfg text of a validated domain.  Every string goes through
 * xl_check_text and xl_append_string; values inside the comma-separated
 * specs of vif, vfb and disk lists are checked against what those specs
 * can carry, since xl splits them on commas with no escape.
 */
#include <string.h>
#include "xl-private.h"
#include "vminstall/error.h"

typedef struct {
  GString *out;
  GError **error;
  gboolean ok;
} XlOut;

static void
put_string(XlOut *o, const char *key, const char *what, const char *value)
{
  if (!o->ok || !value)
    return;
  if (!xl_check_text(what, value, o->error)) {
    o->ok = FALSE;
    return;
  }
  g_string_append_printf(o->out, "%s = ", key);
  xl_append_string(o->out, value);
  g_string_append_c(o->out, '\n');
}

static void
put_int(XlOut *o, const char *key, gint64 value)
{
  if (o->ok)
    g_string_append_printf(o->out, "%s = %" G_GINT64_FORMAT "\n", key, value);
}

/* @items are already checked specs. */
static void
put_list(XlOut *o, const char *key, GPtrArray *items)
{
  if (!o->ok || !items->len)
    return;
  g_string_append_printf(o->out, "%s = [\n", key);
  for (guint i = 0; i < items->len; i++) {
    g_string_append(o->out, "    ");
    xl_append_string(o->out, g_ptr_array_index(items, i));
    g_string_append(o->out, i + 1 < items->len ? ",\n" : "\n");
  }
  g_string_append(o->out, "]\n");
}

/* A spec that cannot be written: the error, and the output is void. */
#define spec_fail(o, fmt, ...) ((o)->ok = vmi_xl_invalid((o)->error, fmt, ##__VA_ARGS__))

static gboolean
is_mac(const char *s)
{
  if (strlen(s) != 17)
    return FALSE;
  for (int i = 0; i < 17; i++) {
    if (i % 3 == 2 ? s[i] != ':' : !g_ascii_isxdigit(s[i]))
      return FALSE;
  }
  return TRUE;
}

/* Interface and bridge names: what Linux allows that a spec can carry. */
static gboolean
is_ifname(const char *s)
{
  if (!*s || strlen(s) > 15)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("._-", *p))
      return FALSE;
  return TRUE;
}

/* A value xl's comma-split specs (vif, vfb) keep whole: no comma, no
 * control character, no surrounding blanks. */
static gboolean
spec_value_ok(const char *s)
{
  size_t n = strlen(s);

  if (n == 0 || s[0] == ' ' || s[n - 1] == ' ')
    return FALSE;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p == ',' || *p < 0x20 || *p == 0x7f)
      return FALSE;
  return TRUE;
}

static char *
vif_spec(XlOut *o, const XlDomain *d, const XlNic *nic, guint n)
{
  g_autoptr(GString) s = g_string_new(NULL);

  if (nic->mac && !is_mac(nic->mac)) {
    g_autofree char *shown = g_strescape(nic->mac, NULL);
    spec_fail(o, "MAC address \"%s\" of interface %u is not of the form XX:XX:XX:XX:XX:XX",
              shown, n);
    return NULL;
  }
  if (nic->bridge && !is_ifname(nic->bridge)) {
    g_autofree char *shown = g_strescape(nic->bridge, NULL);
    spec_fail(o, "bridge name \"%s\" of interface %u cannot be written to an xl vif spec "
              "(1 to 15 letters, digits, '.', '_' or '-')", shown, n);
    return NULL;
  }
  if (nic->vifname && !is_ifname(nic->vifname)) {
    g_autofree char *shown = g_strescape(nic->vifname, NULL);
    spec_fail(o, "interface name \"%s\" of interface %u cannot be written to an xl vif spec "
              "(1 to 15 letters, digits, '.', '_' or '-')", shown, n);
    return NULL;
  }
  if (nic->ip && !g_hostname_is_ip_address(nic->ip)) {
    g_autofree char *shown = g_strescape(nic->ip, NULL);
    spec_fail(o, "IP address \"%s\" of interface %u is not a valid IP address", shown, n);
    return NULL;
  }
  if (nic->script && (!spec_value_ok(nic->script) || strchr(nic->script, '='))) {
    g_autofree char *shown = g_strescape(nic->script, NULL);
    spec_fail(o, "script \"%s\" of interface %u cannot be written to an xl vif spec "
              "(no commas, '=', control characters or surrounding blanks)", shown, n);
    return NULL;
  }

  if (nic->mac)
    g_string_append_printf(s, ",mac=%s", nic->mac);
  if (nic->bridge)
    g_string_append_printf(s, ",bridge=%s", nic->bridge);
  if (nic->ip)
    g_string_append_printf(s, ",ip=%s", nic->ip);
  if (nic->vifname)
    g_string_append_printf(s, ",vifname=%s", nic->vifname);
  if (nic->script)
    g_string_append_printf(s, ",script=%s", nic->script);
  if (d->kind == XL_HVM) {
    /* netfront: paravirtualised only; otherwise an emulated card (and its
     * PV twin), with the model given or the device model's default. */
    if (!g_strcmp0(nic->model, "netfront"))
      g_string_append(s, ",type=vif");
    else if (nic->model)
      g_string_append_printf(s, ",model=%s,type=ioemu", nic->model);
    else
      g_string_append(s, ",type=ioemu");
  }
  if (s->len == 0)
    return g_strdup("");
  return g_strdup(s->str + 1);
}

/* Paths the old positional disk syntax (prefix:path,vdev,mode) keeps
 * whole; others use target=, which takes the rest of the spec verbatim. */
static gboolean
positional_path_ok(const char *path)
{
  size_t n = strlen(path);
  return n > 0 && !strpbrk(path, ",:=") && !g_ascii_isspace(path[0]) &&
         !g_ascii_isspace(path[n - 1]);
}

static char *
disk_spec(XlOut *o, const XlDomain *d, const XlDisk *disk, guint n)
{
  static const char *const prefix[] = {
    [XL_BACKEND_FILE] = "file:", [XL_BACKEND_PHY] = "phy:", [XL_BACKEND_TAP_AIO] = "tap:aio:",
  };
  g_autofree char *what = g_strdup_printf("path of disk %u", n);
  const char *mode = disk->readonly ? "r" : "w";
  const char *scheme;
  guint index;

  if (disk->target && !xl_check_text(what, disk->target, o->error)) {
    o->ok = FALSE;
    return NULL;
  }
  /* validate made sure vdev is [a-z]+; keep that true here too */
  if (!xl_vdev_parse(disk->vdev, &scheme, &index)) {
    spec_fail(o, "disk target '%s' is not a Xen virtual device name", disk->vdev);
    return NULL;
  }
  if (!disk->target)
    return g_strdup_printf(",,%s:cdrom,r", disk->vdev);
  if (!strcmp(disk->format, "raw") && positional_path_ok(disk->target)) {
    gboolean ioemu = d->kind == XL_HVM && !disk->cdrom && !strcmp(scheme, "hd");
    return g_strdup_printf("%s%s,%s%s%s,%s", prefix[disk->backend], disk->target,
                           ioemu ? "ioemu:" : "", disk->vdev, disk->cdrom ? ":cdrom" : "",
                           mode);
  }
  return g_strdup_printf("format=%s, vdev=%s, access=%s%s%s, target=%s", disk->format,
                         disk->vdev, disk->readonly ? "ro" : "rw",
                         disk->cdrom ? ", devtype=cdrom" : "",
                         disk->backend == XL_BACKEND_PHY ? ", backendtype=phy"
                         : disk->backend == XL_BACKEND_TAP_AIO ? ", backendtype=tap" : "",
                         disk->target);
}

static char *
vfb_spec(XlOut *o, const XlDomain *d)
{
  GString *s = g_string_new(d->graphics == XL_GFX_SDL ? "sdl=1" : "vnc=1");

  if (d->graphics == XL_GFX_VNC) {
    if (d->vnc_listen)
      g_string_append_printf(s, ",vnclisten=%s", d->vnc_listen);
    if (d->vnc_display >= 0)
      g_string_append_printf(s, ",vncdisplay=%d,vncunused=0", d->vnc_display);
    else
      g_string_append(s, ",vncunused=1");
    if (d->vnc_password) {
      if (!spec_value_ok(d->vnc_password)) {
        g_string_free(s, TRUE);
        spec_fail(o, "the VNC password of a PV guest cannot be written to an xl vfb spec "
                  "(no commas, control characters or surrounding blanks)");
        return NULL;
      }
      g_string_append_printf(s, ",vncpasswd=%s", d->vnc_password);
    }
  }
  return g_string_free(s, FALSE);
}

static void
write_boot(XlOut *o, const XlDomain *d, const VmiXlOptions *opts)
{
  /* A kernel wins over a bootloader: the install phase boots the media's
   * kernel, the installed system its own through the bootloader. */
  if (d->kernel) {
    if (opts && opts->boot_files_staged && o->ok)
      g_string_append(o->out, "# kernel and ramdisk: the copies the install stages from its media\n");
    put_string(o, "kernel", "kernel path", d->kernel);
    put_string(o, "ramdisk", "ramdisk path", d->ramdisk);
    put_string(o, "cmdline", "kernel command line", d->cmdline);
    return;
  }
  if (d->kind == XL_PV && d->bootloader) {
    if (d->bootloader_default && o->ok)
      g_string_append(o->out, "# no kernel given: pygrub boots the disk, as libvirt does\n");
    put_string(o, "bootloader", "bootloader", d->bootloader);
    if (d->bootloader_args && o->ok) {
      g_autoptr(GPtrArray) args = g_ptr_array_new();
      for (guint i = 0; d->bootloader_args[i]; i++) {
        if (!xl_check_text("bootloader argument", d->bootloader_args[i], o->error)) {
          o->ok = FALSE;
          return;
        }
        g_ptr_array_add(args, d->bootloader_args[i]);
      }
      put_list(o, "bootloader_args", args);
    }
  }
}

static void
write_hvm(XlOut *o, const XlDomain *d)
{
  const char *bad = NULL;
  g_autofree char *boot = xl_boot_letters(d, &bad);

  put_string(o, "bios", "firmware", d->firmware);
  if (boot && *boot)
    put_string(o, "boot", "boot order", boot);
  put_int(o, "acpi", d->acpi);
  put_int(o, "apic", d->apic);
  put_int(o, "pae", d->pae);
  if (d->hap)
    put_int(o, "hap", 1);
  if (d->localtime)
    put_int(o, "localtime", 1);

  if (d->graphics == XL_GFX_VNC) {
    put_int(o, "vnc", 1);
    put_string(o, "vnclisten", "VNC listen address", d->vnc_listen);
    if (d->vnc_display >= 0) {
      put_int(o, "vncdisplay", d->vnc_display);
      put_int(o, "vncunused", 0);
    } else {
      put_int(o, "vncunused", 1);
    }
    put_string(o, "vncpasswd", "VNC password", d->vnc_password);
    put_int(o, "sdl", 0);
  } else if (d->graphics == XL_GFX_SDL) {
    put_int(o, "vnc", 0);
    put_int(o, "sdl", 1);
  } else {
    put_int(o, "vnc", 0);
    put_int(o, "sdl", 0);
    if (!d->vga)
      put_int(o, "nographic", 1);
  }
  put_string(o, "vga", "video model", d->vga);
  put_string(o, "serial", "serial port", d->serial);
  if (d->usb_tablet) {
    put_int(o, "usb", 1);
    put_string(o, "usbdevice", "USB device", "tablet");
  }
}

char *
xl_domain_write(const XlDomain *d, const VmiXlOptions *opts, GError **error)
{
  g_autoptr(GString) text = g_string_new(NULL);
  XlOut o = { text, error, TRUE };
  g_autoptr(GPtrArray) vifs = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) disks = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GPtrArray) vfbs = g_ptr_array_new_with_free_func(g_free);

  g_string_append(text, "# Xen xl configuration (xl.cfg(5)) written by vminstall\n");
  if (opts && opts->installer)
    g_string_append(text, "# install phase: boots the installer once; its reboot stops the guest\n");
  put_string(&o, "name", "guest name", d->name);
  put_string(&o, "uuid", "UUID", d->uuid);
  put_string(&o, "type", "type", d->kind == XL_PV ? "pv" : "hvm");
  put_int(&o, "memory", d->memory_mib);
  if (d->maxmem_mib)
    put_int(&o, "maxmem", d->maxmem_mib);
  put_int(&o, "vcpus", d->vcpus);
  if (d->maxvcpus)
    put_int(&o, "maxvcpus", d->maxvcpus);

  write_boot(&o, d, opts);
  if (d->kind == XL_HVM)
    write_hvm(&o, d);

  for (guint i = 0; o.ok && i < d->nics->len; i++) {
    char *spec = vif_spec(&o, d, g_ptr_array_index(d->nics, i), i + 1);
    if (spec)
      g_ptr_array_add(vifs, spec);
  }
  put_list(&o, "vif", vifs);
  for (guint i = 0; o.ok && i < d->disks->len; i++) {
    char *spec = disk_spec(&o, d, g_ptr_array_index(d->disks, i), i + 1);
    if (spec)
      g_ptr_array_add(disks, spec);
  }
  put_list(&o, "disk", disks);
  if (o.ok && d->kind == XL_PV && d->graphics != XL_GFX_NONE) {
    char *spec = vfb_spec(&o, d);
    if (spec)
      g_ptr_array_add(vfbs, spec);
    put_list(&o, "vfb", vfbs);
  }

  put_string(&o, "on_poweroff", "on_poweroff", d->on_poweroff);
  put_string(&o, "on_reboot", "on_reboot", d->on_reboot);
  put_string(&o, "on_crash", "on_crash", d->on_crash);
  if (!o.ok)
    return NULL;
  return g_string_free(g_steal_pointer(&text), FALSE);
}
