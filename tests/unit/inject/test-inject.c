/*
 * Initrd injection: the archive appended to a staged copy is read back
 * with libarchive's reader (and GNU cpio when installed), the part before
 * it is the original byte for byte, and bad input fails with one line.
 */
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include "inject.h"
#include "vminstall/error.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup(Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp("vmi-inject-XXXXXX", NULL);
  g_assert_nonnull(f->dir);
}

static void
fixture_teardown(Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) d = g_dir_open(f->dir, 0, NULL);
  const char *e;

  while (d && (e = g_dir_read_name(d))) {
    g_autofree char *p = g_build_filename(f->dir, e, NULL);
    g_unlink(p);
  }
  g_rmdir(f->dir);
  g_free(f->dir);
}

static char *
write_file(Fixture *f, const char *name, const char *text, int mode)
{
  char *p = g_build_filename(f->dir, name, NULL);
  g_assert_true(g_file_set_contents(p, text, -1, NULL));
  g_chmod(p, mode);
  return p;
}

typedef struct {
  char *name;
  char *data;
  guint mode;
  gint64 uid;
} Entry;

static void
entry_free(Entry *e)
{
  g_free(e->name);
  g_free(e->data);
  g_free(e);
}

/* The entries of the cpio archive(s) in @buf, read by libarchive. */
static GPtrArray *
read_entries(const void *buf, gsize len)
{
  struct archive *a = archive_read_new();
  struct archive_entry *e;
  GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)entry_free);

  archive_read_support_filter_all(a);
  archive_read_support_format_cpio(a);
  g_assert_cmpint(archive_read_open_memory(a, buf, len), ==, ARCHIVE_OK);
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    Entry *x = g_new0(Entry, 1);
    gint64 size = archive_entry_size(e);
    x->name = g_strdup(archive_entry_pathname(e));
    x->mode = archive_entry_perm(e);
    x->uid = archive_entry_uid(e);
    x->data = g_malloc0(size + 1);
    g_assert_cmpint(archive_read_data(a, x->data, size), ==, size);
    g_ptr_array_add(out, x);
  }
  g_assert_cmpstr(archive_format_name(a), ==, "ASCII cpio (SVR4 with no CRC)");
  archive_read_free(a);
  return out;
}

static void
test_append(Fixture *f, gconstpointer data)
{
  g_autofree char *ks = write_file(f, "ks.cfg", "text\nreboot\n", 0644);
  g_autofree char *orig = write_file(f, "initrd.orig", "ORIGINAL-INITRD-BYTES", 0644);
  g_autofree char *copy = g_build_filename(f->dir, "initrd.staged", NULL);
  g_autoptr(GPtrArray) files = vmi_inject_list_new();
  g_autoptr(GBytes) script = g_bytes_new_static("d-i passwd/root-password s3cret\n", 32);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;
  g_autoptr(GPtrArray) entries = NULL;
  struct stat st;

  g_assert_true(g_file_get_contents(orig, &before, &before_len, NULL));
  g_assert_true(g_file_set_contents(copy, before, before_len, NULL));
  g_ptr_array_add(files, vmi_inject_file_new_path(ks));
  g_ptr_array_add(files, vmi_inject_file_new_data("preseed.cfg", script));
  g_assert_true(vmi_inject_check(files, &error));
  g_assert_true(vmi_inject_initrd(copy, files, &error));
  g_assert_no_error(error);

  /* the original is untouched; the copy starts with it */
  g_autofree char *orig_again = NULL;
  g_assert_true(g_file_get_contents(orig, &orig_again, NULL, NULL));
  g_assert_cmpstr(orig_again, ==, "ORIGINAL-INITRD-BYTES");
  g_assert_true(g_file_get_contents(copy, &after, &after_len, NULL));
  g_assert_cmpuint(after_len, >, before_len);
  g_assert_cmpmem(after, before_len, before, before_len);
  /* a gzip member right after it */
  g_assert_cmphex((guchar)after[before_len], ==, 0x1f);
  g_assert_cmphex((guchar)after[before_len + 1], ==, 0x8b);
  /* what may hold passwords is not readable by others */
  g_assert_cmpint(stat(copy, &st), ==, 0);
  g_assert_cmpint(st.st_mode & 0077, ==, 0);

  entries = read_entries(after + before_len, after_len - before_len);
  g_assert_cmpuint(entries->len, ==, 2);
  Entry *e0 = g_ptr_array_index(entries, 0), *e1 = g_ptr_array_index(entries, 1);
  g_assert_cmpstr(e0->name, ==, "ks.cfg");
  g_assert_cmpstr(e0->data, ==, "text\nreboot\n");
  g_assert_cmpuint(e0->mode, ==, 0644);
  g_assert_cmpint(e0->uid, ==, 0);
  g_assert_cmpstr(e1->name, ==, "preseed.cfg");
  g_assert_cmpstr(e1->data, ==, "d-i passwd/root-password s3cret\n");
  g_assert_cmpuint(e1->mode, ==, 0600);
}

/* GNU cpio, an independent reader, lists the appended archive. */
static void
test_gnu_cpio(Fixture *f, gconstpointer data)
{
  g_autofree char *cpio = g_find_program_in_path("cpio");
  g_autofree char *a = write_file(f, "a.txt", "A", 0644);
  g_autofree char *b = write_file(f, "b.txt", "BB", 0600);
  g_autofree char *arch = g_build_filename(f->dir, "x.cpio.gz", NULL);
  g_autoptr(GPtrArray) files = vmi_inject_list_new();
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = NULL;
  g_autofree char *out = NULL;
  int fd, status;

  if (!cpio) {
    g_test_skip("cpio is not installed");
    return;
  }
  g_ptr_array_add(files, vmi_inject_file_new_path(a));
  g_ptr_array_add(files, vmi_inject_file_new_path(b));
  fd = open(arch, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint(fd, >=, 0);
  g_assert_true(vmi_inject_write_archive(fd, files, &error));
  close(fd);
  cmd = g_strdup_printf("sh -c 'gzip -dc %s | cpio -t --quiet'", arch);
  g_assert_true(g_spawn_command_line_sync(cmd, &out, NULL, &status, NULL));
  g_assert_true(g_spawn_check_wait_status(status, NULL));
  g_assert_cmpstr(out, ==, "a.txt\nb.txt\n");
}

static void
expect_check_error(GPtrArray *files, const char *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_false(vmi_inject_check(files, &error));
  g_assert_nonnull(error);
  g_test_message("%s", error->message);
  g_assert_nonnull(strstr(error->message, fragment));
  g_assert_null(strchr(error->message, '\n'));
}

static void
test_bad_input(Fixture *f, gconstpointer data)
{
  g_autofree char *one = write_file(f, "same.cfg", "1", 0644);
  g_autofree char *sub = g_build_filename(f->dir, "sub", NULL);
  g_autofree char *two = NULL;
  g_autoptr(GPtrArray) missing = vmi_inject_list_new();
  g_autoptr(GPtrArray) dir = vmi_inject_list_new();
  g_autoptr(GPtrArray) dup = vmi_inject_list_new();

  g_ptr_array_add(missing, vmi_inject_file_new_path("/nonexistent/ks.cfg"));
  expect_check_error(missing, "cannot read '/nonexistent/ks.cfg'");

  g_ptr_array_add(dir, vmi_inject_file_new_path(f->dir));
  expect_check_error(dir, "is not a regular file");

  g_mkdir(sub, 0700);
  two = g_build_filename(sub, "same.cfg", NULL);
  g_assert_true(g_file_set_contents(two, "2", -1, NULL));
  g_ptr_array_add(dup, vmi_inject_file_new_path(one));
  g_ptr_array_add(dup, vmi_inject_file_new_path(two));
  expect_check_error(dup, "two files would be '/same.cfg'");
  g_unlink(two);
  g_rmdir(sub);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add("/inject/append", Fixture, NULL, fixture_setup, test_append, fixture_teardown);
  g_test_add("/inject/gnu-cpio", Fixture, NULL, fixture_setup, test_gnu_cpio, fixture_teardown);
  g_test_add("/inject/bad-input", Fixture, NULL, fixture_setup, test_bad_input,
             fixture_teardown);
  return g_test_run();
}
