/* Internals of the solaris module: the boot argument syntax shared by the
 * command line and its parsing of -x (solaris-bootargs.c). */
#pragma once

#include "solaris.h"

G_BEGIN_DECLS

/* One -B property. */
typedef struct {
  char *name;
  char *value;   /* unquoted; NULL for a bare name */
} VmiSolarisProp;

void vmi_solaris_prop_free(gpointer prop);

/* Sets @name in the ordered list of VmiSolarisProp: a later value
 * replaces an earlier one where it stands, so defaults keep their place
 * when overridden. */
void vmi_solaris_props_set(GPtrArray *props, const char *name, const char *value);
const char *vmi_solaris_props_get(GPtrArray *props, const char *name);
/* Parses "a=1,b='x,y'" into @props (later values win).  @what names the
 * source in messages ("-x", "--autocf"). */
gboolean vmi_solaris_props_parse(const char *what, const char *list, GPtrArray *props,
                                 GError **error);
/* name=value,... with the values quoted where they need it (always for
 * bootpath, as xVM writes it). */
void vmi_solaris_props_append(GString *out, GPtrArray *props);

/* A control character a kernel command line cannot hold. */
gboolean vmi_solaris_has_control(const char *s);

/* What -x says, in Solaris boot syntax. */
typedef struct {
  GString *flags;     /* boot flags, "kdv" */
  GPtrArray *words;   /* words for the installer: install, nowin, dhcp ... */
  GPtrArray *props;   /* -B properties */
} VmiSolarisBootArgs;

void vmi_solaris_boot_args_clear(VmiSolarisBootArgs *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(VmiSolarisBootArgs, vmi_solaris_boot_args_clear)

/* Adds the installer word @w unless it is there already. */
void vmi_solaris_words_add(GPtrArray *words, const char *w);

/* Parses -x @extra (may be NULL) into @a. */
gboolean vmi_solaris_parse_extra_args(const char *extra, VmiSolarisBootArgs *a, GError **error);

G_END_DECLS
