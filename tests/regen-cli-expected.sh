#!/bin/bash
# Regenerate the expected outputs of the CLI oracle corpus from virt-install 4.1.0.
#
#   tests/regen-cli-expected.sh [--verify] [CASE ...]
#
# CASE is a case name (disk-bus-virtio), a .args path, or nothing for every case in
# tests/data/cli and tests/data/cli-qemu.  See tests/data/cli/README.md for the formats.
#
#   NAME.xml       (success cases) rewritten from virt-install's stdout (with the absolute
#                  data directory written back as @DATADIR@), but only when it
#                  differs from the committed file after normalisation (uuid, MAC, scratch
#                  names), so a rerun leaves an unchanged tree.
#   NAME.out       vminstall's own text output (help): never touched here.
#   NAME.err       (error cases, names starting with "err-") is written by hand and never
#                  touched here; the script checks that virt-install fails too (exit != 0),
#                  or succeeds for cases marked "#! virt-install-accepts", and saves
#                  virt-install's stderr in NAME.oracle-err.
#   --verify       write nothing; report cases whose normalised output differs.
#
# Cases connecting to the real qemu:///system must use --dry-run; the pools, volumes and
# domains present before each such run are snapshotted, and the dir pools virt-install
# auto-creates for local media directories (even with --dry-run) are deactivated and
# undefined afterwards when they point inside tests/data (files are never deleted);
# anything else new is only reported.  Those cases are skipped when no libvirtd answers.
set -u

here=$(cd "$(dirname "$0")" && pwd)
DATADIR=$here/data
VIRT_INSTALL=${VIRT_INSTALL:-virt-install}
# virt-install uses $XDG_CACHE_HOME/virt-manager/boot as scratch directory when the
# system one (/var/lib/libvirt/boot, /var/lib/xen for Xen) is missing or not writable,
# and writes its log there: pin it so that scratch paths in the expected XML are stable.
CACHE_HOME=${VMINSTALL_TEST_CACHE_HOME:-/tmp/vminstall-test-cache}

verify=0
if [ "${1:-}" = "--verify" ]; then verify=1; shift; fi

want_version=4.1.0
have_version=$("$VIRT_INSTALL" --version 2>/dev/null)
if [ "$have_version" != "$want_version" ]; then
    echo "regen: need virt-install $want_version, found '${have_version:-none}'" >&2
    exit 2
fi
mkdir -p "$CACHE_HOME"

tmp=$(mktemp -d /tmp/vminstall-regen.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

normalise() {
    sed -E \
        -e 's|<uuid>[0-9a-fA-F-]{36}</uuid>|<uuid>@UUID@</uuid>|' \
        -e 's|<mac address="[0-9a-fA-F:]{17}"/>|<mac address="@MAC@"/>|' \
        -e 's|virtinst-[A-Za-z0-9_]{8}-|virtinst-@RANDOM@-|g' "$1"
}

qemu_up=unknown
qemu_available() {
    if [ "$qemu_up" = unknown ]; then
        if virsh -q -c qemu:///system uri >/dev/null 2>&1; then qemu_up=yes; else qemu_up=no; fi
    fi
    [ "$qemu_up" = yes ]
}

qemu_snapshot() {  # $1: output file
    local p
    {
        virsh -q -c qemu:///system list --all --name | sed '/^$/d; s/^/dom /'
        for p in $(virsh -q -c qemu:///system pool-list --all --name); do
            echo "pool $p"
            virsh -q -c qemu:///system vol-list "$p" 2>/dev/null | awk -v p="$p" 'NF { print "vol " p " " $1 }'
        done
    } | sort > "$1"
}

qemu_cleanup() {  # $1: snapshot before, $2: snapshot after
    # Only ever deactivate+undefine the dir pools virt-install made for our own media
    # directories (target inside $DATADIR).  Never vol-delete or pool-delete: a pool made
    # for an existing directory lists the real files as its volumes.  Anything else that
    # appeared is reported, not touched (another user of the daemon may have made it).
    local kind a b target
    comm -13 "$1" "$2" | while read -r kind a b; do
        case $kind in
        pool)
            target=$(virsh -q -c qemu:///system pool-dumpxml "$a" 2>/dev/null |
                     sed -n 's|.*<path>\(.*\)</path>.*|\1|p' | head -n 1)
            case $target in
            "$DATADIR"|"$DATADIR"/*)
                echo "  cleanup: removing pool $a (target $target; files kept)"
                virsh -q -c qemu:///system pool-destroy "$a" >/dev/null 2>&1
                virsh -q -c qemu:///system pool-undefine "$a" >/dev/null ;;
            *)  echo "  warning: new pool $a (target $target) left alone" ;;
            esac ;;
        dom) echo "  warning: new domain $a left alone" ;;
        vol) case $(sed -n "s/^pool \(.*\)$/\1/p" "$1" | grep -cx "$a") in
             0) ;;  # volume of a pool that is new too: the pool's own directory listing
             *) echo "  warning: new volume $b in pool $a left alone" ;;
             esac ;;
        esac
    done
}

cases=()
if [ $# -eq 0 ]; then
    for f in "$DATADIR"/cli/*.args "$DATADIR"/cli-qemu/*.args; do
        [ -e "$f" ] && cases+=("$f")
    done
else
    for c in "$@"; do
        [ -f "$c" ] || c=$(basename "${c%.args}")
        if [ -f "$c" ]; then cases+=("$(cd "$(dirname "$c")" && pwd)/$(basename "$c")")
        elif [ -f "$DATADIR/cli/$c.args" ]; then cases+=("$DATADIR/cli/$c.args")
        elif [ -f "$DATADIR/cli-qemu/$c.args" ]; then cases+=("$DATADIR/cli-qemu/$c.args")
        else echo "regen: no case '$c'" >&2; exit 2
        fi
    done
fi

n_written=0 n_same=0 n_err_ok=0 n_fail=0 n_skip=0 n_missing_err=0
for f in "${cases[@]}"; do
    base=${f%.args}
    name=$(basename "$base")
    # NAME.out cases check vminstall's own texts (help); there is no oracle
    if [ -f "$base.out" ]; then
        n_skip=$((n_skip + 1))
        continue
    fi
    args=()
    accepts=0
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        '#! virt-install-accepts'*) accepts=1; continue ;;
        '#'*|'') continue ;;
        esac
        args+=("${line//@DATADIR@/$DATADIR}")
    done < "$f"

    has_connect=0 uri="" printxml=0 dry=0 prev=""
    for a in "${args[@]}"; do
        case $a in
        --connect) has_connect=1 ;;
        --connect=*) has_connect=1; uri=${a#--connect=} ;;
        --print-xml|--print-xml=*) printxml=1 ;;
        --dry-run) dry=1 ;;
        esac
        [ "$prev" = --connect ] && uri=$a
        prev=$a
    done
    if [ $has_connect = 0 ]; then
        args=(--connect "test:///$DATADIR/testdriver.xml" "${args[@]}")
        uri="test:///$DATADIR/testdriver.xml"
    fi
    real_qemu=0
    case $uri in qemu:*|qemu+*:*) real_qemu=1 ;; esac

    is_err=0
    case $name in err-*) is_err=1 ;; esac

    if [ $is_err = 0 ] && [ $printxml = 0 ]; then
        echo "FAIL $name: success cases must use --print-xml"; n_fail=$((n_fail + 1)); continue
    fi
    if [ $real_qemu = 1 ]; then
        if [ $dry = 0 ]; then
            echo "FAIL $name: cases on $uri must use --dry-run"; n_fail=$((n_fail + 1)); continue
        fi
        if ! qemu_available; then
            echo "SKIP $name: no libvirtd on qemu:///system"; n_skip=$((n_skip + 1)); continue
        fi
        qemu_snapshot "$tmp/before"
    fi

    (cd "$tmp" && env -u VIRTINST_TEST_SUITE -u VIRTINSTALL_OSINFO_DISABLE_REQUIRE \
        -u LANGUAGE LANG=C LC_ALL=C XDG_CACHE_HOME="$CACHE_HOME" \
        timeout 300 "$VIRT_INSTALL" "${args[@]}" >"$tmp/out" 2>"$tmp/err" </dev/null)
    rc=$?
    # Expected files are independent of where the checkout lives: the absolute data
    # directory is written back as @DATADIR@ (the runner substitutes it like in .args).
    sed -i "s|$DATADIR|@DATADIR@|g" "$tmp/out" "$tmp/err"

    if [ $real_qemu = 1 ]; then
        qemu_snapshot "$tmp/after"
        qemu_cleanup "$tmp/before" "$tmp/after"
    fi

    if [ $is_err = 1 ]; then
        if [ $accepts = 1 ] && [ $rc -ne 0 ]; then
            echo "FAIL $name: marked virt-install-accepts but virt-install exited $rc:"
            sed 's/^/    /' "$tmp/err"; n_fail=$((n_fail + 1)); continue
        fi
        if [ $accepts = 0 ] && [ $rc -eq 0 ]; then
            echo "FAIL $name: virt-install exited 0 for an error case"; n_fail=$((n_fail + 1)); continue
        fi
        if [ $verify = 0 ]; then
            cmp -s "$tmp/err" "$base.oracle-err" || cp "$tmp/err" "$base.oracle-err"
        fi
        if [ ! -f "$base.err" ]; then
            echo "MISSING $name.err (write the expected vminstall line by hand); virt-install said:"
            sed 's/^/    /' "$tmp/err"; n_missing_err=$((n_missing_err + 1)); continue
        fi
        n_err_ok=$((n_err_ok + 1))
        continue
    fi

    if [ $rc -ne 0 ] || [ ! -s "$tmp/out" ]; then
        echo "FAIL $name: virt-install exited $rc"; sed 's/^/    /' "$tmp/err"
        n_fail=$((n_fail + 1)); continue
    fi
    if [ -f "$base.xml" ] && cmp -s <(normalise "$tmp/out") <(normalise "$base.xml"); then
        n_same=$((n_same + 1)); continue
    fi
    if [ $verify = 1 ]; then
        echo "DIFF $name"; diff -u <(normalise "$base.xml" 2>/dev/null) <(normalise "$tmp/out") | sed 's/^/    /'
        n_fail=$((n_fail + 1)); continue
    fi
    cp "$tmp/out" "$base.xml"
    echo "wrote $name.xml"
    n_written=$((n_written + 1))
done

echo "regen: $n_written written, $n_same unchanged, $n_err_ok error cases checked," \
     "$n_missing_err missing .err, $n_skip skipped, $n_fail failed"
[ $n_fail -eq 0 ] && [ $n_missing_err -eq 0 ]
