#!/bin/sh
# /init of the vminstall test installer.  Writes /vmitest/installed.img.gz
# (a BIOS-bootable disk: syslinux + kernel + the installed system's
# initramfs) onto the first disk, records the install in the disk's sector
# 1, then stops (vmitest.end=, default reboot: an installer reboots, and a
# virt-install-style install turns that into a stop with on_reboot=destroy).
# shellcheck source=vmitest-lib.sh
. /lib/vmitest.sh
vmi_setup

fail() {
  say "VMINSTALL-TEST-INSTALLER-FAILED $*"
  vmi_end reboot
}

say "VMINSTALL-TEST-INSTALLER-START"
vmi_info
vmi_cat
vmi_load_modules

if [ -n "$VMI_DISK" ]; then
  disk=$(vmi_wait_disk "$VMI_DISK") || fail "no disk /dev/$VMI_DISK (vmitest.disk=)"
else
  disk=$(vmi_wait_disk) || fail "no disk (looked for vd*, sd*, hd*, xvd*, nvme* for ${VMI_WAIT}s)"
fi
say "vmitest: all disks: $(vmi_disks | tr '\n' ' ')"
say "vmitest: target $(vmi_disk_line "$disk")"

# shellcheck disable=SC1091  # made by build-media.sh
. /vmitest/image.info   # IMAGE_BYTES, IMAGE_SHA256
bytes=$(($(cat "/sys/block/$disk/size") * 512))
[ "$bytes" -ge "$IMAGE_BYTES" ] ||
  fail "disk /dev/$disk has $bytes bytes, the image needs $IMAGE_BYTES"

if [ "$VMI_DELAY" != 0 ]; then
  say "vmitest: waiting ${VMI_DELAY}s (vmitest.delay=)"
  sleep "$VMI_DELAY"
fi

say "vmitest: writing $IMAGE_BYTES bytes to /dev/$disk"
gunzip -c /vmitest/installed.img.gz | dd of="/dev/$disk" bs=1M conv=fsync 2>/tmp/dd.err ||
  fail "writing /dev/$disk: $(cat /tmp/dd.err)"
if [ "$VMI_VERIFY" = 1 ]; then
  sum=$(head -c "$IMAGE_BYTES" "/dev/$disk" | sha256sum | cut -d' ' -f1)
  [ "$sum" = "$IMAGE_SHA256" ] || fail "read back /dev/$disk: sha256 $sum, wrote $IMAGE_SHA256"
  say "vmitest: verified sha256 $sum"
fi

[ -n "$VMI_ID" ] || VMI_ID=$(cat /proc/sys/kernel/random/uuid)
{
  echo "VMITEST-RECORD 1"
  echo "installed-by=installer"
  echo "install-id=$VMI_ID"
  echo "install-disk=$disk"
  echo "install-cmdline=$(cut -c1-300 /proc/cmdline)"
} >/tmp/record
dd if=/tmp/record of="/dev/$disk" bs=512 seek=1 count=1 conv=sync,fsync 2>/dev/null ||
  fail "writing the install record to /dev/$disk"
sync
say "vmitest: install-id=$VMI_ID"
say "VMINSTALL-TEST-INSTALLER-DONE"
vmi_end reboot
