#!/usr/bin/env python3
"""Write virt-install 4.1.0's detection into tests/data/media-detect/expected.txt.

    regen-expected.py FIXTURES [VMINSTALL [--vminstall-only]] [--only TEXT]

For every fixture of expected.txt, runs virt-install (Debian's virtinst)
with --location FIXTURE --debug --print-xml 1 against the same faked
connections the tests use (for --arch aarch64, caps/qemu-x86_64-aarch64.xml:
the x86_64 host's capabilities plus an emulated aarch64 guest) and records, on its "virt-install:" line, the OS
it detected and the kernel and initrd it fetched (paths inside the
medium), or its error.  With VMINSTALL, fixtures without a "vminstall:"
line get vminstall's current answer (review it before committing); with
--vminstall-only, every "vminstall:" line is rewritten from vminstall's
current answer and virt-install is not run.
"why:" lines are kept; check-media-trees.py fails a fixture whose answers
differ without one.  With --only TEXT, only the fixtures whose line holds
TEXT are run; the others are left as they are.
"""
import json
import os
import re
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DATADIR = os.path.abspath(os.path.join(HERE, "..", "data"))
EXPECTED = os.path.join(DATADIR, "media-detect", "expected.txt")
ARGS = sys.argv[1:]
ONLY = None
if "--only" in ARGS:
    i = ARGS.index("--only")
    ONLY = ARGS[i + 1]
    del ARGS[i:i + 2]
FIXTURES = os.path.abspath(ARGS[0])
VMINSTALL = ARGS[1] if len(ARGS) > 1 and not ARGS[1].startswith("--") else None
ONLY_VMINSTALL = "--vminstall-only" in ARGS[2:]
QEMU_URI = ("__virtinst_test__test:///{d}/testdriver.xml,caps={d}/caps/qemu-x86_64.xml,"
            "domcaps={d}/caps/domcaps-q35.xml,fakeuri=qemu:///system").format(d=DATADIR)
XEN_URI = ("__virtinst_test__test:///{d}/testdriver.xml,caps={d}/caps/xen-x86_64.xml,"
           "fakeuri=xen:///system").format(d=DATADIR)
# the same x86_64 host with an emulated aarch64 guest: virt-install checks
# --arch against the capabilities before it looks at the medium
QEMU_AARCH64_URI = QEMU_URI.replace("qemu-x86_64.xml", "qemu-x86_64-aarch64.xml")


def virt_install(path, opts):
    if "--paravirt" in opts:
        uri = XEN_URI
    elif "aarch64" in opts or "--arch=aarch64" in opts:
        uri = QEMU_AARCH64_URI
    else:
        uri = QEMU_URI
    cmd = ["/usr/bin/virt-install", "--connect", uri, "--name", "x", "--memory", "2048",
           "--disk", "none", "--location", path, "--osinfo", "detect=on,require=off",
           "--print-xml", "1", "--debug"] + opts
    env = dict(os.environ, HOME="/tmp/vmi-regen-home")
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
    except subprocess.TimeoutExpired:
        return "error timed out"
    log = p.stderr
    if p.returncode != 0:
        m = re.search(r"\] ERROR \([^)]*\) (.*)", log)
        msg = m.group(1) if m else "exit %d" % p.returncode
        return "error " + msg.strip().replace(FIXTURES, "@FIXTURES@")
    os_name = "-"
    m = re.search(r"installer.detect_distro returned=(\S+)", log)
    if m and m.group(1) != "None":
        os_name = m.group(1)
    fetched, last = [], None
    for line in log.splitlines():
        m = re.search(r"Fetching URI: (.*)$", line)
        if m:
            last = m.group(1)
        m = re.search(r"Extracting iso file: \[.*'-extract', '([^']*)'", line)
        if m:
            last = m.group(1)
        if "Saved file to" in line and last:
            fetched.append(last)
    rel = []
    for f in fetched[-2:]:
        if f.startswith(path):
            f = f[len(path):]
        rel.append(f.lstrip("/"))
    while len(rel) < 2:
        rel.append("-")
    return " ".join([os_name] + rel)


def vminstall(path, opts):
    p = subprocess.run([VMINSTALL, "--inspect-media", path, "--json"] + opts,
                       capture_output=True, text=True)
    if p.returncode != 0:
        return ("error " + p.stderr.strip().split("\n")[-1].replace("ERROR    ", "")
                .replace(FIXTURES, "@FIXTURES@"))
    d = json.loads(p.stdout)
    return " ".join(str(d[k] if d[k] is not None else "-")
                    for k in ("os", "family", "layout", "kernel", "initrd"))


def main():
    out = []
    with open(EXPECTED, encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("#") or line[0].isspace():
            out.append(line)
            i += 1
            continue
        spec = shlex.split(line)
        path = os.path.join(FIXTURES, spec[0])
        body = []
        i += 1
        while i < len(lines) and lines[i][:1].isspace() and lines[i].strip():
            body.append(lines[i])
            i += 1
        if ONLY is not None and ONLY not in line:
            out.append(line)
            out.extend(body)
            continue
        if ONLY_VMINSTALL:
            body = [b for b in body if not b.strip().startswith("vminstall:")]
            out.append(line)
            out.append("  vminstall: " + vminstall(path, spec[1:]))
            out.extend(body)
            continue
        keep = [b for b in body if not b.strip().startswith("virt-install:")]
        if VMINSTALL and not any(b.strip().startswith("vminstall:") for b in keep):
            keep.insert(0, "  vminstall: " + vminstall(path, spec[1:]))
        answer = virt_install(path, spec[1:])
        print("%-60s %s" % (line, answer), file=sys.stderr)
        out.append(line)
        out.extend(keep[:1])
        out.append("  virt-install: " + answer)
        out.extend(keep[1:])
    with open(EXPECTED, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
