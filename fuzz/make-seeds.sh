#!/usr/bin/env bash
# fuzz/make-seeds.sh FIXTURES: (re)writes the seed corpora under fuzz/corpus/
# from the fixtures of tests/media-trees/build-trees.sh (run it first):
# small ISO images, .treeinfo files, and directory trees in fuzz-tree.c's
# input format (NUL-separated TYPE, PATH, DATA triples).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fix=${1:?usage: make-seeds.sh FIXTURES}
c=$here/corpus
mkdir -p "$c/iso" "$c/tree" "$c/treeinfo"

for t in treeinfo-fedora36 treeinfo-rhel86 treeinfo-syntax treeinfo-productmd-only; do
  cp "$fix/trees/$t/.treeinfo" "$c/treeinfo/$t"
done

# small images: no padding, tiny files
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk() {  # mk NAME VOLID SRC OPTS...
  local name=$1 vol=$2 src=$3; shift 3
  xorriso -as mkisofs -quiet -no-pad -V "$vol" "$@" -o "$c/iso/$name" "$src" 2>/dev/null
}
mkdir -p "$tmp/deb/.disk" "$tmp/deb/install.amd" "$tmp/fed/images/pxeboot" "$tmp/lnk/images/pxeboot" "$tmp/lnk/real"
echo 'Debian GNU/Linux 11.5.0 "Bullseye" - Official amd64 NETINST' > "$tmp/deb/.disk/info"
echo k > "$tmp/deb/install.amd/vmlinuz"; echo i > "$tmp/deb/install.amd/initrd.gz"
cp "$fix/trees/treeinfo-fedora36/.treeinfo" "$tmp/fed/"
echo k > "$tmp/fed/images/pxeboot/vmlinuz"; echo i > "$tmp/fed/images/pxeboot/initrd.img"
cp "$fix/trees/treeinfo-fedora36/.treeinfo" "$tmp/lnk/"
echo k > "$tmp/lnk/real/k"; echo i > "$tmp/lnk/real/i"
ln -s ../../real/k "$tmp/lnk/images/pxeboot/vmlinuz"; ln "$tmp/lnk/real/i" "$tmp/lnk/images/pxeboot/initrd.img"
mk debian-rr-joliet "Debian 11.5.0 amd64 n" "$tmp/deb" -R -J
mk fedora-rr "FEDORA" "$tmp/fed" -R
mk links-rr "LINKS" "$tmp/lnk" -R --hardlinks
mk plain "PLAIN" "$tmp/fed"

# trees as fuzz-tree inputs
python3 - "$fix/trees" "$c/tree" <<'PY'
import os, sys
src, dst = sys.argv[1:3]
for name in ["treeinfo-fedora36", "opensuse-leap", "sles12sp3", "mageia8", "mandriva2010",
             "alt-server10", "debian-cd-dir", "ubuntu-live-dir", "symlink-inside",
             "broken-symlink-loop", "debian-url"]:
    root = os.path.join(src, name)
    out = []
    for d, dirs, files in os.walk(root):
        for n in sorted(dirs + files):
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if os.path.islink(p):
                out += [b"l", rel.encode(), os.readlink(p).encode()]
            elif os.path.isdir(p):
                out += [b"d", rel.encode(), b""]
            else:
                data = open(p, "rb").read()
                out += [b"f", rel.encode(), data[:200].replace(b"\0", b" ")]
    open(os.path.join(dst, name), "wb").write(b"\0".join(out))
PY
