#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include "guest.h"
#include "xmlnode.h"
#include "vminstall/error.h"

struct _VmiGuest {
  xmlDocPtr doc;
};

const char *const vmi_device_types[] = {
  "disk", "controller", "filesystem", "interface", "smartcard", "serial",
  "parallel", "console", "channel", "input", "tpm", "graphics", "sound",
  "audio", "video", "hostdev", "redirdev", "watchdog", "memballoon", "rng",
  "panic", "shmem", "memory", "vsock", "iommu", NULL
};

static VmiGuest *
guest_wrap(xmlDocPtr doc)
{
  VmiGuest *guest = g_new0(VmiGuest, 1);
  guest->doc = doc;
  return guest;
}

VmiGuest *
vmi_guest_new(void)
{
  xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
  xmlDocSetRootElement(doc, xmlNewDocNode(doc, NULL, (const xmlChar *)"domain", NULL));
  return guest_wrap(doc);
}

VmiGuest *
vmi_guest_new_from_xml(const char *xml, GError **error)
{
  xmlDocPtr doc = xmlReadMemory(xml, strlen(xml), "domain.xml", NULL,
                                XML_PARSE_NONET | XML_PARSE_NOBLANKS |
                                XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;

  if (!root || strcmp((const char *)root->name, "domain") != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "Not a libvirt domain XML document");
    if (doc)
      xmlFreeDoc(doc);
    return NULL;
  }
  return guest_wrap(doc);
}

VmiGuest *
vmi_guest_copy(const VmiGuest *guest)
{
  VmiGuest *copy = guest_wrap(xmlCopyDoc(guest->doc, 1));
  copy->doc->_private = NULL;
  return copy;
}

void
vmi_guest_free(VmiGuest *guest)
{
  if (!guest)
    return;
  xmlFreeDoc(guest->doc);
  g_free(guest);
}

xmlNodePtr
vmi_guest_root(const VmiGuest *guest)
{
  return xmlDocGetRootElement(guest->doc);
}

char *
vmi_guest_get(const VmiGuest *guest, const char *path)
{
  return vmi_node_get(vmi_guest_root(guest), path);
}

void
vmi_guest_set(VmiGuest *guest, const char *path, const char *value)
{
  vmi_node_set(vmi_guest_root(guest), path, value);
}

static xmlNodePtr
devices_node(const VmiGuest *guest, gboolean create)
{
  return vmi_node_child(vmi_guest_root(guest), "devices", create);
}

static int
device_rank(const char *type)
{
  for (int i = 0; vmi_device_types[i]; i++)
    if (strcmp(vmi_device_types[i], type) == 0)
      return i;
  return G_MAXINT;
}

xmlNodePtr
vmi_guest_add_device(VmiGuest *guest, const char *type)
{
  return vmi_node_add(devices_node(guest, TRUE), type);
}

xmlNodePtr
vmi_guest_insert_device_before(VmiGuest *guest, xmlNodePtr before, const char *type)
{
  xmlNodePtr node = xmlNewDocNode(guest->doc, NULL, (const xmlChar *)type, NULL);
  return xmlAddPrevSibling(before, node);
}

GPtrArray *
vmi_guest_devices(const VmiGuest *guest, const char *type)
{
  GPtrArray *ret = vmi_node_children(devices_node(guest, FALSE), type);

  if (!type) {
    /* Emulator is a <devices> child but not a device. */
    for (guint i = ret->len; i > 0; i--) {
      xmlNodePtr n = g_ptr_array_index(ret, i - 1);
      if (device_rank((const char *)n->name) == G_MAXINT)
        g_ptr_array_remove_index(ret, i - 1);
    }
  }
  return ret;
}

xmlNodePtr
vmi_guest_first_hard_disk(const VmiGuest *guest)
{
  g_autoptr(GPtrArray) disks = vmi_guest_devices(guest, "disk");

  for (guint i = 0; i < disks->len; i++) {
    xmlNodePtr d = g_ptr_array_index(disks, i);
    g_autofree char *device = vmi_node_get(d, "@device");
    if (!device || strcmp(device, "disk") == 0)
      return d;
  }
  return NULL;
}

guint
vmi_guest_count_devices(const VmiGuest *guest, const char *type)
{
  g_autoptr(GPtrArray) devs = vmi_guest_devices(guest, type);
  return devs->len;
}

char *
vmi_guest_to_xml(const VmiGuest *guest)
{
  xmlBufferPtr buf = xmlBufferCreate();
  xmlSaveCtxtPtr ctxt = xmlSaveToBuffer(buf, "UTF-8",
                                        XML_SAVE_FORMAT | XML_SAVE_NO_DECL);
  char *ret;

  xmlSaveTree(ctxt, vmi_guest_root(guest));
  xmlSaveClose(ctxt);
  ret = g_strdup_printf("%s\n", (const char *)xmlBufferContent(buf));
  xmlBufferFree(buf);
  return ret;
}

void
vmi_guest_set_append_mode(VmiGuest *guest, gboolean append)
{
  vmi_doc_set_append_mode(guest->doc, append);
}
