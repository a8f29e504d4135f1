/*
 * The request: plain data describing what the user asked for.  The guest
 * part is a VmiGuest holding only what the user said; the install part
 * says how to boot the installer.  No I/O happens here.
 *
 * Written once, by the cli module (from a command line, or from the
 * options the public setters recorded), and only read after that: what
 * later steps derive belongs to the installer.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include "guest.h"
#include "vminstall/request.h"

G_BEGIN_DECLS

typedef enum {
  VMI_INSTALL_NONE = 0,   /* no install option given (import-like) */
  VMI_INSTALL_CDROM,      /* --cdrom */
  VMI_INSTALL_LOCATION,   /* --location */
  VMI_INSTALL_PXE,        /* --pxe or --install bootdev=network */
  VMI_INSTALL_IMPORT,     /* --import */
  VMI_INSTALL_KERNEL,     /* --install kernel=,initrd= (direct kernel boot) */
  VMI_INSTALL_BOOTDEV,    /* --install bootdev=X */
  VMI_INSTALL_NO_INSTALL, /* --install no_install=yes */
} VmiInstallMethod;

typedef enum {
  VMI_CONSOLE_DEFAULT = 0,
  VMI_CONSOLE_NONE,       /* --noautoconsole / --autoconsole none */
  VMI_CONSOLE_TEXT,
  VMI_CONSOLE_GRAPHICAL,
} VmiConsoleMode;

/* --cloud-init suboptions (virt-install's CloudInitData); file names as
 * given, read by the cloudinit module.  A bare --cloud-init means
 * root-password-generate=on,disable=on. */
typedef struct {
  int root_password_generate; /* -1 unset, 0 off, 1 on */
  int disable;                /* -1 unset, 0 off, 1 on */
  char *root_password_file;
  char *root_ssh_key;         /* root-ssh-key= (alias ssh-key=): a file */
  char *clouduser_ssh_key;    /* a file */
  char *user_data;            /* files used as they are */
  char *meta_data;
  char *network_config;
} VmiCloudInitOpts;

/* --unattended suboptions (virt-install's UnattendedData). */
typedef struct {
  char *profile;
  char *admin_password_file;
  char *user_login;
  char *user_password_file;
  char *product_key;
  char *reg_login;
} VmiUnattendedOpts;

typedef struct {
  VmiInstallMethod method;
  char *cdrom;            /* --cdrom PATH */
  char *location;         /* --location SRC */
  char *location_kernel;  /* --location SRC,kernel=REL */
  char *location_initrd;  /* --location SRC,initrd=REL */
  char *kernel;           /* --install kernel= */
  char *initrd;           /* --install initrd= */
  char *kernel_args;      /* --install kernel_args= (replaces generated args) */
  gboolean kernel_args_overwrite;
  char *bootdev;          /* --install bootdev=, --pxe => "network" */
  gboolean no_install;    /* --install no_install=yes, --import */
  GPtrArray *extra_args;  /* --extra-args, each a string, joined with ' ' */
  GPtrArray *initrd_inject; /* --initrd-inject paths (recorded) */
  gboolean transient;
  gboolean autostart;
  gboolean noreboot;
  gboolean wait_set;
  gint64 wait_minutes;    /* -1: forever; valid when wait_set */
  VmiConsoleMode console;
  gboolean destroy_on_exit;
  char *autocf;           /* --autocf: Solaris JumpStart/AI configuration */
  char *zfs_bootfs;       /* --boot zfs_bootfs=POOL/OBJSET (vminstall's): the
                           * installed Solaris ZFS root a Xen PV guest boots
                           * directly after the install (solaris.h) */
  char *install_os;       /* --install os=NAME: install tree from osinfo-db */
  char *unattended;       /* --unattended option string ("" when bare); NULL: not given */
  char *cloud_init;       /* --cloud-init option string ("" when bare); NULL: not given */
  VmiUnattendedOpts unattended_opts; /* parsed --unattended, when given */
  VmiCloudInitOpts cloud_init_opts;  /* parsed --cloud-init, when given */
} VmiInstall;

/* Storage to create or look up for one <disk> of the user's guest. */
typedef struct {
  xmlNodePtr disk;        /* the <disk> element in VmiRequest.guest */
  char *path;             /* path= as given (also set as the source) */
  char *pool;             /* pool= */
  char *vol;              /* vol=POOL/VOL */
  double size_gib;        /* size= in GiB; < 0 when not given */
  char *format;           /* format= (driver type) */
  char *backing_store;    /* backing_store= */
  char *backing_format;   /* backing_format= */
  int sparse;             /* sparse=: -1 unset, 0 no, 1 yes */
  /* Filled by defaults, in the installer's copy (vmi_storage_list_copy): */
  gboolean will_create;   /* the run must create this storage */
  char *create_pool;      /* pool to create it in (NULL: plain file) */
  char *create_name;      /* volume name in that pool */
  char *create_pool_dir;  /* set when that pool must be created first */
} VmiDiskStorage;

typedef struct {
  char *name;             /* short id, e.g. fedora36, win10, generic */
  char *full_id;          /* id=URL */
  gboolean detect;        /* detect=on */
  int require;            /* require=on/off: -1 unset */
  gboolean given;         /* any --osinfo was given */
} VmiOsSpec;

/* --cpu values that need the capabilities to resolve. */
typedef enum {
  VMI_CPU_PENDING_NONE = 0,
  VMI_CPU_PENDING_APP_DEFAULT,     /* --cpu default: the best mode domcaps offer */
  VMI_CPU_PENDING_HOST_MODEL_ONLY, /* --cpu host-model-only: caps' host model, custom */
} VmiCpuPending;

struct _VmiRequest {
  GPtrArray *options;     /* "--NAME=VALUE" (or "--NAME") recorded by the
                           * public setters, until the cli module reads them */
  gboolean parsed;        /* the fields below are set; nothing changes now */
  char *parse_error;      /* why reading @options failed (it is not retried) */

  VmiGuest *guest;        /* only what the user specified */
  GPtrArray *storage;     /* VmiDiskStorage*, one per --disk that names storage */
  VmiInstall install;
  VmiOsSpec os;

  char *connect_uri;      /* --connect; NULL: default */
  char *virt_type;        /* --virt-type */
  char *arch;             /* --arch */
  char *machine;          /* --machine */
  gboolean hvm;           /* --hvm */
  gboolean paravirt;      /* --paravirt */
  gboolean container;     /* --container */
  gboolean uefi;          /* --boot uefi */

  /* "none" values and explicit choices that suppress a default */
  gboolean no_graphics;   /* --graphics none */
  gboolean no_network;    /* --network none */
  gboolean no_sound;      /* --sound none */
  gboolean no_disk;       /* --disk none */
  gboolean no_console;    /* --console none */
  gboolean no_channel;    /* --channel none */
  gboolean no_rng;        /* --rng none */
  gboolean no_tpm;        /* --tpm none */
  gboolean no_memballoon; /* --memballoon none */
  gboolean no_input;      /* --input none */
  gboolean no_video;      /* --video none */
  gboolean no_redirdev;   /* --redirdev none */
  gboolean no_usb;        /* --controller usb,model=none (derived) */
  gboolean no_autoport_set;
  gboolean memory_set;    /* --memory given */
  gboolean vcpus_set;     /* --vcpus given */
  gboolean cpu_set;       /* --cpu given */
  VmiCpuPending cpu_pending;
  gboolean cpu_custom_model; /* --cpu MODEL: domcaps' security features go ahead
                              * of the <feature>s the user gave, unless cpu_insecure */
  gboolean cpu_insecure;  /* --cpu secure=off */
  gboolean no_acpi;       /* --features acpi=off (absent in XML, but not to default) */
  gboolean no_apic;       /* --features apic=off */
  gboolean no_pae;        /* --features pae=off */
  gboolean pcie_root_ports_set; /* --controller num_pcie_root_ports=N */
  int pcie_root_ports;

  GHashTable *check;      /* --check name=on|off */
};

/* Writing the request (the cli module, while it parses). */
VmiDiskStorage *vmi_request_add_storage(VmiRequest *req, xmlNodePtr disk);
/* The storage entry of @disk, or NULL. */
VmiDiskStorage *vmi_request_storage_for(const VmiRequest *req, xmlNodePtr disk);

/* A list of VmiDiskStorage that frees them. */
GPtrArray *vmi_storage_list_new(void);
/* Adds an entry for @disk (nothing given yet: no size, sparse unset). */
VmiDiskStorage *vmi_storage_list_add(GPtrArray *storage, xmlNodePtr disk);
/* The entry of @disk, or NULL. */
VmiDiskStorage *vmi_storage_list_find(GPtrArray *storage, xmlNodePtr disk);
/* A copy of @storage for @to, a copy of @from made by vmi_guest_copy
 * before either changed: each entry's disk is the element at the same
 * place in @to. */
GPtrArray *vmi_storage_list_copy(GPtrArray *storage, const VmiGuest *from, VmiGuest *to);

/* The boot device of the install phase: --install bootdev=, else cdrom
 * for --cdrom and network for --pxe; NULL for none. */
const char *vmi_install_bootdev(const VmiInstall *install);
/* The install boots a kernel from a tree: --location or --install
 * kernel=,initrd= (or --location's kernel=,initrd=). */
gboolean vmi_install_has_tree(const VmiInstall *install);
/* The request says how to install: install media or a boot device,
 * --import or no_install=yes, or hands-off data (--cloud-init,
 * --unattended). */
gboolean vmi_install_has_method(const VmiInstall *install);

/* --extra-args joined as virt-install does, or NULL. */
char *vmi_install_extra_args(const VmiInstall *install);

G_END_DECLS
