/*
 * The option table and argv scanning.  Help text, `--opt help` and
 * parsing all come from cli_options[].
 */
#include <string.h>
#include "cli-options.h"
#include "vminstall/version.h"

#define A CLI_ARG_ONE
#define N CLI_ARG_NONE
#define O CLI_ARG_OPTIONAL

const CliOption cli_options[] = {
  { "help", 'h', N, CLI_D_HELP, FALSE, NULL, NULL, CLI_G_GENERAL, NULL,
    "show this help message and exit" },
  { "version", 0, N, CLI_D_VERSION, FALSE, NULL, NULL, CLI_G_GENERAL, NULL,
    "show program's version number and exit" },
  { "connect", 0, A, CLI_D_CONNECT, FALSE, NULL, NULL, CLI_G_GENERAL, "URI",
    "Connect to hypervisor with libvirt URI" },
  { "name", 'n', A, CLI_D_NAME, FALSE, NULL, NULL, CLI_G_GENERAL, "NAME",
    "Name of the guest instance" },
  { "memory", 0, A, CLI_D_MEMORY, TRUE, NULL, &cli_memory_parser, CLI_G_GENERAL, "MEMORY",
    "Configure guest memory allocation. Ex:\n--memory 1024 (in MiB)\n"
    "--memory memory=1024,currentMemory=512" },
  { "ram", 'r', A, CLI_D_OLDMEMORY, FALSE, NULL, NULL, CLI_G_GENERAL, "MiB", NULL },
  { "vcpus", 0, A, CLI_D_VCPUS, TRUE, NULL, &cli_vcpus_parser, CLI_G_GENERAL, "VCPUS",
    "Number of vCPUs to configure for your guest. Ex:\n--vcpus 5\n"
    "--vcpus 5,maxvcpus=10,cpuset=1-4,6,8\n--vcpus sockets=2,cores=4,threads=2" },
  { "cpu", 0, A, CLI_D_CPU, TRUE, NULL, &cli_cpu_parser, CLI_G_GENERAL, "CPU",
    "CPU model and features. Ex:\n--cpu coreduo,+x2apic\n--cpu host-passthrough\n--cpu host" },
  { "cpuset", 0, A, CLI_D_CPUSET, FALSE, NULL, NULL, CLI_G_GENERAL, "CPUSET", NULL },
  { "metadata", 0, A, CLI_D_METADATA, TRUE, NULL, &cli_metadata_parser, CLI_G_GENERAL, "METADATA",
    "Configure guest metadata. Ex:\n--metadata name=foo,title=\"My pretty title\",uuid=...\n"
    "--metadata description=\"My nice long description\"" },
  { "uuid", 'u', A, CLI_D_UUID, FALSE, NULL, NULL, CLI_G_GENERAL, "UUID", NULL },
  { "description", 0, A, CLI_D_DESCRIPTION, FALSE, NULL, NULL, CLI_G_GENERAL, "TEXT", NULL },

  { "", 'c', A, CLI_D_CDROM_SHORT, FALSE, NULL, NULL, CLI_G_INSTALL, "CDROM", NULL },
  { "cdrom", 0, A, CLI_D_CDROM, FALSE, NULL, NULL, CLI_G_INSTALL, "CDROM",
    "CD-ROM installation media" },
  { "location", 'l', A, CLI_D_LOCATION, FALSE, NULL, &cli_location_parser, CLI_G_INSTALL,
    "LOCATION",
    "Distro install URL, eg. https://host/path. See man page for specific distro examples." },
  { "pxe", 0, N, CLI_D_PXE, FALSE, NULL, NULL, CLI_G_INSTALL, NULL,
    "Boot from the network using the PXE protocol" },
  { "import", 0, N, CLI_D_IMPORT, FALSE, NULL, NULL, CLI_G_INSTALL, NULL,
    "Build guest around an existing disk image" },
  { "livecd", 0, N, CLI_D_LIVECD, FALSE, NULL, NULL, CLI_G_INSTALL, NULL, NULL },
  { "extra-args", 'x', A, CLI_D_EXTRA_ARGS, TRUE, NULL, NULL, CLI_G_INSTALL, "EXTRA_ARGS",
    "Additional arguments to pass to the install kernel booted from --location" },
  { "initrd-inject", 0, A, CLI_D_INITRD_INJECT, TRUE, NULL, NULL, CLI_G_INSTALL, "INITRD_INJECT",
    "Add given file to root of initrd from --location" },
  { "unattended", 0, O, CLI_D_UNATTENDED, FALSE, "", &cli_unattended_parser, CLI_G_INSTALL,
    "[UNATTENDED]", "Perform an unattended installation" },
  { "install", 0, A, CLI_D_INSTALL, FALSE, NULL, &cli_install_parser, CLI_G_INSTALL, "INSTALL",
    "Specify fine grained install options" },
  { "cloud-init", 0, O, CLI_D_CLOUD_INIT, FALSE, "", &cli_cloud_init_parser, CLI_G_INSTALL,
    "[CLOUD_INIT]", "Perform a cloud image installation, configuring cloud-init" },
  { "boot", 0, A, CLI_D_BOOT, TRUE, NULL, &cli_boot_parser, CLI_G_INSTALL, "BOOT",
    "Configure guest boot settings. Ex:\n--boot hd,cdrom,menu=on\n"
    "--boot init=/sbin/init (for containers)" },
  { "init", 0, A, CLI_D_INIT, FALSE, NULL, NULL, CLI_G_INSTALL, "INIT", NULL },

  { "os-variant", 0, A, CLI_D_OSINFO, FALSE, NULL, &cli_osinfo_parser, CLI_G_OS, "OS_VARIANT",
    "The OS being installed in the guest.\n"
    "This is used for deciding optimal defaults like VirtIO.\n"
    "Example values: fedora29, rhel7.0, win10, ...\n"
    "Use '--osinfo list' to see a full list." },
  { "osinfo", 0, A, CLI_D_OSINFO, FALSE, NULL, &cli_osinfo_parser, CLI_G_OS, "OSINFO",
    "Same as --os-variant" },
  { "os-type", 0, A, CLI_D_OLD_OS_TYPE, FALSE, NULL, NULL, CLI_G_OS, "TYPE", NULL },

  { "disk", 0, A, CLI_D_DISK, TRUE, NULL, &cli_disk_parser, CLI_G_DEVICE, "DISK",
    "Specify storage with various options. Ex.\n"
    "--disk size=10 (new 10GiB image in default location)\n"
    "--disk /my/existing/disk,cache=none\n--disk device=cdrom,bus=scsi\n--disk=?" },
  { "network", 'w', A, CLI_D_NETWORK, TRUE, NULL, &cli_network_parser, CLI_G_DEVICE, "NETWORK",
    "Configure a guest network interface. Ex:\n--network bridge=mybr0\n"
    "--network network=my_libvirt_virtual_net\n"
    "--network network=mynet,model=virtio,mac=00:11...\n--network none\n--network help" },
  { "graphics", 0, A, CLI_D_GRAPHICS, TRUE, NULL, &cli_graphics_parser, CLI_G_DEVICE, "GRAPHICS",
    "Configure guest display settings. Ex:\n--graphics spice\n"
    "--graphics vnc,port=5901,listen=0.0.0.0\n--graphics none" },
  { "controller", 0, A, CLI_D_CONTROLLER, TRUE, NULL, &cli_controller_parser, CLI_G_DEVICE,
    "CONTROLLER", "Configure a guest controller device. Ex:\n"
    "--controller type=usb,model=qemu-xhci\n--controller type=scsi,model=virtio-scsi" },
  { "input", 0, A, CLI_D_INPUT, TRUE, NULL, &cli_input_parser, CLI_G_DEVICE, "INPUT",
    "Configure a guest input device. Ex:\n--input tablet\n--input keyboard,bus=usb" },
  { "serial", 0, A, CLI_D_SERIAL, TRUE, NULL, &cli_serial_parser, CLI_G_DEVICE, "SERIAL",
    "Configure a guest serial device" },
  { "parallel", 0, A, CLI_D_PARALLEL, TRUE, NULL, &cli_parallel_parser, CLI_G_DEVICE, "PARALLEL",
    "Configure a guest parallel device" },
  { "channel", 0, A, CLI_D_CHANNEL, TRUE, NULL, &cli_channel_parser, CLI_G_DEVICE, "CHANNEL",
    "Configure a guest communication channel" },
  { "console", 0, A, CLI_D_CONSOLE, TRUE, NULL, &cli_console_parser, CLI_G_DEVICE, "CONSOLE",
    "Configure a text console connection between the guest and host" },
  { "sound", 0, O, CLI_D_SOUND, TRUE, "default", &cli_sound_parser, CLI_G_DEVICE, "[SOUND]",
    "Configure guest sound device emulation" },
  { "soundhw", 0, A, CLI_D_SOUND, TRUE, NULL, NULL, CLI_G_DEVICE, "SOUND", NULL },
  { "watchdog", 0, A, CLI_D_WATCHDOG, TRUE, NULL, &cli_watchdog_parser, CLI_G_DEVICE, "WATCHDOG",
    "Configure a guest watchdog device" },
  { "video", 0, A, CLI_D_VIDEO, TRUE, NULL, &cli_video_parser, CLI_G_DEVICE, "VIDEO",
    "Configure guest video hardware." },
  { "redirdev", 0, A, CLI_D_REDIRDEV, TRUE, NULL, &cli_redirdev_parser, CLI_G_DEVICE, "REDIRDEV",
    "Configure a guest redirection device. Ex:\n--redirdev usb,type=tcp,server=192.168.1.1:4000" },
  { "memballoon", 0, A, CLI_D_MEMBALLOON, TRUE, NULL, &cli_memballoon_parser, CLI_G_DEVICE,
    "MEMBALLOON", "Configure a guest memballoon device. Ex:\n--memballoon model=virtio" },
  { "tpm", 0, A, CLI_D_TPM, TRUE, NULL, &cli_tpm_parser, CLI_G_DEVICE, "TPM",
    "Configure a guest TPM device. Ex:\n--tpm /dev/tpm" },
  { "rng", 0, A, CLI_D_RNG, TRUE, NULL, &cli_rng_parser, CLI_G_DEVICE, "RNG",
    "Configure a guest RNG device. Ex:\n--rng /dev/urandom" },
  { "panic", 0, A, CLI_D_PANIC, TRUE, NULL, &cli_panic_parser, CLI_G_DEVICE, "PANIC",
    "Configure a guest panic device. Ex:\n--panic default" },
  { "vsock", 0, A, CLI_D_VSOCK, TRUE, NULL, &cli_vsock_parser, CLI_G_DEVICE, "VSOCK",
    "Configure guest vsock sockets. Ex:\n--vsock cid.auto=yes\n--vsock cid.address=7" },
  { "file", 'f', A, CLI_D_FILE, TRUE, NULL, NULL, CLI_G_DEVICE, "PATH", NULL },
  { "file-size", 's', A, CLI_D_FILE_SIZE, TRUE, NULL, NULL, CLI_G_DEVICE, "GiB", NULL },
  { "nonsparse", 0, N, CLI_D_NONSPARSE, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },
  { "nodisks", 0, N, CLI_D_NODISKS, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },
  { "nonetworks", 0, N, CLI_D_NONETWORKS, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },
  { "bridge", 'b', A, CLI_D_BRIDGE, TRUE, NULL, NULL, CLI_G_DEVICE, "BRIDGE", NULL },
  { "mac", 'm', A, CLI_D_MAC, TRUE, NULL, NULL, CLI_G_DEVICE, "MAC", NULL },
  { "vnc", 0, N, CLI_D_VNC, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },
  { "vncport", 0, A, CLI_D_VNCPORT, FALSE, NULL, NULL, CLI_G_DEVICE, "PORT", NULL },
  { "vnclisten", 0, A, CLI_D_VNCLISTEN, FALSE, NULL, NULL, CLI_G_DEVICE, "ADDRESS", NULL },
  { "keymap", 'k', A, CLI_D_KEYMAP, FALSE, NULL, NULL, CLI_G_DEVICE, "KEYMAP", NULL },
  { "sdl", 0, N, CLI_D_SDL, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },
  { "nographics", 0, N, CLI_D_NOGRAPHICS, FALSE, NULL, NULL, CLI_G_DEVICE, NULL, NULL },

  { "features", 0, A, CLI_D_FEATURES, TRUE, NULL, &cli_features_parser, CLI_G_GUEST, "FEATURES",
    "Set domain <features> XML. Ex:\n--features acpi=off\n--features apic=on,apic.eoi=on" },
  { "clock", 0, A, CLI_D_CLOCK, TRUE, NULL, &cli_clock_parser, CLI_G_GUEST, "CLOCK",
    "Set domain <clock> XML. Ex:\n--clock offset=localtime,rtc_tickpolicy=catchup" },
  { "pm", 0, A, CLI_D_PM, TRUE, NULL, &cli_pm_parser, CLI_G_GUEST, "PM",
    "Configure VM power management features" },
  { "events", 0, A, CLI_D_EVENTS, TRUE, NULL, &cli_events_parser, CLI_G_GUEST, "EVENTS",
    "Configure VM lifecycle management policy" },

  { "hvm", 'v', N, CLI_D_OS_TYPE, FALSE, "hvm", NULL, CLI_G_VIRT, NULL,
    "This guest should be a fully virtualized guest" },
  { "paravirt", 'p', N, CLI_D_OS_TYPE, FALSE, "xen", NULL, CLI_G_VIRT, NULL,
    "This guest should be a paravirtualized guest" },
  { "container", 0, N, CLI_D_OS_TYPE, FALSE, "exe", NULL, CLI_G_VIRT, NULL,
    "This guest should be a container guest" },
  { "virt-type", 0, A, CLI_D_VIRT_TYPE, FALSE, NULL, NULL, CLI_G_VIRT, "VIRT_TYPE",
    "Hypervisor name to use (kvm, qemu, xen, ...)" },
  { "arch", 0, A, CLI_D_ARCH, FALSE, NULL, NULL, CLI_G_VIRT, "ARCH",
    "The CPU architecture to simulate" },
  { "machine", 0, A, CLI_D_MACHINE, FALSE, NULL, NULL, CLI_G_VIRT, "MACHINE",
    "The machine type to emulate" },
  { "accelerate", 0, N, CLI_D_ACCELERATE, FALSE, NULL, NULL, CLI_G_VIRT, NULL, NULL },
  { "noapic", 0, N, CLI_D_NOAPIC, FALSE, NULL, NULL, CLI_G_VIRT, NULL, NULL },
  { "noacpi", 0, N, CLI_D_NOACPI, FALSE, NULL, NULL, CLI_G_VIRT, NULL, NULL },

  { "autostart", 0, N, CLI_D_AUTOSTART, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Have domain autostart on host boot up." },
  { "transient", 0, N, CLI_D_TRANSIENT, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Create a transient domain." },
  { "destroy-on-exit", 0, N, CLI_D_DESTROY_ON_EXIT, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Force power off the domain when the console viewer is closed." },
  { "wait", 0, O, CLI_D_WAIT, FALSE, "-1", NULL, CLI_G_MISC, "[WAIT]",
    "Minutes to wait for install to complete." },
  { "autoconsole", 0, A, CLI_D_AUTOCONSOLE, FALSE, NULL, NULL, CLI_G_MISC, "AUTOCONSOLE",
    "Configure guest console auto connect. Example:\n--autoconsole text\n"
    "--autoconsole graphical\n--autoconsole none" },
  { "noautoconsole", 0, N, CLI_D_AUTOCONSOLE, FALSE, "none", NULL, CLI_G_MISC, NULL,
    "Don't automatically try to connect to the guest console" },
  { "noreboot", 0, N, CLI_D_NOREBOOT, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Don't boot guest after completing install." },
  { "print-xml", 0, O, CLI_D_PRINT_XML, FALSE, "all", NULL, CLI_G_MISC, "[XMLONLY]",
    "Print the generated domain XML rather than create the guest." },
  { "print-step", 0, A, CLI_D_PRINT_XML, FALSE, NULL, NULL, CLI_G_MISC, "STEP", NULL },
  { "dry-run", 0, N, CLI_D_DRY_RUN, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Run through install process, but do not create devices or define the guest." },
  { "check", 0, A, CLI_D_CHECK, TRUE, NULL, &cli_check_parser, CLI_G_MISC, "CHECK",
    "Enable or disable validation checks. Example:\n--check path_in_use=off\n--check all=off" },
  { "force", 0, N, CLI_D_FORCE, FALSE, NULL, NULL, CLI_G_MISC, NULL, NULL },
  { "prompt", 0, N, CLI_D_PROMPT, FALSE, NULL, NULL, CLI_G_MISC, NULL, NULL },
  { "quiet", 'q', N, CLI_D_QUIET, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Suppress non-error output" },
  { "debug", 'd', N, CLI_D_DEBUG, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "Print debugging information" },
  { "inspect-media", 0, A, CLI_D_INSPECT_MEDIA, FALSE, NULL, NULL, CLI_G_MISC, "SRC",
    "Print what the install media SRC (ISO, directory or URL) holds: OS, layout,\n"
    "kernel, initrd and boot options; nothing else is done" },
  { "json", 0, N, CLI_D_JSON, FALSE, NULL, NULL, CLI_G_MISC, NULL,
    "With --inspect-media, print JSON" },
  { "print-xl", 0, O, CLI_D_PRINT_XL, FALSE, "all", NULL, CLI_G_MISC, "[STEP]",
    "Print the Xen xl configuration (of step 1, 2 or all) rather than create the guest" },
  { "autocf", 0, A, CLI_D_AUTOCF, FALSE, NULL, NULL, CLI_G_INSTALL, "AUTOCF",
    "Solaris automated install: JumpStart NFS path, or AI name=value pairs" },
  { NULL }
};

#undef A
#undef N
#undef O

void
cli_args_init(CliArgs *args)
{
  memset(args, 0, sizeof(*args));
  for (guint i = 0; i < CLI_D_MAX; i++)
    args->values[i] = g_ptr_array_new_with_free_func(g_free);
}

void
cli_args_clear(CliArgs *args)
{
  for (guint i = 0; i < CLI_D_MAX; i++)
    g_clear_pointer(&args->values[i], g_ptr_array_unref);
}

const char *
cli_args_last(const CliArgs *args, CliDest dest)
{
  GPtrArray *v = args->values[dest];
  return v->len ? g_ptr_array_index(v, v->len - 1) : NULL;
}

GPtrArray *
cli_args_list(const CliArgs *args, CliDest dest)
{
  return args->values[dest];
}

/* argparse's test for "this word is an option, not a value": negative
 * numbers and words with spaces are values. */
static gboolean
looks_like_option(const char *word)
{
  const char *p = word + 1;

  if (word[0] != '-' || !word[1])
    return FALSE;
  if (strchr(word, ' '))
    return FALSE;
  if (g_ascii_isdigit(*p) || (*p == '.' && g_ascii_isdigit(p[1]))) {
    gboolean dot = FALSE;
    for (; *p; p++) {
      if (*p == '.' && !dot)
        dot = TRUE;
      else if (!g_ascii_isdigit(*p))
        return TRUE;
    }
    return FALSE;
  }
  return TRUE;
}

static const CliOption *
find_short(char c)
{
  for (const CliOption *o = cli_options; o->name; o++)
    if (o->short_name == c)
      return o;
  return NULL;
}

/* Exact long name, else a unique prefix (argparse's allow_abbrev). */
static const CliOption *
find_long(const char *name, GError **error)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new();
  gsize len = strlen(name);

  for (const CliOption *o = cli_options; o->name; o++) {
    if (!*o->name)
      continue;
    if (strcmp(o->name, name) == 0)
      return o;
    if (len && strncmp(o->name, name, len) == 0)
      g_ptr_array_add(matches, (gpointer)o);
  }
  if (matches->len == 1)
    return g_ptr_array_index(matches, 0);
  if (matches->len > 1) {
    GString *list = g_string_new(NULL);
    for (guint i = 0; i < matches->len; i++) {
      const CliOption *o = g_ptr_array_index(matches, i);
      g_string_append_printf(list, "%s--%s", i ? ", " : "", o->name);
    }
    g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "ambiguous option '--%s' (could be %s)",
                name, list->str);
    g_string_free(list, TRUE);
    return NULL;
  }
  g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "unknown option '--%s' (see --help for the accepted options)", name);
  return NULL;
}

static char *
option_label(const CliOption *o)
{
  if (*o->name)
    return g_strdup_printf("--%s", o->name);
  return g_strdup_printf("-%c", o->short_name);
}

static gboolean
store(CliArgs *args, const CliOption *o, const char *value, GError **error)
{
  GPtrArray *v = args->values[o->dest];

  if (o->dest == CLI_D_OS_TYPE) {
    if (args->os_type_opt && args->os_type_opt != o) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE,
                  "--%s and --%s cannot be used together (choose one of --hvm, --paravirt, --container)",
                  args->os_type_opt->name, o->name);
      return FALSE;
    }
    args->os_type_opt = o;
  }
  if (o->dest == CLI_D_HELP)
    args->help = TRUE;
  if (o->dest == CLI_D_VERSION)
    args->version = TRUE;
  if (!o->append)
    g_ptr_array_set_size(v, 0);
  g_ptr_array_add(v, g_strdup(value));
  return TRUE;
}

/* Takes @o's value from @inline_value or the next word; *i advances
 * past what was used. */
static gboolean
take_value(CliArgs *args, const CliOption *o, const char *inline_value,
           int argc, char **argv, int *i, GError **error)
{
  g_autofree char *label = option_label(o);

  switch (o->arity) {
  case CLI_ARG_NONE:
    if (inline_value) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: takes no value (got '%s')",
                  label, inline_value);
      return FALSE;
    }
    return store(args, o, o->const_value ? o->const_value : "1", error);
  case CLI_ARG_ONE:
    if (inline_value)
      return store(args, o, inline_value, error);
    if (*i + 1 >= argc || looks_like_option(argv[*i + 1])) {
      g_set_error(error, VMI_ERROR, VMI_ERROR_USAGE, "%s: missing value (expected %s)",
                  label, o->metavar);
      return FALSE;
    }
    return store(args, o, argv[++*i], error);
  case CLI_ARG_OPTIONAL:
    if (inline_value)
      return store(args, o, inline_value, error);
    if (*i + 1 < argc && !looks_like_option(argv[*i + 1]))
      return store(args, o, argv[++*i], error);
    return store(args, o, o->const_value, error);
  default:
    g_assert_not_reached();
  }
}

gboolean
cli_args_scan(CliArgs *args, int argc, char **argv, GError **error)
{
  g_autoptr(GError) deferred = NULL;

  for (int i = 1; i < argc; i++) {
    const char *word = argv[i];
    const CliOption *o;

    if (strcmp(word, "--") == 0) {
      if (i + 1 < argc && !deferred)
        g_set_error(&deferred, VMI_ERROR, VMI_ERROR_USAGE, "unexpected argument '%s' (options start with --; see --help)",
                    argv[i + 1]);
      break;
    }
    if (!looks_like_option(word)) {
      /* argparse reports stray words only at the end. */
      if (!deferred)
        g_set_error(&deferred, VMI_ERROR, VMI_ERROR_USAGE, "unexpected argument '%s' (options start with --; see --help)",
                    word);
      continue;
    }

    if (word[1] == '-') {
      const char *eq = strchr(word, '=');
      g_autofree char *name = eq ? g_strndup(word + 2, (gsize)(eq - word - 2)) : g_strdup(word + 2);
      g_autoptr(GError) local = NULL;

      o = find_long(name, &local);
      if (!o) {
        /* Unknown options are reported after the scan, so that a later
         * --help still wins as in argparse. */
        if (!deferred)
          deferred = g_steal_pointer(&local);
        continue;
      }
      if (!take_value(args, o, eq ? eq + 1 : NULL, argc, argv, &i, error))
        return FALSE;
    } else {
      /* -n VALUE, -nVALUE, -n=VALUE, -dq */
      for (const char *c = word + 1; *c; c++) {
        o = find_short(*c);
        if (!o) {
          if (!deferred)
            g_set_error(&deferred, VMI_ERROR, VMI_ERROR_USAGE, "unknown option '-%c' (see --help for the accepted options)", *c);
          break;
        }
        if (o->arity == CLI_ARG_NONE) {
          if (!take_value(args, o, NULL, argc, argv, &i, error))
            return FALSE;
          continue;
        }
        const char *rest = c[1] == '=' ? c + 2 : c + 1;
        if (!take_value(args, o, *rest ? rest : NULL, argc, argv, &i, error))
          return FALSE;
        break;
      }
    }
    if (args->help || args->version)
      return TRUE;
  }
  if (deferred) {
    g_propagate_error(error, g_steal_pointer(&deferred));
    return FALSE;
  }
  return TRUE;
}

/* ---- --help ---- */

static const char *const group_titles[CLI_G_MAX] = {
  [CLI_G_GENERAL] = "General Options",
  [CLI_G_INSTALL] = "Installation Method Options",
  [CLI_G_OS] = "OS options",
  [CLI_G_DEVICE] = "Device Options",
  [CLI_G_GUEST] = "Guest Configuration Options",
  [CLI_G_VIRT] = "Virtualization Platform Options",
  [CLI_G_MISC] = "Miscellaneous Options",
};

#define HELP_COLUMN 28

static void
append_option_help(GString *out, const CliOption *o)
{
  g_autoptr(GString) left = g_string_new("  ");
  g_auto(GStrv) lines = g_strsplit(o->help, "\n", -1);
  const char *meta = o->metavar ? o->metavar : "";
  const char *sep = !o->metavar ? "" : o->arity == CLI_ARG_OPTIONAL ? " " : " ";

  if (o->short_name)
    g_string_append_printf(left, "-%c%s%s, ", o->short_name, sep, meta);
  g_string_append_printf(left, "--%s%s%s", o->name, sep, meta);

  if (left->len + 2 > HELP_COLUMN) {
    g_string_append_printf(out, "%s\n", left->str);
    g_string_truncate(left, 0);
  }
  for (guint i = 0; lines[i]; i++) {
    g_string_append_printf(out, "%-*s%s\n", HELP_COLUMN, i == 0 ? left->str : "", lines[i]);
  }
}

char *
vmi_cli_usage(void)
{
  GString *out = g_string_new(NULL);

  g_string_append(out,
    "usage: vminstall --name NAME --memory MB STORAGE INSTALL [options]\n"
    "\n"
    "Create a new virtual machine from specified install media.\n");
  for (int g = 0; g < CLI_G_MAX; g++) {
    g_string_append_printf(out, "\n%s:\n", group_titles[g]);
    for (const CliOption *o = cli_options; o->name; o++)
      if ((int)o->group == g && o->help)
        append_option_help(out, o);
  }
  g_string_append(out,
    "\nUse '--option=?' or '--option help' to see available suboptions\n"
    "See man page for examples and full option syntax.\n");
  return g_string_free(out, FALSE);
}

char *
cli_version_text(void)
{
  return g_strdup_printf("%s\n", VMI_VERSION);
}
