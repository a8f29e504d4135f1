#!/usr/bin/env python3
"""tests/e2e/pty-run.py OUTFILE EXPECT TIMEOUT -- CMD...

Runs CMD on a new pseudo-terminal, as a user at a terminal would, copying
everything it prints to OUTFILE.  Once EXPECT has appeared in the output,
types Ctrl-] (the console's escape character).  Exits with CMD's status,
or 124 when CMD is still running TIMEOUT seconds after the start (it is
killed then) and 125 when EXPECT never appeared.
"""
import os
import pty
import select
import signal
import sys
import time


def main():
    out_path, expect, timeout = sys.argv[1], sys.argv[2].encode(), float(sys.argv[3])
    if sys.argv[4] != "--":
        sys.exit("usage: pty-run.py OUTFILE EXPECT TIMEOUT -- CMD...")
    cmd = sys.argv[5:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(cmd[0], cmd)
    seen = b""
    sent = False
    deadline = time.monotonic() + timeout
    with open(out_path, "wb") as out:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                sys.exit(124)
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if ready:
                try:
                    data = os.read(fd, 4096)
                except OSError:  # EIO: the child closed the terminal
                    data = b""
                if not data:
                    break
                out.write(data)
                out.flush()
                if not sent:
                    seen = (seen + data)[-65536:]
                    if expect in seen:
                        os.write(fd, b"\x1d")
                        sent = True
    _, status = os.waitpid(pid, 0)
    if not sent:
        sys.exit(125)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
