/*
 * The install module's interface inside the library: the public installer
 * (vminstall/installer.h), what it prepared (for the run module's tests),
 * and the Solaris steps tested on their own.
 */
#pragma once

#include <glib.h>
#include "media.h"
#include "osinfo.h"
#include "plan.h"
#include "request.h"
#include "solaris.h"
#include "vminstall/installer.h"

G_BEGIN_DECLS

/* What vmi_installer_prepare made, borrowed from @inst. */
const VmiRequest *vmi_installer_request(const VmiInstaller *inst);
const VmiGuest *vmi_installer_guest(const VmiInstaller *inst);
GPtrArray *vmi_installer_storage(VmiInstaller *inst);
const VmiPlan *vmi_installer_plan(const VmiInstaller *inst);
VmiStaged *vmi_installer_staged(VmiInstaller *inst);
const VmiOs *vmi_installer_os(const VmiInstaller *inst);

/* ---- Solaris (install-solaris.c) ---- */

/* After vmi_media_kernel_args: for Solaris media (layout "solaris-*")
 * replaces *@kernel_args with the synthesized command line of @guest
 * (name, MAC), @req (--nographics, -x, --autocf) and the host's facts. */
gboolean vmi_install_solaris_kernel_args(const VmiRequest *req, const VmiGuest *guest,
                                         const VmiBootFiles *files, char **kernel_args,
                                         GError **error);

/* What the post-install phase of @guest (the defaulted guest) boots for
 * @req's --boot zfs_bootfs= (vmi_solaris_zfs_boot): *@out stays empty
 * without it.  The guest must be Solaris: media of a Solaris layout in
 * @files, or an OS of osinfo-db's solaris family.  The width is the install
 * phase's (its kernel) when it booted Solaris media, else the 32/64-bit
 * rule for the guest's memory and @host_64bit. */
gboolean vmi_install_solaris_zfs_boot(const VmiRequest *req, const VmiGuest *guest,
                                      const VmiBootFiles *files, const VmiOs *os,
                                      gboolean host_64bit, VmiSolarisDirectBoot *out,
                                      GError **error);

G_END_DECLS
