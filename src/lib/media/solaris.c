/*
 * Solaris (xVM) media and PV kernel command lines.  Every rule of the xVM
 * installer-dependencies document is in a pure function here; the table
 * test in tests/unit/solaris/ has one case per rule.  Only
 * vmi_solaris_host_facts looks at the host (DNS, the routing table).
 */
#include <string.h>
#include <stdio.h>
#include <netdb.h>
#include <ifaddrs.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "vminstall/solaris.h"
#include "vminstall/error.h"
#include "vminstall/xmlnode.h"

const char *
vmi_solaris_release_name(VmiSolarisRelease release)
{
  switch (release) {
  case VMI_SOLARIS_NEVADA:
    return "nevada";
  case VMI_SOLARIS_OPENSOLARIS:
    return "opensolaris";
  case VMI_SOLARIS_OPENSOLARIS_ARCHIVE:
    return "opensolaris-b128";
  case VMI_SOLARIS_NONE:
    break;
  }
  return "";
}

/* ------------------------------------------------------------ media */

static gboolean
has(VmiSolarisHasFile has_file, gpointer data, const char *path, gboolean *yes,
    GError **error)
{
  *yes = FALSE;
  return has_file(path, data, yes, error);
}

static gboolean
has_any(VmiSolarisHasFile has_file, gpointer data, const char *a, const char *b,
        gboolean *yes, GError **error)
{
  if (!has(has_file, data, a, yes, error))
    return FALSE;
  if (*yes || !b)
    return TRUE;
  return has(has_file, data, b, yes, error);
}

gboolean
vmi_solaris_detect(VmiSolarisHasFile has_file, gpointer data, VmiSolarisMedia *out,
                   GError **error)
{
  gboolean k = FALSE, r = FALSE;

  memset(out, 0, sizeof(*out));
  /* Nevada keeps its PV kernel under boot/, with the x86.miniroot. */
  if (!has_any(has_file, data, "boot/platform/i86xpv/kernel/unix",
               "boot/platform/i86xpv/kernel/amd64/unix", &k, error) ||
      (k && !has_any(has_file, data, "boot/x86.miniroot", "boot/amd64/x86.miniroot", &r, error)))
    return FALSE;
  if (k && r) {
    out->release = VMI_SOLARIS_NEVADA;
    return TRUE;
  }
  /* OpenSolaris: the kernel at the root, then a boot_archive (b128 on)
   * or the x86.microroot (2009.06 and earlier). */
  if (!has_any(has_file, data, "platform/i86xpv/kernel/unix",
               "platform/i86xpv/kernel/amd64/unix", &k, error))
    return FALSE;
  if (!k)
    return TRUE;
  if (!has_any(has_file, data, "platform/i86pc/boot_archive",
               "platform/i86pc/amd64/boot_archive", &r, error))
    return FALSE;
  if (r) {
    out->release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE;
  } else {
    if (!has_any(has_file, data, "boot/x86.microroot", "boot/amd64/x86.microroot", &r, error))
      return FALSE;
    if (!r)
      return TRUE;
    out->release = VMI_SOLARIS_OPENSOLARIS;
  }
  return has(has_file, data, "auto_install/default.xml", &out->automated_installer, error);
}

char *
vmi_solaris_layout(const VmiSolarisMedia *media)
{
  return g_strdup_printf("solaris-%s%s", vmi_solaris_release_name(media->release),
                         media->automated_installer ? "-ai" : "");
}

VmiSolarisRelease
vmi_solaris_release_of_layout(const char *layout)
{
  for (VmiSolarisRelease r = VMI_SOLARIS_NEVADA; r <= VMI_SOLARIS_OPENSOLARIS_ARCHIVE; r++) {
    g_autofree char *l = g_strdup_printf("solaris-%s", vmi_solaris_release_name(r));
    g_autofree char *ai = g_strdup_printf("%s-ai", l);
    if (g_strcmp0(layout, l) == 0 || g_strcmp0(layout, ai) == 0)
      return r;
  }
  return VMI_SOLARIS_NONE;
}

const char *
vmi_solaris_os_name(VmiSolarisRelease release)
{
  return release == VMI_SOLARIS_OPENSOLARIS ? "opensolaris2009.06" : NULL;
}

gboolean
vmi_solaris_kernel_is_64bit(const char *kernel)
{
  return kernel && strstr(kernel, "/amd64/") != NULL;
}

gboolean
vmi_solaris_use_64bit(gint64 memory_mib, gboolean host_64bit)
{
  return memory_mib >= 1024 && host_64bit;
}

static const VmiSolarisPair pairs_32[][1] = {
  [VMI_SOLARIS_NEVADA] = {
    { "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" } },
  [VMI_SOLARIS_OPENSOLARIS] = {
    { "platform/i86xpv/kernel/unix", "boot/x86.microroot" } },
  [VMI_SOLARIS_OPENSOLARIS_ARCHIVE] = {
    { "platform/i86xpv/kernel/unix", "platform/i86pc/boot_archive" } },
};

/* OpenSolaris up to 2009.06 has two 64-bit ramdisk places: the amd64
 * microroot where the medium has one, else the shared x86.microroot. */
static const VmiSolarisPair pairs_64[][2] = {
  [VMI_SOLARIS_NEVADA] = {
    { "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot" } },
  [VMI_SOLARIS_OPENSOLARIS] = {
    { "platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.microroot" },
    { "platform/i86xpv/kernel/amd64/unix", "boot/x86.microroot" } },
  [VMI_SOLARIS_OPENSOLARIS_ARCHIVE] = {
    { "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive" } },
};

const VmiSolarisPair *
vmi_solaris_boot_pairs(VmiSolarisRelease release, gboolean use_64bit, guint *n_pairs)
{
  *n_pairs = 0;
  if (release == VMI_SOLARIS_NONE || release > VMI_SOLARIS_OPENSOLARIS_ARCHIVE)
    return NULL;
  if (!use_64bit) {
    *n_pairs = 1;
    return pairs_32[release];
  }
  *n_pairs = release == VMI_SOLARIS_OPENSOLARIS ? 2 : 1;
  return pairs_64[release];
}

gboolean
vmi_solaris_find_boot_files(VmiSolarisHasFile has_file, gpointer data,
                            VmiSolarisRelease release, gboolean use_64bit,
                            const VmiSolarisPair **pair, GError **error)
{
  guint n;
  const VmiSolarisPair *pairs = vmi_solaris_boot_pairs(release, use_64bit, &n);

  for (guint i = 0; i < n; i++) {
    gboolean k, r;
    if (!has(has_file, data, pairs[i].kernel, &k, error) ||
        !has(has_file, data, pairs[i].ramdisk, &r, error))
      return FALSE;
    if (k && r) {
      *pair = &pairs[i];
      return TRUE;
    }
  }
  g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
              "%s media without a %s PV kernel and ramdisk (looked for %s and %s)",
              vmi_solaris_release_name(release), use_64bit ? "64-bit" : "32-bit",
              n ? pairs[0].kernel : "?", n ? pairs[0].ramdisk : "?");
  return FALSE;
}

const char *
vmi_solaris_unix_path(gboolean use_64bit)
{
  return use_64bit ? "/platform/i86xpv/kernel/amd64/unix" : "/platform/i86xpv/kernel/unix";
}

const VmiSolarisPair *
vmi_solaris_installed_pair(gboolean use_64bit)
{
  static const VmiSolarisPair p32 = { "platform/i86xpv/kernel/unix",
                                      "platform/i86pc/boot_archive" };
  static const VmiSolarisPair p64 = { "platform/i86xpv/kernel/amd64/unix",
                                      "platform/i86pc/amd64/boot_archive" };
  return use_64bit ? &p64 : &p32;
}

/* Xen's virtual block device numbers (docs/misc/vbd-interface). */
gint64
vmi_solaris_vdev_number(const char *vdev)
{
  static const struct { const char *prefix; gint64 base; guint max; } schemes[] = {
    { "xvd", 202 << 8, 16 },
    { "sd", 8 << 8, 16 },
  };
  const char *rest;

  if (!vdev)
    return -1;
  for (guint i = 0; i < G_N_ELEMENTS(schemes); i++) {
    if (g_str_has_prefix(vdev, schemes[i].prefix)) {
      rest = vdev + strlen(schemes[i].prefix);
      if (strlen(rest) != 1 || rest[0] < 'a' || rest[0] > 'z')
        return -1;
      guint idx = (guint)(rest[0] - 'a');
      if (idx < schemes[i].max)
        return schemes[i].base | (idx << 4);
      if (i == 0)   /* xvd beyond xvdp: the extended scheme */
        return (G_GINT64_CONSTANT(1) << 28) | (idx << 8);
      return -1;
    }
  }
  if (g_str_has_prefix(vdev, "hd") && strlen(vdev) == 3 && vdev[2] >= 'a' && vdev[2] <= 'd') {
    static const gint64 ide[] = { 3 << 8, (3 << 8) | 64, 22 << 8, (22 << 8) | 64 };
    return ide[vdev[2] - 'a'];
  }
  return -1;
}

/* ------------------------------------------------------------ sources */

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

/* ------------------------------------------------------------ -B lists */

typedef struct {
  char *name;
  char *value;   /* unquoted; NULL for a bare name */
} Prop;

static void
prop_free(gpointer p)
{
  Prop *prop = p;
  g_free(prop->name);
  g_free(prop->value);
  g_free(prop);
}

/* Sets @name in the ordered list: a later value replaces an earlier one
 * where it stands, so defaults keep their place when overridden. */
static void
props_set(GPtrArray *props, const char *name, const char *value)
{
  for (guint i = 0; i < props->len; i++) {
    Prop *p = g_ptr_array_index(props, i);
    if (strcmp(p->name, name) == 0) {
      g_free(p->value);
      p->value = g_strdup(value);
      return;
    }
  }
  Prop *p = g_new0(Prop, 1);
  p->name = g_strdup(name);
  p->value = g_strdup(value);
  g_ptr_array_add(props, p);
}

static const char *
props_get(GPtrArray *props, const char *name)
{
  for (guint i = 0; i < props->len; i++) {
    Prop *p = g_ptr_array_index(props, i);
    if (strcmp(p->name, name) == 0)
      return p->value;
  }
  return NULL;
}

static gboolean
fail(GError **error, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(GError **error, const char *fmt, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start(ap, fmt);
  msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE, msg);
  return FALSE;
}

static gboolean
has_control(const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* Splits @s at @sep characters outside '...' and "..." quotes; quotes stay
 * in the pieces.  FALSE on an unbalanced quote. */
static gboolean
split_quoted(const char *s, const char *sep, GPtrArray *out)
{
  GString *cur = g_string_new(NULL);
  char quote = 0;
  gboolean any = FALSE;

  for (const char *p = s; *p; p++) {
    if (quote) {
      if (*p == quote)
        quote = 0;
      g_string_append_c(cur, *p);
    } else if (strchr(sep, *p)) {
      if (any || strcmp(sep, ",") == 0) {
        g_ptr_array_add(out, g_string_free(g_steal_pointer(&cur), FALSE));
        cur = g_string_new(NULL);
      }
      any = FALSE;
    } else {
      if (*p == '\'' || *p == '"')
        quote = *p;
      g_string_append_c(cur, *p);
      any = TRUE;
    }
  }
  if (any || (strcmp(sep, ",") == 0 && *s))
    g_ptr_array_add(out, g_string_free(g_steal_pointer(&cur), FALSE));
  else
    g_string_free(cur, TRUE);
  return quote == 0;
}

static gboolean
prop_name_ok(const char *s)
{
  if (!*s)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_-.", *p))
      return FALSE;
  return TRUE;
}

/* Parses "a=1,b='x,y'" into @props (later values win).  @what names the
 * source in messages ("-x", "--autocf"). */
static gboolean
props_parse(const char *what, const char *list, GPtrArray *props, GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func(g_free);

  if (!split_quoted(list, ",", items))
    return fail(error, "%s: unbalanced quote in the -B list '%s'", what, list);
  for (guint i = 0; i < items->len; i++) {
    char *item = g_ptr_array_index(items, i);
    char *eq = strchr(item, '=');
    g_autofree char *name = eq ? g_strndup(item, eq - item) : g_strdup(item);
    g_autofree char *value = eq ? g_strdup(eq + 1) : NULL;
    gsize n = value ? strlen(value) : 0;

    if (!prop_name_ok(name))
      return fail(error, "%s: '%s' is not a boot property name=value (names are letters, "
                  "digits, '_', '-' and '.')", what, item);
    if (n >= 2 && (value[0] == '\'' || value[0] == '"') && value[n - 1] == value[0]) {
      memmove(value, value + 1, n - 2);
      value[n - 2] = '\0';
    }
    if (value && strchr(value, '\'') && strchr(value, '"'))
      return fail(error, "%s: the value of boot property '%s' holds both quote characters",
                  what, name);
    props_set(props, name, value);
  }
  return TRUE;
}

/* name=value with the value quoted when it holds a comma, a blank or a
 * quote (always for bootpath, as xVM writes it). */
static void
props_append(GString *out, GPtrArray *props)
{
  for (guint i = 0; i < props->len; i++) {
    Prop *p = g_ptr_array_index(props, i);
    g_string_append_printf(out, "%s%s", i ? "," : "", p->name);
    if (!p->value)
      continue;
    g_string_append_c(out, '=');
    if (strcmp(p->name, "bootpath") == 0 || strpbrk(p->value, ", \t'\"")) {
      char q = strchr(p->value, '\'') ? '"' : '\'';
      g_string_append_printf(out, "%c%s%c", q, p->value, q);
    } else {
      g_string_append(out, p->value);
    }
  }
}

/* ------------------------------------------------------------ -x */

typedef struct {
  GString *flags;     /* boot flags, "kdv" */
  GPtrArray *words;   /* words for the installer: install, nowin, dhcp ... */
  GPtrArray *props;   /* -B properties */
} BootArgs;

static void
boot_args_clear(BootArgs *a)
{
  if (a->flags)
    g_string_free(a->flags, TRUE);
  if (a->words)
    g_ptr_array_free(a->words, TRUE);
  if (a->props)
    g_ptr_array_free(a->props, TRUE);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BootArgs, boot_args_clear)

static void
words_add(GPtrArray *words, const char *w)
{
  for (guint i = 0; i < words->len; i++)
    if (strcmp(g_ptr_array_index(words, i), w) == 0)
      return;
  g_ptr_array_add(words, g_strdup(w));
}

/* The Solaris boot flags xVM passes on (boot(1M)): ask, debugger, kmdb,
 * reconfigure, single-user, verbose, non-cluster. */
#define BOOT_FLAGS "adkrsvx"

static gboolean
parse_extra_args(const char *extra, BootArgs *a, GError **error)
{
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func(g_free);

  if (!extra)
    return TRUE;
  if (has_control(extra)) {
    g_autofree char *shown = g_strescape(extra, NULL);
    return fail(error, "-x: \"%s\" contains a control character (a newline?), which a "
                "kernel command line cannot hold", shown);
  }
  if (!split_quoted(extra, " \t", tokens))
    return fail(error, "-x: unbalanced quote in '%s'", extra);
  for (guint i = 0; i < tokens->len; i++) {
    const char *t = g_ptr_array_index(tokens, i);
    const char *next = i + 1 < tokens->len ? g_ptr_array_index(tokens, i + 1) : NULL;

    if (g_str_has_prefix(t, "-B")) {
      const char *list = t[2] ? t + 2 : next;
      if (!list)
        return fail(error, "-x: -B needs a list of name=value properties");
      if (!t[2])
        i++;
      if (!props_parse("-x", list, a->props, error))
        return FALSE;
    } else if (g_str_has_prefix(t, "-m")) {
      /* SMF options: understood, and ignored as xVM does */
      if (!t[2]) {
        if (!next)
          return fail(error, "-x: -m needs an SMF option (it is ignored, but must be whole)");
        i++;
      }
    } else if (strcmp(t, "-") == 0) {
      /* the separator before installer words */
    } else if (t[0] == '-') {
      for (const char *f = t + 1; *f; f++) {
        if (!strchr(BOOT_FLAGS, *f))
          return fail(error, "-x: unknown Solaris boot flag '-%c' in '%s' (flags are -a -d "
                      "-k -r -s -v -x; -B name=value,... and -m SMF are understood too)",
                      *f, t);
        if (!strchr(a->flags->str, *f))
          g_string_append_c(a->flags, *f);
      }
    } else {
      words_add(a->words, t);
    }
  }
  return TRUE;
}

static gboolean
is_mac(const char *s)
{
  if (strlen(s) != 17)
    return FALSE;
  for (int i = 0; i < 17; i++)
    if (i % 3 == 2 ? s[i] != ':' : !g_ascii_isxdigit(s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_ip(const char *what, const char *ip, GError **error)
{
  if (ip && !g_hostname_is_ip_address(ip))
    return fail(error, "%s '%s' is not an IP address", what, ip);
  return TRUE;
}

static gboolean
check_path(const char *what, const char *path, GError **error)
{
  if (!g_path_is_absolute(path) || has_control(path)) {
    g_autofree char *shown = g_strescape(path, NULL);
    return fail(error, "%s: the NFS path \"%s\" must be absolute, without control "
                "characters", what, shown);
  }
  if (strchr(path, '\'') && strchr(path, '"'))
    return fail(error, "%s: the NFS path '%s' holds both quote characters", what, path);
  return TRUE;
}

/* NFS netinstall properties of a Nevada install (xVM "Netinstalls"). */
static gboolean
netinstall_props(const VmiSolarisBootFacts *f, BootArgs *a, GPtrArray *props, GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *media = NULL;
  const char *ip = f->location_ip;
  const char *mask = props_get(a->props, "subnet-mask");

  vmi_solaris_source_parse(f->location, FALSE, &host, &path);
  if (!ip && host && g_hostname_is_ip_address(host))
    ip = host;
  if (!ip)
    return fail(error, "--location: the NFS server '%s' did not resolve to an IP address",
                host ? host : "");
  if (!check_ip("--location: NFS server", ip, error) ||
      !check_path("--location", path, error))
    return FALSE;
  media = g_strdup_printf("%s:%s", ip, path);
  props_set(props, "install_media", media);
  if (f->guest_ip) {
    if (!check_ip("host-ip: the guest's address", f->guest_ip, error) ||
        !check_ip("router-ip: dom0's default route", f->router_ip, error))
      return FALSE;
    props_set(props, "host-ip", f->guest_ip);
    /* the user's subnet-mask (-x -B subnet-mask=) wins over dom0's */
    if (mask || f->subnet_mask) {
      if (!mask && !check_ip("subnet-mask", f->subnet_mask, error))
        return FALSE;
      props_set(props, "subnet-mask", mask ? mask : f->subnet_mask);
    }
    if (f->router_ip)
      props_set(props, "router-ip", f->router_ip);
  } else {
    /* the guest's name does not resolve on dom0: let the installer ask */
    words_add(a->words, "dhcp");
  }
  if (f->mac) {
    if (!is_mac(f->mac)) {
      g_autofree char *shown = g_strescape(f->mac, NULL);
      return fail(error, "boot-mac: MAC address \"%s\" is not of the form "
                  "XX:XX:XX:XX:XX:XX", shown);
    }
    props_set(props, "boot-mac", f->mac);
  }
  return TRUE;
}

/* JumpStart (Nevada): sysid_config and install_config on an NFS host,
 * and the "install" word. */
static gboolean
jumpstart_props(const VmiSolarisBootFacts *f, BootArgs *a, GPtrArray *props, GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autofree char *where = NULL;
  const char *ip = f->autocf_ip;

  if (vmi_solaris_source_parse(f->autocf, FALSE, &host, &path) != VMI_SOLARIS_SOURCE_NFS)
    return fail(error, "--autocf '%s': a JumpStart configuration must be on an NFS server "
                "(HOST:/PATH or nfs:HOST:/PATH)", f->autocf);
  if (!ip && g_hostname_is_ip_address(host))
    ip = host;
  if (!ip)
    return fail(error, "--autocf: the NFS server '%s' did not resolve to an IP address", host);
  if (!check_ip("--autocf: NFS server", ip, error) || !check_path("--autocf", path, error))
    return FALSE;
  where = g_strdup_printf("%s:%s", ip, path);
  props_set(props, "sysid_config", where);
  props_set(props, "install_config", where);
  words_add(a->words, "install");
  return TRUE;
}

static gboolean
install_props(const VmiSolarisBootFacts *f, BootArgs *a, GPtrArray *props, GError **error)
{
  gboolean nevada = f->release == VMI_SOLARIS_NEVADA;

  if (f->source == VMI_SOLARIS_SOURCE_ISO)
    props_set(props, "install_media", "cdrom");

  if (nevada) {
    if (f->source == VMI_SOLARIS_SOURCE_NFS && !netinstall_props(f, a, props, error))
      return FALSE;
    if (f->source == VMI_SOLARIS_SOURCE_HTTP)
      return fail(error, "--location '%s': Nevada installs over the network need an NFS "
                  "location (nfs:HOST:/PATH)", f->location);
    if (f->source == VMI_SOLARIS_SOURCE_DIR && !props_get(a->props, "install_media"))
      return fail(error, "--location '%s': a PV Nevada install from a local directory needs "
                  "its media on NFS: give the directory of a mounted NFS export, or "
                  "-x '-B install_media=HOST:/PATH'", f->location);
    if (f->autocf && !jumpstart_props(f, a, props, error))
      return FALSE;
    if (f->nographics)
      words_add(a->words, "nowin");
    return TRUE;
  }

  /* OpenSolaris: the Automated Installer */
  if (f->source == VMI_SOLARIS_SOURCE_ISO) {
    /* bootable AI, even from the live ISO */
    props_set(props, "media_boot", "true");
    props_set(props, "auto-shutdown", "enable");
    props_set(props, "aimanifest", "default");
  } else {
    if (f->source == VMI_SOLARIS_SOURCE_HTTP)
      props_set(props, "install_media", f->location);
    props_set(props, "network-interface", "xnf0");
    props_set(props, "xpv-hcp", "dhcp");
    props_set(props, "livemode", "text");
  }
  if (f->autocf && !props_parse("--autocf", f->autocf, props, error))
    return FALSE;
  return TRUE;
}

static gboolean
zfs_props(const VmiSolarisBootFacts *f, GPtrArray *props, GError **error)
{
  gint64 num = vmi_solaris_vdev_number(f->root_vdev);
  g_autofree char *bootpath = NULL;

  for (const char *p = f->zfs_bootfs; *p; p++)
    if (!g_ascii_isalnum(*p) && !strchr("_-.:/", *p))
      return fail(error, "zfs-bootfs: '%s' is not a pool/objset name", f->zfs_bootfs);
  if (!*f->zfs_bootfs || !strchr(f->zfs_bootfs, '/'))
    return fail(error, "zfs-bootfs: '%s' is not a pool/objset name", f->zfs_bootfs);
  if (num < 0)
    return fail(error, "bootpath: the root disk '%s' is not a Xen virtual disk name "
                "(xvdX, sdX, hda to hdd)", f->root_vdev ? f->root_vdev : "");
  bootpath = g_strdup_printf("/xpvd/xdf@%" G_GINT64_FORMAT ":a", num);
  props_set(props, "zfs-bootfs", f->zfs_bootfs);
  props_set(props, "bootpath", bootpath);
  return TRUE;
}

char *
vmi_solaris_cmdline(const VmiSolarisBootFacts *f, GError **error)
{
  g_auto(BootArgs) a = {
    g_string_new(NULL), g_ptr_array_new_with_free_func(g_free),
    g_ptr_array_new_with_free_func(prop_free),
  };
  g_autoptr(GPtrArray) props = g_ptr_array_new_with_free_func(prop_free);
  g_autoptr(GString) out = g_string_new(vmi_solaris_unix_path(f->use_64bit));

  if (f->release == VMI_SOLARIS_NONE && !f->zfs_bootfs) {
    fail(error, "not a Solaris install");
    return NULL;
  }
  if (f->autocf && has_control(f->autocf)) {
    g_autofree char *shown = g_strescape(f->autocf, NULL);
    fail(error, "--autocf: \"%s\" contains a control character", shown);
    return NULL;
  }
  if (!parse_extra_args(f->extra_args, &a, error))
    return NULL;
  if (f->zfs_bootfs) {
    if (!zfs_props(f, props, error))
      return NULL;
  } else if (!install_props(f, &a, props, error)) {
    return NULL;
  }
  /* -B options from -x merge in last: the user's word wins */
  for (guint i = 0; i < a.props->len; i++) {
    Prop *p = g_ptr_array_index(a.props, i);
    props_set(props, p->name, p->value);
  }

  if (a.flags->len)
    g_string_append_printf(out, " -%s", a.flags->str);
  if (a.words->len) {
    g_string_append(out, " -");
    for (guint i = 0; i < a.words->len; i++)
      g_string_append_printf(out, " %s", (const char *)g_ptr_array_index(a.words, i));
  }
  if (props->len) {
    g_string_append(out, " -B ");
    props_append(out, props);
  }
  return g_string_free(g_steal_pointer(&out), FALSE);
}

gboolean
vmi_solaris_check_pxe(const char *os_type, gboolean network_boot, GError **error)
{
  if (network_boot && (!g_strcmp0(os_type, "xen") || !g_strcmp0(os_type, "linux")))
    return fail(error, "--pxe: a Xen PV guest cannot boot from the network (PV has no PXE "
                "ROM); use --location for a PV network install, or --hvm for PXE");
  return TRUE;
}

/* ------------------------------------------------------------ the host */

static char *
resolve_ipv4(const char *name)
{
  struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
  struct addrinfo *res = NULL;
  char buf[INET_ADDRSTRLEN];
  char *ip = NULL;

  if (!name || getaddrinfo(name, NULL, &hints, &res) != 0)
    return NULL;
  if (res && inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr,
                       buf, sizeof(buf)))
    ip = g_strdup(buf);
  freeaddrinfo(res);
  return ip;
}

/* dom0's default IPv4 route from /proc/net/route: gateway and device. */
static void
default_route(char **gateway, char **device)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  *gateway = *device = NULL;
  if (!g_file_get_contents("/proc/net/route", &text, NULL, NULL))
    return;
  lines = g_strsplit(text, "\n", -1);
  for (guint i = 1; lines[i]; i++) {
    char iface[64];
    unsigned int dest, gw, flags;
    if (sscanf(lines[i], "%63s %x %x %x", iface, &dest, &gw, &flags) == 4 &&
        dest == 0 && (flags & 0x2) /* RTF_GATEWAY */) {
      struct in_addr a = { .s_addr = gw };
      char buf[INET_ADDRSTRLEN];
      if (inet_ntop(AF_INET, &a, buf, sizeof(buf))) {
        *gateway = g_strdup(buf);
        *device = g_strdup(iface);
      }
      return;
    }
  }
}

static char *
device_netmask(const char *device)
{
  struct ifaddrs *ifs = NULL;
  char *mask = NULL;

  if (!device || getifaddrs(&ifs) != 0)
    return NULL;
  for (struct ifaddrs *i = ifs; i && !mask; i = i->ifa_next) {
    char buf[INET_ADDRSTRLEN];
    if (i->ifa_netmask && i->ifa_netmask->sa_family == AF_INET && i->ifa_name &&
        strcmp(i->ifa_name, device) == 0 &&
        inet_ntop(AF_INET, &((struct sockaddr_in *)i->ifa_netmask)->sin_addr, buf, sizeof(buf)))
      mask = g_strdup(buf);
  }
  freeifaddrs(ifs);
  return mask;
}

static const char *
keep(GPtrArray *strings, char *s)
{
  if (s)
    g_ptr_array_add(strings, s);
  return s;
}

gboolean
vmi_solaris_host_facts(const char *guest_name, VmiSolarisBootFacts *f, GPtrArray *strings,
                       GError **error)
{
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  char *gateway = NULL, *device = NULL;

  f->guest_ip = keep(strings, resolve_ipv4(guest_name));
  if (f->source == VMI_SOLARIS_SOURCE_NFS &&
      vmi_solaris_source_parse(f->location, FALSE, &host, &path) == VMI_SOLARIS_SOURCE_NFS) {
    f->location_ip = keep(strings, resolve_ipv4(host));
    if (!f->location_ip)
      return fail(error, "--location: cannot resolve the NFS server '%s'", host);
  }
  g_clear_pointer(&host, g_free);
  g_clear_pointer(&path, g_free);
  if (f->autocf && f->release == VMI_SOLARIS_NEVADA &&
      vmi_solaris_source_parse(f->autocf, FALSE, &host, &path) == VMI_SOLARIS_SOURCE_NFS) {
    f->autocf_ip = keep(strings, resolve_ipv4(host));
    if (!f->autocf_ip)
      return fail(error, "--autocf: cannot resolve the NFS server '%s'", host);
  }
  default_route(&gateway, &device);
  f->router_ip = keep(strings, gateway);
  f->subnet_mask = keep(strings, device_netmask(device));
  g_free(device);
  return TRUE;
}

/* ------------------------------------------------------------ NFS mounts */

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

/* ------------------------------------------------------------ the media steps */

gboolean
vmi_solaris_media_has_file(const char *path, gpointer data, gboolean *exists, GError **error)
{
  GError *local = NULL;

  *exists = vmi_media_has_file(data, path, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  return TRUE;
}

gboolean
vmi_solaris_media_boot_files(const VmiInstall *install, const VmiMediaQuery *query,
                             VmiBootFiles *files, gboolean *done, GError **error)
{
  VmiSolarisMedia m;
  const VmiSolarisPair *pair = NULL;
  gboolean use64;

  *done = FALSE;
  if (!vmi_solaris_check_pxe(query ? query->os_type : NULL,
                             install->method == VMI_INSTALL_PXE ||
                             !g_strcmp0(install->bootdev, "network"), error))
    return FALSE;
  /* only PV boots take the kernel out of the media */
  if (!files->media || install->location_kernel || !query ||
      (g_strcmp0(query->os_type, "xen") != 0 && g_strcmp0(query->os_type, "linux") != 0))
    return TRUE;
  if (!vmi_solaris_detect(vmi_solaris_media_has_file, files->media, &m, error)) {
    g_prefix_error(error, "--location: ");
    return FALSE;
  }
  if (m.release == VMI_SOLARIS_NONE)
    return TRUE;
  use64 = vmi_solaris_use_64bit(query->memory_mib, query->host_64bit);
  if (!vmi_solaris_find_boot_files(vmi_solaris_media_has_file, files->media, m.release, use64, &pair,
                                   error)) {
    g_prefix_error(error, "--location '%s': ", install->location);
    return FALSE;
  }
  g_free(files->kernel);
  g_free(files->initrd);
  g_free(files->layout);
  g_free(files->info.family);
  files->kernel = g_strdup(pair->kernel);
  files->initrd = g_strdup(pair->ramdisk);
  files->layout = vmi_solaris_layout(&m);
  files->info.family = g_strdup("solaris");
  *done = TRUE;
  return TRUE;
}

gboolean
vmi_solaris_kernel_args(const VmiRequest *req, const VmiBootFiles *files, char **kernel_args,
                        GError **error)
{
  VmiSolarisBootFacts f = { 0 };
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
  g_autofree char *extra = NULL;
  g_autofree char *name = NULL;
  g_autofree char *mac = NULL;
  g_autofree char *location = NULL;
  g_autofree char *mounts = NULL;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) nics = NULL;
  char *cmdline;

  f.release = vmi_solaris_release_of_layout(files->layout);
  if (f.release == VMI_SOLARIS_NONE || !files->media)
    return TRUE;
  f.use_64bit = vmi_solaris_kernel_is_64bit(files->kernel);
  location = g_strdup(vmi_media_get_location(files->media));
  switch (vmi_media_get_kind(files->media)) {
  case VMI_MEDIA_ISO:
    f.source = VMI_SOLARIS_SOURCE_ISO;
    break;
  case VMI_MEDIA_URL:
    f.source = g_str_has_prefix(location, "ftp://") ? VMI_SOLARIS_SOURCE_DIR
                                                     : VMI_SOLARIS_SOURCE_HTTP;
    /* as given, without the trailing '/' the media module adds */
    g_free(location);
    location = g_strdup(req->install.location);
    break;
  case VMI_MEDIA_DIR:
    /* a mounted NFS export is an NFS netinstall of the server's path */
    f.source = VMI_SOLARIS_SOURCE_DIR;
    if (g_file_get_contents("/proc/mounts", &mounts, NULL, NULL) &&
        vmi_solaris_nfs_from_mounts(mounts, location, &host, &path)) {
      g_free(location);
      location = g_strdup_printf("nfs:%s:%s", host, path);
      f.source = VMI_SOLARIS_SOURCE_NFS;
    }
    break;
  }
  f.location = location;
  extra = vmi_install_extra_args(&req->install);
  f.extra_args = extra;
  f.autocf = req->install.autocf;
  name = vmi_guest_get(req->guest, "name");
  nics = vmi_guest_devices(req->guest, "interface");
  if (nics->len)
    mac = vmi_node_get(g_ptr_array_index(nics, 0), "mac/@address");
  f.mac = mac;
  f.nographics = req->no_graphics;
  if (!vmi_solaris_host_facts(name, &f, strings, error))
    return FALSE;
  cmdline = vmi_solaris_cmdline(&f, error);
  if (!cmdline)
    return FALSE;
  g_free(*kernel_args);
  *kernel_args = cmdline;
  return TRUE;
}

/* ------------------------------------------------------------ the post-install ZFS boot */

/* The target of the guest's first hard disk (not a cdrom or floppy). */
static char *
first_disk_target(const VmiGuest *guest)
{
  xmlNodePtr disk = vmi_guest_first_hard_disk(guest);

  return disk ? vmi_node_get(disk, "target/@dev") : NULL;
}

gboolean
vmi_solaris_zfs_boot(VmiGuest *guest, const char *zfs_bootfs, gboolean use_64bit,
                     GError **error)
{
  xmlNodePtr root = vmi_guest_root(guest);
  xmlNodePtr os = vmi_node_child(root, "os", FALSE);
  g_autofree char *os_type = vmi_node_get(root, "os/type");
  g_autofree char *kernel = vmi_node_get(root, "os/kernel");
  g_autofree char *initrd = vmi_node_get(root, "os/initrd");
  g_autofree char *vdev = first_disk_target(guest);
  g_autofree char *cmdline = NULL;
  g_autoptr(GPtrArray) boots = NULL;
  VmiSolarisBootFacts f = { 0 };

  if (g_strcmp0(os_type, "xen") != 0 && g_strcmp0(os_type, "linux") != 0)
    return fail(error, "--boot zfs_bootfs: only a Xen PV guest boots its ZFS root this way, "
                "not this %s guest (an HVM guest boots its disk through its own GRUB)",
                os_type ? os_type : "hvm");
  if ((kernel == NULL) != (initrd == NULL))
    return fail(error, "--boot zfs_bootfs: give kernel= and initrd= together, or neither "
                "(then the installed system's /%s and /%s)",
                vmi_solaris_installed_pair(use_64bit)->kernel,
                vmi_solaris_installed_pair(use_64bit)->ramdisk);
  if (vmi_node_has(root, "bootloader"))
    return fail(error, "--boot zfs_bootfs: the kernel is booted directly, without a "
                "bootloader: leave out bootloader=");
  if (vmi_node_has(root, "os/cmdline"))
    return fail(error, "--boot zfs_bootfs: the command line is made from zfs_bootfs and the "
                "first disk: leave out cmdline=");
  if (!vdev)
    return fail(error, "--boot zfs_bootfs: the guest has no disk to hold the ZFS root pool");

  if (kernel) {
    use_64bit = vmi_solaris_kernel_is_64bit(kernel);
  } else {
    const VmiSolarisPair *pair = vmi_solaris_installed_pair(use_64bit);
    kernel = g_strconcat("/", pair->kernel, NULL);
    initrd = g_strconcat("/", pair->ramdisk, NULL);
  }
  f.use_64bit = use_64bit;
  f.zfs_bootfs = zfs_bootfs;
  f.root_vdev = vdev;
  cmdline = vmi_solaris_cmdline(&f, error);
  if (!cmdline) {
    g_prefix_error(error, "--boot zfs_bootfs: ");
    return FALSE;
  }

  /* a direct kernel boot has no boot devices */
  boots = os ? vmi_node_children(os, "boot") : g_ptr_array_new();
  for (guint i = 0; i < boots->len; i++)
    vmi_node_remove(g_ptr_array_index(boots, i));
  vmi_node_set(root, "os/kernel", kernel);
  vmi_node_set(root, "os/initrd", initrd);
  vmi_node_set(root, "os/cmdline", cmdline);
  return TRUE;
}

gboolean
vmi_solaris_plan_zfs_boot(const VmiRequest *req, const VmiBootFiles *files, const VmiOs *os,
                          gboolean host_64bit, VmiPlan *plan, GError **error)
{
  const char *zfs = req->install.zfs_bootfs;
  VmiSolarisRelease release = vmi_solaris_release_of_layout(files ? files->layout : NULL);
  gboolean use64;

  if (!zfs)
    return TRUE;
  if (release == VMI_SOLARIS_NONE && g_strcmp0(os ? vmi_os_family(os) : NULL, "solaris") != 0)
    return fail(error, "--boot zfs_bootfs: the guest is not Solaris (%s): install it from "
                "Solaris media, or name a Solaris OS with --osinfo",
                os && !vmi_os_is_generic(os) ? vmi_os_short_id(os) : "no Solaris OS or media");
  if (release != VMI_SOLARIS_NONE && files->kernel)
    use64 = vmi_solaris_kernel_is_64bit(files->kernel);
  else
    use64 = vmi_solaris_use_64bit(vmi_node_get_int(vmi_guest_root(plan->final), "memory", 0)
                                  / 1024, host_64bit);
  return vmi_solaris_zfs_boot(plan->final, zfs, use64, error);
}
