#!/usr/bin/env bash
# tests/media-trees/build-trees.sh OUTDIR [--big] [--stamp FILE]
#
# Builds the install-media fixtures of the media tests from Debian packages
# only (xorriso, isolinux, python3), nothing downloaded:
#
#   OUTDIR/trees/NAME/   directory trees, one per distribution family and
#                        layout, and broken ones
#   OUTDIR/isos/NAME.iso ISO 9660 images (Rock Ridge, Joliet, El Torito),
#                        and broken ones (truncated, corrupt, loops ...)
#   OUTDIR/big.iso       with --big only: a 4 GB sparse image for
#                        bench/media-extract.sh (kernel and initrd after
#                        3.9 GB of squashfs, 2000 small files)
#   --stamp FILE         touched when done (for meson)
#
# Kernels and initrds are small dummy files, except that the tiny test OS's
# real ones (tests/media-out/kernel/, made by tests/media/build-media.sh)
# are used when present.  tests/data/media-detect/expected.txt says what
# each fixture must be detected as.  Idempotent: rebuilds only when this
# script changed.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${1:?usage: build-trees.sh OUTDIR [--big] [--stamp FILE]}
shift
big= touch_stamp=
while [ $# -gt 0 ]; do
  case $1 in
    --big) big=--big ;;
    --stamp) touch_stamp=${2:?--stamp needs a file}; shift ;;
    *) echo "build-trees: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
stamp="$out/.stamp"
version=$(cat "$0" "$here/isopatch.py" | sha256sum | cut -c1-16)

mkdir -p "$out"
if [ -z "$big" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
  [ -z "$touch_stamp" ] || touch "$touch_stamp"
  exit 0
fi

isolinux=/usr/lib/ISOLINUX/isolinux.bin
for tool in xorriso python3; do
  command -v "$tool" >/dev/null || { echo "build-trees: $tool is missing (Debian package $tool)" >&2; exit 1; }
done
[ -f "$isolinux" ] || { echo "build-trees: $isolinux is missing (Debian package isolinux)" >&2; exit 1; }

work=$(mktemp -d "$out/.work-XXXXXX")
trap 'chmod -R u+rwx "$work" 2>/dev/null; rm -rf "$work"' EXIT

# ---- file makers ----------------------------------------------------------

real_kernel="$top/tests/media-out/kernel/vmlinuz"
real_initrd="$top/tests/media-out/kernel/initrd.img"

# kernel PATH / initrd PATH: a recognisable dummy (or the test OS's own)
kernel() {
  mkdir -p "$(dirname "$1")"
  if [ -f "$real_kernel" ] && [ "${REAL:-}" = 1 ]; then cp "$real_kernel" "$1"; return; fi
  { printf 'VMINSTALL TEST KERNEL %s\n' "${1#"$work"/}"; head -c 4096 /dev/zero | tr '\0' 'K'; } > "$1"
}
initrd() {
  mkdir -p "$(dirname "$1")"
  if [ -f "$real_initrd" ] && [ "${REAL:-}" = 1 ]; then cp "$real_initrd" "$1"; return; fi
  { printf 'VMINSTALL TEST INITRD %s\n' "${1#"$work"/}"; head -c 8192 /dev/zero | tr '\0' 'I'; } > "$1"
}
text() {   # text PATH LINE...
  mkdir -p "$(dirname "$1")"
  local f=$1; shift
  printf '%s\n' "$@" > "$f"
}
boot() {   # boot DIR: El Torito boot image
  mkdir -p "$1/isolinux"
  cp "$isolinux" "$1/isolinux/isolinux.bin"
}
# mkiso NAME VOLID SRCDIR [xorriso -as mkisofs options...] (default: -R -J, bootable)
mkiso() {
  local name=$1 vol=$2 src=$3; shift 3
  local opts=("$@")
  [ ${#opts[@]} -gt 0 ] || opts=(-R -J)
  if [ -f "$src/isolinux/isolinux.bin" ]; then
    opts+=(-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4)
  fi
  xorriso -as mkisofs -quiet -V "$vol" "${opts[@]}" -o "$work/isos/$name.iso" "$src" 2>/dev/null
}

mkdir -p "$work/trees" "$work/isos" "$work/src"
T=$work/trees
S=$work/src

# ---- .treeinfo trees --------------------------------------------------------

d=$T/treeinfo-fedora36
text "$d/.treeinfo" '[general]' 'family = Fedora' 'version = 36' 'name = Fedora 36' \
  'arch = x86_64' 'variant = Server' 'packagedir = Packages' '' \
  '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img' \
  'boot.iso = images/boot.iso' '' \
  '[images-xen]' 'kernel = images/xen/vmlinuz' 'initrd = images/xen/initrd.img' '' \
  '[variant-Server]' 'id = Server' 'name = Server' 'packages = Packages' '' \
  '[checksums]' 'images/pxeboot/vmlinuz = sha256:0000'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"
kernel "$d/images/xen/vmlinuz"; initrd "$d/images/xen/initrd.img"

# Fedora trees without a version osinfo-db knows: fedora-unknown
d=$T/treeinfo-fedora-rawhide
text "$d/.treeinfo" '[general]' 'family = Fedora' 'version = rawhide' 'arch = x86_64' '' \
  '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# RHEL 8.6, productmd 1.2 with the [general] compatibility section
d=$T/treeinfo-rhel86
text "$d/.treeinfo" '[header]' 'type = productmd.treeinfo' 'version = 1.2' '' \
  '[release]' 'name = Red Hat Enterprise Linux' 'short = RHEL' 'version = 8.6' '' \
  '[tree]' 'arch = x86_64' 'platforms = x86_64,xen' 'variants = AppStream,BaseOS' '' \
  '[general]' 'family = Red Hat Enterprise Linux' 'version = 8.6' 'name = Red Hat Enterprise Linux 8.6' \
  'arch = x86_64' 'variant = BaseOS' 'packagedir = BaseOS/Packages' '' \
  '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img' '' \
  '[images-xen]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# RHEL 8.99: osinfo-db stops earlier; virt-install walks down to 8.x it knows
d=$T/treeinfo-rhel899
text "$d/.treeinfo" '[general]' 'family = Red Hat Enterprise Linux' 'version = 8.99' 'arch = x86_64' '' \
  '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# CentOS 7 ("version = 7", altarch style) and aarch64 images
d=$T/treeinfo-centos7-aarch64
text "$d/.treeinfo" '[general]' 'family = CentOS' 'version = 7' 'arch = aarch64' '' \
  '[images-aarch64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# productmd without [general]: virt-install cannot read it
d=$T/treeinfo-productmd-only
text "$d/.treeinfo" '[header]' 'type = productmd.treeinfo' 'version = 1.2' '' \
  '[release]' 'name = Fedora' 'short = Fedora' 'version = 36' '' \
  '[tree]' 'arch = x86_64' 'platforms = x86_64' '' \
  '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# "treeinfo" without the dot (Red Hat's CDN), an unknown family
d=$T/treeinfo-nodot-generic
text "$d/treeinfo" '[general]' 'family = Frobnix Linux' 'version = 3' 'arch = x86_64' '' \
  '[images-x86_64]' 'kernel = boot/vmlinuz' 'initrd = boot/initrd.img'
kernel "$d/boot/vmlinuz"; initrd "$d/boot/initrd.img"

# configparser syntax: "key: value", comments, continuation lines, case
d=$T/treeinfo-syntax
text "$d/.treeinfo" '# a comment' '[general]' 'Family: CentOS Stream' '; another comment' \
  'VERSION = 9' 'arch=x86_64' 'name = CentOS' '  Stream 9' '' \
  '[images-x86_64]' 'KERNEL = images/pxeboot/vmlinuz' 'initrd:images/pxeboot/initrd.img'
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# pxeboot images without any .treeinfo (not detected by virt-install)
d=$T/pxeboot-bare
kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

# ---- Debian and Ubuntu --------------------------------------------------------

for arch in amd64 i386; do
  d=$T/debian-url/debian/dists/bullseye/main/installer-$arch
  text "$d/current/images/MANIFEST" 'netboot/debian-installer/'"$arch"': Debian installer netboot image'
  kernel "$d/current/images/netboot/debian-installer/$arch/linux"
  initrd "$d/current/images/netboot/debian-installer/$arch/initrd.gz"
  kernel "$d/current/images/netboot/xen/vmlinuz"; initrd "$d/current/images/netboot/xen/initrd.gz"
done

d=$T/debian-daily/daily-images/amd64
text "$d/daily/MANIFEST" 'netboot/debian-installer/amd64: Debian installer netboot (daily)'
kernel "$d/daily/netboot/debian-installer/amd64/linux"; initrd "$d/daily/netboot/debian-installer/amd64/initrd.gz"

d=$T/ubuntu-url/ubuntu/dists/focal/main/installer-amd64
text "$d/current/legacy-images/MANIFEST" 'netboot/ubuntu-installer/amd64: Ubuntu installer netboot image'
kernel "$d/current/legacy-images/netboot/ubuntu-installer/amd64/linux"
initrd "$d/current/legacy-images/netboot/ubuntu-installer/amd64/initrd.gz"

# A Debian CD's contents copied to disk (a mounted ISO)
d=$S/debian-cd
text "$d/.disk/info" 'Debian GNU/Linux 11.5.0 "Bullseye" - Official amd64 NETINST 20220910-10:38'
for a in amd 386 a64; do kernel "$d/install.$a/vmlinuz"; initrd "$d/install.$a/initrd.gz"; done
kernel "$d/install.amd/xen/vmlinuz"; initrd "$d/install.amd/xen/initrd.gz"
mkdir -p "$d/pool/main/b/base-files" && echo deb > "$d/pool/main/b/base-files/base-files_11.1_amd64.deb"
boot "$d"
cp -a "$d" "$T/debian-cd-dir"
rm -rf "$T/debian-cd-dir/isolinux"

# Ubuntu live (casper), as a directory
d=$S/ubuntu-live
text "$d/.disk/info" 'Ubuntu-Server 22.04.1 LTS "Jammy Jellyfish" - Release amd64 (20220809.1)'
kernel "$d/casper/vmlinuz"; initrd "$d/casper/initrd"
boot "$d"
cp -a "$d" "$T/ubuntu-live-dir"
rm -rf "$T/ubuntu-live-dir/isolinux"

# ---- SUSE ------------------------------------------------------------------

d=$S/opensuse-leap
text "$d/content" 'CONTENTSTYLE 11' 'DATADIR suse' 'DESCRDIR suse/setup/descr' \
  'DISTRO cpe:/o:opensuse:leap:15.4,openSUSE Leap 15.4' 'LABEL openSUSE Leap 15.4' \
  'VERSION 15.4-0' 'BASEARCHS x86_64'
kernel "$d/boot/x86_64/loader/linux"; initrd "$d/boot/x86_64/loader/initrd"
boot "$d"
cp -a "$d" "$T/opensuse-leap"
rm -rf "$T/opensuse-leap/isolinux"

d=$T/sles12sp3
text "$d/content" 'DISTRO cpe:/o:suse:sles:12:sp3,SUSE Linux Enterprise Server 12 SP3' \
  'REPOID obsproduct://build.suse.de/SUSE:SLE-12-SP3:GA/SLES/12.3/DVD/x86_64'
kernel "$d/boot/x86_64/loader/linux"; initrd "$d/boot/x86_64/loader/initrd"
kernel "$d/boot/x86_64/vmlinuz-xen"; initrd "$d/boot/x86_64/initrd-xen"

# ---- Mageia, Mandriva, ALT -----------------------------------------------------

d=$T/mageia8
text "$d/VERSION" 'Mageia 8 x86_64 DVD Official-Release-8 20210217 12:00'
kernel "$d/isolinux/x86_64/vmlinuz"; initrd "$d/isolinux/x86_64/all.rdz"
kernel "$d/isolinux/i586/vmlinuz"; initrd "$d/isolinux/i586/all.rdz"

d=$T/mandriva2010
text "$d/VERSION" 'Mandriva Linux 2010.2 Free-Download i586 DVD (20100705)'
kernel "$d/isolinux/alt0/vmlinuz"; initrd "$d/isolinux/alt0/all.rdz"

d=$S/alt-server10
text "$d/.disk/info" 'ALT Server 10.0 x86_64 build 2021-12-14'
kernel "$d/syslinux/alt0/vmlinuz"; initrd "$d/syslinux/alt0/full.cz"
kernel "$d/boot/vmlinuz"; initrd "$d/boot/full.cz"
mkdir -p "$d/ALTLinux/base" && text "$d/ALTLinux/base/release" 'Origin: ALT Linux Team'
boot "$d"
cp -a "$d" "$T/alt-server10"
rm -rf "$T/alt-server10/isolinux"

# ---- Solaris (xVM PV media: tests/data/xl and solaris.c) -----------------------

# solaris_kernels DIR PREFIX: the i86xpv PV kernels, 32- and 64-bit, under
# PREFIX (Nevada: boot/; OpenSolaris: the root)
solaris_kernels() {
  kernel "$1/${2}platform/i86xpv/kernel/unix"
  kernel "$1/${2}platform/i86xpv/kernel/amd64/unix"
}

# OpenSolaris 2008.11 live CD: one x86.microroot for both widths (the 64-bit
# kernel falls back to it: "OpenSolaris ramdisk (pre-2009.06)")
d=$T/solaris-opensolaris-200811
solaris_kernels "$d" ""
initrd "$d/boot/x86.microroot"
text "$d/.image_info" 'IMAGE_SIZE=1024000' 'GRUB_MIN_MEM64=1000'
: > "$d/.livecd"; echo zlib > "$d/solaris.zlib"

# OpenSolaris 2009.06 live CD, as an ISO: a microroot for each width
d=$S/solaris-opensolaris-200906
solaris_kernels "$d" ""
initrd "$d/boot/x86.microroot"; initrd "$d/boot/amd64/x86.microroot"
text "$d/.image_info" 'IMAGE_SIZE=1150000' 'GRUB_MIN_MEM64=1000'
: > "$d/.livecd"; echo zlib > "$d/solaris.zlib"
boot "$d"
mkiso solaris-opensolaris-200906 "OpenSolaris 2009.06" "$d"

# OpenSolaris after 2009.06 (b134): boot_archive per width
d=$T/solaris-opensolaris-b134
solaris_kernels "$d" ""
initrd "$d/platform/i86pc/boot_archive"; initrd "$d/platform/i86pc/amd64/boot_archive"
: > "$d/.livecd"; echo zlib > "$d/solaris.zlib"

# Nevada (Solaris Express, snv_130) DVD contents: kernels and miniroots under boot/
d=$T/solaris-nevada-b130
solaris_kernels "$d" "boot/"
initrd "$d/boot/x86.miniroot"; initrd "$d/boot/amd64/x86.miniroot"
text "$d/.cdtoc" 'PRODNAME=Solaris' 'PRODVERS=11' 'PRODDIR=Solaris_11/Product'
text "$d/Solaris_11/Product/.packagetoc" 'PKG=SUNWcsr'

# a bootable AI image (b134), as an ISO: auto_install/ and its default manifest
d=$S/solaris-ai-b134
solaris_kernels "$d" ""
initrd "$d/platform/i86pc/boot_archive"; initrd "$d/platform/i86pc/amd64/boot_archive"
text "$d/auto_install/default.xml" '<?xml version="1.0"?>' \
  '<auto_install><ai_instance name="default"/></auto_install>'
: > "$d/.autoinstall"; echo zlib > "$d/solaris.zlib"
boot "$d"
mkiso solaris-ai-b134 "osol-1002-134-ai-x86" "$d"

# ---- broken trees ------------------------------------------------------------

treeinfo_min() {  # treeinfo_min DIR: a .treeinfo naming images/pxeboot
  text "$1/.treeinfo" '[general]' 'family = Fedora' 'version = 36' 'arch = x86_64' '' \
    '[images-x86_64]' 'kernel = images/pxeboot/vmlinuz' 'initrd = images/pxeboot/initrd.img'
}
d=$T/broken-symlink-escape
treeinfo_min "$d"; mkdir -p "$d/images/pxeboot"
ln -s /etc/passwd "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

d=$T/broken-symlink-relative-escape
treeinfo_min "$d"; mkdir -p "$d/images/pxeboot"
ln -s "$(printf "../%.0s" $(seq 1 40))etc/hostname" "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

d=$T/broken-symlink-loop
treeinfo_min "$d"; mkdir -p "$d/images/pxeboot"
ln -s vmlinuz2 "$d/images/pxeboot/vmlinuz"; ln -s vmlinuz "$d/images/pxeboot/vmlinuz2"
initrd "$d/images/pxeboot/initrd.img"

d=$T/broken-dir-loop
treeinfo_min "$d"; ln -s images "$d/images"

d=$T/symlink-inside   # links that stay inside the tree are fine
treeinfo_min "$d"; kernel "$d/real/vmlinuz-5.10"; initrd "$d/real/initrd-5.10"
mkdir -p "$d/images/pxeboot"
ln -s ../../real/vmlinuz-5.10 "$d/images/pxeboot/vmlinuz"
ln -s ../../real/initrd-5.10 "$d/images/pxeboot/initrd.img"

d=$T/broken-absurd-size
treeinfo_min "$d"; mkdir -p "$d/images/pxeboot"
truncate -s 3G "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"

d=$T/broken-not-a-file
treeinfo_min "$d"; kernel "$d/images/pxeboot/vmlinuz"; mkdir -p "$d/images/pxeboot/initrd.img"

d=$T/broken-unreadable   # mode 000: fails for anyone but root
treeinfo_min "$d"; kernel "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"
chmod 000 "$d/images/pxeboot/initrd.img"

d=$T/broken-treeinfo-garbage
mkdir -p "$d"; head -c 3000 /dev/urandom > "$d/.treeinfo"
kernel "$d/images/pxeboot/vmlinuz"

d=$T/broken-kernel-missing
treeinfo_min "$d"; initrd "$d/images/pxeboot/initrd.img"

mkdir -p "$T/empty"

# ---- ISO images ----------------------------------------------------------------

# osinfo-db media (volume id + El Torito): debian11, with the test OS's
# real kernel when there is one
d=$S/debian11-netinst
cp -a "$S/debian-cd/." "$d/"
REAL=1 kernel "$d/install.amd/vmlinuz"; REAL=1 initrd "$d/install.amd/initrd.gz"
mkiso debian11-netinst "Debian 11.5.0 amd64 n" "$d"
# the same without El Torito: libosinfo identifies nothing, .disk/info decides
rm -rf "$S/debian-noboot" && cp -a "$d" "$S/debian-noboot" && rm -rf "$S/debian-noboot/isolinux"
mkiso debian-noboot "Debian 11.5.0 amd64 n" "$S/debian-noboot"
# a Debian volume osinfo-db does not know (Debian 12 is newer than it)
mkiso debian12-unknown "Debian 12.1.0 amd64 n" "$S/debian-cd"
# Joliet names only, and plain ISO 9660 names only
mkiso debian-joliet-only "Debian 11.5.0 amd64 n" "$S/debian-cd" -J
xorriso -outdev "$work/isos/ubuntu-plain9660.iso" -rockridge off -joliet off \
  -volid "Ubuntu-Server 22.04.1 LTS amd64" -map "$S/ubuntu-live" / \
  -boot_image isolinux bin_path=/isolinux/isolinux.bin >/dev/null 2>&1

mkiso ubuntu2204-live "Ubuntu-Server 22.04.1 LTS amd64" "$S/ubuntu-live"

d=$S/fedora36-dvd
cp -a "$T/treeinfo-fedora36/." "$d/"
boot "$d"; kernel "$d/isolinux/vmlinuz"; initrd "$d/isolinux/initrd.img"
mkiso fedora36-dvd "Fedora-S-dvd-x86_64-36" "$d"
mkiso fedora-unknown-volume "Frobnix-dvd-x86_64-1" "$d"

mkiso opensuse-leap154 "openSUSE-Leap-15.4-DVD-x86_64" "$S/opensuse-leap" \
  -R -J -sysid LINUX -publisher "SUSE LINUX GmbH"
# without the publisher osinfo-db wants: the content file decides
mkiso opensuse-leap154-nopublisher "openSUSE-Leap-15.4-DVD-x86_64" "$S/opensuse-leap"

d=$S/mageia8-dvd
text "$d/VERSION" 'Mageia 8 x86_64 DVD Official-Release-8 20210217 12:00'
kernel "$d/boot/vmlinuz"; initrd "$d/boot/all.rdz"
kernel "$d/isolinux/x86_64/vmlinuz"; initrd "$d/isolinux/x86_64/all.rdz"
boot "$d"
mkiso mageia8-dvd "Mageia-8-x86_64" "$d" -R -J -sysid LINUX -publisher MAGEIA.ORG
mkiso mageia8-nopublisher "Mageia-8-x86_64" "$d"

mkiso alt-server10 "ALT Server 10.0 x86_64" "$S/alt-server10" -R -J -sysid LINUX -publisher "BASEALT LTD"
mkiso alt-server10-nopublisher "ALT Server 10.0 x86_64" "$S/alt-server10"

# Rock Ridge symlinks and hard links
d=$S/links
treeinfo_min "$d"; boot "$d"
kernel "$d/real/vmlinuz-5.10"; initrd "$d/real/initrd-5.10"
mkdir -p "$d/images/pxeboot"
ln -s ../../real/vmlinuz-5.10 "$d/images/pxeboot/vmlinuz"
ln "$d/real/initrd-5.10" "$d/images/pxeboot/initrd.img"
mkiso rr-links "LINKS" "$d" -R --hardlinks

d=$S/links-escape
treeinfo_min "$d"; boot "$d"; mkdir -p "$d/images/pxeboot"
ln -s /etc/passwd "$d/images/pxeboot/vmlinuz"; initrd "$d/images/pxeboot/initrd.img"
mkiso broken-rr-symlink-escape "ESCAPE" "$d" -R

d=$S/links-loop
treeinfo_min "$d"; boot "$d"; mkdir -p "$d/images/pxeboot"
ln -s vmlinuz2 "$d/images/pxeboot/vmlinuz"; ln -s vmlinuz "$d/images/pxeboot/vmlinuz2"
initrd "$d/images/pxeboot/initrd.img"
mkiso broken-rr-symlink-loop "LOOP" "$d" -R

# ---- broken ISO images ---------------------------------------------------------

I=$work/isos
p() { python3 "$here/isopatch.py" "$@"; }

size=$(stat -c %s "$I/debian11-netinst.iso")
head -c $((size / 2)) "$I/debian11-netinst.iso" > "$I/broken-truncated.iso"
head -c 40000 "$I/debian11-netinst.iso" > "$I/broken-truncated-early.iso"

# Rock Ridge only, so that libarchive reads the tree these patches change
mkiso broken-dir-loop "Debian 11.5.0 amd64 n" "$S/debian-cd" -R
p loop "$I/broken-dir-loop.iso" install.amd
mkiso broken-absurd-size "Debian 11.5.0 amd64 n" "$S/debian-cd" -R
p size "$I/broken-absurd-size.iso" install.amd/vmlinuz 4294967040
mkiso broken-extent-outside "Debian 11.5.0 amd64 n" "$S/debian-cd" -R
p extent "$I/broken-extent-outside.iso" install.amd/initrd.gz 99999999
mkiso broken-rr-name-escape "Debian 11.5.0 amd64 n" "$S/debian-cd" -R
p rrname "$I/broken-rr-name-escape.iso" install.amd/vmlinuz "../../x"
mkiso broken-smashed-dir "Debian 11.5.0 amd64 n" "$S/debian-cd" -R
p smash "$I/broken-smashed-dir.iso" install.amd

head -c 1048576 /dev/urandom > "$I/broken-garbage.iso"
: > "$I/broken-empty.iso"
# a valid ISO holding nothing installable
mkdir -p "$S/nothing" && echo hello > "$S/nothing/README"
mkiso nothing "NOTHING" "$S/nothing"

# ---- the 4 GB benchmark image --------------------------------------------------

if [ "$big" = --big ]; then
  d=$S/big
  mkdir -p "$d/LiveOS" "$d/install.amd" "$d/.disk"
  boot "$d"
  text "$d/.disk/info" 'Debian GNU/Linux 11.5.0 "Bullseye" - Official amd64 DVD 20220910-10:38'
  truncate -s 3900M "$d/LiveOS/squashfs.img"
  # kernel and initrd of realistic sizes, incompressible, after the big file
  python3 -c "import random,sys; r=random.Random(1); sys.stdout.buffer.write(r.randbytes(8_000_000))" > "$d/install.amd/vmlinuz"
  python3 -c "import random,sys; r=random.Random(2); sys.stdout.buffer.write(r.randbytes(40_000_000))" > "$d/install.amd/initrd.gz"
  for i in $(seq 1 40); do
    mkdir -p "$d/pool/main/p$i"
    for j in $(seq 1 50); do echo "$i $j" > "$d/pool/main/p$i/package-$j-with-a-longer-name_1.0_amd64.deb"; done
  done
  xorriso -as mkisofs -quiet -iso-level 3 -R -J -V "Debian 11.5.0 amd64 1" \
    -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 \
    -o - "$d" 2>/dev/null | dd of="$out/big.iso.tmp" bs=1M conv=sparse status=none
  mv "$out/big.iso.tmp" "$out/big.iso"
  mkdir -p "$out/big-files"
  cp "$d/install.amd/vmlinuz" "$d/install.amd/initrd.gz" "$out/big-files/"
fi

# ---- publish -------------------------------------------------------------------

rm -rf "$out/src"
for kind in trees isos; do
  if [ -d "$out/$kind" ]; then chmod -R u+rwx "$out/$kind"; rm -rf "$out/$kind"; fi
  mv "$work/$kind" "$out/$kind"
done
mv "$work/src" "$out/src"
echo "$version" > "$stamp"
[ -z "$touch_stamp" ] || touch "$touch_stamp"
