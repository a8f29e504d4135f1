/*
 * virt-install's command-line language: one table per option gives its
 * names, its suboptions and their help; parsing and `--opt help` both read
 * it.  Parsing needs no connection.
 */
#pragma once

#include <glib.h>
#include "request.h"

G_BEGIN_DECLS

/* Parses @argv (argv[0] included) into a new request.  --help, --version
 * and `--opt help` return a request whose ->output holds the text. */
VmiRequest *vmi_cli_parse(int argc, char **argv, GError **error);

/* Full --help text. */
char *vmi_cli_usage(void);

G_END_DECLS
