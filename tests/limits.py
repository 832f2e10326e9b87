#!/usr/bin/env python3
"""Every limit of vrpd at its value and just past it (README, Limits).

First, each limit flag takes the ends of its range and refuses one step
outside with the flag and the range (exit 2), and a limit works as a
config file key. Then, for each validation and fetch limit, the test
measures the largest value the good fixture reaches (the biggest object,
the longest manifest, ...) from the files themselves and runs
`vrpd --once` twice:

- with the limit set to exactly that value: the output must be the
  fixture's expected VRPs;
- with the limit one below it, so that the fixture is just past the limit:
  what is at the maximum (objects, publication points, repositories) must
  be rejected, each with a log line naming it and the limit, and all else
  still output. The expected subset comes from walking the fixture's CA
  tree (decoded with `vrpctl inspect --json`) without what is rejected,
  and must equal the output exactly.

The object, manifest, resource, depth and repository-count limits read the
good fixture of `make check` over --mirror. The RRDP limits (objects and
bytes per repository, notification size, transfer size, XML markup) fetch
the good fixture, generated for this test's HTTPS server on 127.0.0.1,
over RRDP; two notifications are padded with XML comments so that the
notification size and the markup reach the least values those flags take.
The fetch timeouts (--fetch-stall-timeout 2, --fetch-timeout 3) run
against one snapshot sent with a short pause or quickly enough (at), and
with a long stall or too slowly (past). The RTR limits run on
`vrpd --vrps`: an Error Report of exactly --rtr-max-pdu bytes is read and
the session goes on, one byte more closes it; a third router past
--rtr-max-clients 2 is closed unserved.
"""

import base64
import http.server
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
from once_rrdp import make_tls  # noqa: E402
from testlib import (EVAL, FIXTURES, GEN, PY, VRPCTL, VRPD,  # noqa: E402
                     check, finish)


def run(cmd, timeout=60, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace", timeout=timeout, **kw)


# ------------------------------------------------------------ the model

class Tree:
    """The fixture's CA tree, decoded from its rsync mirror, and the VRPs
    a validator outputs when some of it is taken out."""

    def __init__(self, case):
        self.mirror = os.path.join(case, "rsync")
        self.files = {}     # rsync URI -> size in bytes
        self.objs = {}      # rsync URI -> vrpctl inspect's JSON
        paths = []
        for root, _, names in os.walk(self.mirror):
            for n in names:
                p = os.path.relpath(os.path.join(root, n), self.mirror)
                paths.append(p)
                self.files["rsync://" + p] = os.path.getsize(
                    os.path.join(self.mirror, p))
        r = run([VRPCTL, "inspect", "--json", *sorted(paths)],
                cwd=self.mirror)
        for line in r.stdout.splitlines():
            o = json.loads(line)
            self.objs["rsync://" + o["file"]] = o
        if len(self.objs) != len(paths):
            sys.exit(f"vrpctl inspect decoded {len(self.objs)} of "
                     f"{len(paths)} files:\n{r.stderr}")
        self.tas = []       # (name, TA certificate URI)
        tals = os.path.join(case, "tals")
        for t in sorted(os.listdir(tals)):
            with open(os.path.join(tals, t)) as f:
                uri = next(l.strip() for l in f if l.startswith("rsync://"))
            self.tas.append((t[:-len(".tal")], uri))
        with open(os.path.join(case, "expected", "vrps.csv")) as f:
            self.expected = f.read()

    # The counts the limits bound.

    def pp_files(self, ca):
        """The URIs on the manifest of CA certificate ca."""
        sia = self.objs[ca]["sia"]
        mft = self.objs[sia["manifest"]]
        return [sia["ca_repository"] + f["name"] for f in mft["files"]]

    @staticmethod
    def resource_counts(o):
        """The counts --max-cert-resources bounds in object o: IP
        prefixes and ranges, AS ids and ranges, prefixes of a ROA."""
        res = o.get("resources", {})
        ip = sum(len(res[k]) for k in ("ipv4", "ipv6")
                 if isinstance(res.get(k), list))
        asn = len(res["asn"]) if isinstance(res.get("asn"), list) else 0
        return [ip, asn, len(o.get("prefixes", []))]

    @staticmethod
    def module(uri):
        """rsync://host/module/ of a URI."""
        return "/".join(uri.split("/")[:4]) + "/"

    # The walk.

    def walk(self, unreadable=(), invalid=(), failed_repos=(),
             max_depth=None, max_repos=None):
        """(VRP rows, objects rejected on the way) when the files in
        unreadable cannot be read (their publication point fails, RFC 9286
        s.6.4), those in invalid are rejected (a CA with its subtree, a
        ROA alone), the RRDP repositories (notification URIs) in
        failed_repos bring nothing, CAs deeper than max_depth are refused
        and so are the CAs of a TA's repositories after max_repos."""
        rows, hit = set(), []

        def pp(ca, depth, ta, repos):
            sia = self.objs[ca]["sia"]
            if sia["notify"] in failed_repos:
                hit.append(sia["notify"])
                return
            files = self.pp_files(ca)
            bad = [f for f in [sia["manifest"]] + files if f in unreadable]
            if bad or sia["manifest"] in invalid:
                hit.extend(bad or [sia["manifest"]])
                return
            for f in files:
                o = self.objs[f]
                if f in invalid:
                    hit.append(f)
                elif o["type"] == "roa":
                    for p in o["prefixes"]:
                        rows.add((f"AS{o['asid']}", p["prefix"],
                                  str(p["max_length"]), ta))
                elif o["type"] == "certificate" and o["kind"] == "ca":
                    if max_depth is not None and depth + 1 > max_depth:
                        hit.append(f)
                        continue
                    m = self.module(o["sia"]["ca_repository"])
                    if m not in repos:
                        if max_repos is not None and \
                                len(repos) >= max_repos:
                            hit.append(f)
                            continue
                        repos.add(m)
                    pp(f, depth + 1, ta, repos)

        for ta, uri in self.tas:
            if uri in unreadable or uri in invalid:
                hit.append(uri)
                continue
            # The TA's own repository is the first it uses.
            pp(uri, 0, ta,
               {self.module(self.objs[uri]["sia"]["ca_repository"])})
        return rows, hit

    def csv(self, rows):
        """The expected CSV restricted to rows (in its order)."""
        lines = self.expected.splitlines(keepends=True)
        out = [lines[0]]
        for line in lines[1:]:
            if tuple(line.rstrip("\n").split(",")) in rows:
                out.append(line)
        return "".join(out)

    def self_check(self, label):
        rows, hit = self.walk()
        return check(self.csv(rows) == self.expected and not hit and
                     len(rows) == len(self.expected.splitlines()) - 1,
                     f"{label}: the model of the fixture gives its "
                     f"expected VRPs ({len(rows)})")

    def depth_max(self):
        best = 0

        def down(ca, depth):
            nonlocal best
            best = max(best, depth)
            for f in self.pp_files(ca):
                o = self.objs[f]
                if o["type"] == "certificate" and o["kind"] == "ca":
                    down(f, depth + 1)
        for _, uri in self.tas:
            down(uri, 0)
        return best

    def repos_per_ta(self):
        """Distinct repositories (rsync modules) per TA, its own first."""
        out = []

        def down(ca, mods):
            mods.add(self.module(self.objs[ca]["sia"]["ca_repository"]))
            for f in self.pp_files(ca):
                o = self.objs[f]
                if o["type"] == "certificate" and o["kind"] == "ca":
                    down(f, mods)
        for _, uri in self.tas:
            mods = set()
            down(uri, mods)
            out.append(len(mods))
        return out


# ------------------------------------------------------- running vrpd

def vrpd_once(args, label):
    r = run([VRPD, "--once", "--now", EVAL, "--output", "csv:-", *args])
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    print(f"   {label}: {last}", flush=True)
    check(r.returncode == 0, f"{label}: vrpd exits 0 ({r.returncode})",
          r.stderr[-2000:])
    bad = [ln for ln in r.stderr.splitlines()
           if re.search(r"AddressSanitizer|LeakSanitizer|runtime error:",
                        ln)]
    check(not bad, f"{label}: no sanitizer report", "\n".join(bad[:5]))
    return r


def at_and_past(tree, flag, value, args, past_walk, what, log_names=None):
    """--flag value must give every expected VRP; --flag value-1 exactly
    the rows past_walk() leaves, with a log line naming each object it
    rejects (or each of log_names) and the limit. args() gives the rest
    of the command line."""
    print(f"{flag}: the fixture's largest {what} is {value}", flush=True)
    r = vrpd_once([*args(), flag, str(value)], f"{flag} {value} (at)")
    check(r.stdout == tree.expected, f"{flag} {value}: every expected VRP",
          f"{len(r.stdout.splitlines()) - 1} rows of "
          f"{len(tree.expected.splitlines()) - 1}\n{r.stderr[-1500:]}")
    rows, hit = past_walk()
    want = tree.csv(rows)
    r = vrpd_once([*args(), flag, str(value - 1)],
                  f"{flag} {value - 1} (past)")
    n_got, n_all = len(r.stdout.splitlines()) - 1, \
        len(tree.expected.splitlines()) - 1
    check(0 < len(rows) < n_all,
          f"{flag} {value - 1}: the fixture just past the limit loses "
          f"some VRPs, not all ({len(rows)} of {n_all} left)")
    check(r.stdout == want,
          f"{flag} {value - 1}: exactly the VRPs outside what is rejected "
          f"({n_got} of {n_all})",
          f"want {len(rows)} rows; missing "
          f"{sorted(set(want.splitlines()) - set(r.stdout.splitlines()))[:5]}"
          f", extra "
          f"{sorted(set(r.stdout.splitlines()) - set(want.splitlines()))[:5]}"
          f"\n{r.stderr[-1500:]}")
    names = sorted(set(log_names if log_names is not None else hit))
    check(bool(names), f"{flag} {value - 1}: something to reject")
    for n in names:
        lines = [ln for ln in r.stderr.splitlines()
                 if n in ln and re.search(rf"\b{value - 1}\b", ln)]
        check(bool(lines), f"{flag} {value - 1}: logged with the limit: {n}",
              r.stderr[-1500:])
        if lines:
            print(f"   {lines[0]}")
    return r


# ------------------------------------------------------ --mirror limits

def mirror_limits(case):
    tree = Tree(case)
    if not tree.self_check("mirror"):
        return

    def base():
        return ["--tal-dir", os.path.join(case, "tals"), "--mirror",
                tree.mirror]

    # --max-object-size: a file over it cannot be read, so its
    # publication point fails (a missing file, RFC 9286 s.6.4).
    biggest = max(tree.files.values())
    at_and_past(tree, "--max-object-size", biggest, base,
                lambda: tree.walk(unreadable={u for u, s in tree.files.items()
                                              if s >= biggest}),
                "object (bytes)")

    # --max-manifest-entries: the manifest is refused, its point fails.
    entries = {u: len(o["files"]) for u, o in tree.objs.items()
               if o["type"] == "manifest"}
    most = max(entries.values())
    at_and_past(tree, "--max-manifest-entries", most, base,
                lambda: tree.walk(invalid={u for u, n in entries.items()
                                           if n >= most}),
                "manifest (files)")

    # --max-cert-resources: per certificate (TA, CA, EE, router) its IP
    # prefixes and ranges and its AS ids and ranges, per ROA its prefixes.
    counts = {u: max(tree.resource_counts(o)) for u, o in tree.objs.items()}
    most = max(counts.values())
    at_and_past(tree, "--max-cert-resources", most, base,
                lambda: tree.walk(invalid={u for u, n in counts.items()
                                           if n >= most}),
                "resource count (IP, AS or ROA prefixes)")

    # --max-cert-depth: the TA is depth 0.
    deepest = tree.depth_max()
    at_and_past(tree, "--max-cert-depth", deepest, base,
                lambda: tree.walk(max_depth=deepest - 1),
                "CA depth below a TA")

    # --max-repos: the TA's repository counts first; the CAs that would
    # bring one more are refused.
    per_ta = tree.repos_per_ta()
    most = max(per_ta)
    print(f"   repositories per TA: {per_ta}")
    at_and_past(tree, "--max-repos", most, base,
                lambda: tree.walk(max_repos=most - 1),
                "number of repositories of one TA")


# --------------------------------------------------------- HTTPS server

class Handler(http.server.BaseHTTPRequestHandler):
    """DOCROOT/<Host>/<path>, as fixtures/serve_https.py; a path in the
    server's slow table is sent by its function instead."""
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        srv = self.server
        parts = [p for p in (self.headers.get("Host", "") +
                             self.path.split("?", 1)[0]).split("/") if p]
        if not parts or any(p in (".", "..") for p in parts):
            self.send_error(400)
            return
        try:
            with open(os.path.join(srv.docroot, *parts), "rb") as f:
                data = f.read()
        except OSError:
            self.send_error(404)
            return
        srv.log.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        slow = srv.slow.get(self.path)
        try:
            if slow is None:
                self.wfile.write(data)
            else:
                slow(self, data)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError,
                socket.timeout):
            self.close_connection = True

    def log_message(self, fmt, *args):
        pass


def send_paced(h, data, pieces):
    """pieces: (bytes, then seconds to wait) until data is sent; the wait
    ends early when the server stops."""
    pos = 0
    for n, pause in pieces:
        h.wfile.write(data[pos:pos + n])
        h.wfile.flush()
        pos += n
        if h.server.stopping.wait(pause):
            return
        if pos >= len(data):
            return
    h.wfile.write(data[pos:])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, docroot, crt, key):
        super().__init__(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        self.socket = ctx.wrap_socket(self.socket, server_side=True)
        self.docroot = docroot
        self.slow = {}
        self.log = []
        self.stopping = threading.Event()
        self.port = self.server_address[1]
        self.thread = threading.Thread(target=self.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.shutdown()
        self.server_close()


# ------------------------------------------------------- RRDP limits

def markup_max(text):
    """The longest tag, comment or processing instruction in XML text,
    from '<' to '>' (CDATA sections are text, not counted)."""
    best, i, n = 0, 0, len(text)
    while True:
        i = text.find("<", i)
        if i < 0:
            return best
        if text.startswith("<![CDATA[", i):
            i = text.index("]]>", i) + 3
            continue
        if text.startswith("<!--", i):
            j = text.index("-->", i) + 3
        elif text.startswith("<?", i):
            j = text.index("?>", i) + 2
        else:
            j, q = i + 1, None
            while q is not None or text[j] != ">":
                c = text[j]
                if q is None and c in "\"'":
                    q = c
                elif c == q:
                    q = None
                j += 1
            j += 1
        best = max(best, j - i)
        i = j


def pad_notifications(www):
    """Two notifications padded with comments, which RFC 8182's XML
    allows: the fixture's notifications (about 500 bytes) and tags (about
    200) are smaller than the least --max-notification-size (1024) and
    --max-xml-markup (4096) take. rrdp0's becomes the largest file
    (twenty short comments), rrdp1's holds the longest markup (one
    comment of 5,000 bytes)."""
    for path, comments in (("rpki0.example/rrdp0", ["x" * 380] * 20),
                           ("rpki1.example/rrdp1", ["y" * 4990])):
        n = os.path.join(www, path, "notification.xml")
        with open(n) as f:
            text = f.read()
        pad = "".join(f"  <!-- {c} -->\n" for c in comments)
        text = text.replace(">\n", ">\n" + pad, 1)
        with open(n, "w") as f:
            f.write(text)


class Repos:
    """The RRDP repositories on the server: per notification URI its
    repository's URI, its snapshot's object count and bytes, and the
    sizes of its files. root is the directory of the server's authority
    (base, https://127.0.0.1:PORT)."""

    def __init__(self, root, base):
        self.notes = {}
        for d, _, names in os.walk(root):
            if "notification.xml" not in names:
                continue
            uri = f"{base}/{os.path.relpath(d, root)}/notification.xml"
            with open(os.path.join(d, "notification.xml")) as f:
                note = f.read()
            snap_uri = re.search(r'<snapshot uri="([^"]+)"', note).group(1)
            with open(os.path.join(root, snap_uri[len(base) + 1:])) as f:
                snap = f.read()
            objs = re.findall(r"<publish [^>]*>([^<]*)</publish>", snap)
            self.notes[uri] = {
                "repo": uri[:-len("notification.xml")],
                "snapshot": snap_uri,
                "objects": len(objs),
                "bytes": sum(len(base64.b64decode(o)) for o in objs),
                "notification": len(note.encode()),
                "largest": max(len(note.encode()), len(snap.encode())),
                "markup": max(markup_max(note), markup_max(snap)),
            }
        # Every file a first fetch reads, TA certificates too.
        self.largest_file = max(
            os.path.getsize(os.path.join(d, f))
            for d, _, fs in os.walk(root) for f in fs if f != "delta.xml")

    def most(self, key):
        return max(v[key] for v in self.notes.values())

    def over(self, key, limit):
        return {u for u, v in self.notes.items() if v[key] > limit}


def rrdp_limits(work, tree, case, root, port, ca):
    repos = Repos(root, f"https://127.0.0.1:{port}")
    runs = [0]

    def args():
        """A new, empty cache for every run, so every snapshot is read."""
        runs[0] += 1
        return ["--tal-dir", os.path.join(case, "tals"), "--ca-file", ca,
                "--no-rsync", "--cache-dir",
                os.path.join(work, f"cache{runs[0]}")]

    for flag, key, what in (
            ("--max-repo-objects", "objects",
             "repository (objects in its snapshot)"),
            ("--max-repo-bytes", "bytes", "repository (bytes of objects)"),
            ("--max-notification-size", "notification",
             "notification file (bytes)"),
            ("--max-xml-markup", "markup",
             "RRDP markup (bytes from '<' to '>')")):
        print(f"   {key} per repository: "
              f"{sorted(v[key] for v in repos.notes.values())}")
        most = repos.most(key)
        failed = repos.over(key, most - 1)
        at_and_past(tree, flag, most, args,
                    lambda: tree.walk(failed_repos=failed), what,
                    log_names={repos.notes[u]["repo"] for u in failed})

    # --max-rrdp-file-size: any one transfer; the largest is a snapshot.
    most = repos.largest_file
    failed = repos.over("largest", most - 1)
    check(bool(failed), "--max-rrdp-file-size: the largest file is a "
          "notification or snapshot")
    at_and_past(tree, "--max-rrdp-file-size", most, args,
                lambda: tree.walk(failed_repos=failed),
                "HTTPS transfer (bytes)",
                log_names={repos.notes[u]["snapshot"] for u in failed})
    return repos


def fetch_timeouts(work, tree, case, server, root, repos, ca):
    """--fetch-stall-timeout 2 and --fetch-timeout 3 against one
    repository's snapshot sent slowly."""
    note = min(repos.notes, key=lambda u: repos.notes[u]["bytes"])
    snap = repos.notes[note]["snapshot"]
    path = "/" + snap.split("/", 3)[3]
    size = os.path.getsize(os.path.join(root, path[1:]))
    rows, _ = tree.walk(failed_repos={note})
    want = tree.csv(rows)
    print(f"fetch timeouts: {snap} ({size} bytes) is sent slowly")
    for label, pieces, why in (
            # A pause of one second halfway: under the stall timeout.
            ("a 1 s stall (at)", [(size // 2, 1.0)], None),
            # Nothing after the headers: abandoned after 2 s.
            ("a 10 s stall (past)", [(0, 10.0)], "too slow"),
            # 32 KB/s: never stalled, and done well within 3 s.
            ("dripped in about 1 s (at)", [(8192, 0.25)] * 100, None),
            # 6 KB/s: never stalled either, but more than 3 s long.
            ("dripped in about 6 s (past)", [(1536, 0.25)] * 1000,
             "timed out after")):
        server.slow = {path: lambda h, d, p=pieces: send_paced(h, d, p)}
        t0 = time.monotonic()
        r = vrpd_once(["--tal-dir", os.path.join(case, "tals"),
                       "--ca-file", ca, "--no-rsync", "--cache-dir",
                       os.path.join(work, f"cache-{label}"),
                       "--fetch-stall-timeout", "2", "--fetch-timeout", "3"],
                      f"fetch: {label}")
        dt = time.monotonic() - t0
        server.slow = {}
        if why is None:
            check(r.stdout == tree.expected,
                  f"fetch: {label}: every expected VRP ({dt:.1f} s)",
                  r.stderr[-1500:])
            continue
        check(r.stdout == want,
              f"fetch: {label}: all but {note}'s VRPs ({dt:.1f} s)",
              r.stderr[-1500:])
        lines = [ln for ln in r.stderr.splitlines()
                 if snap in ln and why in ln]
        check(bool(lines), f"fetch: {label}: '{why}' logged for {snap}",
              r.stderr[-1500:])
        if lines:
            print(f"   {lines[0]}")
        check(dt < 8, f"fetch: {label}: vrpd did not wait for the server "
              f"({dt:.1f} s)")


def https_limits(work):
    ca, crt, key = make_tls(work)
    www = os.path.join(work, "www")
    server = Server(www, crt, key)
    try:
        repos_dir = os.path.join(work, "repos")
        r = run([PY, GEN, "--out", repos_dir, "--cases", "good", "--time",
                 EVAL, "--https-authority", f"127.0.0.1:{server.port}"])
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        case = os.path.join(repos_dir, "good")
        shutil.copytree(os.path.join(case, "gen2", "https"), www)
        root = os.path.join(www, f"127.0.0.1:{server.port}")
        pad_notifications(root)
        tree = Tree(case)
        if not tree.self_check("https"):
            return
        r = vrpd_once(["--tal-dir", os.path.join(case, "tals"),
                       "--ca-file", ca, "--no-rsync", "--cache-dir",
                       os.path.join(work, "cache0")], "https, defaults")
        if not check(r.stdout == tree.expected,
                     "https, default limits: every expected VRP "
                     "(padded notifications and all)", r.stderr[-1500:]):
            return
        repos = rrdp_limits(work, tree, case, root, server.port, ca)
        fetch_timeouts(work, tree, case, server, root, repos, ca)
    finally:
        server.stop()


# -------------------------------------------------------------- RTR

def rtr_limits(work, case):
    vrps = os.path.join(case, "expected", "vrps.csv")
    max_pdu = 100
    v = w.Vrpd(VRPD, vrps, "--rtr-max-pdu", str(max_pdu),
               "--rtr-max-clients", "2")
    try:
        port = v.port

        def report(length):
            """An Error Report (No Data Available: not fatal) of
            exactly length bytes."""
            pdu = w.error_report(2, w.ERR_NO_DATA, b"", "")
            return w.error_report(2, w.ERR_NO_DATA, b"",
                                  "x" * (length - len(pdu)))

        with w.Client("127.0.0.1", port) as c:
            kind, _, _ = c.reset_digest()
            check(kind == "data", "rtr: a router syncs")
            mark = v.mark()
            msg = report(max_pdu)
            check(len(msg) == max_pdu, "rtr: the Error Report is "
                  f"{len(msg)} bytes")
            c.send(msg)
            kind, _, _ = c.reset_digest()
            check(kind == "data" and v.wait(r"router reports error 2: x+",
                                            5, since=mark) is not None,
                  f"rtr --rtr-max-pdu {max_pdu}: an Error Report of "
                  f"{max_pdu} bytes is read, logged, and the session goes "
                  "on", v.text(mark))
            mark = v.mark()
            c.send(report(max_pdu + 1))
            closed, pdus = c.wait_closed(5)
        check(closed and not pdus and v.wait(
            rf"Error Report of length {max_pdu + 1}; closing", 5,
            since=mark) is not None,
            f"rtr --rtr-max-pdu {max_pdu}: an Error Report of "
            f"{max_pdu + 1} bytes closes the session, unanswered (8210bis "
            "s.5.8), and is logged", f"{pdus} {v.text(mark)}")
        # Another PDU one byte too long is answered with Corrupt Data
        # naming the limit, from its header alone.
        with w.Client("127.0.0.1", port) as c:
            c.send(w.header(2, w.SERIAL_QUERY, 0, max_pdu + 1))
            closed, pdus = c.wait_closed(5)
        check(closed and len(pdus) == 1 and pdus[0].type == w.ERROR_REPORT
              and pdus[0].code == w.ERR_CORRUPT_DATA and
              f"length {max_pdu + 1} (limit {max_pdu})" in pdus[0].text,
              f"rtr --rtr-max-pdu {max_pdu}: a Serial Query header of "
              f"length {max_pdu + 1} draws Error Report 0 naming the limit",
              f"{pdus}")

        # --rtr-max-clients 2: two routers are served, a third is not
        # (after the server has seen the connections above close).
        time.sleep(0.5)
        a, b = w.Client("127.0.0.1", port), w.Client("127.0.0.1", port)
        try:
            ok = [x.reset_digest()[0] == "data" for x in (a, b)]
            check(all(ok), "rtr --rtr-max-clients 2: two routers sync")
            mark = v.mark()
            with w.Client("127.0.0.1", port) as c:
                try:
                    c.send(w.reset_query(2))
                except OSError:
                    pass
                closed, pdus = c.wait_closed(5)
            check(closed and not pdus and v.wait(
                r"2 routers connected, the limit; closing", 5,
                since=mark) is not None,
                "rtr --rtr-max-clients 2: a third connection is closed "
                "unserved and logged", f"{pdus} {v.text(mark)}")
            check(a.reset_digest()[0] == "data",
                  "rtr --rtr-max-clients 2: the first two still served")
        finally:
            a.close()
            b.close()
    finally:
        rc = v.stop()
    check(rc == 0, f"rtr: vrpd exits 0 ({rc})")
    bad = v.grep(r"AddressSanitizer|LeakSanitizer|runtime error:")
    check(not bad, "rtr: no sanitizer report", "\n".join(bad[:5]))


# ------------------------------------------------- flags, config file

RANGES = (
    ("--max-object-size", 1024, 256 * 1024 * 1024),
    ("--max-manifest-entries", 1, 10000000),
    ("--max-cert-resources", 1, 10000000),
    ("--max-cert-depth", 1, 64),
    ("--max-repos", 1, 1000000),
    ("--max-repo-objects", 1, 100000000),
    ("--max-repo-bytes", 1024, 1 << 50),
    ("--max-notification-size", 1024, 1 << 30),
    ("--max-rrdp-file-size", 1024, 1 << 50),
    ("--max-xml-markup", 4096, 1 << 20),
    ("--fetch-timeout", 1, 86400),
    ("--fetch-stall-timeout", 1, 3600),
    ("--rtr-max-pdu", 64, 65535),
    ("--rtr-max-clients", 1, 100000),
)


def flags(work, case):
    """Each flag takes its range's ends (then --help exits 0) and refuses
    one step outside, naming the flag and the range (exit 2)."""
    for flag, lo, hi in RANGES:
        for v in (lo, hi):
            r = run([VRPD, flag, str(v), "--help"])
            check(r.returncode == 0, f"{flag} {v} is taken", r.stderr)
        for v in (str(lo - 1), str(hi + 1), "12x"):
            r = run([VRPD, flag, v, "--help"])
            want = f"{flag}: expected a number from {lo} to {hi}, got '{v}'"
            check(r.returncode == 2 and want in r.stderr,
                  f"{flag} {v} is refused: {want}", r.stderr)

    # A limit as a config file key, the long option's name.
    tree_mirror = os.path.join(case, "rsync")
    with open(os.path.join(case, "expected", "vrps.csv")) as f:
        expected = f.read()
    conf = os.path.join(work, "limits.conf")
    for value, label in (("2048", "max-cert-resources = 2048"),
                         ("1", "max-cert-depth = 1")):
        key = label.split(" ")[0]
        with open(conf, "w") as f:
            f.write(f"tal-dir = {os.path.join(case, 'tals')}\n"
                    f"mirror = {tree_mirror}\n"
                    f"now = {EVAL}\n"
                    "output = csv:-\n"
                    f"{key} = {value}\n")
        r = run([VRPD, "--config", conf, "--once"])
        if key == "max-cert-resources":
            check(r.returncode == 0 and r.stdout == expected,
                  f"config key {label}: every expected VRP", r.stderr[-800:])
        else:
            check(r.returncode == 0 and
                  0 < len(r.stdout.splitlines()) < len(expected.splitlines())
                  and "CA is more than 1 certificates below its TA"
                  in r.stderr,
                  f"config key {label}: deeper CAs refused, logged",
                  r.stderr[-800:])
        r = run([VRPD, "--config", conf, "--once", f"--{key}", "0"])
        check(r.returncode == 2 and f"--{key}: expected a number" in r.stderr,
              f"config key {key}: the command line's bad value refused",
              r.stderr[-300:])
    with open(conf, "w") as f:
        f.write("max-object-size = 5\n")
    r = run([VRPD, "--config", conf, "--once"])
    check(r.returncode == 2 and "--max-object-size: expected a number from "
          "1024 to 268435456, got '5'" in r.stderr,
          "config key max-object-size = 5: refused with the range",
          r.stderr[-300:])


def main():
    t0 = time.monotonic()
    case = os.path.join(FIXTURES, "good")
    work = tempfile.mkdtemp(prefix="vrpd-limits-")
    try:
        flags(work, case)
        mirror_limits(case)
        https_limits(work)
        rtr_limits(work, case)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish(f" in {time.monotonic() - t0:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
