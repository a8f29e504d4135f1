/*
 * The one way library code reports a failure it finds itself (libvirt's
 * errors go through vmi_libvirt_error): the message is written whole,
 * naming what was wrong and what is accepted.
 */
#pragma once

#include <glib.h>
#include "vminstall/error.h"

G_BEGIN_DECLS

/* Sets @error (VMI_ERROR, @code) to the message made from @fmt and
 * returns FALSE, so that a check reads
 *   return vmi_fail(error, VMI_ERROR_USAGE, "--disk: ...", ...);
 * Modules that prefix their messages wrap it in a macro ("xl: " fmt). */
gboolean vmi_fail(GError **error, VmiErrorCode code, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* The usual failure: a value of the command line that cannot work. */
#define vmi_fail_usage(error, ...) vmi_fail((error), VMI_ERROR_USAGE, __VA_ARGS__)

G_END_DECLS
