/*
 * The xVM rules as a table: each sentence of
 * ../shared/seeds/xvm-installer-dependencies.txt that states a rule is one
 * case, quoted in its comment.  Media are sets of file names; host facts
 * (resolved names, the default route) are given, not looked up.
 */
#include <string.h>
#include "solaris.h"
#include "install.h"
#include "plan.h"
#include "media-private.h"
#include "vminstall/error.h"
#include "request.h"
#include "xmlnode.h"

/* ------------------------------------------------------------ media */

#define NEVADA_32 "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot"
#define NEVADA_64 "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot"
#define OSOL_K32 "platform/i86xpv/kernel/unix"
#define OSOL_K64 "platform/i86xpv/kernel/amd64/unix"

static gboolean
set_has_file(const char *path, gpointer data, gboolean *exists, GError **error)
{
  *exists = g_strv_contains((const char *const *)data, path);
  return TRUE;
}

typedef struct {
  const char *rule;             /* the seed's sentence */
  const char *files[8];         /* the medium */
  gint64 memory_mib;
  gboolean host_64bit;
  VmiSolarisRelease release;    /* expected */
  gboolean ai;
  const char *kernel;           /* expected pair; NULL: none found */
  const char *ramdisk;
} MediaCase;

static const MediaCase media_cases[] = {
  { "If the guest has at least 1024Mb RAM allocated, and the host is 64-bit capable, "
    "we boot in 64-bit mode",
    { NEVADA_32, NEVADA_64 }, 1024, TRUE, VMI_SOLARIS_NEVADA, FALSE,
    "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot" },
  { "Otherwise, we boot in 32-bit mode (less than 1024 MiB)",
    { NEVADA_32, NEVADA_64 }, 1023, TRUE, VMI_SOLARIS_NEVADA, FALSE,
    "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" },
  { "Otherwise, we boot in 32-bit mode (a 32-bit host)",
    { NEVADA_32, NEVADA_64 }, 4096, FALSE, VMI_SOLARIS_NEVADA, FALSE,
    "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" },
  { "32-bit: OpenSolaris kernel: /platform/i86xpv/kernel/unix; "
    "OpenSolaris ramdisk (2009.06 and earlier): /boot/x86.microroot",
    { OSOL_K32, OSOL_K64, "boot/x86.microroot" }, 512, TRUE, VMI_SOLARIS_OPENSOLARIS, FALSE,
    "platform/i86xpv/kernel/unix", "boot/x86.microroot" },
  { "32-bit: OpenSolaris ramdisk (post-2009.06, b128 or so): /platform/i86pc/boot_archive",
    { OSOL_K32, OSOL_K64, "platform/i86pc/boot_archive", "platform/i86pc/amd64/boot_archive" },
    512, TRUE, VMI_SOLARIS_OPENSOLARIS_ARCHIVE, FALSE,
    "platform/i86xpv/kernel/unix", "platform/i86pc/boot_archive" },
  { "32-bit: Nevada kernel: /boot/platform/i86xpv/kernel/unix; "
    "Nevada ramdisk: /boot/x86.miniroot",
    { NEVADA_32 }, 768, TRUE, VMI_SOLARIS_NEVADA, FALSE,
    "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" },
  { "64-bit: OpenSolaris kernel: /platform/i86xpv/kernel/amd64/unix; "
    "OpenSolaris ramdisk (pre-2009.06): /boot/x86.microroot",
    { OSOL_K32, OSOL_K64, "boot/x86.microroot" }, 2048, TRUE, VMI_SOLARIS_OPENSOLARIS, FALSE,
    "platform/i86xpv/kernel/amd64/unix", "boot/x86.microroot" },
  { "64-bit: OpenSolaris ramdisk (pre-2009.06): /boot/amd64/x86.microroot",
    { OSOL_K32, OSOL_K64, "boot/x86.microroot", "boot/amd64/x86.microroot" },
    2048, TRUE, VMI_SOLARIS_OPENSOLARIS, FALSE,
    "platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.microroot" },
  { "64-bit: OpenSolaris ramdisk (post-2009.06, b128 or so): "
    "/platform/i86pc/amd64/boot_archive",
    { OSOL_K32, OSOL_K64, "platform/i86pc/boot_archive", "platform/i86pc/amd64/boot_archive" },
    1024, TRUE, VMI_SOLARIS_OPENSOLARIS_ARCHIVE, FALSE,
    "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive" },
  { "64-bit: Nevada kernel: /boot/platform/i86xpv/kernel/amd64/unix; "
    "Nevada ramdisk: /boot/amd64/x86.miniroot",
    { NEVADA_32, NEVADA_64 }, 8192, TRUE, VMI_SOLARIS_NEVADA, FALSE,
    "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot" },
  { "Bootable AI: an AI image is OpenSolaris media with auto_install/",
    { OSOL_K32, OSOL_K64, "platform/i86pc/boot_archive", "platform/i86pc/amd64/boot_archive",
      "auto_install/default.xml" },
    2048, TRUE, VMI_SOLARIS_OPENSOLARIS_ARCHIVE, TRUE,
    "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive" },
  { "we have a hard dependency on their locations: a 64-bit guest on media "
    "without the 64-bit files finds nothing",
    { NEVADA_32 }, 2048, TRUE, VMI_SOLARIS_NEVADA, FALSE, NULL, NULL },
  { "not Solaris: a Linux tree",
    { "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img" }, 2048, TRUE,
    VMI_SOLARIS_NONE, FALSE, NULL, NULL },
};

static void
test_media(gconstpointer p)
{
  const MediaCase *c = p;
  VmiSolarisMedia m;
  const VmiSolarisPair *pair = NULL;
  g_autoptr(GError) error = NULL;
  gboolean use64 = vmi_solaris_use_64bit(c->memory_mib, c->host_64bit);

  g_test_message("%s", c->rule);
  g_assert_true(vmi_solaris_detect(set_has_file, (gpointer)c->files, &m, &error));
  g_assert_no_error(error);
  g_assert_cmpint(m.release, ==, c->release);
  g_assert_cmpint(m.automated_installer, ==, c->ai);
  if (c->release == VMI_SOLARIS_NONE)
    return;
  if (!c->kernel) {
    g_assert_false(vmi_solaris_find_boot_files(set_has_file, (gpointer)c->files, m.release,
                                               use64, &pair, &error));
    g_assert_error(error, VMI_ERROR, VMI_ERROR_NOT_FOUND);
    g_assert_cmpstr(error->message, ==,
                    "nevada media without a 64-bit PV kernel and ramdisk (looked for "
                    "boot/platform/i86xpv/kernel/amd64/unix and boot/amd64/x86.miniroot)");
    return;
  }
  g_assert_true(vmi_solaris_find_boot_files(set_has_file, (gpointer)c->files, m.release,
                                            use64, &pair, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(pair->kernel, ==, c->kernel);
  g_assert_cmpstr(pair->ramdisk, ==, c->ramdisk);
}

/* ------------------------------------------------------------ command lines */

#define U64 "/platform/i86xpv/kernel/amd64/unix"
#define U32 "/platform/i86xpv/kernel/unix"

typedef struct {
  const char *rule;
  VmiSolarisBootFacts facts;
  gboolean is_dir;       /* the location is a local directory */
  const char *expected;  /* command line, or the error message */
  gboolean error;
} CmdCase;

/* Cases vary one fact of this base: a later designated initializer wins. */
#pragma GCC diagnostic ignored "-Woverride-init"
#define NEVADA_NFS .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, \
  .location = "nfs:heaped:/export/netimage/nv", .location_ip = "10.6.1.2", \
  .guest_ip = "10.6.1.50", .subnet_mask = "255.255.255.0", .router_ip = "10.6.1.1", \
  .mac = "00:16:3e:1b:e8:18"

static const CmdCase cmd_cases[] = {
  /* PV command line */
  { "any options set by the use with virt-install -x",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .extra_args = "console=ttya" },
    FALSE, U64 " - console=ttya -B install_media=cdrom" },
  { "understands the difference between (say) -kdv and -B options",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .extra_args = "-kdv -B console=ttya,atapi" },
    FALSE, U64 " -kdv -B install_media=cdrom,console=ttya,atapi" },
  { "-k, -d and -v given apart merge into one flag word",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = FALSE, .location = "/iso/nv.iso",
      .extra_args = "-k -v -d -k" },
    FALSE, U32 " -kvd -B install_media=cdrom" },
  { "We process, but ignore, -m (SMF) arguments",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .extra_args = "-m verbose -v -mmilestone=none" },
    FALSE, U64 " -v -B install_media=cdrom" },
  { "-B given twice in -x is merged",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .extra_args = "-B a=1 -Bb=2,a=3" },
    FALSE, U64 " -B install_media=cdrom,a=3,b=2" },
  { "an unknown boot flag is an error",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .extra_args = "-kq" },
    FALSE, "-x: unknown Solaris boot flag '-q' in '-kq' (flags are -a -d -k -r -s -v -x; "
    "-B name=value,... and -m SMF are understood too)", TRUE },
  { "For ISO installs, we pass -B install_media=cdrom",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso" },
    FALSE, U64 " -B install_media=cdrom" },
  /* ZFS */
  { "When reading the kernel/ramdisk from the ZFS file system (post-install), we grab "
    "the current root pool objset, and pass that in to mount",
    { .release = VMI_SOLARIS_OPENSOLARIS, .use_64bit = TRUE, .zfs_bootfs = "rpool/57",
      .root_vdev = "xvda" },
    FALSE, U64 " -B zfs-bootfs=rpool/57,bootpath='/xpvd/xdf@51712:a'" },
  { "ZFS boot of a 32-bit guest from its second disk",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = FALSE, .zfs_bootfs = "rpool/61",
      .root_vdev = "xvdb" },
    FALSE, U32 " -B zfs-bootfs=rpool/61,bootpath='/xpvd/xdf@51728:a'" },
  /* Netinstalls */
  { "we construct: -B install_media=x.x.x.x:/path/to/media/dir/,host-ip=y.y.y.y,"
    "subnet-mask=...,router-ip=z.z.z.z,boot-mac=MAC",
    { NEVADA_NFS }, FALSE,
    U64 " -B install_media=10.6.1.2:/export/netimage/nv,host-ip=10.6.1.50,"
    "subnet-mask=255.255.255.0,router-ip=10.6.1.1,boot-mac=00:16:3e:1b:e8:18" },
  { "if the user specifies subnet-mask in the -x argument, we grab and use it",
    { NEVADA_NFS, .extra_args = "-B subnet-mask=255.255.0.0" }, FALSE,
    U64 " -B install_media=10.6.1.2:/export/netimage/nv,host-ip=10.6.1.50,"
    "subnet-mask=255.255.0.0,router-ip=10.6.1.1,boot-mac=00:16:3e:1b:e8:18" },
  { "If we can't resolve the given guest name on the dom0, we pass in 'dhcp'",
    { NEVADA_NFS, .guest_ip = NULL }, FALSE,
    U64 " - dhcp -B install_media=10.6.1.2:/export/netimage/nv,boot-mac=00:16:3e:1b:e8:18" },
  { "x.x.x.x is the NFS server's IP address (nfs://HOST/PATH form)",
    { NEVADA_NFS, .location = "nfs://heaped/export/netimage/nv" }, FALSE,
    U64 " -B install_media=10.6.1.2:/export/netimage/nv,host-ip=10.6.1.50,"
    "subnet-mask=255.255.255.0,router-ip=10.6.1.1,boot-mac=00:16:3e:1b:e8:18" },
  { "We don't do any of this currently if it's OpenSolaris media",
    { NEVADA_NFS, .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE }, FALSE,
    U64 " -B network-interface=xnf0,xpv-hcp=dhcp,livemode=text" },
  { "In order to support NFS installs in PV mode: Nevada over http is refused",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "http://host/nv" },
    FALSE, "--location 'http://host/nv': Nevada installs over the network need an NFS "
    "location (nfs:HOST:/PATH)", TRUE },
  { "a local directory gives the installer no install_media",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/net/heaped/nv" },
    TRUE, "--location '/net/heaped/nv': a PV Nevada install from a local directory needs "
    "its media on NFS: give the directory of a mounted NFS export, or "
    "-x '-B install_media=HOST:/PATH'", TRUE },
  /* JumpStart */
  { "if --autocf is specified, it points to a jumpstart config. We add the option "
    "\" install \" ... sysid_config=x.x.x.x:/path/to/jumpstart,install_config=...",
    { NEVADA_NFS, .autocf = "nfs:jsserver:/export/js/domu", .autocf_ip = "10.6.1.3" }, FALSE,
    U64 " - install -B install_media=10.6.1.2:/export/netimage/nv,host-ip=10.6.1.50,"
    "subnet-mask=255.255.255.0,router-ip=10.6.1.1,boot-mac=00:16:3e:1b:e8:18,"
    "sysid_config=10.6.1.3:/export/js/domu,install_config=10.6.1.3:/export/js/domu" },
  { "The config must be on an NFS host",
    { NEVADA_NFS, .autocf = "/export/js/domu" }, FALSE,
    "--autocf '/export/js/domu': a JumpStart configuration must be on an NFS server "
    "(HOST:/PATH or nfs:HOST:/PATH)", TRUE },
  /* AI */
  { "AI: --autocf gets passed a comma-separated list of name=value pairs, each of which "
    "then get passed as a -B option",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "http://aiserver:5555/export/aiserver/osol-0906-ai-x86",
      .autocf = "install_service=x86_install,install_debug=enable,livessh=enable" }, FALSE,
    U64 " -B install_media=http://aiserver:5555/export/aiserver/osol-0906-ai-x86,"
    "network-interface=xnf0,xpv-hcp=dhcp,livemode=text,install_service=x86_install,"
    "install_debug=enable,livessh=enable" },
  { "If the -l flag above is a http url, this is automatically passed as the "
    "'install_media' AI boot option",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "http://host/path" }, FALSE,
    U64 " -B install_media=http://host/path,network-interface=xnf0,xpv-hcp=dhcp,livemode=text" },
  { "assuming it's not overridden by an 'install_media' autocf option",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "http://host/path",
      .autocf = "install~_service=x86_install,install_media=http://otherhost/path" }, FALSE,
    "--autocf: 'install~_service=x86_install' is not a boot property name=value (names are "
    "letters, digits, '_', '-' and '.')", TRUE },
  { "assuming it's not overridden by an 'install_media' autocf option (the seed's example, "
    "its wiki escape undone)",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "http://host/path",
      .autocf = "install_service=x86_install,install_media=http://otherhost/path" }, FALSE,
    U64 " -B install_media=http://otherhost/path,network-interface=xnf0,xpv-hcp=dhcp,"
    "livemode=text,install_service=x86_install" },
  { "If -l isn't a http address, we're not automatically passing it",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "/export/ai" }, TRUE,
    U64 " -B network-interface=xnf0,xpv-hcp=dhcp,livemode=text" },
  { "the virt-install code then automatically adds some default arguments: "
    "-B network-interface=xnf0,xpv-hcp=dhcp,livemode=text (overridable)",
    { .release = VMI_SOLARIS_OPENSOLARIS, .use_64bit = FALSE, .location = "http://host/p",
      .extra_args = "-B livemode=graphical" }, FALSE,
    U32 " -B install_media=http://host/p,network-interface=xnf0,xpv-hcp=dhcp,"
    "livemode=graphical" },
  /* Bootable AI */
  { "If an opensolaris guest is installed, and the install source is an ISO, then by "
    "default the following options are set: media_boot=true,auto-shutdown=enable,"
    "aimanifest=default",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE,
      .location = "/iso/osol-b130-ai.iso" }, FALSE,
    U64 " -B install_media=cdrom,media_boot=true,auto-shutdown=enable,aimanifest=default" },
  { "These are set even for the live ISO",
    { .release = VMI_SOLARIS_OPENSOLARIS, .use_64bit = TRUE,
      .location = "/net/heaped/export/netimage/opensolaris/osol-0906-109.iso" }, FALSE,
    U64 " -B install_media=cdrom,media_boot=true,auto-shutdown=enable,aimanifest=default" },
  { "The user can over-ride any of these parameters",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE, .location = "/iso/ai.iso",
      .autocf = "auto-shutdown=disable", .extra_args = "-B aimanifest=/tmp/m.xml" }, FALSE,
    U64 " -B install_media=cdrom,media_boot=true,auto-shutdown=disable,"
    "aimanifest=/tmp/m.xml" },
  /* Consoles */
  { "For Nevada installer, if --nographics is passed, we add 'nowin' boot option",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .nographics = TRUE }, FALSE,
    U64 " - nowin -B install_media=cdrom" },
  { "nowin is for the Nevada installer only",
    { .release = VMI_SOLARIS_OPENSOLARIS_ARCHIVE, .use_64bit = TRUE, .location = "/iso/ai.iso",
      .nographics = TRUE }, FALSE,
    U64 " -B install_media=cdrom,media_boot=true,auto-shutdown=enable,aimanifest=default" },
  { "JumpStart from the DVD with --nographics and -kd: flags, then the installer's words",
    { .release = VMI_SOLARIS_NEVADA, .use_64bit = TRUE, .location = "/iso/nv.iso",
      .nographics = TRUE, .autocf = "10.6.1.3:/export/js", .extra_args = "-kd" }, FALSE,
    U64 " -kd - install nowin -B install_media=cdrom,sysid_config=10.6.1.3:/export/js,"
    "install_config=10.6.1.3:/export/js" },
};

static void
test_cmdline(gconstpointer p)
{
  const CmdCase *c = p;
  VmiSolarisBootFacts f = c->facts;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmdline = NULL;

  g_test_message("%s", c->rule);
  if (!f.zfs_bootfs)
    f.source = vmi_solaris_source_parse(f.location, c->is_dir, &host, &path);
  cmdline = vmi_solaris_cmdline(&f, &error);
  if (c->error) {
    g_assert_null(cmdline);
    g_assert_nonnull(error);
    g_assert_cmpstr(error->message, ==, c->expected);
  } else {
    g_assert_no_error(error);
    g_assert_cmpstr(cmdline, ==, c->expected);
  }
}

/* ------------------------------------------------------------ sources, PXE, vdevs */

static void
test_sources(void)
{
  static const struct {
    const char *location;
    gboolean is_dir;
    VmiSolarisSource source;
    const char *host, *path;
  } cases[] = {
    { "/iso/nv.iso", FALSE, VMI_SOLARIS_SOURCE_ISO, NULL, NULL },
    { "/export/tree", TRUE, VMI_SOLARIS_SOURCE_DIR, NULL, NULL },
    { "http://host:5555/x", FALSE, VMI_SOLARIS_SOURCE_HTTP, NULL, NULL },
    { "https://host/x", FALSE, VMI_SOLARIS_SOURCE_HTTP, NULL, NULL },
    { "nfs:heaped:/export/nv", FALSE, VMI_SOLARIS_SOURCE_NFS, "heaped", "/export/nv" },
    { "heaped:/export/nv", FALSE, VMI_SOLARIS_SOURCE_NFS, "heaped", "/export/nv" },
    { "nfs://10.0.0.1/export/nv", FALSE, VMI_SOLARIS_SOURCE_NFS, "10.0.0.1", "/export/nv" },
    { "/dir/with:colon", TRUE, VMI_SOLARIS_SOURCE_DIR, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *host = NULL;
    g_autofree char *path = NULL;
    VmiSolarisSource s = vmi_solaris_source_parse(cases[i].location, cases[i].is_dir,
                                                  &host, &path);
    g_assert_cmpint(s, ==, cases[i].source);
    g_assert_cmpstr(host, ==, cases[i].host);
    g_assert_cmpstr(path, ==, cases[i].path);
  }
}

static void
test_pxe(void)
{
  g_autoptr(GError) error = NULL;

  /* "PV mode doesn't support PXE." */
  g_assert_false(vmi_solaris_check_pxe("xen", TRUE, &error));
  g_assert_cmpstr(error->message, ==,
                  "--pxe: a Xen PV guest cannot boot from the network (PV has no PXE ROM); "
                  "use --location for a PV network install, or --hvm for PXE");
  /* "HVM mode, however, has an emulated PXE ROM, and works ... via the --pxe option." */
  g_assert_true(vmi_solaris_check_pxe("hvm", TRUE, NULL));
  g_assert_true(vmi_solaris_check_pxe("xen", FALSE, NULL));
}

static void
test_vdev_numbers(void)
{
  g_assert_cmpint(vmi_solaris_vdev_number("xvda"), ==, 51712);   /* the seed's xdf@51712 */
  g_assert_cmpint(vmi_solaris_vdev_number("xvdb"), ==, 51728);
  g_assert_cmpint(vmi_solaris_vdev_number("xvdp"), ==, 51952);
  g_assert_cmpint(vmi_solaris_vdev_number("xvdq"), ==, (1 << 28) | (16 << 8));
  g_assert_cmpint(vmi_solaris_vdev_number("hda"), ==, 768);
  g_assert_cmpint(vmi_solaris_vdev_number("hdc"), ==, 5632);
  g_assert_cmpint(vmi_solaris_vdev_number("sdb"), ==, 2064);
  g_assert_cmpint(vmi_solaris_vdev_number("vda"), ==, -1);
  g_assert_cmpint(vmi_solaris_vdev_number("xvda1"), ==, -1);
}

/* ------------------------------------------------------------ bad input */

typedef struct {
  const char *what;
  VmiSolarisBootFacts facts;
  const char *expected;   /* the command line, or the error */
  gboolean error;
} BadCase;

static const BadCase bad_cases[] = {
  { "a newline in -x cannot reach the command line",
    { .release = VMI_SOLARIS_NEVADA, .location = "/iso/nv.iso",
      .extra_args = "-v\n-B install_media=evil" },
    "-x: \"-v\\n-B install_media=evil\" contains a control character (a newline?), which a "
    "kernel command line cannot hold", TRUE },
  { "a comma inside a quoted -B value stays inside it",
    { .release = VMI_SOLARIS_NEVADA, .location = "/iso/nv.iso",
      .extra_args = "-B console='ttya,install_media=evil'" },
    U32 " -B install_media=cdrom,console='ttya,install_media=evil'", FALSE },
  { "an unbalanced quote in -x",
    { .release = VMI_SOLARIS_NEVADA, .location = "/iso/nv.iso", .extra_args = "-B a='x" },
    "-x: unbalanced quote in '-B a='x'", TRUE },
  { "brackets and odd names in a -B name",
    { .release = VMI_SOLARIS_NEVADA, .location = "/iso/nv.iso", .extra_args = "-B [a]=1" },
    "-x: '[a]=1' is not a boot property name=value (names are letters, digits, '_', '-' "
    "and '.')", TRUE },
  { "a value holding both quote characters is refused",
    { .release = VMI_SOLARIS_OPENSOLARIS, .location = "/iso/ai.iso",
      .autocf = "aimanifest=\"it's\"'\"q\"'" },
    "--autocf: the value of boot property 'aimanifest' holds both quote characters", TRUE },
  { "a value with a single quote is written in double quotes",
    { .release = VMI_SOLARIS_OPENSOLARIS, .location = "/iso/ai.iso",
      .autocf = "aimanifest=\"it's\"" },
    U32 " -B install_media=cdrom,media_boot=true,auto-shutdown=enable,aimanifest=\"it's\"",
    FALSE },
  { "a comma in an NFS path is quoted, not split",
    { NEVADA_NFS, .location = "nfs:heaped:/export/a,host-ip=6.6.6.6" },
    U64 " -B install_media='10.6.1.2:/export/a,host-ip=6.6.6.6',host-ip=10.6.1.50,"
    "subnet-mask=255.255.255.0,router-ip=10.6.1.1,boot-mac=00:16:3e:1b:e8:18", FALSE },
  { "a malformed MAC is refused",
    { NEVADA_NFS, .mac = "00:16:3e:1b:e8:18,install" },
    "boot-mac: MAC address \"00:16:3e:1b:e8:18,install\" is not of the form "
    "XX:XX:XX:XX:XX:XX", TRUE },
  { "a newline in --autocf",
    { .release = VMI_SOLARIS_OPENSOLARIS, .location = "/iso/ai.iso", .autocf = "a=1\nb=2" },
    "--autocf: \"a=1\\nb=2\" contains a control character", TRUE },
  { "a zfs-bootfs that is not a pool/objset",
    { .release = VMI_SOLARIS_OPENSOLARIS, .zfs_bootfs = "rpool/57,bootpath=x", .root_vdev = "xvda" },
    "zfs-bootfs: 'rpool/57,bootpath=x' is not a pool/objset name", TRUE },
};

static void
test_bad_input(gconstpointer p)
{
  const BadCase *c = p;
  VmiSolarisBootFacts f = c->facts;
  g_autofree char *host = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cmdline = NULL;

  g_test_message("%s", c->what);
  if (!f.zfs_bootfs)
    f.source = vmi_solaris_source_parse(f.location, FALSE, &host, &path);
  cmdline = vmi_solaris_cmdline(&f, &error);
  if (c->error) {
    g_assert_null(cmdline);
    g_assert_cmpstr(error ? error->message : NULL, ==, c->expected);
  } else {
    g_assert_no_error(error);
    g_assert_cmpstr(cmdline, ==, c->expected);
  }
}

/* ------------------------------------------------------------ NFS mounts */

static void
test_nfs_mounts(void)
{
  static const char mounts[] =
      "sysfs /sys sysfs rw 0 0\n"
      "heaped:/export /net/heaped/export nfs rw,vers=3 0 0\n"
      "heaped:/export/netimage /net/heaped/export/netimage nfs4 rw 0 0\n"
      "nas:/srv/with\\040blank /mnt/with\\040blank nfs rw 0 0\n"
      "/dev/sda1 /net/local ext4 rw 0 0\n";
  static const struct { const char *dir, *host, *path; } cases[] = {
    /* the longest mount point that holds the directory */
    { "/net/heaped/export/netimage/nv/b130", "heaped", "/export/netimage/nv/b130" },
    { "/net/heaped/export/other", "heaped", "/export/other" },
    { "/net/heaped/export", "heaped", "/export" },
    { "/mnt/with blank/nv", "nas", "/srv/with blank/nv" },
    { "/net/heaped/exported", NULL, NULL },
    { "/net/local/nv", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *host = NULL;
    g_autofree char *path = NULL;
    gboolean found = vmi_solaris_nfs_from_mounts(mounts, cases[i].dir, &host, &path);
    g_assert_cmpint(found, ==, cases[i].host != NULL);
    g_assert_cmpstr(host, ==, cases[i].host);
    g_assert_cmpstr(path, ==, cases[i].path);
  }
}

/* ------------------------------------------------------------ through the media module */

static VmiRequest *
request_for(const char *tree, gint64 memory_mib, const char *extra, const char *autocf)
{
  VmiRequest *req = vmi_request_new();
  g_autofree char *xml = g_strdup_printf(
      "<domain type='xen'><name>domu-test.invalid</name><memory>%" G_GINT64_FORMAT "</memory>"
      "<os><type arch='x86_64'>xen</type></os><devices><interface type='bridge'>"
      "<source bridge='xenbr0'/><mac address='00:16:3e:1b:e8:18'/></interface>"
      "<graphics type='vnc'/></devices></domain>", memory_mib * 1024);

  vmi_guest_free(req->guest);
  req->guest = vmi_guest_new_from_xml(xml, NULL);
  req->install.method = VMI_INSTALL_LOCATION;
  req->install.location = g_test_build_filename(G_TEST_DIST, "data", "xl", tree, NULL);
  if (extra)
    g_ptr_array_add(req->install.extra_args, g_strdup(extra));
  req->install.autocf = g_strdup(autocf);
  return req;
}

typedef struct {
  const char *tree;
  gint64 memory_mib;
  const char *extra, *autocf;
  const char *kernel, *initrd, *layout;
  const char *cmdline;
} MediaStepCase;

static const MediaStepCase media_step_cases[] = {
  { "solaris-nevada", 2048, "-B install_media=192.0.2.2:/export/nv", "192.0.2.3:/export/js",
    "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot", "solaris-nevada",
    U64 " - install -B sysid_config=192.0.2.3:/export/js,install_config=192.0.2.3:/export/js,"
    "install_media=192.0.2.2:/export/nv" },
  { "solaris-nevada", 1000, "-v -B install_media=192.0.2.2:/export/nv", NULL,
    "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot", "solaris-nevada",
    U32 " -v -B install_media=192.0.2.2:/export/nv" },
  { "solaris-opensolaris-ai", 4096, NULL, "install_service=x86_install",
    "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive",
    "solaris-opensolaris-b128-ai",
    U64 " -B network-interface=xnf0,xpv-hcp=dhcp,livemode=text,install_service=x86_install" },
};

static void
test_media_steps(gconstpointer p)
{
  const MediaStepCase *c = p;
  g_autoptr(VmiRequest) req = request_for(c->tree, c->memory_mib, c->extra, c->autocf);
  g_auto(VmiBootFiles) files = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup("replaced");
  VmiMediaQuery query = { .arch = "x86_64", .os_type = "xen", .memory_mib = c->memory_mib,
                          .host_64bit = TRUE };
  gboolean done = FALSE;

  g_assert_true(vmi_media_prepare(&req->install, NULL, FALSE, &files, &error));
  g_assert_no_error(error);
  g_assert_true(vmi_media_find_solaris_boot_files(&req->install, &query, &files, &done, &error));
  g_assert_no_error(error);
  g_assert_true(done);
  g_assert_cmpstr(files.kernel, ==, c->kernel);
  g_assert_cmpstr(files.initrd, ==, c->initrd);
  g_assert_cmpstr(files.layout, ==, c->layout);
  g_assert_cmpstr(files.info.family, ==, "solaris");
  g_assert_true(vmi_install_solaris_kernel_args(req, req->guest, &files, &args, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(args, ==, c->cmdline);
}

static void
test_media_steps_other(void)
{
  g_autoptr(VmiRequest) req = request_for("../media/tree-fedora", 2048, NULL, NULL);
  g_auto(VmiBootFiles) files = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *args = g_strdup("console=hvc0");
  VmiMediaQuery query = { .arch = "x86_64", .os_type = "xen", .memory_mib = 2048,
                          .host_64bit = TRUE };
  gboolean done = TRUE;

  /* not Solaris: untouched, the other layouts are tried next */
  g_assert_true(vmi_media_prepare(&req->install, NULL, FALSE, &files, &error));
  g_assert_true(vmi_media_find_solaris_boot_files(&req->install, &query, &files, &done, &error));
  g_assert_false(done);
  g_assert_null(files.kernel);
  g_assert_true(vmi_install_solaris_kernel_args(req, req->guest, &files, &args, &error));
  g_assert_cmpstr(args, ==, "console=hvc0");

  /* "PV mode doesn't support PXE" reaches the media dispatch; HVM has PXE */
  req->install.method = VMI_INSTALL_PXE;
  g_assert_false(vmi_media_find_solaris_boot_files(&req->install, &query, &files, &done, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_clear_error(&error);
  query.os_type = "hvm";
  g_assert_true(vmi_media_find_solaris_boot_files(&req->install, &query, &files, &done, &error));
  g_assert_false(done);
}

/* ------------------------------------------------------------ detection (media/detect.c) */

typedef struct {
  const char *tree;
  const char *os_type;
  gint64 memory_mib;
  const char *host_arch, *guest_arch;
  const char *os, *layout, *label, *kernel, *initrd;  /* expected */
} DetectCase;

static const DetectCase detect_cases[] = {
  { "solaris-nevada", "xen", 2048, "x86_64", "x86_64", NULL, "solaris-nevada", "64-bit",
    "boot/platform/i86xpv/kernel/amd64/unix", "boot/amd64/x86.miniroot" },
  { "solaris-nevada", "hvm", 1023, "x86_64", "x86_64", NULL, "solaris-nevada", "32-bit",
    "boot/platform/i86xpv/kernel/unix", "boot/x86.miniroot" },
  /* a 32-bit guest boots the 32-bit kernel, whatever its memory */
  { "solaris-opensolaris-ai", "xen", 4096, "x86_64", "i686", NULL,
    "solaris-opensolaris-b128-ai", "32-bit", "platform/i86xpv/kernel/unix",
    "platform/i86pc/boot_archive" },
  { "solaris-opensolaris-ai", "xen", 4096, "i686", NULL, NULL, "solaris-opensolaris-b128-ai",
    "32-bit", "platform/i86xpv/kernel/unix", "platform/i86pc/boot_archive" },
  { "solaris-opensolaris-ai", "xen", 1024, "x86_64", NULL, NULL, "solaris-opensolaris-b128-ai",
    "64-bit", "platform/i86xpv/kernel/amd64/unix", "platform/i86pc/amd64/boot_archive" },
};

static void
test_detect(gconstpointer p)
{
  const DetectCase *c = p;
  g_autofree char *dir = g_test_build_filename(G_TEST_DIST, "data", "xl", c->tree, NULL);
  g_autoptr(VmiMedia) media = NULL;
  g_auto(VmiMediaInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  const VmiBootPair *pair;
  VmiMediaQuery q = { .arch = c->guest_arch, .os_type = c->os_type,
                      .memory_mib = c->memory_mib,
                      .host_64bit = vmi_media_can_boot_64bit(c->host_arch, c->guest_arch) };

  media = vmi_media_open(dir, NULL, &error);
  g_assert_no_error(error);
  g_assert_true(vmi_media_detect(media, &q, &info, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(info.family, ==, "solaris");
  g_assert_cmpstr(info.os_name, ==, c->os);
  g_assert_cmpstr(info.layout, ==, c->layout);
  /* only the pair of the rule: no fallback to the other width */
  g_assert_cmpuint(info.pairs->len, ==, 1);
  pair = vmi_media_info_find_pair(&info, media, &error);
  g_assert_no_error(error);
  g_assert_nonnull(pair);
  g_assert_cmpstr(pair->label, ==, c->label);
  g_assert_cmpstr(pair->kernel, ==, c->kernel);
  g_assert_cmpstr(pair->initrd, ==, c->initrd);
}

static void
test_layouts(void)
{
  static const struct { VmiSolarisMedia m; const char *layout, *os; } cases[] = {
    { { VMI_SOLARIS_NEVADA, FALSE }, "solaris-nevada", NULL },
    { { VMI_SOLARIS_OPENSOLARIS, FALSE }, "solaris-opensolaris", "opensolaris2009.06" },
    { { VMI_SOLARIS_OPENSOLARIS, TRUE }, "solaris-opensolaris-ai", "opensolaris2009.06" },
    { { VMI_SOLARIS_OPENSOLARIS_ARCHIVE, TRUE }, "solaris-opensolaris-b128-ai", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    g_autofree char *layout = vmi_solaris_layout(&cases[i].m);
    g_assert_cmpstr(layout, ==, cases[i].layout);
    g_assert_cmpint(vmi_solaris_release_of_layout(layout), ==, cases[i].m.release);
    g_assert_cmpstr(vmi_solaris_os_name(cases[i].m.release), ==, cases[i].os);
  }
  g_assert_cmpint(vmi_solaris_release_of_layout("treeinfo"), ==, VMI_SOLARIS_NONE);
  g_assert_cmpint(vmi_solaris_release_of_layout("solaris-"), ==, VMI_SOLARIS_NONE);
  g_assert_cmpint(vmi_solaris_release_of_layout(NULL), ==, VMI_SOLARIS_NONE);
  g_assert_true(vmi_media_can_boot_64bit("x86_64", NULL));
  g_assert_true(vmi_media_can_boot_64bit("x86_64", "x86_64"));
  g_assert_false(vmi_media_can_boot_64bit("x86_64", "i686"));
  g_assert_false(vmi_media_can_boot_64bit("i686", "x86_64"));
  g_assert_false(vmi_media_can_boot_64bit(NULL, NULL));
}

/* "Solaris media boot their kernel in a Xen PV guest only": an HVM
 * --location install of them is refused, naming --paravirt and --cdrom */
static void
test_hvm_location(void)
{
  g_autoptr(VmiRequest) req = request_for("solaris-nevada", 2048, NULL, NULL);
  g_auto(VmiBootFiles) files = { 0 };
  g_autoptr(GError) error = NULL;
  VmiMediaQuery query = { .arch = "x86_64", .os_type = "hvm", .memory_mib = 2048,
                          .host_64bit = TRUE };

  g_assert_true(vmi_media_prepare(&req->install, NULL, FALSE, &files, &error));
  g_assert_false(vmi_media_find_boot_files(&req->install, &query, &files, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_assert_nonnull(strstr(error->message, "holds Solaris media (solaris-nevada), whose kernel "
                          "boots only in a Xen PV guest: add --paravirt"));
  g_assert_null(files.kernel);
}

/* ------------------------------------------------------------ --boot zfs_bootfs= */

#define ZFS_HEAD "<domain type='xen'><name>g</name><memory>2097152</memory><os>"
#define ZFS_PV "<type arch='x86_64' machine='xenpv'>xen</type>"
#define ZFS_DISK(dev) "<disk type='file' device='disk'><source file='/srv/" dev ".img'/>" \
  "<target dev='" dev "' bus='xen'/></disk>"
#define ZFS_CDROM(dev) "<disk type='file' device='cdrom'><target dev='" dev "' bus='xen'/></disk>"
#define K64 "/srv/sol/platform/i86xpv/kernel/amd64/unix"
#define R64 "/srv/sol/platform/i86pc/amd64/boot_archive"

typedef struct {
  const char *what;
  const char *xml;
  const char *zfs_bootfs;
  gboolean use_64bit;        /* the 32/64-bit rule's answer */
  const char *kernel, *initrd, *cmdline;  /* expected; kernel NULL: error */
  const char *message;
} ZfsCase;

static const ZfsCase zfs_cases[] = {
  { "no kernel given: the installed system's 64-bit kernel and ramdisk",
    ZFS_HEAD ZFS_PV "<boot dev='hd'/></os><devices>" ZFS_DISK("xvda") "</devices></domain>",
    "rpool/57", TRUE, "/platform/i86xpv/kernel/amd64/unix",
    "/platform/i86pc/amd64/boot_archive",
    U64 " -B zfs-bootfs=rpool/57,bootpath='/xpvd/xdf@51712:a'" },
  { "32-bit; the root is the first hard disk, not a cdrom before it",
    ZFS_HEAD ZFS_PV "<boot dev='hd'/></os><devices>" ZFS_CDROM("xvda") ZFS_DISK("xvdb")
    "</devices></domain>",
    "rpool/61", FALSE, "/platform/i86xpv/kernel/unix", "/platform/i86pc/boot_archive",
    U32 " -B zfs-bootfs=rpool/61,bootpath='/xpvd/xdf@51728:a'" },
  { "--boot kernel=,initrd= are kept; the kernel's path decides the width",
    ZFS_HEAD ZFS_PV "<kernel>" K64 "</kernel><initrd>" R64 "</initrd></os><devices>"
    ZFS_DISK("xvda") "</devices></domain>",
    "rpool/ROOT/opensolaris", FALSE, K64, R64,
    U64 " -B zfs-bootfs=rpool/ROOT/opensolaris,bootpath='/xpvd/xdf@51712:a'" },
  { "an HVM guest is refused",
    ZFS_HEAD "<type arch='x86_64' machine='xenfv'>hvm</type></os><devices>" ZFS_DISK("hda")
    "</devices></domain>", "rpool/57", TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: only a Xen PV guest boots its ZFS root this way, not this hvm guest "
    "(an HVM guest boots its disk through its own GRUB)" },
  { "kernel= without initrd=",
    ZFS_HEAD ZFS_PV "<kernel>" K64 "</kernel></os><devices>" ZFS_DISK("xvda")
    "</devices></domain>", "rpool/57", TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: give kernel= and initrd= together, or neither (then the installed "
    "system's /platform/i86xpv/kernel/amd64/unix and /platform/i86pc/amd64/boot_archive)" },
  { "a bootloader as well",
    "<domain type='xen'><name>g</name><bootloader>/usr/bin/pygrub</bootloader><os>" ZFS_PV
    "</os><devices>" ZFS_DISK("xvda") "</devices></domain>", "rpool/57", TRUE, NULL, NULL,
    NULL, "--boot zfs_bootfs: the kernel is booted directly, without a bootloader: leave out "
    "bootloader=" },
  { "a command line of the user's",
    ZFS_HEAD ZFS_PV "<cmdline>-kd</cmdline></os><devices>" ZFS_DISK("xvda")
    "</devices></domain>", "rpool/57", TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: the command line is made from zfs_bootfs and the first disk: leave "
    "out cmdline=" },
  { "no hard disk",
    ZFS_HEAD ZFS_PV "</os><devices>" ZFS_CDROM("xvda") "</devices></domain>", "rpool/57",
    TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: the guest has no disk to hold the ZFS root pool" },
  { "not a POOL/OBJSET",
    ZFS_HEAD ZFS_PV "</os><devices>" ZFS_DISK("xvda") "</devices></domain>", "rpool",
    TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: zfs-bootfs: 'rpool' is not a pool/objset name" },
  { "a property list smuggled in",
    ZFS_HEAD ZFS_PV "</os><devices>" ZFS_DISK("xvda") "</devices></domain>",
    "rpool/57,kernel=/x", TRUE, NULL, NULL, NULL,
    "--boot zfs_bootfs: zfs-bootfs: 'rpool/57,kernel=/x' is not a pool/objset name" },
};

static void
test_zfs_boot(gconstpointer p)
{
  const ZfsCase *c = p;
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiGuest) guest = vmi_guest_new_from_xml(c->xml, &error);
  g_auto(VmiSolarisDirectBoot) boot = { 0 };
  g_auto(VmiPlan) plan = { 0 };
  VmiInstall import = { .method = VMI_INSTALL_IMPORT, .no_install = TRUE };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  xmlNodePtr root;

  g_test_message("%s", c->what);
  g_assert_no_error(error);
  before = vmi_guest_to_xml(guest);
  if (!c->kernel) {
    g_assert_false(vmi_solaris_zfs_boot(guest, c->zfs_bootfs, c->use_64bit, &boot, &error));
    g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
    g_assert_cmpstr(error->message, ==, c->message);
    /* nothing changed */
    after = vmi_guest_to_xml(guest);
    g_assert_cmpstr(after, ==, before);
    return;
  }
  g_assert_true(vmi_solaris_zfs_boot(guest, c->zfs_bootfs, c->use_64bit, &boot, &error));
  g_assert_no_error(error);
  /* the plan makes every later boot start it */
  VmiPlanFacts facts = { .final_kernel = boot.kernel, .final_initrd = boot.initrd,
                         .final_cmdline = boot.cmdline };
  vmi_plan_build(guest, &import, &facts, &plan);
  root = vmi_guest_root(plan.final);
  g_autofree char *kernel = vmi_node_get(root, "os/kernel");
  g_autofree char *initrd = vmi_node_get(root, "os/initrd");
  g_autofree char *cmdline = vmi_node_get(root, "os/cmdline");
  g_assert_cmpstr(kernel, ==, c->kernel);
  g_assert_cmpstr(initrd, ==, c->initrd);
  g_assert_cmpstr(cmdline, ==, c->cmdline);
  g_assert_false(vmi_node_has(root, "os/boot"));
}

/* The install's step: the guest must be Solaris, by its media or its OS */
static void
test_plan_zfs_boot(void)
{
  static const char xml[] = ZFS_HEAD ZFS_PV "<boot dev='hd'/></os><devices>" ZFS_DISK("xvda")
                            "</devices></domain>";
  g_autoptr(VmiRequest) req = vmi_request_new();
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiOs) osol = vmi_os_lookup("opensolaris2009.06", NULL);
  g_autoptr(VmiOs) lnx = vmi_os_lookup("linux2020", NULL);
  g_auto(VmiBootFiles) files = { 0 };
  g_autoptr(VmiGuest) guest = NULL;
  g_auto(VmiSolarisDirectBoot) none = { 0 };
  g_auto(VmiSolarisDirectBoot) by_os = { 0 };
  g_auto(VmiSolarisDirectBoot) by_media = { 0 };

  g_assert_nonnull(osol);
  g_assert_nonnull(lnx);
  guest = vmi_guest_new_from_xml(xml, &error);
  g_assert_no_error(error);

  /* no zfs_bootfs: nothing to do, whatever the guest */
  g_assert_true(vmi_install_solaris_zfs_boot(req, guest, &files, lnx, TRUE, &none, &error));
  g_assert_null(none.kernel);

  req->install.zfs_bootfs = g_strdup("rpool/57");
  g_assert_false(vmi_install_solaris_zfs_boot(req, guest, &files, lnx, TRUE, &none, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_assert_cmpstr(error->message, ==, "--boot zfs_bootfs: the guest is not Solaris "
                  "(linux2020): install it from Solaris media, or name a Solaris OS with "
                  "--osinfo");
  g_clear_error(&error);

  /* an installed Solaris by its OS (--import): the rule, 2048 MiB on a 32-bit host */
  g_assert_true(vmi_install_solaris_zfs_boot(req, guest, &files, osol, FALSE, &by_os, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(by_os.kernel, ==, "/platform/i86xpv/kernel/unix");

  /* Solaris media whatever the OS: the install phase's width wins */
  files.layout = g_strdup("solaris-nevada");
  files.kernel = g_strdup("boot/platform/i86xpv/kernel/amd64/unix");
  g_assert_true(vmi_install_solaris_zfs_boot(req, guest, &files, lnx, FALSE, &by_media,
                                             &error));
  g_assert_no_error(error);
  g_assert_cmpstr(by_media.cmdline, ==, U64 " -B zfs-bootfs=rpool/57,bootpath='/xpvd/xdf@51712:a'");
}

/* ------------------------------------------------------------ host facts */

/* `ip ARGS...`'s output (iproute2, an independent reader of the kernel's
 * routing table and addresses); NULL when it cannot run */
static char *
ip_output(const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new();
  g_autofree char *out = NULL;
  int status = 0;

  g_ptr_array_add(argv, (gpointer) "ip");
  for (const char *const *a = args; *a; a++)
    g_ptr_array_add(argv, (gpointer)*a);
  g_ptr_array_add(argv, NULL);
  if (!g_spawn_sync(NULL, (char **)argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                    NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status(status, NULL))
    return NULL;
  return g_steal_pointer(&out);
}

/* the word after @key in @text ("via 192.0.2.1 dev eth0": via -> 192.0.2.1) */
static char *
word_after(const char *text, const char *key)
{
  g_auto(GStrv) words = g_strsplit_set(text ? text : "", " \n", -1);

  for (guint i = 0; words[i] && words[i + 1]; i++)
    if (strcmp(words[i], key) == 0)
      return g_strdup(words[i + 1]);
  return NULL;
}

/* "192.0.2.2/24" -> "255.255.255.0" */
static char *
prefix_mask(const char *cidr)
{
  const char *slash = cidr ? strchr(cidr, '/') : NULL;
  guint bits, mask;

  if (!slash)
    return NULL;
  bits = (guint)g_ascii_strtoull(slash + 1, NULL, 10);
  mask = bits ? 0xffffffffu << (32 - bits) : 0;
  return g_strdup_printf("%u.%u.%u.%u", mask >> 24, (mask >> 16) & 0xff, (mask >> 8) & 0xff,
                         mask & 0xff);
}

static void
test_host_facts(void)
{
  static const char *const route_args[] = { "-4", "route", "show", "default", NULL };
  g_autofree char *route = ip_output(route_args);
  g_autofree char *gateway = word_after(route, "via");
  g_autofree char *device = word_after(route, "dev");
  g_autofree char *addr = NULL;
  g_autofree char *mask = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func(g_free);
  g_autoptr(GError) error = NULL;
  VmiSolarisBootFacts f = { .release = VMI_SOLARIS_NEVADA };

  g_assert_nonnull(route);   /* iproute2 is on every machine the tests run on */
  if (device) {
    const char *const addr_args[] = { "-4", "-o", "addr", "show", "dev", device, NULL };
    g_autofree char *out = ip_output(addr_args);
    addr = word_after(out, "inet");
    mask = prefix_mask(addr);
  }

  /* "If we can't resolve the given guest name on the dom0, we pass in
   * 'dhcp'": a name that resolves gives its address, one that cannot
   * (RFC 2606 .invalid) gives none */
  g_assert_true(vmi_solaris_host_facts("localhost", &f, strings, &error));
  g_assert_no_error(error);
  g_assert_cmpstr(f.guest_ip, ==, "127.0.0.1");
  /* router-ip is dom0's default route, subnet-mask its interface's */
  g_assert_cmpstr(f.router_ip, ==, gateway);
  g_assert_cmpstr(f.subnet_mask, ==, mask);

  memset(&f, 0, sizeof(f));
  f.release = VMI_SOLARIS_NEVADA;
  f.source = VMI_SOLARIS_SOURCE_NFS;
  f.location = "nfs:127.0.0.1:/export/nevada";
  g_assert_true(vmi_solaris_host_facts("vmi-no-such-guest.invalid", &f, strings, &error));
  g_assert_null(f.guest_ip);
  g_assert_cmpstr(f.location_ip, ==, "127.0.0.1");

  /* an NFS server that does not resolve is an error naming it */
  memset(&f, 0, sizeof(f));
  f.release = VMI_SOLARIS_NEVADA;
  f.source = VMI_SOLARIS_SOURCE_NFS;
  f.location = "nfs:vmi-no-such-server.invalid:/export";
  g_assert_false(vmi_solaris_host_facts("localhost", &f, strings, &error));
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_assert_cmpstr(error->message, ==,
                  "--location: cannot resolve the NFS server 'vmi-no-such-server.invalid'");
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS(media_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/media/%02u", i + 1);
    g_test_add_data_func(name, &media_cases[i], test_media);
  }
  for (guint i = 0; i < G_N_ELEMENTS(cmd_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/cmdline/%02u", i + 1);
    g_test_add_data_func(name, &cmd_cases[i], test_cmdline);
  }
  for (guint i = 0; i < G_N_ELEMENTS(bad_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/bad-input/%02u", i + 1);
    g_test_add_data_func(name, &bad_cases[i], test_bad_input);
  }
  for (guint i = 0; i < G_N_ELEMENTS(media_step_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/media-steps/%02u", i + 1);
    g_test_add_data_func(name, &media_step_cases[i], test_media_steps);
  }
  g_test_add_func("/solaris/media-steps/not-solaris", test_media_steps_other);
  g_test_add_func("/solaris/media-steps/hvm-location", test_hvm_location);
  for (guint i = 0; i < G_N_ELEMENTS(detect_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/detect/%02u", i + 1);
    g_test_add_data_func(name, &detect_cases[i], test_detect);
  }
  g_test_add_func("/solaris/layouts", test_layouts);
  for (guint i = 0; i < G_N_ELEMENTS(zfs_cases); i++) {
    g_autofree char *name = g_strdup_printf("/solaris/zfs-boot/%02u", i + 1);
    g_test_add_data_func(name, &zfs_cases[i], test_zfs_boot);
  }
  g_test_add_func("/solaris/zfs-boot/plan", test_plan_zfs_boot);
  g_test_add_func("/solaris/nfs-mounts", test_nfs_mounts);
  g_test_add_func("/solaris/sources", test_sources);
  g_test_add_func("/solaris/pxe", test_pxe);
  g_test_add_func("/solaris/host-facts", test_host_facts);
  g_test_add_func("/solaris/vdev-numbers", test_vdev_numbers);
  return g_test_run();
}
