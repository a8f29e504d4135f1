/*
 * The install plan: a pure function from the guest (with its defaults)
 * and the install request to the configuration of the install phase and
 * the configuration left for every later boot.
 */
#pragma once

#include <glib.h>
#include "guest.h"
#include "request.h"
#include "osinfo.h"

G_BEGIN_DECLS

typedef struct {
  VmiGuest *install;  /* first boot; NULL when the install needs no second phase */
  VmiGuest *final;    /* what is defined for every later boot */
} VmiPlan;

void vmi_plan_clear(VmiPlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiPlan, vmi_plan_clear)

/* Media the install boots from, known once media have been looked at. */
typedef struct {
  const char *kernel;       /* staged kernel path for the install phase */
  const char *initrd;
  const char *kernel_args;  /* full command line for the install phase */
  const char *cdrom;        /* ISO to attach as install cdrom (--cdrom, ISO --location) */
  /* Hands-off installs (unattended.h): */
  const char *seed_cdrom;   /* path of the cloud-init seed or unattended script cdrom
                             * already in the guest: emptied for later boots */
  gboolean cloud_init;      /* --cloud-init: SMBIOS serial ds=nocloud for the first
                             * boot, and no default TPM on a UEFI guest's first boot */
  gboolean default_tpm;     /* the guest's TPM is a default, not from --tpm */
} VmiPlanMedia;

/* Install-time changes made to the guest before defaults are filled in
 * (virt-install's set_install_defaults): the install cdrom is inserted
 * ahead of other cdroms and the post-install boot order is set. */
void vmi_plan_prepare(VmiGuest *guest, const VmiInstall *install,
                      const VmiPlanMedia *media);

/* Does the install need a first boot that differs from later boots?
 * Always with --cloud-init and --unattended (virt-install's
 * requires_postboot_xml_changes). */
gboolean vmi_plan_has_install_phase(const VmiInstall *install);

/* Builds both phases from the fully defaulted @guest.  Never fails. */
void vmi_plan_build(const VmiGuest *guest, const VmiInstall *install,
                    const VmiPlanMedia *media, const VmiOs *os, VmiPlan *plan);

G_END_DECLS
