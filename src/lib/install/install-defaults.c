/*
 * The defaults around the install media: virt-install's
 * build_guest_instance puts the install media into the guest (with the
 * post-install boot order) between the defaults of its disks and those of
 * every other device.
 */
#include "install-private.h"
#include "defaults.h"

gboolean
vmi_install_defaults(VmiInstaller *inst, GError **error)
{
  VmiDefaultsInput in = {
    .req = inst->req,
    .guest = inst->guest,
    .storage = inst->storage,
    .os = &inst->os_spec,
    .check_name = inst->mode != VMI_INSTALLER_PRINT,
    .notices = inst->notices,
  };
  g_autoptr(VmiDefaults) d = vmi_defaults_begin(&in, inst->conn, error);
  VmiPlanFacts facts = { .cdrom = inst->files.cdrom };

  if (!d)
    return FALSE;
  vmi_plan_prepare(inst->guest, &inst->req->install, &facts);
  return vmi_defaults_finish(d, &inst->os, error);
}
