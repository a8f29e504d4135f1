/*
 * Which distribution an install medium holds and where its installer's
 * kernel and initrd are: virt-install 4.1.0's urldetect, family by family
 * and in its order (osinfo-db media, Fedora, RHEL, CentOS, SLES, SLED,
 * openSUSE, Debian, Ubuntu, Mageia, any .treeinfo), then what it lacks
 * (Mandriva, ALT Linux, a bare images/pxeboot, Ubuntu's casper, Solaris
 * xVM media).  Every difference from virt-install is listed in
 * tests/data/media-detect/.
 */
#include <string.h>
#include "media-private.h"
#include "vminstall/error.h"
#include "osinfo.h"
#include "solaris.h"

typedef struct {
  VmiMedia *media;
  const VmiMediaQuery *q;
  VmiMediaInfo *out;
  GError **error;
  gboolean failed;          /* the medium failed: stop */
  /* what the families share, read once */
  gboolean treeinfo_read;
  VmiTreeinfo *treeinfo;
  const char *ti_family, *ti_version, *ti_name, *ti_arch, *ti_variant;
  gboolean treeinfo_matched;
  gboolean suse_read;
  char *suse_product, *suse_version, *suse_arch;
  char *debian_media_type;
  char *mageia_version;
  VmiOsMedia *osmedia;
  VmiSolarisMedia solaris;
} Detect;

typedef struct {
  const char *name;         /* family name */
  const char *distro;       /* osinfo distro that moves it first */
  gboolean (*is_valid)(Detect *d);
  void (*fill)(Detect *d);  /* version and kernel pairs */
} Family;

/* ------------------------------------------------------------ helpers */

static void
note(Detect *d, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
note(Detect *d, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  g_ptr_array_add(d->out->notes, g_strdup_vprintf(fmt, ap));
  va_end(ap);
}

static void
add_pair(Detect *d, const char *label, const char *kernel, const char *initrd)
{
  VmiBootPair *p;

  if (!kernel || !initrd)
    return;
  p = g_new0(VmiBootPair, 1);
  p->label = g_strdup(label);
  p->kernel = g_strdup(kernel);
  p->initrd = g_strdup(initrd);
  g_ptr_array_add(d->out->pairs, p);
}

static void
boot_pair_free(gpointer data)
{
  VmiBootPair *p = data;

  g_free(p->kernel);
  g_free(p->initrd);
  g_free(p->label);
  g_free(p);
}

void
vmi_media_info_clear(VmiMediaInfo *info)
{
  g_clear_pointer(&info->family, g_free);
  g_clear_pointer(&info->layout, g_free);
  g_clear_pointer(&info->os_name, g_free);
  g_clear_pointer(&info->os_id, g_free);
  g_clear_pointer(&info->version, g_free);
  g_clear_pointer(&info->pairs, g_ptr_array_unref);
  g_clear_pointer(&info->notes, g_ptr_array_unref);
  info->netinst = FALSE;
}

/* A small file's text, or NULL when missing; a failing medium stops the
 * detection (d->failed). */
static char *
content(Detect *d, const char *path)
{
  GError *local = NULL;
  char *text;

  if (d->failed)
    return NULL;
  text = vmi_media_read_file(d->media, path, VMI_MEDIA_MAX_SMALL_FILE, NULL, &local);
  if (!text) {
    if (g_error_matches(local, VMI_ERROR, VMI_ERROR_NOT_FOUND) ||
        g_error_matches(local, VMI_ERROR, VMI_ERROR_INVALID)) {
      /* missing, or not a plain small file: not what detection wants */
      if (!g_error_matches(local, VMI_ERROR, VMI_ERROR_NOT_FOUND))
        note(d, "ignoring %s: %s", path, local->message);
      g_error_free(local);
      return NULL;
    }
    d->failed = TRUE;
    g_propagate_error(d->error, local);
    return NULL;
  }
  return text;
}

/* Python's re.match(regex, line) on some line of @path. */
static gboolean
content_regex(Detect *d, const char *path, const char *regex)
{
  g_autofree char *text = content(d, path);
  g_auto(GStrv) lines = NULL;

  if (!text)
    return FALSE;
  lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++)
    if (g_regex_match_simple(regex, *l, G_REGEX_ANCHORED, 0))
      return TRUE;
  note(d, "%s does not match %s", path, regex);
  return FALSE;
}

static gboolean
os_exists(const char *name)
{
  g_autoptr(VmiOs) os = vmi_os_lookup(name, NULL);

  return os != NULL;
}

static const char *
guest_arch(Detect *d)
{
  return d->q && d->q->arch ? d->q->arch : "x86_64";
}

static gboolean
is_xen(Detect *d)
{
  return d->q && vmi_os_type_is_xen_pv(d->q->os_type);
}

/* ------------------------------------------------------------ .treeinfo */

static VmiTreeinfo *
treeinfo(Detect *d)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  const char *name = ".treeinfo";

  if (d->treeinfo_read)
    return d->treeinfo;
  d->treeinfo_read = TRUE;
  /* Red Hat's CDN cannot serve dot files: anaconda reads both names */
  text = content(d, name);
  if (!text) {
    name = "treeinfo";
    text = content(d, name);
  }
  if (!text)
    return NULL;
  d->treeinfo = vmi_treeinfo_parse(text, strlen(text), &local);
  if (!d->treeinfo) {
    note(d, "%s does not parse: %s", name, local->message);
    return NULL;
  }
  d->ti_family = vmi_treeinfo_get(d->treeinfo, "general", "family");
  d->ti_version = vmi_treeinfo_get(d->treeinfo, "general", "version");
  d->ti_name = vmi_treeinfo_get(d->treeinfo, "general", "name");
  d->ti_arch = vmi_treeinfo_get(d->treeinfo, "general", "arch");
  d->ti_variant = vmi_treeinfo_get(d->treeinfo, "general", "variant");
  /* productmd 1.x without the [general] compatibility section */
  if (!d->ti_family)
    d->ti_family = vmi_treeinfo_get(d->treeinfo, "release", "name");
  if (!d->ti_version)
    d->ti_version = vmi_treeinfo_get(d->treeinfo, "release", "version");
  if (!d->ti_arch)
    d->ti_arch = vmi_treeinfo_get(d->treeinfo, "tree", "arch");
  if (!d->ti_family) {
    note(d, "%s has no family: ignored", name);
    g_clear_pointer(&d->treeinfo, vmi_treeinfo_free);
    /* the values pointed into it */
    d->ti_version = d->ti_name = d->ti_arch = d->ti_variant = NULL;
    return NULL;
  }
  note(d, "treeinfo family=%s version=%s name=%s arch=%s", d->ti_family,
       d->ti_version ? d->ti_version : "", d->ti_name ? d->ti_name : "",
       d->ti_arch ? d->ti_arch : "");
  return d->treeinfo;
}

static gboolean
treeinfo_family_regex(Detect *d, const char *regex)
{
  gboolean ret;

  if (!treeinfo(d))
    return FALSE;
  ret = g_regex_match_simple(regex, d->ti_family, G_REGEX_ANCHORED, 0);
  d->treeinfo_matched = ret;
  return ret;
}

static void
treeinfo_pairs(Detect *d)
{
  const char *type = is_xen(d) ? "xen" : d->ti_arch;
  g_autofree char *group = g_strdup_printf("images-%s", type ? type : "");
  const char *k = vmi_treeinfo_get(d->treeinfo, group, "kernel");
  const char *i = vmi_treeinfo_get(d->treeinfo, group, "initrd");

  if (!k || !i)
    note(d, "treeinfo has no kernel/initrd in [%s]", group);
  add_pair(d, is_xen(d) ? "xen" : "hvm", k, i);
}

/* "6.9" -> 6, 9; "7" -> 7, 0 (virt-install's split_version) */
static void
split_version(const char *verstr, int *version, int *update)
{
  g_auto(GStrv) parts = g_strsplit(verstr ? verstr : "", ".", 3);

  *version = parts[0] ? (int)g_ascii_strtoll(parts[0], NULL, 10) : 0;
  *update = parts[0] && parts[1] ? (int)g_ascii_strtoll(parts[1], NULL, 10) : 0;
  if (*update < 0 || *update > 1000)
    *update = 0;
}

static char *
walk_versions(const char *prefix, const char *verstr, gboolean sle)
{
  int version, update;

  split_version(verstr, &version, &update);
  for (; update >= 0; update--) {
    g_autofree char *name = NULL;

    /* SLE has no ".0" for first releases (sles12) */
    if (sle && update == 0)
      name = g_strdup_printf("%s%d", prefix, version);
    else
      name = g_strdup_printf("%s%d.%d", prefix, version, update);
    if (os_exists(name))
      return g_steal_pointer(&name);
  }
  return NULL;
}

/* ------------------------------------------------------------ osinfo-db */

/* "debian11" -> "debian", "opensuse15.4" -> "opensuse", "fedora-unknown"
 * -> "fedora": a family name for media only osinfo-db recognised */
static char *
family_of(const char *os_name)
{
  gsize n = strcspn(os_name, "0123456789.-");
  char *f = g_strndup(os_name, n ? n : strlen(os_name));

  if (g_str_equal(f, "alt")) {
    g_free(f);
    f = g_strdup("altlinux");
  }
  return f;
}

static gboolean
osinfo_valid(Detect *d)
{
  const VmiIsoInfo *iso = vmi_media_get_iso_info(d->media);
  g_autoptr(GError) local = NULL;

  if (!iso) {
    /* trees: osinfo-db's <tree> entries against the .treeinfo */
    g_autofree char *name = NULL;
    if (!treeinfo(d))
      return FALSE;
    name = vmi_os_identify_tree(vmi_treeinfo_get(d->treeinfo, "general", "family"),
                                vmi_treeinfo_get(d->treeinfo, "general", "variant"),
                                vmi_treeinfo_get(d->treeinfo, "general", "version"),
                                vmi_treeinfo_get(d->treeinfo, "general", "arch"), &local);
    if (!name) {
      if (local)
        note(d, "osinfo-db tree lookup failed: %s", local->message);
      return FALSE;
    }
    d->out->os_name = g_steal_pointer(&name);
    d->treeinfo_matched = TRUE;
    return TRUE;
  }
  d->osmedia = vmi_iso_info_identify(iso, &local);
  if (!d->osmedia) {
    if (local)
      note(d, "osinfo-db media lookup failed: %s", local->message);
    return FALSE;
  }
  if (!d->osmedia->kernel || !d->osmedia->initrd) {
    /* live media, or incomplete data: the families decide */
    note(d, "osinfo-db media of %s names no kernel/initrd", d->osmedia->os_name);
    return FALSE;
  }
  return TRUE;
}

static void
osinfo_fill(Detect *d)
{
  if (d->osmedia) {
    g_free(d->out->os_name);
    d->out->os_name = g_strdup(d->osmedia->os_name);
    d->out->os_id = g_strdup(d->osmedia->os_id);
    d->out->layout = g_strdup("osinfo-media");
    add_pair(d, "hvm", d->osmedia->kernel, d->osmedia->initrd);
  }
  if (d->out->os_name) {
    g_free(d->out->family);
    d->out->family = family_of(d->out->os_name);
  }
}

/* ------------------------------------------------------------ Red Hat */

static gboolean
fedora_valid(Detect *d)
{
  return treeinfo_family_regex(d, ".*Fedora.*");
}

static void
fedora_fill(Detect *d)
{
  const char *v = d->ti_version;
  g_autofree char *name = NULL;

  if (v && !g_str_equal(v, "development") && !g_str_equal(v, "rawhide") &&
      !g_str_equal(v, "Rawhide")) {
    name = g_strdup_printf("fedora%s", v);
    if (!os_exists(name))
      g_clear_pointer(&name, g_free);
  }
  d->out->os_name = name ? g_steal_pointer(&name) : g_strdup("fedora-unknown");
}

static gboolean
rhel_valid(Detect *d)
{
  return treeinfo_family_regex(d, ".*(Red Hat Enterprise Linux|RHEL).*");
}

static void
rhel_fill(Detect *d)
{
  if (d->ti_version)
    d->out->os_name = walk_versions("rhel", d->ti_version, FALSE);
}

static gboolean
centos_valid(Detect *d)
{
  return treeinfo_family_regex(d, ".*CentOS.*") || treeinfo_family_regex(d, ".*Scientific.*");
}

static void
centos_fill(Detect *d)
{
  if (d->ti_version)
    d->out->os_name = walk_versions("centos", d->ti_version, FALSE);
}

/* ------------------------------------------------------------ SUSE */

static void
suse_content(Detect *d)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) kv = NULL;
  const char *label, *distro, *arch, *version;

  if (d->suse_read)
    return;
  d->suse_read = TRUE;
  text = content(d, "content");
  if (!text)
    return;
  kv = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit(text, "\n", -1);
  for (char **l = lines; *l; l++) {
    static const char *const keys[] = { "LABEL", "DISTRO", "VERSION", "BASEARCHS",
                                        "DEFAULTBASE", "REPOID", NULL };
    for (const char *const *k = keys; *k; k++) {
      gsize n = strlen(*k);
      if (strncmp(*l, *k, n) == 0 && (*l)[n] == ' ')
        g_hash_table_replace(kv, g_strdup(*k), g_strchomp(g_strdup(*l + n + 1)));
    }
  }
  arch = g_hash_table_lookup(kv, "BASEARCHS");
  if (!arch)
    arch = g_hash_table_lookup(kv, "DEFAULTBASE");
  if (!arch && g_hash_table_lookup(kv, "REPOID")) {
    const char *slash = strrchr(g_hash_table_lookup(kv, "REPOID"), '/');
    arch = slash ? slash + 1 : NULL;
  }
  if (arch) {
    d->suse_arch = g_strstrip(g_strdup(arch));
    if (strstr(d->suse_arch, "i586-x86_64"))
      g_free(d->suse_arch), d->suse_arch = g_strdup("x86_64");
    /* BASEARCHS may list several: the first */
    if (strchr(d->suse_arch, ' '))
      *strchr(d->suse_arch, ' ') = '\0';
  }
  label = g_hash_table_lookup(kv, "LABEL");
  distro = g_hash_table_lookup(kv, "DISTRO");
  if (label)
    d->suse_product = g_strdup(label);
  else if (distro && strrchr(distro, ','))
    d->suse_product = g_strdup(strrchr(distro, ',') + 1);
  if (!d->suse_product)
    return;
  version = g_hash_table_lookup(kv, "VERSION");
  d->suse_version = g_strdup(version ? version : "");
  if (strchr(d->suse_version, '-'))
    *strchr(d->suse_version, '-') = '\0';
  if (!*d->suse_version && distro &&
      g_regex_match_simple("^.*:.*,openSUSE*", distro, 0, 0)) {
    /* "cpe:/o:opensuse:opensuse:13.2,openSUSE" */
    g_autofree char *cpe = g_strndup(distro, (gsize)(strrchr(distro, ',') - distro));
    g_auto(GStrv) f = g_strsplit(g_strstrip(cpe), ":", -1);
    if (g_strv_length(f) > 4) {
      g_free(d->suse_version);
      d->suse_version = g_strdup(f[4]);
    }
  }
  g_strstrip(d->suse_version);
  if (strstr(d->suse_product, "Enterprise") || strstr(d->suse_product, "SLES")) {
    g_auto(GStrv) w = g_strsplit(g_strstrip(d->suse_product), " ", -1);
    guint n = g_strv_length(w);
    if (n > 4) {
      g_free(d->suse_version);
      d->suse_version = n > 5 && strlen(w[5]) > 2 ? g_strdup_printf("%s.%c", w[4], w[5][2])
                                                  : g_strdup(w[4]);
    }
  }
  note(d, "SUSE content product=%s version=%s arch=%s", d->suse_product, d->suse_version,
       d->suse_arch ? d->suse_arch : "");
}

static gboolean
suse_valid(Detect *d, const char *famregex, const char *const *product_regexes)
{
  if (treeinfo_family_regex(d, famregex))
    return TRUE;
  suse_content(d);
  if (!d->suse_product || !d->suse_arch)
    return FALSE;
  for (const char *const *r = product_regexes; *r; r++)
    if (g_regex_match_simple(*r, d->suse_product, G_REGEX_ANCHORED, 0))
      return TRUE;
  return FALSE;
}

static gboolean
sles_valid(Detect *d)
{
  static const char *const re[] = { ".*SUSE Linux Enterprise Server*", ".*SUSE SLES*", NULL };
  return suse_valid(d, ".*SUSE Linux Enterprise.*", re);
}

static gboolean
sled_valid(Detect *d)
{
  static const char *const re[] = { ".*SUSE Linux Enterprise Desktop*", NULL };
  return suse_valid(d, ".*SUSE Linux Enterprise.*", re);
}

static gboolean
opensuse_valid(Detect *d)
{
  static const char *const re[] = { ".*openSUSE.*", NULL };
  return suse_valid(d, ".*openSUSE.*", re);
}

static char *
suse_version_name(Detect *d, const char *prefix)
{
  gboolean sle = g_str_has_prefix(prefix, "sle");
  const char *location = vmi_media_get_location(d->media);

  if (d->treeinfo_matched && d->ti_name) {
    if (g_regex_match_simple("openSUSE Tumbleweed", d->ti_name, 0, 0))
      return g_strdup("opensusetumbleweed");
    return walk_versions(prefix, d->ti_version, sle);
  }
  /* a codename in the URL: .../opensuse/leap/15.4/... names opensuse15.4 */
  if (g_str_equal(prefix, "opensuse")) {
    g_autoptr(GPtrArray) names = vmi_os_list_short_ids(NULL);
    for (guint i = 0; names && i < names->len; i++) {
      const char *n = names->pdata[i];
      g_autofree char *needle = NULL;
      if (!g_str_has_prefix(n, "opensuse"))
        continue;
      needle = g_strdup_printf("/%s/", n + strlen("opensuse"));
      if (strlen(n) > strlen("opensuse") && strstr(location, needle))
        return g_strdup(n);
    }
  }
  if (d->suse_version && *d->suse_version) {
    g_auto(GStrv) v = g_strsplit(d->suse_version, ".", 2);
    g_autofree char *name = NULL;
    if (sle)
      name = v[1] ? g_strdup_printf("%s%ssp%s", prefix, g_strstrip(v[0]), g_strstrip(v[1]))
                  : g_strdup_printf("%s%s", prefix, g_strstrip(v[0]));
    else
      name = g_strdup_printf("%s%s", prefix, d->suse_version);
    if (os_exists(name))
      return g_steal_pointer(&name);
    note(d, "%s is not in osinfo-db", name);
  }
  return NULL;
}

static void
suse_fill_prefix(Detect *d, const char *prefix)
{
  g_autofree char *arch = NULL;
  g_autofree char *k = NULL, *i = NULL;
  const char *oldkern = "linux", *oldinit = "initrd";

  d->out->os_name = suse_version_name(d, prefix);
  if (d->treeinfo_matched)
    return;
  d->out->layout = g_strdup("suse");
  arch = g_strdup(d->suse_arch);
  if (g_regex_match_simple("^i[4-9]86", arch, 0, 0))
    g_free(arch), arch = g_strdup("i386");
  if (g_str_equal(arch, "x86_64"))
    oldkern = "linux64", oldinit = "initrd64";
  if (is_xen(d)) {
    k = g_strdup_printf("boot/%s/vmlinuz-xen", arch);
    i = g_strdup_printf("boot/%s/initrd-xen", arch);
    add_pair(d, "xen", k, i);
    g_clear_pointer(&k, g_free);
    g_clear_pointer(&i, g_free);
  }
  if (d->out->os_name &&
      (g_str_has_prefix(d->out->os_name, "sles11") ||
       g_str_has_prefix(d->out->os_name, "sled11"))) {
    if (g_str_equal(arch, "s390x"))
      add_pair(d, "hvm", "boot/s390x/vmrdr.ikr", "boot/s390x/initrd");
    if (g_str_equal(arch, "ppc64"))
      add_pair(d, "hvm", "suseboot/linux64", "suseboot/initrd64");
  }
  k = g_strdup_printf("boot/%s/linux", arch);
  i = g_strdup_printf("boot/%s/initrd", arch);
  add_pair(d, "hvm", k, i);
  g_free(k), g_free(i);
  k = g_strdup_printf("boot/loader/%s", oldkern);
  i = g_strdup_printf("boot/loader/%s", oldinit);
  add_pair(d, "hvm", k, i);
  g_free(k), g_free(i);
  k = g_strdup_printf("boot/%s/loader/linux", arch);
  i = g_strdup_printf("boot/%s/loader/initrd", arch);
  add_pair(d, "hvm", k, i);
}

static void sles_fill(Detect *d) { suse_fill_prefix(d, "sles"); }
static void sled_fill(Detect *d) { suse_fill_prefix(d, "sled"); }
static void opensuse_fill(Detect *d) { suse_fill_prefix(d, "opensuse"); }

/* ------------------------------------------------------------ Debian */

static gboolean
debian_check_manifest(Detect *d, const char *path, gboolean ubuntu)
{
  if (content_regex(d, path, ".*[Uu]buntu.*"))
    return ubuntu;
  return content_regex(d, path, ".*[Dd]ebian.*");
}

static gboolean
debianish_valid(Detect *d, gboolean ubuntu)
{
  const char *type = NULL;

  if (debian_check_manifest(d, "current/images/MANIFEST", ubuntu))
    type = "url";
  else if (debian_check_manifest(d, "current/legacy-images/MANIFEST", ubuntu))
    type = "legacy_url";
  else if (debian_check_manifest(d, "daily/MANIFEST", ubuntu))
    type = "daily";
  else if (content_regex(d, ".disk/info", ubuntu ? "Ubuntu.*" : "Debian.*"))
    /* an ISO read directly is attached as the install cdrom: its
     * cdrom kernels; a mounted ISO served as a tree: netboot kernels */
    type = vmi_media_get_kind(d->media) == VMI_MEDIA_ISO ? "disk" : "mounted_iso_url";
  if (type) {
    g_free(d->debian_media_type);
    d->debian_media_type = g_strdup(type);
  }
  return type != NULL;
}

static gboolean debian_valid(Detect *d) { return debianish_valid(d, FALSE); }
static gboolean ubuntu_valid(Detect *d) { return debianish_valid(d, TRUE); }

static char *
debian_tree_arch(Detect *d)
{
  const char *uri = vmi_media_get_location(d->media);
  static const char *const patterns[] = { "^.*/installer-(\\w+)/?$",
                                          "^.*/daily-images/(\\w+)/?$", NULL };

  for (const char *const *p = patterns; *p; p++) {
    g_autoptr(GRegex) re = g_regex_new(*p, 0, 0, NULL);
    g_autoptr(GMatchInfo) m = NULL;
    if (re && g_regex_match(re, uri, 0, &m))
      return g_match_info_fetch(m, 1);
  }
  for (const char *const *a = (const char *const[]){ "i386", "amd64", "x86_64", "arm64", NULL };
       *a; a++)
    if (strstr(uri, *a))
      return g_strdup(g_str_equal(*a, "x86_64") ? "amd64" : *a);
  return g_strdup("i386");
}

/* The kernels of an install CD, for the guest's architecture. */
static void
debian_cd_pairs(Detect *d, gboolean ubuntu)
{
  const char *arch = guest_arch(d);

  if (ubuntu) {
    if (g_str_equal(arch, "s390x"))
      add_pair(d, "hvm", "boot/kernel.ubuntu", "boot/initrd.ubuntu");
    else
      add_pair(d, "hvm", "install/vmlinuz", "install/initrd.gz");
  } else if (g_str_equal(arch, "x86_64")) {
    if (is_xen(d))
      add_pair(d, "xen", "install.amd/xen/vmlinuz", "install.amd/xen/initrd.gz");
    add_pair(d, "hvm", "install.amd/vmlinuz", "install.amd/initrd.gz");
  } else if (g_str_equal(arch, "i686"))
    add_pair(d, "hvm", "install.386/vmlinuz", "install.386/initrd.gz");
  else if (g_str_equal(arch, "aarch64"))
    add_pair(d, "hvm", "install.a64/vmlinuz", "install.a64/initrd.gz");
  else if (g_str_equal(arch, "ppc64le"))
    add_pair(d, "hvm", "install/vmlinux", "install/initrd.gz");
  else if (g_str_equal(arch, "s390x"))
    add_pair(d, "hvm", "boot/linux_vm", "boot/root.bin");
  else
    add_pair(d, "hvm", "install/vmlinuz", "install/initrd.gz");
}

static void
debianish_fill(Detect *d, const char *debname)
{
  const char *type = d->debian_media_type;
  gboolean ubuntu = g_str_equal(debname, "ubuntu");

  if (g_str_equal(type, "disk")) {
    d->out->layout = g_strdup(ubuntu ? "ubuntu-cd" : "debian-cd");
    debian_cd_pairs(d, ubuntu);
  } else {
    const char *prefix = g_str_equal(type, "daily") ? "daily"
                         : g_str_equal(type, "mounted_iso_url") ? "install"
                         : g_str_equal(type, "legacy_url") ? "current/legacy-images"
                         : "current/images";
    g_autofree char *tree_arch = debian_tree_arch(d);
    g_autofree char *root = NULL;
    g_autofree char *k = NULL, *i = NULL;
    const char *kbase = g_str_equal(tree_arch, "ppc64el") ? "vmlinux" : "linux";

    d->out->layout = g_strdup(g_str_equal(type, "daily") ? "debian-daily"
                              : g_str_equal(type, "mounted_iso_url") ? "debian-mounted-cd"
                              : "debian-url");
    if (is_xen(d)) {
      k = g_strdup_printf("%s/netboot/xen/vmlinuz", prefix);
      i = g_strdup_printf("%s/netboot/xen/initrd.gz", prefix);
      add_pair(d, "xen", k, i);
      g_clear_pointer(&k, g_free);
      g_clear_pointer(&i, g_free);
    }
    if (g_str_equal(tree_arch, "s390x")) {
      k = g_strdup_printf("%s/generic/kernel.%s", prefix, debname);
      i = g_strdup_printf("%s/generic/initrd.%s", prefix, debname);
    } else {
      root = g_strdup_printf("%s/netboot/%s-installer/%s", prefix, debname, tree_arch);
      k = g_strdup_printf("%s/%s", root, kbase);
      i = g_strdup_printf("%s/initrd.gz", root);
    }
    add_pair(d, "hvm", k, i);
    /* a CD copied or mounted as a directory has no netboot kernels, only
     * its own (not in virt-install, which fails on such trees) */
    if (g_str_equal(type, "mounted_iso_url"))
      debian_cd_pairs(d, ubuntu);
  }

  if (g_str_equal(type, "daily")) {
    d->out->os_name = g_strdup("debiantesting");
    return;
  }
  d->out->os_name = vmi_os_find_by_codename(debname, vmi_media_get_location(d->media), NULL);
}

static void debian_fill(Detect *d) { debianish_fill(d, "debian"); }

static void
ubuntu_fill(Detect *d)
{
  debianish_fill(d, "ubuntu");
  /* live ISOs mounted or served as a tree (not in virt-install) */
  add_pair(d, "live", "casper/vmlinuz", "casper/initrd");
  add_pair(d, "live", "casper/vmlinuz", "casper/initrd.gz");
  add_pair(d, "live", "casper/vmlinuz", "casper/initrd.lz");
}

/* ------------------------------------------------------------ Mageia, Mandriva */

static gboolean
mageia_valid(Detect *d)
{
  g_autofree char *text = NULL;
  g_autoptr(GRegex) re = NULL;
  g_autoptr(GMatchInfo) m = NULL;

  if (d->mageia_version)
    return TRUE;
  text = content(d, "VERSION");
  if (!text)
    return FALSE;
  re = g_regex_new("^Mageia (\\d+) .*", G_REGEX_ANCHORED, 0, NULL);
  if (!g_regex_match(re, text, 0, &m))
    return FALSE;
  d->mageia_version = g_match_info_fetch(m, 1);
  return TRUE;
}

static void
mageia_fill(Detect *d)
{
  g_autofree char *name = g_strdup_printf("mageia%s", d->mageia_version);
  g_autofree char *k = g_strdup_printf("isolinux/%s/vmlinuz", guest_arch(d));
  g_autofree char *i = g_strdup_printf("isolinux/%s/all.rdz", guest_arch(d));

  d->out->layout = g_strdup("mageia");
  if (os_exists(name))
    d->out->os_name = g_steal_pointer(&name);
  add_pair(d, "hvm", k, i);
  /* trees name 32-bit x86 i586 (not in virt-install, which looks in i686) */
  if (g_str_equal(guest_arch(d), "i686"))
    add_pair(d, "hvm", "isolinux/i586/vmlinuz", "isolinux/i586/all.rdz");
}

static gboolean
mandriva_valid(Detect *d)
{
  return content_regex(d, "VERSION", "(Mandriva|Mandrake)(linux| Linux)? ");
}

static void
mandriva_fill(Detect *d)
{
  g_autofree char *text = content(d, "VERSION");
  g_autoptr(GRegex) re = g_regex_new("(Mandriva|Mandrake)(?:linux| Linux)? (\\d+(?:\\.\\d+)?)",
                                     0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;
  const char *arch = guest_arch(d);

  d->out->layout = g_strdup("mandriva");
  if (text && g_regex_match(re, text, 0, &m)) {
    g_autofree char *brand = g_match_info_fetch(m, 1);
    g_autofree char *ver = g_match_info_fetch(m, 2);
    g_autofree char *name = g_strdup_printf("%s%s", g_str_equal(brand, "Mandrake")
                                                    ? "mandrake" : "mandriva", ver);
    if (!os_exists(name) && !strchr(ver, '.')) {
      g_free(name);
      name = g_strdup_printf("mandriva%s.0", ver);
    }
    if (os_exists(name))
      d->out->os_name = g_steal_pointer(&name);
  }
  if (g_str_equal(arch, "x86_64"))
    add_pair(d, "hvm", "isolinux/x86_64/vmlinuz", "isolinux/x86_64/all.rdz");
  add_pair(d, "hvm", "isolinux/i586/vmlinuz", "isolinux/i586/all.rdz");
  add_pair(d, "hvm", "isolinux/alt0/vmlinuz", "isolinux/alt0/all.rdz");
}

/* ------------------------------------------------------------ ALT Linux */

static gboolean
alt_valid(Detect *d)
{
  return content_regex(d, ".disk/info", ".*(ALT|Simply|BaseALT)") ||
         vmi_media_has_file(d->media, "altinst", NULL) ||
         vmi_media_has_file(d->media, "ALTLinux/base/release", NULL);
}

static void
alt_fill(Detect *d)
{
  g_autofree char *info = content(d, ".disk/info");
  g_autoptr(GRegex) re = g_regex_new("(\\d+)\\.(\\d+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) m = NULL;

  d->out->layout = g_strdup("alt");
  if (info && g_regex_match(re, info, 0, &m)) {
    g_autofree char *a = g_match_info_fetch(m, 1);
    g_autofree char *b = g_match_info_fetch(m, 2);
    g_autofree char *name = g_strdup_printf("alt%s.%s", a, b);
    if (os_exists(name))
      d->out->os_name = g_steal_pointer(&name);
  }
  add_pair(d, "hvm", "syslinux/alt0/vmlinuz", "syslinux/alt0/full.cz");
  add_pair(d, "hvm", "isolinux/alt0/vmlinuz", "isolinux/alt0/full.cz");
  add_pair(d, "hvm", "boot/vmlinuz", "boot/full.cz");
  add_pair(d, "hvm", "alt0/vmlinuz", "alt0/full.cz");
  add_pair(d, "hvm", "EFI/BOOT/vmlinuz", "EFI/BOOT/full.cz");
}

/* ------------------------------------------------------------ generic */

static gboolean
treeinfo_valid(Detect *d)
{
  if (!treeinfo(d))
    return FALSE;
  d->treeinfo_matched = TRUE;
  return TRUE;
}

static void
treeinfo_fill(Detect *d)
{
}

static gboolean
pxeboot_valid(Detect *d)
{
  return vmi_media_has_file(d->media, "images/pxeboot/vmlinuz", NULL);
}

static void
pxeboot_fill(Detect *d)
{
  d->out->layout = g_strdup("pxeboot");
  if (is_xen(d))
    add_pair(d, "xen", "images/xen/vmlinuz", "images/xen/initrd.img");
  add_pair(d, "hvm", "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img");
}

/* ------------------------------------------------------------ Solaris (xVM) */

/* The xVM rules (src/lib/solaris): the PV kernel and ramdisk say which release */
static gboolean
solaris_valid(Detect *d)
{
  if (!vmi_solaris_detect(vmi_media_solaris_has_file, d->media, &d->solaris, d->error)) {
    d->failed = TRUE;
    return FALSE;
  }
  return d->solaris.release != VMI_SOLARIS_NONE;
}

/* Only the pair of the 32/64-bit rule for the query's guest: a 64-bit
 * guest never falls back to the 32-bit kernel (nor the reverse).  Solaris
 * media boot their kernel in a Xen PV guest only, for any query. */
static void
solaris_fill(Detect *d)
{
  gboolean use64 = vmi_solaris_use_64bit(d->q ? d->q->memory_mib : 0,
                                         d->q && d->q->host_64bit);
  guint n;
  const VmiSolarisPair *pairs = vmi_solaris_boot_pairs(d->solaris.release, use64, &n);
  const char *os = vmi_solaris_os_name(d->solaris.release);

  d->out->layout = vmi_solaris_layout(&d->solaris);
  if (os && os_exists(os))
    d->out->os_name = g_strdup(os);
  for (guint i = 0; i < n; i++)
    add_pair(d, use64 ? "64-bit" : "32-bit", pairs[i].kernel, pairs[i].ramdisk);
}

static const Family families[] = {
  { "osinfo", NULL, osinfo_valid, osinfo_fill },
  { "fedora", "fedora", fedora_valid, fedora_fill },
  { "rhel", "rhel", rhel_valid, rhel_fill },
  { "centos", "centos", centos_valid, centos_fill },
  { "sles", "sles", sles_valid, sles_fill },
  { "sled", "sled", sled_valid, sled_fill },
  { "opensuse", "opensuse", opensuse_valid, opensuse_fill },
  { "debian", "debian", debian_valid, debian_fill },
  { "ubuntu", "ubuntu", ubuntu_valid, ubuntu_fill },
  { "mageia", "mageia", mageia_valid, mageia_fill },
  { "treeinfo", NULL, treeinfo_valid, treeinfo_fill },
  /* not in virt-install */
  { "mandriva", "mandriva", mandriva_valid, mandriva_fill },
  { "altlinux", "altlinux", alt_valid, alt_fill },
  { "fedora", NULL, pxeboot_valid, pxeboot_fill },
  /* virt-install dropped Solaris; its xVM rules are in src/lib/solaris */
  { "solaris", NULL, solaris_valid, solaris_fill },
};

gboolean
vmi_media_detect(VmiMedia *media, const VmiMediaQuery *query, VmiMediaInfo *out,
                 GError **error)
{
  Detect d = { .media = media, .q = query, .out = out, .error = error };
  const Family *order[G_N_ELEMENTS(families)];
  guint n = 0;
  gboolean ok = TRUE;

  memset(out, 0, sizeof(*out));
  out->pairs = g_ptr_array_new_with_free_func(boot_pair_free);
  out->notes = g_ptr_array_new_with_free_func(g_free);

  /* the family of the OS the user named goes first */
  if (query && query->distro)
    for (guint i = 0; i < G_N_ELEMENTS(families); i++)
      if (g_strcmp0(families[i].distro, query->distro) == 0 && n == 0)
        order[n++] = &families[i];
  for (guint i = 0; i < G_N_ELEMENTS(families); i++)
    if (n == 0 || order[0] != &families[i])
      order[n++] = &families[i];

  for (guint i = 0; i < n && !d.failed; i++) {
    const Family *f = order[i];

    if (!f->is_valid(&d))
      continue;
    if (d.failed)
      break;
    out->family = g_strdup(f->name);
    f->fill(&d);
    if (d.treeinfo_matched && d.treeinfo) {
      if (!out->layout)
        out->layout = g_strdup("treeinfo");
      treeinfo_pairs(&d);
    }
    if (!out->version)
      out->version = g_strdup(d.ti_version ? d.ti_version
                              : d.suse_version && *d.suse_version ? d.suse_version
                              : d.mageia_version);
    note(&d, "detected family=%s layout=%s os=%s", out->family, out->layout,
         out->os_name ? out->os_name : "(none)");
    break;
  }
  if (d.failed)
    ok = FALSE;
  if (d.osmedia) {
    out->netinst = d.osmedia->netinst;
    if (!out->os_name && d.osmedia->os_name) {
      out->os_name = g_strdup(d.osmedia->os_name);
      out->os_id = g_strdup(d.osmedia->os_id);
    }
  }
  if (out->os_name && !out->os_id) {
    g_autoptr(VmiOs) os = vmi_os_lookup(out->os_name, NULL);
    if (os && vmi_os_full_id(os))
      out->os_id = g_strdup(vmi_os_full_id(os));
    else if (!os) {
      note(&d, "detected %s is not in osinfo-db", out->os_name);
      g_clear_pointer(&out->os_name, g_free);
    }
  }
  g_clear_pointer(&d.treeinfo, vmi_treeinfo_free);
  g_free(d.suse_product);
  g_free(d.suse_version);
  g_free(d.suse_arch);
  g_free(d.debian_media_type);
  g_free(d.mageia_version);
  g_clear_pointer(&d.osmedia, vmi_os_media_free);
  return ok;
}

const VmiBootPair *
vmi_media_info_find_pair(const VmiMediaInfo *info, VmiMedia *media, GError **error)
{
  for (guint i = 0; info->pairs && i < info->pairs->len; i++) {
    const VmiBootPair *p = info->pairs->pdata[i];
    GError *local = NULL;
    gboolean k = vmi_media_has_file(media, p->kernel, &local);
    gboolean r = !local && k && vmi_media_has_file(media, p->initrd, &local);

    if (local) {
      g_propagate_error(error, local);
      return NULL;
    }
    if (k && r)
      return p;
  }
  return NULL;
}
