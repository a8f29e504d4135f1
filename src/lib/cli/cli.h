/*
 * virt-install's command-line language: one table per option gives its
 * names, its suboptions and their help; parsing and `--opt help` both read
 * it.  Parsing needs no connection.
 */
#pragma once

#include <glib.h>
#include "request.h"

G_BEGIN_DECLS

/* Parses @argv (argv[0] included) into a new request.  --help, --version,
 * `--opt help` and `--osinfo list` return a request whose ->output holds
 * the text.  The guest holds only what the command line said (plus the
 * one untyped <interface> virt-install adds when no --network is given);
 * what needs the connection or osinfo-db is left in the request for
 * defaults.  Errors are VMI_ERROR_USAGE, one line naming the option. */
VmiRequest *vmi_cli_parse(int argc, char **argv, GError **error);

/* Full --help text. */
char *vmi_cli_usage(void);

G_END_DECLS
