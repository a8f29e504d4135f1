/*
 * The NoCloud documents of --cloud-init.  The generated user-data follows
 * virt-install's cloudinit.py (chpasswd for root, ssh keys, the disable
 * runcmd) with the fixes its users asked for:
 *   - the default cloud user's key goes to the top-level
 *     ssh_authorized_keys (cloud-init gives those to the image's default
 *     user); virt-install wrote a nameless user entry cloud-init ignores;
 *   - with a root key, "users" keeps "default" (else cloud-init does not
 *     create the image's user) and disable_root is off (else cloud-init
 *     makes root's key print "log in as the user ..." and exit);
 *   - user-data= together with options that generate user-data is an
 *     error instead of silently dropping those options;
 *   - ssh keys are YAML-quoted.
 * Without meta-data=, the meta-data names the instance and its hostname
 * (virt-install left it empty).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include "lazy-libs.h"
#include "cloudinit.h"
#include "vminstall/error.h"

#define MAX_DATA_FILE (16 * 1024 * 1024)

struct _VmiCloudInit {
  char *user_data;
  gsize user_data_len;  /* gzip'd user-data holds NUL bytes */
  char *meta_data;
  char *network_config;
  char *password;   /* generated root password, or NULL */
};

static void
wipe_free(char *s)
{
  if (s) {
    explicit_bzero(s, strlen(s));
    g_free(s);
  }
}

void
vmi_cloudinit_free(VmiCloudInit *ci)
{
  if (!ci)
    return;
  /* user-data can hold the root password */
  if (ci->user_data)
    explicit_bzero(ci->user_data, ci->user_data_len);
  g_free(ci->user_data);
  g_free(ci->meta_data);
  g_free(ci->network_config);
  wipe_free(ci->password);
  g_free(ci);
}

const char *
vmi_cloudinit_user_data(const VmiCloudInit *ci)
{
  return ci->user_data;
}

const char *
vmi_cloudinit_meta_data(const VmiCloudInit *ci)
{
  return ci->meta_data;
}

const char *
vmi_cloudinit_network_config(const VmiCloudInit *ci)
{
  return ci->network_config;
}

const char *
vmi_cloudinit_generated_password(const VmiCloudInit *ci)
{
  return ci->password;
}

/* ---- reading the user's files ---- */

/* The whole file @path, NUL-terminated; @mode receives its mode bits. */
static char *
read_file(const char *opt, const char *path, mode_t *mode, gsize *len, GError **error)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  GString *s;
  char buf[8192];

  if (fd < 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "--cloud-init: %s: cannot read '%s': %s",
                opt, path, g_strerror(errno));
    return NULL;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "--cloud-init: %s: '%s' is not a regular file",
                opt, path);
    return NULL;
  }
  if (st.st_size > MAX_DATA_FILE) {
    close(fd);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: %s: '%s' is larger than %d MiB", opt, path,
                MAX_DATA_FILE / (1024 * 1024));
    return NULL;
  }
  if (mode)
    *mode = st.st_mode;
  s = g_string_sized_new((gsize)st.st_size + 1);
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED, "--cloud-init: %s: cannot read '%s': %s",
                  opt, path, g_strerror(errno));
      close(fd);
      explicit_bzero(s->str, s->len);
      g_string_free(s, TRUE);
      return NULL;
    }
    if (n == 0)
      break;
    g_string_append_len(s, buf, n);
  }
  explicit_bzero(buf, sizeof(buf));
  close(fd);
  if (len)
    *len = s->len;
  if (memchr(s->str, '\0', s->len) && !(s->len >= 2 && (guchar)s->str[0] == 0x1f &&
                                        (guchar)s->str[1] == 0x8b)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: %s: '%s' holds NUL bytes; it must be a text file", opt, path);
    g_string_free(s, TRUE);
    return NULL;
  }
  return g_string_free(s, FALSE);
}

/* The first line of @path without its line end, as virt-install reads
 * passwords and keys. */
static char *
read_first_line(const char *opt, const char *path, mode_t *mode, GError **error)
{
  char *all = read_file(opt, path, mode, NULL, error);
  char *line;

  if (!all)
    return NULL;
  line = g_strndup(all, strcspn(all, "\r\n"));
  wipe_free(all);
  return line;
}

static gboolean
world_readable(mode_t mode)
{
  return (mode & S_IROTH) != 0;
}

static char *
read_password(const char *path, GPtrArray *warnings, GError **error)
{
  mode_t mode = 0;
  char *pw = read_first_line("root-password-file", path, &mode, error);

  if (!pw)
    return NULL;
  if (!*pw) {
    g_free(pw);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: root-password-file: the first line of '%s' is empty "
                "(it must hold the password)", path);
    return NULL;
  }
  if (world_readable(mode) && warnings)
    g_ptr_array_add(warnings, g_strdup_printf("--cloud-init: root-password-file '%s' can be "
                                              "read by every user of this host "
                                              "(chmod 600 it)", path));
  return pw;
}

static char *
read_ssh_key(const char *opt, const char *path, GError **error)
{
  char *key = read_first_line(opt, path, NULL, error);

  if (!key)
    return NULL;
  g_strstrip(key);
  if (!*key) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: %s: the first line of '%s' is empty (it must hold a public "
                "key, like ~/.ssh/id_ed25519.pub)", opt, path);
    g_free(key);
    return NULL;
  }
  if (g_str_has_prefix(key, "-----BEGIN") || g_str_has_prefix(key, "PuTTY-User-Key-File")) {
    wipe_free(key);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: %s: '%s' is a private key; give the public key "
                "(the .pub file)", opt, path);
    return NULL;
  }
  return key;
}

/* ---- checking what cloud-init will read ---- */

/* The first lines cloud-init's user-data handlers recognise
 * (cloudinit/handlers; a MIME multipart starts with its headers). */
static const char *const user_data_starts[] = {
  "#cloud-config-archive", "#cloud-config-jsonp", "#!", "#include", "#cloud-boothook",
  "#part-handler", "#upstart-job", "## template: jinja", NULL,
};

static gboolean
check_yaml(const char *opt, const char *path, const char *text, GError **error)
{
  const VmiYamlFuncs *Y = vmi_yaml(error);
  yaml_parser_t parser;
  yaml_event_t event;
  gboolean ok = TRUE;
  gboolean done = FALSE;

  if (!Y)
    return FALSE;
  if (!Y->yaml_parser_initialize(&parser)) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_FAILED, "cannot start the YAML parser");
    return FALSE;
  }
  Y->yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
  while (!done) {
    if (!Y->yaml_parser_parse(&parser, &event)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                  "--cloud-init: %s: '%s' is not valid YAML: %s at line %zu, column %zu", opt,
                  path, parser.problem ? parser.problem : "syntax error",
                  parser.problem_mark.line + 1, parser.problem_mark.column + 1);
      ok = FALSE;
      break;
    }
    done = event.type == YAML_STREAM_END_EVENT;
    Y->yaml_event_delete(&event);
  }
  Y->yaml_parser_delete(&parser);
  return ok;
}

static gboolean
check_user_data(const char *path, const char *text, gsize len, GError **error)
{
  g_autofree char *first = NULL;
  const char *cc = "#cloud-config";

  /* gzip'd user-data is unpacked by cloud-init first */
  if (len >= 2 && (guchar)text[0] == 0x1f && (guchar)text[1] == 0x8b)
    return TRUE;
  for (int i = 0; user_data_starts[i]; i++)
    if (g_str_has_prefix(text, user_data_starts[i]))
      return TRUE;
  if (!g_ascii_strncasecmp(text, "Content-Type:", 13) ||
      !g_ascii_strncasecmp(text, "MIME-Version:", 13))
    return TRUE;
  if (g_str_has_prefix(text, cc) && strchr(" \t\r\n", text[strlen(cc)]))
    return check_yaml("user-data", path, text, error);
  first = g_strndup(text, MIN(strcspn(text, "\r\n"), 40));
  g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
              "--cloud-init: user-data: '%s' %s%s%s, which cloud-init ignores "
              "(the first line must be #cloud-config, a #! script, #include or "
              "another cloud-init user-data header)", path,
              *first ? "starts with '" : "is empty", first, *first ? "'" : "");
  return FALSE;
}

static char *
read_data_file(const char *opt, const char *path, gboolean yaml, GError **error)
{
  char *text = read_file(opt, path, NULL, NULL, error);

  if (!text)
    return NULL;
  if (yaml && *text && !check_yaml(opt, path, text, error)) {
    g_free(text);
    return NULL;
  }
  return text;
}

/* ---- generating ---- */

static char *
generate_password(GError **error)
{
  static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char *pw = g_malloc0(17);
  int n = 0;

  while (n < 16) {
    unsigned char rnd[32];
    ssize_t got = getrandom(rnd, sizeof(rnd), 0);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                  "--cloud-init: cannot get random bytes for the root password: %s",
                  g_strerror(errno));
      g_free(pw);
      return NULL;
    }
    /* 62 * 4 = 248: no bias */
    for (ssize_t i = 0; i < got && n < 16; i++)
      if (rnd[i] < 248)
        pw[n++] = chars[rnd[i] % 62];
    explicit_bzero(rnd, sizeof(rnd));
  }
  return pw;
}

/* A YAML double-quoted scalar. */
static void
append_quoted(GString *s, const char *text)
{
  g_string_append_c(s, '"');
  for (const char *p = text; *p; p++) {
    if (*p == '"' || *p == '\\')
      g_string_append_c(s, '\\');
    if ((guchar)*p < 0x20)
      g_string_append_printf(s, "\\x%02x", (guchar)*p);
    else
      g_string_append_c(s, *p);
  }
  g_string_append_c(s, '"');
}

static char *
make_user_data(const VmiCloudInitOpts *o, gboolean generate, gboolean disable,
               const char *rootpass, const char *rootkey, const char *userkey)
{
  GString *s = g_string_new("#cloud-config\n");

  if (rootpass) {
    g_string_append(s, "chpasswd:\n  list: |\n    root:");
    g_string_append(s, rootpass);
    g_string_append_printf(s, "\n  expire: %s\n", generate ? "True" : "False");
  }
  if (rootkey) {
    g_string_append(s, "disable_root: false\n"
                       "users:\n"
                       "  - default\n"
                       "  - name: root\n"
                       "    ssh_authorized_keys:\n"
                       "      - ");
    append_quoted(s, rootkey);
    g_string_append_c(s, '\n');
  }
  if (userkey) {
    g_string_append(s, "ssh_authorized_keys:\n  - ");
    append_quoted(s, userkey);
    g_string_append_c(s, '\n');
  }
  if (disable)
    g_string_append(s, "runcmd:\n"
                       "  - echo \"Disabled by vminstall\" > /etc/cloud/cloud-init.disabled\n");
  return g_string_free(s, FALSE);
}

static char *
make_meta_data(const char *hostname, const char *instance_id)
{
  GString *s = g_string_new(NULL);

  if (instance_id) {
    g_string_append(s, "instance-id: ");
    append_quoted(s, instance_id);
    g_string_append_c(s, '\n');
  }
  if (hostname) {
    g_string_append(s, "local-hostname: ");
    append_quoted(s, hostname);
    g_string_append_c(s, '\n');
  }
  return g_string_free(s, FALSE);
}

VmiCloudInit *
vmi_cloudinit_new(const VmiCloudInitOpts *opts, gboolean bare, const char *hostname,
                  const char *instance_id, GPtrArray *warnings, GError **error)
{
  g_autoptr(VmiCloudInit) ci = g_new0(VmiCloudInit, 1);
  gboolean generate = bare || opts->root_password_generate == 1;
  gboolean disable = bare || opts->disable == 1;
  char *rootpass = NULL;
  g_autofree char *rootkey = NULL;
  g_autofree char *userkey = NULL;

  if (bare && warnings)
    g_ptr_array_add(warnings,
                    g_strdup("Defaulting to --cloud-init root-password-generate=yes,disable=yes"));

  if (opts->user_data && (generate || disable || opts->root_password_file ||
                          opts->root_ssh_key || opts->clouduser_ssh_key)) {
    const char *other = generate ? "root-password-generate" :
                        disable ? "disable" :
                        opts->root_password_file ? "root-password-file" :
                        opts->root_ssh_key ? "root-ssh-key" : "clouduser-ssh-key";
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--cloud-init: user-data= is used as it is, so %s= would be ignored "
                "(put it in the user-data file, or leave out user-data=)", other);
    return NULL;
  }
  if (generate && opts->root_password_file) {
    g_set_error_literal(error, VMI_ERROR, VMI_ERROR_USAGE,
                        "--cloud-init: root-password-generate=on and root-password-file= "
                        "both set the root password (choose one)");
    return NULL;
  }

  if (opts->meta_data) {
    ci->meta_data = read_data_file("meta-data", opts->meta_data, TRUE, error);
    if (!ci->meta_data)
      return NULL;
  } else {
    ci->meta_data = make_meta_data(hostname, instance_id);
  }
  if (opts->network_config) {
    ci->network_config = read_data_file("network-config", opts->network_config, TRUE, error);
    if (!ci->network_config)
      return NULL;
    /* virt-install adds the file only when it has content */
    if (!*ci->network_config)
      g_clear_pointer(&ci->network_config, g_free);
  }

  if (opts->user_data) {
    ci->user_data = read_file("user-data", opts->user_data, NULL, &ci->user_data_len, error);
    if (!ci->user_data ||
        !check_user_data(opts->user_data, ci->user_data, ci->user_data_len, error))
      return NULL;
    return g_steal_pointer(&ci);
  }

  if (opts->root_ssh_key && !(rootkey = read_ssh_key("root-ssh-key", opts->root_ssh_key, error)))
    return NULL;
  if (opts->clouduser_ssh_key &&
      !(userkey = read_ssh_key("clouduser-ssh-key", opts->clouduser_ssh_key, error)))
    return NULL;
  if (generate) {
    ci->password = generate_password(error);
    if (!ci->password)
      return NULL;
    rootpass = g_strdup(ci->password);
  } else if (opts->root_password_file) {
    rootpass = read_password(opts->root_password_file, warnings, error);
    if (!rootpass)
      return NULL;
  }
  ci->user_data = make_user_data(opts, generate, disable, rootpass, rootkey, userkey);
  ci->user_data_len = strlen(ci->user_data);
  wipe_free(rootpass);
  return g_steal_pointer(&ci);
}

gboolean
vmi_cloudinit_write_seed(const VmiCloudInit *ci, int fd, GError **error)
{
  VmiIsoFile files[3] = {
    { "meta-data", ci->meta_data, strlen(ci->meta_data) },
    { "user-data", ci->user_data, ci->user_data_len },
    { "network-config", ci->network_config,
      ci->network_config ? strlen(ci->network_config) : 0 },
  };

  return vmi_iso_write(fd, "CIDATA", files, ci->network_config ? 3 : 2, error);
}
