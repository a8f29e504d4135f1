/**
 * @file cli.h
 * @brief A vminstall command line: virt-install's options and the tool's.
 *
 * The words are scanned the way virt-install's argparse scans them (long
 * options may be abbreviated, "--opt value" or "--opt=value", short
 * options, a value that looks like an option is not a value).  The
 * options that describe the guest make a request
 * (vmi_command_line_request()); the tool's own options (--print-xml,
 * --print-xl, --dry-run, --quiet, --debug, --inspect-media, --json) are
 * read with vmi_command_line_tool_option().
 */
#pragma once

#include <glib.h>
#include "vminstall/request.h"

G_BEGIN_DECLS

/** A scanned command line (opaque). */
typedef struct _VmiCommandLine VmiCommandLine;

/**
 * Scans @p argv (argv[0] included).
 * @return NULL with @p error (VMI_ERROR_USAGE, one line naming the
 *         option) for unknown or ambiguous options, missing values and
 *         stray words
 */
VmiCommandLine *vmi_command_line_new(int argc, char **argv, GError **error);

/** Frees @p cl (NULL is fine). */
void vmi_command_line_free(VmiCommandLine *cl);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VmiCommandLine, vmi_command_line_free)

/**
 * The text to print instead of doing anything: --help, --version,
 * `--OPTION help` (or `--OPTION=?`) and `--osinfo list`.
 * @return a new string, or NULL when the command line asks for none of
 *         these (and NULL with @p error when the text cannot be made)
 */
char *vmi_command_line_output(const VmiCommandLine *cl, GError **error);

/**
 * The value of one of the tool's own options.
 * @param cl    the command line
 * @param name  "print-xml", "print-xl", "dry-run", "quiet", "debug",
 *              "inspect-media" or "json"
 * @return the last value given: a flag gives "1", an optional value left
 *         out gives the option's default ("all" for --print-xml); NULL
 *         when the option was not given.  Borrowed from @p cl.
 */
const char *vmi_command_line_tool_option(const VmiCommandLine *cl, const char *name);

/**
 * The request the other options describe, read and checked as a whole.
 * @return a new request already in use (it cannot take more options), or
 *         NULL with @p error (VMI_ERROR_USAGE, one line naming the option,
 *         the value and what is accepted)
 */
VmiRequest *vmi_command_line_request(const VmiCommandLine *cl, GError **error);

G_END_DECLS
