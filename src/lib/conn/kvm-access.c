/*
 * Can the QEMU processes of a local connection open /dev/kvm?  When the
 * device exists but they cannot (no udev gave it group kvm), libvirt
 * probes QEMU with KVM, then throws the cached capabilities away at
 * every lookup and probes again: each guest start takes minutes.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "conn.h"

/* Debian's compiled-in default for the privileged QEMU driver. */
#define DEFAULT_QEMU_USER "libvirt-qemu"

/* The value of "KEY = "VALUE"" in a libvirt configuration file, or NULL. */
static char *
conf_string(const char *file, const char *key)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  char *found = NULL;

  if (!g_file_get_contents(file, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    char *p = g_strstrip(*l);
    gsize n = strlen(key);
    char *q;

    if (strncmp(p, key, n) != 0)
      continue;
    p = g_strchug(p + n);
    if (*p != '=')
      continue;
    p = g_strchug(p + 1);
    if (*p != '"' || !(q = strchr(p + 1, '"')))
      continue;
    g_free(found);
    found = g_strndup(p + 1, q - p - 1);
  }
  return found;
}

/* The user QEMU runs as: "NAME" or "+UID" as qemu.conf spells it. */
static gboolean
lookup_user(const char *spec, uid_t *uid, gid_t *gid, char **name)
{
  struct passwd *pw;

  if (spec[0] == '+') {
    char *end;
    guint64 n = g_ascii_strtoull(spec + 1, &end, 10);
    if (*end || end == spec + 1)
      return FALSE;
    pw = getpwuid((uid_t)n);
    *uid = (uid_t)n;
    *gid = pw ? pw->pw_gid : (gid_t)-1;
    *name = pw ? g_strdup(pw->pw_name) : g_strdup(spec);
    return TRUE;
  }
  pw = getpwnam(spec);
  if (!pw)
    return FALSE;
  *uid = pw->pw_uid;
  *gid = pw->pw_gid;
  *name = g_strdup(pw->pw_name);
  return TRUE;
}

static gboolean
in_groups(const char *user, gid_t primary, gid_t wanted)
{
  gid_t groups[256];
  int n = G_N_ELEMENTS(groups);

  if (primary == wanted)
    return TRUE;
  if (getgrouplist(user, primary, groups, &n) < 0)
    return FALSE;
  for (int i = 0; i < n; i++)
    if (groups[i] == wanted)
      return TRUE;
  return FALSE;
}

char *
vmi_kvm_access_problem(const char *device, const char *user)
{
  struct stat st;
  uid_t uid;
  gid_t gid;
  g_autofree char *name = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *group = NULL;
  mode_t bits;
  struct passwd *pw;
  struct group *gr;

  if (stat(device, &st) != 0 || !user || !lookup_user(user, &uid, &gid, &name))
    return NULL;
  if (uid == 0)
    return NULL;
  if (st.st_uid == uid)
    bits = (st.st_mode >> 6) & 7;
  else if (in_groups(name, gid, st.st_gid))
    bits = (st.st_mode >> 3) & 7;
  else
    bits = st.st_mode & 7;
  if ((bits & 6) == 6)
    return NULL;
  pw = getpwuid(st.st_uid);
  owner = pw ? g_strdup(pw->pw_name) : g_strdup_printf("%u", (unsigned)st.st_uid);
  gr = getgrgid(st.st_gid);
  group = gr ? g_strdup(gr->gr_name) : g_strdup_printf("%u", (unsigned)st.st_gid);
  return g_strdup_printf("%s is %s:%s mode %04o, which the QEMU user '%s' cannot open "
                         "(no udev rule applied?): libvirt will re-probe QEMU at every "
                         "step and the install will be very slow; fix: chgrp kvm %s && "
                         "chmod 0660 %s",
                         device, owner, group, (unsigned)(st.st_mode & 07777), name, device,
                         device);
}

char *
vmi_conn_kvm_warning(VmiConn *conn)
{
  const char *device = g_getenv("VMINSTALL_TEST_KVM_DEVICE"); /* test-only */
  g_autofree char *user = NULL;

  if (!device || !*device)
    device = "/dev/kvm";
  if (vmi_conn_driver(conn) != VMI_DRIVER_QEMU || vmi_conn_is_remote(conn) ||
      vmi_conn_is_really_test(conn) || !g_file_test(device, G_FILE_TEST_EXISTS))
    return NULL;
  if (vmi_conn_is_session(conn)) {
    /* QEMU runs as this user */
    if (access(device, R_OK | W_OK) == 0)
      return NULL;
    user = g_strdup_printf("+%u", (unsigned)geteuid());
  } else {
    g_autofree char *root = vmi_conn_embed_root(conn);
    g_autofree char *conf = root ? g_build_filename(root, "etc", "qemu.conf", NULL)
                                 : g_strdup("/etc/libvirt/qemu.conf");
    user = conf_string(conf, "user");
    if (!user)
      user = g_strdup(DEFAULT_QEMU_USER);
  }
  return vmi_kvm_access_problem(device, user);
}
