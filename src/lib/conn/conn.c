/*
 * The libvirt connection: opened on first need, with virt-install's URI
 * classification and its test-suite URI form.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libvirt/virterror.h>
#include "conn.h"
#include "vminstall/error.h"
#include "xmlread.h"

#define MAGIC_PREFIX "__virtinst_test__"

/* The parts of a libvirt URI virt-install looks at (its uri.URI). */
typedef struct {
  char *scheme;    /* lower case, transport removed */
  char *transport;
  char *username;
  char *hostname;
  char *port;
  char *path;
} UriParts;

struct _VmiConn {
  char *uri;      /* advertised */
  char *open_uri; /* what virConnectOpen gets */
  UriParts parts; /* of the advertised URI */
  char *open_scheme;
  VmiDriver driver;

  gboolean magic;
  gboolean fakeuri;
  gboolean predictable;
  char *caps_file;
  char *domcaps_file;
  char *domcaps_xml; /* domcaps_file's text, read on first need */

  gboolean is_default; /* no --connect, no LIBVIRT_DEFAULT_URI: may fall back to embed */
  gboolean embedded;   /* the URI is the embedded QEMU driver */
  char *notice;        /* one line for the user about a fallback, or NULL */

  virConnectPtr conn;
  VmiCaps *caps;
  GHashTable *domcaps; /* combination key -> VmiDomcaps* */
};

/* ---- libvirt errors ---- */

/* libvirt's default handler prints every error to stderr; library code
 * must not print, so errors are only collected with virGetLastError. */
static void
silent_error_handler(void *data, virErrorPtr err)
{
}

static void
install_error_handler(void)
{
  static gsize done;

  if (g_once_init_enter(&done)) {
    virSetErrorFunc(NULL, silent_error_handler);
    g_once_init_leave(&done, 1);
  }
}

void
vmi_libvirt_error(GError **error, const char *fmt, ...)
{
  virErrorPtr err = virGetLastError();
  const char *msg = err && err->message ? err->message : "unknown libvirt error";
  g_autofree char *prefix = NULL;

  if (fmt) {
    va_list ap;
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
  }
  if (prefix)
    g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT, "%s: %s", prefix, msg);
  else
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_LIBVIRT, msg);
  virResetLastError();
}

/* ---- URI parsing ---- */

static char *
unquote(const char *s, gsize len)
{
  g_autofree char *raw = g_strndup(s, len);
  char *ret = g_uri_unescape_string(raw, NULL);
  /* An invalid escape leaves the text as written, as Python's unquote. */
  return ret ? ret : g_steal_pointer(&raw);
}

static void
uri_parts_clear(UriParts *p)
{
  g_clear_pointer(&p->scheme, g_free);
  g_clear_pointer(&p->transport, g_free);
  g_clear_pointer(&p->username, g_free);
  g_clear_pointer(&p->hostname, g_free);
  g_clear_pointer(&p->port, g_free);
  g_clear_pointer(&p->path, g_free);
}

/* virt-install's own splitting rather than GUri: libvirt URIs are not all
 * RFC 3986 ("test:///default", "qemu+ssh://user@[::1]:22/system"), and the
 * classification must agree with virt-install's exactly. */
static void
uri_parse(const char *uri, UriParts *out)
{
  const char *colon = strchr(uri, ':');
  const char *rest = uri;
  g_autofree char *scheme = NULL;
  g_autofree char *netloc = NULL;
  g_autofree char *user = NULL;
  char *plus;
  gsize pathlen;

  memset(out, 0, sizeof(*out));
  if (colon && colon > uri) {
    scheme = g_ascii_strdown(uri, colon - uri);
    rest = colon + 1;
    if (g_str_has_prefix(rest, "//")) {
      const char *start = rest + 2;
      const char *end = NULL;
      const char *delims = "/?#"; /* the first found of these, in this order */
      for (const char *d = delims; *d && !end; d++)
        end = strchr(start, *d);
      if (!end)
        end = start + strlen(start);
      netloc = g_strndup(start, end - start);
      rest = end;
      const char *at = strchr(netloc, '@');
      if (at && at > netloc) {
        user = g_strndup(netloc, at - netloc);
        memmove(netloc, at + 1, strlen(at + 1) + 1);
      }
    }
    /* path is what precedes the fragment and the query */
    pathlen = strcspn(rest, "#");
    pathlen = MIN(pathlen, strcspn(rest, "?"));
  } else {
    /* No scheme: virt-install leaves every part empty. */
    rest = "";
    pathlen = 0;
  }

  out->scheme = g_strdup(scheme ? scheme : "");
  plus = strrchr(out->scheme, '+');
  if (plus) {
    out->transport = g_strdup(plus + 1);
    *plus = '\0';
  } else {
    out->transport = g_strdup("");
  }
  out->username = user ? unquote(user, strlen(user)) : g_strdup("");
  out->path = unquote(rest, pathlen);

  g_autofree char *host = netloc ? unquote(netloc, strlen(netloc)) : g_strdup("");
  out->port = g_strdup("");
  if (host[0] == '[' && strchr(host, ']')) {
    char *close = strchr(host, ']');
    if (close[1] == ':') {
      g_free(out->port);
      out->port = g_strdup(close + 2);
    }
    out->hostname = g_strndup(host + 1, close - host - 1);
  } else if (strchr(host, ':')) {
    char *c = strchr(host, ':');
    g_free(out->port);
    out->port = g_strdup(c + 1);
    out->hostname = g_strndup(host, c - host);
  } else {
    out->hostname = g_steal_pointer(&host);
  }
}

/* One table for the drivers: their names and the URI schemes virt-install
 * takes for them (it tests with startswith). */
static const struct {
  const char *name;
  gboolean container_only;
  const char *prefixes[3];
} drivers[VMI_DRIVER_OTHER] = {
  [VMI_DRIVER_QEMU] = { "qemu", FALSE, { "qemu" } },
  [VMI_DRIVER_TEST] = { "test", FALSE, { "test" } },
  [VMI_DRIVER_XEN] = { "xen", FALSE, { "xen", "libxl" } },
  [VMI_DRIVER_LXC] = { "lxc", TRUE, { "lxc" } },
  [VMI_DRIVER_OPENVZ] = { "openvz", TRUE, { "openvz" } },
  [VMI_DRIVER_VZ] = { "vz", FALSE, { "vz", "parallels" } },
  [VMI_DRIVER_BHYVE] = { "bhyve", FALSE, { "bhyve" } },
};

static VmiDriver
driver_of(const char *scheme)
{
  for (VmiDriver d = 0; d < VMI_DRIVER_OTHER; d++)
    for (guint j = 0; j < G_N_ELEMENTS(drivers[d].prefixes) && drivers[d].prefixes[j]; j++)
      if (g_str_has_prefix(scheme, drivers[d].prefixes[j]))
        return d;
  return VMI_DRIVER_OTHER;
}

const char *
vmi_driver_name(VmiDriver driver)
{
  return driver < VMI_DRIVER_OTHER ? drivers[driver].name : NULL;
}

gboolean
vmi_driver_is_container_only(VmiDriver driver)
{
  return driver < VMI_DRIVER_OTHER && drivers[driver].container_only;
}

/* ---- the test URI form ---- */

/* Splits "a=1,b='x,y',c" like virt-install's parse_optstr_tuples (shlex
 * with ',' as the only separator: quotes group, backslash escapes). */
static gboolean
split_opts(const char *s, GPtrArray *out, GError **error)
{
  g_autoptr(GString) cur = g_string_new(NULL);
  gboolean have = FALSE;
  char quote = 0;

  for (const char *p = s; *p; p++) {
    if (quote) {
      if (*p == quote) {
        quote = 0;
      } else if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\')) {
        g_string_append_c(cur, *++p);
      } else {
        g_string_append_c(cur, *p);
      }
    } else if (*p == ',') {
      if (have)
        g_ptr_array_add(out, g_strdup(cur->str));
      g_string_truncate(cur, 0);
      have = FALSE;
    } else if (*p == '\'' || *p == '"') {
      quote = *p;
      have = TRUE;
    } else if (*p == '\\' && p[1]) {
      g_string_append_c(cur, *++p);
      have = TRUE;
    } else {
      g_string_append_c(cur, *p);
      have = TRUE;
    }
  }
  if (quote) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--connect: no closing quotation in test URI options '%s'", s);
    return FALSE;
  }
  if (have)
    g_ptr_array_add(out, g_strdup(cur->str));
  return TRUE;
}

static gboolean
parse_magic(VmiConn *c, const char *uri, GError **error)
{
  const char *body = uri + strlen(MAGIC_PREFIX);
  const char *comma = strchr(body, ',');
  g_autoptr(GPtrArray) opts = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GString) unknown = g_string_new(NULL);
  g_autofree char *fakeuri = NULL;

  c->magic = TRUE;
  c->open_uri = comma ? g_strndup(body, comma - body) : g_strdup(body);
  if (comma && !split_opts(comma + 1, opts, error))
    return FALSE;

  for (guint i = 0; i < opts->len; i++) {
    const char *opt = g_ptr_array_index(opts, i);
    const char *eq = strchr(opt, '=');
    g_autofree char *key = eq ? g_strndup(opt, eq - opt) : g_strdup(opt);
    const char *val = eq ? eq + 1 : NULL;

    if (strcmp(key, "predictable") == 0) {
      c->predictable = TRUE;
    } else if (strcmp(key, "fakeuri") == 0 && val) {
      g_free(fakeuri);
      fakeuri = g_strdup(val);
    } else if (strcmp(key, "caps") == 0 && val) {
      g_free(c->caps_file);
      c->caps_file = g_strdup(val);
    } else if (strcmp(key, "domcaps") == 0 && val) {
      g_free(c->domcaps_file);
      c->domcaps_file = g_strdup(val);
    } else if ((strcmp(key, "connver") == 0 || strcmp(key, "libver") == 0) && val) {
      /* Version overrides only steer virt-install's support checks,
       * which vminstall decides by driver alone. */
      char *end = NULL;
      g_ascii_strtoll(val, &end, 10);
      if (!*val || *end) {
        g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                    "--connect: test URI option %s needs a number, not '%s'", key, val);
        return FALSE;
      }
    } else {
      g_string_append_printf(unknown, "%s%s", unknown->len ? ", " : "", opt);
    }
  }
  if (unknown->len) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--connect: unknown test URI options: %s (known: predictable, "
                "fakeuri=URI, caps=FILE, domcaps=FILE, connver=N, libver=N)",
                unknown->str);
    return FALSE;
  }
  c->fakeuri = fakeuri != NULL;
  c->uri = g_strdup(fakeuri ? fakeuri : c->open_uri);
  return TRUE;
}

/* ---- lifetime ---- */

static char *
default_uri(gboolean *is_default)
{
  const char *env = g_getenv("LIBVIRT_DEFAULT_URI");

  *is_default = !(env && *env);
  if (!*is_default)
    return g_strdup(env);
  return g_strdup(geteuid() == 0 ? "qemu:///system" : "qemu:///session");
}

/* Sets the advertised and opened URI (the same) and what follows from it. */
static void
set_plain_uri(VmiConn *c, char *uri)
{
  g_free(c->open_uri);
  g_free(c->uri);
  uri_parts_clear(&c->parts);
  g_free(c->open_scheme);
  c->open_uri = uri;
  c->uri = g_strdup(uri);
  uri_parse(c->uri, &c->parts);
  c->driver = driver_of(c->parts.scheme);
  c->open_scheme = g_strdup(c->parts.scheme);
  c->embedded = strcmp(c->parts.path, "/embed") == 0;
}

VmiConn *
vmi_conn_new(const char *uri, GError **error)
{
  g_autoptr(VmiConn) c = g_new0(VmiConn, 1);
  UriParts open_parts;

  install_error_handler();
  c->domcaps = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)vmi_domcaps_free);
  if (uri && g_str_has_prefix(uri, MAGIC_PREFIX)) {
    if (!parse_magic(c, uri, error))
      return NULL;
  } else {
    set_plain_uri(c, uri && *uri ? g_strdup(uri) : default_uri(&c->is_default));
    return g_steal_pointer(&c);
  }
  uri_parse(c->uri, &c->parts);
  c->driver = driver_of(c->parts.scheme);
  uri_parse(c->open_uri, &open_parts);
  c->open_scheme = g_steal_pointer(&open_parts.scheme);
  uri_parts_clear(&open_parts);
  return g_steal_pointer(&c);
}

void
vmi_conn_free(VmiConn *c)
{
  if (!c)
    return;
  if (c->conn)
    virConnectClose(c->conn);
  g_free(c->uri);
  g_free(c->open_uri);
  uri_parts_clear(&c->parts);
  g_free(c->open_scheme);
  g_free(c->caps_file);
  g_free(c->domcaps_file);
  g_free(c->domcaps_xml);
  g_free(c->notice);
  vmi_caps_free(c->caps);
  g_clear_pointer(&c->domcaps, g_hash_table_unref);
  g_free(c);
}

/* Did opening fail because no daemon listens (as opposed to a daemon
 * refusing us)?  libvirt reports a missing or dead socket as a system
 * error of its RPC layer. */
static gboolean
no_daemon_error(void)
{
  virErrorPtr err = virGetLastError();

  return err && err->code == VIR_ERR_SYSTEM_ERROR && err->domain == VIR_FROM_RPC;
}

/* The default connection when no daemon answers: the QEMU driver
 * embedded in this process, so that a machine with only the packages
 * installed can run an install. */
static gboolean
open_embedded_default(VmiConn *c, GError **error)
{
  g_autofree char *tried = g_strdup(c->open_uri);
  g_autofree char *root = vmi_embed_root_dir();

  virResetLastError();
  if (!vmi_embed_prepare(root, error))
    return FALSE;
  set_plain_uri(c, vmi_embed_uri(root));
  c->conn = virConnectOpen(c->open_uri);
  if (!c->conn) {
    g_autoptr(GError) inner = NULL;
    vmi_libvirt_error(&inner, NULL);
    g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT,
                "no libvirt daemon answers on '%s' and the embedded driver '%s' "
                "cannot be opened: %s", tried, c->open_uri, inner->message);
    return FALSE;
  }
  c->notice = g_strdup_printf("No libvirt daemon answers on %s: using the embedded "
                              "QEMU driver %s", tried, c->open_uri);
  return TRUE;
}

char *
vmi_conn_embed_root(const VmiConn *c)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *root;

  if (!c->embedded)
    return NULL;
  uri = g_uri_parse(c->open_uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (!uri || !g_uri_get_query(uri))
    return NULL;
  params = g_uri_parse_params(g_uri_get_query(uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  root = params ? g_hash_table_lookup(params, "root") : NULL;
  return root ? g_strdup(root) : NULL;
}

/* An embedded URI the user gave (qemu:///embed?root=DIR) gets the same
 * daemon-less configuration as the fallback, unless DIR has its own. */
static gboolean
prepare_embed_root(VmiConn *c, GError **error)
{
  g_autofree char *root = vmi_conn_embed_root(c);

  /* without a usable root, libvirt will say what is wrong with the URI */
  return !root || !g_path_is_absolute(root) || vmi_embed_prepare(root, error);
}

virConnectPtr
vmi_conn_get(VmiConn *c, GError **error)
{
  const char *test_daemon = g_getenv("VMI_TEST_DAEMON_URI");

  if (c->conn)
    return c->conn;
  install_error_handler();
  /* Before the first open: the remote driver and the embedded one only
   * deliver events (and the embedded one only talks to QEMU) through an
   * event loop registered ahead of the connection. */
  vmi_event_loop_ensure();
  if (c->is_default && test_daemon && *test_daemon) {
    /* Test-only: pretend the daemon lives elsewhere (a dead socket). */
    g_autofree char *tried = g_strdup(test_daemon);
    c->conn = virConnectOpen(tried);
    if (!c->conn && no_daemon_error())
      return open_embedded_default(c, error) ? c->conn : NULL;
    set_plain_uri(c, g_steal_pointer(&tried));
  }
  if (!c->conn && c->embedded && !prepare_embed_root(c, error))
    return NULL;
  /* The default authentication callback prompts on the terminal for
   * ssh/sasl credentials, as virt-install's openAuth does. */
  if (!c->conn)
    c->conn = virConnectOpenAuth(c->open_uri, virConnectAuthPtrDefault, 0);
  if (!c->conn && c->is_default && no_daemon_error())
    return open_embedded_default(c, error) ? c->conn : NULL;
  if (!c->conn) {
    /* libvirt's message does not always name the URI (ssh failures
     * don't), so say which connection failed. */
    g_autoptr(GError) inner = NULL;
    vmi_libvirt_error(&inner, NULL);
    g_set_error(error, VMI_ERROR, VMI_ERROR_LIBVIRT, "--connect: cannot open '%s': %s",
                c->open_uri, inner ? inner->message : "unknown error");
    return NULL;
  }
  return c->conn;
}

gboolean
vmi_conn_is_open(const VmiConn *c)
{
  return c->conn != NULL;
}

gboolean
vmi_conn_reopen(VmiConn *c, GError **error)
{
  if (c->conn) {
    virConnectClose(c->conn);
    c->conn = NULL;
  }
  c->conn = virConnectOpenAuth(c->open_uri, virConnectAuthPtrDefault, 0);
  if (!c->conn) {
    vmi_libvirt_error(error, "cannot reconnect to '%s'", c->open_uri);
    return FALSE;
  }
  return TRUE;
}

gboolean
vmi_conn_is_embedded(const VmiConn *c)
{
  return c->embedded;
}

const char *
vmi_conn_notice(const VmiConn *c)
{
  return c->notice;
}

/* ---- what the URI says ---- */

const char *
vmi_conn_uri(const VmiConn *c)
{
  return c->uri;
}

VmiDriver
vmi_conn_driver(const VmiConn *c)
{
  return c->driver;
}

const char *
vmi_conn_driver_name(const VmiConn *c)
{
  return c->driver == VMI_DRIVER_OTHER ? c->parts.scheme : vmi_driver_name(c->driver);
}

const char *
vmi_conn_open_uri(const VmiConn *c)
{
  return c->open_uri;
}

gboolean
vmi_conn_is_really_test(const VmiConn *c)
{
  return g_str_has_prefix(c->open_scheme, "test");
}

gboolean
vmi_conn_is_remote(const VmiConn *c)
{
  return c->parts.hostname[0] != '\0';
}

gboolean
vmi_conn_is_session(const VmiConn *c)
{
  if (strcmp(c->parts.path, "/session") == 0)
    return TRUE;
  if (strcmp(c->parts.path, "/embed") == 0)
    return geteuid() != 0;
  return FALSE;
}

const char *
vmi_conn_uri_hostname(const VmiConn *c)
{
  return c->parts.hostname[0] ? c->parts.hostname : NULL;
}

const char *
vmi_conn_uri_transport(const VmiConn *c)
{
  /* libvirt defaults to tls when a host is named without a transport. */
  if (c->parts.transport[0])
    return c->parts.transport;
  return vmi_conn_is_remote(c) ? "tls" : NULL;
}

gboolean
vmi_conn_is_predictable(const VmiConn *c)
{
  return c->predictable;
}

gboolean
vmi_conn_has_fakeuri(const VmiConn *c)
{
  return c->fakeuri;
}

char *
vmi_conn_data_root_dir(const VmiConn *c)
{
  const char *xdg;

  if (!vmi_conn_is_session(c))
    return g_strdup("/var/lib/libvirt");
  /* virt-install uses $XDG_DATA_HOME as is, without a libvirt subdir. */
  xdg = g_getenv("XDG_DATA_HOME");
  if (xdg && *xdg)
    return g_strdup(xdg);
  return g_build_filename(g_get_home_dir(), ".local", "share", "libvirt", NULL);
}

/* ---- capabilities ---- */

static char *
read_test_file(const char *file, const char *what, GError **error)
{
  g_autoptr(GError) local = NULL;
  char *text = NULL;

  if (!g_file_get_contents(file, &text, NULL, &local)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "--connect: cannot read the test URI's %s file: %s", what, local->message);
    return NULL;
  }
  return text;
}

const VmiCaps *
vmi_conn_caps(VmiConn *c, GError **error)
{
  g_autofree char *xml = NULL;

  if (c->caps)
    return c->caps;
  if (c->caps_file) {
    xml = read_test_file(c->caps_file, "caps", error);
    if (!xml)
      return NULL;
  } else {
    virConnectPtr conn = vmi_conn_get(c, error);
    if (!conn)
      return NULL;
    xml = virConnectGetCapabilities(conn);
    if (!xml) {
      vmi_libvirt_error(error, "cannot get the capabilities of '%s'", c->uri);
      return NULL;
    }
  }
  c->caps = vmi_caps_new_from_xml(xml, error);
  return c->caps;
}

/* The test URI's domcaps file for @arch: virt-install replaces the text
 * of <arch> (its regex "arch>.+</arch", line by line, every match). */
static char *
fake_domcaps_xml(VmiConn *c, const char *arch, GError **error)
{
  g_autoptr(GRegex) re = NULL;
  g_autofree char *replacement = NULL;

  if (!c->domcaps_xml) {
    c->domcaps_xml = read_test_file(c->domcaps_file, "domcaps", error);
    if (!c->domcaps_xml)
      return NULL;
  }
  if (!arch || !*arch)
    return g_strdup(c->domcaps_xml);
  re = g_regex_new("arch>.+</arch", 0, 0, NULL);
  g_assert(re);
  replacement = g_strdup_printf("arch>%s</arch", arch);
  return g_regex_replace_literal(re, c->domcaps_xml, -1, 0, replacement, 0, error);
}

const VmiDomcaps *
vmi_conn_domcaps(VmiConn *c, const char *emulator, const char *arch,
                 const char *machine, const char *virt_type, GError **error)
{
  g_autofree char *key = g_strdup_printf("%s\n%s\n%s\n%s", emulator ? emulator : "",
                                         arch ? arch : "", machine ? machine : "",
                                         virt_type ? virt_type : "");
  g_autofree char *xml = NULL;
  VmiDomcaps *dc;

  dc = g_hash_table_lookup(c->domcaps, key);
  if (dc)
    return dc;

  if (c->domcaps_file) {
    xml = fake_domcaps_xml(c, arch, error);
    if (!xml)
      return NULL;
  } else {
    virConnectPtr conn = vmi_conn_get(c, error);
    if (!conn)
      return NULL;
    xml = virConnectGetDomainCapabilities(conn, emulator, arch, machine, virt_type, 0);
    if (!xml)
      virResetLastError();
  }
  /* Like virt-install: a driver without domcaps (test), or one refusing
   * this combination, just has none to offer. */
  dc = xml ? vmi_domcaps_new_from_xml(xml, error) : vmi_domcaps_new_empty();
  if (!dc)
    return NULL;
  g_hash_table_insert(c->domcaps, g_steal_pointer(&key), dc);
  return dc;
}

/* ---- objects on the connection ---- */

gboolean
vmi_conn_domain_name_exists(VmiConn *c, const char *name, GError **error)
{
  virConnectPtr conn = vmi_conn_get(c, error);
  virDomainPtr dom;

  if (!conn || !name)
    return FALSE;
  dom = virDomainLookupByName(conn, name);
  if (!dom) {
    virResetLastError();
    return FALSE;
  }
  virDomainFree(dom);
  return TRUE;
}

gboolean
vmi_conn_domain_uuid_exists(VmiConn *c, const char *uuid, GError **error)
{
  virConnectPtr conn = vmi_conn_get(c, error);
  virDomainPtr dom;

  if (!conn || !uuid)
    return FALSE;
  dom = virDomainLookupByUUIDString(conn, uuid);
  if (!dom) {
    virResetLastError();
    return FALSE;
  }
  virDomainFree(dom);
  return TRUE;
}

gboolean
vmi_conn_network_exists(VmiConn *c, const char *name)
{
  virConnectPtr conn = vmi_conn_get(c, NULL);
  virNetworkPtr net;

  if (!conn || !name)
    return FALSE;
  net = virNetworkLookupByName(conn, name);
  if (!net) {
    virResetLastError();
    return FALSE;
  }
  virNetworkFree(net);
  return TRUE;
}

static char *
pool_target(virStoragePoolPtr pool)
{
  g_autofree char *xml = virStoragePoolGetXMLDesc(pool, 0);
  g_autoptr(xmlDoc) doc = NULL;

  if (!xml) {
    virResetLastError();
    return NULL;
  }
  doc = vmi_xmlread_parse(xml, "pool", "storage pool", NULL);
  if (!doc)
    return NULL;
  return vmi_xmlread_child_text(vmi_xmlread_child(xmlDocGetRootElement(doc), "target"),
                                "path");
}

char *
vmi_conn_pool_path(VmiConn *c, const char *name, GError **error)
{
  virConnectPtr conn = vmi_conn_get(c, error);
  virStoragePoolPtr pool;
  char *path;

  if (!conn)
    return NULL;
  pool = name ? virStoragePoolLookupByName(conn, name) : NULL;
  if (!pool) {
    virResetLastError();
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "storage pool '%s' not found", name ? name : "");
    return NULL;
  }
  path = pool_target(pool);
  virStoragePoolFree(pool);
  if (!path)
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "storage pool '%s' has no target path", name);
  return path;
}

static char *
abspath(const char *path)
{
  return g_canonicalize_filename(path, NULL);
}

char *
vmi_conn_pool_for_dir(VmiConn *c, const char *dir)
{
  virConnectPtr conn = vmi_conn_get(c, NULL);
  virStoragePoolPtr *pools = NULL;
  g_autofree char *want = NULL;
  char *ret = NULL;
  int n;

  if (!conn || !dir)
    return NULL;
  n = virConnectListAllStoragePools(conn, &pools, 0);
  if (n < 0) {
    virResetLastError();
    return NULL;
  }
  want = abspath(dir);
  for (int i = 0; i < n; i++) {
    g_autofree char *target = ret ? NULL : pool_target(pools[i]);
    if (target) {
      g_autofree char *have = abspath(target);
      if (strcmp(have, want) == 0) {
        const char *name = virStoragePoolGetName(pools[i]);
        ret = g_strdup(name);
      }
    }
    virStoragePoolFree(pools[i]);
  }
  free(pools);
  return ret;
}

char *
vmi_conn_volume_path(VmiConn *c, const char *pool_name, const char *vol_name, GError **error)
{
  virConnectPtr conn = vmi_conn_get(c, error);
  virStoragePoolPtr pool;
  virStorageVolPtr vol;
  char *path, *ret;

  if (!conn)
    return NULL;
  pool = pool_name ? virStoragePoolLookupByName(conn, pool_name) : NULL;
  if (!pool) {
    virResetLastError();
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "storage pool '%s' not found", pool_name ? pool_name : "");
    return NULL;
  }
  vol = vol_name ? virStorageVolLookupByName(pool, vol_name) : NULL;
  virStoragePoolFree(pool);
  if (!vol) {
    virResetLastError();
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND,
                "storage volume '%s' not found in pool '%s'", vol_name ? vol_name : "",
                pool_name);
    return NULL;
  }
  path = virStorageVolGetPath(vol);
  virStorageVolFree(vol);
  if (!path) {
    vmi_libvirt_error(error, "cannot get the path of volume '%s'", vol_name);
    return NULL;
  }
  /* libvirt's string is malloc'd; hand out a GLib one. */
  ret = g_strdup(path);
  free(path);
  return ret;
}

gboolean
vmi_conn_path_exists(VmiConn *c, const char *path)
{
  virConnectPtr conn;

  if (!path)
    return FALSE;
  conn = vmi_conn_get(c, NULL);
  if (conn) {
    virStorageVolPtr vol = virStorageVolLookupByPath(conn, path);
    if (vol) {
      virStorageVolInfo info;
      /* info() proves the volume was not removed behind libvirt's back. */
      gboolean ok = virStorageVolGetInfo(vol, &info) == 0;
      virStorageVolFree(vol);
      if (ok)
        return TRUE;
    }
    virResetLastError();
  }
  if (vmi_conn_is_remote(c))
    return FALSE;
  return g_file_test(path, G_FILE_TEST_EXISTS);
}
