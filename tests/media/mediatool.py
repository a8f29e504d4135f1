#!/usr/bin/env python3
"""Helpers of tests/media/build-media.sh that need no root and no mounts.

  mediatool.py moddeps MODDIR NAME...
      prints the .ko files (relative to MODDIR) that load NAME... with all
      their dependencies, dependencies first, one per line.  Reads the
      'depends=' field of each module's .modinfo, so no depmod is needed.
  mediatool.py cpio OUT SPEC
      writes a gzip-compressed cpio (newc) archive from SPEC, a text file in
      the kernel's gen_init_cpio format:
          dir   NAME MODE
          file  NAME MODE SOURCE
          slink NAME TARGET MODE
          nod   NAME MODE c|b MAJOR MINOR
      Every entry is owned by root with mtime 0, so equal inputs give equal
      bytes.
  mediatool.py mkdisk OUT --mbr MBR.BIN --part PART.IMG --start SECTOR
                      --size BYTES --signature HEX [--record FILE]
      writes a sparse raw disk image: the 440 bytes of boot code from MBR.BIN,
      the disk signature, one active partition holding PART.IMG from sector
      START (type from its FAT boot sector), and the first 512 bytes of
      FILE (zero-padded) in sector 1.
  mediatool.py manifest OUTDIR
      writes OUTDIR/MANIFEST: every file under OUTDIR (OUTDIR's own
      dot-entries and MANIFEST itself left out) with its size and sha256; the file is only
      rewritten when its content changes.
"""

import gzip
import hashlib
import os
import stat
import sys


def die(msg):
    print("mediatool: " + msg, file=sys.stderr)
    sys.exit(1)


# ---- moddeps -------------------------------------------------------------

def modinfo(path):
    with open(path, "rb") as f:
        data = f.read()
    fields = {}
    for chunk in data.split(b"\0"):
        for key in (b"depends=", b"name="):
            if chunk.startswith(key) and key not in fields:
                fields[key] = chunk[len(key):].decode("ascii", "replace")
    return fields


def moddeps(moddir, names):
    index = {}
    for root, _dirs, files in os.walk(moddir):
        for fn in files:
            if fn.endswith(".ko"):
                mod = fn[:-3].replace("-", "_")
                index.setdefault(mod, os.path.relpath(os.path.join(root, fn), moddir))
    builtin = set()
    bpath = os.path.join(moddir, "..", "modules.builtin")
    if os.path.exists(bpath):
        with open(bpath) as f:
            for line in f:
                builtin.add(os.path.basename(line.strip())[:-3].replace("-", "_"))
    order, seen = [], set()

    def visit(mod, chain):
        mod = mod.replace("-", "_")
        if mod in seen:
            return
        if mod in chain:
            die("module dependency loop: " + " -> ".join(chain + [mod]))
        if mod not in index:
            if mod in builtin:
                seen.add(mod)
                return
            die("module %s: neither a .ko under %s nor built in" % (mod, moddir))
        deps = modinfo(os.path.join(moddir, index[mod])).get(b"depends=", "")
        for dep in filter(None, deps.split(",")):
            visit(dep, chain + [mod])
        seen.add(mod)
        order.append(index[mod])

    for name in names:
        visit(name, [])
    print("\n".join(order))


# ---- cpio ------------------------------------------------------------------

def cpio(out, spec):
    entries = []
    with open(spec) as f:
        for lineno, line in enumerate(f, 1):
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            kind, name = words[0], words[1].lstrip("/")
            try:
                if kind == "dir":
                    entries.append((name, stat.S_IFDIR | int(words[2], 8), b"", 0, 0))
                elif kind == "file":
                    with open(words[3], "rb") as src:
                        data = src.read()
                    entries.append((name, stat.S_IFREG | int(words[2], 8), data, 0, 0))
                elif kind == "slink":
                    entries.append((name, stat.S_IFLNK | int(words[3], 8),
                                    words[2].encode(), 0, 0))
                elif kind == "nod":
                    typ = stat.S_IFCHR if words[3] == "c" else stat.S_IFBLK
                    entries.append((name, typ | int(words[2], 8), b"",
                                    int(words[4]), int(words[5])))
                else:
                    raise ValueError("unknown entry kind " + kind)
            except (IndexError, ValueError, OSError) as e:
                die("%s:%d: %s" % (spec, lineno, e))

    def pad4(n):
        return b"\0" * (-n % 4)

    parts = []
    for ino, (name, mode, data, rmaj, rmin) in enumerate(entries + [("TRAILER!!!", 0, b"", 0, 0)], 1):
        bname = name.encode() + b"\0"
        nlink = 2 if stat.S_ISDIR(mode) else 1
        hdr = "070701" + "".join("%08X" % v for v in (
            ino if name != "TRAILER!!!" else 0, mode, 0, 0, nlink, 0, len(data),
            0, 0, rmaj, rmin, len(bname), 0))
        parts += [hdr.encode(), bname, pad4(110 + len(bname)), data, pad4(len(data))]
    tmp = out + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            for p in parts:
                gz.write(p)
    os.replace(tmp, out)


# ---- mkdisk ----------------------------------------------------------------

def mkdisk(out, args):
    opts = {}
    it = iter(args)
    for a in it:
        if not a.startswith("--"):
            die("mkdisk: unexpected argument " + a)
        opts[a[2:]] = next(it, None)
    for need in ("mbr", "part", "start", "size", "signature"):
        if not opts.get(need):
            die("mkdisk: --%s is required" % need)
    start, size = int(opts["start"]), int(opts["size"])
    with open(opts["mbr"], "rb") as f:
        code = f.read(440)
    psize = os.path.getsize(opts["part"])
    if size % 512 or psize % 512 or start * 512 + psize > size:
        die("mkdisk: partition of %d bytes at sector %d does not fit %d bytes"
            % (psize, start, size))
    with open(opts["part"], "rb") as f:
        boot = f.read(512)
    if boot[82:87] == b"FAT32":
        ptype = 0x0C
    elif boot[54:59] == b"FAT16":
        ptype = 0x0E
    elif boot[54:59] == b"FAT12":
        ptype = 0x01
    else:
        die("mkdisk: %s has no FAT boot sector" % opts["part"])
    sectors = psize // 512
    mbr = bytearray(512)
    mbr[0:len(code)] = code
    mbr[440:444] = int(opts["signature"], 16).to_bytes(4, "little")
    entry = bytes([0x80, 0xFE, 0xFF, 0xFF, ptype, 0xFE, 0xFF, 0xFF]) + \
        start.to_bytes(4, "little") + sectors.to_bytes(4, "little")
    mbr[446:462] = entry
    mbr[510:512] = b"\x55\xAA"
    record = bytearray(512)
    if opts.get("record"):
        with open(opts["record"], "rb") as f:
            data = f.read(512)
        record[0:len(data)] = data
    tmp = out + ".tmp"
    with open(tmp, "wb") as d:
        d.truncate(size)
        d.write(mbr)
        d.write(record)
        d.seek(start * 512)
        chunk = 1 << 16
        with open(opts["part"], "rb") as p:
            while True:
                buf = p.read(chunk)
                if not buf:
                    break
                if buf.count(0) == len(buf):
                    d.seek(len(buf), os.SEEK_CUR)  # keep the image sparse
                else:
                    d.write(buf)
    os.replace(tmp, out)


# ---- manifest --------------------------------------------------------------

def manifest(outdir):
    lines = []
    for root, dirs, files in os.walk(outdir):
        top = os.path.samefile(root, outdir)
        # the top level's dot-entries are the build's own (cache, stamps, lock)
        dirs[:] = sorted(d for d in dirs if not (top and d.startswith(".")))
        for fn in sorted(files):
            rel = os.path.relpath(os.path.join(root, fn), outdir)
            if top and (fn == "MANIFEST" or fn.startswith(".") or fn.endswith(".tmp")):
                continue
            path = os.path.join(root, fn)
            h = hashlib.sha256()
            with open(path, "rb") as f:
                for buf in iter(lambda: f.read(1 << 20), b""):
                    h.update(buf)
            lines.append("%s\t%d\t%s" % (rel, os.path.getsize(path), h.hexdigest()))
    lines.sort()
    text = ("# vminstall test media, made by tests/media/build-media.sh\n"
            "# path<TAB>size in bytes<TAB>sha256\n" + "\n".join(lines) + "\n")
    target = os.path.join(outdir, "MANIFEST")
    try:
        with open(target) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(target + ".tmp", "w") as f:
        f.write(text)
    os.replace(target + ".tmp", target)


def main(argv):
    if len(argv) < 2:
        die("usage: mediatool.py moddeps|cpio|mkdisk|manifest ARGS (see the file's head)")
    cmd, args = argv[1], argv[2:]
    if cmd == "moddeps" and len(args) >= 2:
        moddeps(args[0], args[1:])
    elif cmd == "cpio" and len(args) == 2:
        cpio(args[0], args[1])
    elif cmd == "mkdisk" and len(args) >= 1:
        mkdisk(args[0], args[1:])
    elif cmd == "manifest" and len(args) == 1:
        manifest(args[0])
    else:
        die("bad arguments for '%s' (see the head of %s)" % (cmd, argv[0]))


if __name__ == "__main__":
    main(sys.argv)
