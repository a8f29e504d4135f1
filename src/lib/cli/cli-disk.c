/*
 * --disk.
 *
 * What goes where:
 *   path=, pool=, vol=, size=, format=, backing_store=, backing_format=,
 *   sparse=     recorded in a VmiDiskStorage (req->storage) when the disk
 *               names storage (path, pool, vol or size); defaults decides
 *               whether it exists, its type, format and what to create.
 *               path= is also written as source/@file, as given.
 *   device=     @device (disk, cdrom, floppy, lun)
 *   bus=        target/@bus      target.dev=  target/@dev
 *   cache=      driver/@cache    driver.*=    driver/@*
 *   readonly=, shareable=, transient=  <readonly/> ... present or absent
 *   boot.order= boot/@order (renumbering other devices, dropping <os><boot>)
 *   type=       @type            source.*=    source/@*
 *   perms=ro|sh|rw  readonly / shareable
 *   none        no disk, req->no_disk
 */
#include <string.h>
#include "cli-private.h"

typedef struct {
  char *path, *pool, *vol, *format, *backing_store, *backing_format;
  double size;
  int sparse;
} DiskData;

static char *
steal_value(CliCtx *ctx, const char *key, CliPair **pair)
{
  CliPair *p = cli_dict_pop(ctx, key);
  char *value = NULL;

  if (p) {
    value = g_steal_pointer(&p->value);
    if (pair)
      *pair = p;
    else
      cli_pair_free(p);
  }
  return value;
}

static gboolean
disk_prepare(CliCtx *ctx, GError **error)
{
  DiskData *d = ctx->data;
  g_autoptr(CliPair) size_pair = NULL;
  g_autoptr(CliPair) sparse_pair = NULL;
  g_autoptr(CliPair) perms_pair = NULL;
  g_autoptr(CliPair) vol_pair = NULL;
  g_autofree char *size = NULL;
  g_autofree char *sparse = NULL;
  g_autofree char *perms = NULL;
  g_autofree char *type = NULL;

  cli_dict_rename(ctx, "bus", "target.bus");
  cli_dict_rename(ctx, "cache", "driver.cache");
  if (strcmp(ctx->optstr, "none") == 0) {
    ctx->req->no_disk = TRUE;
    ctx->done = TRUE;
    return TRUE;
  }

  d->backing_store = steal_value(ctx, "backing_store", NULL);
  d->backing_format = steal_value(ctx, "backing_format", NULL);
  d->pool = steal_value(ctx, "pool", NULL);
  d->vol = steal_value(ctx, "vol", &vol_pair);
  size = steal_value(ctx, "size", &size_pair);
  d->format = steal_value(ctx, "format", NULL);
  sparse = steal_value(ctx, "sparse", &sparse_pair);
  perms = steal_value(ctx, "perms", &perms_pair);
  type = steal_value(ctx, "type", NULL);

  if (size) {
    char *end = NULL;
    d->size = g_ascii_strtod(size, &end);
    if (!*size || *end || d->size < 0) {
      cli_set_invalid(ctx, size_pair, size, "expected a number of GiB", error);
      return FALSE;
    }
  }
  if (sparse) {
    gboolean on;
    if (!cli_parse_onoff(sparse, &on)) {
      cli_set_invalid(ctx, sparse_pair, sparse, "expected on or off", error);
      return FALSE;
    }
    d->sparse = on;
  }
  if (perms) {
    if (strcmp(perms, "ro") == 0) {
      cli_dict_set(ctx, "readonly", "on");
    } else if (strcmp(perms, "sh") == 0) {
      cli_dict_set(ctx, "shareable", "on");
    } else if (strcmp(perms, "rw") != 0) {
      cli_set_invalid(ctx, perms_pair, perms, "accepted: ro, sh, rw", error);
      return FALSE;
    }
  }
  if (d->vol) {
    const char *slash = strchr(d->vol, '/');
    if (!slash || strchr(slash + 1, '/')) {
      cli_set_invalid(ctx, vol_pair, d->vol, "expected POOL/VOLUME", error);
      return FALSE;
    }
  }
  /* Up front, as cli.py: the disk type decides how the source reads. */
  if (type && *type)
    vmi_node_set(ctx->node, "@type", type);
  return TRUE;
}

static gboolean
set_disk_path(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  DiskData *d = ctx->data;

  g_free(d->path);
  d->path = g_strdup(value);
  vmi_node_set(ctx->node, "source/@file", value);
  return TRUE;
}

static gboolean
disk_finish(CliCtx *ctx, GError **error)
{
  DiskData *d = ctx->data;
  VmiDiskStorage *st;

  if (!d->path && !d->pool && !d->vol && d->size < 0)
    return TRUE;
  st = vmi_request_add_storage(ctx->req, ctx->node);
  st->path = g_steal_pointer(&d->path);
  st->pool = g_steal_pointer(&d->pool);
  st->vol = g_steal_pointer(&d->vol);
  st->format = g_steal_pointer(&d->format);
  st->backing_store = g_steal_pointer(&d->backing_store);
  st->backing_format = g_steal_pointer(&d->backing_format);
  st->size_gib = d->size;
  st->sparse = d->sparse;
  return TRUE;
}

static const char *const disk_buses[] = {
  "ide", "sata", "scsi", "usb", "virtio", "xen", "fdc", "sd", NULL
};
static const char *const disk_devices[] = { "disk", "cdrom", "floppy", "lun", NULL };

static const CliSubopt disk_rows[] = {
  CLI_ADDRESS_ROWS,
  CLI_BOOT_ROWS,
  CLI_VIRTIO_ROWS,
  /* Storage: consumed by disk_prepare. */
  { .name = "backing_store", .kind = CLI_NOSET, .help = "backing image of a new image" },
  { .name = "backing_format", .kind = CLI_NOSET },
  { .name = "pool", .kind = CLI_NOSET, .help = "storage pool to create the image in" },
  { .name = "vol", .kind = CLI_NOSET, .help = "existing volume as POOL/VOLUME" },
  { .name = "size", .kind = CLI_NOSET, .help = "size in GiB of a new image" },
  { .name = "format", .kind = CLI_NOSET, .help = "image format (qcow2, raw, ...)" },
  { .name = "sparse", .kind = CLI_NOSET, .help = "create the image sparse (on/off)" },
  { .name = "perms", .kind = CLI_NOSET, .flags = CLI_HIDDEN },
  { .name = "type", .kind = CLI_NOSET },
  /* Renamed to target.bus and driver.cache by disk_prepare. */
  { .name = "bus", .kind = CLI_NOSET, .help = "ide, sata, scsi, usb, virtio, xen, fdc or sd" },
  { .name = "cache", .kind = CLI_NOSET,
    .help = "none, writeback, writethrough, directsync, unsafe" },
  { .name = "source.dir", .kind = CLI_STR, .path = "source/@dir" },
  { .name = "source.file", .kind = CLI_STR, .path = "source/@file" },
  { .name = "source.dev", .kind = CLI_STR, .path = "source/@dev" },
  { .name = "source.pool", .aliases = "source_pool", .kind = CLI_STR, .path = "source/@pool" },
  { .name = "source.volume", .aliases = "source_volume", .kind = CLI_STR,
    .path = "source/@volume" },
  { .name = "source.name", .aliases = "source_name", .kind = CLI_STR, .path = "source/@name" },
  { .name = "source.protocol", .aliases = "source_protocol", .kind = CLI_STR,
    .path = "source/@protocol" },
  { .name = "source.startupPolicy", .aliases = "startup_policy", .kind = CLI_STR,
    .path = "source/@startupPolicy" },
  { .name = "source.type", .kind = CLI_STR, .path = "source/@type" },
  { .name = "source.namespace", .kind = CLI_INT, .path = "source/@namespace" },
  { .name = "source.managed", .kind = CLI_YESNO, .path = "source/@managed" },
  { .name = "source.address.domain", .kind = CLI_STR, .path = "source/address/@domain" },
  { .name = "source.address.bus", .kind = CLI_STR, .path = "source/address/@bus" },
  { .name = "source.address.slot", .kind = CLI_STR, .path = "source/address/@slot" },
  { .name = "source.address.function", .kind = CLI_STR, .path = "source/address/@function" },
  { .name = "source.host[0-9]*.name", .aliases = "source_host_name", .kind = CLI_STR,
    .path = "source/host[]/@name" },
  { .name = "source.host[0-9]*.port", .aliases = "source_host_port", .kind = CLI_INT,
    .path = "source/host[]/@port" },
  { .name = "source.host[0-9]*.socket", .aliases = "source_host_socket", .kind = CLI_STR,
    .path = "source/host[]/@socket" },
  { .name = "source.host[0-9]*.transport", .aliases = "source_host_transport", .kind = CLI_STR,
    .path = "source/host[]/@transport" },
  { .name = "path", .kind = CLI_STR, .set = set_disk_path,
    .help = "image file or block device (created when size= is given)" },
  { .name = "device", .kind = CLI_STR, .path = "@device", .accepted = disk_devices,
    .help = "disk, cdrom, floppy or lun" },
  { .name = "snapshot", .aliases = "snapshot_policy", .kind = CLI_STR, .path = "@snapshot" },
  { .name = "sgio", .kind = CLI_STR, .path = "@sgio" },
  { .name = "rawio", .kind = CLI_STR, .path = "@rawio" },
  { .name = "serial", .kind = CLI_STR, .path = "serial" },
  { .name = "wwn", .kind = CLI_STR, .path = "wwn" },
  { .name = "readonly", .kind = CLI_BOOL, .path = "readonly", .help = "read-only (on/off)" },
  { .name = "shareable", .kind = CLI_BOOL, .path = "shareable",
    .help = "shared between guests (on/off)" },
  { .name = "transient", .kind = CLI_BOOL, .path = "transient" },
  { .name = "transient.shareBacking", .kind = CLI_YESNO, .path = "transient/@shareBacking" },
  { .name = "target.bus", .kind = CLI_STR, .path = "target/@bus", .accepted = disk_buses },
  { .name = "target.removable", .aliases = "removable", .kind = CLI_ONOFF,
    .path = "target/@removable" },
  { .name = "target.dev", .aliases = "target", .kind = CLI_STR, .path = "target/@dev",
    .help = "guest device name (vda, sdb, hdc, ...)" },
  { .name = "target.rotation_rate", .aliases = "rotation_rate", .kind = CLI_INT,
    .path = "target/@rotation_rate" },
  { .name = "driver.cache", .kind = CLI_STR, .path = "driver/@cache" },
  { .name = "driver.discard", .aliases = "discard", .kind = CLI_STR, .path = "driver/@discard" },
  { .name = "driver.detect_zeroes", .aliases = "detect_zeroes", .kind = CLI_STR,
    .path = "driver/@detect_zeroes" },
  { .name = "driver.name", .aliases = "driver_name", .kind = CLI_STR, .path = "driver/@name" },
  { .name = "driver.type", .aliases = "driver_type", .kind = CLI_STR, .path = "driver/@type" },
  { .name = "driver.copy_on_read", .kind = CLI_ONOFF, .path = "driver/@copy_on_read" },
  { .name = "driver.io", .aliases = "io", .kind = CLI_STR, .path = "driver/@io" },
  { .name = "driver.iothread", .kind = CLI_INT, .path = "driver/@iothread" },
  { .name = "driver.queues", .kind = CLI_INT, .path = "driver/@queues" },
  { .name = "driver.error_policy", .aliases = "error_policy", .kind = CLI_STR,
    .path = "driver/@error_policy" },
  { .name = "iotune.read_bytes_sec", .aliases = "read_bytes_sec", .kind = CLI_INT,
    .path = "iotune/read_bytes_sec" },
  { .name = "iotune.write_bytes_sec", .aliases = "write_bytes_sec", .kind = CLI_INT,
    .path = "iotune/write_bytes_sec" },
  { .name = "iotune.total_bytes_sec", .aliases = "total_bytes_sec", .kind = CLI_INT,
    .path = "iotune/total_bytes_sec" },
  { .name = "iotune.read_iops_sec", .aliases = "read_iops_sec", .kind = CLI_INT,
    .path = "iotune/read_iops_sec" },
  { .name = "iotune.write_iops_sec", .aliases = "write_iops_sec", .kind = CLI_INT,
    .path = "iotune/write_iops_sec" },
  { .name = "iotune.total_iops_sec", .aliases = "total_iops_sec", .kind = CLI_INT,
    .path = "iotune/total_iops_sec" },
  { .name = "blockio.logical_block_size", .aliases = "logical_block_size", .kind = CLI_STR,
    .path = "blockio/@logical_block_size" },
  { .name = "blockio.physical_block_size", .aliases = "physical_block_size", .kind = CLI_STR,
    .path = "blockio/@physical_block_size" },
  { .name = "geometry.cyls", .kind = CLI_INT, .path = "geometry/@cyls" },
  { .name = "geometry.heads", .kind = CLI_INT, .path = "geometry/@heads" },
  { .name = "geometry.secs", .kind = CLI_INT, .path = "geometry/@secs" },
  { .name = "geometry.trans", .kind = CLI_STR, .path = "geometry/@trans" },
  { NULL }
};

const CliParser cli_disk_parser = {
  .name = "disk",
  .device = "disk",
  .remove_first = (const char *const[]){ "path", NULL },
  .subopts = disk_rows,
  .prepare = disk_prepare,
  .finish = disk_finish,
};

gboolean
cli_run_disk(VmiRequest *req, const char *optstr, GError **error)
{
  DiskData d = { .size = -1, .sparse = -1 };
  gboolean ok = cli_parser_run(&cli_disk_parser, req, optstr, &d, error);

  g_free(d.path);
  g_free(d.pool);
  g_free(d.vol);
  g_free(d.format);
  g_free(d.backing_store);
  g_free(d.backing_format);
  return ok;
}
