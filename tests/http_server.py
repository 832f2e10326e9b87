#!/usr/bin/env python3
"""A hostile HTTPS server on 127.0.0.1 for tests/check_http.c.

It makes a test CA and certificates signed by it into --dir (ca.pem is the
one the client trusts with --ca-file), opens several listeners on ephemeral
ports and writes "name port" lines to --port-file once all of them accept:

  main     HTTPS/1.1, certificate for IP 127.0.0.1; the paths below
  other    the same on another port: another origin (RFC 6454)
  plain    the same without TLS, for refused http:// URLs and redirects
  h2       HTTPS with ALPN h2 only: a minimal HTTP/2 server that answers
           every request with "h2 conn=C stream=S\\n"
  badname  HTTPS whose certificate names wrong.example, not 127.0.0.1
  tarpit   accepts TCP connections and never speaks (no TLS handshake)

Paths (main, other, plain):
  /ok/N                   N bytes of the pattern i % 251
  /gzip/N                 the same N bytes gzip-encoded, only when the
                          request has Accept-Encoding: gzip (else 406)
  /gzip-bomb              a small gzip body expanding to BOMB_SIZE zeros
  /big                    Content-Length: 1 TiB, then silence
  /stream/N               N bytes, chunked, so the size is not known ahead
  /trickle                one byte per second forever (no length)
  /drip                   1 KiB every 100 ms forever: fast enough for any
                          low-speed limit, never finished
  /hang                   reads the request, never answers
  /concurrent/MS          waits MS ms; the body is the most requests to
                          this path in progress at once that it saw
  /redirect/N             N relative redirects, the last to /ok/10
  /redirect-loop          redirects to itself
  /redirect-same          absolute redirect to this origin's /ok/5
  /redirect-other-port    to https://127.0.0.1:<other>/ok/1
  /redirect-other-host    to https://localhost:<this port>/ok/1
  /redirect-scheme-relative  to //127.0.0.1:<other>/ok/1
  /redirect-http          to http://127.0.0.1:<plain>/ok/1
  /status/N               status N; 429 and 503 carry Retry-After: 86400
  /etag                   ETag "v1"; 304 when If-None-Match matches
  /lm                     a Last-Modified; 304 when If-Modified-Since is
                          that exact string
  /long-etag              an ETag of 1000 bytes
  /304                    304 to any request
  /ua                     the User-Agent header as the body
  /count                  how many requests this listener had before

The server stops by itself after --lifetime seconds, so a test can never
leave it behind.
"""

import argparse
import datetime
import gzip
import http.server
import ipaddress
import os
import socket
import ssl
import struct
import sys
import threading
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

BOMB_SIZE = 16 * 1024 * 1024
LAST_MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"
ETAG = '"v1"'


def pattern(n):
    block = bytes(i % 251 for i in range(251))
    return (block * (n // 251 + 1))[:n]


def write_pem(path, data):
    with open(path, "wb") as f:
        f.write(data)


def make_tls(d):
    """Writes ca.pem, and srv.pem/srv.key (127.0.0.1) and bad.pem/bad.key
    (wrong.example) signed by it, valid from yesterday to tomorrow."""
    now = datetime.datetime.now(datetime.timezone.utc)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vrpd http test CA")])
    ca = (x509.CertificateBuilder()
          .subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(start).not_valid_after(end)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True,
                                       False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    write_pem(os.path.join(d, "ca.pem"), ca.public_bytes(serialization.Encoding.PEM))

    def leaf(name, san):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, str(san[0].value))]))
                .issuer_name(ca_name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                .add_extension(x509.SubjectAlternativeName(san), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                    ca_key.public_key()), critical=False)
                .sign(ca_key, hashes.SHA256()))
        write_pem(os.path.join(d, name + ".pem"), cert.public_bytes(serialization.Encoding.PEM))
        write_pem(os.path.join(d, name + ".key"), key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))

    leaf("srv", [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    leaf("bad", [x509.DNSName("wrong.example")])


def tls_context(d, name, alpn=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(d, name + ".pem"), os.path.join(d, name + ".key"))
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("http_server %s: %s\n" % (self.server.name, fmt % args))

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if code != 304:
            self.wfile.write(body)

    def redirect(self, location):
        self.reply(302, b"moved\n", [("Location", location)])

    def forever(self, data, interval):
        """Writes data every interval seconds until the client goes."""
        self.close_connection = True
        self.send_response(200)
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            while True:
                self.wfile.write(data)
                self.wfile.flush()
                time.sleep(interval)
        except OSError:
            pass

    def do_GET(self):
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        name, arg = parts[0], parts[1] if len(parts) > 1 else ""
        ports = self.server.ports
        with self.server.lock:
            count = self.server.requests
            self.server.requests += 1
        here = self.server.server_address[1]
        if name == "ok":
            self.reply(200, pattern(int(arg)))
        elif name == "gzip":
            if "gzip" not in self.headers.get("Accept-Encoding", ""):
                self.reply(406, b"ask for gzip\n")
                return
            self.reply(200, gzip.compress(pattern(int(arg))), [("Content-Encoding", "gzip")])
        elif name == "gzip-bomb":
            self.reply(200, self.server.bomb, [("Content-Encoding", "gzip")])
        elif name == "big":
            self.send_response(200)
            self.send_header("Content-Length", str(1 << 40))
            self.end_headers()
            self.wfile.flush()
            time.sleep(30)
            self.close_connection = True
        elif name == "stream":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            data, chunk = pattern(int(arg)), 16384
            try:
                for i in range(0, len(data), chunk):
                    piece = data[i:i + chunk]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:
                self.close_connection = True
        elif name == "trickle":
            self.forever(b"x", 1.0)
        elif name == "drip":
            self.forever(b"d" * 1024, 0.1)
        elif name == "hang":
            time.sleep(60)
            self.close_connection = True
        elif name == "concurrent":
            srv = self.server
            with srv.lock:
                srv.in_progress += 1
                seen = srv.in_progress
            time.sleep(int(arg) / 1000)
            with srv.lock:
                seen = max(seen, srv.in_progress)
                srv.in_progress -= 1
            self.reply(200, b"%d\n" % seen)
        elif name == "redirect":
            n = int(arg)
            if n > 1:
                self.redirect("/redirect/%d" % (n - 1))
            elif n == 1:
                self.redirect("/ok/10")
            else:
                self.reply(200, pattern(10))
        elif name == "redirect-loop":
            self.redirect("/redirect-loop")
        elif name == "redirect-same":
            self.redirect("https://127.0.0.1:%d/ok/5" % here)
        elif name == "redirect-other-port":
            self.redirect("https://127.0.0.1:%d/ok/1" % ports["other"])
        elif name == "redirect-other-host":
            self.redirect("https://localhost:%d/ok/1" % here)
        elif name == "redirect-scheme-relative":
            self.redirect("//127.0.0.1:%d/ok/1" % ports["other"])
        elif name == "redirect-http":
            self.redirect("http://127.0.0.1:%d/ok/1" % ports["plain"])
        elif name == "status":
            code = int(arg)
            extra = [("Retry-After", "86400")] if code in (429, 503) else []
            self.reply(code, b"status %d\n" % code, extra)
        elif name == "etag":
            if self.headers.get("If-None-Match") == ETAG:
                self.reply(304, headers=[("ETag", ETAG)])
            else:
                self.reply(200, b"etag body\n", [("ETag", ETAG)])
        elif name == "lm":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                self.reply(304)
            else:
                self.reply(200, b"lm body\n", [("Last-Modified", LAST_MODIFIED)])
        elif name == "long-etag":
            self.reply(200, b"long etag\n", [("ETag", '"' + "e" * 998 + '"')])
        elif name == "304":
            self.reply(304)
        elif name == "ua":
            self.reply(200, self.headers.get("User-Agent", "").encode())
        elif name == "count":
            self.reply(200, b"%d\n" % count)
        else:
            self.reply(404, b"no such path\n")


class Server(http.server.ThreadingHTTPServer):
    """HTTP/1.1, with TLS when ctx is set. The handshake happens in the
    connection's own thread, so a client that never finishes it cannot
    hold up the others."""
    daemon_threads = True

    def __init__(self, name, ctx, state):
        super().__init__(("127.0.0.1", 0), Handler)
        self.name, self.ctx = name, ctx
        self.ports, self.bomb, self.verbose = state["ports"], state["bomb"], state["verbose"]
        self.lock = threading.Lock()
        self.in_progress = 0
        self.requests = 0

    def finish_request(self, request, client_address):
        if self.ctx is not None:
            try:
                request = self.ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
        try:
            self.RequestHandlerClass(request, client_address, self)
        finally:
            try:
                request.close()
            except OSError:
                pass


def recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        got = sock.recv(n - len(buf))
        if not got:
            raise EOFError
        buf += got
    return buf


def h2_frame(ftype, flags, stream, payload):
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


def hpack_literal(name, value):
    """A literal header field without indexing, new name, no Huffman
    (RFC 7541 s.6.2.2); both strings shorter than 127 bytes."""
    return bytes([0, len(name)]) + name + bytes([len(value)]) + value


def serve_h2(ctx, sock, conn_no):
    """Just enough HTTP/2 (RFC 9113) for one client: the server's SETTINGS,
    ACKs for the client's SETTINGS and PINGs, and for each request (a
    HEADERS frame that ends the headers) a 200 with a short body. The
    request's headers are not decoded: every path gets the same answer."""
    try:
        conn = ctx.wrap_socket(sock, server_side=True)
    except (ssl.SSLError, OSError):
        sock.close()
        return
    try:
        if conn.selected_alpn_protocol() != "h2":
            return
        if recv_exact(conn, 24) != b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n":
            return
        conn.sendall(h2_frame(4, 0, 0, b""))
        while True:
            head = recv_exact(conn, 9)
            length = struct.unpack(">I", b"\0" + head[:3])[0]
            ftype, flags = head[3], head[4]
            stream = struct.unpack(">I", head[5:9])[0] & 0x7FFFFFFF
            payload = recv_exact(conn, length)
            if ftype == 4 and not flags & 1:            # SETTINGS
                conn.sendall(h2_frame(4, 1, 0, b""))
            elif ftype == 6 and not flags & 1:          # PING
                conn.sendall(h2_frame(6, 1, 0, payload))
            elif ftype == 7:                            # GOAWAY
                return
            elif ftype in (1, 9) and flags & 4:         # HEADERS, END_HEADERS
                body = b"h2 conn=%d stream=%d\n" % (conn_no, stream)
                block = b"\x88" + hpack_literal(b"content-length", b"%d" % len(body))
                conn.sendall(h2_frame(1, 4, stream, block) + h2_frame(0, 1, stream, body))
    except (EOFError, OSError, ssl.SSLError):
        pass
    finally:
        conn.close()


def listen():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


def accept_loop(s, handle):
    n = 0
    while True:
        c, _ = s.accept()
        n += 1
        threading.Thread(target=handle, args=(c, n), daemon=True).start()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True, help="where the CA and certificates go")
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    make_tls(args.dir)
    state = {"ports": {}, "bomb": gzip.compress(bytes(BOMB_SIZE), 9),
             "verbose": args.verbose}
    servers = {
        "main": Server("main", tls_context(args.dir, "srv"), state),
        "other": Server("other", tls_context(args.dir, "srv"), state),
        "plain": Server("plain", None, state),
        "badname": Server("badname", tls_context(args.dir, "bad"), state),
    }
    for name, srv in servers.items():
        state["ports"][name] = srv.server_address[1]
        threading.Thread(target=srv.serve_forever, daemon=True).start()

    h2ctx = tls_context(args.dir, "srv", ["h2"])
    h2 = listen()
    state["ports"]["h2"] = h2.getsockname()[1]
    threading.Thread(target=accept_loop, daemon=True,
                     args=(h2, lambda c, n: serve_h2(h2ctx, c, n))).start()

    held = []
    tarpit = listen()
    state["ports"]["tarpit"] = tarpit.getsockname()[1]
    threading.Thread(target=accept_loop, daemon=True,
                     args=(tarpit, lambda c, n: held.append(c))).start()

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        for name, port in state["ports"].items():
            f.write("%s %d\n" % (name, port))
    os.rename(tmp, args.port_file)
    time.sleep(args.lifetime)
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
