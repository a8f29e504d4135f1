#!/usr/bin/env bash
# tests/media/build-media.sh [OUTDIR]: builds the vminstall test OS and its
# install media from Debian packages (default OUTDIR: tests/media-out/).
#
# Nothing is downloaded except the Debian cloud kernel package, with
# apt-get download; no root mounts, no loop devices.  Incremental: each step
# records a hash of its inputs and the state of its outputs in
# OUTDIR/.stamps/ and is skipped when both are unchanged.  Concurrent runs on
# one OUTDIR wait for each other (flock on OUTDIR/.lock).  See
# tests/media/README.md for what is made and how to boot it.
#
# Environment:
#   VMI_MEDIA_CACHE       where the kernel .deb and its extraction are kept
#                         (default OUTDIR/.cache)
#   VMI_MEDIA_KERNEL_DEB  use this linux-image .deb instead of apt's
#                         linux-image-cloud-amd64
set -euo pipefail
umask 022

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:-$top/tests/media-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cache=${VMI_MEDIA_CACHE:-$out/.cache}
work=$out/.work
stamps=$out/.stamps
mkdir -p "$cache/debs" "$work" "$stamps"

log() { echo "build-media: $*" >&2; }
die() { echo "build-media: error: $*" >&2; exit 1; }

exec 9>"$out/.lock"
flock 9

# ---- tools ------------------------------------------------------------------
need() { # need PROGRAM PACKAGE
  command -v "$1" >/dev/null 2>&1 ||
    die "$1 not found: install the Debian package $2 (listed in .ci/packages.txt)"
}
need python3 python3
need xorriso xorriso
need mformat mtools
need mcopy mtools
need syslinux syslinux
need qemu-img qemu-utils
need dpkg-deb dpkg
need apt-get apt
busybox=/bin/busybox
dpkg-query -W -f '${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' ||
  die "the static busybox is missing: install the Debian package busybox-static"
for f in /usr/lib/syslinux/mbr/mbr.bin /usr/lib/ISOLINUX/isolinux.bin \
         /usr/lib/syslinux/modules/bios/ldlinux.c32; do
  [ -f "$f" ] || die "$f is missing: install the Debian packages syslinux, syslinux-common and isolinux"
done
mbr_bin=/usr/lib/syslinux/mbr/mbr.bin
isolinux_bin=/usr/lib/ISOLINUX/isolinux.bin
ldlinux_c32=/usr/lib/syslinux/modules/bios/ldlinux.c32
tool=(python3 "$here/mediatool.py")
export MTOOLS_SKIP_CHECK=1

# ---- steps and stamps -------------------------------------------------------
# key FILE... [-- WORD...]: a hash of the files' content and the words
key() {
  local files=() words=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  words=("$@")
  { sha256sum "$here/build-media.sh" "$here/mediatool.py" "${files[@]}"
    printf '%s\n' "${words[@]}"; } | sha256sum | cut -c1-64
}
# outputs_state OUTPUT...: what the outputs look like now (names, sizes, mtimes)
outputs_state() {
  local o
  for o; do
    if [ -d "$o" ]; then
      find "$o" -printf '%p %s %T@\n' | LC_ALL=C sort
    elif [ -e "$o" ]; then
      stat -c '%n %s %Y' "$o"
    else
      echo "missing $o"
    fi
  done | sha256sum | cut -c1-64
}
# fresh NAME KEY OUTPUT...: true when step NAME last ran with KEY and left
# OUTPUT... as they are now
fresh() {
  local name=$1 k=$2
  shift 2
  [ -f "$stamps/$name" ] && [ "$(cat "$stamps/$name")" = "$k $(outputs_state "$@")" ] &&
    log "$name: up to date"
}
done_step() {
  local name=$1 k=$2
  shift 2
  echo "$k $(outputs_state "$@")" >"$stamps/$name"
}
# link SRC DST: a hard link where possible (the layouts share their big files)
link() { mkdir -p "$(dirname "$2")"; ln -f "$1" "$2" 2>/dev/null || cp -f "$1" "$2"; }

# ---- 1. the Debian cloud kernel ---------------------------------------------
kdeb=${VMI_MEDIA_KERNEL_DEB:-}
if [ -z "$kdeb" ]; then
  kpkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
         awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }') || true
  kver=""
  [ -n "$kpkg" ] && kver=$(apt-cache policy "$kpkg" 2>/dev/null | awk '$1 == "Candidate:" { print $2 }')
  if [ -n "$kpkg" ] && [ -n "$kver" ] && [ "$kver" != "(none)" ]; then
    kdeb=$cache/debs/${kpkg}_${kver//:/%3a}_amd64.deb
    if [ ! -s "$kdeb" ]; then
      if [ -s "/var/cache/apt/archives/${kdeb##*/}" ]; then
        cp "/var/cache/apt/archives/${kdeb##*/}" "$kdeb.tmp"
      else
        log "downloading $kpkg $kver (apt-get download)"
        rm -rf "$cache/debs/dl"
        mkdir -p "$cache/debs/dl"
        (cd "$cache/debs/dl" && apt-get download -q "$kpkg=$kver" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2) ||
          die "apt-get download $kpkg=$kver failed"
        mv "$cache/debs/dl/"*.deb "$kdeb.tmp"
        rm -rf "$cache/debs/dl"
      fi
      mv "$kdeb.tmp" "$kdeb"
    fi
  else
    kdeb=$(find "$cache/debs" -maxdepth 1 -name 'linux-image-*-cloud-amd64_*.deb' | sort -V | tail -n 1)
    [ -n "$kdeb" ] ||
      die "apt knows no linux-image-cloud-amd64 and none is cached in $cache/debs: run apt-get update"
    log "apt knows no linux-image-cloud-amd64; using the cached ${kdeb##*/}"
  fi
fi
[ -s "$kdeb" ] || die "kernel package $kdeb not found"
kdir=$cache/kernel
k=$(key "$kdeb")
if ! fresh kernel "$k" "$kdir"; then
  log "extracting ${kdeb##*/} (dpkg-deb -x)"
  rm -rf "$kdir" "$kdir.tmp"
  dpkg-deb -x "$kdeb" "$kdir.tmp"
  mv "$kdir.tmp" "$kdir"
  done_step kernel "$k" "$kdir"
fi
vmlinuz=$(find "$kdir/boot" -name 'vmlinuz-*' | head -n 1)
[ -n "$vmlinuz" ] || die "${kdeb##*/} holds no boot/vmlinuz-*"
kernel_release=${vmlinuz##*/vmlinuz-}
moddir=$kdir/lib/modules/$kernel_release/kernel
kernel_pkg_line="$(dpkg-deb -f "$kdeb" Package) $(dpkg-deb -f "$kdeb" Version)"

# ---- 2. kernel modules ------------------------------------------------------
# The cloud kernel builds none of these in (see README.md): disks on
# virtio-blk, virtio-scsi, IDE (ata_piix) and Xen; pvpanic so that a crash
# can be reported to the hypervisor.  No AHCI driver exists in this kernel.
modules=(virtio_pci virtio_blk virtio_scsi sd_mod ata_piix xen_blkfront pvpanic_mmio pvpanic_pci)
# cloud-init checks (vmi_cidata in vmitest-lib.sh): IDE cdroms and ISO 9660
modules+=(sr_mod isofs)
mapfile -t kos < <("${tool[@]}" moddeps "$moddir" "${modules[@]}")
[ "${#kos[@]}" -gt 0 ] || die "no kernel modules found under $moddir"

# initramfs_spec INIT RELEASE EXTRA-SPEC-LINES: a gen_init_cpio spec
initramfs_spec() {
  local init=$1 release=$2 ko
  cat <<EOF
dir /bin 0755
dir /dev 0755
dir /etc 0755
dir /lib 0755
dir /lib/modules 0755
dir /proc 0755
dir /sys 0755
dir /tmp 1777
nod /dev/console 0600 c 5 1
file /bin/busybox 0755 $busybox
slink /bin/sh busybox 0777
file /init 0755 $init
file /lib/vmitest.sh 0644 $here/vmitest-lib.sh
file /etc/vmitest-release 0644 $release
file /lib/modules/order 0644 $work/modules.order
EOF
  for ko in "${kos[@]}"; do
    echo "file /lib/modules/${ko##*/} 0644 $moddir/$ko"
  done
  shift 2
  [ $# -gt 0 ] && printf '%s\n' "$@"
  return 0
}
# write_if_changed FILE: stdin to FILE, leaving FILE alone when equal
write_if_changed() {
  cat >"$1.tmp"
  if cmp -s "$1.tmp" "$1" 2>/dev/null; then rm "$1.tmp"; else mv "$1.tmp" "$1"; fi
}
for ko in "${kos[@]}"; do echo "${ko##*/}"; done | write_if_changed "$work/modules.order"
busybox_version=$(dpkg-query -W -f '${Version}' busybox-static)

# ---- 3. the installed system: initramfs and bootable disk image -----------
write_if_changed "$work/release-installed" <<EOF
VMInstall Test OS 1, installed system
kernel package: $kernel_pkg_line
busybox-static: $busybox_version
EOF
initramfs_spec "$here/installed-init.sh" "$work/release-installed" >"$work/installed.spec.new"
mv "$work/installed.spec.new" "$work/installed.spec"
mapfile -t spec_files < <(awk '$1 == "file" { print $4 }' "$work/installed.spec")
k=$(key "$work/installed.spec" "${spec_files[@]}")
if ! fresh installed-initrd "$k" "$work/installed-initrd.gz"; then
  log "installed system: initramfs"
  "${tool[@]}" cpio "$work/installed-initrd.gz" "$work/installed.spec"
  done_step installed-initrd "$k" "$work/installed-initrd.gz"
fi

disk_bytes=$((32 * 1024 * 1024))  # the whole disk image
part_start=2048                   # first partition sector (1 MiB)
part_sectors=$((disk_bytes / 512 - part_start))
cat >"$work/syslinux.cfg" <<'EOF'
SERIAL 0 115200
DEFAULT vmitest
PROMPT 0
TIMEOUT 0
LABEL vmitest
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND console=tty0 console=ttyS0 quiet
EOF
printf 'VMITEST-RECORD 1\ninstalled-by=build-media.sh\ninstall-id=prepared-image\n' >"$work/record-prepared"
k=$(key "$vmlinuz" "$work/installed-initrd.gz" "$work/syslinux.cfg" "$work/record-prepared" "$mbr_bin" \
        -- "$disk_bytes $part_start" "$(syslinux --version 2>&1 | head -n 1)")
if ! fresh installed-disk "$k" "$out/installed.img" "$out/installed.qcow2"; then
  log "installed system: disk image (mtools + syslinux, no mounts)"
  part=$work/part.img
  rm -f "$part"
  truncate -s $((part_sectors * 512)) "$part"
  # -H: hidden sectors = the partition's offset; -N: a fixed volume serial
  mformat -i "$part" -T "$part_sectors" -h 64 -s 32 -H "$part_start" -v VMITEST -N 564d4954 ::
  syslinux --install "$part"
  mcopy -i "$part" -m "$vmlinuz" ::/vmlinuz
  mcopy -i "$part" "$work/installed-initrd.gz" ::/initrd.img
  mcopy -i "$part" "$work/syslinux.cfg" ::/syslinux.cfg
  "${tool[@]}" mkdisk "$out/installed.img" --mbr "$mbr_bin" --part "$part" \
    --start "$part_start" --size "$disk_bytes" --signature 564d4954 \
    --record "$work/record-prepared"
  rm -f "$part"
  qemu-img convert -f raw -O qcow2 "$out/installed.img" "$out/installed.qcow2.tmp"
  mv "$out/installed.qcow2.tmp" "$out/installed.qcow2"
  done_step installed-disk "$k" "$out/installed.img" "$out/installed.qcow2"
fi

# ---- 4. the installer initramfs -----------------------------------------------
write_if_changed "$work/release-installer" <<EOF
VMInstall Test OS 1, installer
kernel package: $kernel_pkg_line
busybox-static: $busybox_version
EOF
k=$(key "$out/installed.img" "$here/installer-init.sh" "$work/installed.spec" "${spec_files[@]}" "$work/release-installer")
if ! fresh installer-initrd "$k" "$work/installer-initrd.gz"; then
  log "installer: initramfs carrying installed.img"
  gzip -n -1 -c "$out/installed.img" >"$work/installed.img.gz"
  {
    echo "IMAGE_BYTES=$(stat -c %s "$out/installed.img")"
    echo "IMAGE_SHA256=$(sha256sum "$out/installed.img" | cut -c1-64)"
  } >"$work/image.info"
  initramfs_spec "$here/installer-init.sh" "$work/release-installer" \
    "dir /vmitest 0755" \
    "file /vmitest/installed.img.gz 0644 $work/installed.img.gz" \
    "file /vmitest/image.info 0644 $work/image.info" >"$work/installer.spec"
  "${tool[@]}" cpio "$work/installer-initrd.gz" "$work/installer.spec"
  rm -f "$work/installed.img.gz"
  done_step installer-initrd "$k" "$work/installer-initrd.gz"
fi
initrd=$work/installer-initrd.gz

# ---- 5. media layouts ----------------------------------------------------------
# isolinux_cfg KERNEL INITRD: a config that boots straight into the installer
isolinux_cfg() {
  cat <<EOF
SERIAL 0 115200
DEFAULT install
PROMPT 0
TIMEOUT 0
LABEL install
  KERNEL $1
  INITRD $2
  APPEND console=tty0 console=ttyS0 quiet
EOF
}
layouts=("$out/kernel" "$out/tree" "$out/debian-tree" "$out/cdrom.iso" "$out/tree.iso")
k=$(key "$vmlinuz" "$initrd" "$isolinux_bin" "$ldlinux_c32")
if ! fresh layouts "$k" "${layouts[@]}"; then
  log "layouts: kernel/, tree/, debian-tree/, cdrom.iso, tree.iso"
  rm -rf "$work/layouts"
  mkdir -p "$work/layouts"
  L=$work/layouts

  # bare kernel + initrd (--install kernel=,initrd=)
  link "$vmlinuz" "$L/kernel/vmlinuz"
  link "$initrd" "$L/kernel/initrd.img"

  # .treeinfo + Fedora layout (images/pxeboot), bootable as an ISO too
  T=$L/tree
  link "$vmlinuz" "$T/images/pxeboot/vmlinuz"
  link "$initrd" "$T/images/pxeboot/initrd.img"
  link "$vmlinuz" "$T/images/xen/vmlinuz"
  link "$initrd" "$T/images/xen/initrd.img"
  mkdir -p "$T/isolinux"
  cp "$isolinux_bin" "$ldlinux_c32" "$T/isolinux/"
  isolinux_cfg /images/pxeboot/vmlinuz /images/pxeboot/initrd.img >"$T/isolinux/isolinux.cfg"
  ksum=$(sha256sum "$vmlinuz" | cut -c1-64)
  isum=$(sha256sum "$initrd" | cut -c1-64)
  cat >"$T/.treeinfo" <<EOF
[header]
type = productmd.treeinfo
version = 1.2

[release]
name = VMInstall Test OS
short = VMITest
version = 1

[tree]
arch = x86_64
build_timestamp = 0
platforms = x86_64,xen

[general]
family = VMInstall Test OS
version = 1
name = VMInstall Test OS 1
arch = x86_64
platforms = x86_64,xen
timestamp = 0

[images-x86_64]
kernel = images/pxeboot/vmlinuz
initrd = images/pxeboot/initrd.img

[images-xen]
kernel = images/xen/vmlinuz
initrd = images/xen/initrd.img

[checksums]
images/pxeboot/vmlinuz = sha256:$ksum
images/pxeboot/initrd.img = sha256:$isum
images/xen/vmlinuz = sha256:$ksum
images/xen/initrd.img = sha256:$isum
EOF

  # Debian mirror layout (--location .../debian-tree/dists/bookworm/main/installer-amd64/)
  D=$L/debian-tree/dists/bookworm/main/installer-amd64/current/images
  link "$vmlinuz" "$D/netboot/debian-installer/amd64/linux"
  link "$initrd" "$D/netboot/debian-installer/amd64/initrd.gz"
  link "$vmlinuz" "$D/netboot/xen/vmlinuz"
  link "$initrd" "$D/netboot/xen/initrd.gz"
  cat >"$D/MANIFEST" <<'EOF'
netboot/debian-installer/amd64/linux	Debian installer kernel (the vminstall test OS: Debian's cloud kernel)
netboot/debian-installer/amd64/initrd.gz	Debian installer initrd (the vminstall test OS installer, busybox)
netboot/xen/vmlinuz	Debian installer kernel for Xen
netboot/xen/initrd.gz	Debian installer initrd for Xen
EOF

  # El Torito CD-ROM that boots the installer (--cdrom)
  C=$work/cdrom
  rm -rf "$C"
  link "$vmlinuz" "$C/isolinux/vmlinuz"
  link "$initrd" "$C/isolinux/initrd.img"
  cp "$isolinux_bin" "$ldlinux_c32" "$C/isolinux/"
  isolinux_cfg /isolinux/vmlinuz /isolinux/initrd.img >"$C/isolinux/isolinux.cfg"
  eltorito=(-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table)
  mkiso() { # mkiso OUT VOLID DIR
    xorriso -as mkisofs -quiet -o "$1" -V "$2" -R -J "${eltorito[@]}" "$3" 2>"$work/xorriso.log" ||
      { cat "$work/xorriso.log" >&2; die "xorriso failed to write $1"; }
  }
  mkiso "$L/cdrom.iso" VMITEST_CDROM "$C"
  rm -rf "$C"
  # the tree as an ISO 9660 image with Rock Ridge and Joliet (--location X.iso)
  mkiso "$L/tree.iso" VMITEST_TREE "$T"

  for o in "${layouts[@]}"; do
    rm -rf "$o"
    mv "$L/${o##*/}" "$o"
  done
  rm -rf "$L"
  done_step layouts "$k" "${layouts[@]}"
fi

# ---- 6. MANIFEST -----------------------------------------------------------------
"${tool[@]}" manifest "$out"
log "done: $out (see $out/MANIFEST)"
