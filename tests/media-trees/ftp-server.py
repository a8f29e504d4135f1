#!/usr/bin/python3
"""A read-only anonymous FTP server for the URL tests of the media module.

    ftp-server.py ROOT PORTFILE

Serves ROOT on 127.0.0.1 (a free port, written to PORTFILE once
listening) with pyftpdlib (Debian python3-pyftpdlib).  Stops when its
parent closes stdin, or on SIGTERM.
"""
import logging
import os
import sys
import threading

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import ThreadedFTPServer


def main():
    logging.disable(logging.CRITICAL)
    authorizer = DummyAuthorizer()
    authorizer.add_anonymous(os.path.abspath(sys.argv[1]), perm="elr")
    handler = FTPHandler
    handler.authorizer = authorizer
    handler.passive_ports = None
    server = ThreadedFTPServer(("127.0.0.1", 0), handler)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.address[1]))
    os.rename(tmp, sys.argv[2])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.close_all()


if __name__ == "__main__":
    main()
