#!/bin/bash
# Regenerates tests/unit/unattended/data/<case>/ from virt-install 4.1.0:
# the install scripts its --unattended writes (kept by keep-scripts.py
# before virt-install removes them) and, for tree installs, the kernel
# command line it logs.  test-unattended.c generates the same scripts
# with vminstall's unattended module and compares them byte for byte.
#
# The scripts depend on the host's timezone (/etc/localtime) and locale:
# regenerate with LANG=C (as here) and note the timezone in data/timezone;
# the test skips the comparison on a host with another timezone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
D=$top/tests/data
data=$here/data
U="__virtinst_test__test:///$D/testdriver.xml,caps=$D/caps/qemu-x86_64.xml,domcaps=$D/caps/domcaps-q35.xml,fakeuri=qemu:///system"
PW="admin-password-file=$data/admin-password.txt,user-password-file=$data/user-password.txt"

[ "$(virt-install --version)" = 4.1.0 ] || { echo "regen: need virt-install 4.1.0" >&2; exit 2; }
tmp=$(mktemp -d /tmp/vminstall-ua-regen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# case name, then virt-install arguments
run_case() {
    local name=$1; shift
    local keep=$tmp/$name
    mkdir -p "$keep"
    (cd "$tmp" && env -u VIRTINST_TEST_SUITE LANG=C LC_ALL=C KEEP_DIR="$keep" \
        XDG_CACHE_HOME=/tmp/vminstall-test-cache /usr/bin/python3 "$here/keep-scripts.py" \
        --connect "$U" --name vm1 --memory 2048 --disk size=10 "$@" \
        --print-xml --debug >"$keep/xml" 2>"$keep/log" </dev/null) ||
        { echo "regen: virt-install failed for $name:"; tail -5 "$keep/log"; exit 1; }
    rm -rf "${data:?}/$name"
    mkdir -p "$data/$name"
    # "Injecting src=/tmp/virtinst-unattended-scriptXXXX dst=fedora.ks into media=..."
    sed -n 's/.*Injecting src=\([^ ]*virtinst-unattended-script[^ ]*\) dst=\([^ ]*\) .*/\1 \2/p' \
        "$keep/log" | while read -r src dst; do
        cp "$keep/$(basename "$src")" "$data/$name/$dst"
    done
    sed -n 's/.*(installertreemedia:[0-9]*) Generated unattended cmdline: \(.*\)$/\1/p' \
        "$keep/log" > "$tmp/cmdline"
    if [ -s "$tmp/cmdline" ]; then cp "$tmp/cmdline" "$data/$name/cmdline"; fi
    printf '%s\n' "$@" | sed "s|$top|@TOP@|g" > "$data/$name/args"
    echo "regen: $name: $(cd "$data/$name" && ls | tr '\n' ' ')"
}

run_case fedora36-tree --osinfo fedora36 --location "$D/media/tree-fedora" \
    --unattended "$PW,user-login=alice"
run_case fedora36-jeos-tree --osinfo fedora36 --location "$D/media/tree-fedora" \
    --unattended "profile=jeos,$PW,user-login=Bob"
run_case debian11-tree --osinfo debian11 \
    --location "$D/media/tree-debian/dists/bullseye/main/installer-amd64" \
    --unattended "$PW,user-login=alice"
run_case win2k8r2-cdrom --osinfo win2k8r2 --cdrom "$D/media/fake.iso" \
    --unattended "$PW,user-login=alice,product-key=XXXXX-XXXXX-XXXXX-XXXXX-XXXXX,reg-login=corp"
readlink -f /etc/localtime | sed 's|.*zoneinfo/||' > "$data/timezone"
