/*
 * The top-level option table (--name, --disk, -x ...) and the argv
 * scanner, which follows argparse as virt-install configures it: long
 * options may be abbreviated, values come as "--opt value" or
 * "--opt=value", short options as "-n value", "-nvalue" or "-n=value",
 * and a value that looks like an option is not taken as a value.
 */
#pragma once

#include "cli-private.h"

/* Where an option's values are collected; options sharing a dest (like
 * --autoconsole and --noautoconsole) overwrite each other. */
typedef enum {
  CLI_D_CONNECT, CLI_D_NAME, CLI_D_MEMORY, CLI_D_OLDMEMORY, CLI_D_VCPUS, CLI_D_CPU,
  CLI_D_CPUSET, CLI_D_METADATA, CLI_D_UUID, CLI_D_DESCRIPTION,
  CLI_D_CDROM_SHORT, CLI_D_CDROM, CLI_D_LOCATION, CLI_D_PXE, CLI_D_IMPORT, CLI_D_LIVECD,
  CLI_D_EXTRA_ARGS, CLI_D_INITRD_INJECT, CLI_D_UNATTENDED, CLI_D_INSTALL, CLI_D_CLOUD_INIT,
  CLI_D_BOOT, CLI_D_INIT, CLI_D_OSINFO, CLI_D_OLD_OS_TYPE,
  CLI_D_DISK, CLI_D_NETWORK, CLI_D_GRAPHICS, CLI_D_CONTROLLER, CLI_D_INPUT, CLI_D_SERIAL,
  CLI_D_PARALLEL, CLI_D_CHANNEL, CLI_D_CONSOLE, CLI_D_SOUND, CLI_D_WATCHDOG, CLI_D_VIDEO,
  CLI_D_REDIRDEV, CLI_D_MEMBALLOON, CLI_D_TPM, CLI_D_RNG, CLI_D_PANIC, CLI_D_VSOCK,
  CLI_D_FILE, CLI_D_FILE_SIZE, CLI_D_NONSPARSE, CLI_D_NODISKS, CLI_D_NONETWORKS, CLI_D_BRIDGE,
  CLI_D_MAC, CLI_D_VNC, CLI_D_VNCPORT, CLI_D_VNCLISTEN, CLI_D_KEYMAP, CLI_D_SDL,
  CLI_D_NOGRAPHICS,
  CLI_D_FEATURES, CLI_D_CLOCK, CLI_D_PM, CLI_D_EVENTS,
  CLI_D_OS_TYPE, CLI_D_VIRT_TYPE, CLI_D_ARCH, CLI_D_MACHINE, CLI_D_ACCELERATE, CLI_D_NOAPIC,
  CLI_D_NOACPI,
  CLI_D_AUTOSTART, CLI_D_TRANSIENT, CLI_D_DESTROY_ON_EXIT, CLI_D_WAIT, CLI_D_AUTOCONSOLE,
  CLI_D_NOREBOOT, CLI_D_PRINT_XML, CLI_D_DRY_RUN, CLI_D_CHECK, CLI_D_FORCE, CLI_D_PROMPT,
  CLI_D_QUIET, CLI_D_DEBUG, CLI_D_HELP, CLI_D_VERSION,
  CLI_D_INSPECT_MEDIA, CLI_D_JSON, CLI_D_PRINT_XL, CLI_D_AUTOCF,
  CLI_D_MAX
} CliDest;

typedef enum {
  CLI_ARG_NONE,      /* a flag */
  CLI_ARG_ONE,       /* exactly one value */
  CLI_ARG_OPTIONAL,  /* a value if the next word is not an option */
} CliArity;

typedef enum {
  CLI_G_GENERAL, CLI_G_INSTALL, CLI_G_OS, CLI_G_DEVICE, CLI_G_GUEST, CLI_G_VIRT, CLI_G_MISC,
  CLI_G_MAX
} CliGroup;

typedef struct {
  const char *name;        /* long name without "--" */
  char short_name;         /* 0: none */
  CliArity arity;
  CliDest dest;
  gboolean append;         /* repeatable: every value is kept */
  const char *const_value; /* stored by flags and by optional values left out */
  const CliParser *parser; /* suboption table for `--opt help` */
  CliGroup group;
  const char *metavar;
  const char *help;        /* NULL: not listed by --help (compatibility) */
} CliOption;

typedef struct {
  GPtrArray *values[CLI_D_MAX];       /* char*, in command-line order */
  const CliOption *os_type_opt;       /* which of --hvm/--paravirt/--container */
  gboolean help;
  gboolean version;
} CliArgs;

extern const CliOption cli_options[];

void cli_args_init(CliArgs *args);
void cli_args_clear(CliArgs *args);
gboolean cli_args_scan(CliArgs *args, int argc, char **argv, GError **error);

/* "VERSION\n": a bare version line, which is what scripts parse out of
 * `virt-install --version`. */
char *cli_version_text(void);

/* The last value of @dest, or NULL. */
const char *cli_args_last(const CliArgs *args, CliDest dest);
GPtrArray *cli_args_list(const CliArgs *args, CliDest dest);
