# shellcheck shell=sh disable=SC2034  # the settings are read by the two /init scripts
# /lib/vmitest.sh: shared by the /init of the test installer and of the
# installed test system (busybox ash).  Everything a test looks for is
# printed on the console and, when the console is not the first serial port,
# on /dev/ttyS0 as well, so that the markers reach a serial log whatever
# kernel command line the tool under test chose.
#
# Kernel command line words read here (all optional):
#   vmitest.end=poweroff|reboot|halt|hang|crash   how the system stops
#   vmitest.cat=/path[,/path...]   print these files (repeatable)
#   vmitest.disk=NAME              use /dev/NAME instead of the first disk
#   vmitest.wait=SECONDS           how long to wait for a disk (default 20)
#   vmitest.delay=SECONDS          sleep before doing the work (default 0)
#   vmitest.id=WORD                install id written to the disk record
#   vmitest.verify=1               installer: read the image back and check it

export PATH=/bin

VMI_SERIAL=
VMI_END=
VMI_CATS=
VMI_DISK=
VMI_WAIT=20
VMI_DELAY=0
VMI_ID=
VMI_VERIFY=0

say() {
  echo "$*"
  [ -n "$VMI_SERIAL" ] && echo "$*" >"$VMI_SERIAL"
}

vmi_setup() {
  /bin/busybox mkdir -p /bin /proc /sys /dev /tmp
  /bin/busybox --install -s /bin
  mount -t proc proc /proc
  mount -t sysfs sysfs /sys
  mount -t devtmpfs devtmpfs /dev 2>/dev/null
  # keep kernel messages from cutting through the marker lines
  dmesg -n 1
  if [ -c /dev/ttyS0 ] && ! grep -qw ttyS0 /sys/class/tty/console/active 2>/dev/null; then
    VMI_SERIAL=/dev/ttyS0
  fi
  # shellcheck disable=SC2013  # the command line is a list of words
  for w in $(cat /proc/cmdline); do
    case $w in
      vmitest.end=*) VMI_END=${w#*=} ;;
      vmitest.cat=*) VMI_CATS="$VMI_CATS $(echo "${w#*=}" | tr , ' ')" ;;
      vmitest.disk=*) VMI_DISK=${w#*=}; VMI_DISK=${VMI_DISK#/dev/} ;;
      vmitest.wait=*) VMI_WAIT=${w#*=} ;;
      vmitest.delay=*) VMI_DELAY=${w#*=} ;;
      vmitest.id=*) VMI_ID=${w#*=} ;;
      vmitest.verify=*) VMI_VERIFY=${w#*=} ;;
    esac
  done
}

# vmi_info: the lines every boot prints after its marker
vmi_info() {
  say "vmitest: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s), $(awk '/^MemTotal/ {print $2 " kB"}' /proc/meminfo)"
  say "vmitest: cmdline: $(cat /proc/cmdline)"
  [ -f /etc/vmitest-release ] && while read -r line; do say "vmitest: release: $line"; done </etc/vmitest-release
}

# vmi_cat: prints each file named by vmitest.cat= between two marker lines
vmi_cat() {
  for f in $VMI_CATS; do
    if [ -f "$f" ]; then
      say "VMINSTALL-TEST-CAT-BEGIN $f"
      while IFS= read -r line || [ -n "$line" ]; do say "$line"; done <"$f"
      say "VMINSTALL-TEST-CAT-END $f"
    else
      say "VMINSTALL-TEST-CAT-MISSING $f"
    fi
  done
}

vmi_load_modules() {
  [ -f /lib/modules/order ] || return 0
  while read -r ko; do
    insmod "/lib/modules/$ko" 2>/dev/null
  done </lib/modules/order
}

# vmi_disks: the whole disks, in the order vd, sd, hd, xvd, nvme
vmi_disks() {
  for d in /sys/block/vd* /sys/block/sd* /sys/block/hd* /sys/block/xvd* /sys/block/nvme*n*; do
    [ -e "$d/size" ] || continue
    [ "$(cat "$d/removable" 2>/dev/null)" = 1 ] && continue
    [ "$(cat "$d/size")" -gt 0 ] || continue
    echo "${d##*/}"
  done
}

# vmi_wait_disk [NAME]: waits up to vmitest.wait seconds for NAME (or any
# disk) to appear; prints its name
vmi_wait_disk() {
  tries=$((VMI_WAIT * 20))
  while :; do
    if [ -n "$1" ]; then
      [ -e "/sys/block/$1/size" ] && [ "$(cat "/sys/block/$1/size")" -gt 0 ] && { echo "$1"; return 0; }
    else
      d=$(vmi_disks | head -n 1)
      [ -n "$d" ] && { echo "$d"; return 0; }
    fi
    tries=$((tries - 1))
    [ "$tries" -gt 0 ] || return 1
    usleep 50000
  done
}

# vmi_serial DISK: the serial number the hypervisor gave the disk, if any
vmi_serial() {
  if [ -f "/sys/block/$1/serial" ]; then
    cat "/sys/block/$1/serial"
  elif [ -f "/sys/block/$1/device/serial" ]; then
    cat "/sys/block/$1/device/serial"
  elif [ -f "/sys/block/$1/device/vpd_pg80" ]; then
    tail -c +5 "/sys/block/$1/device/vpd_pg80" | tr -d '\000'
  fi 2>/dev/null | tr -d ' \n'
}

# vmi_disk_line DISK: one line describing DISK
vmi_disk_line() {
  sig=$(dd if="/dev/$1" bs=1 skip=440 count=4 2>/dev/null | hexdump -e '1/4 "%08x"')
  echo "disk=$1 bytes=$(($(cat "/sys/block/$1/size") * 512)) serial=$(vmi_serial "$1") mbr-id=$sig"
}

# vmi_fat_line PARTITION: the volume serial (as blkid prints a FAT UUID),
# label and type of a FAT file system, read from its boot sector
vmi_fat_line() {
  case $(dd if="$1" bs=1 skip=82 count=5 2>/dev/null) in
    FAT32) off=67 ;;
    *) case $(dd if="$1" bs=1 skip=54 count=4 2>/dev/null) in FAT1) off=39 ;; *) return 1 ;; esac ;;
  esac
  id=$(hexdump -s "$off" -n 4 -e '1/4 "%08X"' "$1")
  label=$(dd if="$1" bs=1 skip=$((off + 4)) count=11 2>/dev/null | tr -d ' ')
  type=$(dd if="$1" bs=1 skip=$((off + 15)) count=8 2>/dev/null | tr -d ' ')
  echo "${1#/dev/} uuid=$(echo "$id" | cut -c1-4)-$(echo "$id" | cut -c5-8) label=$label type=$type"
}

# vmi_record DISK: the text of the vminstall test record in sector 1 of DISK
vmi_record() {
  dd if="/dev/$1" bs=512 skip=1 count=1 2>/dev/null | tr -d '\000'
}

# ---- cloud-init seed check (vminstall --cloud-init tests) -------------------
# vmi_cidata: does what a cloud image's cloud-init NoCloud datasource does
# first: finds the ISO 9660 volume labelled CIDATA (cidata) on a cdrom,
# mounts it and prints what the tests look for:
#   VMINSTALL-TEST-CIDATA-FOUND DEVICE  (or VMINSTALL-TEST-CIDATA-NONE)
#   vmitest: smbios-serial=...          (the SMBIOS system serial)
#   vmitest: cidata file NAME BYTES     (each file of the seed)
#   vmitest: cidata hostname=NAME       (local-hostname/hostname of meta-data)
#   vmitest: cidata ssh-key-comment=C   (last word of each ssh key in user-data)
#   vmitest: cidata user-data: LINE     (its first line)
# Needs the sr_mod and isofs modules; waits up to 2 s only when the guest
# has a cdrom drive.
vmi_cidata() {
  say "vmitest: smbios-serial=$(cat /sys/class/dmi/id/product_serial 2>/dev/null)"
  dev= tries=40
  while [ "$tries" -gt 0 ] && ls -d /sys/block/sr* >/dev/null 2>&1; do
    dev=$(findfs LABEL=CIDATA 2>/dev/null || findfs LABEL=cidata 2>/dev/null) && break
    dev=
    tries=$((tries - 1))
    usleep 50000
  done
  if [ -z "$dev" ] || ! { mkdir -p /mnt/cidata && mount -t iso9660 -o ro "$dev" /mnt/cidata; }; then
    say "VMINSTALL-TEST-CIDATA-NONE"
    return 0
  fi
  say "VMINSTALL-TEST-CIDATA-FOUND $dev"
  for f in /mnt/cidata/*; do
    [ -f "$f" ] && say "vmitest: cidata file ${f##*/} $(wc -c <"$f")"
  done
  sed -n 's/^\(local-hostname\|hostname\): *"\{0,1\}\([^"]*\)"\{0,1\} *$/\2/p' \
    /mnt/cidata/meta-data 2>/dev/null | while read -r h; do say "vmitest: cidata hostname=$h"; done
  grep -o 'ssh-[a-z0-9-]* [A-Za-z0-9+/=]* [^"]*' /mnt/cidata/user-data 2>/dev/null |
    while read -r _ _ c; do say "vmitest: cidata ssh-key-comment=$c"; done
  say "vmitest: cidata user-data: $(head -n 1 /mnt/cidata/user-data 2>/dev/null)"
  umount /mnt/cidata
}

# vmi_end ACTION: stops the system the way vmitest.end= (or ACTION) says
vmi_end() {
  action=${VMI_END:-$1}
  sync
  say "VMINSTALL-TEST-END $action"
  case $action in
    poweroff) poweroff -f ;;
    reboot) reboot -f ;;
    halt) halt -f ;;
    hang) while :; do sleep 3600; done ;;
    crash) echo 1 >/proc/sys/kernel/sysrq; echo c >/proc/sysrq-trigger ;;
    *) say "vmitest: unknown vmitest.end=$action, powering off"; poweroff -f ;;
  esac
  sleep 30
  poweroff -f
}
