#!/usr/bin/python3
# Runs virt-install (argv[1:]) and copies every unattended script and
# unattended ISO it writes into $KEEP_DIR just before virt-install
# removes it (virtinst unlinks them in Installer._cleanup).  Used only by
# regen-expected.sh; needs Debian's virtinst (/usr/share/virt-manager).
import os
import shutil
import sys

sys.path.insert(0, "/usr/share/virt-manager")
keep = os.environ["KEEP_DIR"]
real_unlink = os.unlink


def unlink(path, *args, **kwargs):
    name = os.path.basename(str(path))
    if name.startswith("virtinst-unattended-script"):
        shutil.copy(path, os.path.join(keep, name))
    return real_unlink(path, *args, **kwargs)


os.unlink = unlink
from virtinst import virtinstall  # noqa: E402
virtinstall.runcli()
