#!/bin/sh
# /init of the installed vminstall test system, booted by syslinux from the
# disk the installer wrote (or from installed.img as it is).  Prints its
# marker, which disk it booted from and the install record found there,
# then stops (vmitest.end=, default poweroff).
# shellcheck source=vmitest-lib.sh
. /lib/vmitest.sh
vmi_setup

say "VMINSTALL-TEST-INSTALLED-BOOT"
vmi_info
vmi_cat
vmi_load_modules

boot=
if vmi_wait_disk "$VMI_DISK" >/dev/null; then
  # give the other disks of a multi-disk guest a moment to show up
  usleep 200000
  for d in $(vmi_disks); do
    say "vmitest: $(vmi_disk_line "$d")"
    [ -z "$boot" ] && vmi_record "$d" | grep -q '^VMITEST-RECORD' && boot=$d
  done
fi
if [ -n "$boot" ]; then
  say "vmitest: boot-disk=$boot"
  for p in /dev/"$boot"*[0-9]; do
    [ -b "$p" ] && line=$(vmi_fat_line "$p") && say "vmitest: filesystem $line"
  done
  vmi_record "$boot" | while IFS= read -r line; do say "vmitest: record: $line"; done
else
  say "vmitest: no disk carries the install record (disks: $(vmi_disks | tr '\n' ' '))"
fi
# like a cloud image: the cloud-init seed, if any (vmitest-lib.sh)
vmi_cidata
say "VMINSTALL-TEST-INSTALLED-DONE"
vmi_end poweroff
