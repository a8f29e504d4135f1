#!/usr/bin/env bash
# tests/e2e/install-e2e.sh [--quick]: real installs of the project's test OS
# (tests/media/) with vminstall on libvirt + QEMU under software emulation.
# Prints TAP.  Needs a libvirtd answering on qemu:///system (root).
#
# Each install method boots the installer (its marker in the serial log),
# leaves a persistent configuration that boots from the disk with the media
# ejected, and boots the installed system (its marker, and the install
# record the installer wrote).  Then: the embedded default connection,
# kill -9 at every step boundary (VMINSTALL_TEST_DIE_AT) with the crash-
# safety invariants, failure paths, Ctrl-C, a libvirtd restart during the
# wait, the text console on a terminal (Ctrl-] detaches), --noreboot,
# --wait 0 and an ISO the QEMU user cannot reach.
# --quick runs a subset (the sanitizer build).
#
# Environment:
#   VMI_TEST_VMINSTALL   the vminstall binary (set by tests/meson.build)
#   VMI_TEST_MEDIA_OUT   test media directory (default tests/media-out; built
#                        or refreshed with tests/media/build-media.sh)
#   VMI_TEST_HTTP_URL    an HTTP server for VMI_TEST_HTTP_ROOT (.ci/run starts
#                        one for tests/media-out); else one is started here
#   VMI_E2E_ONLY=REGEX   run only the cases whose name matches
#
# Everything made here is named vmi-e2e-PID-* or lives in one scratch
# directory, and is removed at exit, also when a case fails.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
V=${VMI_TEST_VMINSTALL:-$top/build/src/cli/vminstall}
media=${VMI_TEST_MEDIA_OUT:-$top/tests/media-out}
quick=false
[ "${1:-}" = --quick ] && quick=true
URI=qemu:///system
p=vmi-e2e-$$
BOOT=/var/lib/libvirt/boot

n=0
failures=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1))
  failures=$((failures + 1))
  echo "not ok $n - $1"
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { [ -f "$1" ] && tail -n "${2:-15}" "$1" | tr -d '\r' | sed 's/^/#   /'; }
# check DESC COMMAND...: one TAP line; on failure, the case's output and log
check() {
  local desc=$1
  shift
  if "$@"; then
    ok "$desc"
  else
    not_ok "$desc"
    echo "#   failed: $*"
    if [ -n "${cur:-}" ]; then
      echo "#   vminstall output ($scratch/$cur.out):"
      diag "$scratch/$cur.out"
      echo "#   serial log:"
      diag "$scratch/$cur.log" 8
    fi
  fi
}

virsh_q() { virsh -q -c "$URI" "$@" 2>/dev/null; }

# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local d v root
  set +e
  for d in $(virsh_q list --all --name | grep "^$p-"); do
    virsh_q destroy "$d" >/dev/null
    virsh_q undefine "$d" --nvram --managed-save >/dev/null
  done
  for v in $(virsh_q vol-list default | awk '{print $1}' | grep "^$p-"); do
    virsh_q vol-delete --pool default "$v" >/dev/null
  done
  for root in "${embed_roots[@]}"; do
    for d in $(virsh -q -c "qemu:///embed?root=$root" list --all --name 2>/dev/null); do
      virsh -q -c "qemu:///embed?root=$root" "destroy $d; undefine $d" >/dev/null 2>&1
    done
    rm -rf "$root"
  done
  rm -f /var/lib/libvirt/images/"$p"-* /var/log/libvirt/qemu/"$p"-*.log
  [ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null && wait "$http_pid" 2>/dev/null
  if [ "$created_pool" = true ]; then
    virsh_q pool-destroy default >/dev/null
    virsh_q pool-undefine default >/dev/null
  fi
  rm -rf "$scratch"
}

want() { [ -z "${VMI_E2E_ONLY:-}" ] || [[ $1 =~ $VMI_E2E_ONLY ]]; }

# ---- setup -----------------------------------------------------------------------
setup() {
  scratch=$(mktemp -d /tmp/vmi-e2e.XXXXXX)
  chmod 755 "$scratch"   # QEMU (libvirt-qemu) reads the disks copied here
  http_pid=""
  embed_roots=()
  created_pool=false
  trap cleanup EXIT
  if ! virsh -c "$URI" version >/dev/null 2>&1; then
    echo "1..0 # SKIP no libvirtd answers on $URI"
    exit 0
  fi
  if ! "$top/tests/media/build-media.sh" "$media" >"$scratch/media.log" 2>&1; then
    echo "Bail out! tests/media/build-media.sh failed: $(tail -n 3 "$scratch/media.log" | tr '\n' ' ')"
    exit 1
  fi
  K=$media/kernel/vmlinuz
  I=$media/kernel/initrd.img
  had_default_pool=false
  virsh_q pool-info default >/dev/null && had_default_pool=true

  base=(--connect "$URI" --virt-type qemu --memory 256 --vcpus 1 --osinfo linux2020
        --network none --graphics none)
  newdisk=(--disk size=0.05,bus=virtio)
  kernel=(--install "kernel=$K,initrd=$I")
}

# vmi NAME ARG...: runs vminstall for case NAME without a terminal; output in
# $scratch/NAME.out; the serial console logs to $scratch/NAME.log.  The pipe
# makes this also wait for vminstall's cleanup guard, which keeps stderr
# open until it has removed what a killed run left.
vmi() {
  local name=$1
  shift
  cur=$name
  # (a subshell, so that a kill -9 is not announced on stderr)
  (
    timeout 300 "$V" "$@" --serial "pty,log.file=$scratch/$name.log,log.append=on" \
      </dev/null 2>&1 | cat >"$scratch/$name.out"
    exit "${PIPESTATUS[0]}"
  ) 2>/dev/null
}
rc_is() { [ "$rc" = "$1" ]; }
out_has() { grep -qF -- "$1" "$scratch/$cur.out"; }
out_lacks() { ! grep -qF -- "$1" "$scratch/$cur.out"; }
log_has() { grep -qaF -- "$1" "$scratch/${2:-$cur}.log"; }
# installed_booted: the installed system came up from the disk the installer
# wrote (its record says so) after the installer finished
installed_booted() {
  local log=$scratch/${1:-$cur}.log
  awk '/VMINSTALL-TEST-INSTALLER-DONE/ { i = 1 } i && /VMINSTALL-TEST-INSTALLED-BOOT/ { b = 1 }
       b && /record: installed-by=installer/ { r = 1 } END { exit !r }' "$log"
}
state() { virsh_q domstate "$1" | head -n 1; }
is_state() { [ "$(state "$1")" = "$2" ]; }
gone() { ! virsh_q dominfo "$1" >/dev/null; }
# wait_off NAME SECONDS: until the guest is shut off (test-side polling)
wait_off() {
  local i
  for ((i = 0; i < $2 * 4; i++)); do
    [ "$(state "$1")" = "shut off" ] && return 0
    sleep 0.25
  done
  return 1
}
vol_exists() { virsh_q vol-info --pool default "$1" >/dev/null; }
no_vol() { ! vol_exists "$1"; }
inactive_xml() { virsh_q dumpxml --inactive "$1"; }
# final_config NAME: the persistent definition boots the disk, no installer
final_config() {
  local xml
  xml=$(inactive_xml "$1") || return 1
  ! grep -qE '<kernel>|<initrd>|<cmdline>' <<<"$xml" &&
    grep -q "<boot dev='hd'/>" <<<"$xml" &&
    ! grep -q "on_reboot>destroy" <<<"$xml"
}
# (no pipe into grep -q: with pipefail, virsh's SIGPIPE when grep stops early
# would fail the check)
live_is_installer() { grep -q '<kernel>' <<<"$(virsh_q dumpxml "$1")"; }
# staged_gone NAME: the kernel and initrd this run copied to $BOOT are gone.
# Their names come from the guard's report (a run killed before QEMU ran)
# or from QEMU's command line in libvirt's log; other runs on this host may
# stage files of their own meanwhile, so the directory is not counted.
staged_gone() {
  local f found=0
  for f in $(grep -o "removed $BOOT/vminstall-[^ ]*" "$scratch/$cur.out" | cut -d' ' -f2) \
           $(grep -ao -- "-\(kernel\|initrd\) $BOOT/vminstall-[^ ]*" \
               "/var/log/libvirt/qemu/$1.log" 2>/dev/null | cut -d' ' -f2); do
    found=$((found + 1))
    [ -e "$f" ] && return 1
  done
  [ "$found" -ge 2 ]
}
remove_dom() {
  virsh_q destroy "$1" >/dev/null
  virsh_q undefine "$1" --nvram --remove-all-storage >/dev/null
}

# ---- install methods -------------------------------------------------------------
case_cdrom() {
  local name=$p-cdrom
  vmi cdrom "${base[@]}" --name "$name" "${newdisk[@]}" --cdrom "$media/cdrom.iso"
  rc=$?
  check "cdrom: vminstall succeeds, following the console through both phases" rc_is 0
  check "cdrom: the installer ran" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "cdrom: the installed system booted from the disk the installer wrote" installed_booted
  check "cdrom: rebooted into the installed system" out_has "Restarting guest."
  check "cdrom: persistent config boots the disk" final_config "$name"
  check "cdrom: the install cdrom is ejected from the persistent config" \
    bash -c "! virsh -q -c $URI dumpxml --inactive $name | grep -q cdrom.iso"
  remove_dom "$name"
}

case_location_dir() {
  local name=$p-locdir
  vmi locdir "${base[@]}" --name "$name" "${newdisk[@]}" --location "$media/tree" \
    --extra-args "console=ttyS0 vmitest.id=$name" --noautoconsole --wait 5
  rc=$?
  check "location dir: vminstall --noautoconsole --wait succeeds" rc_is 0
  check "location dir: waited for the install phase on events" out_has "Domain has shutdown. Continuing."
  check "location dir: the installer ran with the extra args" log_has "install-id=$name"
  check "location dir: persistent config has no installer kernel" final_config "$name"
  check "location dir: staged kernel and initrd removed" staged_gone "$name"
  check "location dir: the installed system booted and powered off" wait_off "$name" 60
  check "location dir: the installed system booted from the disk" installed_booted
  remove_dom "$name"
}

start_http() {
  if [ -n "${VMI_TEST_HTTP_URL:-}" ] && [ "${VMI_TEST_HTTP_ROOT:-}" -ef "$media" ]; then
    http_url=${VMI_TEST_HTTP_URL%/}
    return 0
  fi
  python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$media" \
    >"$scratch/http.log" 2>&1 </dev/null &
  http_pid=$!
  local port="" i
  for ((i = 0; i < 100; i++)); do
    port=$(sed -n 's/^Serving HTTP on .* port \([0-9]*\).*/\1/p' "$scratch/http.log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] && http_url=http://127.0.0.1:$port
}

# --location with an ISO image: kernel and initrd extracted from the image
# (no mount), and the image itself attached as the install cdrom, which the
# persistent config no longer has.
case_location_iso() {
  local name=$p-lociso
  echo "vmi-e2e injected into an ISO tree's initrd" >"$scratch/iso-inject.txt"
  vmi lociso "${base[@]}" --name "$name" "${newdisk[@]}" --location "$media/tree.iso" \
    --initrd-inject "$scratch/iso-inject.txt" \
    --extra-args "console=ttyS0 vmitest.id=$name vmitest.cat=/iso-inject.txt" --noautoconsole --wait 5
  rc=$?
  check "location ISO: vminstall succeeds" rc_is 0
  check "location ISO: the installer ran with the extra args" log_has "install-id=$name"
  check "location ISO: initrd-inject: the installer printed the injected file" \
    in_order lociso "VMINSTALL-TEST-CAT-BEGIN /iso-inject.txt" "vmi-e2e injected into an ISO tree's initrd"
  check "location ISO: the kernel was extracted and staged" \
    grep -aq -- "-kernel $BOOT/vminstall-" "/var/log/libvirt/qemu/$name.log"
  check "location ISO: staged kernel and initrd removed" staged_gone "$name"
  check "location ISO: persistent config has no installer kernel" final_config "$name"
  check "location ISO: the ISO is ejected from the persistent config" \
    bash -c "! virsh -q -c $URI dumpxml --inactive $name | grep -q tree.iso"
  check "location ISO: the installed system booted and powered off" wait_off "$name" 60
  check "location ISO: installed marker" installed_booted
  remove_dom "$name"
}

case_location_http() {
  local name=$p-lochttp
  if ! start_http; then
    not_ok "location http: an HTTP server for the media"
    return
  fi
  echo "vmi-e2e injected into an HTTP tree's initrd" >"$scratch/http-inject.txt"
  vmi lochttp "${base[@]}" --name "$name" "${newdisk[@]}" --location "$http_url/tree/" \
    --initrd-inject "$scratch/http-inject.txt" \
    --extra-args "console=ttyS0 vmitest.cat=/http-inject.txt" --noautoconsole --wait 5
  rc=$?
  check "location http: vminstall succeeds" rc_is 0
  check "location http: the installer ran" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "location http: initrd-inject: the installer printed the injected file" \
    in_order lochttp "VMINSTALL-TEST-CAT-BEGIN /http-inject.txt" "vmi-e2e injected into an HTTP tree's initrd"
  check "location http: persistent config has no installer kernel" final_config "$name"
  check "location http: the installed system booted and powered off" wait_off "$name" 60
  check "location http: installed marker" installed_booted
  remove_dom "$name"
}

# A remote connection for real: libvirt's "ext" transport runs a command
# that carries the protocol to a daemon, here virt-ssh-helper to this
# host's own (what qemu+ssh:// runs on the far side).  The URI has a host
# name, so vminstall takes the remote paths: local media refused, kernel,
# initrd and the cloud-init seed uploaded to a pool with
# virStorageVolUpload and deleted once the guest has started.
case_remote() {
  local name=$p-remote relay=$scratch/relay.sh ruri
  if ! start_http; then
    not_ok "remote: an HTTP server for the media"
    return
  fi
  printf '#!/bin/sh\nexec virt-ssh-helper qemu:///system\n' >"$relay"
  chmod 755 "$relay"
  ruri="qemu+ext://localhost/system?command=$relay"
  cur=remote
  "$V" --connect "$ruri" "${base[@]:2}" --name "$name" "${newdisk[@]}" \
    --location "$media/tree" >"$scratch/remote-local.out" 2>&1
  rc=$?
  check "remote: a local --location is refused" \
    bash -c "[ $rc = 1 ] && grep -q 'a remote connection cannot use' '$scratch/remote-local.out'"
  # A local scratch dir of its own: a copy made here instead of an upload
  # would show in QEMU's command line.
  mkdir -p "$scratch/local-scratch"
  VMINSTALL_SCRATCH_DIR=$scratch/local-scratch \
    vmi remote --connect "$ruri" "${base[@]:2}" --name "$name" "${newdisk[@]}" \
    --location "$http_url/tree/" --extra-args "console=ttyS0" \
    --cloud-init "root-password-generate=off,disable=on" --noautoconsole --wait 5
  rc=$?
  check "remote: vminstall succeeds" rc_is 0
  check "remote: the installer ran from uploaded files" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "remote: QEMU booted volumes in the boot pool, not local copies" \
    grep -aq -- "-kernel $BOOT/vminstall-" "/var/log/libvirt/qemu/$name.log"
  check "remote: nothing was staged locally" \
    test -z "$(ls -A "$scratch/local-scratch")"
  check "remote: uploaded kernel and initrd deleted" staged_gone "$name"
  check "remote: uploaded seed ISO deleted" seed_gone "$name"
  check "remote: persistent config boots the disk" final_config "$name"
  check "remote: the installed system booted and powered off" wait_off "$name" 60
  check "remote: installed marker" installed_booted
  remove_dom "$name"
}

case_kernel() {
  local name=$p-kernel
  vmi kernel "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0" --autostart
  rc=$?
  check "kernel/initrd: vminstall succeeds with the text console" rc_is 0
  check "kernel/initrd: the console showed the installer" out_has VMINSTALL-TEST-INSTALLER-DONE
  check "kernel/initrd: the console showed the installed system" out_has VMINSTALL-TEST-INSTALLED-DONE
  check "kernel/initrd: the installed system booted from the disk" installed_booted
  check "kernel/initrd: persistent config boots the disk" final_config "$name"
  check "kernel/initrd: --autostart set the flag" \
    bash -c "virsh -q -c $URI dominfo $name | grep -q 'Autostart:.*enable'"
  remove_dom "$name"
}

case_import() {
  local name=$p-import
  cp "$media/installed.qcow2" "$scratch/import.qcow2"
  vmi import "${base[@]}" --name "$name" --disk "path=$scratch/import.qcow2,bus=virtio" --import
  rc=$?
  check "import: vminstall succeeds" rc_is 0
  check "import: the prepared system booted" log_has "install-id=prepared-image"
  check "import: no installer ran" bash -c "! grep -qa VMINSTALL-TEST-INSTALLER '$scratch/import.log'"
  check "import: defined" bash -c "virsh -q -c $URI dominfo $name | grep -q 'Persistent:.*yes'"
  remove_dom "$name"
}

case_overlay() {
  local name=$p-overlay sum
  cp "$media/installed.qcow2" "$scratch/base.qcow2"
  sum=$(sha256sum <"$scratch/base.qcow2")
  vmi overlay "${base[@]}" --name "$name" --import \
    --disk "size=1,backing_store=$scratch/base.qcow2,backing_format=qcow2,bus=virtio"
  rc=$?
  check "backing store overlay: vminstall succeeds" rc_is 0
  check "backing store overlay: the base system booted through the overlay" \
    log_has "install-id=prepared-image"
  check "backing store overlay: the new volume is an overlay of the base" \
    bash -c "virsh -q -c $URI vol-dumpxml --pool default $name.qcow2 | grep -q '<path>$scratch/base.qcow2</path>'"
  check "backing store overlay: the base is untouched" \
    test "$(sha256sum <"$scratch/base.qcow2")" = "$sum"
  remove_dom "$name"
}

case_transient() {
  local name=$p-transient
  vmi transient "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0" --transient --noautoconsole --wait 5
  rc=$?
  check "transient: vminstall succeeds" rc_is 0
  check "transient: the installer ran" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "transient: nothing stays defined" gone "$name"
  check "transient: the disk stays" vol_exists "$name.qcow2"
  virsh_q vol-delete --pool default "$name.qcow2" >/dev/null
}

case_embed() {
  local name=$p-embed root=/tmp/vmi-e2e-embed-$$
  embed_roots+=("$root")
  cur=embed
  # As on a freshly booted host: no libvirtd and no virtlogd at all.  A
  # private mount namespace hides this host's daemons behind an empty
  # /run/libvirt, so that nothing can fall back on them.
  env -u LIBVIRT_DEFAULT_URI VMINSTALL_EMBED_ROOT="$root" timeout 300 \
    unshare --mount --propagation private -- sh -c 'mount -t tmpfs vmi-e2e /run/libvirt && exec "$@"' \
    sh "$V" "${base[@]:2}" --name "$name" \
    "${newdisk[@]}" "${kernel[@]}" --extra-args "console=ttyS0" \
    --serial "pty,log.file=$scratch/embed.log,log.append=on" </dev/null >"$scratch/embed.out" 2>&1
  rc=$?
  check "embed: vminstall succeeds with no libvirtd and no virtlogd" rc_is 0
  check "embed: QEMU's own log is under ROOT/log/qemu (no virtlogd)" \
    test -s "$root/log/qemu/$name.log"
  check "embed: the driver's qemu.conf is ROOT/etc/qemu.conf" \
    grep -qx 'stdio_handler = "file"' "$root/etc/qemu.conf"
  check "embed: says it uses the embedded driver" out_has "using the embedded QEMU driver qemu:///embed?root=$root"
  check "embed: the installer ran" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "embed: the installed system booted from the disk" installed_booted
  check "embed: the guest is defined in the embed root" \
    bash -c "virsh -q -c 'qemu:///embed?root=$root' dominfo $name | grep -q 'Persistent:.*yes'"
  check "embed: no daemon-side domain" gone "$name"
  # no network driver runs in the process: the default NIC is user mode
  check "embed: the default NIC is user networking" bash -c "
    env -u LIBVIRT_DEFAULT_URI VMI_TEST_DAEMON_URI='qemu+unix:///system?socket=$scratch/no-daemon' \
      VMINSTALL_EMBED_ROOT='$root' '$V' --virt-type qemu --memory 256 --osinfo linux2020 \
      --name '$name-nic' --disk none --cdrom '$media/cdrom.iso' --print-xml 2 2>/dev/null |
      grep -q \"<interface type=.user.>\""
}

# ---- kill -9 at every step boundary ------------------------------------------------
fault() {
  local step=$1 name=$p-die-$1
  cur=die-$step
  VMINSTALL_TEST_DIE_AT=$step vmi "die-$step" "${base[@]}" --name "$name" "${newdisk[@]}" \
    "${kernel[@]}" --extra-args "console=ttyS0" --noautoconsole --wait 5
  rc=$?
  check "die at $step: vminstall was killed there" rc_is 137
  check "die at $step: staged kernel and initrd gone" staged_gone "$name"
  case $step in
    start | after-pool | after-storage)
      check "die at $step: no domain" gone "$name"
      check "die at $step: the disk it created is gone" no_vol "$name.qcow2"
      [ "$step" = after-pool ] &&
        check "die at $step: the pool it created is gone" bash -c "! virsh -q -c $URI pool-info default 2>/dev/null"
      ;;
    after-define)
      check "die at $step: defined with the post-install config" final_config "$name"
      check "die at $step: not started" is_state "$name" "shut off"
      check "die at $step: its disk stays" vol_exists "$name.qcow2"
      ;;
    after-create)
      # libvirt runs the install config once and keeps the definition
      check "die at $step: the install phase runs" live_is_installer "$name"
      check "die at $step: the definition stays the post-install config" final_config "$name"
      check "die at $step: the install phase ends by itself" wait_off "$name" 60
      check "die at $step: still the post-install config" final_config "$name"
      virsh_q start "$name" >/dev/null
      check "die at $step: starting it boots the installed system" wait_off "$name" 60
      check "die at $step: installed marker" installed_booted
      ;;
    after-install)
      check "die at $step: left off" is_state "$name" "shut off"
      virsh_q start "$name" >/dev/null
      check "die at $step: starting it boots the installed system" wait_off "$name" 60
      check "die at $step: installed marker" installed_booted
      ;;
    after-reboot)
      check "die at $step: the installed system runs and stops" wait_off "$name" 60
      check "die at $step: installed marker" installed_booted
      check "die at $step: post-install config" final_config "$name"
      ;;
  esac
  remove_dom "$name"
  virsh_q vol-delete --pool default "$name.qcow2" >/dev/null
}

case_faults() {
  local steps=(start after-storage after-define after-create after-install after-reboot)
  $quick && steps=(after-storage after-define after-create)
  # The pool step only exists where no 'default' pool is (a fresh host).
  if ! virsh_q pool-info default >/dev/null; then
    fault after-pool
  else
    skip "die at after-pool" "a 'default' pool exists, so no run creates one"
  fi
  for s in "${steps[@]}"; do
    fault "$s"
  done
}

# ---- failure paths ---------------------------------------------------------------
case_too_large() {
  local name=$p-big
  vmi big "${base[@]}" --name "$name" --disk size=100000,sparse=no,bus=virtio "${kernel[@]}" \
    --noautoconsole
  rc=$?
  check "disk too large: fails" rc_is 1
  check "disk too large: says so" out_has "not enough free space"
  check "disk too large: no domain" gone "$name"
  check "disk too large: no volume" no_vol "$name.qcow2"
}

case_start_failure() {
  local name=$p-nostart
  # QEMU itself refuses to start: it cannot reserve the guest's memory.
  vmi nostart "${base[@]}" --memory 40000000 --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --noautoconsole
  rc=$?
  check "start failure: fails" rc_is 1
  check "start failure: names QEMU's error" out_has "cannot start the install"
  check "start failure: the definition is taken back" gone "$name"
  check "start failure: the disk it created is gone" no_vol "$name.qcow2"
  check "start failure: staged files gone" staged_gone "$name"
  name=$p-nodefine
  vmi nodefine "${base[@]}" --name "$name" --disk size=0.05,bus=virtio,io=native,cache=writeback \
    "${kernel[@]}" --noautoconsole
  rc=$?
  check "define failure: fails" rc_is 1
  check "define failure: the disk it created is gone" no_vol "$name.qcow2"
  check "define failure: no domain" gone "$name"
}

case_timeout() {
  local name=$p-timeout
  VMINSTALL_TEST_WAIT_UNIT=1 vmi timeout "${base[@]}" --name "$name" "${newdisk[@]}" \
    "${kernel[@]}" --extra-args "console=ttyS0 vmitest.end=hang" --noautoconsole --wait 4
  rc=$?
  check "wait timeout: exits 1" rc_is 1
  check "wait timeout: says so" out_has "Installation has exceeded specified time limit"
  check "wait timeout: the guest is left running" is_state "$name" running
  check "wait timeout: with its post-install definition" final_config "$name"
  remove_dom "$name"
}

case_crash() {
  local name=$p-crash
  vmi crash "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" --panic default \
    --extra-args "console=ttyS0 vmitest.end=crash" --noautoconsole --wait 5
  rc=$?
  check "guest crash: exits 1" rc_is 1
  check "guest crash: says so" out_has "Domain has crashed."
  check "guest crash: not rebooted into the installed system" out_lacks "Restarting guest."
  check "guest crash: left off" is_state "$name" "shut off"
  remove_dom "$name"
}

case_existing() {
  local name=$p-exist sum
  cp "$media/installed.qcow2" "$scratch/exist.qcow2"
  sum=$(sha256sum <"$scratch/exist.qcow2")
  vmi exist "${base[@]}" --name "$name" --disk "path=$scratch/exist.qcow2,size=1,bus=virtio" \
    --import --noautoconsole
  rc=$?
  check "existing disk with size=: fails" rc_is 1
  check "existing disk with size=: says it never overwrites" out_has "never overwrites"
  check "existing disk with size=: the file is untouched" test "$(sha256sum <"$scratch/exist.qcow2")" = "$sum"
  check "existing disk with size=: no domain" gone "$name"
}

case_collision() {
  local name=$p-coll xml sum
  truncate -s 64M "$scratch/coll.img"
  sum=$(sha256sum <"$scratch/coll.img")
  cat >"$scratch/coll.xml" <<EOF
<domain type='qemu'><name>$name</name><memory unit='MiB'>64</memory>
<os><type arch='x86_64'>hvm</type></os>
<devices><disk type='file' device='disk'><source file='$scratch/coll.img'/>
<target dev='vda' bus='virtio'/></disk></devices></domain>
EOF
  virsh_q define "$scratch/coll.xml" >/dev/null
  xml=$(inactive_xml "$name")
  vmi coll "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" --noautoconsole
  rc=$?
  check "name collision: fails" rc_is 1
  check "name collision: the existing guest is untouched" test "$(inactive_xml "$name")" = "$xml"
  check "name collision: its disk is untouched" test "$(sha256sum <"$scratch/coll.img")" = "$sum"
  check "name collision: no new volume" no_vol "$name.qcow2"
  virsh_q undefine "$name" >/dev/null
}

case_interrupt() {
  local name=$p-intr pid i
  cur=intr
  "$V" "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0 vmitest.end=hang" --noautoconsole --wait -1 \
    --serial "pty,log.file=$scratch/intr.log,log.append=on" </dev/null >"$scratch/intr.out" 2>&1 &
  pid=$!
  for ((i = 0; i < 200; i++)); do
    grep -q "Waiting for the installation" "$scratch/intr.out" && break
    sleep 0.1
  done
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  check "Ctrl-C while waiting: exits 130" rc_is 130
  check "Ctrl-C while waiting: says how to reattach" out_has "virsh --connect $URI console $name"
  check "Ctrl-C while waiting: the guest keeps running" is_state "$name" running
  remove_dom "$name"
}

# restart_libvirtd: stops the daemon and starts it again, the way it was
# started (systemd, or by hand with a pid file as .ci/run does)
restart_libvirtd() {
  local pid i
  if systemctl is-active --quiet libvirtd 2>/dev/null; then
    systemctl restart libvirtd || return 1
  else
    pid=$(cat /run/libvirtd.pid 2>/dev/null) || return 1
    kill -TERM "$pid" || return 1
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && return 1
    /usr/sbin/libvirtd -d </dev/null || return 1
  fi
  for ((i = 0; i < 100; i++)); do
    virsh -c "$URI" version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}

case_reconnect() {
  local name=$p-reconn pid i
  cur=reconn
  # The installer waits 8 s before its work, so that it stops only after
  # the daemon is back; vminstall waits on events meanwhile.
  "$V" "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0 vmitest.delay=8" --noautoconsole --wait 3 \
    --serial "pty,log.file=$scratch/reconn.log,log.append=on" </dev/null >"$scratch/reconn.out" 2>&1 &
  pid=$!
  for ((i = 0; i < 200; i++)); do
    grep -q "Waiting 3 minutes" "$scratch/reconn.out" && break
    sleep 0.1
  done
  check "reconnect: libvirtd restarted under a waiting vminstall" restart_libvirtd
  wait "$pid"
  rc=$?
  check "reconnect: vminstall succeeds" rc_is 0
  check "reconnect: noticed the lost connection" out_has "Lost the connection"
  check "reconnect: reconnected" out_has "Reconnected to"
  check "reconnect: still saw the install phase end" out_has "Restarting guest."
  check "reconnect: the installed system booted" wait_off "$name" 60
  check "reconnect: installed marker" installed_booted
  check "reconnect: post-install config" final_config "$name"
  remove_dom "$name"
}

# The text console on a terminal: the guest's serial output is relayed to
# it, Ctrl-] detaches, and the install goes on without vminstall.
case_console() {
  local name=$p-console
  cur=console
  "$here/pty-run.py" "$scratch/console.out" VMINSTALL-TEST-INSTALLER-DONE 240 -- \
    "$V" "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0 vmitest.end=hang" --autoconsole text \
    --serial "pty,log.file=$scratch/console.log,log.append=on"
  rc=$?
  check "text console: vminstall exits 0 after Ctrl-]" rc_is 0
  check "text console: names the escape character" out_has "Escape character is ^]"
  check "text console: relayed the installer's output" out_has VMINSTALL-TEST-INSTALLER-DONE
  check "text console: says the install may go on" out_has "You can reconnect to the console"
  check "text console: the guest is left running" is_state "$name" running
  check "text console: with its post-install definition" final_config "$name"
  remove_dom "$name"
}

# --noreboot --quiet: the installer runs and stops; the installed system is
# not started, and vminstall prints nothing.
case_noreboot() {
  local name=$p-noreboot
  vmi noreboot "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" --noautoconsole \
    --wait 5 --noreboot --quiet
  rc=$?
  check "--noreboot --quiet: succeeds" rc_is 0
  check "--noreboot --quiet: prints nothing" test ! -s "$scratch/noreboot.out"
  check "--noreboot: the installer ran" log_has VMINSTALL-TEST-INSTALLER-DONE
  check "--noreboot: the installed system was not started" is_state "$name" "shut off"
  check "--noreboot: not booted" bash -c "! grep -qa VMINSTALL-TEST-INSTALLED-BOOT $scratch/noreboot.log"
  check "--noreboot: post-install config" final_config "$name"
  remove_dom "$name"
}

# --wait 0: returns as soon as the install phase runs.
case_wait0() {
  local name=$p-wait0
  vmi wait0 "${base[@]}" --name "$name" "${newdisk[@]}" "${kernel[@]}" \
    --extra-args "console=ttyS0 vmitest.end=hang" --noautoconsole --wait 0
  rc=$?
  check "--wait 0: succeeds" rc_is 0
  check "--wait 0: returned with the installer running" live_is_installer "$name"
  check "--wait 0: post-install config" final_config "$name"
  remove_dom "$name"
}

# An ISO the system QEMU user cannot reach: refused before anything is
# made, with the fix; --dry-run only warns.
case_iso_access() {
  local name=$p-access
  mkdir -m 700 "$scratch/private"
  cp "$media/cdrom.iso" "$scratch/private/cd.iso"
  vmi access "${base[@]}" --name "$name" "${newdisk[@]}" --cdrom "$scratch/private/cd.iso" \
    --noautoconsole
  rc=$?
  check "unreadable ISO: fails" rc_is 1
  check "unreadable ISO: one line naming the directory and the fix" \
    test "$(cat "$scratch/access.out")" = "ERROR    the QEMU process runs as user 'libvirt-qemu' (uid $(id -u libvirt-qemu)), which cannot read '$scratch/private/cd.iso': it has no search permission on '$scratch/private'; fix: setfacl -m u:libvirt-qemu:x '$scratch/private' (or move the file to /var/lib/libvirt/images)"
  check "unreadable ISO: no domain" gone "$name"
  check "unreadable ISO: no volume" no_vol "$name.qcow2"
  vmi access-dry "${base[@]}" --name "$name" "${newdisk[@]}" --cdrom "$scratch/private/cd.iso" \
    --noautoconsole --dry-run
  rc=$?
  check "unreadable ISO, --dry-run: succeeds" rc_is 0
  check "unreadable ISO, --dry-run: warns" out_has "WARNING  the QEMU process runs as user"
}

# ---- hands-off installs: --cloud-init, --unattended, --initrd-inject -------------
# The test OS's installed system acts like a cloud image (vmi_cidata in
# tests/media/vmitest-lib.sh).  Machine pc: the seed cdrom is on IDE, which
# the test kernel reads (it has no AHCI driver for q35's SATA).
# seed_gone NAME: the seed ISO QEMU was given (libvirt's log) is removed
seed_gone() {
  local f found=0
  for f in $(grep -ao "$BOOT/vminstall-[A-Za-z0-9_]*-\(cloudinit\|unattended\).iso" \
               "/var/log/libvirt/qemu/$1.log" 2>/dev/null | sort -u); do
    found=$((found + 1))
    [ -e "$f" ] && return 1
  done
  [ "$found" -ge 1 ]
}
# in_order LOG A B: line A, then later line B, in the serial log
in_order() {
  awk -v a="$2" -v b="$3" 'index($0, a) { s = 1 } s && index($0, b) { f = 1 } END { exit !f }' \
    "$scratch/$1.log"
}

case_cloudinit() {
  local name=$p-cloudinit
  cp "$media/installed.qcow2" "$scratch/cloudinit.qcow2"
  echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZtaW5zdGFsbC1lMmUtdGVzdC1rZXktbm90LXJlYWw vmi-e2e-key" \
    >"$scratch/key.pub"
  vmi cloudinit "${base[@]}" --machine pc --name "$name" \
    --disk "path=$scratch/cloudinit.qcow2,bus=virtio" --import \
    --cloud-init "root-password-generate=on,clouduser-ssh-key=$scratch/key.pub" \
    --noautoconsole --wait 5
  rc=$?
  check "cloud-init: vminstall --import --cloud-init succeeds" rc_is 0
  check "cloud-init: the first boot found the CIDATA seed" log_has "VMINSTALL-TEST-CIDATA-FOUND"
  check "cloud-init: SMBIOS serial ds=nocloud on the first boot" log_has "smbios-serial=ds=nocloud"
  check "cloud-init: meta-data names the guest" log_has "cidata hostname=$name"
  check "cloud-init: user-data carries the ssh key" log_has "cidata ssh-key-comment=vmi-e2e-key"
  check "cloud-init: the generated password was shown once" \
    test "$(grep -c 'Password for first root login is: ' "$scratch/cloudinit.out")" = 1
  check "cloud-init: the installed guest booted again and powered off" wait_off "$name" 60
  check "cloud-init: the later boot does not see the seed" \
    in_order cloudinit VMINSTALL-TEST-CIDATA-FOUND VMINSTALL-TEST-CIDATA-NONE
  check "cloud-init: no seed in the persistent config" \
    bash -c "! virsh -q -c $URI dumpxml --inactive $name | grep -q 'cloudinit.iso\|sysinfo'"
  check "cloud-init: the seed ISO was removed" seed_gone "$name"
  remove_dom "$name"
}

case_cloudinit_location() {
  local name=$p-ciloc
  echo "vmi-e2e injected file" >"$scratch/e2e-inject.txt"
  vmi ciloc "${base[@]}" --machine pc --name "$name" "${newdisk[@]}" --location "$media/tree" \
    --initrd-inject "$scratch/e2e-inject.txt" \
    --extra-args "console=ttyS0 vmitest.cat=/e2e-inject.txt" \
    --cloud-init "root-password-generate=off,disable=on" --noautoconsole --wait 5
  rc=$?
  check "cloud-init + location: vminstall succeeds" rc_is 0
  check "initrd-inject: the installer printed the injected file" \
    in_order ciloc "VMINSTALL-TEST-CAT-BEGIN /e2e-inject.txt" "vmi-e2e injected file"
  check "cloud-init + location: the installed system booted and powered off" wait_off "$name" 60
  check "cloud-init + location: the installed system does not see the seed" \
    in_order ciloc VMINSTALL-TEST-INSTALLED-BOOT VMINSTALL-TEST-CIDATA-NONE
  check "cloud-init + location: staged kernel and initrd removed" staged_gone "$name"
  check "cloud-init + location: the seed ISO was removed" seed_gone "$name"
  remove_dom "$name"
}

case_unattended() {
  local name=$p-unattended
  vmi unattended "${base[@]}" --osinfo fedora36 --name "$name" "${newdisk[@]}" \
    --location "$media/tree" --extra-args "console=ttyS0 vmitest.cat=/fedora.ks" \
    --unattended "profile=jeos,user-login=alice,admin-password-file=$top/tests/data/unattended/admin-password.txt" \
    --noautoconsole --wait 5
  rc=$?
  check "unattended: vminstall --unattended with a tree succeeds" rc_is 0
  check "unattended: the kickstart is in the installer's initrd" \
    in_order unattended "VMINSTALL-TEST-CAT-BEGIN /fedora.ks" "# Install script for fedora36 profile jeos"
  check "unattended: the script's kernel arguments follow --extra-args" \
    log_has "vmitest.cat=/fedora.ks inst.ks=file:/fedora.ks"
  check "unattended: the installed system booted" wait_off "$name" 60
  check "unattended: staged kernel and initrd removed" staged_gone "$name"
  remove_dom "$name"
}

# ---- run -------------------------------------------------------------------------
main() {
  local cases c t0
  setup
  cases=(faults too_large start_failure timeout crash existing collision interrupt kernel
         cloudinit remote)
  $quick || cases=(faults cdrom location_dir location_iso location_http remote kernel import overlay transient embed
                   too_large start_failure timeout crash existing collision interrupt reconnect
                   console noreboot wait0 iso_access
                   cloudinit cloudinit_location unattended)
  for c in "${cases[@]}"; do
    want "$c" || continue
    t0=$(date +%s)
    "case_$c"
    echo "# $c: $(($(date +%s) - t0)) s"
  done
  if [ "$had_default_pool" = false ] && virsh_q pool-info default >/dev/null; then
    # vminstall made the 'default' pool as virt-install would; this run's
    # host did not have one, so take it back.
    created_pool=true
  fi
  echo "1..$n"
  [ "$failures" -eq 0 ]
}

# Everything above is read before anything runs, so that editing this file
# never disturbs a run in progress.
main "$@"; exit
