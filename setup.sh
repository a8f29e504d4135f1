#!/usr/bin/env bash
# ./setup.sh: the first quick-start command on a fresh Debian 12 machine.
#   1. installs the Debian packages of .ci/packages.txt (as root, or via sudo)
#   2. builds vminstall (release) in build/
#   3. runs the main job.  Until the install runner lands, that is printing
#      the two configurations of an example install: the install phase
#      (booting the CD-ROM) and the installed guest (booting its disk).
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
fi

echo "=== building vminstall (release) in build/"
if [ -e build/meson-private/coredata.dat ]; then
  meson setup --reconfigure build --buildtype=release >/dev/null
else
  meson setup build --buildtype=release >/dev/null
fi
ninja -C build

iso=tests/data/media/quickstart.iso
[ -e "$iso" ] || { mkdir -p "$(dirname "$iso")"; truncate -s 1M "$iso"; }

# the libvirt test driver with the host of tests/data/testdriver.xml: no daemon needed
cmd=(build/src/cli/vminstall --connect "test:///$top/tests/data/testdriver.xml"
     --name demo --memory 1024 --disk size=4 --cdrom "$top/$iso" --osinfo generic
     --print-xml)
echo "=== ${cmd[*]}"
"${cmd[@]}"
