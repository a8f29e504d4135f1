#!/usr/bin/env bash
# tests/lib/check-symbols.sh LIBVMINSTALL.SO SRCDIR BUILDDIR: the shared
# library exports exactly the functions the public headers declare
# (include/vminstall, and the generated version.h), all named vmi_*, and
# the public headers define no struct whose fields a caller could use.
# Prints TAP.
set -uo pipefail

lib=$1 src=$2 build=$3
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; shift; printf '# %s\n' "$@"; }
echo 1..4

exported=$(nm -D --defined-only "$lib" | awk '{ print $3 }' | sort -u)
others=$(grep -v '^vmi_' <<<"$exported")
if [ -n "$exported" ] && [ -z "$others" ]; then
  ok "nm -D shows only vmi_* ($(wc -l <<<"$exported") symbols)"
else
  not_ok "nm -D shows only vmi_*" $others
fi

headers=("$src"/include/vminstall/*.h "$build"/include/vminstall/version.h)
# every function name followed by "(" in a declaration of the headers
declared=$(sed 's|/\*.*\*/||' "${headers[@]}" | tr '\n' ' ' | sed 's|/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/||g' |
           grep -oE '\bvmi_[a-z0-9_]+ *\(' | tr -d ' (' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
if [ -z "$missing" ]; then
  ok "every function of include/vminstall is exported"
else
  not_ok "every function of include/vminstall is exported" "not exported: "$missing
fi
if [ -z "$extra" ]; then
  ok "nothing else is exported"
else
  not_ok "nothing else is exported" "exported, not in a public header: "$extra
fi

# opaque types: no struct body and no typedef of an anonymous struct
bodies=$(grep -nE '^(typedef )?struct[^;(]*\{' "${headers[@]}")
if [ -z "$bodies" ]; then
  ok "the public headers define no struct with fields (opaque types only)"
else
  not_ok "the public headers define no struct with fields" "$bodies"
fi
