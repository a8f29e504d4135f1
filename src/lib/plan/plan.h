/*
 * The install plan: a pure function from the guest (with its defaults),
 * the install request and the facts the other steps found to the
 * configuration of the install phase and the configuration left for
 * every later boot.  Every rule that shapes the two phases is here; what
 * a rule needs from the media, the OS, the hands-off data, Solaris or the
 * host arrives as data in VmiPlanFacts.  The rules are tested as
 * input/expected file pairs in tests/data/plan.
 */
#pragma once

#include <glib.h>
#include "guest.h"
#include "request.h"

G_BEGIN_DECLS

typedef struct {
  VmiGuest *install;  /* first boot; NULL when the install needs no second phase */
  VmiGuest *final;    /* what is defined for every later boot */
} VmiPlan;

void vmi_plan_clear(VmiPlan *plan);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiPlan, vmi_plan_clear)

/* What the plan needs to know besides the guest and the request; zero
 * (or NULL) where a step found nothing. */
typedef struct {
  /* The media the install phase boots. */
  const char *kernel;       /* staged kernel path */
  const char *initrd;
  const char *kernel_args;  /* its full command line */
  const char *cdrom;        /* an ISO --location, attached as the install cdrom
                             * (--cdrom is the request's) */
  /* Hands-off installs. */
  const char *seed_cdrom;   /* the cloud-init seed or unattended script cdrom
                             * already in the guest: emptied for later boots */
  gboolean cloud_init;      /* --cloud-init: SMBIOS serial ds=nocloud for the first
                             * boot, and no default TPM on a UEFI guest's first boot */
  gboolean default_tpm;     /* the guest's TPM is a default, not from --tpm */
  /* The OS. */
  gboolean windows;         /* Windows reboots through its install from the same
                             * media: the install cdrom stays in */
  /* The media's network install. */
  gint64 install_memory_kib; /* > 0: the install phase's memory (it fetches the
                              * OS over the network, virt-install's
                              * _alter_install_resources) */
  /* Every later boot straight into the installed system's kernel (a Solaris
   * ZFS root, --boot zfs_bootfs=): all three, or none. */
  const char *final_kernel;
  const char *final_initrd;
  const char *final_cmdline;
} VmiPlanFacts;

/* Install-time changes made to the guest before the defaults of its
 * devices (virt-install's set_install_defaults): the install cdrom is
 * inserted ahead of other cdroms and the post-install boot order is set.
 * @facts may be NULL. */
void vmi_plan_prepare(VmiGuest *guest, const VmiInstall *install, const VmiPlanFacts *facts);

/* Does the install need a first boot that differs from later boots?
 * Always with --cloud-init and --unattended (virt-install's
 * requires_postboot_xml_changes). */
gboolean vmi_plan_has_install_phase(const VmiInstall *install);

/* Builds both phases from the fully defaulted @guest; @facts may be
 * NULL.  Never fails. */
void vmi_plan_build(const VmiGuest *guest, const VmiInstall *install, const VmiPlanFacts *facts,
                    VmiPlan *plan);

G_END_DECLS
