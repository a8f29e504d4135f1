#!/usr/bin/env bash
# bench/print-xml.sh: vminstall vs virt-install 4.1.0, whole-process runs of
# `--print-xml` command lines against the same libvirt test-driver URI.
#
# usage: bench/print-xml.sh [-n RUNS] [-k CASES] [-b BASELINE] [VMINSTALL]
#   RUNS       runs per tool and command line (default 10)
#   CASES      how many command lines to take from tests/data/cli (default 8)
#   BASELINE   another vminstall binary (an older build) to measure side by
#              side: its runs alternate with VMINSTALL's, so both see the
#              same load, and the report compares their medians
#   VMINSTALL  the binary to measure (default build/src/cli/vminstall, the
#              release build of ./setup.sh)
#
# The command lines are tests/data/cli cases that expect XML (not errors),
# spread evenly over the sorted case names, with @DATADIR@ replaced and
# --connect test:///<tests/data>/testdriver.xml put in front exactly as
# tests/test-cli-cases.c does.  Each run is timed with bash's EPOCHREALTIME
# (no fork for the clock); peak RSS comes from separate runs (the first 3)
# under /usr/bin/time -f %M, so its overhead stays out of the times.  Prints per-command and overall medians, the ratio,
# peak RSS, and whether the targets hold: vminstall >= 20x faster per
# invocation, peak RSS < 15 MB (15,000,000 bytes).
#
# The floor: two tiny C programs built here with libvirt, run as often as
# the tools: one that links libvirt and returns at once (the price of
# loading libvirt and the 60 libraries it pulls in), and one that also
# opens the same test URI and reads its capabilities (what any libvirt
# client must do before it can print a guest's XML).  A target below the
# floor cannot be met by a program that uses libvirt; the report says so.
# Cases with --unattended are left out: generating install scripts loads
# libosinfo's whole database (as virt-install does), which the index that
# makes the other commands fast cannot replace.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=10
ncases=8
baseline=
while getopts n:k:b: opt; do
  case $opt in
    n) runs=$OPTARG ;;
    k) ncases=$OPTARG ;;
    b) baseline=$OPTARG ;;
    *) sed -n '4,12p' "$0" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
vminstall=${1:-$top/build/src/cli/vminstall}
datadir=$top/tests/data
casedir=$datadir/cli
uri="test:///$datadir/testdriver.xml"

for need in "$vminstall" ${baseline:+"$baseline"} /usr/bin/time \
            "$(command -v virt-install || echo virt-install)"; do
  if [ ! -x "$need" ]; then
    echo "bench: $need is missing (run ./setup.sh first)" >&2
    exit 1
  fi
done

# ---- the command lines: one file per case, one argument per line ----
work=$(mktemp -d /tmp/vminstall-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

all=()
if [ -d "$casedir" ]; then
  for f in "$casedir"/*.args; do
    [ -e "$f" ] || continue
    name=$(basename "$f" .args)
    grep -qx -- '--unattended' "$f" && continue
    [ -e "$casedir/$name.xml" ] && all+=("$name")
  done
fi
picked=()
if [ "${#all[@]}" -gt 0 ]; then
  step=$(( (${#all[@]} + ncases - 1) / ncases ))
  for ((i = 0; i < ${#all[@]} && ${#picked[@]} < ncases; i += step)); do
    picked+=("${all[$i]}")
  done
  for name in "${picked[@]}"; do
    args=()
    while IFS= read -r line || [ -n "$line" ]; do
      line=${line%$'\r'}
      case $line in ''|'#'*) continue ;; esac
      args+=("${line//@DATADIR@/$datadir}")
    done <"$casedir/$name.args"
    has_connect=false
    for a in "${args[@]}"; do
      case $a in -c|--connect|--connect=*) has_connect=true ;; esac
    done
    [ "$has_connect" = true ] || args=(--connect "$uri" "${args[@]}")
    printf '%s\n' "${args[@]}" >"$work/$name.cmd"
  done
else
  # no corpus: the example install of ./setup.sh
  iso=$datadir/media/quickstart.iso
  [ -e "$iso" ] || { mkdir -p "$(dirname "$iso")"; truncate -s 1M "$iso"; }
  picked=(quickstart)
  printf '%s\n' --connect "$uri" --name demo --memory 1024 --disk size=4 \
    --cdrom "$iso" --osinfo generic --print-xml >"$work/quickstart.cmd"
fi

# ---- the floor programs ----
cat >"$work/floor.c" <<'EOC'
#include <stdlib.h>
#include <libvirt/libvirt.h>
/* no argument: load libvirt and return; URI: open it, read capabilities */
int main(int argc, char **argv)
{
  virConnectPtr conn;
  char *caps;

  if (argc < 2)
    return 0;
  if (!(conn = virConnectOpen(argv[1])))
    return 1;
  caps = virConnectGetCapabilities(conn);
  free(caps);
  virConnectClose(conn);
  return caps ? 0 : 1;
}
EOC
# shellcheck disable=SC2046  # pkg-config prints several words
cc -O2 -o "$work/floor" "$work/floor.c" $(pkg-config --cflags --libs libvirt)
"$work/floor" "$uri" || { echo "bench: the floor program cannot open $uri" >&2; exit 1; }

# ---- runs ----
results=$work/results.tsv
: >"$results"
declare -A exe=([vminstall]="$vminstall" [virt-install]=virt-install)
tools=(vminstall virt-install)
if [ -n "$baseline" ]; then
  exe[baseline]=$baseline
  tools=(vminstall baseline virt-install)
fi
measure_floor() {
  local tool=$1 start end kib=-
  shift
  start=$EPOCHREALTIME
  "$work/floor" "$@" >/dev/null 2>&1
  end=$EPOCHREALTIME
  if [ "$r" -lt "$rss_runs" ]; then
    /usr/bin/time -f %M -o "$work/rss" "$work/floor" "$@" >/dev/null 2>&1
    kib=$(tail -n 1 "$work/rss")
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$tool" - "$start" "$end" "$kib" >>"$results"
}
rss_runs=3   # peak RSS from the first runs, in separate runs under /usr/bin/time
echo "bench: ${#picked[@]} command lines x $runs runs per tool"
for name in "${picked[@]}"; do
  mapfile -t args <"$work/$name.cmd"
  ok=true
  for tool in "${tools[@]}"; do
    # one unmeasured run: warms the page cache and checks the command works
    if ! "${exe[$tool]}" "${args[@]}" >/dev/null 2>"$work/err"; then
      echo "  $name: $tool fails ($(tail -n 1 "$work/err")); command line left out"
      ok=false
      break
    fi
  done
  [ "$ok" = true ] || continue
  for ((r = 0; r < runs; r++)); do
    for tool in "${tools[@]}"; do
      start=$EPOCHREALTIME
      "${exe[$tool]}" "${args[@]}" >/dev/null 2>&1
      end=$EPOCHREALTIME
      kib=-
      if [ "$r" -lt "$rss_runs" ]; then
        /usr/bin/time -f %M -o "$work/rss" "${exe[$tool]}" "${args[@]}" >/dev/null 2>&1
        kib=$(tail -n 1 "$work/rss")
      fi
      printf '%s\t%s\t%s\t%s\t%s\n' "$tool" "$name" "$start" "$end" "$kib" >>"$results"
    done
    measure_floor floor-load
    measure_floor floor-caps "$uri"
  done
done

if [ ! -s "$results" ]; then
  echo "bench: no command line ran on both tools; nothing measured"
  exit 1
fi

# ---- statistics ----
python3 - "$results" <<'EOF'
import statistics, sys
from collections import defaultdict

wall = defaultdict(list)   # (tool, case) -> seconds
rss = defaultdict(list)    # (tool, case) -> KiB
cases = []
for line in open(sys.argv[1]):
    tool, case, start, end, kib = line.rstrip("\n").split("\t")
    wall[tool, case].append(float(end) - float(start))
    if kib != "-":
        rss[tool, case].append(int(kib))
    if case not in cases and case != "-":
        cases.append(case)

def med_ms(xs):
    return statistics.median(xs) * 1000

print("%-32s %12s %12s %7s %10s %10s" % ("command line", "virt-install", "vminstall",
                                        "ratio", "RSS vi", "RSS vm"))
for c in cases:
    vi, vm = med_ms(wall["virt-install", c]), med_ms(wall["vminstall", c])
    print("%-32s %9.1f ms %9.1f ms %6.1fx %7.1f MiB %6.1f MiB" % (
        c[:32], vi, vm, vi / vm, max(rss["virt-install", c]) / 1024,
        max(rss["vminstall", c]) / 1024))

tools = ("virt-install", "vminstall", "baseline", "floor-load", "floor-caps")
all_wall = {t: [x for (tt, _), xs in wall.items() if tt == t for x in xs] for t in tools}
all_rss = {t: [x for (tt, _), xs in rss.items() if tt == t for x in xs] for t in tools}
vi, vm = med_ms(all_wall["virt-install"]), med_ms(all_wall["vminstall"])
ratio = vi / vm
peak_vm = max(all_rss["vminstall"])
print()
print("median wall per invocation: virt-install %.1f ms, vminstall %.1f ms (%d runs each)"
      % (vi, vm, len(all_wall["vminstall"])))
print("ratio: vminstall is %.1fx faster" % ratio)
print("peak RSS: virt-install %.1f MiB, vminstall %.1f MiB (max over all runs)"
      % (max(all_rss["virt-install"]) / 1024, peak_vm / 1024))
print()
print("the floor of a libvirt client (same runs):")
for t, what in (("floor-load", "links libvirt, returns at once"),
                ("floor-caps", "also opens the test URI, reads capabilities")):
    f = med_ms(all_wall[t])
    print("  %-10s %-46s %7.1f ms %6.1f MiB  (virt-install / it: %.1fx)"
          % (t, what, f, max(all_rss[t]) / 1024, vi / f))
print("vminstall above floor-caps: %.1f ms, %.1f MiB"
      % (vm - med_ms(all_wall["floor-caps"]),
         (peak_vm - max(all_rss["floor-caps"])) / 1024))
if all_wall["baseline"]:
    print()
    print("side by side with the baseline (runs alternating):")
    for c in cases:
        b, v = med_ms(wall["baseline", c]), med_ms(wall["vminstall", c])
        print("  %-32s baseline %7.1f ms  vminstall %7.1f ms  (%+.1f%%)"
              % (c[:32], b, v, (v - b) / b * 100))
    b = med_ms(all_wall["baseline"])
    print("  all: baseline %.1f ms, vminstall %.1f ms (%+.1f%%); peak RSS %.1f and %.1f MiB"
          % (b, vm, (vm - b) / b * 100, max(all_rss["baseline"]) / 1024, peak_vm / 1024))
print()
speed_ok = ratio >= 20
rss_ok = peak_vm * 1024 < 15_000_000
print("target >= 20x faster: %s (%.1fx)" % ("MET" if speed_ok else "NOT MET", ratio))
print("target peak RSS < 15 MB: %s (%.2f MB)" % ("MET" if rss_ok else "NOT MET",
                                                  peak_vm * 1024 / 1e6))
EOF
