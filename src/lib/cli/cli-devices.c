/*
 * Device options other than --disk and --network.
 *
 * What goes where (below the new device element):
 *   --graphics T,port=,listen=,password=,keymap=
 *                 @type, @port (autoport as virtinst's port setter),
 *                 @listen (listen=none|socket: <listen type=.../>),
 *                 @passwd, @keymap; none -> req->no_graphics
 *   --video M     model/@type (heads, ram, vram, vgamem: model/@*)
 *   --sound M     @model; bare --sound: a device with the default model;
 *                 none -> req->no_sound
 *   --serial/--parallel/--console/--channel T,...
 *                 @type, source/@path|@mode|@host..., log/@file,
 *                 target/@type|@name|@port; console/channel none ->
 *                 req->no_console / req->no_channel (serial none is a
 *                 type="none" device, as in virt-install)
 *   --controller T,model=,index=  @type, @model, @index ...; usb2/usb3
 *                 add the standard USB controllers; type=usb,model=none
 *                 also sets req->no_usb; num_pcie_root_ports=N -> request
 *   --input T,bus=  @type, @bus
 *   --rng /dev/X  backend (model=random); none -> req->no_rng
 *   --memballoon M  @model ("none" is a model, as in libvirt)
 *   --tpm /dev/X | type=,model=  backend/@type, backend/device/@path,
 *                 @model; none -> req->no_tpm
 *   --redirdev B,type=,server=  @bus, @type, source; none -> req->no_redirdev
 *   --watchdog, --panic, --vsock  @model, @action, cid/@address ...
 * `--video none`, `--input none`, `--watchdog none`, `--controller none`
 * do nothing, as in virt-install 4.1.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli-private.h"

static void
finish_none(CliCtx *ctx, gboolean *flag)
{
  if (strcmp(ctx->optstr, "none") == 0) {
    *flag = TRUE;
    ctx->done = TRUE;
  }
}

/* ---- --graphics ---- */

static const char *const graphics_types[] = {
  "vnc", "spice", "sdl", "rdp", "desktop", "egl-headless", "dbus", "none", NULL
};

static gboolean
graphics_prepare(CliCtx *ctx, GError **error)
{
  finish_none(ctx, &ctx->req->no_graphics);
  return TRUE;
}

static gboolean
set_graphics_type(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  if (g_strcmp0(value, "default") == 0)
    return TRUE;
  if (value && (!g_strv_contains(graphics_types, value) || strcmp(value, "none") == 0)) {
    g_autofree char *list = g_strjoinv(", ", (char **)graphics_types);
    g_autofree char *what = g_strdup_printf("accepted: %s", list);
    cli_set_invalid(ctx, ctx->cur, value, what, error);
    return FALSE;
  }
  vmi_node_set(ctx->node, "@type", value);
  return TRUE;
}

/* virtinst's port/tlsPort setters: autoport follows from the ports
 * before the change (spice with both ports -1), and is cleared otherwise. */
static gboolean
set_graphics_port(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  gint64 port = 0;

  if (value &&
      (!cli_parse_int(value, &port) || (port < 5900 && port != -1))) {
    cli_set_invalid(ctx, ctx->cur, value,
                    "expected a port number of 5900 or above, or -1 for automatic", error);
    return FALSE;
  }
  if (vmi_node_is(ctx->node, "@type", "spice") && vmi_node_is(ctx->node, "@port", "-1") &&
      vmi_node_is(ctx->node, "@tlsPort", "-1"))
    vmi_node_set(ctx->node, "@autoport", "yes");
  else
    vmi_node_set(ctx->node, "@autoport", NULL);
  if (value)
    vmi_node_set_int(ctx->node, sub->path, port);
  else
    vmi_node_set(ctx->node, sub->path, NULL);
  return TRUE;
}

static void
remove_listens(xmlNodePtr gfx)
{
  g_autoptr(GPtrArray) listens = vmi_node_children(gfx, "listen");
  for (guint i = 0; i < listens->len; i++)
    vmi_node_remove(g_ptr_array_index(listens, i));
}

static gboolean
set_graphics_listen(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  remove_listens(ctx->node);
  if (g_strcmp0(value, "none") == 0) {
    static const char *const attrs[] = {
      "@listen", "@port", "@tlsPort", "@autoport", "@socket", NULL
    };
    for (guint i = 0; attrs[i]; i++)
      vmi_node_set(ctx->node, attrs[i], NULL);
    vmi_node_set(vmi_node_add(ctx->node, "listen"), "@type", "none");
  } else if (g_strcmp0(value, "socket") == 0) {
    vmi_node_set(vmi_node_add(ctx->node, "listen"), "@type", "socket");
  } else {
    vmi_node_set(ctx->node, "@listen", value);
  }
  return TRUE;
}

static gboolean
set_graphics_keymap(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  /* keymap=local once meant "the host's keymap"; libvirt's default is
   * better, so it and "none" unset it. */
  if (value && (g_ascii_strcasecmp(value, "local") == 0 || g_ascii_strcasecmp(value, "none") == 0))
    value = NULL;
  vmi_node_set(ctx->node, "@keymap", value);
  return TRUE;
}

#define PORT_EXPECT "expected a port number"

/* passwordfile=PATH: the console password is the file's first line, so
 * that it is not on the command line for every user to see in ps (the
 * Xen toolstacks' VNC password file; vminstall's addition). */
static gboolean
set_graphics_password_file(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  g_autofree char *line = NULL;
  g_autofree char *label = NULL;
  size_t cap = 0;
  ssize_t n;
  FILE *f;

  if (!value) {
    vmi_node_set(ctx->node, "@passwd", NULL);
    return TRUE;
  }
  label = cli_label(ctx, ctx->cur);
  f = fopen(value, "re");
  if (!f) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: cannot read '%s': %s", label, value,
                g_strerror(errno));
    return FALSE;
  }
  errno = 0;
  n = getline(&line, &cap, f);
  if (n < 0 && errno != 0) {
    int saved = errno;
    fclose(f);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: cannot read '%s': %s", label, value,
                g_strerror(saved));
    return FALSE;
  }
  fclose(f);
  if (n > 0)
    line[strcspn(line, "\r\n")] = '\0';
  if (n <= 0 || !*line) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: the first line of '%s' is empty",
                label, value);
    return FALSE;
  }
  vmi_node_set(ctx->node, "@passwd", line);
  return TRUE;
}

static const CliSubopt graphics_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "type", .kind = CLI_STR, .set = set_graphics_type,
    .help = "vnc, spice, sdl, ... or none (no graphics)" },
  { .name = "port", .kind = CLI_INT, .path = "@port", .set = set_graphics_port,
    .help = "TCP port (5900 or above; -1: automatic)" },
  { .name = "tlsPort", .aliases = "tlsport", .kind = CLI_INT, .path = "@tlsPort",
    .set = set_graphics_port, .help = "spice TLS port" },
  { .name = "websocket", .kind = CLI_INT, .path = "@websocket" },
  { .name = "listen", .kind = CLI_STR, .set = set_graphics_listen,
    .help = "address to listen on, socket or none" },
  { .name = "keymap", .kind = CLI_STR, .set = set_graphics_keymap,
    .help = "keyboard layout, e.g. de" },
  { .name = "password", .aliases = "passwd", .kind = CLI_STR, .path = "@passwd",
    .help = "console password" },
  { .name = "passwordfile", .kind = CLI_STR, .set = set_graphics_password_file,
    .help = "read the console password from this file's first line" },
  { .name = "passwordValidTo", .aliases = "passwdValidTo", .kind = CLI_STR,
    .path = "@passwdValidTo" },
  { .name = "connected", .kind = CLI_STR, .path = "@connected" },
  { .name = "defaultMode", .kind = CLI_STR, .path = "@defaultMode" },
  { .name = "listens[0-9]*.type", .kind = CLI_STR, .path = "listen[]/@type" },
  { .name = "listens[0-9]*.address", .kind = CLI_STR, .path = "listen[]/@address" },
  { .name = "listens[0-9]*.network", .kind = CLI_STR, .path = "listen[]/@network" },
  { .name = "listens[0-9]*.socket", .kind = CLI_STR, .path = "listen[]/@socket" },
  { .name = "image.compression", .aliases = "image_compression", .kind = CLI_STR,
    .path = "image/@compression" },
  { .name = "streaming.mode", .aliases = "streaming_mode", .kind = CLI_STR,
    .path = "streaming/@mode" },
  { .name = "clipboard.copypaste", .aliases = "clipboard_copypaste", .kind = CLI_YESNO,
    .path = "clipboard/@copypaste" },
  { .name = "mouse.mode", .aliases = "mouse_mode", .kind = CLI_STR, .path = "mouse/@mode" },
  { .name = "filetransfer.enable", .aliases = "filetransfer_enable", .kind = CLI_YESNO,
    .path = "filetransfer/@enable" },
  { .name = "zlib.compression", .kind = CLI_STR, .path = "zlib/@compression" },
  { .name = "gl.enable", .aliases = "gl", .kind = CLI_YESNO, .path = "gl/@enable" },
  { .name = "gl.rendernode", .aliases = "rendernode", .kind = CLI_STR, .path = "gl/@rendernode" },
  { NULL }
};

const CliParser cli_graphics_parser = {
  .name = "graphics",
  .device = "graphics",
  .remove_first = (const char *const[]){ "type", NULL },
  .subopts = graphics_rows,
  .prepare = graphics_prepare,
};

/* ---- --video ---- */

static const CliSubopt video_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "model.type", .aliases = "model", .kind = CLI_STR, .path = "model/@type",
    .flags = CLI_IGNORE_DEFAULT, .help = "virtio, qxl, vga, cirrus, bochs, ramfb, none" },
  { .name = "model.acceleration.accel3d", .aliases = "accel3d", .kind = CLI_YESNO,
    .path = "model/acceleration/@accel3d", .help = "3D acceleration (on/off)" },
  { .name = "model.heads", .aliases = "heads", .kind = CLI_INT, .path = "model/@heads",
    .help = "number of screens" },
  { .name = "model.ram", .aliases = "ram", .kind = CLI_INT, .path = "model/@ram" },
  { .name = "model.vram", .aliases = "vram", .kind = CLI_INT, .path = "model/@vram",
    .help = "video RAM in KiB" },
  { .name = "model.vram64", .aliases = "vram64", .kind = CLI_INT, .path = "model/@vram64" },
  { .name = "model.vgamem", .aliases = "vgamem", .kind = CLI_INT, .path = "model/@vgamem" },
  { NULL }
};

const CliParser cli_video_parser = {
  .name = "video",
  .device = "video",
  .remove_first = (const char *const[]){ "model.type", NULL },
  .subopts = video_rows,
  .flags = CLI_STUB_NONE,
};

/* ---- --sound ---- */

static gboolean
sound_prepare(CliCtx *ctx, GError **error)
{
  finish_none(ctx, &ctx->req->no_sound);
  return TRUE;
}

static const CliSubopt sound_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "model", .kind = CLI_STR, .path = "@model", .flags = CLI_IGNORE_DEFAULT,
    .help = "ich6, ich9, ac97, es1370, sb16, usb, ..." },
  { .name = "audio.id", .kind = CLI_INT, .path = "audio/@id" },
  { .name = "codec[0-9]*.type", .kind = CLI_STR, .path = "codec[]/@type" },
  { NULL }
};

const CliParser cli_sound_parser = {
  .name = "sound",
  .device = "sound",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = sound_rows,
  .prepare = sound_prepare,
};

/* ---- char devices ---- */

/* The char source a row writes: <source>, or <backend><source> for
 * --rng's backend.* rows. */
static xmlNodePtr
char_parent(CliCtx *ctx, const CliSubopt *sub)
{
  if (g_str_has_prefix(sub->name, "backend."))
    return vmi_node_child(ctx->node, "backend", TRUE);
  return ctx->node;
}

static gboolean
set_source_host(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr src = vmi_node_child(char_parent(ctx, sub), "source", TRUE);
  return cli_set_friendly_host(ctx, src, "@host", "@service", value, error);
}

static gboolean
set_bind_host(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr src = cli_char_source_mode(char_parent(ctx, sub), "bind");
  return cli_set_friendly_host(ctx, src, "@host", "@service", value, error);
}

static gboolean
set_connect_host(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr src = cli_char_source_mode(char_parent(ctx, sub), "connect");
  return cli_set_friendly_host(ctx, src, "@host", "@service", value, error);
}

static gboolean
set_mode_service(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  const char *mode = strstr(sub->name, "bind_") ? "bind" : "connect";
  xmlNodePtr src = cli_char_source_mode(char_parent(ctx, sub), mode);
  gint64 port;

  if (!value) {
    vmi_node_set(src, "@service", NULL);
    return TRUE;
  }
  if (!cli_value_int(ctx, value, 0, PORT_EXPECT, &port, error))
    return FALSE;
  vmi_node_set_int(src, "@service", port);
  return TRUE;
}

/* Old host=: bind when mode=bind was given without bind_host=. */
static gboolean
set_char_host(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  CliPair *mode = cli_dict_get(ctx, "source.mode");

  if (!cli_dict_get(ctx, "source.bind_host") && mode && g_strcmp0(mode->value, "bind") == 0)
    return set_bind_host(ctx, sub, value, error);
  return set_connect_host(ctx, sub, value, error);
}

static gboolean
set_char_target(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr target = vmi_node_child(ctx->node, "target", TRUE);
  return cli_set_friendly_host(ctx, target, "@address", "@port", value, error);
}

static gboolean
char_prepare(CliCtx *ctx, GError **error)
{
  const char *dev = ctx->parser->device;

  if (strcmp(ctx->optstr, "none") == 0) {
    if (strcmp(dev, "console") == 0) {
      finish_none(ctx, &ctx->req->no_console);
      return TRUE;
    }
    if (strcmp(dev, "channel") == 0) {
      finish_none(ctx, &ctx->req->no_channel);
      return TRUE;
    }
  }
  cli_dict_rename(ctx, "path", "source.path");
  cli_dict_rename(ctx, "mode", "source.mode");
  cli_dict_rename(ctx, "bind_host", "source.bind_host");
  return TRUE;
}

/* virtinst defaults source mode to bind for tcp and unix when source.mode
 * was not given; its XML writer then puts that mode on a source of its
 * own ahead of a connect source made by host=.  Reproduced here, where the
 * command line still knows whether the mode was given. */
static gboolean
char_finish(CliCtx *ctx, GError **error)
{
  CliPair *mode = cli_dict_get(ctx, "source.mode");
  g_autoptr(GPtrArray) sources = vmi_node_children(ctx->node, "source");
  xmlNodePtr first;

  if (!vmi_node_is(ctx->node, "@type", "tcp") && !vmi_node_is(ctx->node, "@type", "unix"))
    return TRUE;
  if ((mode && mode->value && *mode->value) || sources->len == 0)
    return TRUE;
  first = g_ptr_array_index(sources, 0);
  if (!vmi_node_is(first, "@mode", "connect"))
    return TRUE;
  cli_char_source_mode(ctx->node, "bind");
  return TRUE;
}

#define CLI_CHAR_SOURCE_ROWS(prefix) \
  { .name = prefix "source.path", .kind = CLI_STR, .path = "source/@path", \
    .help = "file, device or socket path" }, \
  { .name = prefix "source.host", .kind = CLI_STR, .set = set_source_host }, \
  { .name = prefix "source.service", .kind = CLI_INT, .path = "source/@service" }, \
  { .name = prefix "source.bind_host", .kind = CLI_STR, .set = set_bind_host }, \
  { .name = prefix "source.bind_service", .kind = CLI_INT, .set = set_mode_service }, \
  { .name = prefix "source.connect_host", .kind = CLI_STR, .set = set_connect_host }, \
  { .name = prefix "source.connect_service", .kind = CLI_INT, .set = set_mode_service }, \
  { .name = prefix "source.mode", .kind = CLI_STR, .path = "source/@mode", \
    .help = "bind or connect" }, \
  { .name = prefix "source.master", .kind = CLI_STR, .path = "source/@master" }, \
  { .name = prefix "source.slave", .kind = CLI_STR, .path = "source/@slave" }, \
  { .name = prefix "protocol.type", .kind = CLI_STR, .path = "protocol/@type" }, \
  { .name = prefix "log.file", .kind = CLI_STR, .path = "log/@file", .help = "log file" }, \
  { .name = prefix "log.append", .kind = CLI_ONOFF, .path = "log/@append", \
    .help = "append to the log file (on/off)" }, \
  { .name = prefix "source.clipboard.copypaste", .kind = CLI_YESNO, \
    .path = "source/clipboard/@copypaste" }, \
  { .name = prefix "source.mouse.mode", .kind = CLI_STR, .path = "source/mouse/@mode" }, \
  { .name = prefix "source.channel", .kind = CLI_STR, .path = "source/@channel" }, \
  { .name = prefix "source.tls", .kind = CLI_YESNO, .path = "source/@tls" }

static const CliSubopt char_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "type", .aliases = "char_type", .kind = CLI_STR, .path = "@type",
    .help = "pty, file, unix, tcp, udp, spicevmc, spiceport, dev, pipe, null, ..." },
  { .name = "path", .kind = CLI_NOSET, .help = "same as source.path" },
  { .name = "mode", .kind = CLI_NOSET, .help = "same as source.mode" },
  { .name = "bind_host", .kind = CLI_NOSET },
  { .name = "host", .kind = CLI_STR, .set = set_char_host, .help = "HOST:PORT for tcp and udp" },
  CLI_CHAR_SOURCE_ROWS(""),
  { .name = "target.address", .aliases = "target_address", .kind = CLI_STR,
    .set = set_char_target },
  { .name = "target.type", .aliases = "target_type", .kind = CLI_STR, .path = "target/@type",
    .help = "serial, virtio, xen, guestfwd, ..." },
  { .name = "target.name", .aliases = "name", .kind = CLI_STR, .path = "target/@name",
    .help = "channel name, e.g. org.qemu.guest_agent.0" },
  { .name = "target.port", .kind = CLI_INT, .path = "target/@port" },
  { .name = "target.model.name", .kind = CLI_STR, .path = "target/model/@name" },
  { NULL }
};

#define CHAR_PARSER(var, opt) \
  const CliParser var = { \
    .name = opt, \
    .device = opt, \
    .remove_first = (const char *const[]){ "type", NULL }, \
    .subopts = char_rows, \
    .prepare = char_prepare, \
    .finish = char_finish, \
  }

CHAR_PARSER(cli_serial_parser, "serial");
CHAR_PARSER(cli_parallel_parser, "parallel");
CHAR_PARSER(cli_channel_parser, "channel");
CHAR_PARSER(cli_console_parser, "console");

/* ---- --controller ---- */

static void
add_usb(CliCtx *ctx, const char *model, int startport)
{
  xmlNodePtr c = vmi_guest_add_device(ctx->req->guest, "controller");
  vmi_node_set(c, "@type", "usb");
  vmi_node_set(c, "@model", model);
  if (startport >= 0)
    vmi_node_set_int(c, "master/@startport", startport);
}

static gboolean
controller_prepare(CliCtx *ctx, GError **error)
{
  CliPair *ports;

  if (strcmp(ctx->optstr, "usb2") == 0) {
    add_usb(ctx, "ich9-ehci1", -1);
    add_usb(ctx, "ich9-uhci1", 0);
    add_usb(ctx, "ich9-uhci2", 2);
    add_usb(ctx, "ich9-uhci3", 4);
    ctx->done = TRUE;
    return TRUE;
  }
  if (strcmp(ctx->optstr, "usb3") == 0) {
    /* virtinst picks qemu-xhci on QEMU (nec-xhci elsewhere) with all 15
     * ports; vminstall targets QEMU. */
    xmlNodePtr c = vmi_guest_add_device(ctx->req->guest, "controller");
    vmi_node_set(c, "@type", "usb");
    vmi_node_set(c, "@model", "qemu-xhci");
    vmi_node_set_int(c, "@ports", 15);
    ctx->done = TRUE;
    return TRUE;
  }
  ports = cli_dict_get(ctx, "num_pcie_root_ports");
  if (ports) {
    gint64 n;
    ctx->cur = ports;
    if (!cli_value_int(ctx, ports->value, 0, "expected a number of ports", &n, error))
      return FALSE;
    /* cli.py ignores the rest of the option string here. */
    ctx->req->pcie_root_ports_set = TRUE;
    ctx->req->pcie_root_ports = (int)MIN(n, G_MAXINT);
    ctx->done = TRUE;
  }
  return TRUE;
}

static gboolean
controller_finish(CliCtx *ctx, GError **error)
{
  if (vmi_node_is(ctx->node, "@type", "usb") && vmi_node_is(ctx->node, "@model", "none"))
    ctx->req->no_usb = TRUE;
  return TRUE;
}

static const CliSubopt controller_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "type", .kind = CLI_STR, .path = "@type",
    .help = "usb, scsi, sata, ide, virtio-serial, pci, ... (usb2/usb3: standard USB set)" },
  { .name = "model", .kind = CLI_STR, .path = "@model",
    .help = "e.g. qemu-xhci, virtio-scsi, none" },
  { .name = "index", .kind = CLI_INT, .path = "@index", .help = "controller index" },
  { .name = "maxGrantFrames", .kind = CLI_INT, .path = "@maxGrantFrames" },
  { .name = "vectors", .kind = CLI_INT, .path = "@vectors" },
  { .name = "master.startport", .aliases = "master", .kind = CLI_INT, .path = "master/@startport" },
  { .name = "driver.iothread", .kind = CLI_INT, .path = "driver/@iothread" },
  { .name = "driver.queues", .aliases = "driver_queues", .kind = CLI_INT,
    .path = "driver/@queues" },
  { .name = "target.chassisNr", .kind = CLI_INT, .path = "target/@chassisNr" },
  { .name = "target.chassis", .kind = CLI_INT, .path = "target/@chassis" },
  { .name = "target.port", .kind = CLI_INT, .path = "target/@port" },
  { .name = "target.hotplug", .kind = CLI_ONOFF, .path = "target/@hotplug" },
  { .name = "target.busNr", .kind = CLI_INT, .path = "target/@busNr" },
  { .name = "target.index", .kind = CLI_INT, .path = "target/@index" },
  { .name = "target.node", .kind = CLI_INT, .path = "target/node" },
  { .name = "address", .kind = CLI_STR, .set = cli_set_pci_address,
    .help = "PCI address [DOMAIN:]BUS:SLOT.FUNCTION" },
  { .name = "num_pcie_root_ports", .kind = CLI_NOSET, .help = "PCIe root ports for q35 guests" },
  { NULL }
};

const CliParser cli_controller_parser = {
  .name = "controller",
  .device = "controller",
  .remove_first = (const char *const[]){ "type", NULL },
  .subopts = controller_rows,
  .flags = CLI_STUB_NONE,
  .prepare = controller_prepare,
  .finish = controller_finish,
};

/* ---- --input ---- */

static const CliSubopt input_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "type", .kind = CLI_STR, .path = "@type", .flags = CLI_IGNORE_DEFAULT,
    .help = "tablet, mouse, keyboard, evdev, passthrough" },
  { .name = "bus", .kind = CLI_STR, .path = "@bus", .flags = CLI_IGNORE_DEFAULT,
    .help = "usb, ps2, virtio, xen" },
  { .name = "model", .kind = CLI_STR, .path = "@model" },
  { .name = "source.evdev", .kind = CLI_STR, .path = "source/@evdev" },
  { .name = "source.dev", .kind = CLI_STR, .path = "source/@dev" },
  { .name = "source.repeat", .kind = CLI_ONOFF, .path = "source/@repeat" },
  { .name = "source.grab", .kind = CLI_STR, .path = "source/@grab" },
  { .name = "source.grabToggle", .kind = CLI_STR, .path = "source/@grabToggle" },
  { NULL }
};

const CliParser cli_input_parser = {
  .name = "input",
  .device = "input",
  .remove_first = (const char *const[]){ "type", NULL },
  .subopts = input_rows,
  .flags = CLI_STUB_NONE,
};

/* ---- --rng ---- */

static gboolean
rng_prepare(CliCtx *ctx, GError **error)
{
  CliPair *model;

  finish_none(ctx, &ctx->req->no_rng);
  if (ctx->done)
    return TRUE;
  cli_dict_rename(ctx, "type", "backend.model");
  cli_dict_rename(ctx, "device", "backend");
  model = cli_dict_get(ctx, "backend.model");
  if (model && model->value && model->value[0] == '/') {
    /* --rng /dev/urandom */
    cli_dict_rename(ctx, "backend.model", "backend");
    cli_dict_set(ctx, "backend.model", "random");
  }
  return TRUE;
}

/* <backend model='random'>PATH</backend> */
static gboolean
set_rng_backend(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr backend = vmi_node_child(ctx->node, "backend", value != NULL);

  if (!backend)
    return TRUE;
  if (!vmi_node_has(backend, "@model"))
    vmi_node_set(backend, "@model", "random");
  vmi_node_set(backend, ".", value);
  return TRUE;
}

static const CliSubopt rng_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "type", .kind = CLI_NOSET, .help = "backend model: random, egd or builtin" },
  { .name = "device", .kind = CLI_NOSET, .help = "host device for random, e.g. /dev/urandom" },
  { .name = "model", .kind = CLI_STR, .path = "@model",
    .help = "virtio, virtio-transitional, ..." },
  { .name = "backend", .kind = CLI_STR, .set = set_rng_backend },
  { .name = "backend.model", .kind = CLI_STR, .path = "backend/@model" },
  { .name = "backend.type", .aliases = "backend_type", .kind = CLI_STR, .path = "backend/@type" },
  { .name = "backend.source.host", .aliases = "backend_host", .kind = CLI_STR,
    .set = set_source_host },
  { .name = "backend.source.service", .aliases = "backend_service", .kind = CLI_INT,
    .path = "backend/source/@service" },
  { .name = "backend.source.bind_host", .kind = CLI_STR, .set = set_bind_host },
  { .name = "backend.source.bind_service", .kind = CLI_INT, .set = set_mode_service },
  { .name = "backend.source.connect_host", .aliases = "backend_connect_host", .kind = CLI_STR,
    .set = set_connect_host },
  { .name = "backend.source.connect_service", .aliases = "backend_connect_service", .kind = CLI_INT,
    .set = set_mode_service },
  { .name = "backend.source.mode", .aliases = "backend_mode", .kind = CLI_STR,
    .path = "backend/source/@mode" },
  { .name = "backend.source.path", .kind = CLI_STR, .path = "backend/source/@path" },
  { .name = "backend.protocol.type", .kind = CLI_STR, .path = "backend/protocol/@type" },
  { .name = "rate.bytes", .aliases = "rate_bytes", .kind = CLI_STR, .path = "rate/@bytes" },
  { .name = "rate.period", .aliases = "rate_period", .kind = CLI_STR, .path = "rate/@period" },
  { NULL }
};

const CliParser cli_rng_parser = {
  .name = "rng",
  .device = "rng",
  .remove_first = (const char *const[]){ "backend.model", NULL },
  .subopts = rng_rows,
  .prepare = rng_prepare,
};

/* ---- --memballoon ---- */

static const CliSubopt memballoon_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "model", .kind = CLI_STR, .path = "@model", .flags = CLI_IGNORE_DEFAULT,
    .help = "virtio, virtio-transitional, xen or none" },
  { .name = "autodeflate", .kind = CLI_ONOFF, .path = "@autodeflate" },
  { .name = "stats.period", .kind = CLI_INT, .path = "stats/@period",
    .help = "statistics period in seconds" },
  { .name = "freePageReporting", .kind = CLI_ONOFF, .path = "@freePageReporting" },
  { NULL }
};

const CliParser cli_memballoon_parser = {
  .name = "memballoon",
  .device = "memballoon",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = memballoon_rows,
};

/* ---- --tpm ---- */

static gboolean
tpm_prepare(CliCtx *ctx, GError **error)
{
  CliPair *type;

  finish_none(ctx, &ctx->req->no_tpm);
  if (ctx->done)
    return TRUE;
  type = cli_dict_get(ctx, "type");
  if (type && type->value && type->value[0] == '/')
    cli_dict_rename(ctx, "type", "path");   /* --tpm /dev/tpm0 */
  type = cli_dict_get(ctx, "type");
  if (type && g_strcmp0(type->value, "default") == 0)
    cli_pair_free(cli_dict_pop(ctx, "type"));
  return TRUE;
}

static const CliSubopt tpm_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "model", .kind = CLI_STR, .path = "@model", .help = "tpm-crb, tpm-tis, tpm-spapr" },
  { .name = "backend.type", .aliases = "type", .kind = CLI_STR, .path = "backend/@type",
    .help = "emulator or passthrough" },
  { .name = "backend.version", .aliases = "version", .kind = CLI_STR, .path = "backend/@version",
    .help = "1.2 or 2.0" },
  { .name = "backend.device.path", .aliases = "path", .kind = CLI_STR,
    .path = "backend/device/@path",
    .help = "host TPM device for passthrough" },
  { .name = "backend.encryption.secret", .kind = CLI_STR, .path = "backend/encryption/@secret" },
  { .name = "backend.persistent_state", .kind = CLI_YESNO, .path = "backend/@persistent_state" },
  { .name = "active_pcr_banks.sha1", .kind = CLI_BOOL, .path = "active_pcr_banks/sha1" },
  { .name = "active_pcr_banks.sha256", .kind = CLI_BOOL, .path = "active_pcr_banks/sha256" },
  { .name = "active_pcr_banks.sha384", .kind = CLI_BOOL, .path = "active_pcr_banks/sha384" },
  { .name = "active_pcr_banks.sha512", .kind = CLI_BOOL, .path = "active_pcr_banks/sha512" },
  { NULL }
};

const CliParser cli_tpm_parser = {
  .name = "tpm",
  .device = "tpm",
  .remove_first = (const char *const[]){ "type", NULL },
  .subopts = tpm_rows,
  .prepare = tpm_prepare,
};

/* ---- --redirdev ---- */

static gboolean
redirdev_prepare(CliCtx *ctx, GError **error)
{
  finish_none(ctx, &ctx->req->no_redirdev);
  return TRUE;
}

static const CliSubopt redirdev_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_BOOT_ROWS,
  { .name = "bus", .kind = CLI_STR, .path = "@bus", .flags = CLI_IGNORE_DEFAULT, .help = "usb" },
  { .name = "type", .kind = CLI_STR, .path = "@type", .flags = CLI_IGNORE_DEFAULT,
    .help = "spicevmc or tcp" },
  { .name = "server", .kind = CLI_STR, .set = set_source_host, .help = "HOST:PORT for type=tcp" },
  CLI_CHAR_SOURCE_ROWS(""),
  { NULL }
};

const CliParser cli_redirdev_parser = {
  .name = "redirdev",
  .device = "redirdev",
  .remove_first = (const char *const[]){ "bus", NULL },
  .subopts = redirdev_rows,
  .prepare = redirdev_prepare,
};

/* ---- --watchdog, --panic, --vsock ---- */

static const CliSubopt watchdog_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "model", .kind = CLI_STR, .path = "@model", .flags = CLI_IGNORE_DEFAULT,
    .help = "i6300esb, ib700, diag288, itco" },
  { .name = "action", .kind = CLI_STR, .path = "@action", .flags = CLI_IGNORE_DEFAULT,
    .help = "reset, shutdown, poweroff, pause, none, dump, inject-nmi" },
  { NULL }
};

const CliParser cli_watchdog_parser = {
  .name = "watchdog",
  .device = "watchdog",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = watchdog_rows,
  .flags = CLI_STUB_NONE,
};

static gboolean
panic_prepare(CliCtx *ctx, GError **error)
{
  CliPair *model = cli_dict_get(ctx, "model");

  /* Old --panic 0xNNN: an ISA panic device at that port. */
  if (ctx->dict->len == 1 && model && model->value && g_str_has_prefix(model->value, "0x")) {
    cli_dict_set(ctx, "address.iobase", model->value);
    cli_dict_set(ctx, "model", "isa");
  }
  return TRUE;
}

static const CliSubopt panic_rows[] = {
  CLI_ADDRESS_ROWS,
  { .name = "iobase", .kind = CLI_STR, .path = "address/@iobase", .flags = CLI_HIDDEN },
  { .name = "model", .kind = CLI_STR, .path = "@model", .flags = CLI_IGNORE_DEFAULT,
    .help = "isa, pseries, hyperv, s390" },
  { NULL }
};

const CliParser cli_panic_parser = {
  .name = "panic",
  .device = "panic",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = panic_rows,
  .flags = CLI_STUB_NONE,
  .prepare = panic_prepare,
};

static const CliSubopt vsock_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_VIRTIO_ROWS,
  { .name = "model", .kind = CLI_STR, .path = "@model", .flags = CLI_IGNORE_DEFAULT },
  { .name = "cid.auto", .aliases = "auto_cid", .kind = CLI_YESNO, .path = "cid/@auto",
    .help = "let libvirt pick the guest CID (on/off)" },
  { .name = "cid.address", .aliases = "cid", .kind = CLI_INT, .path = "cid/@address",
    .help = "guest CID" },
  { NULL }
};

const CliParser cli_vsock_parser = {
  .name = "vsock",
  .device = "vsock",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = vsock_rows,
};
