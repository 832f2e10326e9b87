#!/usr/bin/env python3
"""A small RPKI-to-Router client for the tests, written from the RFC layouts.

RFC 6810 (version 0), RFC 8210 (version 1) and draft-ietf-sidrops-8210bis
(version 2). It encodes every PDU (the tests also send cache-only PDUs to
a cache to see it refuse them), decodes every PDU strictly (lengths,
zero fields), and has a blocking client with timeouts that applies Cache
Responses to a State and notes every anomaly a router would trip over:
an item announced twice, a withdrawal of an unknown item, a PDU twice in
one response, a PDU of the wrong version.

The second half is harness shared by tests/rtr_interop.py and
tests/rtr_hostile.py: a deterministic VRP file writer (the JSON layout
vrpd --output json writes) with the set a router must end with, and a
process wrapper whose stderr lines can be waited for.

Python 3 standard library only.
"""

import base64
import hashlib
import json
import os
import random
import re
import socket
import struct
import subprocess
import threading
import time

# PDU types (RFC 8210 s.5, 8210bis s.5 for ASPA).
SERIAL_NOTIFY = 0
SERIAL_QUERY = 1
RESET_QUERY = 2
CACHE_RESPONSE = 3
IPV4_PREFIX = 4
IPV6_PREFIX = 6
END_OF_DATA = 7
CACHE_RESET = 8
ROUTER_KEY = 9
ERROR_REPORT = 10
ASPA = 11

TYPE_NAMES = {
    SERIAL_NOTIFY: "Serial Notify", SERIAL_QUERY: "Serial Query",
    RESET_QUERY: "Reset Query", CACHE_RESPONSE: "Cache Response",
    IPV4_PREFIX: "IPv4 Prefix", IPV6_PREFIX: "IPv6 Prefix",
    END_OF_DATA: "End of Data", CACHE_RESET: "Cache Reset",
    ROUTER_KEY: "Router Key", ERROR_REPORT: "Error Report", ASPA: "ASPA",
}

# Error Report codes (RFC 8210 s.13, 8210bis s.14).
ERR_CORRUPT_DATA = 0
ERR_INTERNAL = 1
ERR_NO_DATA = 2
ERR_INVALID_REQUEST = 3
ERR_UNSUPPORTED_VERSION = 4
ERR_UNSUPPORTED_PDU = 5
ERR_WITHDRAWAL_UNKNOWN = 6
ERR_DUPLICATE_ANNOUNCEMENT = 7
ERR_UNEXPECTED_VERSION = 8
ERR_ASPA_PROVIDER_LIST = 9

FLAG_ANNOUNCE = 1
HEADER_LEN = 8
SKI_LEN = 20

# The types a cache sends; a router sends only queries and Error Reports.
CACHE_TYPES = {SERIAL_NOTIFY, CACHE_RESPONSE, IPV4_PREFIX, IPV6_PREFIX,
               END_OF_DATA, CACHE_RESET, ROUTER_KEY, ERROR_REPORT, ASPA}


class ProtocolError(Exception):
    """The peer sent bytes that are not a valid PDU."""


class ErrorReport(Exception):
    """The cache answered with an Error Report PDU (kept in .pdu)."""

    def __init__(self, pdu):
        super().__init__(f"Error Report code {pdu.code}: {pdu.text!r}")
        self.pdu = pdu


# ---------------------------------------------------------------- encoding

def header(version, ptype, field, length):
    """The 8-byte common header: version, type, 16-bit field, length."""
    return struct.pack("!BBHI", version, ptype, field, length)


def serial_notify(version, session, serial):
    return header(version, SERIAL_NOTIFY, session, 12) + \
        struct.pack("!I", serial)


def serial_query(version, session, serial):
    return header(version, SERIAL_QUERY, session, 12) + \
        struct.pack("!I", serial)


def reset_query(version):
    return header(version, RESET_QUERY, 0, 8)


def cache_response(version, session):
    return header(version, CACHE_RESPONSE, session, 8)


def ipv4_prefix(version, announce, prefix, maxlen, asn):
    addr, _, plen = prefix.partition("/")
    return header(version, IPV4_PREFIX, 0, 20) + struct.pack(
        "!BBBB4sI", 1 if announce else 0, int(plen), maxlen, 0,
        socket.inet_pton(socket.AF_INET, addr), asn)


def ipv6_prefix(version, announce, prefix, maxlen, asn):
    addr, _, plen = prefix.partition("/")
    return header(version, IPV6_PREFIX, 0, 32) + struct.pack(
        "!BBBB16sI", 1 if announce else 0, int(plen), maxlen, 0,
        socket.inet_pton(socket.AF_INET6, addr), asn)


def end_of_data(version, session, serial, refresh=3600, retry=600,
                expire=7200):
    if version == 0:
        return header(0, END_OF_DATA, session, 12) + struct.pack("!I", serial)
    return header(version, END_OF_DATA, session, 24) + struct.pack(
        "!IIII", serial, refresh, retry, expire)


def cache_reset(version):
    return header(version, CACHE_RESET, 0, 8)


def router_key(version, announce, ski, asn, spki):
    body = ski + struct.pack("!I", asn) + spki
    # The 16-bit header field is Flags (8 bits) then zero (8 bits).
    return header(version, ROUTER_KEY, (1 if announce else 0) << 8,
                  HEADER_LEN + len(body)) + body


def error_report(version, code, pdu=b"", text=""):
    t = text.encode()
    body = struct.pack("!I", len(pdu)) + pdu + struct.pack("!I", len(t)) + t
    return header(version, ERROR_REPORT, code, HEADER_LEN + len(body)) + body


def aspa(version, announce, customer, providers):
    body = struct.pack("!I", customer) + b"".join(
        struct.pack("!I", p) for p in providers)
    return header(version, ASPA, (1 if announce else 0) << 8,
                  HEADER_LEN + len(body)) + body


# ---------------------------------------------------------------- decoding

class Pdu:
    """One decoded PDU; .raw keeps its bytes, .key() its identity.

    Fields a type does not have stay None. A prefix is kept as canonical
    text ("192.0.2.0/24", "2001:db8::/32", what inet_ntop writes) with
    .addr (an int) and .plen beside it, because the tests handle hundreds
    of thousands of them and ipaddress objects are slow.
    """

    session = serial = flags = prefix = addr = plen = maxlen = asn = None
    refresh = retry = expire = ski = spki = code = inner = text = None
    customer = providers = None

    def __init__(self, version, ptype, field, length, raw):
        self.version, self.type, self.field = version, ptype, field
        self.length, self.raw = length, raw

    @property
    def name(self):
        return TYPE_NAMES.get(self.type, f"type {self.type}")

    @property
    def announce(self):
        return bool(self.flags & FLAG_ANNOUNCE)

    def key(self):
        """The item a payload PDU announces or withdraws, or None."""
        if self.type in (IPV4_PREFIX, IPV6_PREFIX):
            return ("vrp", self.prefix, self.maxlen, self.asn)
        if self.type == ROUTER_KEY:
            return ("rk", self.ski, self.asn, self.spki)
        if self.type == ASPA:
            return ("aspa", self.customer)
        return None

    def __repr__(self):
        parts = [f"v{self.version}", self.name]
        for s in ("session", "serial", "flags", "prefix", "maxlen", "asn",
                  "customer", "providers", "code", "text"):
            v = getattr(self, s)
            if v is not None:
                parts.append(f"{s}={v}")
        return "<" + " ".join(parts) + ">"


def canon_prefix(text):
    """A prefix as canonical text (inet_ntop's spelling); ValueError if
    it is not one or has host bits set."""
    addr, _, plen = text.partition("/")
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    try:
        packed = socket.inet_pton(fam, addr)
    except OSError:
        raise ValueError(f"bad prefix {text!r}")
    n, bits = int(plen), len(packed) * 8
    if not 0 <= n <= bits or int.from_bytes(packed, "big") & (
            (1 << (bits - n)) - 1):
        raise ValueError(f"bad prefix {text!r}")
    return f"{socket.inet_ntop(fam, packed)}/{n}"


def prefix_family(prefix):
    return 6 if ":" in prefix else 4


def _need(cond, what):
    if not cond:
        raise ProtocolError(what)


def decode(raw):
    """Decode one whole PDU (header included); ProtocolError if invalid."""
    _need(len(raw) >= HEADER_LEN, "short header")
    version, ptype, field, length = struct.unpack("!BBHI", raw[:8])
    _need(length == len(raw), f"length {length} != {len(raw)} bytes")
    p = Pdu(version, ptype, field, length, bytes(raw))
    body = raw[8:]
    if ptype in (SERIAL_NOTIFY, SERIAL_QUERY):
        _need(length == 12, f"{p.name} length {length}")
        p.session, (p.serial,) = field, struct.unpack("!I", body)
    elif ptype in (RESET_QUERY, CACHE_RESET):
        _need(length == 8, f"{p.name} length {length}")
        _need(field == 0, f"{p.name} zero field is {field}")
    elif ptype == CACHE_RESPONSE:
        _need(length == 8, f"Cache Response length {length}")
        p.session = field
    elif ptype in (IPV4_PREFIX, IPV6_PREFIX):
        alen = 4 if ptype == IPV4_PREFIX else 16
        _need(length == 8 + 4 + alen + 4, f"{p.name} length {length}")
        _need(field == 0, f"{p.name} zero field is {field}")
        p.flags, plen, p.maxlen, zero = body[0], body[1], body[2], body[3]
        _need(zero == 0, f"{p.name} zero byte is {zero}")
        _need(p.flags & ~FLAG_ANNOUNCE == 0, f"{p.name} flags {p.flags}")
        packed = body[4:4 + alen]
        (p.asn,) = struct.unpack_from("!I", body, 4 + alen)
        bits = alen * 8
        p.addr, p.plen = int.from_bytes(packed, "big"), plen
        p.prefix = socket.inet_ntop(
            socket.AF_INET if alen == 4 else socket.AF_INET6,
            packed) + "/" + str(plen)
        _need(plen <= bits and not p.addr & ((1 << (bits - plen)) - 1),
              f"{p.name} {p.prefix}: bad length or host bits set")
        _need(plen <= p.maxlen <= bits,
              f"{p.name} {p.prefix} max length {p.maxlen}")
    elif ptype == END_OF_DATA:
        p.session = field
        if version == 0:
            _need(length == 12, f"v0 End of Data length {length}")
            (p.serial,) = struct.unpack("!I", body)
        else:
            _need(length == 24, f"v{version} End of Data length {length}")
            p.serial, p.refresh, p.retry, p.expire = struct.unpack(
                "!IIII", body)
    elif ptype == ROUTER_KEY:
        _need(length >= 8 + SKI_LEN + 4 + 1, f"Router Key length {length}")
        p.flags, zero = field >> 8, field & 0xff
        _need(zero == 0, f"Router Key zero byte is {zero}")
        _need(p.flags & ~FLAG_ANNOUNCE == 0, f"Router Key flags {p.flags}")
        p.ski = body[:SKI_LEN]
        (p.asn,) = struct.unpack("!I", body[SKI_LEN:SKI_LEN + 4])
        p.spki = body[SKI_LEN + 4:]
    elif ptype == ERROR_REPORT:
        _need(length >= 16, f"Error Report length {length}")
        p.code = field
        (ilen,) = struct.unpack("!I", body[:4])
        _need(4 + ilen + 4 <= len(body), f"Error Report PDU length {ilen}")
        p.inner = body[4:4 + ilen]
        (tlen,) = struct.unpack("!I", body[4 + ilen:8 + ilen])
        _need(8 + ilen + tlen == len(body),
              f"Error Report text length {tlen}")
        p.text = body[8 + ilen:].decode("utf-8", "replace")
    elif ptype == ASPA:
        _need(length >= 12 and (length - 12) % 4 == 0,
              f"ASPA length {length}")
        p.flags, zero = field >> 8, field & 0xff
        _need(zero == 0, f"ASPA zero byte is {zero}")
        _need(p.flags & ~FLAG_ANNOUNCE == 0, f"ASPA flags {p.flags}")
        (p.customer,) = struct.unpack("!I", body[:4])
        p.providers = tuple(
            struct.unpack("!I", body[i:i + 4])[0]
            for i in range(4, len(body), 4))
    else:
        raise ProtocolError(f"unknown PDU type {ptype}")
    return p


def split(buf):
    """Decode a byte string holding whole PDUs back to back."""
    out, off = [], 0
    while off < len(buf):
        _need(len(buf) - off >= HEADER_LEN, "trailing partial header")
        (length,) = struct.unpack("!I", buf[off + 4:off + 8])
        _need(length >= HEADER_LEN and off + length <= len(buf),
              f"bad length {length}")
        out.append(decode(buf[off:off + length]))
        off += length
    return out


# ---------------------------------------------------------------- state

class State:
    """What a router holds: the payload set, session id and serial.

    anomalies lists every protocol rule the cache broke on the way,
    as text; tests assert it stays empty.
    """

    def __init__(self):
        self.session = None
        self.serial = None
        self.version = None
        self.vrps = set()          # (prefix text, maxlen, asn)
        self.router_keys = set()   # (ski bytes, asn, spki bytes)
        self.aspas = {}            # customer -> tuple of providers
        self.anomalies = []

    def clear(self):
        self.vrps.clear()
        self.router_keys.clear()
        self.aspas.clear()

    def apply(self, pdu):
        """Apply one payload PDU as a router would."""
        k = pdu.key()
        if pdu.type in (IPV4_PREFIX, IPV6_PREFIX, ROUTER_KEY):
            item = k[1:]
            store = self.vrps if pdu.type != ROUTER_KEY else self.router_keys
            if pdu.announce:
                if item in store:
                    self.anomalies.append(f"duplicate announcement {pdu!r}")
                store.add(item)
            else:
                if item not in store:
                    self.anomalies.append(f"withdrawal of unknown {pdu!r}")
                store.discard(item)
        elif pdu.type == ASPA:
            if pdu.announce:
                # 8210bis: an announcement for a customer already held
                # replaces its provider list.
                if not pdu.providers:
                    self.anomalies.append(f"ASPA announced empty {pdu!r}")
                if list(pdu.providers) != sorted(set(pdu.providers)):
                    self.anomalies.append(
                        f"ASPA providers not ascending and unique {pdu!r}")
                self.aspas[pdu.customer] = pdu.providers
            else:
                if pdu.providers:
                    self.anomalies.append(
                        f"ASPA withdrawal with providers {pdu!r}")
                if pdu.customer not in self.aspas:
                    self.anomalies.append(f"withdrawal of unknown {pdu!r}")
                self.aspas.pop(pdu.customer, None)

    def snapshot(self):
        return (frozenset(self.vrps), frozenset(self.router_keys),
                dict(self.aspas))


class Response:
    """A cache's answer to one query.

    kind is "data" (Cache Response ... End of Data), "reset" (Cache
    Reset), "error" (Error Report, in .error) or "eof" (connection closed).
    pdus are all PDUs read, Serial Notifies included, in order.
    """

    def __init__(self):
        self.kind = None
        self.pdus = []
        self.payload = []
        self.eod = None
        self.error = None
        self.notifies = []


class Client:
    """A blocking RTR client over TCP; every read has a timeout."""

    def __init__(self, host, port, version=2, timeout=10.0, rcvbuf=None):
        """rcvbuf: a receive buffer size set before connecting (a small
        one makes a router that does not read fill the cache's buffers)."""
        self.version = version
        self.timeout = timeout
        fam, kind, proto, _, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        self.sock = socket.socket(fam, kind, proto)
        try:
            if rcvbuf is not None:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                                     rcvbuf)
            self.sock.settimeout(timeout)
            self.sock.connect(addr)
        except OSError:
            self.sock.close()
            raise
        self.buf = bytearray()
        self.pos = 0
        self.state = State()
        self.notifies = []

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, n, deadline):
        """Have n unread bytes in self.buf[self.pos:]; False on EOF."""
        while len(self.buf) - self.pos < n:
            if self.pos > (1 << 20):
                del self.buf[:self.pos]
                self.pos = 0
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no data within {self.timeout} s")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 18)
            except socket.timeout:
                raise TimeoutError(f"no data within {self.timeout} s")
            if not chunk:
                return False
            self.buf += chunk
        return True

    def recv_pdu(self, timeout=None, max_len=1 << 20):
        """The next PDU, or None when the cache closed the connection.

        Raises TimeoutError when nothing complete arrives in time,
        ProtocolError on invalid bytes. A close in mid-PDU is an error.
        """
        deadline = time.monotonic() + (timeout or self.timeout)
        if not self._fill(HEADER_LEN, deadline):
            if len(self.buf) > self.pos:
                raise ProtocolError(
                    f"closed after {len(self.buf) - self.pos} bytes")
            return None
        (length,) = struct.unpack_from("!I", self.buf, self.pos + 4)
        if length < HEADER_LEN or length > max_len:
            raise ProtocolError(f"PDU length {length}")
        if not self._fill(length, deadline):
            raise ProtocolError(f"closed inside a PDU of {length} bytes")
        raw = bytes(self.buf[self.pos:self.pos + length])
        self.pos += length
        return decode(raw)

    def wait_closed(self, timeout):
        """True if the cache closes within timeout (PDUs read meanwhile
        are returned as the second element)."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False, seen
            try:
                p = self.recv_pdu(timeout=left)
            except TimeoutError:
                return False, seen
            except (ConnectionResetError, BrokenPipeError):
                return True, seen
            if p is None:
                return True, seen
            seen.append(p)

    def read_response(self, timeout=None):
        """Read PDUs until End of Data, Cache Reset, Error Report or EOF,
        applying payload PDUs to self.state and noting anomalies."""
        r = Response()
        st = self.state
        seen = set()
        started = False
        while True:
            p = self.recv_pdu(timeout)
            if p is None:
                r.kind = "eof"
                return r
            r.pdus.append(p)
            if p.version != self.version:
                st.anomalies.append(
                    f"{p!r} in a v{self.version} session")
            if p.type == SERIAL_NOTIFY:
                r.notifies.append(p)
                self.notifies.append(p)
                continue
            if p.type == ERROR_REPORT:
                r.kind, r.error = "error", p
                return r
            if p.type == CACHE_RESET:
                if started:
                    st.anomalies.append("Cache Reset inside a response")
                r.kind = "reset"
                return r
            if p.type == CACHE_RESPONSE:
                if started:
                    st.anomalies.append("second Cache Response")
                started = True
                if st.session is not None and p.session != st.session:
                    st.anomalies.append(
                        f"Cache Response session {p.session} != "
                        f"{st.session}")
                r.session = p.session
                continue
            if not started:
                st.anomalies.append(f"{p!r} before Cache Response")
            if p.type == END_OF_DATA:
                r.kind, r.eod = "data", p
                return r
            if p.type in (IPV4_PREFIX, IPV6_PREFIX, ROUTER_KEY, ASPA):
                if p.raw in seen or (p.key() in seen):
                    st.anomalies.append(f"PDU twice in one response {p!r}")
                seen.add(p.raw)
                seen.add(p.key())
                r.payload.append(p)
                if self.version == 0 and p.type in (ROUTER_KEY, ASPA):
                    st.anomalies.append(f"{p.name} in a v0 session")
                if self.version == 1 and p.type == ASPA:
                    st.anomalies.append("ASPA in a v1 session")
                continue
            st.anomalies.append(f"unexpected {p!r} in a response")

    def _finish(self, r):
        if r.kind == "data":
            st = self.state
            for p in r.payload:
                st.apply(p)
            st.session, st.serial = r.eod.session, r.eod.serial
            st.version = self.version
            if r.session is not None and r.eod.session != r.session:
                st.anomalies.append("End of Data session differs")
        return r

    def reset(self, timeout=None):
        """Send a Reset Query and apply the full set that comes back."""
        self.send(reset_query(self.version))
        r = self.read_response(timeout)
        if r.kind == "data":
            self.state.clear()
        return self._finish(r)

    def reset_digest(self, timeout=None):
        """Reset Query, reading the answer at C speed: the bytes between
        the Cache Response and the End of Data are only hashed.

        For many clients of a large set at once; compare the digest with
        payload_digest() of a response read (and checked) by reset().
        Returns (kind, sha256 hex of the payload bytes, End of Data Pdu).
        Assumes no Serial Notify arrives meanwhile (it would be hashed
        too, and the digest would differ: a false failure, never a false
        pass).
        """
        self.send(reset_query(self.version))
        deadline = time.monotonic() + (timeout or self.timeout)
        eod_len = 12 if self.version == 0 else 24
        buf = bytearray()
        while True:
            if len(buf) >= 8 and buf[1] in (ERROR_REPORT, CACHE_RESET):
                (n,) = struct.unpack_from("!I", buf, 4)
                if len(buf) >= n:
                    p = decode(bytes(buf[:n]))
                    return ("error" if p.type == ERROR_REPORT else "reset",
                            None, p)
            if (len(buf) >= 8 + eod_len and buf[1] == CACHE_RESPONSE and
                    buf[-eod_len + 1] == END_OF_DATA and
                    struct.unpack_from("!I", buf, len(buf) - eod_len + 4)[0]
                    == eod_len and buf[-eod_len + 2:-eod_len + 4] ==
                    buf[2:4]):
                eod = decode(bytes(buf[-eod_len:]))
                h = hashlib.sha256(memoryview(buf)[8:-eod_len]).hexdigest()
                return "data", h, eod
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no End of Data within {self.timeout} s "
                                   f"({len(buf)} bytes)")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(1 << 20)
            except socket.timeout:
                continue
            if not chunk:
                return "eof", None, None
            buf += chunk

    def serial(self, session=None, serial=None, timeout=None):
        """Send a Serial Query (default: the state's) and apply the delta."""
        st = self.state
        self.send(serial_query(self.version,
                               st.session if session is None else session,
                               st.serial if serial is None else serial))
        return self._finish(self.read_response(timeout))


def payload_digest(resp):
    """The digest reset_digest() computes, for a response read PDU by PDU."""
    h = hashlib.sha256()
    for p in resp.payload:
        h.update(p.raw)
    return h.hexdigest()


def sync(host, port, version=2, timeout=10.0, negotiate=True):
    """Full sync as a router: Reset Query, downgrading on Error Report 4.

    Returns (client, response); the client is still connected.
    Downgrade per RFC 8210 s.7 / 8210bis s.7: the cache's Error Report
    carries the highest version it speaks.
    """
    while True:
        c = Client(host, port, version, timeout)
        try:
            r = c.reset()
        except Exception:
            c.close()
            raise
        if (negotiate and r.kind == "error" and
                r.error.code == ERR_UNSUPPORTED_VERSION and
                r.error.version < version):
            c.close()
            version = r.error.version
            continue
        return c, r


# ---------------------------------------------------------------- ordering

def order_key(p):
    """A payload PDU's place in draft-ietf-sidrops-8210bis s.11.2's total
    order: lower PDU type first; within a type announcements first.
    IP prefix announcements by addr, mlen, plen, asn all descending;
    withdrawals all ascending (s.11.2.1). Router Keys by SKI, SPKI length,
    SPKI, asn ascending (s.11.2.2). ASPA by customer ascending (s.11.2.3).
    """
    upd = 0 if p.announce else 1
    if p.type in (IPV4_PREFIX, IPV6_PREFIX):
        v = (p.addr, p.maxlen, p.plen, p.asn)
        return (p.type, upd, tuple(-x for x in v) if upd == 0 else v)
    if p.type == ROUTER_KEY:
        return (p.type, upd, (p.ski, len(p.spki), p.spki, p.asn))
    return (p.type, upd, (p.customer,))


def order_violations(payload, limit=5):
    """Where payload breaks the total order (s.11.2): each PDU must sort
    strictly after the one before it (equal means a duplicate)."""
    bad = []
    prev = None
    for i, p in enumerate(payload):
        k = order_key(p)
        if prev is not None and not prev[0] < k:
            bad.append(f"#{i} {p!r} not after #{i - 1} {prev[1]!r}")
            if len(bad) >= limit:
                break
        prev = (k, p)
    return bad


# ---------------------------------------------------------------- test data

TAS = ("afrinic", "apnic", "arin", "lacnic", "ripe")

SPKIS = [base64.b64decode(s) for s in (
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEtqJc8F/XBvSMVb/lfz4qQIGYqxRgsOsW"
    "CkoyYJijb5Owg4kH/xEqqedo95NHi6cU9sGa2Zxc076o3vDaHmPxiA==",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJ303nh4u76tshJ82EJW8Lbrr34VCL3b0"
    "LmGOCZ+ZXSHFLUoE4/NoyQHoDCp4pvPet73/Cqg0q2GK3JVXqCI9Kg==",
)]


class Dataset:
    """A deterministic VRP file's content and the set a router must get.

    roas are JSON records (asn, prefix, maxLength or none, ta); duplicates
    across TAs are in the records on purpose.
    """

    def __init__(self, roas, aspas, keys):
        self.roas, self.aspas, self.keys = roas, aspas, keys

    @classmethod
    def generate(cls, n_vrps, seed=1, v6_share=0.3, dup_share=0.05):
        rnd = random.Random(seed)
        v4_first = [b for b in range(1, 224) if b != 127]  # BIRD drops 127/8
        seen = set()
        roas = []
        while len(seen) < n_vrps:
            asn = rnd.choice((rnd.randrange(1, 65536),
                              rnd.randrange(65536, 4200000000)))
            if rnd.random() < v6_share:
                plen = rnd.choice((29, 32, 32, 36, 40, 44, 48, 48))
                top = 128
                addr = (0x2000 + rnd.randrange(0x1000)) << 112 | \
                    rnd.getrandbits(112)
                addr &= ~((1 << (top - plen)) - 1)
                text = socket.inet_ntop(socket.AF_INET6,
                                        addr.to_bytes(16, "big"))
            else:
                plen = rnd.choice((8, 12, 16, 19, 20, 22, 23, 24, 24, 24))
                top = 32
                addr = rnd.choice(v4_first) << 24 | rnd.getrandbits(24)
                addr &= ~((1 << (top - plen)) - 1)
                text = socket.inet_ntop(socket.AF_INET,
                                        addr.to_bytes(4, "big"))
            r = rnd.random()
            maxlen = None if r < 0.1 else (
                plen if r < 0.6 else rnd.randrange(plen, min(top, plen + 8)
                                                   + 1))
            item = (top, addr, plen, plen if maxlen is None else maxlen, asn)
            if item in seen:
                continue
            seen.add(item)
            roas.append({"asn": asn, "prefix": f"{text}/{plen}",
                         "maxLength": maxlen, "ta": rnd.choice(TAS)})
        # The same VRP from another TA (and once with maxLength spelt
        # out where the first copy left it implicit): a router must see it
        # once.
        for rec in rnd.sample(roas, int(n_vrps * dup_share)):
            ta = rnd.choice([t for t in TAS if t != rec["ta"]])
            other = dict(rec, ta=ta)
            if other["maxLength"] is None:
                other["maxLength"] = int(rec["prefix"].split("/")[1])
            roas.append(other)
        rnd.shuffle(roas)
        aspas = [
            # One customer in two TAs with different providers: the cache
            # sends one ASPA PDU with the union, ascending.
            {"customer_asid": 64500, "providers": [65003, 65001],
             "ta": "ripe"},
            {"customer_asid": 64500, "providers": [65002, 65001, 4200000001],
             "ta": "arin"},
            {"customer_asid": 64501, "providers": [3356, 174], "ta": "apnic"},
            {"customer_asid": 4200000002, "providers": [1299],
             "ta": "lacnic"},
            {"customer_asid": 13335, "providers": [6939, 2914, 1299, 174],
             "ta": "arin"},
        ]
        keys = [
            {"asn": 64496, "ski": "0123456789abcdef0123456789abcdef01234567",
             "pubkey": base64.b64encode(SPKIS[0]).decode(), "ta": "ripe"},
            {"asn": 64497, "ski": "fedcba9876543210fedcba9876543210fedcba98",
             "pubkey": base64.b64encode(SPKIS[1]).decode(), "ta": "arin"},
            # The same key certified under two TAs: one PDU.
            {"asn": 64496, "ski": "0123456789abcdef0123456789abcdef01234567",
             "pubkey": base64.b64encode(SPKIS[0]).decode(), "ta": "apnic"},
        ]
        return cls(roas, aspas, keys)

    def copy(self):
        return Dataset([dict(r) for r in self.roas],
                       [dict(a, providers=list(a["providers"]))
                        for a in self.aspas],
                       [dict(k) for k in self.keys])

    def to_json(self, stayrtr=False):
        """The file's text. For StayRTR 0.5.1, which needs maxLength and
        an expiry on every record and reads ASPA from an older layout
        (provider_authorizations), spell maxLength out and leave ASPA out.
        """
        roas = []
        for r in self.roas:
            o = {"asn": r["asn"], "prefix": r["prefix"], "ta": r["ta"]}
            ml = r["maxLength"]
            if ml is None and stayrtr:
                ml = int(r["prefix"].split("/")[1])
            if ml is not None:
                o["maxLength"] = ml
            if stayrtr:
                o["expires"] = 1900000000
            roas.append(o)
        meta = {"buildmachine": "vrpd-tests", "generated": 1767225600,
                "generatedTime": "2026-01-01T00:00:00Z"}
        doc = {"metadata": meta, "roas": roas, "aspas": self.aspas,
               "bgpsec_keys": self.keys}
        if stayrtr:
            del doc["aspas"]
            doc["bgpsec_keys"] = [dict(k, expires=1900000000)
                                  for k in self.keys]
        return json.dumps(doc, indent=None)

    def write(self, path, stayrtr=False):
        """Write atomically: a temporary name, then rename."""
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(self.to_json(stayrtr))
        os.rename(tmp, path)

    def vrps(self):
        out = set()
        for r in self.roas:
            p = canon_prefix(r["prefix"])
            ml = r["maxLength"]
            out.add((p, int(p.split("/")[1]) if ml is None else ml,
                     r["asn"]))
        return out

    def router_keys(self):
        return {(bytes.fromhex(k["ski"]), k["asn"],
                 base64.b64decode(k["pubkey"])) for k in self.keys}

    def aspa_map(self):
        m = {}
        for a in self.aspas:
            m.setdefault(a["customer_asid"], set()).update(a["providers"])
        return {c: tuple(sorted(p)) for c, p in m.items()}

    def expected(self, version=2):
        """(vrps, router keys, aspas) a router of this version must hold."""
        return (frozenset(self.vrps()),
                frozenset(self.router_keys() if version >= 1 else ()),
                self.aspa_map() if version >= 2 else {})


def diff_sets(name, got, want, limit=5):
    """Text describing how got differs from want, or "" when equal."""
    if got == want:
        return ""
    if isinstance(want, dict):
        miss = {k: v for k, v in want.items() if got.get(k) != v}
        extra = {k: v for k, v in got.items() if want.get(k) != v}
        return (f"{name}: want {len(want)} got {len(got)}; wrong/missing "
                f"{list(miss.items())[:limit]} extra "
                f"{list(extra.items())[:limit]}")
    miss, extra = want - got, got - want
    return (f"{name}: want {len(want)} got {len(got)}; missing "
            f"{len(miss)} {sorted(map(str, miss))[:limit]} extra "
            f"{len(extra)} {sorted(map(str, extra))[:limit]}")


def compare_state(state, ds, version):
    """Every way state differs from the dataset for this version."""
    want = ds.expected(version)
    got = state.snapshot()
    out = []
    for name, g, w in zip(("VRPs", "router keys", "ASPAs"), got, want):
        d = diff_sets(name, g, w)
        if d:
            out.append(d)
    return out


# ---------------------------------------------------------------- processes

def free_port():
    """A TCP port on 127.0.0.1 free at the moment of asking."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Proc:
    """A child process whose output lines are collected by threads, so a
    test can wait for a line with a timeout.

    By default stderr is merged into stdout (.lines); with
    separate_stderr=True stderr lines go to .err_lines, and wait/grep
    take err=True to look there.
    """

    def __init__(self, cmd, name=None, echo=False, separate_stderr=False,
                 **kw):
        self.name = name or os.path.basename(cmd[0])
        self.cmd = cmd
        self.lines = []
        self.err_lines = []
        self.cond = threading.Condition()
        self.echo = echo
        self.p = subprocess.Popen(
            cmd, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE if separate_stderr else subprocess.STDOUT,
            text=True, errors="replace", **kw)
        self.threads = [threading.Thread(target=self._pump,
                                         args=(self.p.stdout, self.lines),
                                         daemon=True)]
        if separate_stderr:
            self.threads.append(threading.Thread(
                target=self._pump, args=(self.p.stderr, self.err_lines),
                daemon=True))
        for t in self.threads:
            t.start()

    def _pump(self, stream, store):
        for line in stream:
            line = line.rstrip("\n")
            if self.echo:
                print(f"  [{self.name}] {line}", flush=True)
            with self.cond:
                store.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def _store(self, err):
        return self.err_lines if err else self.lines

    def mark(self, err=False):
        """The index the next line will have (for wait(since=...))."""
        with self.cond:
            return len(self._store(err))

    def wait(self, pattern, timeout, since=0, err=False):
        """The first re.search match at or after line `since`, or None."""
        rx = re.compile(pattern)
        store = self._store(err)
        deadline = time.monotonic() + timeout
        with self.cond:
            i = since
            while True:
                while i < len(store):
                    m = rx.search(store[i])
                    if m:
                        return m
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0 or (self.p.poll() is not None and not any(
                        t.is_alive() for t in self.threads)):
                    return None
                self.cond.wait(min(left, 0.2))

    def grep(self, pattern, since=0, err=False):
        rx = re.compile(pattern)
        with self.cond:
            return [ln for ln in self._store(err)[since:] if rx.search(ln)]

    def alive(self):
        return self.p.poll() is None

    def text(self, since=0, err=False):
        with self.cond:
            return "\n".join(self._store(err)[since:])

    def stop(self, sig=15, timeout=10):
        """Send sig, wait, SIGKILL if needed; the exit status."""
        if self.p.poll() is None:
            try:
                self.p.send_signal(sig)
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait(5)
        for t in self.threads:
            t.join(5)
        return self.p.returncode


class Vrpd(Proc):
    """vrpd --vrps FILE --rtr-listen 127.0.0.1:0 [...]; .port once up."""

    def __init__(self, binary, vrps, *extra, name="vrpd", echo=False,
                 timeout=30):
        super().__init__([binary, "--vrps", vrps, "--rtr-listen",
                          "127.0.0.1:0", *extra], name=name, echo=echo)
        m = self.wait(r"vrpd: rtr: listening on 127\.0\.0\.1:(\d+)", timeout)
        if not m:
            self.stop(9)
            raise RuntimeError(f"vrpd did not listen:\n{self.text()}")
        self.port = int(m.group(1))
        if not self.wait(r"vrpd: vrps loaded", timeout):
            self.stop(9)
            raise RuntimeError(f"vrpd did not load {vrps}:\n{self.text()}")


class StayRTR(Proc):
    """stayrtr serving a JSON file on a free port of 127.0.0.1."""

    def __init__(self, cache, *extra, name="stayrtr", echo=False,
                 timeout=30):
        self.port = free_port()
        metrics = free_port()
        super().__init__(["stayrtr", "-bind", f"127.0.0.1:{self.port}",
                          "-cache", cache, "-checktime=false",
                          "-metrics.addr", f"127.0.0.1:{metrics}", *extra],
                         name=name, echo=echo)
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                break
            except OSError:
                if time.monotonic() > deadline or not self.alive():
                    self.stop(9)
                    raise RuntimeError(f"stayrtr did not start:\n"
                                       f"{self.text()}")
                time.sleep(0.1)
