#!/usr/bin/env bash
# fuzz/run-fuzz.sh BUILDDIR [SECONDS]
#
# Builds the libFuzzer targets of the media and osinfo modules with clang
# (-fsanitize=fuzzer,address,undefined; the library sources they need are
# compiled the same way, so that coverage guides the fuzzer) and runs each
# for SECONDS (default $VMI_FUZZ_SECONDS or 20) over its committed corpus:
#
#   fuzz-iso       ISO images: libarchive's reader, our volume descriptors,
#                  detection and extraction             (fuzz/corpus/iso)
#   fuzz-tree      directory trees with links out, loops ... and the
#                  distribution detection over them    (fuzz/corpus/tree)
#   fuzz-treeinfo  the .treeinfo reader                (fuzz/corpus/treeinfo)
#   fuzz-osinfo-scan  the osinfo-db index's XML scanner, against libxml2
#                  (fuzz/corpus/osinfo-scan)
#
# The committed corpora are only read; new inputs go to BUILDDIR/fuzz/new-*
# (copy the interesting ones into fuzz/corpus/ by hand), crashes to
# BUILDDIR/fuzz/crash-*.  Prints TAP, one line per target.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
out=$(mkdir -p "${1:?usage: run-fuzz.sh BUILDDIR [SECONDS]}/fuzz" && cd "$1/fuzz" && pwd)
seconds=${2:-${VMI_FUZZ_SECONDS:-20}}
targets=(fuzz-iso fuzz-tree fuzz-treeinfo fuzz-osinfo-scan)

mkdir -p "$out/obj"
echo "1..${#targets[@]}"

if ! command -v clang >/dev/null; then
  for t in "${targets[@]}"; do echo "ok - $t # SKIP clang is missing (Debian package clang)"; done
  exit 0
fi

pkgs="glib-2.0 gio-2.0 libxml-2.0 libvirt libarchive libcurl"
# every module's headers: the targets use the media module's own interface
# (and the build's generated public header, vminstall/version.h)
incs="-I$top/include -I$(cd "$1" && pwd)/include $(for d in "$top"/src/lib/*/; do printf -- '-I%s ' "$d"; done)"
cflags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined $incs $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs)"

# the library, as a static archive: a target pulls only what it uses
# (media and the modules it uses)
srcs=$(ls "$top"/src/lib/{core,request,osinfo,caps,conn,solaris,media}/*.c)
stamp=$(cat $srcs "$top"/include/vminstall/*.h "$top"/src/lib/*/*.h "$0" | sha256sum | cut -c1-16)
log="$out/build.log"
if [ "$(cat "$out/lib.stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -f "$out"/obj/*.o "$out/libvmi-fuzz.a"
  : > "$log"
  if ! printf '%s\n' $srcs | xargs -P "$(nproc)" -I{} sh -c \
       'o="$1/obj/$(echo "$2" | sed "s|.*/src/lib/||; s|/|_|g; s|\.c$|.o|")"; clang $3 -fsanitize=fuzzer-no-link -c "$2" -o "$o"' \
       _ "$out" {} "$cflags" >>"$log" 2>&1 ||
     ! ar rcs "$out/libvmi-fuzz.a" "$out"/obj/*.o >>"$log" 2>&1; then
    for t in "${targets[@]}"; do echo "not ok - $t # could not build the library with clang (see $log)"; done
    tail -n 20 "$log" | sed 's/^/# /'
    exit 0
  fi
  echo "$stamp" > "$out/lib.stamp"
fi

export XDG_CACHE_HOME="$out/cache"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
n=0
for t in "${targets[@]}"; do
  n=$((n + 1))
  name=${t#fuzz-}
  if ! clang $cflags -fsanitize=fuzzer "$here/$t.c" "$out/libvmi-fuzz.a" $libs -o "$out/$t" >>"$log" 2>&1; then
    echo "not ok $n - $t # does not build (see $log)"
    continue
  fi
  case $name in
    iso) max_len=262144 ;;
    *) max_len=65536 ;;
  esac
  mkdir -p "$out/new-$name"
  run_log="$out/$t.log"
  dict=()
  [ -f "$here/$t.dict" ] && dict=(-dict="$here/$t.dict")
  if (cd "$out" && "./$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$max_len" -artifact_prefix="$out/crash-$name-" -print_final_stats=1 \
        "${dict[@]}" "$out/new-$name" "$here/corpus/$name") >"$run_log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$run_log" | grep -o '[0-9]*$')
    cov=$(grep -o 'cov: [0-9]*' "$run_log" | tail -n 1)
    echo "ok $n - $t: ${runs:-?} inputs in ${seconds} s, ${cov:-cov: ?}"
  else
    echo "not ok $n - $t: crash or failure (log: $run_log, inputs: $out/crash-$name-*)"
    grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$run_log" | head -n 20 | sed 's/^/# /'
  fi
done
exit 0
