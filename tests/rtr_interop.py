#!/usr/bin/env python3
"""vrpd --vrps FILE --rtr-listen: routers nobody here wrote get FILE exactly.

- rtrlib's rtrclient over version 1 (its highest) and over version 0 (a
  vrpd offering only 0 answers rtrlib's v1 query with Error Report code 4;
  rtrlib reconnects at 0): the table it exports equals FILE's VRPs.
- FILE changes (rename over it); a long-running rtrclient -p -k prints
  +/- lines equal to the difference, and vrpd's log shows it came as a
  Serial Query delta, with no second Reset Query from that client.
- BIRD 2 as a router: its roa4/roa6 tables reach the number of distinct
  (prefix, max length, ASN) per family, and follow FILE's changes.
- tests/rtr_wire.py over versions 0, 1 and 2: every payload PDU of FILE
  exactly once, in draft-ietf-sidrops-8210bis s.11.2 order, ASPA records
  of a customer merged into one PDU (providers ascending), no Router Key
  or ASPA on v0 (12-byte End of Data), no ASPA on v1; deltas after
  several changes are merged (an item withdrawn and re-added in between
  is not mentioned).
- Serial Query: current serial -> empty delta; serial XOR 2^31 -> Cache
  Reset; a serial older than --rtr-history -> Cache Reset; another
  session id on a new connection -> Cache Reset, on an established
  session -> Error Report 0 and close (8210bis s.5.1, s.5.3).
- --rtr-state keeps session id and serial across restarts; a restart
  with a changed FILE keeps the session id and bumps the serial by one.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
import testlib  # noqa: E402
from testlib import fail, failures  # noqa: E402

VRPD = os.environ.get("VRPD", testlib.VRPD)
SBIN = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
RTRCLIENT = shutil.which("rtrclient", path=SBIN)
BIRD = shutil.which("bird", path=SBIN)
BIRDC = shutil.which("birdc", path=SBIN)
STDBUF = shutil.which("stdbuf", path=SBIN)
STAYRTR = shutil.which("stayrtr", path=SBIN)
HOST = "127.0.0.1"
TIMERS = ("--rtr-refresh", "2", "--rtr-retry", "2", "--rtr-expire", "600")


def check(cond, msg, detail=""):
    return testlib.check(cond, msg, detail, sep=": ")


# ------------------------------------------------------------------ data

def mutate(ds, seed, drop=20, add=15):
    """A changed copy of ds: whole VRPs dropped (every TA's copy), one
    TA's copy of duplicated VRPs dropped (no change to the set), new
    VRPs added."""
    rnd = random.Random(seed)
    new = ds.copy()
    triples = {}
    for i, r in enumerate(new.roas):
        plen = int(r["prefix"].split("/")[1])
        ml = plen if r["maxLength"] is None else r["maxLength"]
        triples.setdefault((r["prefix"], ml, r["asn"]), []).append(i)
    keys = sorted(triples)
    gone = set(rnd.sample(keys, drop))
    dups = [k for k in keys if len(triples[k]) > 1 and k not in gone]
    kill = {i for k in gone for i in triples[k]}
    kill |= {triples[k][0] for k in dups[:5]}
    new.roas = [r for i, r in enumerate(new.roas) if i not in kill]
    fresh = w.Dataset.generate(add, seed=seed + 1000).roas[:add]
    for r in fresh:
        r["ta"] = "ripe"
    new.roas += fresh
    return new


def vrp_diff(old, new, version=1):
    """(added, removed) VRPs and router keys between two datasets."""
    o, n = old.expected(version), new.expected(version)
    return (n[0] - o[0], o[0] - n[0]), (n[1] - o[1], o[1] - n[1])


# ------------------------------------------------------------------ rtrclient

def parse_rtrclient_csv(text):
    out = set()
    for line in text.splitlines():
        f = [x.strip() for x in line.split(",")]
        if len(f) != 4 or not f[1].isdigit():
            continue
        # rtrlib 0.8's csv template prints the ASN as a signed 32-bit
        # number (AS 3304857974 comes out as -990109322).
        out.add((w.canon_prefix(f"{f[0]}/{f[1]}"), int(f[2]),
                 int(f[3]) & 0xffffffff))
    return out


def parse_rtrclient_updates(lines):
    """+/- prefix and router key updates rtrclient -p -k printed, as
    (sign, item) lists in order."""
    pfx, keys = [], []
    i = 0
    while i < len(lines):
        ln = lines[i]
        f = ln.split()
        if len(f) == 6 and f[0] in "+-" and f[3] == "-":
            net = w.canon_prefix(f"{f[1]}/{f[2]}")
            pfx.append((f[0], (net, int(f[4]), int(f[5]))))
        elif len(f) >= 2 and f[0] in "+-" and f[1] == "HOST:":
            sign, asn, ski, spki = f[0], None, b"", ""
            i += 1
            while i < len(lines):
                t = lines[i]
                if t.startswith("ASN:"):
                    asn = int(t.split()[1])
                elif t.strip().startswith("SKI:"):
                    ski = bytes.fromhex(t.split()[1].replace(":", ""))
                elif t.strip().startswith("SPKI:"):
                    spki = t.split()[1]
                elif t.startswith("\t"):
                    spki += t.strip()
                else:
                    break
                i += 1
            keys.append((sign, (ski, asn, bytes.fromhex(
                spki.replace(":", "")))))
            continue
        i += 1
    return pfx, keys


def rtrclient_export(port, label):
    """rtrclient -e: sync, export the prefix table, exit. (set, stderr)"""
    d = tempfile.mkdtemp(prefix="rtrc.")
    out = os.path.join(d, "out.csv")
    try:
        r = subprocess.run([RTRCLIENT, "-e", "-t", "csv", "-o", out, "tcp",
                            HOST, str(port)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True,
                           errors="replace", timeout=30)
        if r.returncode != 0 or not os.path.exists(out):
            fail(f"{label}: rtrclient -e exited {r.returncode}: "
                 f"{r.stderr[-1500:]}")
            return set(), r.stderr
        with open(out) as f:
            return parse_rtrclient_csv(f.read()), r.stderr
    finally:
        shutil.rmtree(d, ignore_errors=True)


# ------------------------------------------------------------------ BIRD

BIRD_CONF = """\
log stderr all;
router id 192.0.2.1;
roa4 table r4;
roa6 table r6;
protocol rpki vrpd {{
  roa4 {{ table r4; }};
  roa6 {{ table r6; }};
  remote {host} port {port};
  retry 5;
  refresh 30;
}}
"""


def bird_counts(sock):
    counts = []
    for t in ("r4", "r6"):
        try:
            r = subprocess.run([BIRDC, "-s", sock, "show", "route", "count",
                                "table", t], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               timeout=5)
        except subprocess.TimeoutExpired:
            return None
        n = None
        for ln in r.stdout.splitlines():
            f = ln.split()
            if len(f) > 3 and f[1] == "of" and f[3] == "routes":
                n = int(f[2])
            elif "0 routes" in ln or ln.startswith("0 of"):
                n = 0
        counts.append(n)
    return tuple(counts)


def family_counts(ds):
    v = ds.vrps()
    return (sum(1 for x in v if w.prefix_family(x[0]) == 4),
            sum(1 for x in v if w.prefix_family(x[0]) == 6))


def wait_bird(sock, want, timeout, label):
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        got = bird_counts(sock)
        if got == want:
            return check(True, f"{label}: BIRD roa4/roa6 counts {got}")
        time.sleep(0.5)
    return check(False, f"{label}: BIRD roa4/roa6 counts",
                 f"want {want}, got {got}")


# ------------------------------------------------------------------ rtr_wire

def check_full(client, resp, ds, version, label):
    """A full set response: exactly ds, in order, nothing twice."""
    if not check(resp.kind == "data", f"{label}: full set",
                 f"got {resp.kind} {resp.error!r}"):
        return
    st = client.state
    check(not st.anomalies, f"{label}: no protocol anomalies",
          "; ".join(st.anomalies[:5]))
    diffs = w.compare_state(st, ds, version)
    check(not diffs, f"{label}: set equals the file exactly",
          "; ".join(diffs))
    bad = w.order_violations(resp.payload)
    check(not bad, f"{label}: PDUs in 8210bis s.11.2 order", "; ".join(bad))
    check(all(p.announce for p in resp.payload),
          f"{label}: a full set only announces")
    types = {p.type for p in resp.payload}
    if version == 0:
        check(not types & {w.ROUTER_KEY, w.ASPA},
              f"{label}: no Router Key or ASPA on v0")
        check(len(resp.eod.raw) == 12, f"{label}: 12-byte End of Data")
    else:
        check(len(resp.eod.raw) == 24 and (resp.eod.refresh, resp.eod.retry,
                                           resp.eod.expire) == (2, 2, 600),
              f"{label}: End of Data timers 2/2/600",
              f"{resp.eod!r} {resp.eod.refresh}/{resp.eod.retry}/"
              f"{resp.eod.expire}")
    if version == 1:
        check(w.ASPA not in types and w.ROUTER_KEY in types,
              f"{label}: Router Keys but no ASPA on v1")
    if version == 2:
        aspas = [p for p in resp.payload if p.type == w.ASPA]
        want = ds.aspa_map()
        check(len(aspas) == len(want) and
              {p.customer: p.providers for p in aspas} == want,
              f"{label}: one ASPA PDU per customer with the union of "
              f"providers, ascending",
              f"got {aspas}, want {want}")


def check_delta(client, resp, ds, version, label, old_serial):
    if not check(resp.kind == "data", f"{label}: delta",
                 f"got {resp.kind} {resp.error!r}"):
        return
    st = client.state
    check(not st.anomalies, f"{label}: no protocol anomalies",
          "; ".join(st.anomalies[:5]))
    diffs = w.compare_state(st, ds, version)
    check(not diffs, f"{label}: delta ends with the file's set exactly",
          "; ".join(diffs))
    bad = w.order_violations(resp.payload)
    check(not bad, f"{label}: delta in 8210bis s.11.2 order",
          "; ".join(bad))
    check(resp.eod.serial != old_serial, f"{label}: serial moved on",
          f"{old_serial} -> {resp.eod.serial}")


def loaded_serial(vrpd, since, timeout=15):
    """Wait for the next "vrpd: vrps loaded" line; its serial or -1."""
    m = vrpd.wait(r"vrpd: vrps loaded", timeout, since=since)
    if not m:
        return None
    m = re.search(r"serial (\d+)", vrpd.grep(r"vrpd: vrps loaded",
                                             since=since)[0])
    return int(m.group(1)) if m else -1


def change_file(vrpd, path, ds, label):
    mark = vrpd.mark()
    ds.write(path)
    s = loaded_serial(vrpd, mark)
    check(s is not None, f"{label}: vrpd reloaded the file",
          vrpd.text(mark)[-2000:])
    return s


# ------------------------------------------------------------------ steps

def control_stayrtr(tmp, ds):
    """rtr_wire must agree with an independent cache before it judges
    vrpd (StayRTR speaks an older ASPA layout and repeats a key certified
    by two TAs, so: prefixes and keys over v1, keys listed once)."""
    if not STAYRTR:
        print("SKIP: control against stayrtr (not installed)")
        return
    ctl = ds.copy()
    ctl.keys = ctl.keys[:2]
    path = os.path.join(tmp, "stayrtr.json")
    ctl.write(path, stayrtr=True)
    s = w.StayRTR(path)
    try:
        c, r = w.sync(HOST, s.port, 1)
        with c:
            check(r.kind == "data" and not w.compare_state(c.state, ctl, 1)
                  and not c.state.anomalies,
                  "control: rtr_wire v1 against stayrtr equals the file",
                  f"{w.compare_state(c.state, ctl, 1)} {c.state.anomalies}")
    finally:
        s.stop()


def rtrclient_v0(tmp, path, ds):
    v = w.Vrpd(VRPD, path, "--rtr-max-version", "0", "--verbose", *TIMERS,
               name="vrpd-v0")
    try:
        got, err = rtrclient_export(v.port, "rtrclient v0")
        check(got == ds.vrps(), "rtrclient over v0: exported table equals "
              "the file", w.diff_sets("VRPs", got, ds.vrps()))
        check("Downgrading from 1 to version 0" in err,
              "rtrclient over v0: rtrlib downgraded after Error Report 4",
              "\n".join(ln for ln in err.splitlines()
                        if "rror" in ln or "ersion" in ln)[:1500])
        c, r = w.sync(HOST, v.port, 2)
        with c:
            check(c.version == 0, "rtr_wire negotiates down to v0",
                  f"ended on v{c.version}")
            check_full(c, r, ds, 0, "rtr_wire v0 (negotiated)")
    finally:
        rc = v.stop()
        check(rc == 0, "vrpd --rtr-max-version 0 exits 0 on SIGTERM",
              f"exit {rc}")


def session_id_checks(port, session, serial):
    # 8210bis s.5.3: no session established on this connection yet and an
    # unknown session id -> Cache Reset.
    other = (session + 1) & 0xffff
    with w.Client(HOST, port, 2, timeout=5) as c:
        r = c.serial(session=other, serial=serial)
        check(r.kind == "reset",
              "Serial Query, new connection, other session id -> Cache "
              "Reset (8210bis s.5.3)", f"got {r.kind} {r.pdus}")
    # Established session (a Cache Response on this connection), then a
    # Serial Query with another session id -> Error Report 0 and the
    # session is terminated (8210bis s.5.1, s.5.3).
    with w.Client(HOST, port, 2, timeout=5) as c:
        r = c.reset()
        check(r.kind == "data", "session established")
        c.send(w.serial_query(2, other, serial))
        r = c.read_response()
        check(r.kind == "error" and r.error.code == w.ERR_CORRUPT_DATA,
              "Serial Query, established session, other session id -> "
              "Error Report 0 (8210bis s.5.1)", f"got {r.kind} {r.pdus}")
        closed, extra = c.wait_closed(5)
        check(closed, "... and the session is closed", f"then {extra}")


def main():
    tmp = tempfile.mkdtemp(prefix="rtr_interop.")
    procs = []
    try:
        run(tmp, procs)
    finally:
        for p in procs:
            p.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("all passed")


def run(tmp, procs):
    t0 = time.monotonic()
    path = os.path.join(tmp, "vrps.json")
    state = os.path.join(tmp, "rtr.state")
    A = w.Dataset.generate(400, seed=5)
    A.write(path)
    control_stayrtr(tmp, A)

    vrpd = w.Vrpd(VRPD, path, "--verbose", "--rtr-history", "3",
                  "--rtr-state", state, *TIMERS)
    procs.append(vrpd)
    port = vrpd.port

    # --- full sets over every version (rtr_wire)
    clients = {}
    for v in (2, 1, 0):
        c = w.Client(HOST, port, v)
        r = c.reset()
        check_full(c, r, A, v, f"rtr_wire v{v}")
        clients[v] = c
    c2 = clients[2]
    session, s0 = c2.state.session, c2.state.serial
    # 8210bis s.5.1 says caches SHOULD NOT share a session id across
    # versions; noted, not enforced.
    print(f"session id v2 {session}, v1 {clients[1].state.session}, "
          f"v0 {clients[0].state.session}; serial {s0}", flush=True)

    # --- rtrclient v1: export, then a long-running client for deltas
    got, err = rtrclient_export(port, "rtrclient v1")
    check(got == A.vrps(), "rtrclient over v1: exported table equals the "
          "file", w.diff_sets("VRPs", got, A.vrps()))
    follower = w.Proc([STDBUF, "-oL", RTRCLIENT, "-p", "-k", "tcp", "-b",
                       "127.0.0.2", HOST, str(port)], name="rtrclient-p",
                      separate_stderr=True)
    procs.append(follower)
    check(follower.wait(r"Sync successful", 15, err=True) is not None,
          "rtrclient -p -k synced", follower.text(err=True)[-1500:])
    time.sleep(0.3)
    pfx, keys = parse_rtrclient_updates(follower.lines)
    check({i for s, i in pfx if s == "+"} == A.vrps() and
          all(s == "+" for s, _ in pfx) and len(pfx) == len(A.vrps()),
          "rtrclient -p: announced prefixes equal the file, each once",
          w.diff_sets("VRPs", {i for s, i in pfx}, A.vrps()))
    check({i for s, i in keys} == A.router_keys() and
          len(keys) == len(A.router_keys()),
          "rtrclient -k: router keys equal the file, each once",
          f"got {len(keys)}: {[(k[0].hex(), k[1]) for _, k in keys]}")
    out_mark, err_mark = follower.mark(), follower.mark(err=True)

    # --- BIRD
    bdir = os.path.join(tmp, "bird")
    os.mkdir(bdir)
    bconf, bsock = os.path.join(bdir, "bird.conf"), os.path.join(bdir, "s")
    with open(bconf, "w") as f:
        f.write(BIRD_CONF.format(host=HOST, port=port))
    bird = w.Proc([BIRD, "-f", "-c", bconf, "-s", bsock, "-P",
                   os.path.join(bdir, "pid")], name="bird")
    procs.append(bird)
    wait_bird(bsock, family_counts(A), 20, "initial set")

    # --- Serial Query with the current serial: an empty delta
    r = c2.serial()
    check(r.kind == "data" and not r.payload and r.eod.serial == s0 and
          [p.type for p in r.pdus if p.type != w.SERIAL_NOTIFY] ==
          [w.CACHE_RESPONSE, w.END_OF_DATA],
          "Serial Query with the current serial -> Cache Response + End of "
          "Data", f"{r.kind} {r.pdus}")

    # --- the file changes: B
    B = mutate(A, 11)
    aspas = [a for a in B.aspas if a["ta"] != "ripe" or
             a["customer_asid"] != 64500]          # union shrinks
    aspas = [a for a in aspas if a["customer_asid"] != 4200000002]
    for a in aspas:
        if a["customer_asid"] == 64501:
            a["providers"] = [3356, 174, 6461]     # replaced
    aspas.append({"customer_asid": 64502, "providers": [0], "ta": "arin"})
    B.aspas = aspas
    B.keys = [B.keys[0], dict(B.keys[0], ta="arin"),
              {"asn": 64498, "ski": "00" * 19 + "01",
               "pubkey": B.keys[1]["pubkey"], "ta": "lacnic"}]
    s1 = change_file(vrpd, path, B, "A -> B")
    check(s1 == -1 or s1 == (s0 + 1) & 0xffffffff, "serial A -> B is +1",
          f"{s0} -> {s1}")

    # rtrclient -p follows with exactly the difference
    (padd, prem), (kadd, krem) = vrp_diff(A, B)
    # (it polls every 2 s: earlier lines of the old serial may come first)
    m = follower.wait(rf"Sync successful.*SN: {(s0 + 1) & 0xffffffff}\b",
                      15, since=err_mark, err=True)
    check(m is not None, "rtrclient -p synced the new serial",
          follower.text(since=err_mark, err=True)[-1500:])
    time.sleep(0.3)
    pfx, keys = parse_rtrclient_updates(follower.lines[out_mark:])
    got_add = [i for s, i in pfx if s == "+"]
    got_rem = [i for s, i in pfx if s == "-"]
    check(set(got_add) == padd and set(got_rem) == prem and
          len(got_add) == len(padd) and len(got_rem) == len(prem),
          f"rtrclient -p: updates equal the difference (+{len(padd)} "
          f"-{len(prem)})",
          f"+{w.diff_sets('added', set(got_add), padd)} "
          f"-{w.diff_sets('removed', set(got_rem), prem)}")
    kgot_add = {i for s, i in keys if s == "+"}
    kgot_rem = {i for s, i in keys if s == "-"}
    check(kgot_add == kadd and kgot_rem == krem and
          len(keys) == len(kadd) + len(krem),
          f"rtrclient -k: key updates equal the difference (+{len(kadd)} "
          f"-{len(krem)})", f"got {keys}")
    # ... through a delta, not a reset
    # "delta to M" in the contract's example, "delta: serial M" as built.
    delta = vrpd.grep(rf"rtr: 127\.0\.0\.2:\d+: serial query {s0}: delta"
                      rf"(?: to|: serial) {(s0 + 1) & 0xffffffff}\b")
    resets = vrpd.grep(r"rtr: 127\.0\.0\.2:\d+: reset query")
    check(delta and len(resets) == 1,
          "vrpd served rtrclient a Serial Query delta and no second reset",
          f"delta lines {delta}, reset lines {resets}\n" +
          "\n".join(vrpd.grep(r"127\.0\.0\.2")))

    # rtr_wire deltas on every version
    for v, c in clients.items():
        old = c.state.serial
        r = c.serial()
        check_delta(c, r, B, v, f"rtr_wire v{v} A -> B", old)
        if v == 2:
            got = {p.customer: (p.announce, p.providers)
                   for p in r.payload if p.type == w.ASPA}
            want = {64500: (True, (65001, 65002, 4200000001)),
                    64501: (True, (174, 3356, 6461)),
                    64502: (True, (0,)),
                    4200000002: (False, ())}
            check(got == want, "v2 delta: ASPA replaced, added and "
                  "withdrawn per customer", f"got {got}")
        if v == 0:
            check(len(r.eod.raw) == 12, "v0 delta: 12-byte End of Data")
    wait_bird(bsock, family_counts(B), 20, "after A -> B")

    # --- XOR 2^31: RFC 1982 cannot compare it; Cache Reset, not data
    cur = c2.state.serial
    r = c2.serial(serial=cur ^ 0x80000000)
    check(r.kind == "reset" and len(r.pdus) == 1,
          "Serial Query with serial XOR 2^31 -> Cache Reset",
          f"{r.kind} {r.pdus}")

    # --- a serial ahead of the cache's cannot be served: Cache Reset
    r = c2.serial(serial=(cur + 1) & 0xffffffff)
    check(r.kind == "reset", "Serial Query with a future serial -> Cache "
          "Reset (8210bis s.5.3: cannot provide the data)",
          f"{r.kind} {r.pdus}")

    # --- two queries in one write are both answered, in order
    c2.send(w.serial_query(2, session, cur) * 2)
    r1, r2 = c2.read_response(), c2.read_response()
    check(r1.kind == r2.kind == "data" and not r1.payload and
          not r2.payload and r1.eod.serial == r2.eod.serial == cur,
          "two pipelined Serial Queries: two empty deltas",
          f"{r1.kind} {r1.pdus} / {r2.kind} {r2.pdus}")

    # --- more changes: C withdraws X, D brings X back, E adds Y. The
    # delta B -> E must not mention X at all (8210bis s.5.3).
    x = B.roas[0]
    xnet, xplen = w.canon_prefix(x["prefix"]), int(x["prefix"].split("/")[1])
    xml = xplen if x["maxLength"] is None else x["maxLength"]

    def is_x(r):
        ml = r["maxLength"]
        return (r["prefix"], r["asn"], xplen if ml is None else
                ml) == (x["prefix"], x["asn"], xml)
    C = B.copy()
    C.roas = [r for r in C.roas if not is_x(r)]
    D = C.copy()
    D.roas.append(dict(x))
    E = D.copy()
    E.roas.append({"asn": 64511, "prefix": "192.0.2.0/24", "maxLength": 24,
                   "ta": "arin"})
    E.roas.append({"asn": 64511, "prefix": "2001:db8::/32", "maxLength": 48,
                   "ta": "arin"})
    s_b = c2.state.serial
    for name, ds in (("B -> C", C), ("C -> D", D), ("D -> E", E)):
        change_file(vrpd, path, ds, name)
    c1 = clients[1]
    r = c1.serial()
    check_delta(c1, r, E, 1, "rtr_wire v1 B -> E (three serials)", s_b)
    mentioned = [p for p in r.payload if p.type in (w.IPV4_PREFIX,
                                                    w.IPV6_PREFIX) and
                 p.prefix == xnet and p.asn == x["asn"]]
    check(len(r.payload) == 2 and not mentioned,
          "B -> E delta is merged: the withdrawn-and-restored VRP is not "
          "mentioned, only the two new ones are",
          f"{r.payload}")
    # s0 is four serials back with --rtr-history 3
    r = c2.serial(serial=s0)
    check(r.kind == "reset",
          "Serial Query older than --rtr-history -> Cache Reset",
          f"{r.kind} {r.pdus}")
    r = c2.reset()
    check_full(c2, r, E, 2, "rtr_wire v2 after Cache Reset")
    wait_bird(bsock, family_counts(E), 20, "after B -> E")
    session_id_checks(port, session, c2.state.serial)
    for c in clients.values():
        c.close()
    final_serial = c2.state.serial

    bird.stop(15)
    follower.stop(15)
    rc = vrpd.stop()
    check(rc == 0, "vrpd exits 0 on SIGTERM", f"exit {rc}")

    # --- restarts keep session id and serial (--rtr-state)
    vrpd = w.Vrpd(VRPD, path, "--rtr-state", state, *TIMERS,
                  name="vrpd-restart")
    procs.append(vrpd)
    c, r = w.sync(HOST, vrpd.port, 2, negotiate=False)
    with c:
        check(r.kind == "data" and (c.state.session, c.state.serial) ==
              (session, final_serial),
              "restart, same file: same session id and serial",
              f"{(c.state.session, c.state.serial)} != "
              f"{(session, final_serial)}")
        check(not w.compare_state(c.state, E, 2), "restart: same set")
    check(vrpd.stop() == 0, "vrpd exits 0 on SIGTERM")
    F = E.copy()
    F.roas.append({"asn": 64512, "prefix": "198.51.100.0/24",
                   "maxLength": 24, "ta": "apnic"})
    F.write(path)
    # This one also listens on [::1] (contract: IPv6 listeners).
    vrpd = w.Vrpd(VRPD, path, "--rtr-state", state, *TIMERS,
                  "--rtr-listen", "[::1]:0", name="vrpd-restart2")
    procs.append(vrpd)
    m = vrpd.wait(r"rtr: listening on \[::1\]:(\d+)", 5)
    if check(m is not None, "listening on [::1] too",
             vrpd.text()[-1000:]):
        c, r = w.sync("::1", int(m.group(1)), 2, negotiate=False)
        with c:
            check(r.kind == "data" and not w.compare_state(c.state, F, 2),
                  "the set over IPv6 transport equals the file")
    c, r = w.sync(HOST, vrpd.port, 2, negotiate=False)
    with c:
        check(r.kind == "data" and (c.state.session, c.state.serial) ==
              (session, (final_serial + 1) & 0xffffffff),
              "restart, changed file: same session id, serial + 1",
              f"{(c.state.session, c.state.serial)}, before "
              f"{(session, final_serial)}")
        check(not w.compare_state(c.state, F, 2), "restart: the new set")
    check(vrpd.stop() == 0, "vrpd exits 0 on SIGTERM")

    # --- rtrclient over v0
    rtrclient_v0(tmp, path, F)
    print(f"took {time.monotonic() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
