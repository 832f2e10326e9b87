#!/usr/bin/env python3
"""vrpd --once against a hostile RRDP server (fetching).

Published relying-party vulnerabilities replayed end to end: Routinator
CVE-2021-43173 (a server that trickles or holds the connection open
stalls the whole run) and CVE-2021-43174 (a gzip bomb exhausts memory),
FORT CVE-2024-48943 (a server that never finishes its answer blocks the
validator), OctoRPKI CVE-2021-3912 class (endless redirects, huge and
endless files, Retry-After of a day).

The fixture's good repository (two TAs, three RRDP repositories) is
served over HTTPS on 127.0.0.1 by a server in this process
(tests/hostile_rrdp.py). Two of the repositories are served honestly;
the third (rpki0.example/rrdp2, three leaf CAs) misbehaves in one way
per case. For each case vrpd runs twice:

- with an empty cache: the bad repository is refused with a log line
  naming its URL and what was wrong, vrpd exits 0 within a bound, and
  its VRPs are exactly those of the two good repositories (the reference
  comes from `vrpd --once --mirror` over the fixture's rsync copy without
  the bad repository: another code path, no fetching at all);
- with a cache from an honest run: the last good copy stays ("the last
  good copy stays" is logged), so every VRP of the fixture is output.

(A case about the deltas, which vrpd asks for only with a cache, makes
the second run only.)

The server records what each hostile answer cost it (bytes sent, how
long the client kept the connection): a case passes only if vrpd hung up
early, so a fix that merely waited longer would be seen.

Cases that need --fetch-stall-timeout / --fetch-timeout (a trickle, a
held connection, an answer that never ends at a good rate) run only when
`vrpd --help` lists those options; otherwise they would each take the
built-in minute or half hour, and they are reported as skipped.
"""

import os
import re
import select
import ssl
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from hostile_rrdp import (VICTIM_URL, VRPD, Bench, Handler,  # noqa: E402
                          State, check, read, run, sha256, skip, summary)

# The bounds this test sets when vrpd has the options for them.
STALL = 3     # --fetch-stall-timeout
TOTAL = 8     # --fetch-timeout
# How long a run may take beyond the bound that should end it: start-up,
# the honest repositories, sanitizers.
SLACK = 20
# A hostile answer vrpd should cut short costs the server at most this.
MAX_SENT = 64 * 1024 * 1024
# The slow deltas: this many, each served in DELTA_PACE s, at a rate well
# above the stall rate (1 KiB/s). Each is well within TOTAL; together
# (45 s) they are far beyond TOTAL + SLACK, so a vrpd that bounds each
# transfer alone is seen by the time of its run as well.
DELTAS = 30
DELTA_PACE = 1.5
# How late after the victim's notification a request may still reach the
# server once --fetch-timeout (from the start of the repository's sync)
# is over: a transfer started just before the deadline connects and
# shakes hands first.
LATE = 3


# ------------------------------------------------------------ the server

class FetchState(State):
    """What the server plays, and what it saw."""

    def __init__(self):
        super().__init__()
        self.mode = None          # a Case while one runs, else honest
        self.new_session = False  # victim's notification: another session
        self.log = []             # dicts, one per hostile answer


class FetchHandler(Handler):
    def hostile(self, path, file):
        st = self.server.state
        kind = "notification" if path.endswith("/notification.xml") \
            else "file"
        case = st.mode if path.startswith(VICTIM_URL + "/") else None
        if case is None or case.target not in (kind, "any"):
            return False
        rec = {"case": case.name, "path": path, "sent": 0,
               "start": time.monotonic(), "end": None, "hung_up": False}
        with st.lock:
            st.log.append(rec)
        try:
            case.play(self, file, rec)
        except (OSError, ssl.SSLError):
            rec["hung_up"] = True
        rec["end"] = time.monotonic()
        self.close_connection = True
        return True

    def rewrite(self, path, data):
        if self.server.state.new_session and path.startswith(VICTIM_URL) \
                and path.endswith("/notification.xml"):
            return new_session(data)
        return data

    # Helpers for the cases.

    def send(self, rec, data):
        self.wfile.write(data)
        self.wfile.flush()
        rec["sent"] += len(data)

    def client_gone(self, wait):
        """Waits up to wait seconds; whether the client hung up."""
        r, _, _ = select.select([self.connection], [], [], wait)
        if not r:
            return False
        try:
            return self.connection.recv(1) == b""
        except (OSError, ssl.SSLError):
            return True

    def headers_200(self, length=None, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if length is not None:
            self.send_header("Content-Length", str(length))
        else:
            self.send_header("Transfer-Encoding", "chunked")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.flush()


# ------------------------------------------------------------- the cases

def new_session(data):
    """The session the victim announces when a cached copy must be
    replaced by its (hostile) snapshot."""
    return re.sub(rb'session_id="[0-9a-f-]+"',
                  b'session_id="00000000-0000-4000-8000-0000000000ff"',
                  data, count=1)


def snapshot_head(file, renew):
    """The victim's real snapshot up to its end tag, then the start of
    one more object: what follows is that object's base64, forever."""
    data = read(file)
    if renew:
        data = new_session(data)
    cut = data.rindex(b"</snapshot>")
    return data[:cut] + \
        b'<publish uri="rsync://rpki0.example/repo2/endless.roa">'


def play_drip(h, file, rec):
    """RFC-valid headers, then one byte every 1.5 s (Routinator
    CVE-2021-43173): far below any low-speed limit, never finished."""
    data = read(file)
    h.headers_200(len(data))
    for i in range(len(data)):
        if h.server.state.stop.is_set():
            return
        h.send(rec, data[i:i + 1])
        if h.client_gone(1.5):
            rec["hung_up"] = True
            return


def play_hold(h, file, rec):
    """200, a Content-Length, the first 100 bytes, then silence with the
    connection open (FORT CVE-2024-48943)."""
    data = read(file)
    h.headers_200(len(data))
    h.send(rec, data[:100])
    while not h.server.state.stop.is_set():
        if h.client_gone(0.5):
            rec["hung_up"] = True
            return


def play_dribble(h, file, rec):
    """Fast enough for any low-speed limit (4 KiB/s), never finished: only
    a bound on the whole transfer ends it."""
    h.headers_200(None)
    while not h.server.state.stop.is_set():
        chunk = b" " * 1024
        h.send(rec, b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if h.client_gone(0.25):
            rec["hung_up"] = True
            return


def play_429(h, file, rec):
    """Come back in a day (OctoRPKI CVE-2021-3912 class: a validator that
    honours it stops updating)."""
    body = b"slow down\n"
    h.send_response(429)
    h.send_header("Retry-After", "86400")
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.send(rec, body)


def play_redirect_loop(h, file, rec):
    """Redirects to itself, forever (a new query each time, so that no
    client can see the loop by comparing URLs)."""
    n = int(h.path.split("?n=", 1)[1]) + 1 if "?n=" in h.path else 1
    h.send_response(302)
    h.send_header("Location", h.path.split("?", 1)[0] + f"?n={n}")
    h.send_header("Content-Length", "0")
    h.end_headers()
    rec["redirects"] = n


def play_redirect_other_origin(h, file, rec):
    """Redirects the snapshot to another origin (RFC 9674)."""
    port = h.server.state.port
    h.send_response(302)
    h.send_header("Location", f"https://127.0.0.2:{port}{h.path}")
    h.send_header("Content-Length", "0")
    h.end_headers()


def bomb(prefix, size):
    """prefix then size bytes of filler, gzip-compressed (about a
    thousandth of size)."""
    import zlib
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [z.compress(prefix)]
    block = b"A" * (1 << 20)
    for _ in range(size >> 20):
        out.append(z.compress(block))
    out.append(z.flush())
    return b"".join(out)


BOMBS = {}


def play_gzip_bomb(h, file, rec):
    """Content-Encoding: gzip, a few hundred KB expanding to 1 GiB
    (Routinator CVE-2021-43174): the notification's bound (16 MiB) or the
    snapshot's object bound (8 MiB) must stop it as it is decoded."""
    body = BOMBS[(file, h.server.state.new_session)]
    h.headers_200(len(body), [("Content-Encoding", "gzip")])
    h.send(rec, body)


def play_huge_length(h, file, rec):
    """Announces 100 GiB, then starts sending them."""
    head = snapshot_head(file, h.server.state.new_session)
    h.headers_200(100 << 30)
    h.send(rec, head)
    block = b"QUFB" * (1 << 16)
    while rec["sent"] < (1 << 30) and not h.server.state.stop.is_set():
        h.send(rec, block)


def play_huge_stream(h, file, rec):
    """100 GiB without a length (chunked), as fast as it goes, of a
    snapshot whose last object never ends."""
    h.headers_200(None)
    head = snapshot_head(file, h.server.state.new_session)
    h.send(rec, b"%x\r\n%s\r\n" % (len(head), head))
    block = b"QUFB" * (1 << 16)
    chunk = b"%x\r\n%s\r\n" % (len(block), block)
    while rec["sent"] < (100 << 30) and not h.server.state.stop.is_set():
        h.send(rec, chunk)


SLOW = {}  # URL path -> bytes: the victim's notification and slow deltas


def slow_deltas(b):
    """The victim's notification at its serial + DELTAS, the same session,
    listing DELTAS more deltas (with its own), each of which re-publishes
    every object of the victim as it is (valid, and changing nothing);
    URL path -> bytes. The snapshot is left as it is (the old serial):
    only a fallback to it after the deltas failed would ask for it."""
    note = os.path.join(b.victim, "notification.xml")
    text = read(note).decode()
    session = re.search(r'session_id="([0-9a-f-]+)"', text).group(1)
    serial = int(re.search(r'<notification [^>]*serial="(\d+)"',
                           text).group(1))
    body = "".join(f'  <publish uri="{uri}" hash="{sha256(raw)}">'
                   f"{b64.strip()}</publish>\n"
                   for uri, (b64, raw) in sorted(b.snapshot_objects().items()))
    out, refs = {}, []
    for k in range(serial + 1, serial + DELTAS + 1):
        path = f"{VICTIM_URL}/{session}/{k}/delta.xml"
        data = ('<delta xmlns="http://www.ripe.net/rpki/rrdp" version="1" '
                f'session_id="{session}" serial="{k}">\n{body}'
                "</delta>\n").encode()
        out[path] = data
        refs.append(f'  <delta serial="{k}" uri="https://{b.authority}'
                    f'{path}" hash="{sha256(data)}"/>\n')
    text = re.sub(r'(<notification [^>]*serial=")\d+',
                  lambda m: m.group(1) + str(serial + DELTAS), text, count=1)
    text = text.replace("</notification>", "".join(refs) + "</notification>")
    out[f"{VICTIM_URL}/notification.xml"] = text.encode()
    return out


def play_slow_deltas(h, file, rec):
    """The notification of slow_deltas() at once; each delta at a good
    rate but in DELTA_PACE s (a repository with thousands of deltas, or a
    server that makes each take a while): no transfer is long, their sum
    is. Anything else (the old snapshot) as it is."""
    path = h.path.split("?", 1)[0]
    data = SLOW.get(path)
    if data is None or path.endswith("/notification.xml"):
        data = read(file) if data is None else data
        h.headers_200(len(data))
        h.send(rec, data)
        rec["whole"] = True
        return
    h.headers_200(len(data))
    n = 15
    step = -(-len(data) // n)
    for i in range(0, len(data), step):
        if h.server.state.stop.is_set():
            return
        if h.client_gone(DELTA_PACE / n):
            rec["hung_up"] = True
            return
        h.send(rec, data[i:i + step])
    rec["whole"] = True


def check_slow_deltas(what, plays):
    """The server's side of the slow deltas: vrpd took whole deltas (each
    alone is fine), asked for fewer than all of them, and asked for
    nothing once --fetch-timeout was over for the repository."""
    notes = [p for p in plays if p["path"].endswith("/notification.xml")]
    deltas = [p for p in plays if p["path"].endswith("/delta.xml")]
    whole = [p for p in deltas if p.get("whole")]
    check(len(whole) >= 2, f"{what}: deltas served whole before the time "
          f"ran out ({len(whole)} of {len(deltas)} asked for)",
          "each delta alone is within --fetch-timeout")
    check(len(deltas) < DELTAS, f"{what}: vrpd stopped asking for deltas "
          f"({len(deltas)} of {DELTAS})")
    if notes:
        t0 = notes[0]["start"]
        last = max(p["start"] for p in plays) - t0
        check(last <= TOTAL + LATE, f"{what}: no request for the "
              f"repository started after its --fetch-timeout (last "
              f"{last:.1f} s after its notification)",
              "\n".join(f"{p['start'] - t0:6.1f} s {p['path']}"
                        for p in plays))


class Case:
    def __init__(self, name, target, play, log, bound, needs=None,
                 empty=True, check=None):
        self.name = name
        self.target = target  # "notification", "file" (snapshot/delta)
        #                       or "any"
        self.play = play
        self.log = log        # regex the log must match (the bad URL)
        self.bound = bound    # seconds the run may take, slack excluded
        self.needs = needs    # vrpd option this case relies on
        self.empty = empty    # whether the run with an empty cache is made
        self.check = check    # check(what, plays): the case's own checks


CASES = [
    Case("drip-feed, 1 byte every 1.5 s", "notification", play_drip,
         r"notification\.xml: fetch failed: timed out", STALL,
         "--fetch-stall-timeout"),
    Case("connection held open, nothing sent", "file", play_hold,
         r"snapshot\.xml: fetch failed: timed out", STALL,
         "--fetch-stall-timeout"),
    Case("an answer at 4 KiB/s that never ends", "notification",
         play_dribble, r"notification\.xml: fetch failed: timed out", TOTAL,
         "--fetch-timeout"),
    Case("429 with Retry-After of a day", "notification", play_429,
         r"notification\.xml: fetch failed: HTTP 429 "
         r"\(Retry-After: 86400 seconds\)", 0),
    Case("redirects forever", "notification", play_redirect_loop,
         r"notification\.xml: fetch failed: more than \d+ redirects", 0),
    Case("snapshot redirected to another origin", "file",
         play_redirect_other_origin,
         r"snapshot\.xml: fetch failed: redirect to https://127\.0\.0\.2"
         r"[^ ]* leaves the origin .*RFC 9674", 0),
    Case("gzip bomb (notification)", "notification", play_gzip_bomb,
         r"notification\.xml: notification file of more than the 16777216 "
         r"bytes allowed", 0),
    Case("gzip bomb (snapshot)", "file", play_gzip_bomb,
         r"snapshot\.xml: rsync://\S+/endless\.roa: object larger than "
         r"8388608 bytes", 0),
    Case("Content-Length of 100 GiB", "file", play_huge_length,
         r"snapshot\.xml: fetch failed: Content-Length over the limit", 0),
    Case("100 GiB streamed without a length", "file", play_huge_stream,
         r"snapshot\.xml: rsync://\S+/endless\.roa: object larger than "
         r"8388608 bytes", 0),
    # --fetch-timeout bounds the fetches of one repository together
    # (notification, deltas, snapshot), not each transfer. Only the run
    # with a cache is made: with an empty cache vrpd asks for the
    # notification and the snapshot, never the deltas, and those two
    # alone are the cases above. With the cache the deltas continue its
    # serial, so vrpd takes them one after the other until the time is
    # up: the one running then is cut short ("timed out"), any after it
    # (the snapshot to fall back to) is not started ("no time left").
    Case(f"{DELTAS} deltas of {DELTA_PACE} s each (one --fetch-timeout "
         "for the repository)", "any", play_slow_deltas,
         r"\.xml: fetch failed: (no time left|timed out)", TOTAL,
         "--fetch-timeout", empty=False, check=check_slow_deltas),
]


# ------------------------------------------------------------- the runs

def vrpd_options():
    r = run([VRPD, "--help"])
    return r.stdout + r.stderr


def one_case(b, case, extra):
    st = b.state

    def before(run, cache):
        # With a cache the notification must announce something new for
        # vrpd to ask for a snapshot at all.
        st.new_session = run.start is not None and case.target == "file"
        st.stop.clear()
        first = len(st.log)
        st.mode = case
        return first

    def after(what, run, first, rc, out, err, dt):
        st.mode = None
        st.stop.set()
        limit = case.bound + SLACK
        check(dt <= limit, f"{what}: done within {limit} s",
              f"took {dt:.1f} s")
        plays = st.log[first:]
        check(plays, f"{what}: the hostile answer was played",
              f"no request for {VICTIM_URL}\n{err[-3000:]}")
        # The client hung up: the server is not still pushing or holding.
        time.sleep(0.3)
        for p in plays:
            held = (p["end"] or time.monotonic()) - p["start"]
            check(p["end"] is not None, f"{what}: connection closed "
                  f"(server sent {p['sent']} bytes in {held:.1f} s)")
            check(p["sent"] <= MAX_SENT, f"{what}: vrpd stopped reading "
                  f"early ({p['sent']} bytes sent)")
        if case.check is not None:
            case.check(what, plays)

    runs = b.refused()
    if not case.empty:
        runs = runs[1:]
    b.case(case.name, runs, case.log, VICTIM_URL, extra=extra,
           timeout=case.bound + SLACK + 60, before=before, after=after)


def main():
    with Bench("vrpd-hostile-fetch-", FetchHandler, FetchState()) as b:
        if not b.start():
            return 1
        # The bombs are made once (a second or two each).
        note = os.path.join(b.victim, "notification.xml")
        m = re.search(rb'<snapshot [^>]*uri="https://[^/]+/([^"]+)"',
                      read(note))
        snap = os.path.join(b.good, b.authority,
                            *m.group(1).decode().split("/"))
        for renew in (False, True):
            BOMBS[(note, renew)] = bomb(b"", 1 << 30)
            BOMBS[(snap, renew)] = bomb(snapshot_head(snap, renew), 1 << 30)
        print(f"gzip bombs: {len(BOMBS[(note, False)])} and "
              f"{len(BOMBS[(snap, False)])} bytes for 1 GiB each",
              flush=True)
        SLOW.update(slow_deltas(b))
        size = min(len(v) for k, v in SLOW.items()
                   if k.endswith("/delta.xml"))
        # Each delta must go at several times the stall rate (1 KiB/s),
        # or the stall bound, not the total one, would end it.
        check(size / DELTA_PACE >= 4096, f"slow deltas: {DELTAS} of "
              f"{size} bytes, {size / DELTA_PACE / 1024:.0f} KiB/s each")

        opts = vrpd_options()
        extra = []
        if "--fetch-stall-timeout" in opts:
            extra += ["--fetch-stall-timeout", str(STALL)]
        if "--fetch-timeout" in opts:
            extra += ["--fetch-timeout", str(TOTAL)]
        for c in CASES:
            if c.needs is not None and c.needs not in opts:
                skip(f"{c.name}: vrpd has no {c.needs}")
                continue
            one_case(b, c, extra)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
