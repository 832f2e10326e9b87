"""What the hostile RRDP tests share (hostile_fetch.py, hostile_paths.py,
hostile_xml.py): the fixture, its HTTPS server, the reference VRPs, the
runs of `vrpd --once` and the checks made on each.

The fixture's good repository (two TAs, three RRDP repositories) is
generated for a server on 127.0.0.1 and served over HTTPS by a threaded
server in the test's own process, with a test CA. One repository,
rpki0.example/rrdp2 (three leaf CAs), is the victim: a test serves a
changed copy of the files (Bench.variant() and the helpers after it), or
plays hostile answers for it (a Handler subclass). The reference for the
other two repositories comes from `vrpd --once --mirror` over the
fixture's rsync copy without the victim: another code path, no fetching
at all. An honest run gives every VRP and the cache that the runs "from
an honest run" start from.
"""

import hashlib
import http.server
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testlib  # noqa: E402
from once_rrdp import make_tls  # noqa: E402
from testlib import EVAL, GEN, PY, VRPD, finish  # noqa: E402

# The repository that misbehaves: host and path on the server, its rsync
# module in the fixture's rsync copy, and its namespace.
VICTIM = ("rpki0.example", "rrdp2")
VICTIM_URL = "/" + "/".join(VICTIM)
VICTIM_MODULE = ("rpki0.example", "repo2")
NS = "rsync://rpki0.example/repo2/"

# The session a changed snapshot is put in, so that a cached copy of the
# repository is replaced by it.
NEW_SESSION = "00000000-0000-4000-8000-0000000000aa"

LKG = "the last good copy stays"
FALLBACK = "deltas failed, falling back to the snapshot"

skipped = []


def check(cond, msg, detail=""):
    return testlib.check(cond, msg, detail, sep=":\n")


def skip(msg):
    skipped.append(msg)
    print(f"SKIP: {msg}", flush=True)


def summary():
    return finish(f", {len(skipped)} case(s) skipped" if skipped else "")


def run(cmd, timeout=600):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace", timeout=timeout)


def count(csv):
    return max(0, len(csv.splitlines()) - 1)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def sanitizer_clean(label, err):
    bad = [l for l in err.splitlines()
           if re.search(r"ERROR: (Address|Leak)Sanitizer|runtime error:", l)]
    check(not bad, f"{label}: no sanitizer report", "\n".join(bad[:5]))


# ------------------------------------------------------------ the server

class State:
    """What the server serves; a test's Handler may keep more here."""

    def __init__(self):
        self.docroot = None
        self.port = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()


class Handler(http.server.BaseHTTPRequestHandler):
    """GET https://AUTHORITY/PATH answers DOCROOT/AUTHORITY/PATH, as
    rpkigen.py lays the files out. A subclass plays hostile answers by
    overriding hostile() or rewrite()."""

    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        st = self.server.state
        path = self.path.split("?", 1)[0]
        host = self.headers.get("Host", "")
        parts = [p for p in (host + path).split("/") if p]
        if not parts or any(p in (".", "..") for p in parts):
            self.send_error(400)
            return
        file = os.path.join(st.docroot, *parts)
        if self.hostile(path, file):
            return
        try:
            data = read(file)
        except OSError:
            self.send_error(404)
            return
        data = self.rewrite(path, data)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def hostile(self, path, file):
        """True if the answer was played here instead of the file."""
        return False

    def rewrite(self, path, data):
        return data


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


# ------------------------------------------------------------- the runs

class Run:
    """One run of vrpd in a case: the cache it starts from (None: empty),
    the VRPs it must output, and what its log must and must not say."""

    def __init__(self, label, start, want, logged=(), not_logged=()):
        self.label = label
        self.start = start
        self.want = want
        self.logged = logged
        self.not_logged = not_logged


class Bench:
    """The fixture, its server, the reference and the primed cache. Use
    as a context manager: the server stops and the files go at the end."""

    def __init__(self, prefix, handler=Handler, state=None):
        # On a tmpfs when there is one: each run writes and removes a
        # cache, and removing synced files is slow on a disk mounted with
        # "discard" (3 ms a file here, most of the run).
        shm = "/dev/shm"
        self.work = tempfile.mkdtemp(prefix=prefix, dir=shm if os.path.isdir(
            shm) and os.access(shm, os.W_OK) else None)
        self.handler = handler
        self.state = state if state is not None else State()
        self.httpd = None
        self.cache = os.path.join(self.work, "cache-case")
        self.t0 = time.monotonic()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.state.stop.set()
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
        shutil.rmtree(self.work, ignore_errors=True)
        print(f"took {time.monotonic() - self.t0:.1f} s", flush=True)
        return False

    def start(self):
        """Server, fixture, reference, honest run; False (reported) if
        any of them is not as it must be."""
        self.ca, crt, key = make_tls(self.work)
        httpd = Server(("127.0.0.1", 0), self.handler)
        httpd.state = self.state
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(crt, key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
        self.httpd = httpd
        self.port = self.state.port = httpd.server_address[1]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        self.authority = f"127.0.0.1:{self.port}"

        r = run([PY, GEN, "--out", os.path.join(self.work, "repos"),
                 "--cases", "good", "--time", EVAL, "--https-authority",
                 self.authority])
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        case = os.path.join(self.work, "repos", "good")
        self.tals = os.path.join(case, "tals")
        # The latest generation, which the rsync copy holds too.
        self.good = os.path.join(case, "gen2", "https")
        self.state.docroot = self.good
        self.victim = os.path.join(self.good, self.authority, *VICTIM)
        with open(os.path.join(case, "expected", "vrps.csv")) as f:
            self.full = f.read()

        mirror = os.path.join(self.work, "mirror")
        shutil.copytree(os.path.join(case, "rsync"), mirror)
        shutil.rmtree(os.path.join(mirror, *VICTIM_MODULE))
        r = run([VRPD, "--once", "--mirror", mirror, "--tal-dir", self.tals,
                 "--cache-dir", os.path.join(self.work, "cache-mirror"),
                 "--now", EVAL, "--output", "csv:-"])
        self.base = r.stdout
        if not check(r.returncode == 0 and
                     0 < count(self.base) < count(self.full) and
                     set(self.base.splitlines()) <=
                     set(self.full.splitlines()),
                     f"reference: the good repositories hold "
                     f"{count(self.base)} of the {count(self.full)} VRPs",
                     r.stderr[-2000:]):
            return False
        self.primed = os.path.join(self.work, "cache-primed")
        rc, out, err, dt = self.vrpd(self.primed)
        return check(rc == 0 and out == self.full,
                     f"honest server: all {count(self.full)} VRPs "
                     f"({dt:.1f} s)", err[-3000:])

    def vrpd(self, cache, extra=(), timeout=120):
        """rc (None if it ran past timeout), stdout, stderr, seconds."""
        t0 = time.monotonic()
        try:
            r = run([VRPD, "--once", "--no-rsync", "--tal-dir", self.tals,
                     "--cache-dir", cache, "--ca-file", self.ca, "--now",
                     EVAL, "--output", "csv:-"] + list(extra), timeout)
        except subprocess.TimeoutExpired as e:
            err = e.stderr.decode(errors="replace") if isinstance(
                e.stderr, bytes) else (e.stderr or "")
            return None, "", err, time.monotonic() - t0
        return r.returncode, r.stdout, r.stderr, time.monotonic() - t0

    def refused(self):
        """The two runs of a repository that is refused: with an empty
        cache the good repositories' VRPs, with a cache from an honest
        run all of them, the last good copy kept."""
        return (Run("empty cache", None, self.base),
                Run("cache from an honest run", self.primed, self.full,
                    logged=(LKG,)))

    def case(self, name, runs, log_re, names, docroot=None, cache=None,
             extra=(), timeout=120, before=None, after=None):
        """Runs vrpd once per Run with the server on docroot (the good
        files if None). Each run exits 0, outputs the VRPs it must, logs
        a line that matches log_re and holds names (the refused file),
        logs what it must, and has no sanitizer report. before(run,
        cache) is called before vrpd starts and its result handed to
        after(what, run, token, rc, out, err, dt) for the test's own
        checks."""
        self.state.docroot = docroot or self.good
        cache = cache or self.cache
        results = []
        for r in runs:
            what = f"{name} [{r.label}]"
            shutil.rmtree(cache, ignore_errors=True)
            if r.start is not None:
                shutil.copytree(r.start, cache, symlinks=True)
            else:
                os.mkdir(cache)
            token = before(r, cache) if before else None
            rc, out, err, dt = self.vrpd(cache, extra, timeout)
            print(f"{what}: {dt:.1f} s, {count(out)} VRPs", flush=True)
            check(rc == 0, f"{what}: vrpd exits 0", f"exit {rc}\n{err[-3000:]}")
            if after:
                after(what, r, token, rc, out, err, dt)
            check(out == r.want, f"{what}: all {count(r.want)} VRPs of the "
                  "good repositories output",
                  f"got {count(out)}\n{err[-3000:]}")
            lines = [l for l in err.splitlines()
                     if re.search(log_re, l) and names in l]
            if check(lines, f"{what}: the refusal is logged with the file "
                     f"and the rule (/{log_re}/)", err[-3000:]):
                print("   " + lines[0], flush=True)
            for s in r.logged:
                check(s in err, f"{what}: '{s}' logged", err[-3000:])
            for s in r.not_logged:
                check(s not in err, f"{what}: '{s}' not logged",
                      err[-3000:])
            sanitizer_clean(what, err)
            results.append((out, err))
        self.state.docroot = self.good
        return results

    # The files of a case: a copy of the good ones, changed.

    def variant(self, name):
        """A copy of the latest generation to make one case of: its
        docroot and the victim's directory in it."""
        d = os.path.join(self.work, "www-" + name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(self.good, d, symlinks=True)
        return d, os.path.join(d, self.authority, *VICTIM)

    def url_path(self, docroot, url):
        """Where https://127.0.0.1:PORT/PATH is in docroot."""
        rel = url.split(self.authority + "/", 1)[1]
        return os.path.join(docroot, self.authority, *rel.split("/"))

    def files(self, victim):
        """The victim's notification, its text, and its snapshot's path."""
        note = os.path.join(victim, "notification.xml")
        text = read(note).decode()
        m = re.search(r'<snapshot uri="([^"]+)"', text)
        return note, text, m.group(1)

    def hostile_notification(self, name, edit):
        """The victim's notification changed by edit (text to text)."""
        d, victim = self.variant(name)
        note, text, _ = self.files(victim)
        write(note, edit(text).encode())
        return d, note

    def hostile_snapshot(self, name, edit):
        """The latest generation, the victim's snapshot changed by edit
        (text to text), in a new session (so that a cached copy is
        replaced by it), and its hash in the notification."""
        d, victim = self.variant(name)
        note, text, url = self.files(victim)
        snap = self.url_path(d, url)
        data = re.sub(r'session_id="[0-9a-f-]+"',
                      f'session_id="{NEW_SESSION}"', read(snap).decode(),
                      count=1)
        raw = edit(data).encode()
        write(snap, raw)
        text = re.sub(r'session_id="[0-9a-f-]+"',
                      f'session_id="{NEW_SESSION}"', text, count=1)
        text = re.sub(r'(<snapshot [^>]*hash=")[0-9a-f]+',
                      lambda k: k.group(1) + sha256(raw), text, count=1)
        # The deltas belong to the old session.
        text = re.sub(r"\s*<delta [^>]*/>", "", text)
        write(note, text.encode())
        return d, snap

    def hostile_delta(self, name, elements, edit=None, snapshot=False):
        """The latest generation plus one delta (serial + 1) holding
        elements (changed by edit, text to text, if given), listed with
        its hash. With snapshot, the snapshot moves to serial + 1 too, so
        that a client that refuses the delta has a good snapshot to fall
        back to; else it stays at the old serial, so that one that falls
        back to it finds it does not match and keeps what it has."""
        d, victim = self.variant(name)
        note, text, url = self.files(victim)
        session = re.search(r'session_id="([0-9a-f-]+)"', text).group(1)
        serial = int(re.search(r'<notification [^>]*serial="(\d+)"',
                               text).group(1)) + 1
        rel = f"{VICTIM[0]}/{VICTIM[1]}/{session}/{serial}/delta.xml"
        path = os.path.join(d, self.authority, *rel.split("/"))
        os.makedirs(os.path.dirname(path))
        data = ('<delta xmlns="http://www.ripe.net/rpki/rrdp" version="1" '
                f'session_id="{session}" serial="{serial}">\n  {elements}\n'
                "</delta>\n")
        raw = (edit(data) if edit else data).encode()
        write(path, raw)
        text = re.sub(r'(<notification [^>]*serial=")\d+',
                      lambda k: k.group(1) + str(serial), text, count=1)
        text = text.replace(
            "</notification>",
            f'  <delta serial="{serial}" '
            f'uri="https://{self.authority}/{rel}" '
            f'hash="{sha256(raw)}"/>\n</notification>')
        if snapshot:
            snap = self.url_path(d, url)
            new = f"{VICTIM[0]}/{VICTIM[1]}/{session}/{serial}/snapshot.xml"
            data = re.sub(r'(<snapshot [^>]*serial=")\d+',
                          lambda k: k.group(1) + str(serial),
                          read(snap).decode(), count=1).encode()
            write(os.path.join(os.path.dirname(path), "snapshot.xml"), data)
            text = re.sub(r'<snapshot uri="[^"]+" hash="[0-9a-f]+"',
                          f'<snapshot uri="https://{self.authority}/{new}" '
                          f'hash="{sha256(data)}"', text, count=1)
        write(note, text.encode())
        return d, path

    def snapshot_objects(self):
        """The victim's published objects: URI -> (base64 text, bytes)."""
        import base64
        _, _, url = self.files(self.victim)
        data = read(self.url_path(self.good, url)).decode()
        return {m.group(1): (m.group(2), base64.b64decode(m.group(2)))
                for m in re.finditer(
                    r'<publish uri="([^"]+)">([^<]*)</publish>', data)}
