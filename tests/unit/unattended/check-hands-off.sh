#!/bin/bash
# tests/unit/unattended/check-hands-off.sh: hands-off installs through the
# vminstall binary on the libvirt test driver, no hypervisor.  Prints TAP.
#  - --cloud-init with --location (virt-install 4.1.0 drops the seed there,
#    so no CLI oracle case can hold it): seed cdrom and ds=nocloud in the
#    first boot, an empty drive afterwards;
#  - no temporary file is left: dry runs, failures after the seed ISO was
#    written, an "install" on the test driver (seed removed once started);
#  - the generated root password reaches the terminal once (stderr here,
#    there is no /dev/tty), never stdout.
# Environment: VMI_TEST_VMINSTALL, VMI_TEST_DATADIR (set by tests/meson.build).
set -u
here=$(cd "$(dirname "$0")" && pwd)
D=${VMI_TEST_DATADIR:-$here/../../data}
V=${VMI_TEST_VMINSTALL:-$here/../../../build/src/cli/vminstall}
tmp=$(mktemp -d /tmp/vmi-hands-off.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scratch" "$tmp/tmp" "$tmp/cache"
TD="test:///$D/testdriver.xml"
n=0 failures=0
check() {
  local desc=$1; shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $desc"; else
    echo "not ok $n - $desc"; failures=$((failures + 1))
    sed 's/^/#   stderr: /' "$tmp/err" | head -5
  fi
}
run() {
  env -u LANGUAGE LANG=C LC_ALL=C VMINSTALL_SCRATCH_DIR="$tmp/scratch" TMPDIR="$tmp/tmp" \
    XDG_CACHE_HOME="$tmp/cache" setsid "$V" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
}
nothing_left() { [ -z "$(find "$tmp/scratch" "$tmp/tmp" -mindepth 1)" ]; }
one_error_line() { [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q '^ERROR    ' "$tmp/err" && [ ! -s "$tmp/out" ]; }

# ---- --location + --cloud-init ----
run --connect "$TD" --name vm1 --memory 1024 --osinfo fedora36 --disk size=4 \
  --location "$D/media/tree-fedora" --cloud-init "ssh-key=$D/cloudinit/ssh-key.txt" --print-xml
rc=$?
check "location + cloud-init: prints both phases" test "$rc" = 0
check "location + cloud-init: first boot has the seed cdrom" \
  bash -c "awk '/^<domain/ { i++ } i == 1' '$tmp/out' | grep -q 'vminstall-[a-z0-9_]*-cloudinit.iso'"
check "location + cloud-init: first boot has the NoCloud serial" \
  bash -c "awk '/^<domain/ { i++ } i == 1' '$tmp/out' | grep -q '<entry name=\"serial\">ds=nocloud</entry>'"
check "location + cloud-init: later boots have an empty drive and no serial" \
  bash -c "awk '/^<domain/ { i++ } i == 2' '$tmp/out' | grep -c 'device=\"cdrom\"' | grep -qx 1 &&
           ! awk '/^<domain/ { i++ } i == 2' '$tmp/out' | grep -q 'cloudinit.iso\|sysinfo'"
check "print: no file written" nothing_left

# ---- dry runs write and remove everything ----
run --connect "$TD" --name vm1 --memory 1024 --osinfo fedora36 --disk size=1 \
  --location "$D/media/tree-fedora" --initrd-inject "$D/media/ks.cfg" \
  --cloud-init "ssh-key=$D/cloudinit/ssh-key.txt" \
  --unattended "user-login=bob,admin-password-file=$D/unattended/admin-password.txt" --dry-run
rc=$?
check "dry run: cloud-init + unattended + initrd-inject succeed" test "$rc" = 0
check "dry run: staged initrd, scripts and seed are gone" nothing_left
run --connect "$TD" --name vm1 --memory 1024 --osinfo win2k8r2 --disk size=1 \
  --cdrom "$D/media/fake.iso" --unattended "admin-password-file=$D/unattended/admin-password.txt" \
  --dry-run
rc=$?
check "dry run: unattended cdrom succeeds" test "$rc" = 0
check "dry run: the script cdrom is gone" nothing_left

# ---- failures after the seed was written ----
run --connect "$TD" --name vm1 --memory 512 --osinfo fedora36 --disk size=1 --disk size=1 \
  --disk size=1 --cdrom "$D/media/fake.iso" --cloud-init --dry-run
rc=$?
check "no IDE slot for the seed: exit 1" test "$rc" = 1
check "no IDE slot for the seed: one error line" one_error_line
check "no IDE slot for the seed: the written seed is removed" nothing_left

# ---- bad input: exit 1, one line, nothing left (dry runs, not --print-xml) ----
for c in err-cloudinit-user-data-missing err-cloudinit-user-data-no-header \
         err-cloudinit-user-data-bad-yaml err-unattended-no-scripts \
         err-unattended-cdrom-debian err-initrd-inject-missing; do
  args=()
  while IFS= read -r l || [ -n "$l" ]; do
    case $l in '#'*|'') continue ;; --print-xml) l=--dry-run ;; esac
    args+=("${l//@DATADIR@/$D}")
  done <"$D/cli/$c.args"
  case " ${args[*]} " in *" --connect "*) ;; *) args=(--connect "$TD" "${args[@]}") ;; esac
  run "${args[@]}"
  rc=$?
  check "$c --dry-run: exit 1, one error line, nothing left" \
    bash -c "[ $rc = 1 ] && [ \"\$(wc -l <'$tmp/err')\" = 1 ] && [ ! -s '$tmp/out' ] &&
             [ -z \"\$(find '$tmp/scratch' '$tmp/tmp' -mindepth 1)\" ]"
done

# ---- an install on the test driver: the password, and the seed removed ----
run --connect test:///default --name vmi-hands-off --memory 512 --osinfo fedora36 --import \
  --disk none --cloud-init --noautoconsole
rc=$?
pw=$(sed -n 's/^Password for first root login is: \([A-Za-z0-9]*\)$/\1/p' "$tmp/err")
check "test-driver install: succeeds" test "$rc" = 0
check "test-driver install: the 16-character password shown once on the terminal" \
  test "${#pw}" = 16
check "test-driver install: the password is not on stdout" bash -c "! grep -q '${pw:-none}' '$tmp/out'"
check "test-driver install: the seed ISO is removed once the guest started" nothing_left

echo "1..$n"
[ "$failures" = 0 ]
