#!/usr/bin/env bash
# bench/media-extract.sh [-n RUNS] [-d DIR] [VMINSTALL]
#
# Finding and extracting the installer's kernel and initrd from a 4 GB ISO
# (made sparse by tests/media-trees/build-trees.sh --big: 3.9 GB of
# squashfs first, then install.amd/vmlinuz (8 MB) and initrd.gz (40 MB),
# 2000 small files, Rock Ridge + Joliet + El Torito), compared with:
#
#   cat > /dev/null   reading the two files from a plain directory (the floor)
#   cat > copies      the same, writing copies (what staging must do)
#   vminstall         --location ISO --dry-run: open, detect, extract both
#                     into the scratch dir, remove them
#   vminstall-base    the same tool with the ISO as --cdrom and the OS named:
#                     no media work (start-up, connection, defaults only)
#   virt-install      the same command line (xorriso -find, then one
#                     xorriso -extract per file)
#
# For each: bytes read (rchar of the whole process tree, children included)
# and the median wall time of RUNS runs (default 5) with a warm page cache.
# Targets: vminstall within 1.5x of the floor (reported for the whole
# process and for its media work, vminstall - vminstall-base), and at least
# 10x faster than virt-install.  DIR (default build/bench-media) keeps the 4 GB image
# (sparse: ~50 MB on disk) between runs.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=5
dir=$top/build/bench-media
while getopts n:d: opt; do
  case $opt in
    n) runs=$OPTARG ;;
    d) dir=$OPTARG ;;
    *) echo "usage: $0 [-n RUNS] [-d DIR] [VMINSTALL]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
vminstall=${1:-$top/build/src/cli/vminstall}
[ -x "$vminstall" ] || { echo "no vminstall at $vminstall (build first, or pass its path)" >&2; exit 1; }

mkdir -p "$dir"
iso=$dir/big.iso
if [ ! -f "$iso" ]; then
  echo "making the 4 GB sparse ISO in $dir (about 15 s) ..." >&2
  "$top/tests/media-trees/build-trees.sh" "$dir" --big >&2
fi
files=$dir/big-files
scratch=$(mktemp -d "$dir/scratch-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

data=$top/tests/data
uri="__virtinst_test__test:///$data/testdriver.xml,caps=$data/caps/qemu-x86_64.xml,domcaps=$data/caps/domcaps-q35.xml,fakeuri=qemu:///system"
common=(--connect "$uri" --name bench --memory 1024 --disk none
        --osinfo detect=on,require=off --location "$iso" --dry-run)

# run_measured CMD...: prints "NANOSECONDS RCHAR" for one run
run_measured() {
  bash -c '
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }
    end=$(date +%s%N)
    echo "$((end - start)) $(awk "/^rchar/ {print \$2}" /proc/$$/io)"
  ' _ "$@"
}

# measure NAME CMD...: median time and bytes over $runs runs (plus one warm-up)
declare -A time_ms bytes
measure() {
  local name=$1; shift
  local out ts=() rc=()
  run_measured "$@" >/dev/null
  for _ in $(seq "$runs"); do
    out=$(run_measured "$@")
    ts+=("${out% *}")
    rc+=("${out#* }")
    find "$scratch" -mindepth 1 -maxdepth 1 ! -name home -exec rm -rf {} +
  done
  time_ms[$name]=$(printf '%s\n' "${ts[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1e6}')
  bytes[$name]=$(printf '%s\n' "${rc[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
}

measure cat-null sh -c 'cat "$1/vmlinuz" "$1/initrd.gz" > /dev/null' _ "$files"
measure cat-copy sh -c 'cat "$1/vmlinuz" > "$2/k"; cat "$1/initrd.gz" > "$2/i"' _ "$files" "$scratch"
measure vminstall env VMINSTALL_SCRATCH_DIR="$scratch" "$vminstall" "${common[@]}"
# the same tool run without the media work (an ISO attached as --cdrom,
# OS named): its start-up, connection and defaults, which cat does not pay
measure vminstall-base env VMINSTALL_SCRATCH_DIR="$scratch" "$vminstall" --connect "$uri" \
  --name bench --memory 1024 --disk none --osinfo debian11 --cdrom "$iso" --dry-run
have_virtinst=0
if command -v virt-install >/dev/null; then
  have_virtinst=1
  measure virt-install env HOME="$scratch/home" virt-install "${common[@]}"
fi
leftover=$(find "$scratch" -mindepth 1 -maxdepth 1 ! -name home | wc -l)

size=$(stat -c %s "$iso")
payload=$(( $(stat -c %s "$files/vmlinuz") + $(stat -c %s "$files/initrd.gz") ))
printf '\nISO %s: %d bytes (%d on disk); kernel + initrd: %d bytes; %d runs, medians\n\n' \
  "$iso" "$size" "$(( $(stat -c %b "$iso") * 512 ))" "$payload" "$runs"
printf '%-14s %12s %14s %10s\n' "" "wall ms" "bytes read" "x payload"
for n in cat-null cat-copy vminstall vminstall-base virt-install; do
  [ -n "${time_ms[$n]:-}" ] || continue
  printf '%-14s %12s %14s %10.2f\n' "$n" "${time_ms[$n]}" "${bytes[$n]}" \
    "$(echo "${bytes[$n]} / $payload" | bc -l)"
done
echo
floor=${time_ms[cat-copy]}
ratio_floor=$(echo "${time_ms[vminstall]} / $floor" | bc -l)
printf 'vminstall / floor (cat > copies): %.2fx (target <= 1.5)  %s\n' "$ratio_floor" \
  "$( [ "$(echo "$ratio_floor <= 1.5" | bc)" = 1 ] && echo met || echo NOT met)"
media=$(echo "${time_ms[vminstall]} - ${time_ms[vminstall-base]}" | bc -l)
printf 'vminstall media work (vminstall - vminstall-base = %.1f ms) / floor: %.2fx\n' "$media" \
  "$(echo "$media / $floor" | bc -l)"
printf 'vminstall / floor (cat > /dev/null): %.2fx\n' "$(echo "${time_ms[vminstall]} / ${time_ms[cat-null]}" | bc -l)"
if [ $have_virtinst = 1 ]; then
  speedup=$(echo "${time_ms[virt-install]} / ${time_ms[vminstall]}" | bc -l)
  printf 'virt-install / vminstall: %.1fx faster (target >= 10)  %s\n' "$speedup" \
    "$( [ "$(echo "$speedup >= 10" | bc)" = 1 ] && echo met || echo NOT met)"
fi
printf 'files left in the scratch dir: %d\n' "$leftover"
