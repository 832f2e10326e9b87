#!/usr/bin/env python3
"""vrpd --once against RRDP files whose URIs climb out of the cache.

Published relying-party vulnerabilities replayed end to end: Routinator
CVE-2023-39916 and CVE-2025-0638 (RRDP URIs with `..`, absolute paths or
odd characters written or removed outside the repository's directory),
OctoRPKI's path traversal, FORT's cache poisoning (GHSA-qfm3-577x-rh54: a
repository writing into another repository's part of the cache).

The fixture's good repository (two TAs, three RRDP repositories) is
served over HTTPS on 127.0.0.1 (fixtures/serve_https.py). One repository
(rpki0.example/rrdp2) serves, per case, a snapshot (or a delta) that is
the real one plus one hostile publish or withdraw, with the right hash in
its notification, so that the URI is the only thing wrong with it. The
cache lies deep inside a tree of sentinel files; every hostile URI names
a file with a unique marker. For each case:

- nothing outside the cache changed (every sentinel is intact, no new
  file anywhere in the tree, none with the marker in /tmp or /), and no
  file with the marker is in the cache either;
- the snapshot or delta is refused, and the log names the bad URI;
- vrpd exits 0, and outputs exactly the VRPs of the two good
  repositories (empty cache; the reference comes from `vrpd --once
  --mirror` over the fixture's rsync copy without the bad repository), or
  all VRPs (a cache from an honest run: the last good copy stays).
"""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SRC = os.environ.get("top_srcdir", ".")
BUILD = os.environ.get("top_builddir", ".")
VRPD = os.path.join(BUILD, "vrpd")
PY = "/usr/bin/python3"
GEN = os.path.join(SRC, "fixtures", "gen", "rpkigen.py")
SERVER = os.path.join(SRC, "fixtures", "serve_https.py")
EVAL = "2026-06-01T00:00:00Z"
sys.path.insert(0, os.path.join(SRC, "tests"))
from once_rrdp import make_tls  # noqa: E402

VICTIM = ("rpki0.example", "rrdp2")        # host, path on the server
VICTIM_MODULE = ("rpki0.example", "repo2")  # its rsync module
NS = "rsync://rpki0.example/repo2/"
MARK = f"vrpdevil{os.getpid()}"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def check(cond, msg, detail=""):
    if cond:
        print("ok: " + msg, flush=True)
    else:
        fail(msg + (f":\n{detail}" if detail else ""))
    return cond


def run(cmd, timeout=300):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace", timeout=timeout)


def count(csv):
    return max(0, len(csv.splitlines()) - 1)


# What vrpd says of each kind of bad URI (rp/rrdp.c, rp/repo.c).
DOT = r'has a "\." or "\.\." path segment'
EMPTY = r"has an empty path segment"
BACKSLASH = r"has a '\\'"
ASCII = r"has a character that is not printable ASCII"
HOST = r"has a bad host"
RSYNC = r"is not an rsync:// URI"
NAMESPACE = r"is outside the repository's namespace"
LONG = r"is longer than 2048 bytes"


# The hostile URIs: (label, URI as it appears in the XML attribute, a
# regex the log must match). Each names a file with MARK in it.
def hostile_uris():
    up = "../" * 12
    return [
        ("'..' out of the cache", f"{NS}{up}tmp/{MARK}.roa", DOT),
        ("'..' into another repository's module",
         f"{NS}ta1-1-0/../../repo0/ta1/{MARK}.roa", DOT),
        ("'..' as its last segment", f"{NS}ta1-1-0/{MARK}/..", DOT),
        ("'.' segment", f"{NS}./{MARK}.roa", DOT),
        ("absolute path after the module", f"{NS}/tmp/{MARK}.roa", EMPTY),
        ("backslashes", f"{NS}ta1-1-0/..\\..\\..\\{MARK}.roa", BACKSLASH),
        ("non-ASCII (UTF-8)", f"{NS}ta1-1-0/{MARK}\u00e9.roa", ASCII),
        ("a newline", f"{NS}ta1-1-0/{MARK}&#10;.roa", ASCII),
        ("a tab", f"{NS}ta1-1-0/{MARK}&#9;.roa", ASCII),
        ("DEL", f"{NS}ta1-1-0/{MARK}&#127;.roa", ASCII),
        ("a space", f"{NS}ta1-1-0/{MARK} x.roa", ASCII),
        ("authority '..'", f"rsync://../repo2/{MARK}.roa", HOST),
        ("module '..'", f"rsync://rpki0.example/../{MARK}.roa", DOT),
        ("another repository's module",
         f"rsync://rpki1.example/repo1/ta2/{MARK}.roa", NAMESPACE),
        ("file: URI", f"file:///tmp/{MARK}.roa", RSYNC),
        ("a directory URI", f"{NS}ta1-1-0/{MARK}/", EMPTY),
        ("a URI of 3000 bytes", f"{NS}{MARK}/" + "a/" * 1490 + "x.roa",
         LONG),
    ]


def walk(root, skip):
    """Every path under root (but not under skip) with its size, mode and
    modification time."""
    seen = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [n for n in dirs if os.path.join(d, n) != skip]
        for n in dirs + files:
            p = os.path.join(d, n)
            if p == skip:
                continue
            s = os.lstat(p)
            seen[p] = (s.st_size, s.st_mode, s.st_mtime_ns)
    return seen


def marked(root):
    return [os.path.join(d, n) for d, ds, fs in os.walk(root)
            for n in ds + fs if MARK in n]


def sentinels(top):
    """A tree around the cache: top/s/…/cache, with files beside every
    level, so that any '..' lands next to one."""
    deep = top
    for i in range(6):
        with open(os.path.join(deep, f"sentinel{i}"), "w") as f:
            f.write(f"sentinel {i}\n")
        for name in ("tmp", "repo0", "ta1", "rpki0.example"):
            os.makedirs(os.path.join(deep, name), exist_ok=True)
        deep = os.path.join(deep, f"s{i}")
        os.makedirs(deep)
    return deep


class Fixture:
    def __init__(self, work, port):
        self.work = work
        self.port = port
        r = run([PY, GEN, "--out", os.path.join(work, "repos"), "--cases",
                 "good", "--time", EVAL, "--https-authority",
                 f"127.0.0.1:{port}"], 600)
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        self.case = os.path.join(work, "repos", "good")
        self.tals = os.path.join(self.case, "tals")
        self.good = os.path.join(self.case, "gen2", "https")
        with open(os.path.join(self.case, "expected", "vrps.csv")) as f:
            self.full = f.read()
        self.victim = os.path.join(self.good, f"127.0.0.1:{port}", *VICTIM)

    def variant(self, name):
        """A copy of the latest generation to make one case of."""
        d = os.path.join(self.work, "www-" + name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.good, d, symlinks=True)
        return d, os.path.join(d, f"127.0.0.1:{self.port}", *VICTIM)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def hostile_snapshot(fx, name, uri):
    """The latest generation, the victim's snapshot with one more publish
    of uri, in a new session (so a cached copy is replaced by it), and its
    hash in the notification."""
    d, victim = fx.variant(name)
    note = os.path.join(victim, "notification.xml")
    text = read(note).decode()
    m = re.search(r'<snapshot uri="https://[^/]+/([^"]+)"', text)
    snap = os.path.join(d, f"127.0.0.1:{fx.port}", *m.group(1).split("/"))
    new = "00000000-0000-4000-8000-0000000000aa"
    data = read(snap).decode()
    data = re.sub(r'session_id="[0-9a-f-]+"', f'session_id="{new}"', data,
                  count=1)
    data = data.replace("</snapshot>",
                        f'  <publish uri="{uri}">AAAA</publish>\n'
                        "</snapshot>")
    raw = data.encode()
    write(snap, raw)
    text = re.sub(r'session_id="[0-9a-f-]+"', f'session_id="{new}"', text,
                  count=1)
    text = re.sub(r'(<snapshot [^>]*hash=")[0-9a-f]+', lambda k: k.group(1) +
                  hashlib.sha256(raw).hexdigest(), text, count=1)
    # The deltas belong to the old session.
    text = re.sub(r"\s*<delta [^>]*/>", "", text)
    write(note, text.encode())
    return d, snap


def hostile_delta(fx, name, element):
    """The latest generation plus one delta (serial + 1) holding element,
    listed with its hash; the snapshot stays at the old serial, so a
    client that falls back to it finds it does not match and keeps what
    it has."""
    d, victim = fx.variant(name)
    note = os.path.join(victim, "notification.xml")
    text = read(note).decode()
    session = re.search(r'session_id="([0-9a-f-]+)"', text).group(1)
    serial = int(re.search(r'<notification [^>]*serial="(\d+)"',
                           text).group(1)) + 1
    rel = f"{VICTIM[0]}/{VICTIM[1]}/{session}/{serial}/delta.xml"
    path = os.path.join(d, f"127.0.0.1:{fx.port}", *rel.split("/"))
    os.makedirs(os.path.dirname(path))
    raw = ('<delta xmlns="http://www.ripe.net/rpki/rrdp" version="1" '
           f'session_id="{session}" serial="{serial}">\n  {element}\n'
           "</delta>\n").encode()
    write(path, raw)
    text = re.sub(r'(<notification [^>]*serial=")\d+', lambda k: k.group(1) +
                  str(serial), text, count=1)
    text = text.replace(
        "</notification>",
        f'  <delta serial="{serial}" uri="https://127.0.0.1:{fx.port}/{rel}" '
        f'hash="{hashlib.sha256(raw).hexdigest()}"/>\n</notification>')
    write(note, text.encode())
    return d, path


class Runner:
    def __init__(self, fx, www, ca, base, primed):
        self.fx, self.www, self.ca = fx, www, ca
        self.base, self.primed = base, primed
        self.top = os.path.join(fx.work, "tree")
        os.makedirs(self.top)
        self.cache_parent = sentinels(self.top)
        self.cache = os.path.join(self.cache_parent, "cache")

    def serve(self, docroot):
        os.unlink(self.www)
        os.symlink(docroot, self.www)

    def vrpd(self, cache):
        t0 = time.monotonic()
        r = run([VRPD, "--once", "--no-rsync", "--tal-dir", self.fx.tals,
                 "--cache-dir", cache, "--ca-file", self.ca, "--now", EVAL,
                 "--output", "csv:-"], 120)
        return r.returncode, r.stdout, r.stderr, time.monotonic() - t0

    def case(self, name, docroot, bad_file, log_re, runs):
        """runs: (label, cache to start from or None, VRPs wanted)."""
        self.serve(docroot)
        for label, start, want in runs:
            what = f"{name} [{label}]"
            shutil.rmtree(self.cache, ignore_errors=True)
            if start is not None:
                shutil.copytree(start, self.cache, symlinks=True)
            else:
                os.mkdir(self.cache)
            before = walk(self.top, self.cache)
            rc, out, err, dt = self.vrpd(self.cache)
            print(f"{what}: {dt:.1f} s, {count(out)} VRPs", flush=True)
            check(rc == 0, f"{what}: vrpd exits 0", f"exit {rc}\n{err}")
            after = walk(self.top, self.cache)
            changed = sorted(p for p in set(before) | set(after)
                             if before.get(p) != after.get(p))
            check(not changed, f"{what}: nothing outside the cache changed",
                  "\n".join(changed[:10]))
            stray = marked(self.top) + [p for p in (
                f"/tmp/{MARK}.roa", f"/{MARK}.roa") if os.path.lexists(p)]
            check(not stray, f"{what}: no file of the hostile URI anywhere, "
                  "the cache included", "\n".join(stray[:10]))
            check(out == want, f"{what}: all {count(want)} VRPs of the good "
                  "repositories output", f"got {count(out)}\n{err[-3000:]}")
            # Every refusal names the file it is in, then the bad URI.
            url = bad_file.split(f"127.0.0.1:{self.fx.port}", 1)[1]
            lines = [l for l in err.splitlines()
                     if re.search(log_re, l) and url + ": " in l]
            check(lines, f"{what}: the refused file and the rule are logged "
                  f"(/{log_re}/)", err[-3000:])
            for l in lines[:1]:
                print("   " + l, flush=True)
            if start is not None:
                check("the last good copy stays" in err,
                      f"{what}: 'the last good copy stays' logged", err)
            bad = [l for l in err.splitlines() if re.search(
                r"ERROR: (Address|Leak)Sanitizer|runtime error:", l)]
            check(not bad, f"{what}: no sanitizer report", "\n".join(bad))


def main():
    work = tempfile.mkdtemp(prefix="vrpd-hostile-paths-")
    server = None
    t0 = time.monotonic()
    try:
        ca, crt, key = make_tls(work)
        www = os.path.join(work, "www")
        port_file = os.path.join(work, "port")
        server = subprocess.Popen(
            [PY, SERVER, "--docroot", www, "--cert", crt, "--key", key,
             "--port-file", port_file, "--lifetime", "300"],
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("test HTTPS server did not start")
            time.sleep(0.05)
        port = int(open(port_file).read())
        fx = Fixture(work, port)
        os.symlink(fx.good, www)

        mirror = os.path.join(work, "mirror")
        shutil.copytree(os.path.join(fx.case, "rsync"), mirror)
        shutil.rmtree(os.path.join(mirror, *VICTIM_MODULE))
        r = run([VRPD, "--once", "--mirror", mirror, "--tal-dir", fx.tals,
                 "--cache-dir", os.path.join(work, "cache-mirror"),
                 "--now", EVAL, "--output", "csv:-"])
        base = r.stdout
        if not check(r.returncode == 0 and
                     0 < count(base) < count(fx.full) and
                     set(base.splitlines()) <= set(fx.full.splitlines()),
                     f"reference: the good repositories hold {count(base)} "
                     f"of the {count(fx.full)} VRPs", r.stderr[-2000:]):
            return 1
        primed = os.path.join(work, "cache-primed")
        rn = Runner(fx, www, ca, base, primed)
        rc, out, err, dt = rn.vrpd(primed)
        if not check(rc == 0 and out == fx.full,
                     f"honest server: all {count(fx.full)} VRPs "
                     f"({dt:.1f} s)", err[-3000:]):
            return 1

        # The rejected file is named in each case; add the URIs as XML
        # attribute text (& is already escaped where meant).
        for i, (label, uri, log_re) in enumerate(hostile_uris()):
            docroot, snap = hostile_snapshot(fx, f"s{i}", uri)
            rn.case(f"snapshot publishing {label}", docroot, snap, log_re,
                    (("empty cache", None, base),
                     ("cache from an honest run", primed, fx.full)))
            shutil.rmtree(docroot)
        # Deltas: withdraw and publish (the latter replacing an object
        # with a hash) of URIs that climb out, from a cache at the
        # latest serial.
        for i, (label, element, log_re) in enumerate((
                ("withdrawing '..' out of the cache",
                 f'<withdraw uri="{NS}{"../" * 12}tmp/{MARK}.roa" '
                 f'hash="{"ab" * 32}"/>', DOT),
                ("withdrawing a sentinel by '..'",
                 f'<withdraw uri="{NS}{"../" * 3}sentinel5" '
                 f'hash="{"ab" * 32}"/>', DOT),
                ("withdrawing an absolute path",
                 f'<withdraw uri="{NS}/tmp/{MARK}.roa" hash="{"ab" * 32}"/>',
                 EMPTY),
                ("withdrawing from another repository",
                 f'<withdraw uri="rsync://rpki0.example/repo0/ta1/{MARK}.roa"'
                 f' hash="{"ab" * 32}"/>', NAMESPACE),
                ("publishing '..' out of the cache",
                 f'<publish uri="{NS}ta1-1-0/{"../" * 12}tmp/{MARK}.roa">'
                 "AAAA</publish>", DOT),
                ("replacing by '..' an object of another repository",
                 f'<publish uri="{NS}../repo0/ta1/{MARK}.roa" '
                 f'hash="{"ab" * 32}">AAAA</publish>', DOT),
        )):
            docroot, delta = hostile_delta(fx, f"d{i}", element)
            rn.case(f"delta {label}", docroot, delta, log_re,
                    (("cache from an honest run", primed, fx.full),))
            shutil.rmtree(docroot)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
        print(f"took {time.monotonic() - t0:.1f} s", flush=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
