/*
 * Internals of the cli module: the suboption engine and the tables.
 *
 * Every complex option (--disk, --network, --boot ...) is one CliParser: a
 * table of CliSubopt rows, in the order virt-install applies them (its
 * cli.py add_arg order), plus optional hooks for the few rewrites cli.py
 * makes before or after the table.  Parsing, `--opt help` and the
 * unknown-suboption message all read the same rows.
 */
#pragma once

#include <glib.h>
#include <libxml/tree.h>
#include "cli.h"
#include "request.h"
#include "xmlnode.h"
#include "error-util.h"

typedef struct _CliCtx CliCtx;
typedef struct _CliSubopt CliSubopt;
typedef struct _CliParser CliParser;

/* How a value reaches the XML. */
typedef enum {
  CLI_STR,    /* as given */
  CLI_INT,    /* an integer (0x... allowed), written in decimal */
  CLI_YESNO,  /* on/off on the command line, yes/no in the XML */
  CLI_ONOFF,  /* on/off on the command line, on/off in the XML */
  CLI_BOOL,   /* on/off on the command line, element present or absent */
  CLI_PATH,   /* made absolute, like os.path.abspath */
  CLI_NOSET,  /* listed and accepted; the parser's hooks consume it */
} CliKind;

enum {
  /* The value runs on over commas until the next known suboption
   * (cmdline=a,b,c); virt-install's can_comma. */
  CLI_CAN_COMMA = 1 << 0,
  /* "default" leaves the value unset. */
  CLI_IGNORE_DEFAULT = 1 << 1,
  /* The path is relative to <domain>, not to the parser's base. */
  CLI_FROM_ROOT = 1 << 2,
  /* Not listed by `--opt help` (compatibility spellings). */
  CLI_HIDDEN = 1 << 3,
};

/* Setter for rows that need logic.  @value is NULL for an empty value
 * ("key="), "on"/"off" for YESNO/ONOFF/BOOL rows, otherwise as given. */
typedef gboolean (*CliSetFunc)(CliCtx *ctx, const CliSubopt *sub,
                               const char *value, GError **error);

struct _CliSubopt {
  const char *name;     /* "target.bus"; "[0-9]*" marks an index: timer[0-9]*.name */
  const char *aliases;  /* space-separated other spellings, or NULL */
  CliKind kind;
  /* XML path below the target node, vmi_node_set syntax; a segment
   * written "elem[]" is the N-th <elem> child, N from the index. */
  const char *path;
  guint flags;
  CliSetFunc set;       /* instead of @path */
  const char *const *accepted; /* closed set of values, or NULL */
  const char *expect;   /* "a number of GiB": used in invalid-value messages */
  const char *help;
};

enum {
  /* `--opt none` does nothing (virt-install's stub_none). */
  CLI_STUB_NONE = 1 << 0,
};

struct _CliParser {
  const char *name;                 /* "disk" for --disk */
  const char *device;               /* <devices> child to add, or NULL */
  const char *base;                 /* path below <domain> for domain parsers */
  const char *const *remove_first;  /* names of the leading bare values */
  const CliSubopt *subopts;         /* ends with a row whose name is NULL */
  guint flags;
  /* Before the table: rewrites of the suboption dictionary.  Setting
   * ctx->done stops the parse (e.g. "none"). */
  gboolean (*prepare)(CliCtx *ctx, GError **error);
  /* After the table. */
  gboolean (*finish)(CliCtx *ctx, GError **error);
};

/* One key=value of the option string, in virt-install's OrderedDict. */
typedef struct {
  char *key;          /* current (canonical after rewrites) name */
  char *user_key;     /* as typed, for messages; NULL when positional */
  char *value;        /* NULL: given without '=' */
  gboolean used;
} CliPair;

struct _CliCtx {
  VmiRequest *req;
  const CliParser *parser;
  const char *optstr;
  xmlNodePtr root;        /* <domain> */
  xmlNodePtr node;        /* device element, or <domain> */
  GPtrArray *dict;        /* CliPair*, in order */
  GPtrArray *tuples;      /* CliPair* as split, before dictionary merging */
  const CliPair *cur;     /* the pair being applied */
  guint index;            /* its [0-9]* index */
  gpointer data;          /* parser-specific state */
  gboolean done;
};

/* ---- engine (cli-subopt.c) ---- */

/* Splits, maps and applies @optstr with @parser.  @data reaches the
 * hooks and setters as ctx->data. */
gboolean cli_parser_run(const CliParser *parser, VmiRequest *req,
                        const char *optstr, gpointer data, GError **error);

/* `--opt help` text for @parser. */
char *cli_parser_help(const CliParser *parser);

CliPair *cli_dict_get(CliCtx *ctx, const char *key);
/* Removes @key and returns its pair (owned by the caller), or NULL. */
CliPair *cli_dict_pop(CliCtx *ctx, const char *key);
/* Sets @key, keeping its place when present (OrderedDict semantics). */
CliPair *cli_dict_set(CliCtx *ctx, const char *key, const char *value);
/* Renames @from to @to (removing any @to), as cli.py's pop-and-set. */
void cli_dict_rename(CliCtx *ctx, const char *from, const char *to);
void cli_pair_free(CliPair *pair);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CliPair, cli_pair_free)

/* "--disk size" (or "--disk" for a positional value) for messages. */
char *cli_label(const CliCtx *ctx, const CliPair *pair);
void cli_set_invalid(CliCtx *ctx, const CliPair *pair, const char *value,
                     const char *what, GError **error);

/* Value helpers; on failure they set an "invalid value" error naming
 * ctx->cur. */
gboolean cli_parse_onoff(const char *value, gboolean *out);
gboolean cli_parse_int(const char *value, gint64 *out);
gboolean cli_value_int(CliCtx *ctx, const char *value, gint64 min,
                       const char *expect, gint64 *out, GError **error);

/* The element a row's path leads to (the N-th list element included),
 * with the rest of the path in @rest (to free); NULL when absent and
 * !@create. */
xmlNodePtr cli_target(CliCtx *ctx, const CliSubopt *sub, const char *path,
                      gboolean create, char **rest);
/* Sets @value at @path of the row's target (NULL removes). */
void cli_set_path(CliCtx *ctx, const CliSubopt *sub, const char *path,
                  const char *value);

/* The option flag: "--disk" for "disk", "--cloud-init" for "cloud_init". */
char *cli_flag(const char *name);

/* ---- shared setters (cli-common.c) ---- */

/* virt-install's "host:port" helpers of char sources. */
gboolean cli_set_friendly_host(CliCtx *ctx, xmlNodePtr source, const char *host_attr,
                               const char *port_attr, const char *value, GError **error);
xmlNodePtr cli_char_source_mode(xmlNodePtr dev, const char *mode);
/* Moves the device's boot order to @value the way virt-install's
 * reorder_boot_order does; drops <os><boot>. */
gboolean cli_set_boot_order(CliCtx *ctx, const CliSubopt *sub, const char *value,
                            GError **error);
gboolean cli_set_pci_address(CliCtx *ctx, const CliSubopt *sub, const char *value,
                             GError **error);

/* Rows shared by device options (address.*, alias.name, boot.order, ...). */
#define CLI_ADDRESS_ROWS \
  { "address.type", NULL, CLI_STR, "address/@type", CLI_HIDDEN }, \
  { "address.domain", NULL, CLI_INT, "address/@domain", CLI_HIDDEN }, \
  { "address.bus", NULL, CLI_INT, "address/@bus", CLI_HIDDEN }, \
  { "address.slot", NULL, CLI_INT, "address/@slot", CLI_HIDDEN }, \
  { "address.multifunction", NULL, CLI_ONOFF, "address/@multifunction", CLI_HIDDEN }, \
  { "address.function", NULL, CLI_INT, "address/@function", CLI_HIDDEN }, \
  { "address.controller", NULL, CLI_INT, "address/@controller", CLI_HIDDEN }, \
  { "address.unit", NULL, CLI_INT, "address/@unit", CLI_HIDDEN }, \
  { "address.port", NULL, CLI_INT, "address/@port", CLI_HIDDEN }, \
  { "address.target", NULL, CLI_INT, "address/@target", CLI_HIDDEN }, \
  { "address.reg", NULL, CLI_STR, "address/@reg", CLI_HIDDEN }, \
  { "address.cssid", NULL, CLI_STR, "address/@cssid", CLI_HIDDEN }, \
  { "address.ssid", NULL, CLI_STR, "address/@ssid", CLI_HIDDEN }, \
  { "address.devno", NULL, CLI_STR, "address/@devno", CLI_HIDDEN }, \
  { "address.iobase", NULL, CLI_STR, "address/@iobase", CLI_HIDDEN }, \
  { "address.irq", NULL, CLI_STR, "address/@irq", CLI_HIDDEN }, \
  { "address.base", NULL, CLI_STR, "address/@base", CLI_HIDDEN }, \
  { "alias.name", NULL, CLI_STR, "alias/@name", 0 }

#define CLI_BOOT_ROWS \
  { "boot.order", "boot_order", CLI_INT, NULL, 0, cli_set_boot_order, NULL, NULL, \
    "per-device boot priority (1 first)" }, \
  { "boot.loadparm", NULL, CLI_STR, "boot/@loadparm", CLI_HIDDEN }

#define CLI_VIRTIO_ROWS \
  { "driver.ats", NULL, CLI_ONOFF, "driver/@ats", CLI_HIDDEN }, \
  { "driver.iommu", NULL, CLI_ONOFF, "driver/@iommu", CLI_HIDDEN }, \
  { "driver.packed", NULL, CLI_ONOFF, "driver/@packed", CLI_HIDDEN }, \
  { "driver.page_per_vq", NULL, CLI_ONOFF, "driver/@page_per_vq", CLI_HIDDEN }

/* ---- tables (one file per topic) ---- */

extern const CliParser cli_memory_parser;
extern const CliParser cli_vcpus_parser;
extern const CliParser cli_cpu_parser;
extern const CliParser cli_boot_parser;
extern const CliParser cli_metadata_parser;
extern const CliParser cli_features_parser;
extern const CliParser cli_clock_parser;
extern const CliParser cli_pm_parser;
extern const CliParser cli_events_parser;

extern const CliParser cli_disk_parser;
extern const CliParser cli_network_parser;

extern const CliParser cli_graphics_parser;
extern const CliParser cli_video_parser;
extern const CliParser cli_sound_parser;
extern const CliParser cli_serial_parser;
extern const CliParser cli_parallel_parser;
extern const CliParser cli_channel_parser;
extern const CliParser cli_console_parser;
extern const CliParser cli_controller_parser;
extern const CliParser cli_input_parser;
extern const CliParser cli_rng_parser;
extern const CliParser cli_memballoon_parser;
extern const CliParser cli_tpm_parser;
extern const CliParser cli_redirdev_parser;
extern const CliParser cli_watchdog_parser;
extern const CliParser cli_panic_parser;
extern const CliParser cli_vsock_parser;

/* Install-side options: values go to the request, not to the guest. */
typedef struct {
  char *bootdev, *kernel, *initrd, *kernel_args, *os;
  int kernel_args_overwrite;  /* -1 unset */
  int no_install;             /* -1 unset */
  gboolean is_set;
} CliInstallData;

typedef struct {
  char *location, *kernel, *initrd;
} CliLocationData;

extern const CliParser cli_install_parser;
extern const CliParser cli_location_parser;
extern const CliParser cli_osinfo_parser;
extern const CliParser cli_check_parser;
extern const CliParser cli_unattended_parser;
extern const CliParser cli_cloud_init_parser;

/* Parsers that keep state for one run. */
gboolean cli_run_cpu(VmiRequest *req, const char *optstr, GError **error);
gboolean cli_run_disk(VmiRequest *req, const char *optstr, GError **error);
gboolean cli_run_network(VmiRequest *req, const char *optstr, GError **error);

/* --osinfo, including its compatibility forms (NAME, URL, none, auto). */
gboolean cli_parse_osinfo(VmiRequest *req, const char *optstr, GError **error);
