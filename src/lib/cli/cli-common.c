/*
 * Setters shared by several option tables: char-device sources, device
 * boot order and PCI address strings.
 */
#include <string.h>
#include "cli-private.h"

/* "host:port", ":port" (host 127.0.0.1) or "host", as virt-install's
 * _set_host_helper. */
gboolean
cli_set_friendly_host(CliCtx *ctx, xmlNodePtr source, const char *host_attr,
                      const char *port_attr, const char *value, GError **error)
{
  const char *colon = value ? strchr(value, ':') : NULL;
  g_autofree char *host = colon ? g_strndup(value, (gsize)(colon - value)) : g_strdup(value);
  const char *port = colon && colon[1] ? colon + 1 : NULL;
  gint64 service;

  if (host && !*host)
    g_clear_pointer(&host, g_free);
  if (port && !host)
    host = g_strdup("127.0.0.1");
  if (port && !cli_value_int(ctx, port, 0, "expected HOST:PORT with a numeric port",
                             &service, error))
    return FALSE;
  vmi_node_set(source, host_attr, host);
  if (port)
    vmi_node_set_int(source, port_attr, service);
  return TRUE;
}

/* The <source mode='@mode'> of a char device, created when missing
 * (virt-install's source[@mode='connect'] paths). */
xmlNodePtr
cli_char_source_mode(xmlNodePtr dev, const char *mode)
{
  g_autoptr(GPtrArray) sources = vmi_node_children(dev, "source");
  xmlNodePtr src;

  for (guint i = 0; i < sources->len; i++) {
    src = g_ptr_array_index(sources, i);
    if (vmi_node_is(src, "@mode", mode))
      return src;
  }
  /* virtinst writes the bind source's properties first, so a bind
   * source precedes a connect source. */
  if (strcmp(mode, "bind") == 0 && sources->len) {
    src = xmlNewDocNode(dev->doc, NULL, (const xmlChar *)"source", NULL);
    xmlAddPrevSibling(g_ptr_array_index(sources, 0), src);
  } else {
    src = vmi_node_add(dev, "source");
  }
  vmi_node_set(src, "@mode", mode);
  return src;
}

static int
compare_boot_order(gconstpointer a, gconstpointer b)
{
  gint64 oa = vmi_node_get_int(*(xmlNodePtr const *)a, "boot/@order", 0);
  gint64 ob = vmi_node_get_int(*(xmlNodePtr const *)b, "boot/@order", 0);
  return oa < ob ? -1 : oa > ob;
}

/* virt-install's Guest.reorder_boot_order: the device takes @value and
 * the devices holding a run of orders from there move up by one. */
gboolean
cli_set_boot_order(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  static const char *const bootable[] = { "disk", "interface", "hostdev", "redirdev", NULL };
  g_autoptr(GPtrArray) sorted = g_ptr_array_new();
  xmlNodePtr os = vmi_node_child(ctx->root, "os", FALSE);
  gint64 order, next = -1;

  if (!value) {
    vmi_node_set(ctx->node, "boot/@order", NULL);
    return TRUE;
  }
  if (!cli_value_int(ctx, value, 1, "expected a boot position of 1 or more", &order, error))
    return FALSE;

  /* Per-device order and <os><boot> exclude each other in libvirt. */
  if (os) {
    g_autoptr(GPtrArray) boots = vmi_node_children(os, "boot");
    for (guint i = 0; i < boots->len; i++)
      vmi_node_remove(g_ptr_array_index(boots, i));
  }

  for (guint t = 0; bootable[t]; t++) {
    g_autoptr(GPtrArray) devs = vmi_guest_devices(ctx->req->guest, bootable[t]);
    for (guint i = 0; i < devs->len; i++) {
      xmlNodePtr d = g_ptr_array_index(devs, i);
      if (d != ctx->node && vmi_node_has(d, "boot/@order"))
        g_ptr_array_add(sorted, d);
    }
  }
  g_ptr_array_sort(sorted, compare_boot_order);
  vmi_node_set_int(ctx->node, "boot/@order", order);

  for (guint i = 0; i < sorted->len; i++) {
    xmlNodePtr d = g_ptr_array_index(sorted, i);
    gint64 cur = vmi_node_get_int(d, "boot/@order", 0);
    if (cur == next || cur == order) {
      next = cur + 1;
      vmi_node_set_int(d, "boot/@order", next);
      continue;
    }
    if (next != -1)
      break;
  }
  return TRUE;
}

static gboolean
set_address_int(CliCtx *ctx, const char *attr, const char *text, GError **error)
{
  gint64 v;

  if (!cli_value_int(ctx, text, 0, "expected a PCI address such as 0000:00:10.0", &v, error))
    return FALSE;
  vmi_node_set_int(ctx->node, attr, v);
  return TRUE;
}

/* "[domain:]bus:slot.function" as virt-install's --controller address=;
 * the parts are integers there (int("03") is 3). */
gboolean
cli_set_pci_address(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  guint colons = 0;
  const char *dot, *last_colon;

  for (const char *c = value ? value : ""; *c; c++)
    colons += *c == ':';
  dot = value ? strchr(value, '.') : NULL;
  if (!dot || colons < 1 || colons > 2) {
    cli_set_invalid(ctx, ctx->cur, value,
                    "expected a PCI address such as 0000:00:10.0", error);
    return FALSE;
  }
  g_autofree char *head = g_strndup(value, (gsize)(dot - value));
  last_colon = strrchr(head, ':');
  if (!last_colon) {
    cli_set_invalid(ctx, ctx->cur, value,
                    "expected a PCI address such as 0000:00:10.0", error);
    return FALSE;
  }
  g_autofree char *bus_part = g_strndup(head, (gsize)(last_colon - head));

  vmi_node_set(ctx->node, "address/@type", "pci");
  if (!set_address_int(ctx, "address/@function", dot + 1, error) ||
      !set_address_int(ctx, "address/@slot", last_colon + 1, error))
    return FALSE;
  vmi_node_set(ctx->node, "address/@domain", "0");
  /* Like cli.py, the bus is only taken from a domain:bus prefix. */
  const char *c2 = strchr(bus_part, ':');
  if (c2) {
    g_autofree char *domain = g_strndup(bus_part, (gsize)(c2 - bus_part));
    if (!set_address_int(ctx, "address/@domain", domain, error) ||
        !set_address_int(ctx, "address/@bus", c2 + 1, error))
      return FALSE;
  }
  return TRUE;
}
