#!/usr/bin/python3
#
# Computes what virt-install (virtinst from /usr/share/virt-manager) answers
# for the capabilities and domain capabilities files the caps/conn unit tests
# use, and writes it as tests/unit/caps/expected.txt.  The C tests read that
# file and must produce the same answers: virt-install's behaviour is the
# specification, so it is measured, not transcribed.
#
# Run from anywhere with Debian's interpreter (it has python3-gi/libvirt):
#   /usr/bin/python3 tests/unit/caps/virtinst-expected.py
#
# Line format (tab separated, '-' for "not given"/None):
#   hostarch FILE RESULT
#   caps     FILE OS_TYPE ARCH TYPE MACHINE RESULT
#   domcaps  FILE ARCH KEY VALUE
# FILE is relative to tests/; for domcaps, FILE '-' means "no domcaps file:
# what test:///default itself reports" and ARCH is what was asked for.

import os
import sys

sys.path.insert(0, "/usr/share/virt-manager")

import virtinst  # noqa: E402
from virtinst import DomainCapabilities  # noqa: E402
from virtinst import VirtinstConnection  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(os.path.dirname(HERE))

CAPS_FILES = [
    "data/caps/qemu-x86_64.xml",
    "data/caps/xen-x86_64.xml",
    "unit/caps/data/test-default.xml",
    "unit/caps/data/multi.xml",
    "unit/caps/data/nohostarch.xml",
]

# (os_type, arch, virt type, machine)
LOOKUPS = [
    (None, None, None, None),
    ("hvm", None, None, None),
    ("xen", None, None, None),
    ("linux", None, None, None),
    ("exe", None, None, None),
    (None, "i686", None, None),
    (None, "x86_64", None, None),
    (None, "aarch64", None, None),
    (None, "armv7l", None, None),
    (None, "s390x", None, None),
    (None, "ppc64le", None, None),
    ("hvm", "i686", None, None),
    ("xen", "i686", None, None),
    ("xen", "armv7l", None, None),
    ("exe", "i686", None, None),
    (None, None, "kvm", None),
    (None, None, "KVM", None),
    (None, None, "qemu", None),
    (None, None, "xen", None),
    (None, None, "test", None),
    (None, None, "lxc", None),
    (None, "i686", "kvm", None),
    (None, "i686", "qemu", None),
    ("hvm", "x86_64", "xen", None),
    (None, None, None, "pc"),
    (None, None, None, "q35"),
    (None, None, None, "pc-q35-7.2"),
    (None, None, None, "pc-q35-8.0"),
    (None, None, None, "pc-i440fx-8.0"),
    (None, None, None, "isapc"),
    (None, None, None, "xenfv"),
    (None, None, None, "bogus"),
    (None, None, "kvm", "pc-q35-7.2"),
    (None, None, "qemu", "pc-q35-8.0"),
    (None, None, "kvm", "bogus"),
    (None, "i686", "qemu", "pc"),
    ("xen", "x86_64", None, "xenpv"),
    ("hvm", "s390x", None, None),
    ("hvm", "s390x", "qemu", "s390-ccw-virtio"),
    (None, "aarch64", "tcg", None),
    (None, "aarch64", "hvf", "virt"),
]

DOMCAPS_FILES = [
    "data/caps/domcaps-q35.xml",
    "data/caps/domcaps-pc.xml",
    "unit/caps/data/domcaps-aarch64.xml",
    "unit/caps/data/domcaps-old.xml",
]
# Each file as it is, then as the test URI's arch substitution presents it.
DOMCAPS_ARCHS = [None, "i686", "aarch64", "armv7l", "s390x"]


def s(val):
    if val is None:
        return "-"
    if isinstance(val, bool):
        return "1" if val else "0"
    if isinstance(val, (list, tuple)):
        return ",".join(val) if val else "-"
    return str(val)


def open_conn(caps=None, domcaps=None):
    uri = "__virtinst_test__test:///default"
    if caps:
        uri += ",caps=" + os.path.join(TESTS, caps)
    if domcaps:
        uri += ",domcaps=" + os.path.join(TESTS, domcaps)
    uri += ",fakeuri=qemu:///system"
    conn = VirtinstConnection(uri)
    conn.open(None, None)
    return conn


def caps_result(conn, lookup):
    try:
        info = conn.caps.guest_lookup(*lookup)
    except ValueError as e:
        return "error " + str(e)
    mobjs = (info.domain and info.domain.machines) or info.guest.machines
    aliases = ["%s>%s" % (m.name, m.canonical) for m in mobjs if m.canonical]
    return " ".join([
        "ok",
        "os_type=" + s(info.os_type),
        "arch=" + s(info.arch),
        "type=" + s(info.hypervisor_type),
        "emulator=" + s(info.emulator),
        "loader=" + s(info.loader),
        "pae=" + s(info.guest.supports_pae()),
        "acpi=" + s(info.guest.supports_acpi()),
        "apic=" + s(info.guest.supports_apic()),
        "machines=" + s(info.machines),
        "aliases=" + s(aliases),
    ])


def domcaps_facts(dc):
    def enum(block, name):
        return block.get_enum(name).get_values()

    def mode_supported(name):
        m = dc.cpu.get_mode(name)
        return bool(m and m.supported)

    def safe_host_model():
        # virt-install raises IndexError for a supported host-model that
        # lists no model; none of the files here has that shape.
        return bool(dc.supports_safe_host_model())

    return [
        ("arch", dc.arch),
        ("machine", dc.machine),
        ("domain", dc.domain),
        ("path", dc.path),
        ("firmware_efi", bool(dc.supports_firmware_efi())),
        ("uefi_loader", bool(dc.supports_uefi_loader())),
        ("arch_can_uefi", bool(dc.arch_can_uefi())),
        ("uefi_path", dc.find_uefi_path_for_arch()),
        ("loader_values", [v.value for v in dc.os.loader.values]),
        ("tpm_emulator", bool(dc.supports_tpm_emulator())),
        ("tpm_present", bool(dc.devices.tpm.present)),
        ("tpm_model", enum(dc.devices.tpm, "model")),
        ("mode_host_passthrough", mode_supported("host-passthrough")),
        ("mode_host_model", mode_supported("host-model")),
        ("mode_maximum", mode_supported("maximum")),
        ("safe_host_passthrough", bool(dc.supports_safe_host_passthrough())),
        ("safe_host_model", safe_host_model()),
        ("cpu_models", dc.get_cpu_models()),
        ("video_virtio", bool(dc.supports_video_virtio())),
        ("video_bochs", bool(dc.supports_video_bochs())),
        ("video_has_modelType", bool(dc.devices.video.has_enum("modelType"))),
        ("video_modelType", enum(dc.devices.video, "modelType")),
        ("graphics_supported", bool(dc.devices.graphics.supported)),
        ("graphics_type", enum(dc.devices.graphics, "type")),
        ("disk_diskDevice", enum(dc.devices.disk, "diskDevice")),
        ("disk_bus", enum(dc.devices.disk, "bus")),
        ("hostdev_subsysType", enum(dc.devices.hostdev, "subsysType")),
        ("virtiofs", bool(dc.supports_filesystem_virtiofs())),
        ("memfd", bool(dc.supports_memorybacking_memfd())),
        ("sev", bool(dc.supports_sev_launch_security())),
        ("sev_es", bool(dc.supports_sev_launch_security(check_es=True))),
        ("gic_version", enum(dc.features.gic, "version")),
    ]


def main():
    out = []
    for path in CAPS_FILES:
        conn = open_conn(caps=path)
        out.append("\t".join(["hostarch", path, s(conn.caps.host.cpu.arch)]))
        for lookup in LOOKUPS:
            out.append("\t".join(["caps", path] + [s(x) for x in lookup] +
                                 [caps_result(conn, lookup)]))
        conn.close()

    for path in DOMCAPS_FILES + [None]:
        conn = open_conn(domcaps=path)
        for arch in DOMCAPS_ARCHS:
            dc = DomainCapabilities.build_from_params(conn, None, arch,
                                                      None, None)
            for key, val in domcaps_facts(dc):
                out.append("\t".join(["domcaps", s(path), s(arch), key,
                                      s(val)]))
        conn.close()

    with open(os.path.join(HERE, "expected.txt"), "w") as f:
        f.write("# Generated by virtinst-expected.py from virt-install %s;"
                " do not edit.\n" % virtinst.BuildConfig.version)
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
