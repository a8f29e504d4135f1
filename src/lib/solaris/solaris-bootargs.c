/*
 * The Solaris boot argument syntax: -B name=value lists (quoting, merging)
 * and the -x words xVM passes on (boot flags, -B, -m, installer words).
 */
#include <string.h>
#include "solaris-private.h"
#include "error-util.h"

void
vmi_solaris_prop_free(gpointer p)
{
  VmiSolarisProp *prop = p;
  g_free(prop->name);
  g_free(prop->value);
  g_free(prop);
}

/* Sets @name in the ordered list: a later value replaces an earlier one
 * where it stands, so defaults keep their place when overridden. */
void
vmi_solaris_props_set(GPtrArray *props, const char *name, const char *value)
{
  for (guint i = 0; i < props->len; i++) {
    VmiSolarisProp *p = g_ptr_array_index(props, i);
    if (strcmp(p->name, name) == 0) {
      g_free(p->value);
      p->value = g_strdup(value);
      return;
    }
  }
  VmiSolarisProp *p = g_new0(VmiSolarisProp, 1);
  p->name = g_strdup(name);
  p->value = g_strdup(value);
  g_ptr_array_add(props, p);
}

const char *
vmi_solaris_props_get(GPtrArray *props, const char *name)
{
  for (guint i = 0; i < props->len; i++) {
    VmiSolarisProp *p = g_ptr_array_index(props, i);
    if (strcmp(p->name, name) == 0)
      return p->value;
  }
  return NULL;
}

gboolean
vmi_solaris_has_control(const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* Splits @s at @sep characters outside '...' and "..." quotes; quotes stay
 * in the pieces.  FALSE on an unbalanced quote. */
static gboolean
split_quoted(const char *s, const char *sep, GPtrArray *out)
{
  GString *cur = g_string_new(NULL);
  char quote = 0;
  gboolean any = FALSE;

  for (const char *p = s; *p; p++) {
    if (quote) {
      if (*p == quote)
        quote = 0;
      g_string_append_c(cur, *p);
    } else if (strchr(sep, *p)) {
      if (any || strcmp(sep, ",") == 0) {
        g_ptr_array_add(out, g_string_free(g_steal_pointer(&cur), FALSE));
        cur = g_string_new(NULL);
      }
      any = FALSE;
    } else {
      if (*p == '\'' || *p == '"')
        quote = *p;
      g_string_append_c(cur, *p);
      any = TRUE;
    }
  }
  if (any || (strcmp(sep, ",") == 0 && *s))
    g_ptr_array_add(out, g_string_free(g_steal_pointer(&cur), FALSE));
  else
    g_string_free(cur, TRUE);
  return quote == 0;
}

static gboolean
prop_name_ok(const char *s)
{
  if (!*s)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_-.", *p))
      return FALSE;
  return TRUE;
}

/* Parses "a=1,b='x,y'" into @props (later values win).  @what names the
 * source in messages ("-x", "--autocf"). */
gboolean
vmi_solaris_props_parse(const char *what, const char *list, GPtrArray *props, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);

  if (!split_quoted(list, ",", items))
    return vmi_fail_usage(error, "%s: unbalanced quote in the -B list '%s'", what, list);
  for (guint i = 0; i < items->len; i++) {
    char *item = g_ptr_array_index(items, i);
    char *eq = strchr(item, '=');
    g_autofree char *name = eq ? g_strndup(item, eq - item) : g_strdup(item);
    g_autofree char *value = eq ? g_strdup(eq + 1) : NULL;
    gsize n = value ? strlen(value) : 0;

    if (!prop_name_ok(name))
      return vmi_fail_usage(error, "%s: '%s' is not a boot property name=value (names are letters, "
                            "digits, '_', '-' and '.')", what, item);
    if (n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n - 1] == value[0]) {
      memmove(value, value + 1, n - 2);
      value[n - 2] = '\0';
    }
    if (value && strchr(value, '\'') && strchr(value, '"'))
      return vmi_fail_usage(error, "%s: the value of boot property '%s' holds both quote "
                            "characters", what, name);
    vmi_solaris_props_set(props, name, value);
  }
  return TRUE;
}

/* name=value with the value quoted when it holds a comma, a blank or a
 * quote (always for bootpath, as xVM writes it). */
void
vmi_solaris_props_append(GString *out, GPtrArray *props)
{
  for (guint i = 0; i < props->len; i++) {
    VmiSolarisProp *p = g_ptr_array_index(props, i);
    g_string_append_printf(out, "%s%s", i ? "," : "", p->name);
    if (!p->value)
      continue;
    g_string_append_c(out, '=');
    if (strcmp(p->name, "bootpath") == 0 || strpbrk(p->value, ", \t'\"")) {
      char q = strchr(p->value, '\'') ? '"' : '\'';
      g_string_append_printf(out, "%c%s%c", q, p->value, q);
    } else {
      g_string_append(out, p->value);
    }
  }
}
void
vmi_solaris_boot_args_clear(VmiSolarisBootArgs *a)
{
  if (a->flags)
    g_string_free(a->flags, TRUE);
  if (a->words)
    g_ptr_array_free(a->words, TRUE);
  if (a->props)
    g_ptr_array_free(a->props, TRUE);
}

void
vmi_solaris_words_add(GPtrArray *words, const char *w)
{
  for (guint i = 0; i < words->len; i++)
    if (strcmp(g_ptr_array_index(words, i), w) == 0)
      return;
  g_ptr_array_add(words, g_strdup(w));
}

/* The Solaris boot flags xVM passes on (boot(1M)): ask, debugger, kmdb,
 * reconfigure, single-user, verbose, non-cluster. */
#define BOOT_FLAGS "adkrsvx"

gboolean
vmi_solaris_parse_extra_args(const char *extra, VmiSolarisBootArgs *a, GError **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);

  if (!extra)
    return TRUE;
  if (vmi_solaris_has_control(extra)) {
    g_autofree char *shown = g_strescape(extra, NULL);
    return vmi_fail_usage(error, "-x: \"%s\" contains a control character (a newline?), which a "
                          "kernel command line cannot hold", shown);
  }
  if (!split_quoted(extra, " \t", tokens))
    return vmi_fail_usage(error, "-x: unbalanced quote in '%s'", extra);
  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index(tokens, i);
    const char *next = i + 1 < tokens->len ? g_ptr_array_index(tokens, i + 1) : NULL;

    if (g_str_has_prefix(t, "-B")) {
      const char *list = t[2] ? t + 2 : next;
      if (!list)
        return vmi_fail_usage(error, "-x: -B needs a list of name=value properties");
      if (!t[2])
        i++;
      if (!vmi_solaris_props_parse("-x", list, a->props, error))
        return FALSE;
    } else if (g_str_has_prefix(t, "-m")) {
      /* SMF options: understood, and ignored as xVM does */
      if (!t[2]) {
        if (!next)
          return vmi_fail_usage(error, "-x: -m needs an SMF option (it is ignored, but must be "
                                "whole)");
        i++;
      }
    } else if (strcmp(t, "-") == 0) {
      /* the separator before installer words */
    } else if (t[0] == '-') {
      for (const char *f = t + 1; *f; f++) {
        if (!strchr(BOOT_FLAGS, *f))
          return vmi_fail_usage(error, "-x: unknown Solaris boot flag '-%c' in '%s' (flags are -a "
                                "-d -k -r -s -v -x; -B name=value,... and -m SMF are understood "
                                "too)", *f, t);
        if (!strchr(a->flags->str, *f))
          g_string_append_c(a->flags, *f);
      }
    } else {
      vmi_solaris_words_add(a->words, t);
    }
  }
  return TRUE;
}
