#!/usr/bin/env python3
"""A small HTTP server for the URL tests of the media module.

    http-server.py ROOT PORTFILE [CERT KEY]

Serves the files under ROOT on 127.0.0.1 (a free port, written to
PORTFILE once listening), over TLS with CERT and KEY when given, and
misbehaves on purpose under some prefixes:

    /loop/...            redirects to itself, forever
    /redirect/PATH       one redirect to /PATH
    /stall/...           accepts the request and never answers
    /stall-kernel/PATH   serves PATH, but a kernel (vmlinuz, linux) stalls
                         after its headers and a few bytes
    /close-kernel/PATH   serves PATH, but a kernel's connection closes
                         half-way through (Content-Length announced)
    /error500/...        answers 500 Internal Server Error

Stops when its parent closes stdin, or on SIGTERM.
"""
import http.server
import os
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

ROOT = os.path.abspath(sys.argv[1])
KERNELS = ("vmlinuz", "linux")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def _file(self, rel):
        path = os.path.normpath(os.path.join(ROOT, urllib.parse.unquote(rel).lstrip("/")))
        if not path.startswith(ROOT + os.sep) and path != ROOT:
            return None
        return path

    def _send_headers(self, code, length, extra=()):
        self.send_response(code)
        self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def _serve(self, rel, mode, head):
        path = self._file(rel)
        if path is None or not os.path.isfile(path):
            body = b"not found\n"
            self._send_headers(404, len(body))
            if not head:
                self.wfile.write(body)
            return
        with open(path, "rb") as f:
            data = f.read()
        self._send_headers(200, len(data))
        if head:
            return
        kernel = os.path.basename(path) in KERNELS
        if kernel and mode == "stall":
            self.wfile.write(data[:16])
            self.wfile.flush()
            time.sleep(3600)
        if kernel and mode == "close":
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(data)

    def _handle(self, head):
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/loop/"):
            self._send_headers(302, 0, [("Location", path)])
        elif path.startswith("/redirect/"):
            self._send_headers(301, 0, [("Location", path[len("/redirect"):])])
        elif path.startswith("/stall/"):
            time.sleep(3600)
        elif path.startswith("/error500/"):
            body = b"broken\n"
            self._send_headers(500, len(body))
            if not head:
                self.wfile.write(body)
        elif path.startswith("/stall-kernel/"):
            self._serve(path[len("/stall-kernel"):], "stall", head)
        elif path.startswith("/close-kernel/"):
            self._serve(path[len("/close-kernel"):], "close", head)
        else:
            self._serve(path, None, head)

    def do_GET(self):
        self._handle(False)

    def do_HEAD(self):
        self._handle(True)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    server = Server(("127.0.0.1", 0), Handler)
    if len(sys.argv) > 4:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    tmp = sys.argv[2] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(tmp, sys.argv[2])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # the test that started us owns our lifetime
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.shutdown()


if __name__ == "__main__":
    main()
