#!/usr/bin/env python3
"""Damage ISO 9660 images on purpose, for the broken-media fixtures.

    isopatch.py loop ISO DIR          DIR's directory record points at the root
    isopatch.py size ISO FILE BYTES   FILE's record claims BYTES (both-endian)
    isopatch.py extent ISO FILE LBA   FILE's data starts at block LBA
    isopatch.py rrname ISO FILE NAME  FILE's Rock Ridge NM name becomes NAME
                                      (same length as the old one)
    isopatch.py smash ISO DIR         DIR's directory extent becomes garbage

Paths are ISO 9660 or Rock Ridge names, '/'-separated, case-insensitive,
in the primary volume's tree (build fixtures with -R, without -J, so that
libarchive reads that tree).
"""
import random
import struct
import sys

SECTOR = 2048


def read_records(img, lba, length):
    """Yield (offset, record bytes) of a directory extent."""
    pos = lba * SECTOR
    end = pos + length
    while pos < end:
        img.seek(pos)
        n = img.read(1)[0]
        if n == 0:
            pos = (pos // SECTOR + 1) * SECTOR
            continue
        img.seek(pos)
        yield pos, img.read(n)
        pos += n


def names(rec):
    """ISO and Rock Ridge names of a directory record."""
    flen = rec[32]
    iso = rec[33:33 + flen].decode("latin-1").split(";")[0].rstrip(".")
    out = [iso.lower()]
    su = 33 + flen + (0 if flen % 2 else 1)
    while su + 4 <= len(rec):
        sig, ln = rec[su:su + 2], rec[su + 2]
        if ln < 4:
            break
        if sig == b"NM":
            out.append(rec[su + 5:su + ln].decode("latin-1").lower())
        su += ln
    return out


def find(img, path):
    img.seek(16 * SECTOR)
    pvd = img.read(SECTOR)
    root = pvd[156:156 + 34]
    lba, length = struct.unpack("<I", root[2:6])[0], struct.unpack("<I", root[10:14])[0]
    off, rec = None, None
    for part in [p for p in path.lower().split("/") if p]:
        for o, r in read_records(img, lba, length):
            if r[32] == 1 and r[33] in (0, 1):
                continue
            if part in names(r):
                off, rec = o, r
                lba, length = struct.unpack("<I", r[2:6])[0], struct.unpack("<I", r[10:14])[0]
                break
        else:
            sys.exit("isopatch: %s not found" % path)
    return off, rec, struct.unpack("<I", root[2:6])[0]


def both(v):
    return struct.pack("<I", v) + struct.pack(">I", v)


def main():
    op, iso = sys.argv[1], sys.argv[2]
    with open(iso, "r+b") as img:
        off, rec, root_lba = find(img, sys.argv[3])
        if op == "loop":
            img.seek(off + 2)
            img.write(both(root_lba))
        elif op == "size":
            img.seek(off + 10)
            img.write(both(int(sys.argv[4])))
        elif op == "extent":
            img.seek(off + 2)
            img.write(both(int(sys.argv[4])))
        elif op == "rrname":
            new = sys.argv[4].encode("latin-1")
            flen = rec[32]
            su = 33 + flen + (0 if flen % 2 else 1)
            while su + 4 <= len(rec):
                sig, ln = rec[su:su + 2], rec[su + 2]
                if sig == b"NM":
                    if ln - 5 != len(new):
                        sys.exit("isopatch: new name must have %d characters" % (ln - 5))
                    img.seek(off + su + 5)
                    img.write(new)
                    break
                su += ln
            else:
                sys.exit("isopatch: no NM entry")
        elif op == "smash":
            lba = struct.unpack("<I", rec[2:6])[0]
            rnd = random.Random(42)
            img.seek(lba * SECTOR)
            img.write(bytes(rnd.getrandbits(8) for _ in range(SECTOR)))
        else:
            sys.exit("isopatch: unknown operation " + op)


if __name__ == "__main__":
    main()
