/*
 * vmi_cli_parse: argv -> VmiRequest, in the order of virt-install's
 * main() and build_guest_instance(): option scan, `--opt help`,
 * `--osinfo list`, the old-option conversions, --install/--osinfo, the
 * explicit guest options, --boot and --metadata, the install method, then
 * every device and domain option in virt-install's parser order.  Nothing
 * here needs a connection; what does is recorded for defaults.
 */
#include <string.h>
#include "cli-options.h"
#include "osinfo.h"

static void
replace(char **field, const char *value)
{
  char *copy = g_strdup(value);
  g_free(*field);
  *field = copy;
}

/* A working list of option strings (the values of one dest, rewritten by
 * the compatibility conversions). */
static GPtrArray *
strings_copy(GPtrArray *src)
{
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  for (guint i = 0; i < src->len; i++)
    g_ptr_array_add(out, g_strdup(g_ptr_array_index(src, i)));
  return out;
}

/* ---- `--opt help` and --osinfo list ---- */

static char *
introspection(const CliArgs *args)
{
  GString *out = NULL;

  for (const CliOption *o = cli_options; o->name; o++) {
    GPtrArray *v = args->values[o->dest];
    if (!o->parser)
      continue;
    /* Options sharing a dest (--osinfo, --os-variant) print once. */
    gboolean first = TRUE;
    for (const CliOption *p = cli_options; p < o; p++)
      if (p->dest == o->dest && p->parser)
        first = FALSE;
    if (!first)
      continue;
    for (guint i = 0; i < v->len; i++) {
      const char *s = g_ptr_array_index(v, i);
      if (g_strcmp0(s, "?") == 0 || g_strcmp0(s, "help") == 0) {
        g_autofree char *text = cli_parser_help(o->parser);
        if (!out)
          out = g_string_new(NULL);
        g_string_append(out, text);
        break;
      }
    }
  }
  return out ? g_string_free(out, FALSE) : NULL;
}

static char *
osinfo_list(GError **error)
{
  g_autoptr(GPtrArray) ids = vmi_os_list_short_ids(error);
  GString *out;

  if (!ids)
    return NULL;
  out = g_string_new(NULL);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf(out, "%s\n", (const char *)g_ptr_array_index(ids, i));
  g_string_append(out, "\nYou can see additional information with:\n\n  osinfo-query os\n\n");
  return g_string_free(out, FALSE);
}

/* ---- old options, as virt-install's convert_old_* ---- */

static gboolean
convert_networks(const CliArgs *args, GPtrArray *networks, GError **error)
{
  GPtrArray *macs = cli_args_list(args, CLI_D_MAC);
  GPtrArray *bridges = cli_args_list(args, CLI_D_BRIDGE);
  guint want;

  if (cli_args_last(args, CLI_D_NONETWORKS)) {
    g_ptr_array_set_size(networks, 0);
    g_ptr_array_add(networks, g_strdup("none"));
  }
  if (bridges->len && networks->len) {
    vmi_fail_usage(error, "--bridge and --network cannot be used together (use --network "
                   "bridge=NAME)");
    return FALSE;
  }
  for (guint i = 0; i < bridges->len; i++)
    g_ptr_array_add(networks, g_strdup_printf("bridge=%s", (char *)g_ptr_array_index(bridges, i)));

  /* No --network means one NIC on the default source; a plain --mac
   * implies it too. */
  want = MAX(macs->len, 1);
  while (networks->len < want)
    g_ptr_array_add(networks, g_strdup("default"));
  for (guint i = 0; i < networks->len; i++) {
    char *net = g_ptr_array_index(networks, i);
    char *conv = NULL;
    if (i < macs->len)
      conv = g_strdup_printf("%s,mac=%s", net, (char *)g_ptr_array_index(macs, i));
    else
      conv = g_strdup(net);
    if (g_str_has_prefix(conv, "network:") || g_str_has_prefix(conv, "bridge:"))
      *strchr(conv, ':') = '=';
    g_free(net);
    g_ptr_array_index(networks, i) = conv;
  }
  return TRUE;
}

static gboolean
convert_graphics(const CliArgs *args, GPtrArray *graphics, GError **error)
{
  const char *vnc = cli_args_last(args, CLI_D_VNC);
  const char *port = cli_args_last(args, CLI_D_VNCPORT);
  const char *listen = cli_args_last(args, CLI_D_VNCLISTEN);
  const char *keymap = cli_args_last(args, CLI_D_KEYMAP);
  const char *sdl = cli_args_last(args, CLI_D_SDL);
  const char *nographics = cli_args_last(args, CLI_D_NOGRAPHICS);
  GString *opt;

  if (graphics->len && (vnc || sdl || keymap || port || listen)) {
    vmi_fail_usage(error, "--graphics cannot be mixed with --vnc, --vncport, --vnclisten, --sdl or "
                   "--keymap");
    return FALSE;
  }
  if ((vnc != NULL) + (sdl != NULL) + (nographics != NULL) + (graphics->len > 0) > 1) {
    vmi_fail_usage(error, "only one of --vnc, --sdl, --graphics and --nographics can be given");
    return FALSE;
  }
  if (graphics->len || (!vnc && !sdl && !nographics))
    return TRUE;
  opt = g_string_new(vnc ? "vnc" : sdl ? "sdl" : "none");
  if (listen)
    g_string_append_printf(opt, ",listen=%s", listen);
  if (port) {
    gint64 p;
    if (!cli_parse_int(port, &p)) {
      vmi_fail_usage(error, "--vncport: invalid value '%s' (expected a port number)", port);
      g_string_free(opt, TRUE);
      return FALSE;
    }
    g_string_append_printf(opt, ",port=%" G_GINT64_FORMAT, p);
  }
  if (keymap)
    g_string_append_printf(opt, ",keymap=%s", keymap);
  g_ptr_array_add(graphics, g_string_free(opt, FALSE));
  return TRUE;
}

static gboolean
convert_disks(const CliArgs *args, GPtrArray *disks, GError **error)
{
  GPtrArray *paths = cli_args_list(args, CLI_D_FILE);
  GPtrArray *sizes = cli_args_list(args, CLI_D_FILE_SIZE);
  gboolean nonsparse = cli_args_last(args, CLI_D_NONSPARSE) != NULL;
  gboolean nodisks = cli_args_last(args, CLI_D_NODISKS) != NULL;

  if (nodisks && (paths->len || disks->len || sizes->len)) {
    vmi_fail_usage(error, "--nodisks cannot be used with --disk, --file or --file-size");
    return FALSE;
  }
  if ((paths->len || sizes->len || nonsparse) && disks->len) {
    vmi_fail_usage(error, "--file, --file-size and --nonsparse cannot be mixed with --disk (use "
                   "--disk PATH,size=SIZE,sparse=no)");
    return FALSE;
  }
  if (disks->len)
    return TRUE;
  if (nodisks) {
    g_ptr_array_add(disks, g_strdup("none"));
    return TRUE;
  }
  for (guint i = 0; i < MAX(paths->len, sizes->len); i++) {
    GString *opt = g_string_new(NULL);
    if (i < paths->len)
      g_string_append_printf(opt, "path=%s", (char *)g_ptr_array_index(paths, i));
    if (i < sizes->len) {
      const char *size = g_ptr_array_index(sizes, i);
      char *end = NULL;
      g_ascii_strtod(size, &end);
      if (!*size || *end) {
        vmi_fail_usage(error, "--file-size: invalid value '%s' (expected a number of GiB)", size);
        g_string_free(opt, TRUE);
        return FALSE;
      }
      g_string_append_printf(opt, "%ssize=%s", opt->len ? "," : "", size);
    }
    if (nonsparse)
      g_string_append_printf(opt, "%ssparse=no", opt->len ? "," : "");
    g_ptr_array_add(disks, g_string_free(opt, FALSE));
  }
  return TRUE;
}

/* ---- the install method, as virt-install's build_installer ---- */

static gboolean
check_install_conflicts(const CliArgs *args, const CliInstallData *inst, GError **error)
{
  struct { const char *name; gboolean given; } methods[] = {
    { "--cdrom", cli_args_last(args, CLI_D_CDROM) != NULL },
    { "--location", cli_args_last(args, CLI_D_LOCATION) != NULL },
    { "--pxe", cli_args_last(args, CLI_D_PXE) != NULL },
    { "--import", cli_args_last(args, CLI_D_IMPORT) != NULL },
    { "--install os=", inst->os != NULL },
  };
  const char *first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS(methods); i++) {
    if (!methods[i].given)
      continue;
    if (first) {
      vmi_fail_usage(error, "%s and %s cannot be used together (choose one install method)", first,
                     methods[i].name);
      return FALSE;
    }
    first = methods[i].name;
  }
  return TRUE;
}

static const char *
method_flag(const VmiInstall *in, const CliArgs *args)
{
  switch (in->method) {
  case VMI_INSTALL_CDROM:
    return cli_args_last(args, CLI_D_CDROM) ? "--cdrom" : "-c";
  case VMI_INSTALL_PXE:
    return "--pxe";
  case VMI_INSTALL_IMPORT:
    return "--import";
  case VMI_INSTALL_BOOTDEV:
    return "--install bootdev=";
  case VMI_INSTALL_NO_INSTALL:
    return "--install no_install=yes";
  default:
    return NULL;
  }
}

/* virt-install's Installer only takes kernel arguments and initrd
 * injections when it boots a kernel from a tree (--location, --install
 * kernel=). */
static gboolean
check_tree_options(const VmiInstall *in, const CliArgs *args, GError **error)
{
  gboolean tree = !in->cdrom && (in->location || in->install_os || in->location_kernel ||
                                 in->location_initrd || in->kernel || in->initrd);
  const char *flag = method_flag(in, args);
  g_autofree char *why = flag ? g_strdup_printf(" (not with %s)", flag) : g_strdup("");

  if (tree)
    return TRUE;
  if (in->extra_args->len) {
    vmi_fail_usage(error, "--extra-args: only supported with --location or --install kernel= "
                   "installs%s", why);
    return FALSE;
  }
  if (in->initrd_inject->len) {
    vmi_fail_usage(error, "--initrd-inject: only supported with --location or --install kernel= "
                   "installs%s", why);
    return FALSE;
  }
  return TRUE;
}

/* InstallerTreeMedia's rules for --location's kernel= and initrd=. */
static gboolean
check_location_pair(const VmiInstall *in, GError **error)
{
  if (!in->location_kernel && !in->location_initrd)
    return TRUE;
  if (!in->location) {
    vmi_fail_usage(error, "--location: kernel= and initrd= need the install tree (--location "
                   "TREE,kernel=PATH,initrd=PATH)");
    return FALSE;
  }
  if (!in->location_kernel || !in->location_initrd) {
    vmi_fail_usage(error, "--location: kernel= and initrd= must be given together (got %s='%s' "
                   "only)", in->location_kernel ? "kernel" : "initrd",
                   in->location_kernel ? in->location_kernel : in->location_initrd);
    return FALSE;
  }
  return TRUE;
}

static gboolean
build_install(VmiRequest *req, const CliArgs *args, CliInstallData *inst,
              const char *cdrom, GError **error)
{
  VmiInstall *in = &req->install;
  const char *location = cli_args_last(args, CLI_D_LOCATION);

  if (!check_install_conflicts(args, inst, error))
    return FALSE;

  replace(&in->bootdev, inst->bootdev);
  replace(&in->kernel, inst->kernel);
  replace(&in->initrd, inst->initrd);
  in->no_install = inst->no_install == 1;
  if (inst->kernel_args) {
    in->kernel_args_overwrite = inst->kernel_args_overwrite == 1;
    if (in->kernel_args_overwrite) {
      replace(&in->kernel_args, inst->kernel_args);
    } else {
      /* Appended to the generated arguments, replacing --extra-args. */
      g_ptr_array_set_size(in->extra_args, 0);
      g_ptr_array_add(in->extra_args, g_strdup(inst->kernel_args));
    }
  }

  if (inst->os) {
    replace(&in->install_os, inst->os);
    in->method = VMI_INSTALL_LOCATION;
  } else if (location) {
    CliLocationData loc = { 0 };
    gboolean ok = cli_parser_run(&cli_location_parser, req, location, &loc, error);
    if (ok) {
      in->location = g_steal_pointer(&loc.location);
      in->location_kernel = g_steal_pointer(&loc.kernel);
      in->location_initrd = g_steal_pointer(&loc.initrd);
      in->method = VMI_INSTALL_LOCATION;
    }
    g_free(loc.location);
    g_free(loc.kernel);
    g_free(loc.initrd);
    if (!ok || !check_location_pair(in, error))
      return FALSE;
  } else if (cdrom) {
    replace(&in->cdrom, cdrom);
    /* The Installer boots a --cdrom install from the CD-ROM, whatever
     * --install bootdev= said. */
    replace(&in->bootdev, "cdrom");
    in->method = VMI_INSTALL_CDROM;
    if (cli_args_last(args, CLI_D_LIVECD))
      in->no_install = TRUE;
  } else if (cli_args_last(args, CLI_D_PXE)) {
    replace(&in->bootdev, "network");
    in->method = VMI_INSTALL_PXE;
  } else if (inst->is_set) {
    if (inst->kernel || inst->initrd)
      in->method = VMI_INSTALL_KERNEL;
    else if (inst->bootdev)
      in->method = g_strcmp0(inst->bootdev, "network") == 0 ? VMI_INSTALL_PXE : VMI_INSTALL_BOOTDEV;
    else if (in->no_install)
      in->method = VMI_INSTALL_NO_INSTALL;
  } else if (cli_args_last(args, CLI_D_IMPORT) || cli_args_last(args, CLI_D_PRINT_XML) ||
             cli_args_last(args, CLI_D_PRINT_XL) ||
             cli_args_last(args, CLI_D_CLOUD_INIT) || cli_args_last(args, CLI_D_UNATTENDED)) {
    /* virt-install: with nothing to install from, --print-xml (and the
     * cloud-init/unattended paths) describe an import. */
    in->no_install = TRUE;
    in->method = cli_args_last(args, CLI_D_IMPORT) ? VMI_INSTALL_IMPORT : VMI_INSTALL_NONE;
  }
  return TRUE;
}

/* ---- main flow ---- */

typedef gboolean (*RunFunc)(VmiRequest *req, const char *optstr, GError **error);

static gboolean
run_plain(const CliParser *parser, VmiRequest *req, const char *optstr, GError **error)
{
  return cli_parser_run(parser, req, optstr, NULL, error);
}

static gboolean
run_all(const CliParser *parser, RunFunc fn, VmiRequest *req, GPtrArray *optstrs, GError **error)
{
  for (guint i = 0; optstrs && i < optstrs->len; i++) {
    const char *s = g_ptr_array_index(optstrs, i);
    /* cli.py skips empty option strings. */
    if (!s || !*s)
      continue;
    if (fn ? !fn(req, s, error) : !run_plain(parser, req, s, error))
      return FALSE;
  }
  return TRUE;
}

/* The tool's --print-xml and --print-xl take a step: 1, 2 or all. */
static gboolean
check_print_step(const char *option, const char *value, GError **error)
{
  if (!value || strcmp(value, "all") == 0 || strcmp(value, "1") == 0 ||
      strcmp(value, "2") == 0)
    return TRUE;
  vmi_fail_usage(error, "--%s: invalid value '%s' (accepted: 1, 2, all)", option, value);
  return FALSE;
}

static gboolean
parse_console(VmiRequest *req, const char *value, GError **error)
{
  if (!value || strcmp(value, "default") == 0)
    req->install.console = VMI_CONSOLE_DEFAULT;
  else if (strcmp(value, "none") == 0)
    req->install.console = VMI_CONSOLE_NONE;
  else if (strcmp(value, "text") == 0)
    req->install.console = VMI_CONSOLE_TEXT;
  else if (strcmp(value, "graphical") == 0)
    req->install.console = VMI_CONSOLE_GRAPHICAL;
  else {
    vmi_fail_usage(error, "--autoconsole: invalid value '%s' (accepted: text, graphical, none, "
                   "default)", value);
    return FALSE;
  }
  return TRUE;
}

static gboolean
parse_wait(VmiRequest *req, const char *value, GError **error)
{
  gint64 minutes;

  if (!value)
    return TRUE;
  if (!cli_parse_int(value, &minutes)) {
    vmi_fail_usage(error, "--wait: invalid value '%s' (expected a number of minutes; -1 waits "
                   "forever)", value);
    return FALSE;
  }
  if (minutes == 0) {
    /* Historical: --wait 0 is --noautoconsole. */
    req->install.console = VMI_CONSOLE_NONE;
    return TRUE;
  }
  req->install.wait_set = TRUE;
  req->install.wait_minutes = minutes;
  return TRUE;
}

static gboolean
parse_check(VmiRequest *req, const CliArgs *args, GError **error)
{
  GPtrArray *checks = cli_args_list(args, CLI_D_CHECK);

  /* Old --force: every check off. */
  if (cli_args_last(args, CLI_D_FORCE) && !checks->len)
    return cli_parser_run(&cli_check_parser, req, "all=off", NULL, error);
  return run_all(&cli_check_parser, NULL, req, checks, error);
}

static gboolean
record_optional_parser(const CliParser *parser, VmiRequest *req, const char *value,
                       char **field, GError **error)
{
  if (!value)
    return TRUE;
  if (*value && !cli_parser_run(parser, req, value, NULL, error))
    return FALSE;
  replace(field, value);
  return TRUE;
}

static gboolean
parse_request(VmiRequest *req, const CliArgs *args, GError **error)
{
  VmiInstall *in = &req->install;
  const char *cdrom = cli_args_last(args, CLI_D_CDROM);
  const char *cdrom_short = cli_args_last(args, CLI_D_CDROM_SHORT);
  const char *connect = cli_args_last(args, CLI_D_CONNECT);
  const char *value;
  CliInstallData inst = { .kernel_args_overwrite = -1, .no_install = -1 };
  g_autoptr(GPtrArray) memory = strings_copy(cli_args_list(args, CLI_D_MEMORY));
  g_autoptr(GPtrArray) vcpus = strings_copy(cli_args_list(args, CLI_D_VCPUS));
  g_autoptr(GPtrArray) boot = strings_copy(cli_args_list(args, CLI_D_BOOT));
  g_autoptr(GPtrArray) networks = strings_copy(cli_args_list(args, CLI_D_NETWORK));
  g_autoptr(GPtrArray) graphics = strings_copy(cli_args_list(args, CLI_D_GRAPHICS));
  g_autoptr(GPtrArray) disks = strings_copy(cli_args_list(args, CLI_D_DISK));
  g_autoptr(GPtrArray) features = strings_copy(cli_args_list(args, CLI_D_FEATURES));
  gboolean ok = FALSE;

  /* -c is virt-install's hidden short --cdrom, and virsh's --connect: the
   * issue that specified vminstall's CLI promises -c URI.  A libvirt URI
   * can only mean --connect (virt-install refuses one there), anything
   * else is the CD-ROM, as in virt-install. */
  if (cdrom_short && strstr(cdrom_short, "://") && !connect && !cdrom) {
    connect = cdrom_short;
    cdrom_short = NULL;
  }
  if (cdrom_short && cdrom) {
    vmi_fail_usage(error, "-c and --cdrom cannot be used together (both give the install CD-ROM)");
    return FALSE;
  }
  if (cdrom_short && strstr(cdrom_short, "://")) {
    vmi_fail_usage(error, "-c: invalid value '%s' (with --connect given, -c is the short form of "
                   "--cdrom, which takes no URI: use --cdrom for media at a URL)", cdrom_short);
    return FALSE;
  }
  if (cdrom_short)
    cdrom = cdrom_short;

  req->connect_uri = g_strdup(connect);
  req->install.autocf = g_strdup(cli_args_last(args, CLI_D_AUTOCF));
  if (!check_print_step("print-xl", cli_args_last(args, CLI_D_PRINT_XL), error) ||
      !check_print_step("print-xml", cli_args_last(args, CLI_D_PRINT_XML), error))
    return FALSE;
  if (!parse_check(req, args, error))
    return FALSE;

  /* Old spellings become the new option strings. */
  value = cli_args_last(args, CLI_D_OLDMEMORY);
  if (!memory->len && value) {
    gint64 mib;
    if (!cli_parse_int(value, &mib)) {
      vmi_fail_usage(error, "--ram: invalid value '%s' (expected a positive number of MiB)", value);
      return FALSE;
    }
    g_ptr_array_add(memory, g_strdup_printf("%" G_GINT64_FORMAT, mib));
  }
  if (!convert_networks(args, networks, error) || !convert_graphics(args, graphics, error) ||
      !convert_disks(args, disks, error))
    return FALSE;
  if (!features->len && (cli_args_last(args, CLI_D_NOACPI) || cli_args_last(args, CLI_D_NOAPIC))) {
    g_autoptr(GString) f = g_string_new(NULL);
    if (cli_args_last(args, CLI_D_NOACPI))
      g_string_append(f, "acpi=off");
    if (cli_args_last(args, CLI_D_NOAPIC))
      g_string_append_printf(f, "%sapic=off", f->len ? "," : "");
    g_ptr_array_add(features, g_strdup(f->str));
  }
  value = cli_args_last(args, CLI_D_CPUSET);
  if (value)
    g_ptr_array_add(vcpus, g_strdup_printf(",cpuset=%s", value));
  value = cli_args_last(args, CLI_D_INIT);
  if (value) {
    if (!boot->len)
      g_ptr_array_add(boot, g_strdup(""));
    char *last = g_ptr_array_index(boot, boot->len - 1);
    g_ptr_array_index(boot, boot->len - 1) = g_strdup_printf("%s,init=%s", last, value);
    g_free(last);
  }
  if (!parse_console(req, cli_args_last(args, CLI_D_AUTOCONSOLE), error) ||
      !parse_wait(req, cli_args_last(args, CLI_D_WAIT), error))
    return FALSE;

  /* --install and --osinfo (which --install os= implies). */
  value = cli_args_last(args, CLI_D_INSTALL);
  inst.is_set = value && *value;
  if (inst.is_set && !cli_parser_run(&cli_install_parser, req, value, &inst, error))
    goto out;
  value = cli_args_last(args, CLI_D_OSINFO);
  if (!cli_parse_osinfo(req, value && *value ? value : inst.os, error))
    goto out;

  /* Explicit guest options, then --boot and --metadata, as
   * _build_options_guest. */
  value = cli_args_last(args, CLI_D_NAME);
  if (value && *value)
    vmi_guest_set(req->guest, "name", value);
  value = cli_args_last(args, CLI_D_UUID);
  if (value && *value)
    vmi_guest_set(req->guest, "uuid", value);
  value = cli_args_last(args, CLI_D_DESCRIPTION);
  if (value && *value)
    vmi_guest_set(req->guest, "description", value);
  value = cli_args_last(args, CLI_D_OS_TYPE);
  req->hvm = g_strcmp0(value, "hvm") == 0;
  req->paravirt = g_strcmp0(value, "xen") == 0;
  req->container = g_strcmp0(value, "exe") == 0;
  if ((value = cli_args_last(args, CLI_D_VIRT_TYPE)) && *value)
    req->virt_type = g_strdup(value);
  if ((value = cli_args_last(args, CLI_D_ARCH)) && *value)
    req->arch = g_strdup(value);
  if ((value = cli_args_last(args, CLI_D_MACHINE)) && *value)
    req->machine = g_strdup(value);
  if (!run_all(&cli_boot_parser, NULL, req, boot, error) ||
      !run_all(&cli_metadata_parser, NULL, req, cli_args_list(args, CLI_D_METADATA), error))
    goto out;

  if (!build_install(req, args, &inst, cdrom, error))
    goto out;
  if (!inst.kernel_args || inst.kernel_args_overwrite == 1) {
    GPtrArray *extra = cli_args_list(args, CLI_D_EXTRA_ARGS);
    for (guint i = 0; i < extra->len; i++)
      g_ptr_array_add(in->extra_args, g_strdup(g_ptr_array_index(extra, i)));
  }
  {
    GPtrArray *inject = cli_args_list(args, CLI_D_INITRD_INJECT);
    for (guint i = 0; i < inject->len; i++)
      g_ptr_array_add(in->initrd_inject, g_strdup(g_ptr_array_index(inject, i)));
  }
  if (!check_tree_options(in, args, error))
    goto out;
  if (!record_optional_parser(&cli_unattended_parser, req, cli_args_last(args, CLI_D_UNATTENDED),
                              &in->unattended, error) ||
      !record_optional_parser(&cli_cloud_init_parser, req, cli_args_last(args, CLI_D_CLOUD_INIT),
                              &in->cloud_init, error))
    goto out;
  in->transient = cli_args_last(args, CLI_D_TRANSIENT) != NULL;
  in->autostart = cli_args_last(args, CLI_D_AUTOSTART) != NULL;
  in->noreboot = cli_args_last(args, CLI_D_NOREBOOT) != NULL;
  in->destroy_on_exit = cli_args_last(args, CLI_D_DESTROY_ON_EXIT) != NULL;

  /* virt-install's parser order (VIRT_PARSERS). */
  if (!run_all(&cli_memory_parser, NULL, req, memory, error) ||
      !run_all(NULL, cli_run_cpu, req, cli_args_list(args, CLI_D_CPU), error) ||
      !run_all(&cli_vcpus_parser, NULL, req, vcpus, error) ||
      !run_all(NULL, cli_run_disk, req, disks, error) ||
      !run_all(NULL, cli_run_network, req, networks, error) ||
      !run_all(&cli_graphics_parser, NULL, req, graphics, error) ||
      !run_all(&cli_controller_parser, NULL, req, cli_args_list(args, CLI_D_CONTROLLER), error) ||
      !run_all(&cli_input_parser, NULL, req, cli_args_list(args, CLI_D_INPUT), error) ||
      !run_all(&cli_serial_parser, NULL, req, cli_args_list(args, CLI_D_SERIAL), error) ||
      !run_all(&cli_parallel_parser, NULL, req, cli_args_list(args, CLI_D_PARALLEL), error) ||
      !run_all(&cli_channel_parser, NULL, req, cli_args_list(args, CLI_D_CHANNEL), error) ||
      !run_all(&cli_console_parser, NULL, req, cli_args_list(args, CLI_D_CONSOLE), error) ||
      !run_all(&cli_sound_parser, NULL, req, cli_args_list(args, CLI_D_SOUND), error) ||
      !run_all(&cli_watchdog_parser, NULL, req, cli_args_list(args, CLI_D_WATCHDOG), error) ||
      !run_all(&cli_video_parser, NULL, req, cli_args_list(args, CLI_D_VIDEO), error) ||
      !run_all(&cli_redirdev_parser, NULL, req, cli_args_list(args, CLI_D_REDIRDEV), error) ||
      !run_all(&cli_memballoon_parser, NULL, req, cli_args_list(args, CLI_D_MEMBALLOON), error) ||
      !run_all(&cli_tpm_parser, NULL, req, cli_args_list(args, CLI_D_TPM), error) ||
      !run_all(&cli_rng_parser, NULL, req, cli_args_list(args, CLI_D_RNG), error) ||
      !run_all(&cli_panic_parser, NULL, req, cli_args_list(args, CLI_D_PANIC), error) ||
      !run_all(&cli_vsock_parser, NULL, req, cli_args_list(args, CLI_D_VSOCK), error) ||
      !run_all(&cli_features_parser, NULL, req, features, error) ||
      !run_all(&cli_clock_parser, NULL, req, cli_args_list(args, CLI_D_CLOCK), error) ||
      !run_all(&cli_pm_parser, NULL, req, cli_args_list(args, CLI_D_PM), error) ||
      !run_all(&cli_events_parser, NULL, req, cli_args_list(args, CLI_D_EVENTS), error))
    goto out;
  ok = TRUE;
out:
  g_free(inst.bootdev);
  g_free(inst.kernel);
  g_free(inst.initrd);
  g_free(inst.kernel_args);
  g_free(inst.os);
  return ok;
}

/* ---- the public side: a command line, and recorded options ---- */

struct _VmiCommandLine {
  CliArgs args;
};

/* The tool's own options: what the request does not hold. */
static const CliDest tool_dests[] = {
  CLI_D_PRINT_XML, CLI_D_PRINT_XL, CLI_D_DRY_RUN, CLI_D_QUIET, CLI_D_DEBUG,
  CLI_D_INSPECT_MEDIA, CLI_D_JSON,
};

static gboolean
is_tool_dest(CliDest dest)
{
  for (guint i = 0; i < G_N_ELEMENTS(tool_dests); i++)
    if (tool_dests[i] == dest)
      return TRUE;
  return FALSE;
}

VmiCommandLine *
vmi_command_line_new(int argc, char **argv, GError **error)
{
  VmiCommandLine *cl = g_new0(VmiCommandLine, 1);

  cli_args_init(&cl->args);
  if (!cli_args_scan(&cl->args, argc, argv, error)) {
    vmi_command_line_free(cl);
    return NULL;
  }
  return cl;
}

void
vmi_command_line_free(VmiCommandLine *cl)
{
  if (!cl)
    return;
  cli_args_clear(&cl->args);
  g_free(cl);
}

char *
vmi_command_line_output(const VmiCommandLine *cl, GError **error)
{
  const CliArgs *args = &cl->args;
  char *text;

  if (args->help)
    return vmi_cli_usage();
  if (args->version)
    return cli_version_text();
  /* `--disk help` and friends: nothing else is looked at */
  if ((text = introspection(args)))
    return text;
  if (g_strcmp0(cli_args_last(args, CLI_D_OSINFO), "list") == 0)
    return osinfo_list(error);
  return NULL;
}

const char *
vmi_command_line_tool_option(const VmiCommandLine *cl, const char *name)
{
  for (const CliOption *o = cli_options; o->name; o++)
    if (strcmp(o->name, name) == 0 && is_tool_dest(o->dest))
      return cli_args_last(&cl->args, o->dest);
  return NULL;
}

VmiRequest *
vmi_command_line_request(const VmiCommandLine *cl, GError **error)
{
  g_autoptr(VmiRequest) req = vmi_request_new();

  if (!parse_request(req, &cl->args, error))
    return NULL;
  req->parsed = TRUE;
  return g_steal_pointer(&req);
}

VmiRequest *
vmi_cli_parse(int argc, char **argv, GError **error)
{
  g_autoptr(VmiCommandLine) cl = vmi_command_line_new(argc, argv, error);

  return cl ? vmi_command_line_request(cl, error) : NULL;
}

gboolean
vmi_cli_parse_request(VmiRequest *req, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  CliArgs args;
  gboolean ok = FALSE;

  if (req->parse_error) {
    vmi_fail_usage(error, "%s", req->parse_error);
    return FALSE;
  }
  if (req->parsed)
    return TRUE;
  g_ptr_array_add(argv, (gpointer) "vminstall");
  g_ptr_array_extend(argv, req->options, NULL, NULL);
  cli_args_init(&args);
  if (!cli_args_scan(&args, (int)argv->len, (char **)argv->pdata, error))
    goto out;
  for (const CliOption *o = cli_options; o->name; o++) {
    if ((is_tool_dest(o->dest) || o->dest == CLI_D_HELP || o->dest == CLI_D_VERSION) &&
        cli_args_last(&args, o->dest)) {
      vmi_fail_usage(error, "--%s: an option of the vminstall tool, not of a request", o->name);
      goto out;
    }
  }
  ok = parse_request(req, &args, error);
out:
  cli_args_clear(&args);
  /* half read: the same answer for every later use */
  if (ok)
    req->parsed = TRUE;
  else
    req->parse_error = g_strdup(error && *error ? (*error)->message : "invalid request");
  return ok;
}
