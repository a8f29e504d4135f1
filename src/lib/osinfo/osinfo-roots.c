/*
 * Where osinfo-db is (the locations libosinfo reads, in its order) and the
 * stamps that tell whether anything there changed since the index was
 * built: device, inode and mtime of each directory (a package update
 * replaces files by rename, which changes them) and of the files in the
 * local and user locations.
 */
#include <string.h>
#include <glib/gstdio.h>
#include "osinfo-private.h"

/* A stamp newer than this (seconds) may hide a change made in the same
 * clock tick as the scan, so such a scan is not cached. */
#define RACY_SECONDS 2

static char *
pick_existing(const char *path, const char *old_path)
{
  /* libosinfo falls back to the pre-1.0 location only when it exists and
   * the new one does not */
  if (!g_file_test(path, G_FILE_TEST_IS_DIR) &&
      g_file_test(old_path, G_FILE_TEST_IS_DIR))
    return g_strdup(old_path);
  return g_strdup(path);
}

GStrv
vmi_os_db_roots(void)
{
  GPtrArray *roots = g_ptr_array_new();
  const char *env;

  /* Same order and variables as osinfo_loader_process_default_path();
   * the deprecated OSINFO_DATA_DIR still wins over OSINFO_SYSTEM_DIR. */
  if ((env = g_getenv("OSINFO_DATA_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else if ((env = g_getenv("OSINFO_SYSTEM_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else
    g_ptr_array_add(roots, g_strdup("/usr/share/osinfo"));

  if ((env = g_getenv("OSINFO_LOCAL_DIR")))
    g_ptr_array_add(roots, g_strdup(env));
  else
    g_ptr_array_add(roots, pick_existing("/etc/osinfo", "/etc/libosinfo/db"));

  if ((env = g_getenv("OSINFO_USER_DIR"))) {
    g_ptr_array_add(roots, g_strdup(env));
  } else {
    g_autofree char *user_new =
        g_build_filename(g_get_user_config_dir(), "osinfo", NULL);
    g_autofree char *user_old =
        g_build_filename(g_get_user_config_dir(), "libosinfo", "db", NULL);

    g_ptr_array_add(roots, pick_existing(user_new, user_old));
  }

  g_ptr_array_add(roots, NULL);
  return (GStrv)g_ptr_array_free(roots, FALSE);
}

char *
vmi_os_stamp_of(const char *path)
{
  GStatBuf st;

  if (g_stat(path, &st) != 0)
    return g_strdup("-");
  return g_strdup_printf("%llu:%llu:%lld.%09ld", (unsigned long long)st.st_dev,
                         (unsigned long long)st.st_ino,
                         (long long)st.st_mtim.tv_sec,
                         (long)st.st_mtim.tv_nsec);
}

gboolean
vmi_os_stamp_is_racy(const char *stamp, gint64 now_sec)
{
  const char *mtime = strrchr(stamp, ':');

  if (!mtime)
    return FALSE;
  return g_ascii_strtoll(mtime + 1, NULL, 10) >= now_sec - RACY_SECONDS;
}

void
vmi_os_add_stamp(GString *stamps, char kind, const char *path, const char *stamp)
{
  g_autofree char *esc = g_strescape(path, NULL);

  if (stamps)
    g_string_append_printf(stamps, "%c\t%s\t%s\n", kind, stamp, esc);
}
