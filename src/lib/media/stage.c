/*
 * Staging: copies of the installer kernel and initrd in a directory the
 * hypervisor can read, under unique names, removed once the guest runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include "vminstall/media.h"
#include "vminstall/error.h"

char *
vmi_media_scratch_dir(gboolean privileged, gboolean xen, GError **error)
{
  const char *system_dir = xen ? "/var/lib/xen" : "/var/lib/libvirt/boot";
  g_autofree char *user_dir = NULL;

  if (privileged && g_file_test(system_dir, G_FILE_TEST_IS_DIR) &&
      access(system_dir, W_OK) == 0)
    return g_strdup(system_dir);
  user_dir = g_build_filename(g_get_user_cache_dir(), "vminstall", "boot", NULL);
  if (g_mkdir_with_parents(user_dir, 0751) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot create scratch directory '%s': %s", user_dir, g_strerror(errno));
    return NULL;
  }
  return g_steal_pointer(&user_dir);
}

static char *
made_up_name(const char *dir, const char *base)
{
  static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
  char rnd[7];

  for (int i = 0; i < 6; i++)
    rnd[i] = chars[g_random_int_range(0, sizeof(chars) - 1)];
  rnd[6] = '\0';
  return g_strdup_printf("%s/vminstall-%s-%s", dir, rnd, base);
}

static char *
copy_unique(const char *src, const char *dir, GError **error)
{
  g_autofree char *base = g_path_get_basename(src);
  g_autofree char *tmpl = g_strdup_printf("%s/vminstall-XXXXXX-%s", dir, base);
  int fd = g_mkstemp_full(tmpl, O_RDWR, 0644);
  g_autoptr(GFile) from = g_file_new_for_path(src);
  g_autoptr(GFile) to = NULL;

  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot create a file in '%s': %s",
                dir, g_strerror(errno));
    return NULL;
  }
  close(fd);
  to = g_file_new_for_path(tmpl);
  if (!g_file_copy(from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error)) {
    g_unlink(tmpl);
    return NULL;
  }
  return g_steal_pointer(&tmpl);
}

gboolean
vmi_media_stage(const VmiBootFiles *files, const char *dir, gboolean copy,
                VmiStaged *out, GError **error)
{
  memset(out, 0, sizeof(*out));
  if (!files->kernel)
    return TRUE;
  if (!copy) {
    g_autofree char *kb = g_path_get_basename(files->kernel);
    g_autofree char *ib = g_path_get_basename(files->initrd);
    out->kernel = made_up_name(dir, kb);
    out->initrd = made_up_name(dir, ib);
    return TRUE;
  }
  out->copied = TRUE;
  out->kernel = copy_unique(files->kernel, dir, error);
  if (!out->kernel)
    return FALSE;
  out->initrd = copy_unique(files->initrd, dir, error);
  if (!out->initrd) {
    vmi_staged_clear(out);
    return FALSE;
  }
  return TRUE;
}

void
vmi_staged_clear(VmiStaged *staged)
{
  if (staged->copied) {
    if (staged->kernel)
      g_unlink(staged->kernel);
    if (staged->initrd)
      g_unlink(staged->initrd);
  }
  staged->copied = FALSE;
  g_clear_pointer(&staged->kernel, g_free);
  g_clear_pointer(&staged->initrd, g_free);
}
