#!/usr/bin/env python3
"""TAP tests of vminstall's install media handling on the fixtures of
tests/media-trees/build-trees.sh.

    check-media-trees.py VMINSTALL FIXTURES DATADIR

1. detection: every fixture of DATADIR/media-detect/expected.txt gives the
   OS, family, layout, kernel and initrd written there (--inspect-media
   --json, which must be valid JSON), or the error written there; where
   virt-install 4.1.0 answers differently, the file explains why;
2. installs (--location FIXTURE --dry-run): a good medium stages its
   kernel and initrd and removes them; a bad one gives one error line
   naming the source, exit status 1, and leaves the scratch dir empty;
   Solaris media install as Xen PV guests only;
3. URLs against a server of our own on 127.0.0.1 (http-server.py): a
   tree, a redirect, 404, a redirect loop, a stalled server, one that
   closes mid-transfer, a 500, and nfs://;
4. as root, an unreadable file (setpriv to nobody).

A sanitizer report on any stderr fails the case.
"""
import json
import resource
import signal
import re
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

VMINSTALL, FIXTURES, DATADIR = (os.path.abspath(a) for a in sys.argv[1:4])
EXPECTED = os.path.join(DATADIR, "media-detect", "expected.txt")
QEMU_URI = ("__virtinst_test__test:///{d}/testdriver.xml,caps={d}/caps/qemu-x86_64.xml,"
            "domcaps={d}/caps/domcaps-q35.xml,fakeuri=qemu:///system").format(d=DATADIR)
XEN_URI = ("__virtinst_test__test:///{d}/testdriver.xml,caps={d}/caps/xen-x86_64.xml,"
           "fakeuri=xen:///system").format(d=DATADIR)

results = []


def tap(ok, name, diag=""):
    results.append((ok, name, diag))


def sanitizer(stderr):
    for marker in ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer"):
        if marker in stderr:
            return marker
    return None


def run(args, env=None, timeout=120, user=None, max_file=None):
    e = dict(os.environ)
    e.update(env or {})
    cmd = [VMINSTALL] + args
    if user:
        cmd = ["setpriv", "--reuid=%d" % user, "--regid=%d" % user, "--clear-groups"] + cmd
    preexec = None
    if max_file is not None:
        def preexec():
            # the disk is full after @max_file bytes of any one file: writes
            # fail with EFBIG, as they would with ENOSPC
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (max_file, max_file))
    p = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=timeout,
                       stdin=subprocess.DEVNULL, preexec_fn=preexec)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------- detection

def parse_expected():
    cases = []
    cur = None
    with open(EXPECTED, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if not line[0].isspace():
                cur = {"spec": line.strip(), "lines": {}}
                cases.append(cur)
                continue
            key, _, value = line.strip().partition(":")
            cur["lines"][key.strip()] = value.strip()
    return cases


def answer_of(args):
    rc, out, err = run(["--inspect-media"] + args + ["--json"])
    bad = sanitizer(err)
    if bad:
        return None, "sanitizer: " + bad + "\n" + err
    if rc != 0:
        lines = [l for l in err.splitlines() if l.strip()]
        if rc != 1 or len(lines) != 1 or not lines[0].startswith("ERROR    "):
            return None, "want one ERROR line and exit 1, got %d:\n%s" % (rc, err)
        return "error " + lines[0][len("ERROR    "):], None
    try:
        d = json.loads(out)
    except ValueError as e:
        return None, "invalid JSON (%s):\n%s" % (e, out)
    # the text form must work too
    rc2, out2, err2 = run(["--inspect-media"] + args)
    if rc2 != 0 or "Kernel:" not in out2 or sanitizer(err2):
        return None, "text form failed:\n" + out2 + err2
    return " ".join(str(d[k] if d[k] is not None else "-")
                    for k in ("os", "family", "layout", "kernel", "initrd")), None


def check_detection():
    for case in parse_expected():
        words = shlex.split(case["spec"])
        path = os.path.join(FIXTURES, words[0])
        got, problem = answer_of([path] + words[1:])
        want = case["lines"].get("vminstall")
        if want:
            want = want.replace("@FIXTURES@", FIXTURES)
        name = "detect " + case["spec"]
        if problem:
            tap(False, name, problem)
            continue
        if want is None:
            tap(False, name, "no 'vminstall:' line; got: " + got)
            continue
        if want.startswith("error "):
            # Fixture sizes depend on which kernel the fixtures were built
            # with (tests/media-out's real one, or a stand-in), so sizes
            # in messages are compared as "a size".
            size = re.compile(r"\d+(\.\d+)?\s(bytes|B|kB|KiB|MiB|GiB)")
            ok = got.startswith("error ") and size.sub("SIZE", want[len("error "):]) in size.sub("SIZE", got)
        else:
            ok = got == want
        diag = "" if ok else "want: %s\ngot:  %s" % (want, got)
        vi = case["lines"].get("virt-install")
        if ok and vi is not None and not same_as_virt_install(want, vi) and "why" not in case["lines"]:
            ok, diag = False, "differs from virt-install (%s) without a 'why:' line" % vi
        tap(ok, name, diag)


def same_as_virt_install(ours, theirs):
    """virt-install lines hold OS KERNEL INITRD or 'error ...'."""
    if ours.startswith("error ") or theirs.startswith("error "):
        return ours.startswith("error ") and theirs.startswith("error ")
    o = ours.split()
    return [o[0], o[3], o[4]] == theirs.split()


# ---------------------------------------------------------------- installs

def install(location, scratch, extra=(), env=None, uri=QEMU_URI, user=None, max_file=None):
    e = {"VMINSTALL_SCRATCH_DIR": scratch}
    e.update(env or {})
    args = ["--connect", uri, "--name", "t", "--memory", "1024", "--disk", "none",
            "--location", location, "--osinfo", "detect=on,require=off", "--dry-run"]
    return run(args + list(extra), env=e, user=user, max_file=max_file)


def expect_error(name, result, scratch, needle):
    rc, out, err = result
    lines = [l for l in err.splitlines() if l.startswith("ERROR")]
    problems = []
    if sanitizer(err):
        problems.append("sanitizer report")
    if rc != 1:
        problems.append("exit status %d, want 1" % rc)
    if len(lines) != 1:
        problems.append("%d ERROR lines, want 1" % len(lines))
    elif needle not in lines[0]:
        problems.append("error lacks %r" % needle)
    if out.strip():
        problems.append("stdout not empty")
    left = os.listdir(scratch)
    if left:
        problems.append("left in the scratch dir: %s" % left)
    tap(not problems, name, "; ".join(problems) + ("\n" + err if problems else ""))


def expect_success(name, result, scratch):
    rc, out, err = result
    problems = []
    if sanitizer(err):
        problems.append("sanitizer report")
    if rc != 0:
        problems.append("exit status %d" % rc)
    left = os.listdir(scratch)
    if left:
        problems.append("left in the scratch dir: %s" % left)
    tap(not problems, name, "; ".join(problems) + ("\n" + err if problems else ""))


GOOD = ["isos/debian11-netinst.iso", "isos/fedora36-dvd.iso", "isos/ubuntu2204-live.iso",
        "isos/rr-links.iso", "isos/debian-joliet-only.iso", "isos/ubuntu-plain9660.iso",
        "trees/treeinfo-fedora36", "trees/symlink-inside", "trees/opensuse-leap",
        "trees/mageia8", "trees/alt-server10", "trees/debian-cd-dir",
        "trees/debian-url/debian/dists/bullseye/main/installer-amd64"]

BAD = {
    "isos/broken-truncated.iso": "truncated ISO image",
    "isos/broken-truncated-early.iso": "truncated ISO image",
    "isos/broken-garbage.iso": "neither a directory nor an ISO 9660 image",
    "isos/broken-empty.iso": "not an ISO 9660 image",
    "isos/broken-dir-loop.iso": "contains loop",
    "isos/broken-absurd-size.iso": "corrupt ISO image",
    "isos/broken-extent-outside.iso": "corrupt ISO image",
    "isos/broken-smashed-dir.iso": "corrupt ISO image",
    "isos/broken-rr-name-escape.iso": "not its kernel and initrd",
    "isos/broken-rr-symlink-escape.iso": "outside the image",
    "isos/broken-rr-symlink-loop.iso": "symbolic link loop",
    "isos/nothing.iso": "could not find an installable distribution",
    "trees/broken-symlink-escape": "outside the install tree",
    "trees/broken-symlink-relative-escape": "outside the install tree",
    "trees/broken-symlink-loop": "symbolic link loop",
    "trees/broken-dir-loop": "symbolic link loop",
    "trees/broken-absurd-size": "too large for an installer kernel",
    "trees/broken-not-a-file": "not its kernel and initrd",
    "trees/broken-kernel-missing": "not its kernel and initrd",
    "trees/broken-treeinfo-garbage": "not its kernel and initrd",
    "trees/empty": "could not find an installable distribution",
    "/nonexistent/x.iso": "no such file or directory",
}


def check_installs(scratch):
    for fix in GOOD:
        expect_success("install " + fix, install(os.path.join(FIXTURES, fix), scratch), scratch)
    for fix, needle in BAD.items():
        path = fix if fix.startswith("/") else os.path.join(FIXTURES, fix)
        result = install(path, scratch)
        expect_error("install rejects " + fix, result, scratch, needle)
        # the error names the source
        if result[0] == 1 and path not in result[2] and fix not in result[2]:
            tap(False, "error names the source " + fix, result[2])
    # an explicit kernel=/initrd= overrides detection, and must exist
    fix = os.path.join(FIXTURES, "trees/debian-cd-dir")
    expect_success("install kernel=,initrd= override",
                   install(fix + ",kernel=install.386/vmlinuz,initrd=install.386/initrd.gz",
                           scratch), scratch)
    expect_error("install kernel= that does not exist",
                 install(fix + ",kernel=nope/vmlinuz,initrd=install.386/initrd.gz", scratch),
                 scratch, "kernel 'nope/vmlinuz' not found")
    expect_error("install kernel= leaving the tree",
                 install(fix + ",kernel=../../etc/passwd,initrd=install.386/initrd.gz", scratch),
                 scratch, "not a path inside the install tree")
    # require=off: nothing detected falls back to generic, with the warning
    rc, out, err = install(os.path.join(FIXTURES, "isos/nothing.iso") +
                           ",kernel=README,initrd=README", scratch)
    tap(rc == 0 and "WARNING  Using --osinfo generic, VM performance may suffer." in err
        and not os.listdir(scratch), "detect=on,require=off falls back to generic with a warning",
        out + err)
    # the ISO --location is the install cdrom, and its kernel is extracted
    rc, out, err = run(["--connect", QEMU_URI, "--name", "t", "--memory", "1024", "--disk", "none",
                        "--location", os.path.join(FIXTURES, "isos/debian11-netinst.iso"),
                        "--osinfo", "detect=on", "--print-xml", "1"],
                       env={"VMINSTALL_SCRATCH_DIR": scratch})
    want = ['<source file="%s"/>' % os.path.join(FIXTURES, "isos/debian11-netinst.iso"),
            "vminstall-", "-vmlinuz</kernel>", "debian.org/debian/11"]
    missing = [w for w in want if w not in out]
    tap(rc == 0 and not missing, "ISO --location is the install cdrom (print-xml)",
        "missing %s\n%s%s" % (missing, out, err))
    check_solaris_installs(scratch)


def check_solaris_installs(scratch):
    """Solaris media install as Xen PV guests only (xVM): from an ISO, the
    OS is detected and the 64-bit kernel and microroot are extracted; an
    HVM --location of them is refused, saying what to do."""
    iso = os.path.join(FIXTURES, "isos/solaris-opensolaris-200906.iso")
    rc, out, err = run(["--connect", XEN_URI, "--name", "t", "--memory", "2048", "--paravirt",
                        "--disk", "none", "--network", "none", "--location", iso,
                        "--print-xml", "1"], env={"VMINSTALL_SCRATCH_DIR": scratch})
    want = ['<source file="%s"/>' % iso, "sun.com/opensolaris/2009.06", "-unix</kernel>",
            "-x86.microroot</initrd>",
            "<cmdline>/platform/i86xpv/kernel/amd64/unix -B install_media=cdrom,"]
    missing = [w for w in want if w not in out]
    tap(rc == 0 and not missing and not os.listdir(scratch),
        "Solaris PV install from an ISO (OS detected, 64-bit kernel)",
        "missing %s\n%s%s" % (missing, out, err))
    expect_success("Solaris PV dry run stages the AI image's kernel",
                   install(os.path.join(FIXTURES, "isos/solaris-ai-b134.iso"), scratch,
                           extra=["--paravirt", "--network", "none"], uri=XEN_URI), scratch)
    expect_error("Solaris media refused for an HVM --location install",
                 install(os.path.join(FIXTURES, "trees/solaris-nevada-b130"), scratch), scratch,
                 "whose kernel boots only in a Xen PV guest: add --paravirt")


def check_full_disk(scratch):
    """Staging into a scratch dir that fills up half-way through the kernel."""
    for fix in ("trees/treeinfo-fedora36", "isos/debian11-netinst.iso"):
        expect_error("a full disk while staging from " + fix,
                     install(os.path.join(FIXTURES, fix), scratch, max_file=2048),
                     scratch, "File too large")


def check_staged_content(scratch):
    """A real staging (no --dry-run cleanup before we look): the library
    unit test covers it; here, the bytes extracted from an ISO equal the
    source files, through --inspect-media's path and a second copy."""
    src = os.path.join(FIXTURES, "src/debian11-netinst/install.amd")
    iso = os.path.join(FIXTURES, "isos/debian11-netinst.iso")
    with tempfile.TemporaryDirectory() as d:
        p = subprocess.run(["xorriso", "-osirrox", "on", "-indev", iso, "-extract",
                            "/install.amd/vmlinuz", d + "/k"], capture_output=True)
        ok = p.returncode == 0 and open(d + "/k", "rb").read() == open(src + "/vmlinuz", "rb").read()
        tap(ok, "fixture ISO holds the kernel it was built from", p.stderr.decode()[-300:])


# ---------------------------------------------------------------- URLs

HERE = os.path.dirname(os.path.abspath(__file__))


def start_server(argv, portfile):
    """Starts a test server (it lives until its stdin closes); its port."""
    if os.path.exists(portfile):
        os.unlink(portfile)
    server = subprocess.Popen(argv, stdin=subprocess.PIPE)
    for _ in range(200):
        if os.path.exists(portfile) or server.poll() is not None:
            break
        time.sleep(0.05)
    port = open(portfile).read().strip() if os.path.exists(portfile) else None
    return server, port


def stop_server(server, portfile):
    server.stdin.close()
    server.terminate()
    server.wait()
    if os.path.exists(portfile):
        os.unlink(portfile)


def check_urls(scratch):
    portfile = scratch + "-port"
    server, port = start_server([sys.executable, os.path.join(HERE, "http-server.py"),
                                 os.path.join(FIXTURES, "trees"), portfile], portfile)
    try:
        base = "http://127.0.0.1:%s" % port
        fast = {"VMINSTALL_URL_TIMEOUT": "2", "VMINSTALL_URL_RETRIES": "0"}

        expect_success("http tree", install(base + "/treeinfo-fedora36/", scratch), scratch)
        expect_success("http redirect", install(base + "/redirect/treeinfo-fedora36", scratch),
                       scratch)
        expect_error("a full disk while fetching over HTTP",
                     install(base + "/treeinfo-fedora36/", scratch, max_file=2048), scratch,
                     "File too large")
        expect_success("http Debian mirror layout",
                       install(base + "/debian-url/debian/dists/bullseye/main/installer-amd64/",
                               scratch), scratch)
        rc, out, err = run(["--connect", QEMU_URI, "--name", "t", "--memory", "1024",
                            "--disk", "none", "--location", base + "/treeinfo-rhel86/",
                            "--osinfo", "detect=on", "--extra-args", "console=ttyS0",
                            "--print-xml", "1"], env={"VMINSTALL_SCRATCH_DIR": scratch})
        want = "<cmdline>console=ttyS0 inst.repo=%s/treeinfo-rhel86/</cmdline>" % base
        tap(rc == 0 and want in out, "URL install adds inst.repo= after --extra-args",
            out + err)
        tap(rc == 0 and "<currentMemory>3145728</currentMemory>" in out,
            "URL install raises memory to the network-install RAM", out + err)
        rc, out, err = install(base + "/treeinfo-rhel86/", scratch)
        tap(rc == 0 and "WARNING  Overriding memory to 3072 MiB needed for rhel8.6 network "
            "install." in err, "... with virt-install's warning", out + err)

        expect_error("http 404", install(base + "/missing/", scratch), scratch,
                     "could not find an installable distribution")
        expect_error("http redirect loop", install(base + "/loop/tree/", scratch), scratch,
                     "redirects")
        start = time.time()
        expect_error("http stalled server", install(base + "/stall/tree/", scratch, env=fast),
                     scratch, "sent nothing for 2 seconds")
        tap(time.time() - start < 20, "a stalled server is given up in time",
            "%.1f s" % (time.time() - start))
        expect_error("http stall while fetching the kernel",
                     install(base + "/stall-kernel/treeinfo-fedora36/", scratch, env=fast),
                     scratch, "sent nothing for 2 seconds")
        expect_error("http connection closed mid-transfer",
                     install(base + "/close-kernel/treeinfo-fedora36/", scratch, env=fast),
                     scratch, "closed the connection")
        expect_error("http 500", install(base + "/error500/tree/", scratch, env=fast),
                     scratch, "HTTP error 500")
        expect_error("connection refused",
                     install("http://127.0.0.1:1/tree/", scratch, env=fast), scratch,
                     "cannot fetch")
        rc, out, err = run(["--inspect-media", base + "/treeinfo-fedora36/", "--json"])
        try:
            ok = rc == 0 and json.loads(out)["kernel_args"] == "inst.repo=%s/treeinfo-fedora36/" % base
        except ValueError:
            ok = False
        tap(ok, "--inspect-media URL shows the method's kernel argument", out + err)
    finally:
        stop_server(server, portfile)
    expect_error("nfs:// says to mount", install("nfs://server/export/tree", scratch), scratch,
                 "mount the export")


def check_https(scratch):
    """The same server over TLS, with a certificate made here for 127.0.0.1."""
    certdir = scratch + "-tls"
    os.makedirs(certdir, exist_ok=True)
    cert, key = os.path.join(certdir, "cert.pem"), os.path.join(certdir, "key.pem")
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1"],
                          capture_output=True, text=True)
    if made.returncode != 0:
        tap(False, "https: a test certificate", made.stderr)
        return
    portfile = scratch + "-tls-port"
    server, port = start_server([sys.executable, os.path.join(HERE, "http-server.py"),
                                 os.path.join(FIXTURES, "trees"), portfile, cert, key], portfile)
    try:
        if not port:
            tap(False, "https: the TLS test server starts")
            return
        base = "https://127.0.0.1:%s" % port
        fast = {"VMINSTALL_URL_TIMEOUT": "5", "VMINSTALL_URL_RETRIES": "0"}
        expect_error("https with a certificate nobody vouches for",
                     install(base + "/treeinfo-fedora36/", scratch, env=fast), scratch,
                     "certificate")
        trusted = dict(fast, CURL_CA_BUNDLE=cert)
        expect_success("https tree, its CA given in CURL_CA_BUNDLE",
                       install(base + "/treeinfo-fedora36/", scratch, env=trusted), scratch)
        expect_success("https Debian mirror layout, CA in SSL_CERT_FILE",
                       install(base + "/debian-url/debian/dists/bullseye/main/installer-amd64/",
                               scratch, env=dict(fast, SSL_CERT_FILE=cert, CURL_CA_BUNDLE="")), scratch)
        expect_error("https 404", install(base + "/missing/", scratch, env=trusted), scratch,
                     "could not find an installable distribution")
    finally:
        stop_server(server, portfile)
        shutil.rmtree(certdir, ignore_errors=True)


def check_ftp(scratch):
    """Trees over anonymous FTP (pyftpdlib, run by Debian's own python3)."""
    python = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    portfile = scratch + "-ftp-port"
    server, port = start_server([python, os.path.join(HERE, "ftp-server.py"),
                                 os.path.join(FIXTURES, "trees"), portfile], portfile)
    try:
        if not port:
            tap(False, "ftp: the FTP test server starts (Debian package python3-pyftpdlib)")
            return
        base = "ftp://127.0.0.1:%s" % port
        fast = {"VMINSTALL_URL_TIMEOUT": "5", "VMINSTALL_URL_RETRIES": "0"}
        expect_success("ftp tree (.treeinfo)", install(base + "/treeinfo-fedora36/", scratch,
                                                       env=fast), scratch)
        expect_success("ftp Debian mirror layout",
                       install(base + "/debian-url/debian/dists/bullseye/main/installer-amd64/",
                               scratch, env=fast), scratch)
        rc, out, err = run(["--inspect-media", base + "/treeinfo-fedora36/", "--json"], env=fast)
        try:
            got = json.loads(out) if rc == 0 else {}
        except ValueError:
            got = {}
        tap(got.get("os") == "fedora36" and got.get("kernel"),
            "ftp: --inspect-media detects the OS and finds the kernel", out + err)
        expect_error("ftp missing tree", install(base + "/missing/", scratch, env=fast), scratch,
                     "could not find an installable distribution")
    finally:
        stop_server(server, portfile)


def check_unreadable(scratch):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        results.append((True, "unreadable file # SKIP needs root and setpriv", ""))
        return
    os.chmod(scratch, 0o777)
    fix = os.path.join(FIXTURES, "trees/broken-unreadable")
    # nobody must be able to reach the fixture for the test to mean anything
    probe = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "test", "-r", os.path.join(fix, ".treeinfo")])
    if probe.returncode != 0:
        results.append((True, "unreadable file # SKIP fixtures not readable by nobody", ""))
        return
    expect_error("install rejects an unreadable initrd",
                 install(fix, scratch, env={"XDG_CACHE_HOME": scratch + "-cache"}, user=65534),
                 scratch, "Permission denied")


def main():
    scratch = tempfile.mkdtemp(prefix="vmi-media-scratch-")
    try:
        check_detection()
        check_installs(scratch)
        check_staged_content(scratch)
        check_full_disk(scratch)
        check_urls(scratch)
        check_https(scratch)
        check_ftp(scratch)
        check_unreadable(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(scratch + "-cache", ignore_errors=True)
    print("1..%d" % len(results))
    for i, (ok, name, diag) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and diag:
            for line in diag.splitlines()[:30]:
                print("# " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
