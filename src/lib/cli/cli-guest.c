/*
 * Domain-wide options: --memory, --vcpus, --cpu, --boot, --metadata,
 * --features, --clock, --pm, --events.
 *
 * What goes where (paths below <domain>, as virtinst's XMLProperty):
 *   --memory N            currentMemory = N*1024 KiB (memory raised to match);
 *                         memory=, currentMemory=, maxMemory= in MiB, like
 *                         cli.py's old-name swaps (maxmemory= is <memory>)
 *   --vcpus N             vcpu; maxvcpus= makes N vcpu/@current;
 *                         sockets/dies/cores/threads= cpu/topology/@*;
 *                         cpuset= vcpu/@cpuset (auto: vcpu/@placement)
 *   --cpu MODEL           cpu/@mode=custom, @match=exact, cpu/model; the
 *                         security features virtinst adds from domain
 *                         capabilities are left to defaults
 *                         (req->cpu_custom_model, req->cpu_insecure)
 *   --cpu host-passthrough|host-model|host   cpu/@mode
 *   --cpu default|host-model-only            req->cpu_pending (needs caps)
 *   --cpu none|clear|hv-default              no <cpu>
 *   --cpu +feat,-feat,force=...              cpu/feature[@name,@policy]
 *   --boot hd,cdrom,...   os/boot/@dev list; kernel/initrd/cmdline,
 *                         loader*, nvram, firmware, bootmenu ... under os;
 *                         uefi -> req->uefi; arch/machine/os_type/
 *                         domain_type -> the matching req fields
 *   --metadata            name, title, uuid, genid, description
 *   --features            features children (acpi=off also sets req->no_acpi so
 *                         defaults leaves it off; same for apic, pae)
 *   --clock               clock/@offset, clock/timer
 *   --pm                  pm/suspend-to-mem/@enabled, suspend-to-disk
 *   --events              on_poweroff, on_reboot, on_crash, on_lockfailure
 */
#include <string.h>
#include "cli-private.h"

/* ---- --memory ---- */

static gboolean
set_memory_mib(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  gint64 mib;

  if (!value) {
    vmi_node_set(ctx->root, sub->path, NULL);
    return TRUE;
  }
  if (!cli_value_int(ctx, value, 1, "expected a positive number of MiB", &mib, error))
    return FALSE;
  if (strcmp(sub->path, "currentMemory") == 0) {
    /* virtinst's currentMemory setter keeps memory >= currentMemory. */
    gint64 mem = vmi_node_get_int(ctx->root, "memory", -1);
    if (mem < mib * 1024)
      vmi_node_set_int(ctx->root, "memory", mib * 1024);
  }
  vmi_node_set_int(ctx->root, sub->path, mib * 1024);
  return TRUE;
}

/* memory= and maxmemory= once meant currentMemory and memory. */
static gboolean
memory_prepare(CliCtx *ctx, GError **error)
{
  gboolean havecur = cli_dict_get(ctx, "currentMemory") != NULL;
  gboolean havemax = cli_dict_get(ctx, "maxmemory") != NULL;
  gboolean havemem = cli_dict_get(ctx, "memory") != NULL;

  if (havecur) {
    if (havemax)
      cli_dict_rename(ctx, "maxmemory", "memory");
  } else if (havemax) {
    if (havemem)
      cli_dict_rename(ctx, "memory", "currentMemory");
    cli_dict_rename(ctx, "maxmemory", "memory");
  } else if (havemem) {
    cli_dict_rename(ctx, "memory", "currentMemory");
  }
  return TRUE;
}

static gboolean
memory_finish(CliCtx *ctx, GError **error)
{
  ctx->req->memory_set = TRUE;
  return TRUE;
}

static const CliSubopt memory_rows[] = {
  { .name = "memory", .kind = CLI_INT, .path = "memory", .set = set_memory_mib,
    .help = "memory in MiB (a bare number is the current allocation)" },
  { .name = "currentMemory", .kind = CLI_INT, .path = "currentMemory", .set = set_memory_mib,
    .help = "current allocation in MiB" },
  { .name = "maxMemory", .aliases = "hotplugmemorymax", .kind = CLI_INT, .path = "maxMemory",
    .set = set_memory_mib, .help = "hotplug maximum in MiB" },
  { .name = "maxMemory.slots", .aliases = "hotplugmemoryslots", .kind = CLI_INT,
    .path = "maxMemory/@slots" },
  { .name = "maxmemory", .kind = CLI_NOSET, .help = "maximum allocation in MiB" },
  { .name = "hugepages", .kind = CLI_BOOL, .path = "memoryBacking/hugepages" },
  { NULL }
};

const CliParser cli_memory_parser = {
  .name = "memory",
  .remove_first = (const char *const[]){ "memory", NULL },
  .subopts = memory_rows,
  .prepare = memory_prepare,
  .finish = memory_finish,
};

/* ---- --vcpus ---- */

static gboolean
set_vcpu(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  gint64 n;

  if (!value) {
    vmi_node_set(ctx->root, "vcpu", NULL);
    return TRUE;
  }
  if (!cli_value_int(ctx, value, 1, "expected a positive number of vCPUs", &n, error))
    return FALSE;
  /* virtinst lowers an explicit current count above the new maximum. */
  if (vmi_node_get_int(ctx->root, "vcpu/@current", -1) > n)
    vmi_node_set_int(ctx->root, "vcpu/@current", n);
  vmi_node_set_int(ctx->root, "vcpu", n);
  return TRUE;
}

static gboolean
set_cpuset(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  /* "auto" once meant one-time placement; libvirt's placement=auto
   * does it properly. */
  if (g_strcmp0(value, "auto") == 0)
    vmi_node_set(ctx->root, "vcpu/@placement", "auto");
  else
    vmi_node_set(ctx->root, "vcpu/@cpuset", value);
  return TRUE;
}

static gboolean
vcpus_prepare(CliCtx *ctx, GError **error)
{
  gboolean havemax, havecur, havevcp;

  cli_dict_rename(ctx, "cpuset", "vcpu.cpuset");
  cli_dict_rename(ctx, "vcpus", "vcpu");
  havemax = cli_dict_get(ctx, "maxvcpus") != NULL;
  havecur = cli_dict_get(ctx, "vcpu.current") != NULL;
  havevcp = cli_dict_get(ctx, "vcpu") != NULL;
  if (havecur) {
    if (havemax)
      cli_dict_rename(ctx, "maxvcpus", "vcpu");
  } else if (havemax) {
    if (havevcp)
      cli_dict_rename(ctx, "vcpu", "vcpu.current");
    cli_dict_rename(ctx, "maxvcpus", "vcpu");
  }
  return TRUE;
}

static gboolean
vcpus_finish(CliCtx *ctx, GError **error)
{
  ctx->req->vcpus_set = TRUE;
  return TRUE;
}

#define TOPOLOGY_EXPECT "expected a positive integer"

static const CliSubopt vcpus_rows[] = {
  { .name = "maxvcpus", .kind = CLI_NOSET,
    .help = "maximum vCPUs (the bare number becomes the current count)" },
  { .name = "cpuset", .kind = CLI_NOSET, .flags = CLI_CAN_COMMA,
    .help = "host CPUs to run on, e.g. 1-4,6 (auto: placement by libvirt)" },
  { .name = "vcpus", .kind = CLI_NOSET, .flags = CLI_HIDDEN },
  { .name = "sockets", .kind = CLI_INT, .path = "cpu/topology/@sockets", .expect = TOPOLOGY_EXPECT,
    .help = "CPU sockets" },
  { .name = "dies", .kind = CLI_INT, .path = "cpu/topology/@dies", .expect = TOPOLOGY_EXPECT },
  { .name = "cores", .kind = CLI_INT, .path = "cpu/topology/@cores", .expect = TOPOLOGY_EXPECT,
    .help = "cores per socket" },
  { .name = "threads", .kind = CLI_INT, .path = "cpu/topology/@threads", .expect = TOPOLOGY_EXPECT,
    .help = "threads per core" },
  { .name = "vcpu", .kind = CLI_INT, .set = set_vcpu, .help = "number of vCPUs" },
  { .name = "vcpu.current", .kind = CLI_INT, .path = "vcpu/@current" },
  { .name = "vcpu.cpuset", .kind = CLI_STR, .flags = CLI_CAN_COMMA, .set = set_cpuset },
  { .name = "vcpu.placement", .aliases = "placement", .kind = CLI_STR, .path = "vcpu/@placement",
    .help = "static or auto" },
  { .name = "vcpus.vcpu[0-9]*.id", .kind = CLI_INT, .path = "vcpus/vcpu[]/@id" },
  { .name = "vcpus.vcpu[0-9]*.enabled", .kind = CLI_YESNO, .path = "vcpus/vcpu[]/@enabled" },
  { .name = "vcpus.vcpu[0-9]*.hotpluggable", .kind = CLI_YESNO,
    .path = "vcpus/vcpu[]/@hotpluggable" },
  { .name = "vcpus.vcpu[0-9]*.order", .kind = CLI_INT, .path = "vcpus/vcpu[]/@order" },
  { NULL }
};

const CliParser cli_vcpus_parser = {
  .name = "vcpus",
  .remove_first = (const char *const[]){ "vcpu", NULL },
  .subopts = vcpus_rows,
  .prepare = vcpus_prepare,
  .finish = vcpus_finish,
};

/* ---- --cpu ---- */

static const char *const cpu_policies[] = {
  "force", "require", "optional", "disable", "forbid", NULL
};

static void
cpu_remove_features(xmlNodePtr cpu)
{
  g_autoptr(GPtrArray) feats = vmi_node_children(cpu, "feature");
  for (guint i = 0; i < feats->len; i++)
    vmi_node_remove(g_ptr_array_index(feats, i));
}

static gboolean
set_cpu_model(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiRequest *req = ctx->req;
  xmlNodePtr root = ctx->root;

  if (g_strcmp0(value, "host") == 0)
    value = "host-model";
  if (g_strcmp0(value, "none") == 0)
    value = "clear";

  if (g_strcmp0(value, "host-model") == 0 || g_strcmp0(value, "host-passthrough") == 0) {
    xmlNodePtr cpu = vmi_node_child(root, "cpu", TRUE);
    vmi_node_set(cpu, "model", NULL);
    vmi_node_set(cpu, "vendor", NULL);
    vmi_node_set(cpu, "@migratable", NULL);
    vmi_node_set(cpu, "@check", NULL);
    cpu_remove_features(cpu);
    vmi_node_set(cpu, "@mode", value);
    req->cpu_custom_model = FALSE;
    req->cpu_pending = VMI_CPU_PENDING_NONE;
  } else if (g_strcmp0(value, "clear") == 0 || g_strcmp0(value, "hv-default") == 0) {
    vmi_node_remove(vmi_node_child(root, "cpu", FALSE));
    req->cpu_custom_model = FALSE;
    req->cpu_pending = VMI_CPU_PENDING_NONE;
  } else if (g_strcmp0(value, "host-model-only") == 0 || g_strcmp0(value, "host-copy") == 0) {
    /* The host CPU's model comes from the capabilities. */
    req->cpu_pending = VMI_CPU_PENDING_HOST_MODEL_ONLY;
  } else if (g_strcmp0(value, "default") == 0) {
    /* Best mode the domain capabilities offer. */
    req->cpu_pending = VMI_CPU_PENDING_APP_DEFAULT;
  } else {
    vmi_node_set(root, "cpu/@migratable", NULL);
    if (value) {
      vmi_node_set(root, "cpu/@mode", "custom");
      if (!vmi_node_has(root, "cpu/@match"))
        vmi_node_set(root, "cpu/@match", "exact");
      req->cpu_custom_model = TRUE;
    }
    vmi_node_set(root, "cpu/model", value);
  }
  return TRUE;
}

static gboolean
set_cpu_secure(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  ctx->req->cpu_insecure = g_strcmp0(value, "off") == 0;
  return TRUE;
}

/* force=a,force=b and +a,-b as cli.py's _convert_old_feature_options:
 * one list of names per policy, in the order given. */
typedef struct {
  GPtrArray *names[5];
} CpuFeatures;

static gboolean
cpu_prepare(CliCtx *ctx, GError **error)
{
  CpuFeatures *f = ctx->data;

  for (guint t = 0; t < ctx->tuples->len; t++) {
    const CliPair *p = g_ptr_array_index(ctx->tuples, t);
    for (guint i = 0; cpu_policies[i]; i++)
      if (strcmp(p->key, cpu_policies[i]) == 0 && p->value)
        g_ptr_array_add(f->names[i], g_strdup(p->value));
  }
  for (guint i = 0; i < ctx->dict->len;) {
    CliPair *p = g_ptr_array_index(ctx->dict, i);
    int policy = -1;
    if (!p->value && strlen(p->key) > 1) {
      if (p->key[0] == '+')
        policy = 0;
      else if (p->key[0] == '-')
        policy = 3;
    }
    if (policy < 0) {
      i++;
      continue;
    }
    g_ptr_array_add(f->names[policy], g_strdup(p->key + 1));
    g_ptr_array_remove_index(ctx->dict, i);
    cli_dict_set(ctx, cpu_policies[policy], "");
  }
  return TRUE;
}

static gboolean
cpu_finish(CliCtx *ctx, GError **error)
{
  CpuFeatures *f = ctx->data;

  for (guint i = 0; cpu_policies[i]; i++) {
    for (guint n = 0; n < f->names[i]->len; n++) {
      const char *name = g_ptr_array_index(f->names[i], n);
      xmlNodePtr cpu = vmi_node_child(ctx->root, "cpu", TRUE);
      g_autoptr(GPtrArray) feats = vmi_node_children(cpu, "feature");
      xmlNodePtr feat = NULL;
      for (guint k = 0; k < feats->len && !feat; k++)
        if (vmi_node_is(g_ptr_array_index(feats, k), "@name", name))
          feat = g_ptr_array_index(feats, k);
      if (!feat) {
        feat = vmi_node_add(cpu, "feature");
        vmi_node_set(feat, "@policy", cpu_policies[i]);
        vmi_node_set(feat, "@name", name);
      } else {
        vmi_node_set(feat, "@policy", cpu_policies[i]);
      }
    }
  }
  ctx->req->cpu_set = TRUE;
  return TRUE;
}

static const CliSubopt cpu_rows[] = {
  { .name = "secure", .kind = CLI_ONOFF, .set = set_cpu_secure,
    .help = "add the host's CPU security mitigations to a named model (default on)" },
  { .name = "model", .kind = CLI_STR, .set = set_cpu_model,
    .help = "a CPU model, host-passthrough, host-model, host, default or none" },
  { .name = "model.fallback", .kind = CLI_STR, .path = "model/@fallback" },
  { .name = "model.vendor_id", .kind = CLI_STR, .path = "model/@vendor_id" },
  { .name = "vendor", .kind = CLI_STR, .path = "vendor" },
  { .name = "mode", .kind = CLI_STR, .path = "@mode",
    .help = "custom, host-model or host-passthrough" },
  { .name = "match", .kind = CLI_STR, .path = "@match", .help = "minimum, exact or strict" },
  { .name = "check", .kind = CLI_STR, .path = "@check" },
  { .name = "migratable", .kind = CLI_ONOFF, .path = "@migratable" },
  { .name = "topology.sockets", .kind = CLI_INT, .path = "topology/@sockets" },
  { .name = "topology.dies", .kind = CLI_INT, .path = "topology/@dies" },
  { .name = "topology.cores", .kind = CLI_INT, .path = "topology/@cores" },
  { .name = "topology.threads", .kind = CLI_INT, .path = "topology/@threads" },
  { .name = "cache.level", .kind = CLI_INT, .path = "cache/@level" },
  { .name = "cache.mode", .kind = CLI_STR, .path = "cache/@mode" },
  { .name = "force", .kind = CLI_NOSET, .help = "feature to force on (also +NAME)" },
  { .name = "require", .kind = CLI_NOSET, .help = "feature the host must have" },
  { .name = "optional", .kind = CLI_NOSET },
  { .name = "disable", .kind = CLI_NOSET, .help = "feature to turn off (also -NAME)" },
  { .name = "forbid", .kind = CLI_NOSET },
  { .name = "numa.cell[0-9]*.id", .aliases = "cell[0-9]*.id", .kind = CLI_INT,
    .path = "numa/cell[]/@id" },
  { .name = "numa.cell[0-9]*.cpus", .aliases = "cell[0-9]*.cpus", .kind = CLI_STR,
    .path = "numa/cell[]/@cpus", .flags = CLI_CAN_COMMA },
  { .name = "numa.cell[0-9]*.memory", .aliases = "cell[0-9]*.memory", .kind = CLI_INT,
    .path = "numa/cell[]/@memory" },
  { .name = "numa.cell[0-9]*.unit", .kind = CLI_STR, .path = "numa/cell[]/@unit" },
  { .name = "numa.cell[0-9]*.memAccess", .kind = CLI_STR, .path = "numa/cell[]/@memAccess" },
  { .name = "numa.cell[0-9]*.discard", .kind = CLI_YESNO, .path = "numa/cell[]/@discard" },
  { NULL }
};

const CliParser cli_cpu_parser = {
  .name = "cpu",
  .base = "cpu",
  .remove_first = (const char *const[]){ "model", NULL },
  .subopts = cpu_rows,
  .prepare = cpu_prepare,
  .finish = cpu_finish,
};

/* The feature lists live for one parse; the hooks get them as data. */
gboolean
cli_run_cpu(VmiRequest *req, const char *optstr, GError **error)
{
  CpuFeatures f;
  gboolean ok;

  for (guint i = 0; i < G_N_ELEMENTS(f.names); i++)
    f.names[i] = g_ptr_array_new_with_free_func(g_free);
  ok = cli_parser_run(&cli_cpu_parser, req, optstr, &f, error);
  for (guint i = 0; i < G_N_ELEMENTS(f.names); i++)
    g_ptr_array_free(f.names[i], TRUE);
  return ok;
}

/* ---- --boot ---- */

static const char *const boot_devices[] = { "hd", "cdrom", "fd", "network", NULL };

static gboolean
boot_prepare(CliCtx *ctx, GError **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < ctx->dict->len;) {
    CliPair *p = g_ptr_array_index(ctx->dict, i);
    if (!g_strv_contains(boot_devices, p->key)) {
      i++;
      continue;
    }
    g_ptr_array_add(order, g_strdup(p->key));
    g_ptr_array_remove_index(ctx->dict, i);
  }
  if (order->len) {
    xmlNodePtr os = vmi_node_child(ctx->root, "os", TRUE);
    g_autoptr(GPtrArray) old = vmi_node_children(os, "boot");
    for (guint i = 0; i < old->len; i++)
      vmi_node_remove(g_ptr_array_index(old, i));
    for (guint i = 0; i < order->len; i++)
      vmi_node_set(vmi_node_add(os, "boot"), "@dev", g_ptr_array_index(order, i));
  }
  /* A bare "uefi" is allowed. */
  CliPair *uefi = cli_dict_get(ctx, "uefi");
  if (uefi && !uefi->value)
    uefi->value = g_strdup("on");
  return TRUE;
}

static gboolean
set_boot_os_type(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiRequest *req = ctx->req;

  req->hvm = g_strcmp0(value, "hvm") == 0;
  req->paravirt = g_strcmp0(value, "xen") == 0;
  req->container = g_strcmp0(value, "exe") == 0;
  vmi_node_set(ctx->root, "os/type", value);
  return TRUE;
}

static gboolean
set_boot_req_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiRequest *req = ctx->req;
  char **field = strcmp(sub->name, "arch") == 0 ? &req->arch
               : strcmp(sub->name, "machine") == 0 ? &req->machine
               : &req->virt_type;

  g_free(*field);
  *field = g_strdup(value);
  return TRUE;
}

static gboolean
set_boot_uefi(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  /* The firmware is picked by defaults once arch and machine are known. */
  ctx->req->uefi = g_strcmp0(value, "off") != 0;
  return TRUE;
}

static gboolean
set_initargs(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  xmlNodePtr os = vmi_node_child(ctx->root, "os", TRUE);
  g_autoptr(GPtrArray) old = vmi_node_children(os, "initarg");
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) local = NULL;

  for (guint i = 0; i < old->len; i++)
    vmi_node_remove(g_ptr_array_index(old, i));
  if (!value)
    return TRUE;
  if (!g_shell_parse_argv(value, NULL, &argv, &local)) {
    if (g_error_matches(local, G_SHELL_ERROR, G_SHELL_ERROR_EMPTY_STRING))
      return TRUE;
    cli_set_invalid(ctx, ctx->cur, value, local->message, error);
    return FALSE;
  }
  for (guint i = 0; argv[i]; i++)
    vmi_node_set(vmi_node_add(os, "initarg"), ".", argv[i]);
  return TRUE;
}

/* zfs_bootfs=POOL/OBJSET (vminstall's): checked once the guest and its
 * media are known (vmi_solaris_plan_zfs_boot). */
static gboolean
set_boot_zfs_bootfs(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  if (!value) {
    cli_set_invalid(ctx, ctx->cur, value, "expected the root pool's POOL/OBJSET, e.g. rpool/57",
                    error);
    return FALSE;
  }
  g_free(ctx->req->install.zfs_bootfs);
  ctx->req->install.zfs_bootfs = g_strdup(value);
  return TRUE;
}

static const CliSubopt boot_rows[] = {
  { .name = "hd", .kind = CLI_NOSET,
    .help = "boot from the first hard disk (boot devices go in the order given)" },
  { .name = "cdrom", .kind = CLI_NOSET, .help = "boot from the CD-ROM" },
  { .name = "fd", .kind = CLI_NOSET, .help = "boot from the floppy" },
  { .name = "network", .kind = CLI_NOSET, .help = "boot from the network (PXE)" },
  { .name = "os_type", .kind = CLI_STR, .set = set_boot_os_type },
  { .name = "arch", .kind = CLI_STR, .set = set_boot_req_field },
  { .name = "machine", .kind = CLI_STR, .set = set_boot_req_field },
  { .name = "bootloader", .kind = CLI_STR, .path = "bootloader", .flags = CLI_FROM_ROOT },
  { .name = "bootloader_args", .kind = CLI_STR, .path = "bootloader_args", .flags = CLI_FROM_ROOT },
  { .name = "domain_type", .kind = CLI_STR, .set = set_boot_req_field },
  { .name = "emulator", .kind = CLI_STR, .path = "devices/emulator", .flags = CLI_FROM_ROOT },
  { .name = "uefi", .kind = CLI_ONOFF, .set = set_boot_uefi, .help = "boot with UEFI firmware" },
  { .name = "loader", .kind = CLI_STR, .path = "loader", .help = "firmware image path" },
  { .name = "loader.readonly", .aliases = "loader_ro", .kind = CLI_YESNO,
    .path = "loader/@readonly" },
  { .name = "loader.type", .aliases = "loader_type", .kind = CLI_STR, .path = "loader/@type" },
  { .name = "loader.secure", .aliases = "loader_secure", .kind = CLI_YESNO,
    .path = "loader/@secure" },
  { .name = "firmware", .kind = CLI_STR, .path = "@firmware",
    .help = "efi or bios: let libvirt pick the firmware" },
  { .name = "firmware.feature[0-9]*.enabled", .kind = CLI_YESNO,
    .path = "firmware/feature[]/@enabled" },
  { .name = "firmware.feature[0-9]*.name", .kind = CLI_STR, .path = "firmware/feature[]/@name" },
  { .name = "nvram", .kind = CLI_PATH, .path = "nvram", .help = "UEFI variable store path" },
  { .name = "nvram.template", .aliases = "nvram_template", .kind = CLI_STR,
    .path = "nvram/@template" },
  { .name = "boot[0-9]*.dev", .kind = CLI_STR, .path = "boot[]/@dev" },
  { .name = "bootmenu.enable", .aliases = "menu", .kind = CLI_YESNO, .path = "bootmenu/@enable",
    .help = "show the firmware boot menu (also menu=)" },
  { .name = "bootmenu.timeout", .kind = CLI_INT, .path = "bootmenu/@timeout" },
  { .name = "bios.useserial", .aliases = "useserial", .kind = CLI_YESNO,
    .path = "bios/@useserial" },
  { .name = "bios.rebootTimeout", .aliases = "rebootTimeout", .kind = CLI_INT,
    .path = "bios/@rebootTimeout" },
  { .name = "smbios.mode", .aliases = "smbios_mode", .kind = CLI_STR, .path = "smbios/@mode" },
  { .name = "kernel", .kind = CLI_PATH, .path = "kernel", .help = "kernel to boot directly" },
  { .name = "initrd", .kind = CLI_PATH, .path = "initrd", .help = "initrd for kernel=" },
  { .name = "cmdline", .aliases = "extra_args kernel_args", .kind = CLI_STR, .path = "cmdline",
    .flags = CLI_CAN_COMMA, .help = "kernel command line for kernel=" },
  { .name = "dtb", .kind = CLI_PATH, .path = "dtb" },
  { .name = "acpi.table", .kind = CLI_PATH, .path = "acpi/table" },
  { .name = "acpi.table.type", .kind = CLI_STR, .path = "acpi/table/@type" },
  { .name = "init", .kind = CLI_STR, .path = "init", .help = "container init program" },
  { .name = "initargs", .kind = CLI_STR, .set = set_initargs },
  { .name = "initarg[0-9]*", .kind = CLI_STR, .path = "initarg[]" },
  { .name = "initenv[0-9]*", .kind = CLI_STR, .path = "initenv[]" },
  { .name = "initenv[0-9]*.name", .kind = CLI_STR, .path = "initenv[]/@name" },
  { .name = "initdir", .kind = CLI_STR, .path = "initdir" },
  { .name = "inituser", .kind = CLI_STR, .path = "inituser" },
  { .name = "initgroup", .kind = CLI_STR, .path = "initgroup" },
  { .name = "zfs_bootfs", .kind = CLI_STR, .set = set_boot_zfs_bootfs,
    .help = "Solaris PV: after the install, boot the ZFS root POOL/OBJSET directly" },
  { NULL }
};

const CliParser cli_boot_parser = {
  .name = "boot",
  .base = "os",
  .subopts = boot_rows,
  .flags = CLI_STUB_NONE,
  .prepare = boot_prepare,
};

/* ---- --metadata ---- */

static const CliSubopt metadata_rows[] = {
  { .name = "name", .kind = CLI_STR, .path = "name", .flags = CLI_CAN_COMMA, .help = "guest name" },
  { .name = "title", .kind = CLI_STR, .path = "title", .flags = CLI_CAN_COMMA,
    .help = "short description" },
  { .name = "uuid", .kind = CLI_STR, .path = "uuid", .help = "guest UUID" },
  { .name = "genid", .kind = CLI_STR, .path = "genid" },
  { .name = "genid_enable", .kind = CLI_BOOL, .path = "genid" },
  { .name = "description", .kind = CLI_STR, .path = "description", .flags = CLI_CAN_COMMA,
    .help = "long description" },
  { NULL }
};

const CliParser cli_metadata_parser = {
  .name = "metadata",
  .subopts = metadata_rows,
  .flags = CLI_STUB_NONE,
};

/* ---- --features ---- */

static gboolean
set_feature_bool(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  gboolean on = g_strcmp0(value, "on") == 0;
  VmiRequest *req = ctx->req;

  cli_set_path(ctx, sub, sub->path, on ? "" : NULL);
  /* Absent means "off" and "unset" alike; the request tells them apart. */
  if (strcmp(sub->name, "acpi") == 0)
    req->no_acpi = value && !on;
  else if (strcmp(sub->name, "apic") == 0)
    req->no_apic = value && !on;
  else if (strcmp(sub->name, "pae") == 0)
    req->no_pae = value && !on;
  return TRUE;
}

static const CliSubopt features_rows[] = {
  { .name = "acpi", .kind = CLI_BOOL, .path = "acpi", .set = set_feature_bool,
    .help = "ACPI (on/off)" },
  { .name = "apic", .kind = CLI_BOOL, .path = "apic", .set = set_feature_bool,
    .help = "APIC (on/off)" },
  { .name = "pae", .kind = CLI_BOOL, .path = "pae", .set = set_feature_bool,
    .help = "PAE (on/off)" },
  { .name = "privnet", .kind = CLI_BOOL, .path = "privnet" },
  { .name = "hap", .kind = CLI_BOOL, .path = "hap" },
  { .name = "viridian", .kind = CLI_BOOL, .path = "viridian" },
  { .name = "apic.eoi", .aliases = "eoi", .kind = CLI_ONOFF, .path = "apic/@eoi" },
  { .name = "pmu.state", .aliases = "pmu", .kind = CLI_ONOFF, .path = "pmu/@state" },
  { .name = "hyperv.reset.state", .aliases = "hyperv_reset", .kind = CLI_ONOFF,
    .path = "hyperv/reset/@state" },
  { .name = "hyperv.vapic.state", .aliases = "hyperv_vapic", .kind = CLI_ONOFF,
    .path = "hyperv/vapic/@state" },
  { .name = "hyperv.relaxed.state", .aliases = "hyperv_relaxed", .kind = CLI_ONOFF,
    .path = "hyperv/relaxed/@state" },
  { .name = "hyperv.spinlocks.state", .aliases = "hyperv_spinlocks", .kind = CLI_ONOFF,
    .path = "hyperv/spinlocks/@state" },
  { .name = "hyperv.spinlocks.retries", .aliases = "hyperv_spinlocks_retries", .kind = CLI_INT,
    .path = "hyperv/spinlocks/@retries" },
  { .name = "hyperv.synic.state", .aliases = "hyperv_synic", .kind = CLI_ONOFF,
    .path = "hyperv/synic/@state" },
  { .name = "vmport.state", .aliases = "vmport", .kind = CLI_ONOFF, .path = "vmport/@state",
    .help = "VMware IO port (on/off)" },
  { .name = "kvm.hidden.state", .aliases = "kvm_hidden", .kind = CLI_ONOFF,
    .path = "kvm/hidden/@state" },
  { .name = "kvm.hint-dedicated.state", .kind = CLI_ONOFF, .path = "kvm/hint-dedicated/@state" },
  { .name = "kvm.poll-control.state", .kind = CLI_ONOFF, .path = "kvm/poll-control/@state" },
  { .name = "pvspinlock.state", .kind = CLI_ONOFF, .path = "pvspinlock/@state" },
  { .name = "gic.version", .aliases = "gic_version", .kind = CLI_STR, .path = "gic/@version" },
  { .name = "smm.state", .aliases = "smm", .kind = CLI_ONOFF, .path = "smm/@state",
    .help = "SMM (on/off)" },
  { .name = "vmcoreinfo.state", .aliases = "vmcoreinfo", .kind = CLI_ONOFF,
    .path = "vmcoreinfo/@state" },
  { .name = "ioapic.driver", .kind = CLI_STR, .path = "ioapic/@driver" },
  { NULL }
};

const CliParser cli_features_parser = {
  .name = "features",
  .base = "features",
  .subopts = features_rows,
  .flags = CLI_STUB_NONE,
};

/* ---- --clock ---- */

/* pit_tickpolicy=, hpet_present= ...: the timer named by the prefix. */
static gboolean
set_named_timer(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  const char *us = strchr(sub->name, '_');
  g_autofree char *tname = g_strndup(sub->name, (gsize)(us - sub->name));
  gboolean present = strcmp(us + 1, "present") == 0;
  xmlNodePtr clock = vmi_node_child(ctx->root, "clock", TRUE);
  g_autoptr(GPtrArray) timers = vmi_node_children(clock, "timer");
  xmlNodePtr timer = NULL;

  for (guint i = 0; i < timers->len && !timer; i++)
    if (vmi_node_is(g_ptr_array_index(timers, i), "@name", tname))
      timer = g_ptr_array_index(timers, i);
  if (!timer) {
    timer = vmi_node_add(clock, "timer");
    vmi_node_set(timer, "@name", tname);
  }
  if (present)
    vmi_node_set(timer, "@present", !value ? NULL : strcmp(value, "on") == 0 ? "yes" : "no");
  else
    vmi_node_set(timer, "@tickpolicy", value);
  return TRUE;
}

static gboolean
clock_prepare(CliCtx *ctx, GError **error)
{
  /* Never had an effect in libvirt; accepted and dropped like cli.py. */
  static const char *const noops[] = { "platform_tickpolicy", "hpet_tickpolicy", "tsc_tickpolicy",
                                       "kvmclock_tickpolicy", "hypervclock_tickpolicy", NULL };
  for (guint i = 0; noops[i]; i++)
    cli_pair_free(cli_dict_pop(ctx, noops[i]));
  return TRUE;
}

static const CliSubopt clock_rows[] = {
  { .name = "pit_tickpolicy", .kind = CLI_STR, .set = set_named_timer },
  { .name = "rtc_tickpolicy", .kind = CLI_STR, .set = set_named_timer },
  { .name = "platform_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "pit_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "rtc_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "hpet_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "tsc_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "kvmclock_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "hypervclock_present", .kind = CLI_YESNO, .set = set_named_timer },
  { .name = "offset", .kind = CLI_STR, .path = "@offset",
    .help = "utc, localtime, timezone or variable" },
  { .name = "timer[0-9]*.name", .kind = CLI_STR, .path = "timer[]/@name" },
  { .name = "timer[0-9]*.present", .kind = CLI_YESNO, .path = "timer[]/@present" },
  { .name = "timer[0-9]*.tickpolicy", .kind = CLI_STR, .path = "timer[]/@tickpolicy" },
  { .name = "timer[0-9]*.track", .kind = CLI_STR, .path = "timer[]/@track" },
  { .name = "timer[0-9]*.mode", .kind = CLI_STR, .path = "timer[]/@mode" },
  { .name = "timer[0-9]*.frequency", .kind = CLI_INT, .path = "timer[]/@frequency" },
  { .name = "timer[0-9]*.catchup.threshold", .kind = CLI_INT,
    .path = "timer[]/catchup/@threshold" },
  { .name = "timer[0-9]*.catchup.slew", .kind = CLI_INT, .path = "timer[]/catchup/@slew" },
  { .name = "timer[0-9]*.catchup.limit", .kind = CLI_INT, .path = "timer[]/catchup/@limit" },
  { NULL }
};

const CliParser cli_clock_parser = {
  .name = "clock",
  .base = "clock",
  .subopts = clock_rows,
  .flags = CLI_STUB_NONE,
  .prepare = clock_prepare,
};

/* ---- --pm ---- */

static const CliSubopt pm_rows[] = {
  { .name = "suspend_to_mem.enabled", .aliases = "suspend_to_mem", .kind = CLI_YESNO,
    .path = "suspend-to-mem/@enabled", .help = "allow suspend to RAM (on/off)" },
  { .name = "suspend_to_disk.enabled", .aliases = "suspend_to_disk", .kind = CLI_YESNO,
    .path = "suspend-to-disk/@enabled", .help = "allow suspend to disk (on/off)" },
  { NULL }
};

const CliParser cli_pm_parser = {
  .name = "pm",
  .base = "pm",
  .subopts = pm_rows,
  .flags = CLI_STUB_NONE,
};

/* ---- --events ---- */

static const CliSubopt events_rows[] = {
  { .name = "on_poweroff", .kind = CLI_STR, .path = "on_poweroff",
    .help = "destroy, restart, preserve, ..." },
  { .name = "on_reboot", .kind = CLI_STR, .path = "on_reboot",
    .help = "destroy, restart, preserve, ..." },
  { .name = "on_crash", .kind = CLI_STR, .path = "on_crash",
    .help = "destroy, restart, coredump-destroy, ..." },
  { .name = "on_lockfailure", .kind = CLI_STR, .path = "on_lockfailure" },
  { NULL }
};

const CliParser cli_events_parser = {
  .name = "events",
  .subopts = events_rows,
  .flags = CLI_STUB_NONE,
};
