/*
 * The suboption engine: `--opt a,key=val,key2="x,y"` through a CliParser
 * table, with the rules of virt-install's cli.py:
 *
 *  - the string is split like shlex in POSIX mode with ',' as the only
 *    separator, so quotes keep commas inside a value;
 *  - leading bare words fill the parser's remove_first names
 *    (`--disk /x` is path=/x);
 *  - rows flagged CLI_CAN_COMMA swallow following words that are not a
 *    known suboption (cmdline=a,b);
 *  - repeated keys keep the first position and the last value;
 *  - rows apply in table order, not in command-line order;
 *  - an empty value ("key=") unsets, a key without '=' is an error.
 */
#include <string.h>
#include <stdlib.h>
#include "cli-private.h"

void
cli_pair_free(CliPair *pair)
{
  if (!pair)
    return;
  g_free(pair->key);
  g_free(pair->user_key);
  g_free(pair->value);
  g_free(pair);
}

static CliPair *
pair_new(const char *key, const char *user_key, const char *value)
{
  CliPair *p = g_new0(CliPair, 1);
  p->key = g_strdup(key);
  p->user_key = g_strdup(user_key);
  p->value = g_strdup(value);
  return p;
}

char *
cli_flag(const char *name)
{
  char *flag = g_strconcat("--", name, NULL);
  for (char *c = flag; *c; c++)
    if (*c == '_')
      *c = '-';
  return flag;
}

char *
cli_label(const CliCtx *ctx, const CliPair *pair)
{
  g_autofree char *flag = cli_flag(ctx->parser->name);

  if (!pair || !pair->user_key)
    return g_steal_pointer(&flag);
  return g_strdup_printf("%s %s", flag, pair->user_key);
}

void
cli_set_invalid(CliCtx *ctx, const CliPair *pair, const char *value,
                const char *what, GError **error)
{
  g_autofree char *label = cli_label(ctx, pair);
  g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: invalid value '%s' (%s)",
              label, value ? value : "", what);
}

/* ---- splitting ---- */

enum { ST_SPACE, ST_WORD, ST_QUOTE, ST_ESCAPE };

/* shlex.shlex(posix=True) with whitespace=',' and whitespace_split. */
static gboolean
split_words(const char *s, GPtrArray *out, char **problem)
{
  g_autoptr(GString) tok = g_string_new(NULL);
  int state = ST_SPACE, esc_from = ST_WORD;
  char quote = 0;
  gboolean quoted = FALSE;

  for (const char *c = s; *c; c++) {
    switch (state) {
    case ST_SPACE:
      if (*c == ',')
        continue;
      state = ST_WORD;
      quoted = FALSE;
      /* fall through */
    case ST_WORD:
      if (*c == ',') {
        g_ptr_array_add(out, g_strdup(tok->str));
        g_string_truncate(tok, 0);
        state = ST_SPACE;
      } else if (*c == '\'' || *c == '"') {
        quote = *c;
        quoted = TRUE;
        state = ST_QUOTE;
      } else if (*c == '\\') {
        esc_from = ST_WORD;
        state = ST_ESCAPE;
      } else {
        g_string_append_c(tok, *c);
      }
      break;
    case ST_QUOTE:
      if (*c == quote) {
        state = ST_WORD;
      } else if (quote == '"' && *c == '\\') {
        esc_from = ST_QUOTE;
        state = ST_ESCAPE;
      } else {
        g_string_append_c(tok, *c);
      }
      break;
    case ST_ESCAPE:
      /* Inside double quotes a backslash only escapes '"' and itself. */
      if (esc_from == ST_QUOTE && *c != quote && *c != '\\')
        g_string_append_c(tok, '\\');
      g_string_append_c(tok, *c);
      state = esc_from;
      break;
    default:
      g_assert_not_reached();
    }
  }
  if (state == ST_QUOTE) {
    *problem = g_strdup("unterminated quote");
    return FALSE;
  }
  if (state == ST_ESCAPE) {
    *problem = g_strdup("nothing after the final backslash");
    return FALSE;
  }
  if (state == ST_WORD && (tok->len || quoted))
    g_ptr_array_add(out, g_strdup(tok->str));
  return TRUE;
}

/* ---- matching ---- */

#define INDEX_MARK "[0-9]*"

/* @pattern may hold one "[0-9]*": an optional number, returned in @index. */
static gboolean
name_matches(const char *pattern, const char *key, guint *index)
{
  const char *mark = strstr(pattern, INDEX_MARK);
  const char *k;
  gsize plen;

  *index = 0;
  if (!mark)
    return strcmp(pattern, key) == 0;
  plen = (gsize)(mark - pattern);
  if (strncmp(pattern, key, plen) != 0)
    return FALSE;
  k = key + plen;
  while (g_ascii_isdigit(*k))
    k++;
  if (strcmp(k, mark + strlen(INDEX_MARK)) != 0)
    return FALSE;
  if (k > key + plen)
    *index = (guint)strtoul(key + plen, NULL, 10);
  return TRUE;
}

static gboolean
subopt_matches(const CliSubopt *sub, const char *key, guint *index)
{
  if (name_matches(sub->name, key, index))
    return TRUE;
  if (sub->aliases) {
    g_auto(GStrv) names = g_strsplit(sub->aliases, " ", -1);
    for (guint i = 0; names[i]; i++)
      if (*names[i] && name_matches(names[i], key, index))
        return TRUE;
  }
  return FALSE;
}

static const CliSubopt *
lookup_subopt(const CliParser *parser, const char *key)
{
  guint index;

  for (const CliSubopt *sub = parser->subopts; sub && sub->name; sub++)
    if (subopt_matches(sub, key, &index))
      return sub;
  return NULL;
}

/* ---- the dictionary ---- */

CliPair *
cli_dict_get(CliCtx *ctx, const char *key)
{
  for (guint i = 0; i < ctx->dict->len; i++) {
    CliPair *p = g_ptr_array_index(ctx->dict, i);
    if (strcmp(p->key, key) == 0)
      return p;
  }
  return NULL;
}

CliPair *
cli_dict_pop(CliCtx *ctx, const char *key)
{
  for (guint i = 0; i < ctx->dict->len; i++) {
    CliPair *p = g_ptr_array_index(ctx->dict, i);
    if (strcmp(p->key, key) == 0)
      return g_ptr_array_steal_index(ctx->dict, i);
  }
  return NULL;
}

CliPair *
cli_dict_set(CliCtx *ctx, const char *key, const char *value)
{
  CliPair *p = cli_dict_get(ctx, key);

  if (p) {
    g_free(p->value);
    p->value = g_strdup(value);
    return p;
  }
  p = pair_new(key, key, value);
  g_ptr_array_add(ctx->dict, p);
  return p;
}

void
cli_dict_rename(CliCtx *ctx, const char *from, const char *to)
{
  g_autoptr(CliPair) p = cli_dict_pop(ctx, from);
  CliPair *n;

  if (!p)
    return;
  /* cli.py pops and re-inserts: the new key goes last, with the value. */
  g_autoptr(CliPair) old = cli_dict_pop(ctx, to);
  n = pair_new(to, NULL, p->value);
  n->user_key = g_steal_pointer(&p->user_key);
  g_ptr_array_add(ctx->dict, n);
}

/* Builds ctx->dict from @optstr as cli.py's _parse_optstr_to_dict. */
static gboolean
build_dict(CliCtx *ctx, GError **error)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *problem = NULL;
  const char *const *rf = ctx->parser->remove_first;
  guint i = 0;

  if (!split_words(ctx->optstr, words, &problem)) {
    g_autofree char *flag = cli_flag(ctx->parser->name);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: %s in '%s'",
                flag, problem, ctx->optstr);
    return FALSE;
  }
  for (guint w = 0; w < words->len; w++) {
    const char *word = g_ptr_array_index(words, w);
    const char *eq = strchr(word, '=');
    g_autofree char *key = eq ? g_strndup(word, (gsize)(eq - word)) : g_strdup(word);
    g_ptr_array_add(ctx->tuples, pair_new(key, key, eq ? eq + 1 : NULL));
  }

  /* Leading bare words are the values of the remove_first names. */
  for (guint t = 0; t < ctx->tuples->len && rf && rf[i]; t++) {
    CliPair *p = g_ptr_array_index(ctx->tuples, t);
    if (p->value)
      break;
    p->value = p->key;
    p->key = g_strdup(rf[i++]);
    g_clear_pointer(&p->user_key, g_free);
  }

  for (guint t = 0; t < ctx->tuples->len; t++) {
    const CliPair *p = g_ptr_array_index(ctx->tuples, t);
    const CliSubopt *sub = lookup_subopt(ctx->parser, p->key);
    g_autofree char *value = g_strdup(p->value);

    if (sub && (sub->flags & CLI_CAN_COMMA)) {
      GString *joined = g_string_new(value);
      while (t + 1 < ctx->tuples->len) {
        const CliPair *next = g_ptr_array_index(ctx->tuples, t + 1);
        if (lookup_subopt(ctx->parser, next->key))
          break;
        g_string_append_printf(joined, ",%s", next->key);
        if (next->value && *next->value)
          g_string_append_printf(joined, "=%s", next->value);
        t++;
      }
      g_free(value);
      value = g_string_free(joined, FALSE);
    }
    CliPair *d = cli_dict_get(ctx, p->key);
    if (d) {
      g_free(d->value);
      d->value = g_steal_pointer(&value);
    } else {
      d = pair_new(p->key, p->user_key, NULL);
      d->value = g_steal_pointer(&value);
      g_ptr_array_add(ctx->dict, d);
    }
  }
  return TRUE;
}

/* ---- values ---- */

gboolean
cli_parse_onoff(const char *value, gboolean *out)
{
  static const char *const yes[] = { "y", "yes", "1", "true", "t", "on", NULL };
  static const char *const no[] = { "n", "no", "0", "false", "f", "off", NULL };

  for (guint i = 0; value && yes[i]; i++) {
    if (g_ascii_strcasecmp(value, yes[i]) == 0) {
      *out = TRUE;
      return TRUE;
    }
    if (g_ascii_strcasecmp(value, no[i]) == 0) {
      *out = FALSE;
      return TRUE;
    }
  }
  return FALSE;
}

/* Python's int(), with base 16 when "0x" appears, as XMLProperty does. */
gboolean
cli_parse_int(const char *value, gint64 *out)
{
  g_autofree char *s = g_strstrip(g_strdup(value ? value : ""));
  const char *p = s;
  gboolean neg = FALSE;
  guint base = 10;
  char *end = NULL;
  guint64 v;

  if (*p == '+' || *p == '-')
    neg = *p++ == '-';
  if (strstr(s, "0x") || strstr(s, "0X")) {
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
      p += 2;
    base = 16;
  }
  if (!g_ascii_isxdigit(*p) || (base == 10 && !g_ascii_isdigit(*p)))
    return FALSE;
  v = g_ascii_strtoull(p, &end, base);
  if (*end || v > (guint64)G_MAXINT64)
    return FALSE;
  *out = neg ? -(gint64)v : (gint64)v;
  return TRUE;
}

gboolean
cli_value_int(CliCtx *ctx, const char *value, gint64 min, const char *expect,
              gint64 *out, GError **error)
{
  if (!cli_parse_int(value, out) || *out < min) {
    cli_set_invalid(ctx, ctx->cur, value, expect ? expect : "expected an integer", error);
    return FALSE;
  }
  return TRUE;
}

/* ---- targets ---- */

xmlNodePtr
cli_target(CliCtx *ctx, const CliSubopt *sub, const char *path, gboolean create,
           char **rest)
{
  gboolean from_root = sub && (sub->flags & CLI_FROM_ROOT);
  xmlNodePtr node = from_root ? ctx->root : ctx->node;
  const char *base = from_root ? NULL : ctx->parser->base;
  g_autofree char *full = base ? g_strdup_printf("%s/%s", base, path) : g_strdup(path);
  g_auto(GStrv) segs = g_strsplit(full, "/", -1);
  g_autoptr(GString) pre = g_string_new(NULL);
  guint i;

  *rest = NULL;
  for (i = 0; segs[i]; i++) {
    gsize len = strlen(segs[i]);
    if (len > 2 && strcmp(segs[i] + len - 2, "[]") == 0)
      break;
    g_string_append_printf(pre, "%s%s", pre->len ? "/" : "", segs[i]);
  }
  if (!segs[i]) {
    *rest = g_steal_pointer(&full);
    return node;
  }

  /* "elem[]": the N-th <elem> below the prefix. */
  g_autofree char *elem = g_strndup(segs[i], strlen(segs[i]) - 2);
  xmlNodePtr parent = pre->len ? vmi_node_child(node, pre->str, create) : node;
  if (!parent)
    return NULL;
  g_autoptr(GPtrArray) list = vmi_node_children(parent, elem);
  xmlNodePtr target = NULL;
  if (ctx->index < list->len) {
    target = g_ptr_array_index(list, ctx->index);
  } else if (create) {
    for (guint n = list->len; n <= ctx->index; n++)
      target = vmi_node_add(parent, elem);
  }
  if (target)
    *rest = segs[i + 1] ? g_strjoinv("/", segs + i + 1) : g_strdup(".");
  return target;
}

void
cli_set_path(CliCtx *ctx, const CliSubopt *sub, const char *path, const char *value)
{
  g_autofree char *rest = NULL;
  xmlNodePtr node = cli_target(ctx, sub, path, value != NULL, &rest);

  if (node)
    vmi_node_set(node, rest, value);
}

static gboolean
value_accepted(const CliSubopt *sub, const char *value)
{
  for (guint i = 0; sub->accepted[i]; i++)
    if (strcmp(sub->accepted[i], value) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
apply_row(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  g_autofree char *conv = NULL;
  gboolean on = FALSE;
  gboolean is_bool = sub->kind == CLI_YESNO || sub->kind == CLI_ONOFF ||
                     sub->kind == CLI_BOOL;

  if (is_bool && value) {
    if (!cli_parse_onoff(value, &on)) {
      cli_set_invalid(ctx, ctx->cur, value, "expected on or off", error);
      return FALSE;
    }
    value = on ? "on" : "off";
  }
  if (value && sub->accepted && !value_accepted(sub, value)) {
    g_autofree char *list = g_strjoinv(", ", (char **)sub->accepted);
    g_autofree char *what = g_strdup_printf("accepted: %s", list);
    cli_set_invalid(ctx, ctx->cur, value, what, error);
    return FALSE;
  }
  if (sub->set)
    return sub->set(ctx, sub, value, error);

  if (value) {
    switch (sub->kind) {
    case CLI_INT: {
      gint64 v;
      if (!cli_value_int(ctx, value, G_MININT64, sub->expect, &v, error))
        return FALSE;
      conv = g_strdup_printf("%" G_GINT64_FORMAT, v);
      value = conv;
      break;
    }
    case CLI_PATH:
      conv = g_canonicalize_filename(value, NULL);
      value = conv;
      break;
    case CLI_YESNO:
      value = on ? "yes" : "no";
      break;
    case CLI_BOOL:
      value = on ? "" : NULL;
      break;
    default:
      break;
    }
  }
  cli_set_path(ctx, sub, sub->path, value);
  return TRUE;
}

/* Names for the unknown-suboption message: the rows with help text (the
 * ones people use), or every listed row when there are few. */
static char *
accepted_names(const CliParser *parser)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new();
  g_autoptr(GPtrArray) main_rows = g_ptr_array_new();
  g_autofree char *flag = cli_flag(parser->name);

  for (const CliSubopt *sub = parser->subopts; sub && sub->name; sub++) {
    if (sub->flags & CLI_HIDDEN)
      continue;
    g_ptr_array_add(all, (gpointer)sub->name);
    if (sub->help)
      g_ptr_array_add(main_rows, (gpointer)sub->name);
  }
  if (all->len <= 12 || main_rows->len == 0) {
    g_ptr_array_add(all, NULL);
    return g_strjoinv(", ", (char **)all->pdata);
  }
  g_ptr_array_add(main_rows, NULL);
  g_autofree char *names = g_strjoinv(", ", (char **)main_rows->pdata);
  return g_strdup_printf("%s, ...; '%s help' lists all", names, flag);
}

static gboolean
check_leftovers(CliCtx *ctx, GError **error)
{
  g_autoptr(GPtrArray) unknown = g_ptr_array_new_with_free_func(g_free);

  for (guint i = 0; i < ctx->dict->len; i++) {
    CliPair *p = g_ptr_array_index(ctx->dict, i);
    if (!p->used)
      g_ptr_array_add(unknown, g_strdup_printf("'%s'", p->user_key ? p->user_key : p->key));
  }
  if (!unknown->len)
    return TRUE;

  g_autofree char *flag = cli_flag(ctx->parser->name);
  g_autofree char *names = accepted_names(ctx->parser);
  g_ptr_array_add(unknown, NULL);
  g_autofree char *list = g_strjoinv(", ", (char **)unknown->pdata);
  g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: unknown suboption%s %s (accepted: %s)",
              flag, unknown->len > 2 ? "s" : "", list, names);
  return FALSE;
}

static gboolean
apply_table(CliCtx *ctx, GError **error)
{
  for (const CliSubopt *sub = ctx->parser->subopts; sub && sub->name; sub++) {
    for (guint i = 0; i < ctx->dict->len; i++) {
      CliPair *p = g_ptr_array_index(ctx->dict, i);
      guint index;

      if (p->used || !subopt_matches(sub, p->key, &index))
        continue;
      p->used = TRUE;
      ctx->cur = p;
      ctx->index = index;
      if (!p->value) {
        g_autofree char *label = cli_label(ctx, p);
        g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                    "%s: missing value (write %s=VALUE)", label,
                    p->user_key ? p->user_key : p->key);
        return FALSE;
      }
      if (sub->kind == CLI_NOSET)
        continue;
      const char *value = *p->value ? p->value : NULL;
      if ((sub->flags & CLI_IGNORE_DEFAULT) && g_strcmp0(value, "default") == 0)
        continue;
      if (!apply_row(ctx, sub, value, error))
        return FALSE;
    }
  }
  ctx->cur = NULL;
  return check_leftovers(ctx, error);
}

gboolean
cli_parser_run(const CliParser *parser, VmiRequest *req, const char *optstr,
               gpointer data, GError **error)
{
  CliCtx ctx = {
    .req = req,
    .parser = parser,
    .optstr = optstr ? optstr : "",
    .root = vmi_guest_root(req->guest),
    .dict = g_ptr_array_new_with_free_func((GDestroyNotify)cli_pair_free),
    .tuples = g_ptr_array_new_with_free_func((GDestroyNotify)cli_pair_free),
    .data = data,
  };
  gboolean ok = FALSE;

  ctx.node = ctx.root;
  if ((parser->flags & CLI_STUB_NONE) && strcmp(ctx.optstr, "none") == 0) {
    ok = TRUE;
    goto out;
  }
  if (!build_dict(&ctx, error))
    goto out;
  /* Created before the hooks so that they can set attributes up front;
   * removed again when a hook finds nothing to add ("none"). */
  if (parser->device)
    ctx.node = vmi_guest_add_device(req->guest, parser->device);
  if (parser->prepare && !parser->prepare(&ctx, error))
    goto out;
  if (ctx.done) {
    if (parser->device)
      vmi_node_remove(ctx.node);
    ok = TRUE;
    goto out;
  }
  if (!apply_table(&ctx, error))
    goto out;
  if (parser->finish && !parser->finish(&ctx, error))
    goto out;
  ok = TRUE;
out:
  g_ptr_array_free(ctx.dict, TRUE);
  g_ptr_array_free(ctx.tuples, TRUE);
  return ok;
}

static int
compare_names(gconstpointer a, gconstpointer b)
{
  const CliSubopt *sa = *(const CliSubopt *const *)a;
  const CliSubopt *sb = *(const CliSubopt *const *)b;
  return strcmp(sa->name, sb->name);
}

char *
cli_parser_help(const CliParser *parser)
{
  g_autofree char *flag = cli_flag(parser->name);
  g_autoptr(GPtrArray) rows = g_ptr_array_new();
  GString *out = g_string_new(NULL);
  gsize width = 0;

  for (const CliSubopt *sub = parser->subopts; sub && sub->name; sub++) {
    if (sub->flags & CLI_HIDDEN)
      continue;
    g_ptr_array_add(rows, (gpointer)sub);
    width = MAX(width, strlen(sub->name));
  }
  g_ptr_array_sort(rows, compare_names);
  g_string_append_printf(out, "%s options:\n", flag);
  for (guint i = 0; i < rows->len; i++) {
    const CliSubopt *sub = g_ptr_array_index(rows, i);
    if (sub->help)
      g_string_append_printf(out, "  %-*s  %s\n", (int)width, sub->name, sub->help);
    else
      g_string_append_printf(out, "  %s\n", sub->name);
  }
  g_string_append_c(out, '\n');
  return g_string_free(out, FALSE);
}
