#!/usr/bin/env bash
# ./setup.sh: the first quick-start command on a fresh Debian 12 machine.
#   1. installs the Debian packages of .ci/packages.txt (as root, or via sudo)
#   2. builds vminstall (release) in build/
#   3. builds the project's tiny test OS and its install media from Debian
#      packages (tests/media/build-media.sh -> tests/media-out/)
#   4. runs the main job: a real install of that test OS from its CD-ROM
#      on the embedded QEMU driver (qemu:///embed, no daemon needed), under
#      software emulation, following the serial console through both
#      phases: the installer writes the disk and reboots, then the
#      installed system boots from its disk.
# Run it again at will: it replaces the guest it made the last time.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$top"

mapfile -t packages < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' .ci/packages.txt)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "=== installing ${#missing[@]} Debian packages: ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "=== all ${#packages[@]} Debian packages of .ci/packages.txt are installed"
  # The test OS's kernel is fetched with apt-get download: apt must know
  # it even where every package came preinstalled with empty lists.
  if ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 &&
     ! ls tests/media-out/.cache/debs/*.deb >/dev/null 2>&1; then
    echo "=== apt knows no package lists yet: apt-get update"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -q
  fi
fi

# No udev runs on some hosts (these VMs among them), so /dev/kvm keeps the
# kernel's root:root 0600 and the QEMU user (libvirt-qemu, in group kvm)
# cannot open it.  libvirt then discards its QEMU capabilities at every
# lookup and re-probes QEMU, which makes each guest start take minutes.
# Debian's udev rule is KERNEL=="kvm", GROUP="kvm", MODE="0660".
if [ -c /dev/kvm ] && getent group kvm >/dev/null &&
   [ "$(stat -c %g:%a /dev/kvm)" = 0:600 ]; then
  echo "=== /dev/kvm is root-only (no udev here): giving it group kvm, mode 0660, as udev would"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" chgrp kvm /dev/kvm
  "${sudo[@]}" chmod 0660 /dev/kvm
fi

echo "=== building vminstall (release) in build/"
if [ -e build/meson-private/coredata.dat ]; then
  meson setup --reconfigure build --buildtype=release >/dev/null
else
  meson setup build --buildtype=release >/dev/null
fi
ninja -C build

echo "=== building the test OS and its install media (tests/media-out/)"
tests/media/build-media.sh

# The embedded driver's state dir: vminstall's default (src/lib/conn/embed.c).
if [ -n "${VMINSTALL_EMBED_ROOT:-}" ]; then
  root=$VMINSTALL_EMBED_ROOT
elif [ "$(id -u)" -eq 0 ]; then
  root=/var/lib/vminstall
else
  root=${XDG_STATE_HOME:-$HOME/.local/state}/vminstall
fi
embed="qemu:///embed?root=$root"
name=vminstall-quickstart
disk=$root/images/$name.qcow2

# The guest of a previous run, then its disk: vminstall never overwrites.
if [ -d "$root" ] && virsh -q -c "$embed" dominfo "$name" >/dev/null 2>&1; then
  echo "=== removing the guest '$name' of a previous run"
  virsh -q -c "$embed" destroy "$name" >/dev/null 2>&1 || true
  virsh -q -c "$embed" undefine "$name" >/dev/null
fi
# The guest's serial console is also logged, so that both phases can be
# checked after the run (a pty keeps the log across QEMU restarts).
serial_log=$root/log/$name-serial.log
rm -f "$disk" "$serial_log"
mkdir -p "$root/images" "$root/log"

connect=()
if virsh -c qemu:///system version >/dev/null 2>&1; then
  # vminstall would use the daemon; the quick start shows the embedded driver.
  echo "=== a libvirt daemon answers; using the embedded driver all the same"
  connect=(--connect "$embed")
fi
cmd=(build/src/cli/vminstall "${connect[@]}" --name "$name" --osinfo linux2020
     --virt-type qemu --memory 256 --disk "path=$disk,size=0.05,bus=virtio"
     --cdrom "$top/tests/media-out/cdrom.iso" --autoconsole text --wait 10
     --serial "pty,log.file=$serial_log,log.append=on")
echo "=== ${cmd[*]}"
env -u LIBVIRT_DEFAULT_URI "${cmd[@]}"

# Both phases ran: the installer finished, then the installed system
# booted from the disk it wrote.
for marker in VMINSTALL-TEST-INSTALLER-DONE VMINSTALL-TEST-INSTALLED-DONE; do
  if ! grep -q "^$marker" "$serial_log" 2>/dev/null; then
    echo "=== FAILED: '$marker' is not in the guest's serial log $serial_log" >&2
    exit 1
  fi
done
echo "=== done: the installer ran and the installed system booted from its disk"
echo "=== '$name' is defined on $embed (virsh -c '$embed' dumpxml $name)"
