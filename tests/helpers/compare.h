/*
 * What every test program that checks output against an expected file
 * shares: the comparison, a line diff of the difference as TAP comments,
 * the regenerate switch VMI_TEST_REGENERATE_OUTPUT=1, which rewrites the
 * expected files after a deliberate change (review them with git diff),
 * and the listing of a case directory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* VMI_TEST_REGENERATE_OUTPUT=1 is set. */
gboolean vmi_test_regenerate(void);

/* The lines that differ between @expected and @actual, with three lines
 * of context, as TAP comments ("# -line", "# +line") headed by
 * "# --- @expected_label" and "# +++ @actual_label": a new string. */
char *vmi_test_diff(const char *expected, const char *actual, const char *expected_label,
                    const char *actual_label);

/* Compares @actual with the contents of the file @path: TRUE when they
 * are the same, else FALSE with their diff (TAP comments) in *@report, to
 * print after the test's result.  When regenerating, @path is rewritten
 * with @actual instead and the result is TRUE.  A missing file is a
 * difference that says how to make it. */
gboolean vmi_test_compare_file(const char *path, const char *actual, char **report);

/* The cases of a data-driven test: the names (without @suffix) of the
 * files NAME@suffix in @dir whose name holds @filter (NULL: all), sorted;
 * NULL with @error when @dir cannot be read. */
GPtrArray *vmi_test_list_cases(const char *dir, const char *suffix, const char *filter,
                               GError **error);

G_END_DECLS
