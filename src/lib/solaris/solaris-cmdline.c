/*
 * The PV kernel command line xVM synthesizes, "UNIX [-FLAGS] [- WORDS]
 * [-B name=value,...]", for ISO, NFS netinstall, JumpStart, AI and
 * bootable-AI installs and for post-install ZFS boots, from plain facts.
 */
#include <string.h>
#include "solaris-private.h"
#include "error-util.h"

static gboolean
is_mac(const char *s)
{
  if (strlen(s) != 17)
    return FALSE;
  for (int i = 0; i < 17; i++)
    if (i % 3 == 2 ? s[i] != ':' : !g_ascii_isxdigit(s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_ip(const char *what, const char *ip, GError **error)
{
  if (ip && !g_hostname_is_ip_address(ip))
    return vmi_fail_usage(error, "%s '%s' is not an IP address", what, ip);
  return TRUE;
}

static gboolean
check_path(const char *what, const char *path, GError **error)
{
  if (!g_path_is_absolute(path) || vmi_solaris_has_control(path)) {
    g_autofree char *shown = g_strescape(path, NULL);
    return vmi_fail_usage(error, "%s: the NFS path \"%s\" must be absolute, without control "
                          "characters", what, shown);
  }
  if (strchr(path, '\'') && strchr(path, '"'))
    return vmi_fail_usage(error, "%s: the NFS path '%s' holds both quote characters", what, path);
  return TRUE;
}

/* NFS netinstall properties of a Nevada install (xVM "Netinstalls"). */
static gboolean
netinstall_props(const VmiSolarisBootFacts *f, VmiSolarisBootArgs *a, GPtrArray *props,
                 GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media = NULL;
  const char *ip = f->location_ip;
  const char *mask = vmi_solaris_props_get(a->props, "subnet-mask");

  vmi_solaris_source_parse(f->location, FALSE, &host, &path);
  if (!ip && host && g_hostname_is_ip_address(host))
    ip = host;
  if (!ip)
    return vmi_fail_usage(error, "--location: the NFS server '%s' did not resolve to an IP address",
                          host ? host : "");
  if (!check_ip("--location: NFS server", ip, error) ||
      !check_path("--location", path, error))
    return FALSE;
  media = g_strdup_printf("%s:%s", ip, path);
  vmi_solaris_props_set(props, "install_media", media);
  if (f->guest_ip) {
    if (!check_ip("host-ip: the guest's address", f->guest_ip, error) ||
        !check_ip("router-ip: dom0's default route", f->router_ip, error))
      return FALSE;
    vmi_solaris_props_set(props, "host-ip", f->guest_ip);
    /* the user's subnet-mask (-x -B subnet-mask=) wins over dom0's */
    if (mask || f->subnet_mask) {
      if (!mask && !check_ip("subnet-mask", f->subnet_mask, error))
        return FALSE;
      vmi_solaris_props_set(props, "subnet-mask", mask ? mask : f->subnet_mask);
    }
    if (f->router_ip)
      vmi_solaris_props_set(props, "router-ip", f->router_ip);
  } else {
    /* the guest's name does not resolve on dom0: let the installer ask */
    vmi_solaris_words_add(a->words, "dhcp");
  }
  if (f->mac) {
    if (!is_mac(f->mac)) {
      g_autofree char *shown = g_strescape(f->mac, NULL);
      return vmi_fail_usage(error, "boot-mac: MAC address \"%s\" is not of the form "
                            "XX:XX:XX:XX:XX:XX", shown);
    }
    vmi_solaris_props_set(props, "boot-mac", f->mac);
  }
  return TRUE;
}

/* JumpStart (Nevada): sysid_config and install_config on an NFS host,
 * and the "install" word. */
static gboolean
jumpstart_props(const VmiSolarisBootFacts *f, VmiSolarisBootArgs *a, GPtrArray *props,
                GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *where = NULL;
  const char *ip = f->autocf_ip;

  if (vmi_solaris_source_parse(f->autocf, FALSE, &host, &path) != VMI_SOLARIS_SOURCE_NFS)
    return vmi_fail_usage(error, "--autocf '%s': a JumpStart configuration must be on an NFS "
                          "server (HOST:/PATH or nfs:HOST:/PATH)", f->autocf);
  if (!ip && g_hostname_is_ip_address(host))
    ip = host;
  if (!ip)
    return vmi_fail_usage(error, "--autocf: the NFS server '%s' did not resolve to an IP address",
                          host);
  if (!check_ip("--autocf: NFS server", ip, error) || !check_path("--autocf", path, error))
    return FALSE;
  where = g_strdup_printf("%s:%s", ip, path);
  vmi_solaris_props_set(props, "sysid_config", where);
  vmi_solaris_props_set(props, "install_config", where);
  vmi_solaris_words_add(a->words, "install");
  return TRUE;
}

static gboolean
install_props(const VmiSolarisBootFacts *f, VmiSolarisBootArgs *a, GPtrArray *props, GError **error)
{
  gboolean nevada = f->release == VMI_SOLARIS_NEVADA;

  if (f->source == VMI_SOLARIS_SOURCE_ISO)
    vmi_solaris_props_set(props, "install_media", "cdrom");

  if (nevada) {
    if (f->source == VMI_SOLARIS_SOURCE_NFS && !netinstall_props(f, a, props, error))
      return FALSE;
    if (f->source == VMI_SOLARIS_SOURCE_HTTP)
      return vmi_fail_usage(error, "--location '%s': Nevada installs over the network need an NFS "
                            "location (nfs:HOST:/PATH)", f->location);
    if (f->source == VMI_SOLARIS_SOURCE_DIR && !vmi_solaris_props_get(a->props, "install_media"))
      return vmi_fail_usage(error, "--location '%s': a PV Nevada install from a local directory "
                            "needs its media on NFS: give the directory of a mounted NFS export, "
                            "or -x '-B install_media=HOST:/PATH'", f->location);
    if (f->autocf && !jumpstart_props(f, a, props, error))
      return FALSE;
    if (f->nographics)
      vmi_solaris_words_add(a->words, "nowin");
    return TRUE;
  }

  /* OpenSolaris: the Automated Installer */
  if (f->source == VMI_SOLARIS_SOURCE_ISO) {
    /* bootable AI, even from the live ISO */
    vmi_solaris_props_set(props, "media_boot", "true");
    vmi_solaris_props_set(props, "auto-shutdown", "enable");
    vmi_solaris_props_set(props, "aimanifest", "default");
  } else {
    if (f->source == VMI_SOLARIS_SOURCE_HTTP)
      vmi_solaris_props_set(props, "install_media", f->location);
    vmi_solaris_props_set(props, "network-interface", "xnf0");
    vmi_solaris_props_set(props, "xpv-hcp", "dhcp");
    vmi_solaris_props_set(props, "livemode", "text");
  }
  if (f->autocf && !vmi_solaris_props_parse("--autocf", f->autocf, props, error))
    return FALSE;
  return TRUE;
}

static gboolean
zfs_props(const VmiSolarisBootFacts *f, GPtrArray *props, GError **error)
{
  gint64 num = vmi_solaris_vdev_number(f->root_vdev);
  g_autofree char *bootpath = NULL;

  for (const char *p = f->zfs_bootfs; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_-.:/", *p))
      return vmi_fail_usage(error, "zfs-bootfs: '%s' is not a pool/objset name", f->zfs_bootfs);
  if (!*f->zfs_bootfs || !strchr(f->zfs_bootfs, '/'))
    return vmi_fail_usage(error, "zfs-bootfs: '%s' is not a pool/objset name", f->zfs_bootfs);
  if (num < 0)
    return vmi_fail_usage(error, "bootpath: the root disk '%s' is not a Xen virtual disk name "
                          "(xvdX, sdX, hda to hdd)", f->root_vdev ? f->root_vdev : "");
  bootpath = g_strdup_printf("/xpvd/xdf@%" G_GINT64_FORMAT ":a", num);
  vmi_solaris_props_set(props, "zfs-bootfs", f->zfs_bootfs);
  vmi_solaris_props_set(props, "bootpath", bootpath);
  return TRUE;
}

char *
vmi_solaris_cmdline(const VmiSolarisBootFacts *f, GError **error)
{
  g_auto(VmiSolarisBootArgs) a = {
    g_string_new(NULL), g_ptr_array_new_with_free_func(g_free),
    g_ptr_array_new_with_free_func(vmi_solaris_prop_free),
  };
  g_autoptr(GPtrArray) props = g_ptr_array_new_with_free_func(vmi_solaris_prop_free);
  g_autoptr(GString) out = g_string_new(vmi_solaris_unix_path(f->use_64bit));

  if (f->release == VMI_SOLARIS_NONE && !f->zfs_bootfs) {
    vmi_fail_usage(error, "not a Solaris install");
    return NULL;
  }
  if (f->autocf && vmi_solaris_has_control(f->autocf)) {
    g_autofree char *shown = g_strescape(f->autocf, NULL);
    vmi_fail_usage(error, "--autocf: \"%s\" contains a control character", shown);
    return NULL;
  }
  if (!vmi_solaris_parse_extra_args(f->extra_args, &a, error))
    return NULL;
  if (f->zfs_bootfs) {
    if (!zfs_props(f, props, error))
      return NULL;
  } else if (!install_props(f, &a, props, error)) {
    return NULL;
  }
  /* -B options from -x merge in last: the user's word wins */
  for (guint i = 0; i < a.props->len; i++) {
    VmiSolarisProp *p = g_ptr_array_index(a.props, i);
    vmi_solaris_props_set(props, p->name, p->value);
  }

  if (a.flags->len)
    g_string_append_printf(out, " -%s", a.flags->str);
  if (a.words->len) {
    g_string_append(out, " -");
    for (guint i = 0; i < a.words->len; i++)
      g_string_append_printf(out, " %s", (const char *)g_ptr_array_index(a.words, i));
  }
  if (props->len) {
    g_string_append(out, " -B ");
    vmi_solaris_props_append(out, props);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

gboolean
vmi_solaris_check_pxe(const char *os_type, gboolean network_boot, GError **error)
{
  if (network_boot && vmi_os_type_is_xen_pv(os_type))
    return vmi_fail_usage(error, "--pxe: a Xen PV guest cannot boot from the network (PV has no "
                          "PXE ROM); use --location for a PV network install, or --hvm for PXE");
  return TRUE;
}
