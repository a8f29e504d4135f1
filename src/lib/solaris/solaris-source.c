/*
 * Where a Solaris install comes from: an ISO, an NFS export (nfs:HOST:/PATH,
 * nfs://HOST/PATH, HOST:/PATH, or a directory on an NFS mount), an AI
 * server's URL, or a local directory.
 */
#include <string.h>
#include "solaris.h"

VmiSolarisSource
vmi_solaris_source_parse(const char *location, gboolean is_dir, char **nfs_host,
                         char **nfs_path)
{
  const char *colon;

  *nfs_host = *nfs_path = NULL;
  if (!location)
    return VMI_SOLARIS_SOURCE_ISO;
  if (g_str_has_prefix(location, "http://") || g_str_has_prefix(location, "https://"))
    return VMI_SOLARIS_SOURCE_HTTP;
  if (g_str_has_prefix(location, "nfs://")) {
    const char *host = location + strlen("nfs://");
    const char *slash = strchr(host, '/');
    if (slash && slash > host) {
      *nfs_host = g_strndup(host, slash - host);
      *nfs_path = g_strdup(slash);
      return VMI_SOLARIS_SOURCE_NFS;
    }
  }
  if (g_str_has_prefix(location, "nfs:"))
    location += strlen("nfs:");
  colon = strchr(location, ':');
  if (colon && colon > location && colon[1] == '/' && !memchr(location, '/', colon - location)) {
    *nfs_host = g_strndup(location, colon - location);
    *nfs_path = g_strdup(colon + 1);
    return VMI_SOLARIS_SOURCE_NFS;
  }
  return is_dir ? VMI_SOLARIS_SOURCE_DIR : VMI_SOLARIS_SOURCE_ISO;
}

/* /proc/mounts escapes blanks and backslashes as \ooo */
static char *
unescape_mount_field(const char *s)
{
  GString *out = g_string_new(NULL);

  for (const char *p = s; *p; p++) {
    if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' && p[2] <= '7' &&
        p[3] >= '0' && p[3] <= '7') {
      g_string_append_c(out, (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 + (p[3] - '0')));
      p += 3;
    } else {
      g_string_append_c(out, *p);
    }
  }
  return g_string_free(out, FALSE);
}

gboolean
vmi_solaris_nfs_from_mounts(const char *mounts, const char *dir, char **host, char **path)
{
  g_auto(GStrv) lines = g_strsplit(mounts ? mounts : "", "\n", -1);
  size_t best = 0;

  *host = *path = NULL;
  for (guint i = 0; lines[i]; i++) {
    g_auto(GStrv) f = g_strsplit(lines[i], " ", -1);
    g_autofree char *source = NULL;
    g_autofree char *target = NULL;
    const char *colon;
    size_t n;

    if (g_strv_length(f) < 3 || (strcmp(f[2], "nfs") != 0 && strcmp(f[2], "nfs4") != 0))
      continue;
    source = unescape_mount_field(f[0]);
    target = unescape_mount_field(f[1]);
    n = strlen(target);
    colon = strchr(source, ':');
    if (!colon || colon == source || strncmp(dir, target, n) != 0 ||
        (dir[n] != '/' && dir[n] != '\0' && strcmp(target, "/") != 0) || n < best)
      continue;
    /* the longest mount point holding @dir wins */
    best = n;
    g_free(*host);
    g_free(*path);
    *host = g_strndup(source, colon - source);
    *path = g_strconcat(colon + 1, strcmp(target, "/") == 0 ? dir : dir + n, NULL);
  }
  return *host != NULL;
}
