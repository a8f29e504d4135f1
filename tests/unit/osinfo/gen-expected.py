#!/usr/bin/python3
# Writes what virt-install's own osdict (virtinst 4.1.0) answers for a set of
# OS short ids, in the text format test-osinfo prints for vminstall's osinfo
# module, so the two can be compared line by line.
#
# Regenerate (only when the installed osinfo-db changes):
#   LC_ALL=C LANGUAGE= /usr/bin/python3 tests/unit/osinfo/gen-expected.py \
#       > tests/unit/osinfo/expected.txt
# With --all, every OS of the database is printed (for a local, full
# comparison; too big to commit).

import datetime
import sys
import types

sys.path.insert(0, "/usr/share/virt-manager")
from virtinst import osdict  # noqa: E402

SHORT_IDS = [
    "fedora36", "fedora-rawhide", "silverblue36", "rhel9.0", "rhel8.6",
    "rhel7.9", "rhel6.10", "rhel6.0", "rhel5.4", "centos7.0",
    "centos-stream9", "rocky9", "almalinux9", "debian11", "debian10",
    "ubuntu22.04", "opensuse15.4", "opensusetumbleweed", "sles12sp2",
    "win10", "win11", "win2k19", "win2k22", "winxp", "win7", "msdos6.22",
    "freebsd13.1", "openbsd7.0", "openbsd7.2", "netbsd9.3", "solaris11",
    "linux2020", "linux2022", "alpinelinux3.17", "archlinux", "manjaro",
    "gentoo", "macosx10.7", "nixos-22.05", "cirros0.5.2", "android-x86-9.0",
    "alt9.0", "rocky9.0", "rocky8.6", "linux2016", "ubuntu20.04", "debian7", "fedora19", "generic", "nosuchos",
]
FULL_IDS = ["http://microsoft.com/win/10", "http://example.com/nosuchos"]
ARCHS = ["x86_64", "i686", "aarch64", "ppc64le", "s390x", "armv7l"]
EFI_ARCHS = ["x86_64", "i686", "aarch64"]
EOL_DATES = ["2010-06-15", "2020-06-15", "2023-06-15", "2030-06-15"]
RELATED = ["rhel7.0", "rhel6.0", "fedora30", "win7", "debian9"]
SUPPORTS = [
    ("virtio-disk", "supports_virtiodisk"),
    ("virtio-scsi", "supports_virtioscsi"),
    ("virtio-net", "supports_virtionet"),
    ("virtio-rng", "supports_virtiorng"),
    ("virtio-gpu", "supports_virtiogpu"),
    ("virtio-balloon", "supports_virtioballoon"),
    ("virtio-serial", "supports_virtioserial"),
    ("virtio-input", "supports_virtioinput"),
    ("usb3", "supports_usb3"),
    ("virtio1", "supports_virtio1"),
    ("chipset-q35", "supports_chipset_q35"),
]


def yn(val):
    return "yes" if val else "no"


def num(val):
    # virtinst answers None (or -1 for a network-install entry without ram)
    # where vminstall answers -1: both mean "unknown".
    if val is None or val == -1:
        return "none"
    return str(val)


def eol_on(osobj, day):
    # osdict compares datetime.today() with the dates; pin "today" to noon
    # of @day so that the expected answers do not change with the calendar.
    fixed = datetime.datetime.strptime(day, "%Y-%m-%d").replace(hour=12)

    class _FixedDateTime(datetime.datetime):
        @classmethod
        def today(cls):
            return fixed

    saved = osdict.datetime
    osdict.datetime = types.SimpleNamespace(datetime=_FixedDateTime,
                                            timedelta=datetime.timedelta)
    try:
        return osobj._get_eol()
    finally:
        osdict.datetime = saved


class _FakeGuest:
    def __init__(self, arch):
        self.os = types.SimpleNamespace(arch=arch)


def print_os(o):
    print("name: %s" % o.name)
    print("all-names: %s" % ", ".join(o.all_names))
    print("full-id: %s" % (o.full_id or "none"))
    print("family: %s" % (o._family or "none"))
    print("label: %s" % o.label)
    print("generic: %s" % yn(o.is_generic()))
    print("windows: %s" % yn(o.is_windows()))
    print("linux-generic: %s" % yn(o.is_linux_generic()))
    print("clock: %s" % o.get_clock())
    for day in EOL_DATES:
        print("eol %s: %s" % (day, yn(eol_on(o, day))))
    for rel in RELATED:
        print("related-to %s: %s" % (rel, yn(o._is_related_to([rel]))))
    for label, meth in SUPPORTS:
        print("%s: %s" % (label, yn(getattr(o, meth)())))
    for arch in EFI_ARCHS:
        print("requires-efi %s: %s" % (arch, yn(o.requires_firmware_efi(arch))))
    res = o.get_recommended_resources()
    for arch in ARCHS:
        print("resources %s: min-ram=%s rec-ram=%s rec-ncpus=%s "
              "rec-storage=%s netinst-ram=%s" % (
                  arch,
                  num(res.get_minimum_ram(arch)),
                  num(res.get_recommended_ram(arch)),
                  num(res.get_recommended_ncpus(arch)),
                  num(res.get_recommended_storage(arch)),
                  num(o.get_network_install_required_ram(_FakeGuest(arch)))))
    print("kernel-url-arg: %s" % (o.get_kernel_url_arg() or "none"))


def main():
    dump_all = "--all" in sys.argv[1:]
    with open("/usr/share/osinfo/VERSION") as f:
        print("# osinfo-db %s" % f.read().strip())

    short_ids = SHORT_IDS
    if dump_all:
        short_ids = [o.name for o in osdict.OSDB.list_os()]
    for sid in short_ids:
        print("== os %s" % sid)
        try:
            o = osdict.OSDB.lookup_os(sid, raise_error=True)
        except ValueError as e:
            print("error: %s" % e)
            continue
        print_os(o)

    for fid in FULL_IDS:
        print("== id %s" % fid)
        try:
            o = osdict.OSDB.lookup_os_by_full_id(fid, raise_error=True)
        except ValueError as e:
            print("error: %s" % e)
            continue
        print("name: %s" % o.name)

    print("== list")
    for o in osdict.OSDB.list_os():
        print(", ".join(o.all_names))


if __name__ == "__main__":
    main()
