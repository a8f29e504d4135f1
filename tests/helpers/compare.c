/*
 * The comparison of test output with expected files, and the listing of
 * case directories (compare.h).
 */
#include <string.h>
#include "compare.h"

#define DIFF_CONTEXT 3
#define DIFF_MAX_LINES 200
#define DIFF_MAX_CELLS (4u * 1000u * 1000u)

gboolean
vmi_test_regenerate(void)
{
  return g_strcmp0(g_getenv("VMI_TEST_REGENERATE_OUTPUT"), "1") == 0;
}

/* An LCS line diff: small outputs, so the quadratic table is fine. */
char *
vmi_test_diff(const char *expected, const char *actual, const char *expected_label,
              const char *actual_label)
{
  GString *text = g_string_new(NULL);
  g_auto(GStrv) a = g_strsplit(expected, "\n", -1);
  g_auto(GStrv) b = g_strsplit(actual, "\n", -1);
  guint n = g_strv_length(a), m = g_strv_length(b);
  g_autofree guint *lcs = NULL;
  g_autoptr(GString) ops = g_string_new(NULL); /* ' ', '-', '+' per output line */
  g_autoptr(GArray) idx = g_array_new(FALSE, FALSE, sizeof(guint));
  g_autofree gboolean *show = NULL;
  guint i, j, printed = 0;

  g_string_append_printf(text, "# --- %s\n# +++ %s\n", expected_label, actual_label);
  if ((gsize)(n + 1) * (m + 1) > DIFF_MAX_CELLS) {
    g_string_append_printf(text, "# (outputs too large to diff: %u and %u lines)\n", n, m);
    return g_string_free(text, FALSE);
  }
  lcs = g_new0(guint, (gsize)(n + 1) * (m + 1));
#define L(x, y) lcs[(gsize)(x) * (m + 1) + (y)]
  for (i = n; i-- > 0;)
    for (j = m; j-- > 0;)
      L(i, j) = g_str_equal(a[i], b[j]) ? L(i + 1, j + 1) + 1
                                         : MAX(L(i + 1, j), L(i, j + 1));
  for (i = 0, j = 0; i < n || j < m;) {
    guint k;
    if (i < n && j < m && g_str_equal(a[i], b[j])) {
      g_string_append_c(ops, ' '); k = i; i++; j++;
    } else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {
      g_string_append_c(ops, '-'); k = i; i++;
    } else {
      g_string_append_c(ops, '+'); k = j; j++;
    }
    g_array_append_val(idx, k);
  }
#undef L
  /* a line is shown when a change is within DIFF_CONTEXT lines of it */
  show = g_new0(gboolean, ops->len);
  for (gsize o = 0; o < ops->len; o++)
    if (ops->str[o] != ' ')
      for (gsize d = o > DIFF_CONTEXT ? o - DIFF_CONTEXT : 0;
           d < ops->len && d <= o + DIFF_CONTEXT; d++)
        show[d] = TRUE;
  for (gsize o = 0; o < ops->len; o++) {
    guint k = g_array_index(idx, guint, o);
    if (!show[o]) {
      if (o > 0 && show[o - 1])
        g_string_append(text, "# ...\n");
      continue;
    }
    if (++printed > DIFF_MAX_LINES) {
      g_string_append_printf(text, "# (diff cut after %d lines)\n", DIFF_MAX_LINES);
      return g_string_free(text, FALSE);
    }
    g_string_append_printf(text, "# %c%s\n", ops->str[o], ops->str[o] == '+' ? b[k] : a[k]);
  }
  return g_string_free(text, FALSE);
}

gboolean
vmi_test_compare_file(const char *path, const char *actual, char **report)
{
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  *report = NULL;
  if (vmi_test_regenerate()) {
    if (g_file_set_contents(path, actual, -1, &error))
      return TRUE;
    *report = g_strdup_printf("# cannot write %s: %s\n", path, error->message);
    return FALSE;
  }
  if (!g_file_get_contents(path, &expected, NULL, &error)) {
    *report = g_strdup_printf("# no expected file %s (VMI_TEST_REGENERATE_OUTPUT=1 writes it): "
                              "%s\n", path, error->message);
    return FALSE;
  }
  if (strcmp(expected, actual) == 0)
    return TRUE;
  *report = vmi_test_diff(expected, actual, path, "actual");
  return FALSE;
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

GPtrArray *
vmi_test_list_cases(const char *dir, const char *suffix, const char *filter, GError **error)
{
  g_autoptr(GDir) d = g_dir_open(dir, 0, error);
  GPtrArray *names;
  const char *entry;

  if (!d)
    return NULL;
  names = g_ptr_array_new_with_free_func(g_free);
  while ((entry = g_dir_read_name(d)))
    if (g_str_has_suffix(entry, suffix) && (!filter || strstr(entry, filter)))
      g_ptr_array_add(names, g_strndup(entry, strlen(entry) - strlen(suffix)));
  g_ptr_array_sort(names, compare_names);
  return names;
}
