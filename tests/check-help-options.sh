#!/bin/bash
# tests/check-help-options.sh: every option README.md names in "The options,
# in brief" is listed by `vminstall --help`, so the two cannot drift apart
# (tests/data/cli/help.out holds the whole text).  Prints TAP, one line per
# option.  Usage: check-help-options.sh [README.md]
# Environment: VMI_TEST_VMINSTALL (set by tests/meson.build).
set -u
here=$(cd "$(dirname "$0")" && pwd)
readme=${1:-$here/../README.md}
V=${VMI_TEST_VMINSTALL:-$here/../build/src/cli/vminstall}

# Named in the section but not options of their own, or hidden from --help
# as virt-install 4.1.0 hides them (argparse.SUPPRESS):
#   --opt         the placeholder of "--opt value"
#   --nographics  virt-install's old spelling of --graphics none
not_listed=" --opt --nographics "

help=$("$V" --help 2>/dev/null)
rc=$?
mapfile -t opts < <(sed -n '/^## The options, in brief/,/^## [^#]/p' "$readme" |
                    grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
if [ $rc -ne 0 ] || [ ${#opts[@]} -eq 0 ]; then
    echo "Bail out! vminstall --help exited $rc; ${#opts[@]} options found in $readme"
    exit 1
fi
echo "1..${#opts[@]}"
n=0 failures=0
for o in "${opts[@]}"; do
    n=$((n + 1))
    if [[ $not_listed == *" $o "* ]]; then
        echo "ok $n - $o (not in --help on purpose)"
    elif grep -qE -- "(^|[ ,])$o( |,|$)" <<<"$help"; then
        echo "ok $n - $o"
    else
        echo "not ok $n - $o is in README.md but not in vminstall --help"
        failures=$((failures + 1))
    fi
done
[ $failures -eq 0 ]
