/*
 * Install scripts from libosinfo, chosen and configured the way
 * virt-install's unattended.py does it (see unattended.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "osinfo-dl.h"
#include "unattended.h"
#include "vminstall/error.h"

typedef struct {
  char *filename;
  GBytes *content;
} Script;

struct _VmiUnattended {
  GPtrArray *scripts;   /* Script* */
  char *profile;
  char *cmdline;
};

static void
wipe_bytes(GBytes *b)
{
  gsize len;
  const void *p;

  if (!b)
    return;
  /* the last reference is ours: the buffer is about to be freed */
  p = g_bytes_get_data(b, &len);
  if (p && len)
    explicit_bzero((void *)p, len);
  g_bytes_unref(b);
}

static void
wipe_str(gpointer p)
{
  if (p) {
    explicit_bzero(p, strlen(p));
    g_free(p);
  }
}

static void
script_free(Script *s)
{
  g_free(s->filename);
  wipe_bytes(s->content);
  g_free(s);
}

void
vmi_unattended_free(VmiUnattended *ua)
{
  if (!ua)
    return;
  g_ptr_array_unref(ua->scripts);
  g_free(ua->profile);
  wipe_str(ua->cmdline);
  g_free(ua);
}

guint
vmi_unattended_n_scripts(const VmiUnattended *ua)
{
  return ua->scripts->len;
}

const char *
vmi_unattended_script_filename(const VmiUnattended *ua, guint i)
{
  return ((Script *)g_ptr_array_index(ua->scripts, i))->filename;
}

GBytes *
vmi_unattended_script_content(const VmiUnattended *ua, guint i)
{
  return ((Script *)g_ptr_array_index(ua->scripts, i))->content;
}

const char *
vmi_unattended_profile(const VmiUnattended *ua)
{
  return ua->profile;
}

const char *
vmi_unattended_cmdline(const VmiUnattended *ua)
{
  return ua->cmdline;
}

gboolean
vmi_unattended_available(void)
{
  return vmi_osinfo_dl(NULL) != NULL;
}

/* ---- the install configuration's inputs ---- */

static char *
read_password(const char *opt, const char *path, GPtrArray *warnings, GError **error)
{
  g_autofree char *all = NULL;
  gsize len = 0;
  GError *local = NULL;
  struct stat st;
  char *pw;

  if (!g_file_get_contents(path, &all, &len, &local)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND, "--unattended: %s: %s", opt,
                local->message);
    g_error_free(local);
    return NULL;
  }
  if (stat(path, &st) == 0 && (st.st_mode & S_IROTH) && warnings)
    g_ptr_array_add(warnings, g_strdup_printf("--unattended: %s '%s' can be read by every "
                                              "user of this host (chmod 600 it)", opt, path));
  pw = g_strndup(all, strcspn(all, "\r\n"));
  explicit_bzero(all, len);
  return pw;
}

/* virt-install's get_timezone: the zone /etc/localtime links to. */
static char *
host_timezone(void)
{
  g_autofree char *real = realpath("/etc/localtime", NULL);
  const char *p = real ? strstr(real, "zoneinfo/") : NULL;

  return p ? g_strdup(p + strlen("zoneinfo/")) : NULL;
}

/* virt-install's locale.getlocale()[0]: "de_DE" for de_DE.UTF-8, none for
 * C and POSIX; Python maps C.UTF-8 to en_US. */
static char *
host_language(void)
{
  const char *loc = setlocale(LC_CTYPE, NULL);

  if (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX"))
    return NULL;
  if (!g_ascii_strncasecmp(loc, "C.", 2))
    return g_strdup("en_US");
  return g_strndup(loc, strcspn(loc, ".@"));
}

/* virt-install's _login_from_hostuser (getpass.getuser()). */
static void
host_login(char **login, char **realname)
{
  static const char *const vars[] = { "LOGNAME", "USER", "LNAME", "USERNAME" };
  const char *name = NULL;
  struct passwd *pw;

  for (guint i = 0; i < G_N_ELEMENTS(vars) && !name; i++) {
    const char *v = g_getenv(vars[i]);
    if (v && *v)
      name = v;
  }
  pw = name ? getpwnam(name) : getpwuid(getuid());
  if (!name && pw)
    name = pw->pw_name;
  *login = NULL;
  *realname = NULL;
  if (!name || !strcmp(name, "root"))
    return;
  *login = g_strdup(name);
  *realname = g_strdup(pw && pw->pw_gecos ? pw->pw_gecos : "");
}

/* Characters some installers refuse in the computer's name become '-'. */
static char *
safe_hostname(const char *name)
{
  static const char bad[] = "{|}~[\\]^':; <=>?@!\"#$%`()+/.,*&";
  char *s = g_strdup(name ? name : "");

  for (char *p = s; *p; p++)
    if (strchr(bad, *p))
      *p = '-';
  return s;
}

/* ---- choosing the scripts ---- */

static gint
compare_str(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The raw scripts of the profile, in list order; sets @profile_out. */
static GPtrArray *
lookup_scripts(const VmiUnattendedQuery *q, OsinfoOs *os, OsinfoMedia *media,
               char **profile_out, GPtrArray *warnings, GError **error)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  OsinfoInstallScriptList *list = NULL;
  g_autoptr(GPtrArray) profiles = g_ptr_array_new_with_free_func(g_free);
  GPtrArray *chosen = g_ptr_array_new_with_free_func((GDestroyNotify)g_object_unref);
  const char *profile = q->opts->profile;
  gint n;

  if (media) {
    if (!f->osinfo_media_supports_installer_script(media)) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "--unattended: the %s media does not support unattended installation "
                  "(osinfo-db says so of live and similar media; use an installer image)",
                  q->os_name);
      g_ptr_array_unref(chosen);
      return NULL;
    }
    list = f->osinfo_media_get_install_script_list(media);
    if (list && f->osinfo_list_get_length((OsinfoList *)list) == 0)
      g_clear_object(&list);
  }
  if (!list)
    list = f->osinfo_os_get_install_script_list(os);
  n = list ? f->osinfo_list_get_length((OsinfoList *)list) : 0;
  if (n == 0) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--unattended: OS '%s' has no install scripts in osinfo-db, so it cannot be "
                "installed unattended (install it by hand, or use --cloud-init with a cloud "
                "image)", q->os_name);
    g_clear_object(&list);
    g_ptr_array_unref(chosen);
    return NULL;
  }
  for (gint i = 0; i < n; i++) {
    OsinfoInstallScript *s = (OsinfoInstallScript *)f->osinfo_list_get_nth((OsinfoList *)list, i);
    const char *p = f->osinfo_install_script_get_profile(s);
    if (p && !g_ptr_array_find_with_equal_func(profiles, p, g_str_equal, NULL))
      g_ptr_array_add(profiles, g_strdup(p));
  }
  g_ptr_array_sort(profiles, compare_str);
  if (!profile) {
    /* virt-install prefers desktop, else the first name */
    if (g_ptr_array_find_with_equal_func(profiles, "desktop", g_str_equal, NULL))
      profile = "desktop";
    else
      profile = profiles->len ? g_ptr_array_index(profiles, 0) : "";
    if (warnings)
      g_ptr_array_add(warnings, g_strdup_printf("Using unattended profile '%s'", profile));
  }
  for (gint i = 0; i < n; i++) {
    OsinfoInstallScript *s = (OsinfoInstallScript *)f->osinfo_list_get_nth((OsinfoList *)list, i);
    if (g_strcmp0(f->osinfo_install_script_get_profile(s), profile) == 0)
      g_ptr_array_add(chosen, g_object_ref(s));
  }
  g_clear_object(&list);
  if (!chosen->len) {
    g_ptr_array_add(profiles, NULL);
    g_autofree char *names = g_strjoinv(", ", (char **)profiles->pdata);
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--unattended: profile=%s: OS '%s' has no install script for that profile "
                "(available: %s)", profile, q->os_name, names);
    g_ptr_array_unref(chosen);
    return NULL;
  }
  *profile_out = g_strdup(profile);
  return chosen;
}

static const char *
method_name(unsigned int m)
{
  switch (m) {
  case OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM: return "cdrom";
  case OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_DISK: return "disk";
  case OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_FLOPPY: return "floppy";
  case OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD: return "initrd";
  case OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_WEB: return "web";
  default: return "?";
  }
}

static gboolean
set_injection(const VmiUnattendedQuery *q, OsinfoInstallScript *s, GError **error)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  unsigned int want = q->method == VMI_INJECT_INITRD ? OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_INITRD
                                                     : OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_CDROM;
  unsigned int have = f->osinfo_install_script_get_injection_methods(s);

  if (!(have & want)) {
    g_autoptr(GString) names = g_string_new(NULL);
    for (unsigned int m = 1; m <= OSINFO_INSTALL_SCRIPT_INJECTION_METHOD_WEB; m <<= 1)
      if (have & m)
        g_string_append_printf(names, "%s%s", names->len ? ", " : "", method_name(m));
    if (q->method == VMI_INJECT_CDROM)
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "--unattended: the install script of OS '%s' cannot be given to the "
                  "installer on an extra cdrom (it supports: %s); install with "
                  "--location ISO_OR_TREE instead of --cdrom so that it goes into the initrd",
                  q->os_name, names->str);
    else
      g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                  "--unattended: the install script of OS '%s' cannot be put into the "
                  "installer's initrd (it supports: %s); install with --cdrom ISO instead",
                  q->os_name, names->str);
    return FALSE;
  }
  f->osinfo_install_script_set_preferred_injection_method(s, want);
  return TRUE;
}

static gboolean
requires(OsinfoInstallScript *s, const char *param)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  OsinfoInstallConfigParam *p = f->osinfo_install_script_get_config_param(s, param);
  gboolean ret = p && !f->osinfo_install_config_param_is_optional(p);

  if (p)
    g_object_unref(p);
  return ret;
}

static OsinfoInstallConfig *
make_config(const VmiUnattendedQuery *q, OsinfoInstallScript *s, const char *user_pw,
            const char *admin_pw, GError **error)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  OsinfoInstallConfig *config;
  g_autofree char *login = NULL;
  g_autofree char *realname = NULL;
  g_autofree char *tz = host_timezone();
  g_autofree char *lang = host_language();
  g_autofree char *host = safe_hostname(q->hostname);

  if (q->opts->user_login) {
    login = g_ascii_strdown(q->opts->user_login, -1);
    realname = g_strdup(q->opts->user_login);
  } else {
    host_login(&login, &realname);
  }
  if (login && !strcmp(login, "root")) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--unattended: user-login=%s: %s cannot use 'root' as user-login "
                "(name an ordinary user; admin-password-file= sets root's password)",
                q->opts->user_login, q->os_name);
    return NULL;
  }
  if (requires(s, OSINFO_INSTALL_CONFIG_PROP_USER_PASSWORD) && !(user_pw && *user_pw)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--unattended: %s requires the user password (give "
                "user-password-file=FILE, its first line is the password)", q->os_name);
    return NULL;
  }
  if (requires(s, OSINFO_INSTALL_CONFIG_PROP_ADMIN_PASSWORD) && !(admin_pw && *admin_pw)) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                "--unattended: %s requires the admin password (give "
                "admin-password-file=FILE, its first line is the password)", q->os_name);
    return NULL;
  }

  config = f->osinfo_install_config_new("http://libosinfo.org/vminstall/install-config");
  if (login) {
    f->osinfo_install_config_set_user_login(config, login);
    f->osinfo_install_config_set_user_realname(config, realname);
  }
  f->osinfo_install_config_set_user_password(config, user_pw ? user_pw : "");
  f->osinfo_install_config_set_admin_password(config, admin_pw ? admin_pw : "");
  f->osinfo_install_config_set_target_disk(config, q->windows ? "C" :
                                                   q->virtio_disk ? "/dev/vda" : "/dev/sda");
  f->osinfo_install_config_set_hardware_arch(config, q->arch);
  f->osinfo_install_config_set_hostname(config, host);
  if (tz)
    f->osinfo_install_config_set_l10n_timezone(config, tz);
  if (lang) {
    f->osinfo_install_config_set_l10n_language(config, lang);
    f->osinfo_install_config_set_l10n_keyboard(config, lang);
  }
  if (q->url)
    f->osinfo_install_config_set_installation_url(config, q->url);
  if (q->opts->reg_login)
    f->osinfo_install_config_set_reg_login(config, q->opts->reg_login);
  if (q->opts->product_key)
    f->osinfo_install_config_set_reg_product_key(config, q->opts->product_key);
  return config;
}

/* The media and tree objects libosinfo identifies, as virt-install's
 * guess_os_by_iso and guess_os_by_tree. */
static OsinfoMedia *
identify_media(OsinfoDb *db, const char *path)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  OsinfoMedia *media;

  if (!path)
    return NULL;
  media = f->osinfo_media_create_from_location_with_flags(path, NULL, 0, NULL);
  if (media && !f->osinfo_db_identify_media(db, media))
    g_clear_object(&media);
  return media;
}

static OsinfoTree *
identify_tree(OsinfoDb *db, const char *location)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(NULL);
  g_autofree char *uri = NULL;
  OsinfoTree *tree;

  if (!location)
    return NULL;
  uri = location[0] == '/' ? g_strconcat("file://", location, NULL) : g_strdup(location);
  tree = f->osinfo_tree_create_from_location(uri, NULL, NULL);
  if (tree && !f->osinfo_db_identify_tree(db, tree))
    g_clear_object(&tree);
  return tree;
}

static VmiUnattended *generate(const VmiUnattendedQuery *q, GPtrArray *warnings,
                               GError **error);

/* LeakSanitizer's API, present only in sanitizer builds: libosinfo's
 * loader keeps small allocations it never frees, which are not ours (and
 * its frames, built without frame pointers, cannot be matched by a
 * suppression). */
extern void __lsan_disable(void) __attribute__((weak));
extern void __lsan_enable(void) __attribute__((weak));

/* libosinfo's synchronous calls run a main loop on the thread-default
 * context; the default one belongs to the libvirt event thread, so they
 * get a context of their own. */
VmiUnattended *
vmi_unattended_generate(const VmiUnattendedQuery *q, GPtrArray *warnings, GError **error)
{
  GMainContext *ctx = g_main_context_new();
  VmiUnattended *ua;

  if (__lsan_disable)
    __lsan_disable();
  g_main_context_push_thread_default(ctx);
  ua = generate(q, warnings, error);
  g_main_context_pop_thread_default(ctx);
  g_main_context_unref(ctx);
  if (__lsan_enable)
    __lsan_enable();
  return ua;
}

static VmiUnattended *
generate(const VmiUnattendedQuery *q, GPtrArray *warnings, GError **error)
{
  const VmiOsinfoFuncs *f = vmi_osinfo_dl(error);
  g_autoptr(VmiUnattended) ua = NULL;
  g_autoptr(GPtrArray) raw = NULL;
  g_autoptr(GPtrArray) cmdlines = g_ptr_array_new_with_free_func(wipe_str);
  OsinfoDb *db;
  OsinfoOs *os;
  OsinfoMedia *media = NULL;
  OsinfoTree *tree = NULL;
  char *user_pw = NULL;
  char *admin_pw = NULL;
  gboolean ok = FALSE;

  if (!f || !(db = vmi_osinfo_dl_db(error)))
    return NULL;
  os = q->os_id ? f->osinfo_db_get_os(db, q->os_id) : NULL;
  if (!os) {
    g_set_error(error, VMI_ERROR, VMI_ERROR_UNSUPPORTED,
                "--unattended: OS '%s' has no install scripts in osinfo-db, so it cannot be "
                "installed unattended (name the OS with --osinfo)", q->os_name);
    return NULL;
  }
  if (q->method == VMI_INJECT_CDROM && !q->windows && warnings)
    g_ptr_array_add(warnings, g_strdup("Attempting unattended method=cdrom injection for a "
                                       "non-windows OS. If this doesn't work, try passing "
                                       "install media to --location"));
  media = identify_media(db, q->media_path);
  if (!media)
    tree = identify_tree(db, q->tree_location);

  ua = g_new0(VmiUnattended, 1);
  ua->scripts = g_ptr_array_new_with_free_func((GDestroyNotify)script_free);
  raw = lookup_scripts(q, os, media, &ua->profile, warnings, error);
  if (!raw)
    goto out;
  if (q->opts->user_password_file &&
      !(user_pw = read_password("user-password-file", q->opts->user_password_file,
                                warnings, error)))
    goto out;
  if (q->opts->admin_password_file &&
      !(admin_pw = read_password("admin-password-file", q->opts->admin_password_file,
                                 warnings, error)))
    goto out;

  for (guint i = 0; i < raw->len; i++) {
    OsinfoInstallScript *s = g_ptr_array_index(raw, i);
    g_autoptr(GError) gen_error = NULL;
    OsinfoInstallConfig *config;
    char *text;
    char *cmdline;
    Script *out;

    if (!set_injection(q, s, error))
      goto out;
    f->osinfo_install_script_set_installation_source(
        s, media ? OSINFO_INSTALL_SCRIPT_INSTALLATION_SOURCE_MEDIA
                 : OSINFO_INSTALL_SCRIPT_INSTALLATION_SOURCE_NETWORK);
    config = make_config(q, s, user_pw, admin_pw, error);
    if (!config)
      goto out;
    if (media) {
      text = f->osinfo_install_script_generate_for_media(s, media, config, NULL, &gen_error);
      cmdline = f->osinfo_install_script_generate_command_line_for_media(s, media, config);
    } else if (tree) {
      text = f->osinfo_install_script_generate_for_tree(s, tree, config, NULL, &gen_error);
      cmdline = f->osinfo_install_script_generate_command_line_for_tree(s, tree, config);
    } else {
      text = f->osinfo_install_script_generate(s, os, config, NULL, &gen_error);
      cmdline = f->osinfo_install_script_generate_command_line(s, os, config);
    }
    g_object_unref(config);
    if (!text) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_FAILED,
                  "--unattended: libosinfo cannot generate the install script '%s' for %s: %s",
                  f->osinfo_entity_get_id((OsinfoEntity *)s), q->os_name,
                  gen_error ? gen_error->message : "unknown error");
      wipe_str(cmdline);
      goto out;
    }
    out = g_new0(Script, 1);
    out->filename = g_strdup(f->osinfo_install_script_get_expected_filename(s));
    out->content = g_bytes_new_take(text, strlen(text));
    g_ptr_array_add(ua->scripts, out);
    if (cmdline && *cmdline)
      g_ptr_array_add(cmdlines, cmdline);
    else
      wipe_str(cmdline);
  }
  g_ptr_array_add(cmdlines, NULL);
  ua->cmdline = g_strjoinv(" ", (char **)cmdlines->pdata);
  ok = TRUE;
out:
  wipe_str(user_pw);
  wipe_str(admin_pw);
  g_clear_object(&media);
  g_clear_object(&tree);
  return ok ? g_steal_pointer(&ua) : NULL;
}
