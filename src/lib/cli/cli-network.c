/*
 * --network / -w.
 *
 * What goes where (below <interface>):
 *   network=NAME    @type=network, source/@network (old style, as cli.py)
 *   bridge=NAME     @type=bridge, source/@bridge
 *   type=T          @type; source= then goes to source/@network,
 *                   source/@bridge or source/@dev by type
 *   default         no @type: defaults picks user, a host bridge or the
 *                   "default" network, like virtinst's set_default_source
 *   (no type)       @type=bridge, as virtinst's DeviceInterface defaults;
 *                   defaults fills the bridge from the default route
 *   mac=, mac.address=      mac/@address (RANDOM: left to defaults)
 *   model=, model.type=     model/@type
 *   none            no interface, req->no_network
 * Without any --network, the main flow parses "default" once, like
 * virt-install's convert_old_networks.
 */
#include <string.h>
#include "cli-private.h"

typedef struct {
  gboolean default_source;
} NetData;

static gboolean
network_prepare(CliCtx *ctx, GError **error)
{
  cli_dict_rename(ctx, "model", "model.type");
  cli_dict_rename(ctx, "mac", "mac.address");

  /* Old style network=X / bridge=X, unless type= says otherwise. */
  if (!cli_dict_get(ctx, "type")) {
    if (cli_dict_get(ctx, "network")) {
      cli_dict_set(ctx, "type", "network");
      cli_dict_rename(ctx, "network", "source");
    } else if (cli_dict_get(ctx, "bridge")) {
      cli_dict_set(ctx, "type", "bridge");
      cli_dict_rename(ctx, "bridge", "source");
    }
  } else {
    cli_pair_free(cli_dict_pop(ctx, "network"));
    cli_pair_free(cli_dict_pop(ctx, "bridge"));
  }
  if (strcmp(ctx->optstr, "none") == 0) {
    ctx->req->no_network = TRUE;
    ctx->done = TRUE;
  }
  return TRUE;
}

static gboolean
set_net_type(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  NetData *n = ctx->data;

  if (g_strcmp0(value, "default") == 0) {
    n->default_source = TRUE;
    vmi_node_set(ctx->node, "@type", NULL);
    return TRUE;
  }
  vmi_node_set(ctx->node, "@type", value);
  return TRUE;
}

static gboolean
set_net_source(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  g_autofree char *type = vmi_node_get(ctx->node, "@type");

  vmi_node_set(ctx->node, "source/@bridge", NULL);
  vmi_node_set(ctx->node, "source/@network", NULL);
  vmi_node_set(ctx->node, "source/@dev", NULL);
  if (g_strcmp0(type, "network") == 0)
    vmi_node_set(ctx->node, "source/@network", value);
  else if (g_strcmp0(type, "bridge") == 0)
    vmi_node_set(ctx->node, "source/@bridge", value);
  else if (g_strcmp0(type, "direct") == 0)
    vmi_node_set(ctx->node, "source/@dev", value);
  return TRUE;
}

static gboolean
valid_mac(const char *mac)
{
  if (strlen(mac) != 17)
    return FALSE;
  for (guint i = 0; i < 17; i++) {
    if (i % 3 == 2 ? mac[i] != ':' : !g_ascii_isxdigit(mac[i]))
      return FALSE;
  }
  return TRUE;
}

static gboolean
set_net_mac(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  if (g_strcmp0(value, "RANDOM") == 0)
    return TRUE;
  if (value && !valid_mac(value)) {
    cli_set_invalid(ctx, ctx->cur, value,
                    "expected a MAC address such as 52:54:00:12:34:56", error);
    return FALSE;
  }
  vmi_node_set(ctx->node, "mac/@address", value);
  return TRUE;
}

static gboolean
set_link_state(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  gboolean on;

  if (value && strcmp(value, "up") != 0 && strcmp(value, "down") != 0 &&
      cli_parse_onoff(value, &on))
    value = on ? "up" : "down";
  vmi_node_set(ctx->node, "link/@state", value);
  return TRUE;
}

static gboolean
network_finish(CliCtx *ctx, GError **error)
{
  NetData *n = ctx->data;

  /* virtinst's DeviceInterface.set_defaults: no type means a bridge. */
  if (!n->default_source && !vmi_node_has(ctx->node, "@type"))
    vmi_node_set(ctx->node, "@type", "bridge");
  return TRUE;
}

static const CliSubopt network_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_BOOT_ROWS,
  CLI_VIRTIO_ROWS,
  /* Renamed by network_prepare. */
  { .name = "model", .kind = CLI_NOSET, .help = "NIC model (virtio, e1000, e1000e, rtl8139, ...)" },
  { .name = "mac", .kind = CLI_NOSET, .help = "MAC address (RANDOM: generated)" },
  { .name = "network", .kind = CLI_NOSET, .help = "libvirt virtual network to connect to" },
  { .name = "bridge", .kind = CLI_NOSET, .help = "host bridge to connect to" },
  { .name = "type", .kind = CLI_STR, .set = set_net_type,
    .help = "network, bridge, direct, user, ... or default" },
  { .name = "trustGuestRxFilters", .kind = CLI_YESNO, .path = "@trustGuestRxFilters" },
  { .name = "source", .kind = CLI_STR, .set = set_net_source,
    .help = "network, bridge or host device, by type" },
  { .name = "source.mode", .aliases = "source_mode", .kind = CLI_STR, .path = "source/@mode" },
  { .name = "source.type", .aliases = "source_type", .kind = CLI_STR, .path = "source/@type" },
  { .name = "source.path", .aliases = "source_path", .kind = CLI_STR, .path = "source/@path" },
  { .name = "source.portgroup", .aliases = "portgroup", .kind = CLI_STR,
    .path = "source/@portgroup" },
  { .name = "target.dev", .aliases = "target", .kind = CLI_STR, .path = "target/@dev" },
  { .name = "model.type", .kind = CLI_STR, .path = "model/@type" },
  { .name = "mac.address", .kind = CLI_STR, .set = set_net_mac },
  { .name = "filterref.filter", .aliases = "filterref", .kind = CLI_STR,
    .path = "filterref/@filter" },
  { .name = "link.state", .aliases = "link_state", .kind = CLI_STR, .set = set_link_state },
  { .name = "driver.name", .aliases = "driver_name", .kind = CLI_STR, .path = "driver/@name" },
  { .name = "driver.queues", .aliases = "driver_queues", .kind = CLI_INT,
    .path = "driver/@queues" },
  { .name = "rom.file", .aliases = "rom_file", .kind = CLI_STR, .path = "rom/@file" },
  { .name = "rom.bar", .aliases = "rom_bar", .kind = CLI_ONOFF, .path = "rom/@bar" },
  { .name = "mtu.size", .kind = CLI_INT, .path = "mtu/@size" },
  { .name = "virtualport.type", .aliases = "virtualport_type", .kind = CLI_STR,
    .path = "virtualport/@type" },
  { .name = "virtualport.parameters.managerid", .aliases = "virtualport_managerid", .kind = CLI_INT,
    .path = "virtualport/parameters/@managerid" },
  { .name = "virtualport.parameters.typeid", .aliases = "virtualport_typeid", .kind = CLI_INT,
    .path = "virtualport/parameters/@typeid" },
  { .name = "virtualport.parameters.typeidversion", .aliases = "virtualport_typeidversion",
    .kind = CLI_INT, .path = "virtualport/parameters/@typeidversion" },
  { .name = "virtualport.parameters.instanceid", .aliases = "virtualport_instanceid",
    .kind = CLI_STR,
    .path = "virtualport/parameters/@instanceid" },
  { .name = "virtualport.parameters.profileid", .aliases = "virtualport_profileid", .kind = CLI_STR,
    .path = "virtualport/parameters/@profileid" },
  { .name = "virtualport.parameters.interfaceid", .aliases = "virtualport_interfaceid",
    .kind = CLI_STR, .path = "virtualport/parameters/@interfaceid" },
  { NULL }
};

const CliParser cli_network_parser = {
  .name = "network",
  .device = "interface",
  .remove_first = (const char *const[]){ "type", NULL },
  .subopts = network_rows,
  .prepare = network_prepare,
  .finish = network_finish,
};

gboolean
cli_run_network(VmiRequest *req, const char *optstr, GError **error)
{
  NetData n = { 0 };
  return cli_parser_run(&cli_network_parser, req, optstr, &n, error);
}
