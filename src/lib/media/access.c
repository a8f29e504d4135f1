/*
 * Can the system QEMU process read an install ISO?  It runs as the dac
 * security model's user (libvirt-qemu on Debian, qemu on Fedora), which
 * cannot enter most home directories.  virt-install asks to fix this
 * interactively; we say so before anything starts, with the command that
 * fixes it.
 *
 * As root the check is exact: a child takes the user's identity and asks
 * the kernel (ACLs included).  Otherwise the permission bits are read; a
 * path with an ACL counts as readable, since only the kernel can say.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include "media-private.h"
#include "vminstall/error.h"

#define MAX_GROUPS 256

/* Each directory leading to @path, then @path itself. */
static GPtrArray *
components(const char *path)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *abs = g_canonicalize_filename(path, NULL);

  for (char *p = abs + 1; *p; p++)
    if (*p == '/')
      g_ptr_array_add(out, g_strndup(abs, (gsize)(p - abs)));
  g_ptr_array_add(out, g_strdup(abs));
  return out;
}

/* Index of the first component the user cannot pass (-1: none), checked
 * by the kernel in a child running as the user. */
static int
first_denied_as_user(GPtrArray *parts, uid_t uid, gid_t gid, const gid_t *groups,
                     int ngroups)
{
  int status;
  pid_t pid = fork();

  if (pid < 0)
    return -2;
  if (pid == 0) {
    if (setgroups((size_t)ngroups, groups) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
      _exit(255);
    for (guint i = 0; i < parts->len; i++) {
      gboolean last = i + 1 == parts->len;
      if (access(parts->pdata[i], last ? R_OK : X_OK) != 0)
        _exit(i < 250 ? (int)i : 250);
    }
    _exit(254);
  }
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (!WIFEXITED(status) || WEXITSTATUS(status) == 255)
    return -2;
  return WEXITSTATUS(status) == 254 ? -1 : WEXITSTATUS(status);
}

static gboolean
bits_allow(const struct stat *st, uid_t uid, const gid_t *groups, int ngroups, mode_t what)
{
  if (st->st_uid == uid)
    return (st->st_mode & (what << 6)) != 0;
  for (int i = 0; i < ngroups; i++)
    if (st->st_gid == groups[i])
      return (st->st_mode & (what << 3)) != 0;
  return (st->st_mode & what) != 0;
}

static int
first_denied_by_bits(GPtrArray *parts, uid_t uid, const gid_t *groups, int ngroups)
{
  for (guint i = 0; i < parts->len; i++) {
    struct stat st;
    gboolean last = i + 1 == parts->len;

    if (stat(parts->pdata[i], &st) != 0)
      return -1;   /* what does not exist is reported elsewhere */
    if (getxattr(parts->pdata[i], "system.posix_acl_access", NULL, 0) > 0)
      continue;
    if (!bits_allow(&st, uid, groups, ngroups, last ? S_IROTH : S_IXOTH))
      return (int)i;
  }
  return -1;
}

gboolean
vmi_media_check_access(const char *path, const char *user, guint uid, guint gid,
                       GError **error)
{
  g_autoptr(GPtrArray) parts = components(path);
  gid_t groups[MAX_GROUPS];
  int ngroups = 1;
  struct passwd *pw = user ? getpwnam(user) : getpwuid(uid);
  g_autofree char *name = g_strdup(pw ? pw->pw_name : user);
  int denied;
  const char *where;
  gboolean last;

  /* libvirt runs QEMU with the user's groups */
  if (pw)
    gid = pw->pw_gid;
  groups[0] = gid;
  if (pw) {
    ngroups = MAX_GROUPS;
    if (getgrouplist(pw->pw_name, (gid_t)gid, groups, &ngroups) < 0)
      ngroups = 1;
  }
  if (uid == 0)
    return TRUE;
  denied = geteuid() == 0 ? first_denied_as_user(parts, uid, gid, groups, ngroups) : -2;
  if (denied == -2)
    denied = first_denied_by_bits(parts, uid, groups, ngroups);
  if (denied < 0)
    return TRUE;

  where = parts->pdata[denied];
  last = (guint)denied + 1 == parts->len;
  if (!name)
    name = g_strdup_printf("%u", uid);
  if (last)
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "the QEMU process runs as user '%s' (uid %u), which cannot read '%s'; "
                "fix: setfacl -m u:%s:r '%s' (or move the file to /var/lib/libvirt/images)",
                name, uid, path, name, where);
  else
    g_set_error(error, VMI_ERROR, VMI_ERROR_INVALID,
                "the QEMU process runs as user '%s' (uid %u), which cannot read '%s': "
                "it has no search permission on '%s'; fix: setfacl -m u:%s:x '%s' "
                "(or move the file to /var/lib/libvirt/images)",
                name, uid, path, where, name, where);
  return FALSE;
}
