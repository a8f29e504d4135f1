#!/usr/bin/env bash
# tests/run-tests.sh: build vminstall and run the whole test suite, twice.
#
#   1. build-werror/  built with -Dwerror=true
#   2. build-asan/    built with -Db_sanitize=address,undefined
#
# Every test speaks TAP.  The last line printed sums the TAP results of both
# runs: "N passed, M failed".  The exit status is non-zero when M > 0 or when
# no test ran.  A build that fails counts as one failed test.
#
# Installs nothing (./setup.sh or .ci/run install the Debian packages).
# Environment:
#   VMI_TEST_HAVE_LIBVIRTD=1  a libvirtd answers on qemu:///system: also run
#                             the tests that need it (.ci/run sets this)
#   VMI_TEST_BUILDS="werror asan"  which of the two runs to do
#   CI=true                   a missing libvirtd is a failure, not a skip
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

passed=0
failed=0

libvirtd_tests=false
if [ "${VMI_TEST_HAVE_LIBVIRTD:-0}" = 1 ]; then
  libvirtd_tests=true
  echo "libvirtd tests: registered (VMI_TEST_HAVE_LIBVIRTD=1)"
elif [ "${CI:-}" = true ]; then
  echo "libvirtd tests: NOT registered, and CI=true: counting this as a failure" \
       "(.ci/run starts libvirtd and sets VMI_TEST_HAVE_LIBVIRTD=1)"
  failed=$((failed + 1))
else
  echo "libvirtd tests: not registered (set VMI_TEST_HAVE_LIBVIRTD=1 when a libvirtd runs)"
fi

# count_tap TESTLOG.JSON: prints "PASSED FAILED SKIPPED" from meson's test log,
# and on stderr the TAP diagnostics of failed cases (meson's console shows
# only their names).  Each TAP "ok" is a pass and "not ok" a failure
# (SKIP/TODO lines are neither); a test program that failed without any
# "not ok" (crash, bad plan, timeout, non-zero exit) counts as one failure.
count_tap() {
  python3 - "$1" <<'EOF'
import json, re, sys

passed = failed = skipped = shown = 0
MAX_SHOWN = 600  # lines of failure diagnostics, over all tests
bad = {"FAIL", "ERROR", "TIMEOUT", "UNEXPECTEDPASS", "INTERRUPT"}
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for line in log:
        line = line.strip()
        if not line:
            continue
        test = json.loads(line)
        not_ok = 0
        showing = False
        for out in (test.get("stdout") or "").splitlines():
            m = re.match(r"(not ok|ok)\b(.*)$", out)
            if not m:
                if showing and out.startswith("#") and shown < MAX_SHOWN:
                    print("    " + out, file=sys.stderr)
                    shown += 1
                continue
            showing = False
            directive = re.search(r"#\s*(SKIP|TODO)", m.group(2), re.I)
            if directive:
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                not_ok += 1
                showing = True
                if shown < MAX_SHOWN:
                    print("  %s: %s" % (test.get("name"), out), file=sys.stderr)
                    shown += 1
        if test.get("result") in bad and not_ok == 0:
            print("  %s: %s (%s)" % (test.get("name"), test.get("result"),
                                     (test.get("stderr") or "").strip()[-200:]),
                  file=sys.stderr)
            failed += 1
print(passed, failed, skipped)
EOF
}

# run_build NAME MESON-OPTION...: configure, build, test; adds to the counts.
run_build() {
  local name=$1
  shift
  local dir="$top/build-$name"
  local log="$dir/meson-logs/testlog.json"
  local counts p f s setup_out

  echo "=== $name build ($dir: $*)"
  local setup=(meson setup "$dir" "$@" -Dlibvirtd_tests="$libvirtd_tests")
  [ -e "$dir/meson-private/coredata.dat" ] && setup+=(--reconfigure)
  if ! setup_out=$("${setup[@]}" 2>&1); then
    tail -n 30 <<<"$setup_out"
    echo "=== $name: meson setup failed (counted as 1 failed test)"
    failed=$((failed + 1))
    return
  fi
  if ! ninja -C "$dir"; then
    echo "=== $name: build failed (counted as 1 failed test)"
    failed=$((failed + 1))
    return
  fi
  rm -f "$log"
  meson test -C "$dir" --print-errorlogs --timeout-multiplier "${VMI_TEST_TIMEOUT_MULTIPLIER:-1}"
  if [ ! -s "$log" ]; then
    echo "=== $name: meson test wrote no test log (counted as 1 failed test)"
    failed=$((failed + 1))
    return
  fi
  if ! counts=$(count_tap "$log"); then
    echo "=== $name: cannot read $log (counted as 1 failed test)"
    failed=$((failed + 1))
    return
  fi
  read -r p f s <<<"$counts"
  echo "=== $name: $p passed, $f failed, $s skipped"
  passed=$((passed + p))
  failed=$((failed + f))
}

for build in ${VMI_TEST_BUILDS:-werror asan}; do
  case $build in
    werror) run_build werror -Dwerror=true ;;
    asan) VMI_TEST_TIMEOUT_MULTIPLIER=${VMI_TEST_TIMEOUT_MULTIPLIER:-2} \
            run_build asan -Db_sanitize=address,undefined -Db_lundef=false ;;
    *) echo "unknown build '$build' in VMI_TEST_BUILDS (werror, asan)"; failed=$((failed + 1)) ;;
  esac
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
