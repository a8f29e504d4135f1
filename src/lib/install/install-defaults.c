/*
 * The defaults around the install media: virt-install's
 * build_guest_instance puts the install media into the guest (with the
 * post-install boot order) between the defaults of its disks and those of
 * every other device.
 */
#include "install.h"
#include "defaults.h"

gboolean
vmi_install_defaults(VmiRequest *req, VmiConn *conn, VmiOs **out_os, GPtrArray *notices,
                     GError **error)
{
  VmiDefaultsInput in = {
    .req = req,
    .guest = req->guest,
    .storage = req->storage,
    .os = &req->os,
    .check_name = req->print == VMI_PRINT_NONE,
    .notices = notices,
  };
  g_autoptr(VmiDefaults) d = vmi_defaults_begin(&in, conn, error);
  VmiPlanMedia media = { 0 };

  if (!d)
    return FALSE;
  vmi_plan_prepare(req->guest, &req->install, &media);
  return vmi_defaults_finish(d, out_os, error);
}
