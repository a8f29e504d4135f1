/*
 * Options that describe the install rather than the guest: --install,
 * --location, --osinfo, --check, --unattended, --cloud-init.  Their
 * values go to the request (VmiInstall, VmiOsSpec, check), never to the
 * guest document; the main flow (cli-parse.c) turns them into the install
 * method as virt-install's build_installer does.
 */
#include <string.h>
#include "cli-private.h"

static void
replace(char **field, const char *value)
{
  char *copy = g_strdup(value);
  g_free(*field);
  *field = copy;
}

/* ---- --install ---- */

static gboolean
set_install_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  CliInstallData *d = ctx->data;

  if (strcmp(sub->name, "bootdev") == 0)
    replace(&d->bootdev, value);
  else if (strcmp(sub->name, "kernel") == 0)
    replace(&d->kernel, value);
  else if (strcmp(sub->name, "initrd") == 0)
    replace(&d->initrd, value);
  else if (strcmp(sub->name, "kernel_args") == 0)
    replace(&d->kernel_args, value);
  else if (strcmp(sub->name, "os") == 0)
    replace(&d->os, value);
  else if (strcmp(sub->name, "kernel_args_overwrite") == 0)
    d->kernel_args_overwrite = value ? strcmp(value, "on") == 0 : -1;
  else if (strcmp(sub->name, "no_install") == 0)
    d->no_install = value ? strcmp(value, "on") == 0 : -1;
  return TRUE;
}

static const CliSubopt install_rows[] = {
  { .name = "bootdev", .kind = CLI_STR, .set = set_install_field, .flags = CLI_CAN_COMMA,
    .help = "boot the installer from this device (hd, cdrom, network, fd)" },
  { .name = "kernel", .kind = CLI_STR, .set = set_install_field, .flags = CLI_CAN_COMMA,
    .help = "installer kernel (path or URL)" },
  { .name = "initrd", .kind = CLI_STR, .set = set_install_field, .flags = CLI_CAN_COMMA,
    .help = "installer initrd (path or URL)" },
  { .name = "kernel_args", .kind = CLI_STR, .set = set_install_field, .flags = CLI_CAN_COMMA,
    .help = "installer kernel arguments" },
  { .name = "kernel_args_overwrite", .kind = CLI_ONOFF, .set = set_install_field,
    .help = "kernel_args replace the generated arguments (on/off)" },
  { .name = "os", .kind = CLI_STR, .set = set_install_field,
    .help = "install this OS from its osinfo-db install tree" },
  { .name = "no_install", .kind = CLI_ONOFF, .set = set_install_field,
    .help = "no install phase: boot the guest as it is (on/off)" },
  { NULL }
};

const CliParser cli_install_parser = {
  .name = "install",
  .remove_first = (const char *const[]){ "os", NULL },
  .subopts = install_rows,
};

/* ---- --location ---- */

static gboolean
set_location_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  CliLocationData *d = ctx->data;

  if (strcmp(sub->name, "location") == 0)
    replace(&d->location, value);
  else if (strcmp(sub->name, "kernel") == 0)
    replace(&d->kernel, value);
  else
    replace(&d->initrd, value);
  return TRUE;
}

static const CliSubopt location_rows[] = {
  { .name = "location", .kind = CLI_STR, .set = set_location_field, .flags = CLI_CAN_COMMA,
    .help = "install tree: URL, NFS, local directory or ISO" },
  { .name = "kernel", .kind = CLI_STR, .set = set_location_field, .flags = CLI_CAN_COMMA,
    .help = "kernel path inside the tree" },
  { .name = "initrd", .kind = CLI_STR, .set = set_location_field, .flags = CLI_CAN_COMMA,
    .help = "initrd path inside the tree" },
  { NULL }
};

const CliParser cli_location_parser = {
  .name = "location",
  .remove_first = (const char *const[]){ "location", NULL },
  .subopts = location_rows,
};

/* ---- --osinfo ---- */

static gboolean
set_os_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiOsSpec *os = &ctx->req->os;

  if (strcmp(sub->name, "name") == 0 || strcmp(sub->name, "short-id") == 0)
    replace(&os->name, value);
  else if (strcmp(sub->name, "id") == 0)
    replace(&os->full_id, value);
  else if (strcmp(sub->name, "detect") == 0)
    os->detect = g_strcmp0(value, "on") == 0;
  else if (strcmp(sub->name, "require") == 0)
    os->require = value ? strcmp(value, "on") == 0 : 0;
  return TRUE;
}

static const CliSubopt osinfo_rows[] = {
  { .name = "name", .kind = CLI_STR, .set = set_os_field,
    .help = "OS short id (fedora36, win10, ...)" },
  { .name = "short-id", .kind = CLI_STR, .set = set_os_field, .flags = CLI_HIDDEN },
  { .name = "id", .kind = CLI_STR, .set = set_os_field, .help = "OS id URL from osinfo-db" },
  { .name = "detect", .kind = CLI_ONOFF, .set = set_os_field,
    .help = "detect the OS from the install media (on/off)" },
  { .name = "require", .kind = CLI_ONOFF, .set = set_os_field,
    .help = "fail when no OS is named or detected (on/off)" },
  { NULL }
};

const CliParser cli_osinfo_parser = {
  .name = "osinfo",
  .subopts = osinfo_rows,
};

/* virt-install's OSVariantData: "auto" (or nothing) detects and requires
 * an OS on HVM; "none" is generic; a URL is an id; other words without
 * '=' are short ids; key=value forms neither detect nor require unless
 * they say so. */
gboolean
cli_parse_osinfo(VmiRequest *req, const char *optstr, GError **error)
{
  VmiOsSpec *os = &req->os;

  os->given = optstr != NULL;
  if (!optstr || strcmp(optstr, "auto") == 0) {
    os->detect = TRUE;
    os->require = -1;
    return TRUE;
  }
  os->detect = FALSE;
  os->require = 0;
  if (!strchr(optstr, '=')) {
    if (strcmp(optstr, "none") == 0)
      replace(&os->name, "generic");
    else if (strstr(optstr, "://"))
      replace(&os->full_id, optstr);
    else
      replace(&os->name, optstr);
    return TRUE;
  }
  return cli_parser_run(&cli_osinfo_parser, req, optstr, NULL, error);
}

/* ---- --check ---- */

static gboolean
set_check(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  if (value)
    g_hash_table_replace(ctx->req->check, g_strdup(sub->name), g_strdup(value));
  else
    g_hash_table_remove(ctx->req->check, sub->name);
  return TRUE;
}

static const CliSubopt check_rows[] = {
  { .name = "path_in_use", .kind = CLI_ONOFF, .set = set_check,
    .help = "refuse disk paths other guests use (on/off)" },
  { .name = "disk_size", .kind = CLI_ONOFF, .set = set_check,
    .help = "refuse new images larger than the free space (on/off)" },
  { .name = "path_exists", .kind = CLI_ONOFF, .set = set_check,
    .help = "warn when a new image's path exists (on/off)" },
  { .name = "mac_in_use", .kind = CLI_ONOFF, .set = set_check,
    .help = "refuse MAC addresses other guests use (on/off)" },
  { .name = "all", .kind = CLI_ONOFF, .set = set_check, .help = "every check (on/off)" },
  { NULL }
};

const CliParser cli_check_parser = {
  .name = "check",
  .subopts = check_rows,
};

/* ---- --unattended, --cloud-init: typed into the request, used by the
 * unattended and cloudinit modules ---- */

static gboolean
set_unattended_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiUnattendedOpts *o = &ctx->req->install.unattended_opts;

  if (strcmp(sub->name, "profile") == 0)
    replace(&o->profile, value);
  else if (strcmp(sub->name, "admin-password-file") == 0)
    replace(&o->admin_password_file, value);
  else if (strcmp(sub->name, "user-login") == 0)
    replace(&o->user_login, value);
  else if (strcmp(sub->name, "user-password-file") == 0)
    replace(&o->user_password_file, value);
  else if (strcmp(sub->name, "product-key") == 0)
    replace(&o->product_key, value);
  else if (strcmp(sub->name, "reg-login") == 0)
    replace(&o->reg_login, value);
  return TRUE;
}

static const CliSubopt unattended_rows[] = {
  { .name = "profile", .kind = CLI_STR, .set = set_unattended_field,
    .help = "osinfo-db install script profile (desktop, jeos)" },
  { .name = "admin-password-file", .kind = CLI_STR, .set = set_unattended_field,
    .help = "file holding the admin password" },
  { .name = "user-login", .kind = CLI_STR, .set = set_unattended_field, .help = "user to create" },
  { .name = "user-password-file", .kind = CLI_STR, .set = set_unattended_field,
    .help = "file holding the user's password" },
  { .name = "product-key", .kind = CLI_STR, .set = set_unattended_field,
    .help = "Windows product key" },
  { .name = "reg-login", .kind = CLI_STR, .set = set_unattended_field,
    .help = "registration login" },
  { NULL }
};

const CliParser cli_unattended_parser = {
  .name = "unattended",
  .subopts = unattended_rows,
};

static gboolean
set_cloud_init_field(CliCtx *ctx, const CliSubopt *sub, const char *value, GError **error)
{
  VmiCloudInitOpts *o = &ctx->req->install.cloud_init_opts;

  if (strcmp(sub->name, "root-password-generate") == 0)
    o->root_password_generate = value ? strcmp(value, "on") == 0 : -1;
  else if (strcmp(sub->name, "disable") == 0)
    o->disable = value ? strcmp(value, "on") == 0 : -1;
  else if (strcmp(sub->name, "root-password-file") == 0)
    replace(&o->root_password_file, value);
  else if (strcmp(sub->name, "root-ssh-key") == 0)
    replace(&o->root_ssh_key, value);
  else if (strcmp(sub->name, "clouduser-ssh-key") == 0)
    replace(&o->clouduser_ssh_key, value);
  else if (strcmp(sub->name, "user-data") == 0)
    replace(&o->user_data, value);
  else if (strcmp(sub->name, "meta-data") == 0)
    replace(&o->meta_data, value);
  else if (strcmp(sub->name, "network-config") == 0)
    replace(&o->network_config, value);
  return TRUE;
}

static const CliSubopt cloud_init_rows[] = {
  { .name = "root-password-generate", .kind = CLI_ONOFF, .set = set_cloud_init_field,
    .help = "generate a root password, shown once on the terminal (on/off)" },
  { .name = "root-password-file", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "file holding the root password (first line)" },
  { .name = "disable", .kind = CLI_ONOFF, .set = set_cloud_init_field,
    .help = "disable cloud-init after the first boot (on/off)" },
  { .name = "root-ssh-key", .aliases = "ssh-key", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "file holding the public key for root" },
  { .name = "clouduser-ssh-key", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "file holding the public key for the image's default user" },
  { .name = "user-data", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "user-data file, used as it is" },
  { .name = "meta-data", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "meta-data file, used as it is" },
  { .name = "network-config", .kind = CLI_STR, .set = set_cloud_init_field,
    .help = "network-config file, used as it is" },
  { NULL }
};

const CliParser cli_cloud_init_parser = {
  .name = "cloud_init",
  .subopts = cloud_init_rows,
};
