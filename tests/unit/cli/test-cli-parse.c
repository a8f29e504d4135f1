/*
 * vmi_cli_parse on command lines: what lands in the guest document and
 * in the request, and the exact message of every usage error.  No
 * connection, no osinfo-db: the parser needs neither.
 */
#include <string.h>
#include "cli.h"
#include "xmlnode.h"
#include "vminstall/error.h"

/* Scans @cmdline (shell quoting) after a program name. */
static VmiCommandLine *
scan(const char *cmdline)
{
  g_autofree char *full = g_strdup_printf("vminstall %s", cmdline);
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) error = NULL;
  VmiCommandLine *cl;
  int argc;

  g_assert_true(g_shell_parse_argv(full, &argc, &argv, NULL));
  cl = vmi_command_line_new(argc, argv, &error);
  g_assert_no_error(error);
  return cl;
}

/* Parses @cmdline (shell quoting) after a program name. */
static VmiRequest *
parse(const char *cmdline, GError **error)
{
  g_autofree char *full = g_strdup_printf("vminstall %s", cmdline);
  g_auto(GStrv) argv = NULL;
  int argc;

  g_assert_true(g_shell_parse_argv(full, &argc, &argv, NULL));
  return vmi_cli_parse(argc, argv, error);
}

/* The text --help and the like print instead of doing anything. */
static char *
output(const char *cmdline)
{
  g_autoptr(VmiCommandLine) cl = scan(cmdline);
  g_autoptr(GError) error = NULL;
  char *text = vmi_command_line_output(cl, &error);

  g_assert_no_error(error);
  return text;
}

/* The value of the tool's own option @name (--print-xml ...) in @cmdline. */
static char *
tool(const char *cmdline, const char *name)
{
  g_autoptr(VmiCommandLine) cl = scan(cmdline);

  return g_strdup(vmi_command_line_tool_option(cl, name));
}

static VmiRequest *
parse_ok(const char *cmdline)
{
  g_autoptr(GError) error = NULL;
  VmiRequest *req = parse(cmdline, &error);

  if (!req)
    g_error("'%s' failed: %s", cmdline, error->message);
  return req;
}

static void
assert_error(const char *cmdline, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VmiRequest) req = parse(cmdline, &error);

  g_assert_null(req);
  g_assert_error(error, VMI_ERROR, VMI_ERROR_USAGE);
  g_assert_cmpstr(error->message, ==, message);
}

/* Value at @path below <domain>. */
static char *
get(VmiRequest *req, const char *path)
{
  return vmi_guest_get(req->guest, path);
}

#define assert_xml(req, path, value) \
  G_STMT_START { \
    g_autofree char *v_ = get(req, path); \
    g_assert_cmpstr(v_, ==, value); \
  } G_STMT_END

static xmlNodePtr
device(VmiRequest *req, const char *type, guint n)
{
  g_autoptr(GPtrArray) devs = vmi_guest_devices(req->guest, type);
  g_assert_cmpuint(n, <, devs->len);
  return g_ptr_array_index(devs, n);
}

#define assert_dev(req, type, n, path, value) \
  G_STMT_START { \
    g_autofree char *v_ = vmi_node_get(device(req, type, n), path); \
    g_assert_cmpstr(v_, ==, value); \
  } G_STMT_END

/* ---- syntax ---- */

static void
test_value_forms(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--name=vm1 --memory 512 --network none");
  g_autoptr(VmiRequest) b = parse_ok("-n vm2 -r 256 --network=none");
  g_autoptr(VmiRequest) c = parse_ok("-nvm3 --memo 128 --network none");

  assert_xml(a, "name", "vm1");
  assert_xml(a, "currentMemory", "524288");
  assert_xml(b, "name", "vm2");
  assert_xml(b, "currentMemory", "262144");
  assert_xml(c, "name", "vm3");          /* -nVALUE and an abbreviated --memo */
  assert_xml(c, "memory", "131072");
}

static void
test_quoting(void)
{
  g_autoptr(VmiRequest) req =
    parse_ok("--network none --boot kernel=/k,initrd=/i,cmdline=\"console=ttyS0,115200 quiet\"");

  assert_xml(req, "os/cmdline", "console=ttyS0,115200 quiet");
  assert_xml(req, "os/kernel", "/k");
}

static void
test_can_comma(void)
{
  /* cpuset runs on over "6" and "8", which are not suboptions. */
  g_autoptr(VmiRequest) req = parse_ok("--network none --vcpus 5,cpuset=1-4,6,8");

  assert_xml(req, "vcpu", "5");
  assert_xml(req, "vcpu/@cpuset", "1-4,6,8");
  g_assert_true(req->vcpus_set);
}

static void
test_repeated(void)
{
  g_autoptr(VmiRequest) req = parse_ok("--disk /a.img --disk /b.img,bus=sata --network none "
                                       "-x one -x two --initrd-inject /ks.cfg --location /tree");
  g_autofree char *extra = NULL;

  g_assert_cmpuint(vmi_guest_count_devices(req->guest, "disk"), ==, 2);
  assert_dev(req, "disk", 1, "target/@bus", "sata");
  extra = vmi_install_extra_args(&req->install);
  g_assert_cmpstr(extra, ==, "one two");
  g_assert_cmpuint(req->install.initrd_inject->len, ==, 1);
}

static void
test_help_outputs(void)
{
  g_autofree char *h = output("--name x --help");
  g_autofree char *v = output("--version");
  g_autofree char *d = output("--disk help --memory -5");
  g_autofree char *n = output("--network=?");

  g_assert_true(g_str_has_prefix(h, "usage: vminstall"));
  g_assert_nonnull(strstr(h, "--disk DISK"));
  g_assert_true(g_regex_match_simple("^[0-9]+\\.[0-9]+\\.[0-9]+\n$", v, 0, 0));
  /* Option help wins over a bad value elsewhere, as in virt-install. */
  g_assert_true(g_str_has_prefix(d, "--disk options:\n"));
  g_assert_nonnull(strstr(d, "\n  target.bus"));
  g_assert_true(g_str_has_prefix(n, "--network options:\n"));
}

/* ---- guest options ---- */

static void
test_memory(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --memory 1024");
  g_autoptr(VmiRequest) b = parse_ok("--network none --memory 512,maxmemory=1024");
  g_autoptr(VmiRequest) c = parse_ok("--network none --memory memory=2048,currentMemory=1024");

  assert_xml(a, "memory", "1048576");
  assert_xml(a, "currentMemory", "1048576");
  g_assert_true(a->memory_set);
  assert_xml(b, "memory", "1048576");
  assert_xml(b, "currentMemory", "524288");
  assert_xml(c, "memory", "2097152");
  assert_xml(c, "currentMemory", "1048576");
}

static void
test_vcpus(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --vcpus 2,maxvcpus=8,sockets=2,cores=2,threads=2");
  g_autoptr(VmiRequest) b = parse_ok("--network none --vcpus 4,cpuset=auto");

  assert_xml(a, "vcpu", "8");
  assert_xml(a, "vcpu/@current", "2");
  assert_xml(a, "cpu/topology/@sockets", "2");
  assert_xml(a, "cpu/topology/@threads", "2");
  assert_xml(b, "vcpu/@placement", "auto");
  assert_xml(b, "vcpu/@cpuset", NULL);
}

static void
test_cpu(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --cpu host-passthrough");
  g_autoptr(VmiRequest) b = parse_ok("--network none --cpu core2duo,+x2apic,-vmx,require=aes");
  g_autoptr(VmiRequest) c = parse_ok("--network none --cpu host");
  g_autoptr(VmiRequest) d = parse_ok("--network none --cpu none");
  g_autoptr(VmiRequest) e = parse_ok("--network none --cpu default");
  xmlNodePtr cpu;

  assert_xml(a, "cpu/@mode", "host-passthrough");
  g_assert_true(a->cpu_set);
  assert_xml(b, "cpu/@mode", "custom");
  assert_xml(b, "cpu/@match", "exact");
  assert_xml(b, "cpu/model", "core2duo");
  g_assert_true(b->cpu_custom_model);
  cpu = vmi_node_child(vmi_guest_root(b->guest), "cpu", FALSE);
  g_autoptr(GPtrArray) feats = vmi_node_children(cpu, "feature");
  g_assert_cmpuint(feats->len, ==, 3);
  /* force first, then require, then disable, as cli.py applies them */
  g_assert_true(vmi_node_is(g_ptr_array_index(feats, 0), "@name", "x2apic"));
  g_assert_true(vmi_node_is(g_ptr_array_index(feats, 0), "@policy", "force"));
  g_assert_true(vmi_node_is(g_ptr_array_index(feats, 1), "@policy", "require"));
  g_assert_true(vmi_node_is(g_ptr_array_index(feats, 2), "@name", "vmx"));
  g_assert_true(vmi_node_is(g_ptr_array_index(feats, 2), "@policy", "disable"));
  assert_xml(c, "cpu/@mode", "host-model");
  g_assert_false(vmi_node_has(vmi_guest_root(d->guest), "cpu"));
  g_assert_true(d->cpu_set);
  g_assert_cmpint(e->cpu_pending, ==, VMI_CPU_PENDING_APP_DEFAULT);
}

static void
test_boot(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --boot hd,cdrom,network,menu=on");
  g_autoptr(VmiRequest) b = parse_ok("--network none --boot uefi,loader=/fw.bin,loader.readonly=yes,"
                                     "nvram=/var/nv.fd,arch=aarch64,machine=virt");
  xmlNodePtr os = vmi_node_child(vmi_guest_root(a->guest), "os", FALSE);
  g_autoptr(GPtrArray) boots = vmi_node_children(os, "boot");

  g_assert_cmpuint(boots->len, ==, 3);
  g_assert_true(vmi_node_is(g_ptr_array_index(boots, 0), "@dev", "hd"));
  g_assert_true(vmi_node_is(g_ptr_array_index(boots, 2), "@dev", "network"));
  assert_xml(a, "os/bootmenu/@enable", "yes");
  g_assert_true(b->uefi);
  assert_xml(b, "os/loader", "/fw.bin");
  assert_xml(b, "os/loader/@readonly", "yes");
  assert_xml(b, "os/nvram", "/var/nv.fd");
  g_assert_cmpstr(b->arch, ==, "aarch64");
  g_assert_cmpstr(b->machine, ==, "virt");
}

static void
test_domain_sections(void)
{
  g_autoptr(VmiRequest) req = parse_ok(
    "--network none --features acpi=off,apic=on,hyperv.relaxed.state=on "
    "--clock offset=localtime,rtc_tickpolicy=catchup --pm suspend_to_mem=off "
    "--events on_poweroff=preserve,on_crash=restart "
    "--metadata title=\"A, B\",description=long --uuid 11111111-2222-3333-4444-555555555555");

  g_assert_false(vmi_node_has(vmi_guest_root(req->guest), "features/acpi"));
  g_assert_true(req->no_acpi);
  g_assert_true(vmi_node_has(vmi_guest_root(req->guest), "features/apic"));
  g_assert_false(req->no_apic);
  assert_xml(req, "features/hyperv/relaxed/@state", "on");
  assert_xml(req, "clock/@offset", "localtime");
  assert_xml(req, "clock/timer/@name", "rtc");
  assert_xml(req, "clock/timer/@tickpolicy", "catchup");
  assert_xml(req, "pm/suspend-to-mem/@enabled", "no");
  assert_xml(req, "on_poweroff", "preserve");
  assert_xml(req, "on_crash", "restart");
  assert_xml(req, "title", "A, B");
  assert_xml(req, "uuid", "11111111-2222-3333-4444-555555555555");
}

static void
test_platform(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none -p --virt-type xen --arch x86_64 --machine pc "
                                     "--connect xen:///system");
  g_autoptr(VmiRequest) b = parse_ok("--network none -c qemu:///session --container");
  g_autoptr(VmiRequest) c = parse_ok("--network none -c /x.iso --connect test:///default");

  g_assert_true(a->paravirt);
  g_assert_false(a->hvm);
  g_assert_cmpstr(a->virt_type, ==, "xen");
  g_assert_cmpstr(a->arch, ==, "x86_64");
  g_assert_cmpstr(a->machine, ==, "pc");
  g_assert_cmpstr(a->connect_uri, ==, "xen:///system");
  /* -c with a URI is --connect (virsh's spelling); with a path it is
   * virt-install's short --cdrom. */
  g_assert_cmpstr(b->connect_uri, ==, "qemu:///session");
  g_assert_null(b->install.cdrom);
  g_assert_true(b->container);
  g_assert_cmpstr(c->connect_uri, ==, "test:///default");
  g_assert_cmpstr(c->install.cdrom, ==, "/x.iso");
}

static void
test_osinfo(void)
{
  g_autoptr(VmiRequest) none = parse_ok("--network none");
  g_autoptr(VmiRequest) name = parse_ok("--network none --osinfo fedora36");
  g_autoptr(VmiRequest) kv = parse_ok("--network none --os-variant detect=on,name=win10");
  g_autoptr(VmiRequest) gen = parse_ok("--network none --osinfo none");
  g_autoptr(VmiRequest) url = parse_ok("--network none --osinfo http://fedoraproject.org/fedora/36");
  g_autoptr(VmiRequest) inst = parse_ok("--network none --install os=fedora36");

  g_assert_false(none->os.given);
  g_assert_true(none->os.detect);
  g_assert_cmpint(none->os.require, ==, -1);
  g_assert_cmpstr(name->os.name, ==, "fedora36");
  g_assert_true(name->os.given);
  g_assert_cmpint(name->os.require, ==, 0);
  g_assert_true(kv->os.detect);
  g_assert_cmpstr(kv->os.name, ==, "win10");
  g_assert_cmpstr(gen->os.name, ==, "generic");
  g_assert_cmpstr(url->os.full_id, ==, "http://fedoraproject.org/fedora/36");
  g_assert_cmpstr(inst->os.name, ==, "fedora36");
  g_assert_cmpstr(inst->install.install_os, ==, "fedora36");
  g_assert_cmpint(inst->install.method, ==, VMI_INSTALL_LOCATION);
}

/* ---- devices ---- */

static void
test_disk(void)
{
  g_autoptr(VmiRequest) req = parse_ok(
    "--network none --disk /var/d.qcow2,size=8.5,format=qcow2,bus=virtio,cache=none,sparse=no "
    "--disk device=cdrom,bus=sata,readonly=on --disk vol=pool/vol.img,target.dev=vdz "
    "--disk pool=default,size=2,boot.order=1,driver.io=native");
  xmlNodePtr d0 = device(req, "disk", 0);
  VmiDiskStorage *st = vmi_request_storage_for(req, d0);

  g_assert_nonnull(st);
  g_assert_cmpstr(st->path, ==, "/var/d.qcow2");
  g_assert_cmpfloat(st->size_gib, ==, 8.5);
  g_assert_cmpstr(st->format, ==, "qcow2");
  g_assert_cmpint(st->sparse, ==, 0);
  assert_dev(req, "disk", 0, "source/@file", "/var/d.qcow2");
  assert_dev(req, "disk", 0, "target/@bus", "virtio");
  assert_dev(req, "disk", 0, "driver/@cache", "none");
  /* an empty cdrom names no storage */
  g_assert_null(vmi_request_storage_for(req, device(req, "disk", 1)));
  assert_dev(req, "disk", 1, "@device", "cdrom");
  g_assert_true(vmi_node_has(device(req, "disk", 1), "readonly"));
  st = vmi_request_storage_for(req, device(req, "disk", 2));
  g_assert_cmpstr(st->vol, ==, "pool/vol.img");
  assert_dev(req, "disk", 2, "target/@dev", "vdz");
  st = vmi_request_storage_for(req, device(req, "disk", 3));
  g_assert_cmpstr(st->pool, ==, "default");
  g_assert_cmpfloat(st->size_gib, ==, 2);
  g_assert_cmpint(st->sparse, ==, -1);
  assert_dev(req, "disk", 3, "boot/@order", "1");
  assert_dev(req, "disk", 3, "driver/@io", "native");
}

static void
test_disk_none_and_perms(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --disk none");
  g_autoptr(VmiRequest) b = parse_ok("--network none --disk /x.img,perms=sh");

  g_assert_true(a->no_disk);
  g_assert_cmpuint(vmi_guest_count_devices(a->guest, "disk"), ==, 0);
  g_assert_true(vmi_node_has(device(b, "disk", 0), "shareable"));
}

static void
test_boot_order(void)
{
  g_autoptr(VmiRequest) req = parse_ok("--boot hd --disk /a,boot.order=1 --disk /b,boot.order=1 "
                                       "--network network=default,boot.order=2");

  /* Each new boot.order=1 pushes the earlier holders up; <os><boot> goes. */
  assert_dev(req, "disk", 1, "boot/@order", "1");
  assert_dev(req, "disk", 0, "boot/@order", "3");
  assert_dev(req, "interface", 0, "boot/@order", "2");
  g_assert_false(vmi_node_has(vmi_guest_root(req->guest), "os/boot"));
}

static void
test_network(void)
{
  g_autoptr(VmiRequest) req = parse_ok(
    "--network bridge=br0,model=virtio,mac=52:54:00:11:22:33 --network network=default "
    "-w type=direct,source=eth0,source.mode=bridge --network default --network model=e1000");

  assert_dev(req, "interface", 0, "@type", "bridge");
  assert_dev(req, "interface", 0, "source/@bridge", "br0");
  assert_dev(req, "interface", 0, "model/@type", "virtio");
  assert_dev(req, "interface", 0, "mac/@address", "52:54:00:11:22:33");
  assert_dev(req, "interface", 1, "@type", "network");
  assert_dev(req, "interface", 1, "source/@network", "default");
  assert_dev(req, "interface", 2, "source/@dev", "eth0");
  assert_dev(req, "interface", 2, "source/@mode", "bridge");
  /* "default": the source is the defaults' choice */
  assert_dev(req, "interface", 3, "@type", NULL);
  /* no type at all: a bridge, as virtinst's DeviceInterface defaults */
  assert_dev(req, "interface", 4, "@type", "bridge");
}

static void
test_network_default_and_none(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--name x");
  g_autoptr(VmiRequest) b = parse_ok("--network none");

  g_assert_cmpuint(vmi_guest_count_devices(a->guest, "interface"), ==, 1);
  assert_dev(a, "interface", 0, "@type", NULL);
  g_assert_cmpuint(vmi_guest_count_devices(b->guest, "interface"), ==, 0);
  g_assert_true(b->no_network);
}

static void
test_graphics(void)
{
  g_autoptr(VmiRequest) a = parse_ok("--network none --graphics vnc,port=5901,listen=0.0.0.0,"
                                     "password=pw,keymap=de");
  g_autoptr(VmiRequest) b = parse_ok("--network none --graphics spice,listen=none");
  g_autoptr(VmiRequest) c = parse_ok("--network none --graphics none");

  assert_dev(a, "graphics", 0, "@type", "vnc");
  assert_dev(a, "graphics", 0, "@port", "5901");
  assert_dev(a, "graphics", 0, "@autoport", NULL);
  assert_dev(a, "graphics", 0, "@listen", "0.0.0.0");
  assert_dev(a, "graphics", 0, "@passwd", "pw");
  assert_dev(a, "graphics", 0, "@keymap", "de");
  assert_dev(b, "graphics", 0, "listen/@type", "none");
  g_assert_true(c->no_graphics);
  g_assert_cmpuint(vmi_guest_count_devices(c->guest, "graphics"), ==, 0);
}

static void
test_chardevs(void)
{
  g_autoptr(VmiRequest) req = parse_ok(
    "--network none --serial pty,log.file=/l,log.append=on --serial file,path=/tmp/s "
    "--console pty,target.type=virtio --channel unix,target.type=virtio,name=org.qemu.guest_agent.0 "
    "--serial udp,host=1.2.3.4:5555,bind_host=0.0.0.0:1234");
  xmlNodePtr udp = device(req, "serial", 2);
  g_autoptr(GPtrArray) sources = vmi_node_children(udp, "source");

  assert_dev(req, "serial", 0, "log/@append", "on");
  assert_dev(req, "serial", 1, "source/@path", "/tmp/s");
  assert_dev(req, "console", 0, "target/@type", "virtio");
  assert_dev(req, "channel", 0, "target/@name", "org.qemu.guest_agent.0");
  g_assert_cmpuint(sources->len, ==, 2);
  g_assert_true(vmi_node_is(g_ptr_array_index(sources, 0), "@mode", "bind"));
  g_assert_true(vmi_node_is(g_ptr_array_index(sources, 0), "@service", "1234"));
  g_assert_true(vmi_node_is(g_ptr_array_index(sources, 1), "@host", "1.2.3.4"));
}

static void
test_none_flags(void)
{
  g_autoptr(VmiRequest) req = parse_ok("--network none --sound none --console none --channel none "
                                       "--rng none --tpm none --redirdev none --video none "
                                       "--controller usb,model=none --memballoon none");

  g_assert_true(req->no_sound);
  g_assert_true(req->no_console);
  g_assert_true(req->no_channel);
  g_assert_true(req->no_rng);
  g_assert_true(req->no_tpm);
  g_assert_true(req->no_redirdev);
  g_assert_true(req->no_usb);
  /* virt-install 4.1: --video none does nothing; memballoon none is a model */
  g_assert_false(req->no_video);
  assert_dev(req, "memballoon", 0, "@model", "none");
  g_assert_cmpuint(vmi_guest_count_devices(req->guest, NULL), ==, 2);
}

static void
test_other_devices(void)
{
  g_autoptr(VmiRequest) req = parse_ok(
    "--network none --video qxl,heads=2 --sound --input tablet,bus=usb --rng /dev/urandom "
    "--tpm /dev/tpm0 --controller type=scsi,model=virtio-scsi --controller usb2 "
    "--controller num_pcie_root_ports=4");

  assert_dev(req, "video", 0, "model/@type", "qxl");
  assert_dev(req, "video", 0, "model/@heads", "2");
  assert_dev(req, "sound", 0, "@model", NULL);
  assert_dev(req, "input", 0, "@type", "tablet");
  assert_dev(req, "rng", 0, "backend/@model", "random");
  assert_dev(req, "rng", 0, "backend", "/dev/urandom");
  assert_dev(req, "tpm", 0, "backend/device/@path", "/dev/tpm0");
  assert_dev(req, "controller", 0, "@model", "virtio-scsi");
  g_assert_cmpuint(vmi_guest_count_devices(req->guest, "controller"), ==, 5);
  assert_dev(req, "controller", 2, "master/@startport", "0");
  g_assert_true(req->pcie_root_ports_set);
  g_assert_cmpint(req->pcie_root_ports, ==, 4);
}

/* ---- install ---- */

static void
test_install_methods(void)
{
  g_autoptr(VmiRequest) cd = parse_ok("--network none --cdrom /x.iso");
  g_autoptr(VmiRequest) loc = parse_ok("--network none -l /tree,kernel=k,initrd=i -x a=b");
  g_autoptr(VmiRequest) pxe = parse_ok("--network none --pxe");
  g_autoptr(VmiRequest) imp = parse_ok("--network none --import");
  g_autoptr(VmiRequest) kern = parse_ok("--network none --install kernel=/k,initrd=/i,kernel_args=ro");
  g_autoptr(VmiRequest) over = parse_ok("--network none --install kernel=/k,initrd=/i,"
                                        "kernel_args=ro,kernel_args_overwrite=yes");
  g_autoptr(VmiRequest) noin = parse_ok("--network none --install no_install=yes");
  g_autoptr(VmiRequest) print = parse_ok("--network none --print-xml");
  g_autoptr(VmiRequest) bare = parse_ok("--network none");
  g_autoptr(VmiRequest) cshort = parse_ok("--network none -c /y.iso");

  g_assert_cmpint(cd->install.method, ==, VMI_INSTALL_CDROM);
  g_assert_cmpstr(cd->install.cdrom, ==, "/x.iso");
  g_assert_cmpstr(cd->install.bootdev, ==, "cdrom");
  g_assert_cmpint(loc->install.method, ==, VMI_INSTALL_LOCATION);
  g_assert_cmpstr(loc->install.location, ==, "/tree");
  g_assert_cmpstr(loc->install.location_kernel, ==, "k");
  g_assert_cmpstr(loc->install.location_initrd, ==, "i");
  g_assert_cmpint(pxe->install.method, ==, VMI_INSTALL_PXE);
  g_assert_cmpstr(pxe->install.bootdev, ==, "network");
  g_assert_cmpint(imp->install.method, ==, VMI_INSTALL_IMPORT);
  g_assert_true(imp->install.no_install);
  g_assert_cmpint(kern->install.method, ==, VMI_INSTALL_KERNEL);
  g_assert_null(kern->install.kernel_args);
  g_assert_cmpstr(g_ptr_array_index(kern->install.extra_args, 0), ==, "ro");
  g_assert_cmpstr(over->install.kernel_args, ==, "ro");
  g_assert_true(over->install.kernel_args_overwrite);
  g_assert_cmpint(noin->install.method, ==, VMI_INSTALL_NO_INSTALL);
  g_assert_true(noin->install.no_install);
  /* --print-xml with nothing to install from is an import */
  g_assert_true(print->install.no_install);
  g_autofree char *print_step = tool("--network none --print-xml", "print-xml");
  g_assert_cmpstr(print_step, ==, "all");
  g_assert_false(bare->install.no_install);
  g_assert_cmpint(bare->install.method, ==, VMI_INSTALL_NONE);
  g_assert_cmpstr(cshort->install.cdrom, ==, "/y.iso");
}

#define MISC_A "--network none --import --transient --autostart --noreboot " \
  "--destroy-on-exit --wait 10 --noautoconsole --dry-run -d -q " \
  "--check path_in_use=off,mac_in_use=on --print-xml 2 " \
  "--unattended profile=desktop --cloud-init"
#define MISC_B "--network none --wait --autoconsole text --print-xml --name x"

static void
test_misc_flags(void)
{
  g_autoptr(VmiRequest) a = parse_ok(MISC_A);
  g_autoptr(VmiRequest) b = parse_ok(MISC_B);
  g_autofree char *a_dry_run = tool(MISC_A, "dry-run");
  g_autofree char *a_debug = tool(MISC_A, "debug");
  g_autofree char *a_quiet = tool(MISC_A, "quiet");
  g_autofree char *a_print = tool(MISC_A, "print-xml");
  g_autofree char *b_print = tool(MISC_B, "print-xml");
  g_autoptr(VmiRequest) c = parse_ok("--network none --wait 0");

  g_assert_true(a->install.transient);
  g_assert_true(a->install.autostart);
  g_assert_true(a->install.noreboot);
  g_assert_true(a->install.destroy_on_exit);
  g_assert_true(a->install.wait_set);
  g_assert_cmpint(a->install.wait_minutes, ==, 10);
  g_assert_cmpint(a->install.console, ==, VMI_CONSOLE_NONE);
  g_assert_nonnull(a_dry_run);
  g_assert_nonnull(a_debug);
  g_assert_nonnull(a_quiet);
  g_assert_cmpstr(g_hash_table_lookup(a->check, "path_in_use"), ==, "off");
  g_assert_cmpstr(g_hash_table_lookup(a->check, "mac_in_use"), ==, "on");
  g_assert_cmpstr(a_print, ==, "2");
  g_assert_cmpstr(a->install.unattended, ==, "profile=desktop");
  g_assert_cmpstr(a->install.cloud_init, ==, "");
  g_assert_cmpint(b->install.wait_minutes, ==, -1);
  g_assert_cmpint(b->install.console, ==, VMI_CONSOLE_TEXT);
  /* --print-xml followed by an option means "all" */
  g_assert_cmpstr(b_print, ==, "all");
  assert_xml(b, "name", "x");
  g_assert_false(c->install.wait_set);
  g_assert_cmpint(c->install.console, ==, VMI_CONSOLE_NONE);
}

/* ---- errors ---- */

static const struct {
  const char *cmdline;
  const char *message;
} error_cases[] = {
  { "--foo", "unknown option '--foo' (see --help for the accepted options)" },
  { "-Z", "unknown option '-Z' (see --help for the accepted options)" },
  { "--no", "ambiguous option '--no' (could be --nonsparse, --nodisks, --nonetworks, --nographics, "
            "--noapic, --noacpi, --noautoconsole, --noreboot)" },
  { "stray", "unexpected argument 'stray' (options start with --; see --help)" },
  { "--name", "--name: missing value (expected NAME)" },
  { "--pxe=yes", "--pxe: takes no value (got 'yes')" },
  { "--hvm --paravirt", "--hvm and --paravirt cannot be used together "
                        "(choose one of --hvm, --paravirt, --container)" },
  { "--memory -5", "--memory: invalid value '-5' (expected a positive number of MiB)" },
  { "--memory abc", "--memory: invalid value 'abc' (expected a positive number of MiB)" },
  { "--memory 512,maxmemory=x", "--memory maxmemory: invalid value 'x' (expected a positive number of MiB)" },
  { "--ram x", "--ram: invalid value 'x' (expected a positive number of MiB)" },
  { "--vcpus abc", "--vcpus: invalid value 'abc' (expected a positive number of vCPUs)" },
  { "--vcpus 2,sockets=x", "--vcpus sockets: invalid value 'x' (expected a positive integer)" },
  { "--disk size=abc", "--disk size: invalid value 'abc' (expected a number of GiB)" },
  { "--disk /x,bus=foo", "--disk bus: invalid value 'foo' "
                         "(accepted: ide, sata, scsi, usb, virtio, xen, fdc, sd)" },
  { "--disk /x,device=tape", "--disk device: invalid value 'tape' (accepted: disk, cdrom, floppy, lun)" },
  { "--disk /x,sparse=maybe", "--disk sparse: invalid value 'maybe' (expected on or off)" },
  { "--disk /x,readonly=maybe", "--disk readonly: invalid value 'maybe' (expected on or off)" },
  { "--disk vol=novolume", "--disk vol: invalid value 'novolume' (expected POOL/VOLUME)" },
  { "--disk /x,perms=xx", "--disk perms: invalid value 'xx' (accepted: ro, sh, rw)" },
  { "--disk /x,boot.order=0", "--disk boot.order: invalid value '0' (expected a boot position of 1 or more)" },
  { "--disk /x,foo=bar",
    "--disk: unknown suboption 'foo' (accepted: boot.order, backing_store, pool, vol, size, format, "
    "sparse, bus, cache, path, device, readonly, shareable, target.dev, ...; '--disk help' lists all)" },
  { "--disk /x,foo=1,bar=2",
    "--disk: unknown suboptions 'foo', 'bar' (accepted: boot.order, backing_store, pool, vol, size, "
    "format, sparse, bus, cache, path, device, readonly, shareable, target.dev, ...; "
    "'--disk help' lists all)" },
  { "--disk /x,bus", "--disk bus: missing value (write bus=VALUE)" },
  { "--disk 'path=\"/x'", "--disk: unterminated quote in 'path=\"/x'" },
  { "--pm foo=on", "--pm: unknown suboption 'foo' "
                   "(accepted: suspend_to_mem.enabled, suspend_to_disk.enabled)" },
  { "--network mac=zz:11", "--network mac: invalid value 'zz:11' "
                           "(expected a MAC address such as 52:54:00:12:34:56)" },
  { "--graphics foo", "--graphics: invalid value 'foo' "
                      "(accepted: vnc, spice, sdl, rdp, desktop, egl-headless, dbus, none)" },
  { "--graphics vnc,port=100", "--graphics port: invalid value '100' "
                               "(expected a port number of 5900 or above, or -1 for automatic)" },
  { "--serial tcp,host=h:x", "--serial host: invalid value 'x' (expected HOST:PORT with a numeric port)" },
  { "--controller type=pci,address=zz", "--controller address: invalid value 'zz' "
                                        "(expected a PCI address such as 0000:00:10.0)" },
  { "--cdrom /x.iso --pxe", "--cdrom and --pxe cannot be used together (choose one install method)" },
  { "--location /t --import", "--location and --import cannot be used together (choose one install method)" },
  { "-c /a.iso --cdrom /b.iso", "-c and --cdrom cannot be used together (both give the install CD-ROM)" },
  { "--connect test:///default -c http://h/x.iso",
    "-c: invalid value 'http://h/x.iso' (with --connect given, -c is the short form of --cdrom, "
    "which takes no URI: use --cdrom for media at a URL)" },
  { "--cdrom /x.iso -x console=ttyS0", "--extra-args: only supported with --location or "
                                      "--install kernel= installs (not with --cdrom)" },
  { "--import --initrd-inject /ks.cfg", "--initrd-inject: only supported with --location or "
                                        "--install kernel= installs (not with --import)" },
  { "--location /t,kernel=k", "--location: kernel= and initrd= must be given together (got kernel='k' only)" },
  { "--print-xml 3", "--print-xml: invalid value '3' (accepted: 1, 2, all)" },
  { "--wait soon", "--wait: invalid value 'soon' (expected a number of minutes; -1 waits forever)" },
  { "--autoconsole foo", "--autoconsole: invalid value 'foo' (accepted: text, graphical, none, default)" },
  { "--check foo=on", "--check: unknown suboption 'foo' "
                      "(accepted: path_in_use, disk_size, path_exists, mac_in_use, all)" },
  { "--osinfo name=x,foo=y", "--osinfo: unknown suboption 'foo' (accepted: name, id, detect, require)" },
  { "--cloud-init foo=1", "--cloud-init: unknown suboption 'foo' (accepted: root-password-generate, "
                          "root-password-file, disable, root-ssh-key, clouduser-ssh-key, user-data, "
                          "meta-data, network-config)" },
  { "--graphics vnc --vnc", "--graphics cannot be mixed with --vnc, --vncport, --vnclisten, --sdl "
                            "or --keymap" },
  { "--network none --bridge br0", "--bridge and --network cannot be used together "
                                   "(use --network bridge=NAME)" },
};

static void
test_error(gconstpointer data)
{
  guint i = GPOINTER_TO_UINT(data);
  assert_error(error_cases[i].cmdline, error_cases[i].message);
}

int
main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);

  g_test_add_func("/cli/syntax/value-forms", test_value_forms);
  g_test_add_func("/cli/syntax/quoting", test_quoting);
  g_test_add_func("/cli/syntax/can-comma", test_can_comma);
  g_test_add_func("/cli/syntax/repeated", test_repeated);
  g_test_add_func("/cli/syntax/help-outputs", test_help_outputs);
  g_test_add_func("/cli/guest/memory", test_memory);
  g_test_add_func("/cli/guest/vcpus", test_vcpus);
  g_test_add_func("/cli/guest/cpu", test_cpu);
  g_test_add_func("/cli/guest/boot", test_boot);
  g_test_add_func("/cli/guest/domain-sections", test_domain_sections);
  g_test_add_func("/cli/guest/platform", test_platform);
  g_test_add_func("/cli/guest/osinfo", test_osinfo);
  g_test_add_func("/cli/devices/disk", test_disk);
  g_test_add_func("/cli/devices/disk-none-perms", test_disk_none_and_perms);
  g_test_add_func("/cli/devices/boot-order", test_boot_order);
  g_test_add_func("/cli/devices/network", test_network);
  g_test_add_func("/cli/devices/network-default-none", test_network_default_and_none);
  g_test_add_func("/cli/devices/graphics", test_graphics);
  g_test_add_func("/cli/devices/chardevs", test_chardevs);
  g_test_add_func("/cli/devices/none-flags", test_none_flags);
  g_test_add_func("/cli/devices/others", test_other_devices);
  g_test_add_func("/cli/install/methods", test_install_methods);
  g_test_add_func("/cli/install/misc-flags", test_misc_flags);
  for (guint i = 0; i < G_N_ELEMENTS(error_cases); i++) {
    g_autofree char *name = g_strdup_printf("/cli/errors/%02u", i);
    g_test_add_data_func(name, GUINT_TO_POINTER(i), test_error);
  }
  return g_test_run();
}
