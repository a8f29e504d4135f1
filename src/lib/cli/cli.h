/*
 * virt-install's command-line language: one table per option gives its
 * names, its suboptions and their help; parsing and `--opt help` both read
 * it.  Parsing needs no connection.
 *
 * The public side is vminstall/cli.h (a scanned command line) and the
 * setters of vminstall/request.h, which record options that
 * vmi_cli_parse_request reads the same way.
 */
#pragma once

#include <glib.h>
#include "request.h"
#include "vminstall/cli.h"

G_BEGIN_DECLS

/* Parses @argv (argv[0] included) into a new request, as
 * vmi_command_line_new and vmi_command_line_request do (--help and the
 * other texts are not looked at).  The guest holds only what the command
 * line said (plus the one untyped <interface> virt-install adds when no
 * --network is given); what needs the connection or osinfo-db is left in
 * the request for defaults.  Errors are VMI_ERROR_USAGE, one line naming
 * the option. */
VmiRequest *vmi_cli_parse(int argc, char **argv, GError **error);

/* Reads the options the public setters recorded in @req (once; a request
 * parsed already is left as it is).  The tool's own options are refused. */
gboolean vmi_cli_parse_request(VmiRequest *req, GError **error);

/* Full --help text. */
char *vmi_cli_usage(void);

G_END_DECLS
