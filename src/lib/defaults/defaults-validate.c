/*
 * Checks against what already exists on the connection: disks and MAC
 * addresses other guests use.  Each can be turned off with --check, as in
 * virt-install.
 */
#include <string.h>
#include <libxml/parser.h>
#include "defaults-private.h"

static gboolean
check_enabled(VmiDefaults *d, const char *name)
{
  const char *v = g_hash_table_lookup(d->req->check, name);
  if (!v)
    v = g_hash_table_lookup(d->req->check, "all");
  return !v || (g_ascii_strcasecmp(v, "off") != 0 && g_ascii_strcasecmp(v, "no") != 0 &&
                g_ascii_strcasecmp(v, "false") != 0 && strcmp(v, "0") != 0);
}

typedef struct {
  char *name;
  xmlDocPtr doc;
} OtherGuest;

static void
other_guest_free(gpointer p)
{
  OtherGuest *g = p;
  g_free(g->name);
  xmlFreeDoc(g->doc);
  g_free(g);
}

/* Inactive XML of every guest on the connection. */
static GPtrArray *
other_guests(VmiDefaults *d, GError **error)
{
  virConnectPtr c = vmi_conn_get(d->conn, error);
  virDomainPtr *doms = NULL;
  GPtrArray *ret;
  int n;

  if (!c)
    return NULL;
  n = virConnectListAllDomains(c, &doms, 0);
  ret = g_ptr_array_new_with_free_func(other_guest_free);
  for (int i = 0; i < n; i++) {
    char *xml = virDomainGetXMLDesc(doms[i], VIR_DOMAIN_XML_INACTIVE);
    if (xml) {
      OtherGuest *g = g_new0(OtherGuest, 1);
      g->name = g_strdup(virDomainGetName(doms[i]));
      g->doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                             XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
      free(xml);
      if (g->doc)
        g_ptr_array_add(ret, g);
      else
        other_guest_free(g);
    }
    virDomainFree(doms[i]);
  }
  free(doms);
  return ret;
}

static char *
disk_path(xmlNodePtr disk)
{
  static const char *const attrs[] = { "source/@file", "source/@dev", "source/@dir", "source/@name" };
  for (gsize i = 0; i < G_N_ELEMENTS(attrs); i++) {
    char *p = vmi_node_get(disk, attrs[i]);
    if (p)
      return p;
  }
  return NULL;
}

static const char *
disk_user(GPtrArray *others, const char *path, gboolean shareable, gboolean readonly)
{
  for (guint i = 0; i < others->len; i++) {
    OtherGuest *g = g_ptr_array_index(others, i);
    xmlNodePtr root = xmlDocGetRootElement(g->doc);
    if (!readonly && (vmi_node_is(root, "os/kernel", path) || vmi_node_is(root, "os/initrd", path)))
      return g->name;
    g_autoptr(GPtrArray) disks = vmi_node_children(vmi_node_child(root, "devices", FALSE), "disk");
    for (guint j = 0; j < disks->len; j++) {
      xmlNodePtr disk = g_ptr_array_index(disks, j);
      g_autofree char *p = disk_path(disk);
      if (g_strcmp0(p, path) != 0)
        continue;
      if (shareable && vmi_node_has(disk, "shareable"))
        continue;
      if (readonly && vmi_node_has(disk, "readonly"))
        continue;
      return g->name;
    }
  }
  return NULL;
}

static const char *
mac_user(GPtrArray *others, const char *mac)
{
  for (guint i = 0; i < others->len; i++) {
    OtherGuest *g = g_ptr_array_index(others, i);
    xmlNodePtr root = xmlDocGetRootElement(g->doc);
    g_autoptr(GPtrArray) nics = vmi_node_children(vmi_node_child(root, "devices", FALSE), "interface");
    for (guint j = 0; j < nics->len; j++) {
      g_autofree char *m = vmi_node_get(g_ptr_array_index(nics, j), "mac/@address");
      if (m && g_ascii_strcasecmp(m, mac) == 0)
        return g->name;
    }
  }
  return NULL;
}

gboolean
vmi_defaults_validate(VmiDefaults *d, GError **error)
{
  gboolean check_disks = check_enabled(d, "path_in_use");
  gboolean check_macs = check_enabled(d, "mac_in_use");
  g_autoptr(GPtrArray) others = NULL;

  if (!check_disks && !check_macs)
    return TRUE;
  others = other_guests(d, error);
  if (!others)
    return FALSE;

  if (check_disks) {
    g_autoptr(GPtrArray) disks = vmi_guest_devices(d->guest, "disk");
    for (guint i = 0; i < disks->len; i++) {
      xmlNodePtr disk = g_ptr_array_index(disks, i);
      g_autofree char *path = disk_path(disk);
      const char *user = path ? disk_user(others, path, vmi_node_has(disk, "shareable"),
                                          vmi_node_has(disk, "readonly"))
                              : NULL;
      if (user) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_CONFLICT,
                    "--disk: '%s' is already in use by guest '%s' "
                    "(use --check path_in_use=off to allow it)", path, user);
        return FALSE;
      }
    }
  }
  if (check_macs) {
    g_autoptr(GPtrArray) nics = vmi_guest_devices(d->guest, "interface");
    for (guint i = 0; i < nics->len; i++) {
      g_autofree char *mac = vmi_node_get(g_ptr_array_index(nics, i), "mac/@address");
      const char *user = mac ? mac_user(others, mac) : NULL;
      if (user) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_CONFLICT,
                    "--network: MAC address '%s' is already in use by guest '%s' "
                    "(use --check mac_in_use=off to allow it)", mac, user);
        return FALSE;
      }
    }
  }
  return TRUE;
}
