/*
 * virt-install's build_guest_instance in two parts (defaults.h): what runs
 * in which order matters, because later defaults read earlier ones.
 */
#include <string.h>
#include "defaults-private.h"

static gboolean
set_os(VmiDefaults *d, GError **error)
{
  const VmiOsSpec *spec = d->os_spec;
  VmiOs *os = NULL;

  if (spec->full_id)
    os = vmi_os_lookup_by_id(spec->full_id, error);
  else if (spec->name)
    os = vmi_os_lookup(spec->name, error);
  else {
    /* Media detection belongs to the media module; without it nothing is
     * detected, and the OS is required like in virt-install 4.1. */
    gboolean required = spec->require == 1 ||
                        (spec->require == -1 && vmi_guest_is_hvm(d->guest) &&
                         !g_getenv("VIRTINSTALL_OSINFO_DISABLE_REQUIRE"));
    if (required) {
      const char *media = d->req->install.cdrom ? d->req->install.cdrom
                                                : d->req->install.location;
      if (spec->require == 1)
        g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                    "--osinfo: an OS name is required (require=on) but none was detected "
                    "from '%s' (use --osinfo detect=on,name=NAME)", media ? media : "the install media");
      else if (media)
        g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                    "--osinfo: an OS name is required but none was given or detected from '%s' "
                    "(use --osinfo NAME, --osinfo detect=on,name=NAME or "
                    "--osinfo detect=on,require=off)", media);
      else
        g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                            "--osinfo: an OS name is required but none was given "
                            "(use --osinfo NAME, e.g. --osinfo linux2020, or "
                            "--osinfo detect=on,require=off)");
      return FALSE;
    }
    os = vmi_os_lookup("generic", error);
  }
  if (!os) {
    if (g_error_matches(*error, VMI_ERROR, VMI_ERROR_NOT_FOUND) && spec->name) {
      g_clear_error(error);
      g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                  "--osinfo: unknown OS '%s' (see --osinfo list for the accepted names)",
                  spec->name);
    }
    return FALSE;
  }
  d->os = os;
  return TRUE;
}

/* <metadata><libosinfo:libosinfo xmlns:libosinfo=...><libosinfo:os id=/> */
static void
set_os_metadata(VmiDefaults *d)
{
  const char *id = vmi_os_full_id(d->os);
  xmlNodePtr md, lo, osn;
  xmlNsPtr ns;

  if (!id)
    return;
  md = vmi_node_child(d->root, "metadata", TRUE);
  lo = xmlNewChild(md, NULL, (const xmlChar *)"libosinfo", NULL);
  ns = xmlNewNs(lo, (const xmlChar *)"http://libosinfo.org/xmlns/libvirt/domain/1.0",
                (const xmlChar *)"libosinfo");
  xmlSetNs(lo, ns);
  osn = xmlNewChild(lo, ns, (const xmlChar *)"os", NULL);
  xmlSetProp(osn, (const xmlChar *)"id", (const xmlChar *)id);
}

/* The install cdrom must be there: a typo would otherwise boot nothing. */
static gboolean
check_install_media(VmiDefaults *d, GError **error)
{
  const char *cdrom = d->req->install.cdrom;

  if (!cdrom || vmi_conn_path_exists(d->conn, cdrom))
    return TRUE;
  g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
              "--cdrom: cannot access '%s': No such file or directory", cdrom);
  return FALSE;
}

static gboolean
set_name(VmiDefaults *d, GError **error)
{
  g_autofree char *name = vmi_node_get(d->root, "name");
  g_autofree char *base = NULL;
  gboolean force_num = FALSE;

  if (name)
    return TRUE;

  base = g_strdup(vmi_os_short_id(d->os));
  if (g_str_has_suffix(base, "-unknown"))
    base[strlen(base) - strlen("-unknown")] = '\0';
  if (vmi_os_is_generic(d->os)) {
    force_num = TRUE;
    vmi_set_str(&base, vmi_guest_is_container(d->guest) ? "container" : "vm");
  }
  if (g_strcmp0(d->capsinfo->arch, vmi_caps_host_arch(d->caps)) != 0) {
    char *tmp = g_strdup_printf("%s-%s", base,
                                strcmp(d->capsinfo->arch, "armv7l") == 0 ? "arm" : d->capsinfo->arch);
    g_free(base);
    base = tmp;
    force_num = FALSE;
  }

  for (int i = force_num ? 1 : 0; i < 100000; i++) {
    g_autofree char *try = i == 0 ? g_strdup(base)
                           : g_strdup_printf("%s%s%d", base, force_num ? "" : "-",
                                             force_num ? i : i + 1);
    g_autoptr(GError) lookup_err = NULL;
    if (!vmi_conn_domain_name_exists(d->conn, try, &lookup_err)) {
      if (lookup_err) {
        g_propagate_error(error, g_steal_pointer(&lookup_err));
        return FALSE;
      }
      vmi_node_set(d->root, "name", try);
      vmi_d_notice(d, "Using default --name %s", try);
      return TRUE;
    }
  }
  g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "Could not generate a free name from '%s'", base);
  return FALSE;
}

static gboolean
memory_specified(VmiDefaults *d)
{
  return vmi_node_has(d->root, "memory") || vmi_node_has(d->root, "currentMemory");
}

static gboolean
storage_specified(VmiDefaults *d)
{
  return vmi_guest_is_container(d->guest) || d->req->no_disk ||
         vmi_guest_count_devices(d->guest, "disk") > 0;
}

/* Keeps <memory> at least <currentMemory>, as virt-install's setter does. */
static void
set_current_memory(VmiDefaults *d, gint64 kib)
{
  gint64 mem = vmi_node_get_int(d->root, "memory", -1);
  vmi_node_set_int(d->root, "currentMemory", kib);
  if (mem < kib)
    vmi_node_set_int(d->root, "memory", kib);
}

static gint64
topology_vcpus(VmiDefaults *d)
{
  gint64 total = 1;
  static const char *const keys[] = { "sockets", "dies", "cores", "threads" };

  for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
    g_autofree char *path = g_strdup_printf("cpu/topology/@%s", keys[i]);
    gint64 v = vmi_node_get_int(d->root, path, 0);
    total *= v > 0 ? v : 1;
  }
  return total;
}

/* <cpu><topology> and <vcpu> must agree; fill whichever is missing. */
gboolean
vmi_defaults_sync_vcpus(VmiDefaults *d, gint64 def_cpus, GError **error)
{
  gboolean has_topo = vmi_node_has(d->root, "cpu/topology");
  gint64 vcpus = vmi_node_get_int(d->root, "vcpu", 0);

  if (vcpus <= 0) {
    vcpus = has_topo ? topology_vcpus(d) : def_cpus;
    vmi_node_set_int(d->root, "vcpu", vcpus);
  }
  if (!has_topo)
    return TRUE;

  xmlNodePtr topo = vmi_node_child(d->root, "cpu/topology", FALSE);
  gint64 total = topology_vcpus(d);
  /* Prefer cores over sockets for the missing fields, as virt-install. */
  if (!vmi_node_has(topo, "@cores"))
    vmi_node_set_int(topo, "@cores", vcpus / total);
  total = topology_vcpus(d);
  if (!vmi_node_has(topo, "@sockets"))
    vmi_node_set_int(topo, "@sockets", vcpus / total);
  if (!vmi_node_has(topo, "@dies"))
    vmi_node_set_int(topo, "@dies", 1);
  total = topology_vcpus(d);
  if (!vmi_node_has(topo, "@threads"))
    vmi_node_set_int(topo, "@threads", vcpus / total);
  total = topology_vcpus(d);
  if (total != vcpus) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--vcpus: the topology (sockets=%" G_GINT64_FORMAT " * dies=%" G_GINT64_FORMAT
                " * cores=%" G_GINT64_FORMAT " * threads=%" G_GINT64_FORMAT " = %" G_GINT64_FORMAT
                ") does not match the vCPU count %" G_GINT64_FORMAT,
                vmi_node_get_int(topo, "@sockets", 1), vmi_node_get_int(topo, "@dies", 1),
                vmi_node_get_int(topo, "@cores", 1), vmi_node_get_int(topo, "@threads", 1),
                total, vcpus);
    return FALSE;
  }
  return TRUE;
}

static gboolean
set_cli_defaults(VmiDefaults *d, GError **error)
{
  const char *arch = d->capsinfo->arch;

  if (vmi_guest_is_container(d->guest)) {
    if (!memory_specified(d)) {
      vmi_d_notice(d, "Using container default --memory 1024");
      set_current_memory(d, 1024 * 1024);
    }
    return TRUE;
  }

  gint64 ram = vmi_os_recommended_ram(d->os, arch);
  gint64 ncpus = vmi_os_recommended_ncpus(d->os, arch);
  gint64 storage = vmi_os_recommended_storage(d->os, arch);

  if (ram > 0 && !memory_specified(d)) {
    vmi_d_notice(d, "Using %s default --memory %" G_GINT64_FORMAT,
                 vmi_os_short_id(d->os), ram / (1024 * 1024));
    set_current_memory(d, ram / 1024);
  }
  if (ncpus > 0 && !vmi_defaults_sync_vcpus(d, ncpus, error))
    return FALSE;
  if (storage > 0 && !storage_specified(d)) {
    xmlNodePtr disk = vmi_guest_add_device(d->guest, "disk");
    VmiDiskStorage *st = vmi_storage_list_add(d->storage, disk);
    gint64 gib = storage / ((gint64)1024 * 1024 * 1024);
    st->size_gib = (double)gib;
    vmi_d_notice(d, "Using %s default --disk size=%" G_GINT64_FORMAT,
                 vmi_os_short_id(d->os), gib);
  }
  return TRUE;
}

static gboolean
validate_required(VmiDefaults *d, GError **error)
{
  const VmiInstall *inst = &d->req->install;
  gboolean has_method = vmi_install_has_method(inst);

  if (!memory_specified(d)) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--memory: required (an amount of MiB, e.g. --memory 1024)");
    return FALSE;
  }
  if (!storage_specified(d)) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--disk: storage is required (accepted: --disk size=GiB, --disk PATH, "
                        "--disk vol=POOL/VOL, or --disk none)");
    return FALSE;
  }
  if (!vmi_guest_is_container(d->guest) && !has_method) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "no install method given (accepted: --cdrom, --location, --pxe, "
                        "--import, --install, --boot)");
    return FALSE;
  }
  return TRUE;
}

VmiDefaults *
vmi_defaults_begin(const VmiDefaultsInput *in, VmiConn *conn, GError **error)
{
  g_autoptr(VmiDefaults) d = g_new0(VmiDefaults, 1);
  g_autofree char *name = NULL;

  d->req = in->req;
  d->guest = in->guest;
  d->root = vmi_guest_root(in->guest);
  d->storage = in->storage;
  d->os_spec = in->os;
  d->check_name = in->check_name;
  d->conn = conn;
  d->driver = vmi_conn_driver(conn);
  d->notices = in->notices;
  d->uefi_requested = in->req->uefi;

  if (!vmi_defaults_caps(d, error) || !check_install_media(d, error) || !set_os(d, error))
    return NULL;

  name = vmi_node_get(d->root, "name");
  if (name && d->check_name) {
    g_autoptr(GError) lookup_err = NULL;
    if (vmi_conn_domain_name_exists(conn, name, &lookup_err)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_CONFLICT,
                  "--name: guest name '%s' is already in use (choose another name)", name);
      return NULL;
    }
  }
  if (!set_name(d, error) || !set_cli_defaults(d, error) || !vmi_defaults_disks(d, error))
    return NULL;
  return g_steal_pointer(&d);
}

gboolean
vmi_defaults_finish(VmiDefaults *d, VmiOs **out_os, GError **error)
{
  if (!vmi_defaults_guest(d, error) || !validate_required(d, error) ||
      !vmi_defaults_validate(d, error))
    return FALSE;
  set_os_metadata(d);
  *out_os = g_steal_pointer(&d->os);
  return TRUE;
}

void
vmi_defaults_free(VmiDefaults *d)
{
  if (!d)
    return;
  g_clear_pointer(&d->capsinfo, vmi_caps_guest_free);
  g_clear_pointer(&d->empty_domcaps, vmi_domcaps_free);
  g_clear_pointer(&d->os, vmi_os_free);
  g_free(d);
}
