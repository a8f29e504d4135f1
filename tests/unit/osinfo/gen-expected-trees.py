#!/usr/bin/python3
# Writes what libosinfo and virt-install's own urldetect (virtinst 4.1.0)
# answer when detecting the OS of install trees, in the section format of
# expected.txt, for test-osinfo to compare with vminstall's
# vmi_os_identify_tree() and vmi_os_find_by_codename().
#
# Regenerate (only when the installed osinfo-db changes):
#   LC_ALL=C LANGUAGE= /usr/bin/python3 tests/unit/osinfo/gen-expected-trees.py \
#       > tests/unit/osinfo/expected-trees.txt
#
# Sections:
#   == tree FAMILY|VARIANT|VERSION|ARCH   a .treeinfo [general] section
#                                         ("(none)": key missing)
#   == treeinfo DIR                       the tree at tests/data/DIR
#   == codename PREFIX|LOCATION           urldetect's Debian/Ubuntu guess
#   == codename-dir PREFIX|DIR            the same for tests/data/DIR
#   == order                              the order libosinfo's database
#                                         lists its OSes in (ids)
#   == treedb SECTION                     SECTION, with treedb/ beside this
#                                         script as the only database
#                                         location (made-up edge cases)

import os
import sys
import types

import gi
gi.require_version("Libosinfo", "1.0")
from gi.repository import Libosinfo  # noqa: E402

sys.path.insert(0, "/usr/share/virt-manager")
from virtinst import osdict  # noqa: E402
from virtinst.install import urldetect  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TREEDB = os.path.join(HERE, "treedb")
DATA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                     "..", "..", "data"))

NONE = "(none)"

TREES = [
    # Fedora: trees carry the variant; without one (like the fixture's
    # .treeinfo) libosinfo finds nothing
    ("Fedora", "Server", "36", "x86_64"),
    ("Fedora", "Everything", "36", "aarch64"),
    ("Fedora", NONE, "36", "x86_64"),
    ("Fedora", "Workstation", "29", "x86_64"),
    ("Fedora", "Silverblue", "36", "x86_64"),
    # matches both fedora-unknown and silverblue-unknown: the database's
    # order decides
    ("Fedora", "Silverblue", "38", "x86_64"),
    ("Fedora", "Server", "28", ""),            # only arch="all" trees
    ("Fedora", "Server", "28", NONE),          # taken for i386
    ("Fedora", "Everything", "Rawhide", "x86_64"),
    ("Fedora", "Server", "36", "armhfp"),      # db says armv7l
    # RHEL: regex versions, Server/BaseOS variants, alternate archs
    ("Red Hat Enterprise Linux", "BaseOS", "8.6", "x86_64"),
    ("Red Hat Enterprise Linux", "AppStream", "9.0", "aarch64"),
    ("Red Hat Enterprise Linux", "Server", "7.9", "x86_64"),
    ("Red Hat Enterprise Linux", "Server", "7.9", "ppc64le"),
    ("Red Hat Enterprise Linux", NONE, "7.25", "x86_64"),
    ("Red Hat Enterprise Linux", NONE, "9.7", "s390x"),
    ("Red Hat Enterprise Linux Alternate Architectures", NONE, "7.6",
     "aarch64"),
    ("Red Hat Enterprise Linux", "Server", "6.10", "i386"),
    ("Red Hat Enterprise Linux Server", NONE, "5.11", "x86_64"),
    ("Red Hat Enterprise Linux", NONE, "5.4", NONE),
    # CentOS and relatives
    ("CentOS", NONE, "7", "x86_64"),
    ("CentOS", NONE, "7", NONE),
    ("CentOS", NONE, "7", "armhfp"),
    ("CentOS", NONE, "6.10", "i386"),
    ("CentOS Linux", NONE, "8", "x86_64"),
    ("CentOS Stream", NONE, "8", "x86_64"),
    ("CentOS Stream", "BaseOS", "9", "s390x"),
    ("Rocky Linux", NONE, "9.0", "x86_64"),
    ("AlmaLinux", NONE, "8.6", "x86_64"),
    ("AlmaLinux", NONE, "8.6", "riscv64"),
    ("Scientific Linux", NONE, "6.5", "x86_64"),
    ("Circle Linux", NONE, "9.1", "aarch64"),
    ("openSUSE Leap", NONE, "15.4", "x86_64"),
    ("Debian", NONE, "11", "x86_64"),
    (NONE, NONE, NONE, NONE),
]

TREEINFO_DIRS = ["media/tree-fedora"]

CODENAMES = [
    ("debian", "http://deb.debian.org/debian/dists/bullseye/main/installer-amd64/"),
    ("debian", "http://deb.debian.org/debian/dists/testing/main/installer-amd64/"),
    ("debian", "http://deb.debian.org/debian/dists/sid/main/installer-amd64/"),
    ("debian", "http://deb.debian.org/debian/dists/Bullseye/main/"),
    ("debian", "http://deb.debian.org/debian/dists/bullseye"),
    ("debian", "http://archive.ubuntu.com/ubuntu/dists/jammy/main/installer-amd64/"),
    ("ubuntu", "http://archive.ubuntu.com/ubuntu/dists/jammy/main/installer-amd64/"),
    ("ubuntu", "http://archive.ubuntu.com/ubuntu/dists/focal-updates/main/"),
    ("ubuntu", "http://deb.debian.org/debian/dists/bullseye/main/installer-amd64/"),
    # several RHEL 8 releases share "Ootpa": list order decides
    ("rhel", "http://example.com/ootpa/"),
]

CODENAME_DIRS = [
    ("debian", "media/tree-debian/dists/bullseye/main/installer-amd64"),
]


TREEDB_TREES = [
    ("Twin", NONE, "1", "x86_64"),      # several OSes: the db's order
    ("Twin", NONE, "1", NONE),          # arch="all" trees: reverse order
    ("Twin", "Ext", "9", "x86_64"),     # a tree from an extension file
    ("Fall", NONE, NONE, "ppc64le"),
    ("Nothing", NONE, "3", "s390x"),    # a tree with empty treeinfo data
    ("Whatever", NONE, "2.0", "x86_64"),  # family whose first child is
    ("Whatever", NONE, "2x0", "x86_64"),  # a comment; escaped regex
    ("A & B", NONE, NONE, "aarch64"),     # entities; the later family
    ("Second & Last", NONE, NONE, "aarch64"),  # element wins
    ("DupA", NONE, NONE, "x86_64"),     # a tree replaced by one with
    ("DupB", NONE, NONE, "x86_64"),     # its id
]

TREEDB_CODENAMES = [
    ("", "http://example.com/one/"),    # labels: the first in list order
    ("dup", "http://example.com/one/"),
    ("", "http://example.com/bigbird/"),  # markup inside <codename>
    ("", "http://example.com/deutsch/"),  # xml:lang: first element in C
    ("", "http://example.com/plain/"),
    ("alpha", "http://example.com/aardvark/"),
    ("beta", "http://example.com/aardvark/"),
    ("", "http://example.com/theta/"),    # one-word label
    ("", "http://example.com/or/"),       # generic's label
]


def tree_os(db, fields):
    text = "[general]\n"
    for key, value in zip(["family", "variant", "version", "arch"], fields):
        if value != NONE:
            text += "%s = %s\n" % (key, value)
    tree = Libosinfo.Tree.create_from_treeinfo(text, "http://example.com/")
    if not db.identify_tree(tree):
        return None
    return tree.get_os().get_short_id()


def dir_os(path):
    # what osdict.guess_os_by_tree() does with a local directory
    ret = osdict.OSDB.guess_os_by_tree(path)
    return ret[0] if ret else None


def codename_os(prefix, location):
    # urldetect's own code, on a Debian-style "url" tree
    cls = type("_Distro", (urldetect._DebianDistro,), {"_debname": prefix})
    store = cls.__new__(cls)
    store.uri = location
    store.cache = types.SimpleNamespace(debian_media_type="url")
    return store._detect_version()


def codename_words(prefix):
    # a location naming each OS's codename, to check them all
    words = []
    for o in osdict.OSDB.list_os():
        if not o.name.startswith(prefix):
            continue
        if o.codename:
            word = o.codename.split()[0].lower()
        elif " " in o.label:
            word = o.label.split()[1].lower()
        else:
            continue
        if word not in words:
            words.append(word)
    return words


def virt_install_detect(path):
    # the whole of virt-install's detection, for the report at the top
    try:
        from virtinst import cli, Guest, progress
        from virtinst.install import urlfetcher
        conn = cli.getConnection("test:///default")
        guest = Guest(conn)
        guest.os.arch = "x86_64"
        guest.os.os_type = "hvm"
        fetcher = urlfetcher.fetcherForURI(path, "/tmp",
                                           progress.make_meter(quiet=True))
        fetcher._prepare()
        store = urldetect.getDistroStore(guest, fetcher, True)
        if not store:
            return "nothing"
        return "%s (%s)" % (store.get_osdict_info(), type(store).__name__)
    except Exception as e:  # pragma: no cover
        return "unavailable: %s" % e


def show(value):
    print("os: %s" % (value or "none"))


def print_order(db, prefix=""):
    print("== %sorder" % prefix)
    for o in db.get_os_list().get_elements():
        if o.get_short_id():
            print(o.get_id())


def print_treedb():
    saved = {k: os.environ.get(k) for k in
             ["OSINFO_SYSTEM_DIR", "OSINFO_LOCAL_DIR", "OSINFO_USER_DIR"]}
    os.environ["OSINFO_SYSTEM_DIR"] = TREEDB
    os.environ["OSINFO_LOCAL_DIR"] = os.path.join(TREEDB, "nowhere")
    os.environ["OSINFO_USER_DIR"] = os.path.join(TREEDB, "nowhere")
    saved_osdb = urldetect.OSDB
    try:
        loader = Libosinfo.Loader()
        loader.process_default_path()
        db = loader.get_db()
        urldetect.OSDB = osdict._OSDB()
        for fields in TREEDB_TREES:
            print("== treedb tree %s" % "|".join(fields))
            show(tree_os(db, fields))
        for prefix, location in TREEDB_CODENAMES:
            print("== treedb codename %s|%s" % (prefix, location))
            show(codename_os(prefix, location))
        print_order(db, "treedb ")
    finally:
        urldetect.OSDB = saved_osdb
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main():
    loader = Libosinfo.Loader()
    loader.process_default_path()
    db = loader.get_db()

    with open("/usr/share/osinfo/VERSION") as f:
        print("# osinfo-db %s" % f.read().strip())
    for rel in ["media/tree-fedora",
                "media/tree-debian/dists/bullseye/main/installer-amd64"]:
        print("# virt-install on tests/data/%s: %s" %
              (rel, virt_install_detect(os.path.join(DATA, rel))))

    for fields in TREES:
        print("== tree %s" % "|".join(fields))
        show(tree_os(db, fields))
    for rel in TREEINFO_DIRS:
        print("== treeinfo %s" % rel)
        show(dir_os(os.path.join(DATA, rel)))

    cases = list(CODENAMES)
    for prefix in ["debian", "ubuntu"]:
        for word in codename_words(prefix):
            cases.append((prefix, "http://example.com/%s/dists/%s/main/" %
                          (prefix, word)))
    for prefix, location in cases:
        print("== codename %s|%s" % (prefix, location))
        show(codename_os(prefix, location))
    for prefix, rel in CODENAME_DIRS:
        print("== codename-dir %s|%s" % (prefix, rel))
        show(codename_os(prefix, os.path.join(DATA, rel)))

    print_order(db)
    print_treedb()


if __name__ == "__main__":
    main()
