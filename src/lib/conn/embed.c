/*
 * The embedded QEMU driver (qemu:///embed?root=DIR): libvirt's QEMU
 * driver loaded into this process, keeping its state under DIR, for hosts
 * where no libvirt daemon runs.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "conn.h"
#include "vminstall/error.h"

/* QEMU's monitor socket ends up at ROOT/lib/qemu/domain-N-NAME/monitor.sock
 * (NAME cut to 20 characters) and UNIX socket paths stop at 108 bytes. */
#define EMBED_ROOT_MAX 56

char *
vmi_embed_root_dir(void)
{
  const char *env = g_getenv("VMINSTALL_EMBED_ROOT");
  g_autofree char *dir = NULL;

  if (env && *env)
    return g_canonicalize_filename(env, NULL);
  if (geteuid() == 0)
    return g_strdup("/var/lib/vminstall");
  env = g_getenv("XDG_STATE_HOME");
  if (env && g_path_is_absolute(env))
    dir = g_build_filename(env, "vminstall", NULL);
  else
    dir = g_build_filename(g_get_home_dir(), ".local", "state", "vminstall", NULL);
  if (strlen(dir) <= EMBED_ROOT_MAX)
    return g_steal_pointer(&dir);
  /* Not kept across reboots, but short enough to work at all. */
  return g_build_filename(g_get_user_runtime_dir(), "vminstall", NULL);
}

gboolean
vmi_embed_prepare(const char *root, GError **error)
{
  /* The embedded QEMU driver reads ROOT/etc/qemu.conf; ROOT/etc/qemu/ holds
   * its domain definitions (libvirt's drvqemu "Embedded driver"). */
  g_autofree char *etc = g_build_filename(root, "etc", NULL);
  g_autofree char *conf = g_build_filename(etc, "qemu.conf", NULL);
  g_autoptr(GError) local = NULL;
  /* No virtlogd is assumed either: QEMU writes its log and chardev logs
   * itself. */
  static const char text[] =
    "# Written by vminstall for the embedded QEMU driver (no daemons).\n"
    "stdio_handler = \"file\"\n";

  if (g_mkdir_with_parents(etc, 0755) != 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot create the embedded driver's directory '%s': %s", etc,
                g_strerror(errno));
    return FALSE;
  }
  /* QEMU may run as another user (libvirt-qemu) and must reach its
   * sockets under the root. */
  g_chmod(root, 0755);
  if (g_file_test(conf, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_set_contents(conf, text, -1, &local)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                "cannot write the embedded driver's configuration: %s", local->message);
    return FALSE;
  }
  return TRUE;
}

char *
vmi_embed_uri(const char *root)
{
  g_autofree char *escaped = g_uri_escape_string(root, "/", FALSE);
  return g_strdup_printf("qemu:///embed?root=%s", escaped);
}
