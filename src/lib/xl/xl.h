/*
 * Xen xl configurations (xl.cfg(5)) of a guest, written from the same
 * libvirt domain XML every other part of vminstall works on: one phase of
 * the install plan in, one xl file out.
 *
 * The guest is first checked against the rules a Xen toolstack applies
 * (the Ganeti Xen hypervisor's checks are the checklist: PV kernel and
 * root device, initrd, HVM boot order, NIC and disk types, VNC listen
 * address, cdrom image, disk naming scheme), then every value is written
 * quoted and escaped as xl's parser reads it back.  What xl cannot express
 * (a libvirt network, a control character in a name, a comma inside a vif
 * value) is refused with one line naming the value.
 */
#pragma once

#include <glib.h>
#include "guest.h"

G_BEGIN_DECLS

typedef struct {
  /* The phase boots an installer from its ramdisk: a PV kernel command
   * line then needs no root device. */
  gboolean installer;
  /* Kernel, ramdisk and cdrom images must exist on this host as regular
   * files (or symlinks to one), the way xl create will read them. */
  gboolean check_files;
  /* Kernel and ramdisk are the copies an install stages from media that
   * have no local file (an ISO, a URL): named as they will be, not checked. */
  gboolean boot_files_staged;
  /* Read the VNC password from this file (its first line) instead of the
   * graphics element's passwd; NULL: use passwd, if any. */
  const char *vnc_password_file;
} VmiXlOptions;

/* The xl configuration of @guest (a Xen PV or HVM domain), or NULL with
 * @error when a rule is broken or something cannot be represented.
 * @opts may be NULL (all off). */
char *vmi_xl_config(const VmiGuest *guest, const VmiXlOptions *opts, GError **error);

G_END_DECLS
