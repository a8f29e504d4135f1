#include <string.h>
#include "xml-order.h"

/* One row per parent element: its children in output order.  The orders
 * follow libvirt's domain schema as virt-install writes new documents. */
typedef struct {
  const char *parent;
  const char *const *children;
} OrderRow;

#define ROW(p, ...) { p, (const char *const[]){ __VA_ARGS__, NULL } }

static const OrderRow order_rows[] = {
  ROW("domain", "name", "uuid", "genid", "title", "description", "metadata",
      "iothreads", "iothreadids", "defaultiothread", "maxMemory", "memory",
      "currentMemory", "blkiotune", "memtune", "memoryBacking", "vcpu",
      "vcpus", "numatune", "resource", "sysinfo", "bootloader",
      "bootloader_args", "os", "idmap", "features", "cpu", "clock",
      "on_poweroff", "on_reboot", "on_crash", "on_lockfailure", "pm",
      "devices", "launchSecurity", "seclabel", "keywrap"),
  ROW("os", "type", "firmware", "loader", "nvram", "init", "initarg",
      "initenv", "initdir", "inituser", "initgroup", "kernel", "initrd",
      "cmdline", "dtb", "acpi", "boot", "bootmenu", "bios", "smbios"),
  ROW("features", "acpi", "apic", "pae", "gic"),
  ROW("devices", "emulator", "disk", "controller", "filesystem", "interface",
      "smartcard", "serial", "parallel", "console", "channel", "input",
      "tpm", "graphics", "sound", "audio", "video", "hostdev", "redirdev",
      "watchdog", "memballoon", "rng", "panic", "shmem", "memory", "vsock",
      "iommu"),
  /* virtinst writes a device's alias and address right after its ordered
   * properties, then the others in the order --disk sets them, and <boot>
   * after everything. */
  ROW("disk", "driver", "source", "auth", "backingStore", "target", "alias",
      "address", "serial", "wwn", "readonly", "shareable", "transient", "iotune",
      "blockio", "geometry", "boot"),
  ROW("interface", "source", "mac", "target", "model", "virtualport",
      "filterref", "rom", "mtu", "alias", "address", "link", "driver", "boot"),
  ROW("graphics", "gl", "image", "streaming", "clipboard", "mouse",
      "filetransfer", "zlib", "listen"),
  ROW("serial", "source", "protocol", "log", "target"),
  ROW("console", "source", "protocol", "log", "target"),
  ROW("channel", "source", "protocol", "log", "target"),
  ROW("parallel", "source", "protocol", "log", "target"),
  ROW("cpu", "model", "vendor", "topology", "cache", "feature", "numa"),
  ROW("rng", "backend", "rate"),
  ROW("tpm", "backend"),
  ROW("sysinfo", "bios", "system"),
};

int
vmi_xml_child_rank(const char *parent, const char *child)
{
  for (gsize i = 0; i < G_N_ELEMENTS(order_rows); i++) {
    if (strcmp(order_rows[i].parent, parent) != 0)
      continue;
    for (int r = 0; order_rows[i].children[r]; r++)
      if (strcmp(order_rows[i].children[r], child) == 0)
        return r;
    return -1;
  }
  return -1;
}
