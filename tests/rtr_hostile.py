#!/usr/bin/env python3
"""vrpd's RTR server against hostile and broken clients.

One vrpd serves a large file (250,000 VRPs, about 6.8 MB per full set:
more than the kernel buffers between a cache and a router that does not
read). Against it, each on its own connection:

- garbage bytes (an HTTP request), a header with length 2^32-1, a
  truncated PDU then close: dropped at once, nothing else harmed;
- Error Reports from the router (valid, malformed, of an unknown version,
  mid-session): never answered with an Error Report (8210bis s.5.8, s.7),
  and the session is dropped (s.12: fatal errors drop the session);
- Error Reports whose inner lengths are 2^32-1, 2^31 or wrap the sum
  to the PDU's length, odd, or text that is not UTF-8: dropped silently;
- 400 connections closed at once (some by reset, some right after a
  Reset Query): no descriptor leaks, vrpd lives;
- a Serial Query one byte at a time, two in one segment, one split by a
  pause longer than the hello timeout: each answered;
- Serial Queries at serial XOR 2^31, serial + 1, + 2^31 - 1, 2^32 - 1:
  Cache Reset each, and the session still works;
- an unknown PDU type -> Error Report 5; a query of version 3 -> Error
  Report 4 carrying version 2 (s.7); another version mid-session ->
  Error Report 8 and close (s.7); a PDU only a cache sends -> an Error
  Report (3, Invalid Request, or 5) and close;
- a router that never sends a query is closed after --rtr-hello-timeout,
  and vrpd logs it;
- a router that sends a Reset Query and never reads, while 50 others do
  full syncs: all 50 get the exact set, the stalled one is closed after
  --rtr-write-timeout with a log line;
- --rtr-max-clients 5 (a second vrpd) with 8 connections: the extra three
  are closed and logged, the first five still work, a freed slot is
  reused.

After each case a well-behaved router still gets the exact set; at the
end vrpd is still running, a last router checks the whole set PDU by PDU,
and vrpd exits 0 on SIGTERM.
"""

import os
import shutil
import socket
import struct
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
import testlib  # noqa: E402
from testlib import fail, failures  # noqa: E402

VRPD = os.environ.get("VRPD", testlib.VRPD)

HOST = "127.0.0.1"
HELLO, WRITE = 2, 3
QUICK = 1.5    # "at once": well below the hello timeout
# Descriptors for the vrpd that runs out of them: its own need about 15.
FEW_FDS = 32


def check(cond, msg, detail=""):
    return testlib.check(cond, msg, detail, sep=": ")


class Server:
    """The vrpd under attack and the reference answer to a Reset Query."""

    def __init__(self, vrpd, ds, ref):
        self.vrpd, self.port, self.ds, self.ref = vrpd, vrpd.port, ds, ref

    def client(self, version=2, timeout=10, rcvbuf=None):
        return w.Client(HOST, self.port, version, timeout, rcvbuf)

    def healthy(self, label):
        """vrpd is running and a fresh router gets the exact set."""
        if not check(self.vrpd.alive(), f"{label}: vrpd still running",
                     self.vrpd.text()[-3000:]):
            return False
        try:
            with self.client(timeout=30) as c:
                kind, digest, eod = c.reset_digest()
        except (OSError, w.ProtocolError) as e:
            return check(False, f"{label}: a router still syncs", repr(e))
        return check(kind == "data" and digest == self.ref,
                     f"{label}: a router still gets the exact set",
                     f"{kind} {eod!r}")


def local_name(c):
    h, p = c.sock.getsockname()[:2]
    return rf"{h.replace('.', '[.]')}:{p}"


def send_then(srv, data, label, version=2, sync_first=False, wait=QUICK):
    """Open a connection (optionally sync first), send data, and collect
    what comes back until the cache closes or wait runs out.
    Returns (closed, pdus, seconds, name)."""
    c = srv.client(version)
    try:
        if sync_first:
            kind, digest, _ = c.reset_digest()
            # The reference is the v2 set; other versions differ in bytes.
            check(kind == "data" and (version != 2 or digest == srv.ref),
                  f"{label}: session established", kind)
        t0 = time.monotonic()
        try:
            c.send(data)
        except (BrokenPipeError, ConnectionResetError):
            return True, [], time.monotonic() - t0, local_name(c)
        try:
            closed, pdus = c.wait_closed(wait)
        except w.ProtocolError as e:
            fail(f"{label}: cache sent invalid bytes: {e}")
            closed, pdus = True, []
        return closed, pdus, time.monotonic() - t0, local_name(c)
    finally:
        c.close()


def errors(pdus):
    return [p for p in pdus if p.type == w.ERROR_REPORT]


def expect_error(srv, data, label, codes, version=2, sync_first=False,
                 want_version=None):
    """data must draw exactly one Error Report with a code in codes, and
    the session must then be closed (every code expected here is fatal)."""
    closed, pdus, dt, _ = send_then(srv, data, label, version, sync_first)
    errs = errors(pdus)
    got = [(p.version, p.code) for p in errs]
    check(len(errs) == 1 and errs[0].code in codes and
          (want_version is None or errs[0].version == want_version),
          f"{label}: Error Report code {'/'.join(map(str, codes))}"
          + (f" of version {want_version}" if want_version is not None
             else ""), f"got {pdus}")
    check(closed, f"{label}: session closed at once",
          f"still open after {dt:.1f} s")
    srv.healthy(label)
    return got


def expect_silent_close(srv, data, label, version=2, sync_first=False):
    """data must draw no Error Report (never answer one with one), and
    the cache should drop the session at once."""
    closed, pdus, dt, _ = send_then(srv, data, label, version, sync_first)
    check(not errors(pdus), f"{label}: not answered with an Error Report",
          f"got {pdus}")
    check(closed, f"{label}: session dropped at once",
          f"still open after {dt:.1f} s")
    srv.healthy(label)


def expect_closed(srv, data, label):
    """Garbage: the cache closes at once; if it says anything first, it is
    a well-formed Error Report."""
    closed, pdus, dt, _ = send_then(srv, data, label)
    check(all(p.type == w.ERROR_REPORT for p in pdus),
          f"{label}: at most an Error Report back", f"got {pdus}")
    check(closed, f"{label}: closed at once", f"still open after {dt:.1f} s")
    srv.healthy(label)
    return [p.code for p in pdus]


# ------------------------------------------------------------------ cases

def malformed_input(srv):
    codes = expect_closed(srv, b"GET / HTTP/1.1\r\nHost: vrpd\r\n\r\n" +
                          bytes(range(256)) * 4, "garbage (HTTP request)")
    print(f"   garbage drew Error Report codes {codes}")
    codes = expect_closed(srv, w.header(2, w.RESET_QUERY, 0, 0xffffffff),
                          "header with length 2^32-1")
    print(f"   length 2^32-1 drew Error Report codes {codes}")
    check(codes in ([], [w.ERR_CORRUPT_DATA], [w.ERR_INVALID_REQUEST]),
          "length 2^32-1: if reported, as Corrupt Data or Invalid Request",
          f"codes {codes}")
    codes = expect_closed(srv, w.header(2, w.RESET_QUERY, 0, 4),
                          "header with length 4 (< 8)")
    print(f"   length 4 drew Error Report codes {codes}")
    got = expect_error(srv, w.header(2, w.RESET_QUERY, 0, 12) + bytes(4),
                       "Reset Query of length 12",
                       [w.ERR_CORRUPT_DATA, w.ERR_INVALID_REQUEST])
    print(f"   Reset Query of length 12 drew {got}")
    big = w.header(2, w.SERIAL_QUERY, 1, 70000) + bytes(70000 - 8)
    codes = expect_closed(srv, big, "Serial Query of 70,000 bytes "
                          "(> --rtr-max-pdu 65536)")
    print(f"   70,000-byte PDU drew Error Report codes {codes}")
    # Truncated PDU, then close.
    c = srv.client()
    c.send(w.serial_query(2, 1, 1)[:7])
    c.close()
    c = srv.client()
    c.send(w.error_report(2, 0, w.reset_query(2), "cut short")[:13])
    c.sock.shutdown(socket.SHUT_WR)
    closed, pdus = c.wait_closed(QUICK)
    c.close()
    check(not errors(pdus), "truncated Error Report then EOF: no Error "
          "Report back", f"{pdus}")
    srv.healthy("truncated PDUs then close")


def router_error_reports(srv):
    expect_silent_close(srv, w.error_report(2, w.ERR_CORRUPT_DATA,
                                            w.reset_query(2), "test"),
                        "router's Error Report (fatal, before a query)")
    bad = bytearray(w.error_report(2, w.ERR_INTERNAL, w.reset_query(2),
                                   "inner length lies"))
    bad[8:12] = (1000).to_bytes(4, "big")       # encapsulated PDU length
    expect_silent_close(srv, bytes(bad), "malformed Error Report")
    expect_silent_close(srv, w.error_report(3, w.ERR_CORRUPT_DATA, b"",
                                            "from the future"),
                        "Error Report of version 3 (no code 4 back)")
    expect_silent_close(srv, w.error_report(2, w.ERR_WITHDRAWAL_UNKNOWN,
                                            b"", "unknown record"),
                        "router's Error Report 6 mid-session",
                        sync_first=True)


def protocol_errors(srv):
    expect_error(srv, w.header(2, 99, 0, 8), "unknown PDU type 99",
                 [w.ERR_UNSUPPORTED_PDU])
    expect_error(srv, w.header(2, 12, 0, 8), "PDU type 12 (unassigned)",
                 [w.ERR_UNSUPPORTED_PDU])
    # 8210bis s.7: Q > C -> Error Report of version C, code 4.
    closed, pdus, dt, _ = send_then(srv, w.reset_query(3), "version 3")
    errs = errors(pdus)
    check(len(errs) == 1 and errs[0].code == w.ERR_UNSUPPORTED_VERSION and
          errs[0].version == 2,
          "Reset Query of version 3: Error Report code 4 of version 2",
          f"got {pdus}")
    print(f"   after it the connection was "
          f"{'closed' if closed else 'left open'}")
    srv.healthy("version 3")
    # s.7: a PDU of another version once the session is up -> code 8.
    expect_error(srv, w.reset_query(1), "v2 session, then a v1 Reset "
                 "Query", [w.ERR_UNEXPECTED_VERSION], sync_first=True,
                 want_version=2)
    expect_error(srv, w.serial_query(2, 0, 0), "v1 session, then a v2 "
                 "Serial Query", [w.ERR_UNEXPECTED_VERSION], version=1,
                 sync_first=True, want_version=1)
    expect_error(srv, w.reset_query(0), "v1 session, then a v0 Reset "
                 "Query", [w.ERR_UNEXPECTED_VERSION], version=1,
                 sync_first=True, want_version=1)
    # PDUs only a cache sends. 8210bis s.12: 3 is "Invalid Request"; a
    # cache that treats the type as unknown to it says 5.
    for name, pdu in (
            ("IPv4 Prefix", w.ipv4_prefix(2, True, "192.0.2.0/24", 24,
                                          64496)),
            ("End of Data", w.end_of_data(2, 1, 1)),
            ("Cache Response", w.cache_response(2, 1)),
            ("ASPA", w.aspa(2, True, 64496, [64497]))):
        got = expect_error(srv, pdu, f"{name} from the router",
                           [w.ERR_INVALID_REQUEST, w.ERR_UNSUPPORTED_PDU])
        print(f"   {name} from the router drew {got}")


# Routinator CVE-2024-1622 and FORT GHSA-4q3q-6gww-wc52 class: a router's
# odd but cheap behaviour must not take the cache down or leak.

def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def connect_and_close(srv, n=400):
    """Connections closed at once, many times: some after nothing, some
    with a reset (SO_LINGER 0), some right after a Reset Query, so that
    vrpd writes the 6.8 MB set into a closed connection. No descriptor
    may leak and vrpd must not die of SIGPIPE."""
    pid = srv.vrpd.p.pid
    before = open_fds(pid)
    t0 = time.monotonic()
    for i in range(n):
        s = socket.create_connection((HOST, srv.port), 5)
        if i % 3 == 1:
            s.sendall(w.reset_query(2))
        if i % 2 == 1:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        s.close()
    dt = time.monotonic() - t0
    deadline = time.monotonic() + 10
    while open_fds(pid) > before + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    after = open_fds(pid)
    check(after <= before + 2, f"{n} connections opened and closed at once "
          f"({dt:.1f} s): no descriptor leaked", f"{before} -> {after}")
    srv.healthy("connect and close")


def fragmented_queries(srv):
    """A Serial Query one byte at a time (0.2 s apart: the whole PDU takes
    longer than --rtr-hello-timeout, which must not apply mid-session),
    then two queries in one segment: both answered, in order."""
    with srv.client(timeout=30) as c:
        kind, digest, eod = c.reset_digest()
        if not check(kind == "data" and digest == srv.ref,
                     "fragments: session established", kind):
            return
        q = w.serial_query(2, eod.session, eod.serial)
        for b in q:
            c.send(bytes([b]))
            time.sleep(0.2)
        r = c.read_response(timeout=10)
        check(r.kind == "data" and not r.payload and
              r.eod.serial == eod.serial,
              "Serial Query sent a byte at a time: answered (no changes)",
              f"{r.kind} {r.pdus[:3]}")
        c.send(q + q)
        r1 = c.read_response(timeout=10)
        r2 = c.read_response(timeout=10)
        check(r1.kind == r2.kind == "data" and not r1.payload and
              not r2.payload, "two Serial Queries in one segment: two "
              "answers", f"{r1.kind} {r2.kind}")
        c.send(w.serial_query(2, eod.session, eod.serial)[:5])
        time.sleep(HELLO + 1)
        c.send(w.serial_query(2, eod.session, eod.serial)[5:])
        r = c.read_response(timeout=10)
        check(r.kind == "data", "a Serial Query split by a pause longer "
              "than --rtr-hello-timeout: answered", f"{r.kind} {r.pdus[:3]}")
    srv.healthy("fragmented queries")


def serial_far_away(srv):
    """Serial Queries the cache cannot answer with a delta: serial XOR
    2^31 (RFC 1982: neither before nor after ours), one ahead of ours,
    and 2^32-1. Each must get a Cache Reset (8210bis s.8.4) and the
    session stays usable: a Reset Query on it gets the set."""
    with srv.client(timeout=30) as c:
        kind, digest, eod = c.reset_digest()
        if not check(kind == "data", "far serials: session established",
                     kind):
            return
        for label, serial in (
                ("serial XOR 2^31", eod.serial ^ 0x80000000),
                ("serial + 1 (the future)", (eod.serial + 1) & 0xffffffff),
                ("serial + 2^31 - 1", (eod.serial + 0x7fffffff) &
                 0xffffffff),
                ("serial 2^32 - 1", 0xffffffff)):
            if serial == eod.serial:
                continue
            c.send(w.serial_query(2, eod.session, serial))
            r = c.read_response(timeout=10)
            check(r.kind == "reset", f"Serial Query at {label}: Cache "
                  f"Reset", f"{r.kind} {r.pdus[:3]}")
        kind, digest, _ = c.reset_digest()
        check(kind == "data" and digest == srv.ref, "far serials: a Reset "
              "Query on the same session gets the set", kind)
    srv.healthy("far serials")


def error_report_lengths(srv):
    """Error Reports whose inner lengths are huge or odd: never answered
    with an Error Report, dropped at once, nothing else harmed. The sums
    that wrap in 32 bits are the interesting ones: 16 + encapsulated +
    text == the PDU's length modulo 2^32."""
    def er(enc_len, enc, text_len, text, total=None):
        body = struct.pack("!I", enc_len) + enc + \
            struct.pack("!I", text_len) + text
        n = 8 + len(body) if total is None else total
        return w.header(2, w.ERROR_REPORT, w.ERR_CORRUPT_DATA, n) + body

    q = w.reset_query(2)
    for label, pdu in (
            ("encapsulated length 2^32-1", er(0xffffffff, q, 0, b"")),
            ("text length 2^32-1", er(len(q), q, 0xffffffff, b"x")),
            ("encapsulated length wrapping the sum to the PDU's length",
             er((0x100000000 - 8) & 0xffffffff, q, 8, b"abcdefgh")),
            ("text length wrapping the sum to the PDU's length",
             er(len(q), q, 0x100000000 - 4, b"abcd")),
            ("both lengths 2^31", er(0x80000000, q, 0x80000000, b"")),
            ("encapsulated length odd, one past the PDU",
             er(len(q) + 1, q, 0, b"")),
            ("encapsulated PDU itself an Error Report of length 2^32-1",
             er(16, w.header(2, w.ERROR_REPORT, 0, 0xffffffff) +
                bytes(8), 0, b"")),
            ("text that is not UTF-8", er(0, b"", 4, b"\xff\xfe\x00\x80")),
            ("PDU length 2^32-1 of an Error Report",
             er(0, b"", 0, b"", total=0xffffffff))):
        expect_silent_close(srv, pdu, f"router's Error Report: {label}")


def hello_timeout(srv):
    mark = srv.vrpd.mark()
    c = srv.client()
    name = local_name(c)
    t0 = time.monotonic()
    closed, pdus = c.wait_closed(HELLO + 5)
    dt = time.monotonic() - t0
    c.close()
    check(closed and HELLO - 0.5 <= dt <= HELLO + 4,
          f"silent router closed after --rtr-hello-timeout {HELLO}",
          f"closed={closed} after {dt:.1f} s, {pdus}")
    line = srv.vrpd.wait(rf"{name}\b.*(no query|hello|timeout)", 3,
                         since=mark)
    check(line is not None, "hello timeout logged with the router's name",
          "\n".join(srv.vrpd.grep(name, since=mark)))


def stalled_reader(srv, n=50):
    mark = srv.vrpd.mark()
    stalled = srv.client(rcvbuf=4096)
    sname = local_name(stalled)
    stalled.send(w.reset_query(2))
    time.sleep(0.5)
    results = [None] * n

    def sync(i):
        try:
            with srv.client(timeout=40) as c:
                results[i] = c.reset_digest()
        except Exception as e:  # reported below
            results[i] = ("exception", repr(e), None)

    t0 = time.monotonic()
    threads = [threading.Thread(target=sync, args=(i,), daemon=True)
               for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(1, 45 - (time.monotonic() - t0)))
    dt = time.monotonic() - t0
    good = sum(1 for r in results if r and r[0] == "data" and
               r[1] == srv.ref)
    bad = [r for r in results if not (r and r[0] == "data" and
                                      r[1] == srv.ref)]
    check(good == n, f"{n} routers sync the exact set while one stalls "
          f"({dt:.1f} s)", f"{good} good, e.g. {bad[:3]}")
    line = srv.vrpd.wait(rf"{sname}\b.*(not reading|write|timeout|stall)",
                         WRITE + 10, since=mark)
    check(line is not None, f"stalled router closed after "
          f"--rtr-write-timeout {WRITE}, logged",
          "\n".join(srv.vrpd.grep(sname, since=mark)))
    # It was cut off: draining what the kernel holds ends in EOF/reset,
    # never in a whole set.
    got = 0
    ended = False
    stalled.sock.settimeout(5)
    try:
        while True:
            b = stalled.sock.recv(1 << 20)
            if not b:
                ended = True
                break
            got += len(b)
    except (ConnectionResetError, socket.timeout):
        ended = True
    stalled.close()
    check(ended, f"stalled router's connection is closed (drained "
          f"{got} bytes)")
    srv.healthy("after the stalled router")


def slow_reader(srv):
    """A router that reads 256 KiB every 1.8 s (about 140 KiB/s) has not
    "stopped reading": with --rtr-write-timeout 3 it keeps its session.
    (Its receive buffer is small, so the cache's send buffer stays full
    and only the router's reading frees it.)"""
    mark = srv.vrpd.mark()
    c = srv.client(rcvbuf=65536, timeout=30)
    name = local_name(c)
    c.send(w.reset_query(2))
    pause, step = WRITE - 1.2, 256 * 1024
    for _ in range(4):
        time.sleep(pause)
        got = 0
        c.sock.settimeout(0.3)
        try:
            while got < step:
                b = c.sock.recv(step - got)
                if not b:
                    break
                c.buf += b
                got += len(b)
        except OSError:
            pass
    try:
        r = c.read_response(timeout=30)
        ok = r.kind == "data" and w.payload_digest(r) == srv.ref
    except (OSError, w.ProtocolError, TimeoutError) as e:
        ok, r = False, e
    c.close()
    check(ok, f"router reading {step >> 10} KiB every {pause:.1f} s keeps "
          f"its session (--rtr-write-timeout {WRITE})",
          f"{r!r}\n" + "\n".join(srv.vrpd.grep(name, since=mark)))
    srv.healthy("after the slow router")


def max_clients(tmp):
    ds = w.Dataset.generate(300, seed=9)
    path = os.path.join(tmp, "small.json")
    ds.write(path)
    v = w.Vrpd(VRPD, path, "--rtr-max-clients", "5", "--verbose",
               name="vrpd-max5")
    clients = []
    try:
        for i in range(5):
            c = w.Client(HOST, v.port, 2, 10)
            clients.append(c)
            r = c.reset()
            check(r.kind == "data" and not w.compare_state(c.state, ds, 2),
                  f"max-clients: router {i + 1} of 5 synced")
        mark = v.mark()
        extra = []
        for i in range(3):
            c = w.Client(HOST, v.port, 2, 10)
            extra.append((c, local_name(c)))
        for i, (c, name) in enumerate(extra):
            try:
                c.send(w.reset_query(2))
            except OSError:
                pass
            try:
                closed, pdus = c.wait_closed(3)
            except OSError:
                closed, pdus = True, []
            c.close()
            check(closed and not [p for p in pdus if p.type ==
                                  w.CACHE_RESPONSE],
                  f"max-clients: connection {6 + i} closed unserved",
                  f"{pdus}")
            check(v.wait(rf"{name}\b.*(limit|max)", 3, since=mark),
                  f"max-clients: connection {6 + i} logged",
                  v.text(mark)[-1500:])
        for i, c in enumerate(clients):
            r = c.serial()
            check(r.kind == "data" and not c.state.anomalies,
                  f"max-clients: router {i + 1} still served", f"{r.pdus}")
        clients.pop().close()
        time.sleep(0.5)
        c = w.Client(HOST, v.port, 2, 10)
        clients.append(c)
        r = c.reset()
        check(r.kind == "data", "max-clients: a freed slot is reused",
              f"{r.kind} {r.pdus}")
    finally:
        for c in clients:
            c.close()
        rc = v.stop()
    check(rc == 0, "vrpd --rtr-max-clients 5 exits 0 on SIGTERM", f"{rc}")
    sanitizer_clean(v)


def fd_exhaustion(tmp):
    """accept() failing for want of descriptors is logged and survived."""
    ds = w.Dataset.generate(300, seed=11)
    path = os.path.join(tmp, "fds.json")
    ds.write(path)
    wrapper = os.path.join(tmp, "vrpd-few-fds")
    with open(wrapper, "w") as f:
        f.write(f"#!/bin/sh\nulimit -n {FEW_FDS} || exit 1\n"
                f"exec {VRPD} \"$@\"\n")
    os.chmod(wrapper, 0o755)
    v = w.Vrpd(wrapper, path, name="vrpd-few-fds")
    socks = []
    try:
        mark = v.mark()
        for _ in range(FEW_FDS + 16):
            try:
                socks.append(socket.create_connection((HOST, v.port), 2))
            except OSError:
                break
        check(v.wait(r"rtr: accept on .*(Too many open files|EMFILE)", 5,
                     since=mark),
              "fd exhaustion: the failing accept() is logged",
              v.text(mark)[-1500:])
        for s in socks:
            s.close()
        socks = []
        time.sleep(0.5)
        check(v.alive(), "fd exhaustion: vrpd survives")
        c = w.Client(HOST, v.port, 2, 10)
        r = c.reset()
        c.close()
        check(r.kind == "data" and not w.compare_state(c.state, ds, 2),
              "fd exhaustion: a router is served once descriptors are free",
              f"{r.kind}")
    finally:
        for s in socks:
            s.close()
        rc = v.stop()
    check(rc == 0, "vrpd with few descriptors exits 0 on SIGTERM", f"{rc}")
    sanitizer_clean(v)


def sanitizer_clean(v):
    bad = v.grep(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|"
                 r"runtime error:")
    check(not bad, f"{v.name}: no sanitizer report", "\n".join(bad[:5]))


def main():
    tmp = tempfile.mkdtemp(prefix="rtr_hostile.")
    vrpd = None
    t0 = time.monotonic()
    try:
        ds = w.Dataset.generate(250000, seed=3, v6_share=0.6)
        path = os.path.join(tmp, "vrps.json")
        ds.write(path)
        vrpd = w.Vrpd(VRPD, path, "--verbose", "--rtr-hello-timeout",
                      str(HELLO), "--rtr-write-timeout", str(WRITE))
        # The reference: one router reads the whole set PDU by PDU.
        c = w.Client(HOST, vrpd.port, 2, 60)
        r = c.reset()
        c.close()
        diffs = w.compare_state(c.state, ds, 2)
        if not check(r.kind == "data" and not diffs and
                     not c.state.anomalies,
                     f"reference router gets the exact set "
                     f"({len(r.payload)} PDUs)",
                     f"{diffs} {c.state.anomalies[:3]}"):
            return
        srv = Server(vrpd, ds, w.payload_digest(r))
        print(f"setup {time.monotonic() - t0:.1f} s", flush=True)

        malformed_input(srv)
        router_error_reports(srv)
        protocol_errors(srv)
        error_report_lengths(srv)
        connect_and_close(srv)
        fragmented_queries(srv)
        serial_far_away(srv)
        hello_timeout(srv)
        stalled_reader(srv)
        slow_reader(srv)
        max_clients(tmp)
        fd_exhaustion(tmp)

        c = w.Client(HOST, vrpd.port, 2, 60)
        r = c.reset()
        c.close()
        check(r.kind == "data" and not w.compare_state(c.state, ds, 2) and
              not c.state.anomalies and not w.order_violations(r.payload),
              "after everything, a last router gets the exact set in order",
              f"{w.compare_state(c.state, ds, 2)} "
              f"{c.state.anomalies[:3]}")
        check(vrpd.alive(), "vrpd still running")
        rc = vrpd.stop()
        check(rc == 0, "vrpd exits 0 on SIGTERM", f"exit {rc}")
        sanitizer_clean(vrpd)
    finally:
        if vrpd is not None:
            vrpd.stop()
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"took {time.monotonic() - t0:.1f} s", flush=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("all passed")


if __name__ == "__main__":
    main()
