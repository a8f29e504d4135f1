#!/usr/bin/env bash
# tests/media/check-media.sh [OUTDIR]: builds the test media (build-media.sh,
# a no-op when up to date) and proves them by booting them with plain
# qemu-system-x86_64 under software emulation (-accel tcg; KVM guests hang on
# the machines here).  No vminstall, no libvirt.  Prints TAP.
#
# Environment:
#   VMI_MEDIA_TIMEOUT  seconds one boot may take (default 60)
#   VMI_MEDIA_KEEP=1   keep the scratch directory (serial logs, disks)
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/tests/media-out}
timeout_s=${VMI_MEDIA_TIMEOUT:-60}
scratch=$(mktemp -d /tmp/vmi-check-media.XXXXXX)
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  if [ "${VMI_MEDIA_KEEP:-0}" = 1 ]; then
    echo "# scratch directory kept: $scratch"
  else
    rm -rf "$scratch"
  fi
}
trap cleanup EXIT

n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  failures=$((failures + 1))
  echo "not ok $n - $1"
  shift
  local line
  for line in "$@"; do echo "# $line"; done
}
# since T0: seconds since T0 (a date +%s.%N), one decimal
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
# diag FILE: the end of FILE as TAP diagnostics
diag() { [ -f "$1" ] && tail -n "${2:-20}" "$1" | tr -d '\r' | sed 's/^/#   /'; }

echo "1..12"

# ---- build ----------------------------------------------------------------------
t0=$(date +%s.%N)
if "$here/build-media.sh" "$out" >"$scratch/build.log" 2>&1; then
  ok "build-media.sh made the media ($(since "$t0") s)"
else
  not_ok "build-media.sh made the media"
  diag "$scratch/build.log" 30
  echo "Bail out! build-media.sh failed"
  exit 1
fi
out=$(cd "$out" && pwd)

# ---- MANIFEST ------------------------------------------------------------------
if python3 - "$out" >"$scratch/manifest.log" 2>&1 <<'EOF'
import hashlib, os, sys
out = sys.argv[1]
listed, bad = set(), []
for line in open(os.path.join(out, "MANIFEST")):
    if line.startswith("#"):
        continue
    path, size, sha = line.rstrip("\n").split("\t")
    listed.add(path)
    full = os.path.join(out, path)
    if not os.path.isfile(full):
        bad.append("missing: " + path)
        continue
    if os.path.getsize(full) != int(size):
        bad.append("size differs: " + path)
    h = hashlib.sha256()
    with open(full, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    if h.hexdigest() != sha:
        bad.append("sha256 differs: " + path)
for want in ["cdrom.iso", "tree.iso", "installed.img", "installed.qcow2",
             "kernel/vmlinuz", "kernel/initrd.img", "tree/.treeinfo",
             "tree/images/pxeboot/vmlinuz", "tree/images/pxeboot/initrd.img",
             "debian-tree/dists/bookworm/main/installer-amd64/current/images/MANIFEST",
             "debian-tree/dists/bookworm/main/installer-amd64/current/images/netboot/debian-installer/amd64/linux",
             "debian-tree/dists/bookworm/main/installer-amd64/current/images/netboot/debian-installer/amd64/initrd.gz"]:
    if want not in listed:
        bad.append("not in MANIFEST: " + want)
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
then
  ok "MANIFEST lists every artefact with its size and sha256"
else
  not_ok "MANIFEST lists every artefact with its size and sha256"
  diag "$scratch/manifest.log"
fi

# ---- layouts ---------------------------------------------------------------------
layout_errors() {
  local deb=$out/debian-tree/dists/bookworm/main/installer-amd64/current/images
  local k=$out/kernel/vmlinuz i=$out/kernel/initrd.img f toc
  for f in "$out/tree/images/pxeboot/vmlinuz" "$deb/netboot/debian-installer/amd64/linux"; do
    cmp -s "$k" "$f" || echo "$f differs from $k"
  done
  for f in "$out/tree/images/pxeboot/initrd.img" "$deb/netboot/debian-installer/amd64/initrd.gz"; do
    cmp -s "$i" "$f" || echo "$f differs from $i"
  done
  grep -q Debian "$deb/MANIFEST" || echo "$deb/MANIFEST does not say Debian"
  python3 - "$out/tree" <<'EOF' || echo "tree/.treeinfo is wrong"
import configparser, os, sys
t = configparser.ConfigParser()
t.read(os.path.join(sys.argv[1], ".treeinfo"))
g = t["general"]
assert g["family"] and g["version"] and g["arch"] == "x86_64"
for key in ("kernel", "initrd"):
    assert os.path.isfile(os.path.join(sys.argv[1], t["images-x86_64"][key]))
EOF
  mkdir -p "$scratch/x"
  # the ISOs: El Torito, Rock Ridge names, Joliet, and the same files inside
  for iso in cdrom tree; do
    # (not piped into grep -q: with pipefail a SIGPIPE would count as absent)
    toc=$(xorriso -indev "$out/$iso.iso" -toc 2>&1)
    grep -q 'Boot record  : El Torito' <<<"$toc" || echo "$iso.iso has no El Torito boot record"
    grep -q 'ISO offers   : Rock_Ridge Joliet' <<<"$toc" || echo "$iso.iso lacks Rock Ridge or Joliet"
  done
  xorriso -osirrox on -indev "$out/cdrom.iso" -extract /isolinux/vmlinuz "$scratch/x/cd-vmlinuz" \
    -extract /isolinux/initrd.img "$scratch/x/cd-initrd" >/dev/null 2>&1
  cmp -s "$k" "$scratch/x/cd-vmlinuz" || echo "cdrom.iso:/isolinux/vmlinuz differs"
  cmp -s "$i" "$scratch/x/cd-initrd" || echo "cdrom.iso:/isolinux/initrd.img differs"
  xorriso -osirrox on -indev "$out/tree.iso" -extract /.treeinfo "$scratch/x/treeinfo" \
    -extract /images/pxeboot/initrd.img "$scratch/x/tree-initrd" >/dev/null 2>&1
  cmp -s "$out/tree/.treeinfo" "$scratch/x/treeinfo" || echo "tree.iso:/.treeinfo differs"
  cmp -s "$i" "$scratch/x/tree-initrd" || echo "tree.iso:/images/pxeboot/initrd.img differs"
  rm -rf "$scratch/x"
}
errs=$(layout_errors)
if [ -z "$errs" ]; then
  ok "layouts: kernel/, tree/, tree.iso, debian-tree/ and cdrom.iso carry the same installer"
else
  mapfile -t lines <<<"$errs"
  not_ok "layouts: kernel/, tree/, tree.iso, debian-tree/ and cdrom.iso carry the same installer" "${lines[@]}"
fi

# ---- boots -------------------------------------------------------------------------
# boot NAME LOG MARKER... -- QEMU-ARGS...: boots under TCG; passes when QEMU
# stops by itself (a poweroff, or a reboot under -no-reboot) within the timeout and the serial log holds MARKER... as whole
# lines, in that order ('~TEXT' matches a line containing TEXT).
boot() {
  local name=$1 log=$scratch/$2 markers=() t0 rc secs
  shift 2
  while [ "$1" != -- ]; do markers+=("$1"); shift; done
  shift
  t0=$(date +%s.%N)
  timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 -accel tcg -smp 1 -m 256 \
    -nodefaults -no-user-config -display none -monitor none \
    -serial "file:$log" "$@" >"$log.qemu" 2>&1
  rc=$?
  secs=$(since "$t0")
  tr -d '\r' <"$log" >"$log.txt" 2>/dev/null
  local why="" from=1 m hit
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    why="QEMU still running after ${timeout_s}s"
  elif [ "$rc" != 0 ]; then
    why="QEMU exited with status $rc"
  fi
  for m in "${markers[@]}"; do
    [ -n "$why" ] && break
    if [ "${m:0:1}" = "~" ]; then
      hit=$(tail -n "+$from" "$log.txt" | grep -n -m1 -F -- "${m:1}" | cut -d: -f1)
    else
      hit=$(tail -n "+$from" "$log.txt" | grep -n -m1 -x -F -- "$m" | cut -d: -f1)
    fi
    if [ -z "$hit" ]; then
      why="no line '$m' in the serial log (after line $from)"
    else
      from=$((from + hit))
    fi
  done
  if [ -z "$why" ]; then
    ok "$name ($secs s)"
  else
    not_ok "$name ($secs s)" "$why" "serial log ($log):"
    diag "$log.txt" 25
    diag "$log.qemu" 5
  fi
}
blank() { rm -f "$1"; truncate -s 64M "$1"; }
START=VMINSTALL-TEST-INSTALLER-START
DONE=VMINSTALL-TEST-INSTALLER-DONE
BOOTED=VMINSTALL-TEST-INSTALLED-BOOT

# (a) cdrom.iso installs onto an IDE disk (i440fx), then that disk boots
blank "$scratch/ide.img"
boot "cdrom.iso installs onto a blank IDE disk (pc, reboot)" cdrom-ide.log \
  "$START" "~vmitest: target disk=sda" "$DONE" "VMINSTALL-TEST-END reboot" -- \
  -machine pc -no-reboot -boot d -cdrom "$out/cdrom.iso" \
  -drive "file=$scratch/ide.img,format=raw,if=ide"
boot "the installed IDE disk boots alone and powers off" disk-ide.log \
  "$BOOTED" "vmitest: boot-disk=sda" "~vmitest: record: installed-by=installer" \
  "VMINSTALL-TEST-END poweroff" -- \
  -machine pc -drive "file=$scratch/ide.img,format=raw,if=ide"

# (a') the same onto virtio-blk on q35 (the CD-ROM on SATA: the BIOS reads
# it, the kernel needs not), then that disk boots with a serial number
blank "$scratch/virtio.img"
boot "cdrom.iso installs onto a blank virtio disk (q35, SATA cdrom)" cdrom-virtio.log \
  "$START" "~vmitest: target disk=vda" "$DONE" -- \
  -machine q35 -no-reboot -boot d -cdrom "$out/cdrom.iso" \
  -drive "file=$scratch/virtio.img,format=raw,if=virtio"
boot "the installed virtio disk boots alone and shows its serial" disk-virtio.log \
  "$BOOTED" "~vmitest: disk=vda bytes=67108864 serial=VMITEST42" "vmitest: boot-disk=vda" \
  "~vmitest: filesystem vda1 uuid=" "VMINSTALL-TEST-END poweroff" -- \
  -machine q35 -drive "file=$scratch/virtio.img,format=raw,if=none,id=d0" \
  -device virtio-blk-pci,drive=d0,serial=VMITEST42

# (c) the tree's kernel + initrd (-kernel/-initrd, as --location does), with
# a file injected by appending a cpio to the initrd (as --initrd-inject
# does), vmitest.end=poweroff and no console=ttyS0 on the command line
mkdir -p "$scratch/inject"
printf 'hello from an injected file\n' >"$scratch/inject/vmitest-injected.cfg"
(cd "$scratch/inject" && echo vmitest-injected.cfg | cpio -o -H newc --quiet | gzip -n) >"$scratch/inject.cpio.gz"
cat "$out/tree/images/pxeboot/initrd.img" "$scratch/inject.cpio.gz" >"$scratch/initrd-injected.img"
blank "$scratch/tree.img"
boot "tree kernel+initrd install: injected file, vmitest.end=poweroff, markers on ttyS0" tree-kernel.log \
  "$START" "~vmitest: cmdline: quiet vmitest.end=poweroff" \
  "VMINSTALL-TEST-CAT-BEGIN /vmitest-injected.cfg" "hello from an injected file" \
  "VMINSTALL-TEST-CAT-END /vmitest-injected.cfg" "VMINSTALL-TEST-CAT-MISSING /no/such/file" \
  "$DONE" "VMINSTALL-TEST-END poweroff" -- \
  -machine pc -kernel "$out/tree/images/pxeboot/vmlinuz" -initrd "$scratch/initrd-injected.img" \
  -append "quiet vmitest.end=poweroff vmitest.cat=/vmitest-injected.cfg,/no/such/file vmitest.id=check-media-42" \
  -drive "file=$scratch/tree.img,format=raw,if=virtio"
boot "that disk boots and shows the install id" disk-tree.log \
  "$BOOTED" "vmitest: record: install-id=check-media-42" "VMINSTALL-TEST-INSTALLED-DONE" -- \
  -machine pc -drive "file=$scratch/tree.img,format=raw,if=virtio"

# (d) the prepared disks for --import boot as they are (-snapshot: unchanged)
boot "installed.img boots as it is" import-raw.log \
  "$BOOTED" "vmitest: record: install-id=prepared-image" "VMINSTALL-TEST-END poweroff" -- \
  -machine pc -snapshot -drive "file=$out/installed.img,format=raw,if=virtio"
boot "installed.qcow2 boots as it is" import-qcow2.log \
  "$BOOTED" "vmitest: record: install-id=prepared-image" "VMINSTALL-TEST-END poweroff" -- \
  -machine pc -snapshot -drive "file=$out/installed.qcow2,format=qcow2,if=ide"

# (e) tree.iso is bootable too, like a distribution's DVD
blank "$scratch/treeiso.img"
boot "tree.iso boots the installer" tree-iso.log "$START" "$DONE" -- \
  -machine pc -no-reboot -boot d -cdrom "$out/tree.iso" \
  -drive "file=$scratch/treeiso.img,format=raw,if=virtio"

[ "$failures" -eq 0 ]
