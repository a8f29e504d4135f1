#!/usr/bin/env bash
# tests/lib/check-install.sh BUILDDIR SRCDIR [--qemu]: libvminstall as other
# programs get it.  Installs the build into a scratch prefix (meson install
# --destdir), builds examples/print-phases.c and examples/install.c with
# `cc $(pkg-config --cflags --libs vminstall)` and nothing else
# (vminstall.pc is relocatable: its prefix is where it is), and checks:
#   - print-phases prints the two phases the installed vminstall prints for
#     the same guest (--print-xml), but for the random UUID and MAC;
#   - the install example installs on the libvirt test driver;
#   - the headers, the pkg-config file and the API reference are installed;
#   - with --qemu (a libvirtd answers on qemu:///system): a real install of
#     the project's test OS (tests/media/) through the example, under
#     software emulation, whose installed system boots from its disk.
# Prints TAP.
set -uo pipefail

build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
qemu=false
[ "${3:-}" = --qemu ] && qemu=true
work=$(mktemp -d /tmp/vminstall-lib-install.XXXXXX)
dest=$work/dest
guest=vmi-lib-example-$$
cleanup() {
  if $qemu; then
    virsh -q -c qemu:///system destroy "$guest" >/dev/null 2>&1
    virsh -q -c qemu:///system undefine "$guest" --nvram --remove-all-storage >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT

n=0
plan=7
$qemu && plan=$((plan + 2))
echo "1..$plan"
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && tail -n 15 "$2" | sed 's/^/# /'; }
check() { local what=$1; shift; if "$@" >"$work/last.log" 2>&1; then ok "$what"; else not_ok "$what" "$work/last.log"; fi; }

check "meson install --destdir puts the project into a scratch prefix" \
  meson install -C "$build" --destdir "$dest" --no-rebuild --quiet

pc=$(find "$dest" -name vminstall.pc | head -n 1)
export PKG_CONFIG_PATH=${pc%/*}
lib=$(find "$dest" -name 'libvminstall.so.0' | head -n 1)
bin=$(find "$dest" -path '*/bin/vminstall' | head -n 1)
export LD_LIBRARY_PATH=${lib%/*}
headers=$(cd "$(find "$dest" -type d -path '*/include/vminstall' | head -n 1)" 2>/dev/null && ls)
if [ -n "$pc" ] && [ -n "$lib" ] && [ -n "$bin" ] &&
   [ "$(echo $headers)" = "cli.h conn.h error.h installer.h media.h request.h run.h version.h vminstall.h" ]; then
  ok "installed: vminstall.pc, libvminstall.so.0, bin/vminstall and the public headers only"
else
  not_ok "installed: vminstall.pc, libvminstall.so.0, bin/vminstall and the public headers only"
  echo "# pc=$pc lib=$lib bin=$bin headers: "$headers
fi

flags=$(pkg-config --cflags --libs vminstall 2>"$work/pc.log")
check "examples/print-phases.c builds with pkg-config --cflags --libs vminstall alone" \
  cc -std=gnu11 -Wall -Werror "$src/examples/print-phases.c" $flags -o "$work/print-phases"
check "examples/install.c builds with pkg-config --cflags --libs vminstall alone" \
  cc -std=gnu11 -Wall -Werror "$src/examples/install.c" $flags -o "$work/install"

# the random UUID and MAC are the only differences a second run makes
normal() { sed -E 's|<uuid>[^<]*</uuid>|<uuid>UUID</uuid>|; s|<mac address="[^"]*"/>|<mac address="MAC"/>|' "$1"; }
uri=test:///$src/tests/data/testdriver.xml
iso=$src/tests/data/media/fake.iso
"$work/print-phases" "$uri" "$iso" >"$work/example.xml" 2>"$work/example.err"
"$bin" --connect "$uri" --name demo --memory 1024 --disk none --cdrom "$iso" --osinfo linux2020 \
  --print-xml >"$work/cli.xml" 2>"$work/cli.err"
if [ -s "$work/cli.xml" ] && [ "$(grep -c '<domain' "$work/example.xml")" = 2 ] &&
   diff <(normal "$work/cli.xml") <(normal "$work/example.xml") >"$work/diff.log" &&
   [ "$(grep -o '<uuid>[^<]*' "$work/example.xml" | sort -u | wc -l)" = 1 ]; then
  ok "print-phases prints the two phases of vminstall --print-xml (one UUID for both)"
else
  cat "$work/example.err" "$work/cli.err" >>"$work/diff.log"
  not_ok "print-phases prints the two phases of vminstall --print-xml" "$work/diff.log"
fi

# The test driver lives in the process: the install defines and starts the
# guest there; --wait=0 leaves it running.
if "$work/install" test:///default "$guest" "$iso" --memory=64 --disk=size=1 --wait=0 \
     >"$work/test-driver.log" 2>&1 &&
   grep -q "^install: after-create$" "$work/test-driver.log" &&
   grep -q "Domain is still running" "$work/test-driver.log"; then
  ok "the install example defines and starts the guest on the test driver"
else
  not_ok "the install example defines and starts the guest on the test driver" \
    "$work/test-driver.log"
fi

docs=$(find "$dest" -path '*/doc/vminstall/html/index.html' | head -n 1)
if [ -n "$docs" ] && grep -q vmi_installer_new "$(dirname "$docs")"/installer_8h.html; then
  ok "the API reference is installed (doc/vminstall/html)"
elif [ ! -d "$build/docs/html" ]; then
  ok "the API reference is installed # SKIP built without doxygen"
else
  not_ok "the API reference is installed (doc/vminstall/html)"
fi

if $qemu; then
  media=$src/tests/media-out
  if ! "$src/tests/media/build-media.sh" "$media" >"$work/media.log" 2>&1; then
    not_ok "a real install of the test OS through the example" "$work/media.log"
    not_ok "its installed system boots from the disk"
    exit 0
  fi
  log=$work/serial.log
  timeout 300 "$work/install" qemu:///system "$guest" "$media/cdrom.iso" --virt-type=qemu \
    --memory=256 --vcpus=1 --osinfo=linux2020 --network=none --graphics=none \
    --disk=size=0.05,bus=virtio --serial="pty,log.file=$log,log.append=on" \
    </dev/null >"$work/qemu.log" 2>&1
  rc=$?
  if [ "$rc" = 0 ] && grep -qa VMINSTALL-TEST-INSTALLER-DONE "$log"; then
    ok "a real install of the test OS through the example (qemu:///system)"
  else
    echo "exit status $rc" >>"$work/qemu.log"
    not_ok "a real install of the test OS through the example (qemu:///system)" "$work/qemu.log"
  fi
  if awk '/VMINSTALL-TEST-INSTALLER-DONE/ { i = 1 } i && /VMINSTALL-TEST-INSTALLED-BOOT/ { b = 1 }
          b && /record: installed-by=installer/ { r = 1 } END { exit !r }' "$log" 2>/dev/null; then
    ok "its installed system boots from the disk the installer wrote"
  else
    not_ok "its installed system boots from the disk the installer wrote" "$work/qemu.log"
  fi
fi
exit 0
