/* The tool's commands after parsing; each prints its own output and
 * returns the exit status.  Errors go through cmd_fail. */
#pragma once

#include "request.h"
#include "conn.h"
#include "plan.h"
#include "osinfo.h"
#include "media.h"

/* Prints "ERROR    message", frees @error, returns 1. */
int cmd_fail(GError *error);

/* Prints each of @warnings (may be NULL) as "WARNING  message" and empties
 * it.  Commands call it once they are sure to get somewhere, so that an
 * error before that is the only line on stderr. */
void cmd_flush_warnings(GPtrArray *warnings);

/* The progress bar for downloads (progress.c), or NULL when stderr is not
 * a terminal or --quiet was given. */
VmiMediaProgress cli_progress(const VmiRequest *req);

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
int cmd_inspect_media(VmiRequest *req);

/* --print-xml / --print-xl: the plan as libvirt XML or xl config. */
int cmd_print(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os,
              GPtrArray *warnings);

/* The install itself: storage, define, start, wait, reboot. */
int cmd_install(VmiRequest *req, VmiConn *conn, const VmiPlan *plan, const VmiOs *os,
                VmiStaged *staged, GPtrArray *notices, GPtrArray *warnings);

/* The cleanup guard a run starts (vminstall VMI_GUARD_ARG): see run.h. */
int cmd_guard(void);
