/* The tool's commands after parsing; each prints its own output and
 * returns the exit status.  Errors go through cmd_fail.  The tool uses the
 * public API only (vminstall/vminstall.h). */
#pragma once

#include "vminstall/vminstall.h"

/* The tool's own modes, from its own options; the request holds the rest. */
typedef enum {
  CLI_PRINT_NONE = 0,
  CLI_PRINT_ALL,    /* every phase virt-install would print */
  CLI_PRINT_STEP,   /* one phase */
} CliPrintMode;

typedef struct {
  CliPrintMode print;       /* --print-xml [STEP] */
  guint print_step;         /* with CLI_PRINT_STEP: 1 or 2 */
  CliPrintMode print_xl;    /* --print-xl [STEP]: xl configuration instead of XML */
  guint print_xl_step;
  gboolean dry_run;         /* --dry-run */
  gboolean quiet;           /* --quiet, and printing (as virt-install) */
  gboolean debug;           /* --debug */
  const char *inspect_media;/* --inspect-media SRC: describe the media, nothing else */
  gboolean json;            /* --json: --inspect-media prints JSON */
} CliModes;

/* Reads the tool's options of @cl (already checked by the library). */
void cli_modes_read(CliModes *modes, const VmiCommandLine *cl);

/* Prints "ERROR    message", frees @error, returns 1. */
int cmd_fail(GError *error);

/* Prints each of @warnings (may be NULL) as "WARNING  message" and empties
 * it.  Commands call it once they are sure to get somewhere, so that an
 * error before that is the only line on stderr. */
void cmd_flush_warnings(GPtrArray *warnings);

/* The progress bar for downloads (progress.c), or NULL when stderr is not
 * a terminal or @quiet. */
VmiMediaProgress cli_progress(gboolean quiet);

/* A sign of life for long steps (busy.c): after two seconds without
 * output, a spinner with the seconds elapsed on stderr, redrawn in place.
 * Only when stderr is a terminal and @quiet is FALSE; otherwise these do
 * nothing.  Every write to the terminal goes between output_begin and
 * output_end (they nest), which erase the line and restart the two
 * seconds. */
void cli_busy_init(gboolean quiet);
void cli_busy_begin(const char *what);
void cli_busy_end(void);
void cli_busy_output_begin(void);
void cli_busy_output_end(void);

/* --inspect-media SRC [--json] */
int cmd_inspect_media(VmiInstaller *inst, const CliModes *modes);

/* --print-xml / --print-xl: the prepared phases as libvirt XML or xl. */
int cmd_print(VmiInstaller *inst, const CliModes *modes, GPtrArray *warnings);

/* The install itself: storage, define, start, wait, reboot. */
int cmd_install(VmiInstaller *inst, const CliModes *modes, GPtrArray *notices,
                GPtrArray *warnings);

/* The cleanup guard a run starts (vminstall VMI_GUARD_ARG): see run.h. */
int cmd_guard(void);
