#!/usr/bin/env python3
"""The daemon: validation cycles served over RTR, and restarts.

The "good" fixture is served over HTTPS on 127.0.0.1 (generation 1, then
2). vrpd (no --once) must:
- validate on start, write --output, log "validation cycle complete" and
  serve exactly generation 1's VRPs to rtrlib's rtrclient;
- answer every vrpctl command over its control socket, and serve
  /metrics (Prometheus text), /status and the validity API over HTTP;
- on its next periodic cycle (--refresh 10) serve generation 2 as a new
  serial, and a connected `rtrclient -p` must receive exactly the change;
- validate at once on SIGUSR1;
- after a restart, serve the saved set at once, while the new cycle is
  still stuck on a repository server that accepts and never answers, and
  stop promptly with status 0 on SIGTERM in the middle of that cycle.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import once_rrdp as rr  # noqa: E402
import rtr_wire as w  # noqa: E402
from testlib import check, finish  # noqa: E402

VRPD = os.environ.get("VRPD", rr.VRPD)
VRPCTL = os.path.join(os.path.dirname(VRPD), "vrpctl")
REFRESH = 10


def vrps_of_csv(text):
    """The (asn, prefix, maxlen) triples of a vrpd/expected CSV."""
    out = set()
    for line in text.splitlines()[1:]:
        asn, prefix, maxlen = line.split(",")[:3]
        out.add((int(asn[2:]), prefix, int(maxlen)))
    return out


def exported(port, path):
    """The prefixes rtrclient ends with after a full sync."""
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run(["rtrclient", "-e", "-t", "csv", "-o", path, "tcp",
                    "127.0.0.1", str(port)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=30)
    out = set()
    with open(path) as f:
        for line in f:
            parts = [p.strip() for p in line.split(",")]
            if len(parts) != 4 or not parts[1].isdigit():
                continue
            addr, plen, maxlen, asn = parts
            out.add((int(asn) & 0xffffffff, f"{addr}/{plen}", int(maxlen)))
    return out


def updates(proc, since):
    """rtrclient -p's +/- lines after since, as (sign, (asn, pfx, max))."""
    rx = re.compile(r"^([+-])\s+(\S+)\s+(\d+)\s+-\s+(\d+)\s+(\d+)")
    got = []
    for line in proc.grep(r"^[+-] ", since):
        m = rx.match(line)
        if m:
            got.append((m.group(1), (int(m.group(5)) & 0xffffffff,
                                     f"{m.group(2)}/{m.group(3)}",
                                     int(m.group(4)))))
    return got


def vrpctl(sock, *args):
    r = subprocess.run([VRPCTL, "--socket", sock, *args],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, timeout=30)
    return r.returncode, r.stdout, r.stderr


def admin(v, sock, case):
    """Every vrpctl command against the running daemon."""
    csv = rr.expected(case, "gen1")
    rows = [l.split(",") for l in csv.splitlines()[1:]]
    tas = sorted(set(r[3] for r in rows))
    rc, out, err = vrpctl(sock, "count")
    check(rc == 0 and f"VRPs:        {len(rows)} " in out and
          all(f"  {ta} " in out for ta in tas),
          "vrpctl count: the total and every TA", out + err)
    print(out, end="", flush=True)
    rc, out, err = vrpctl(sock, "count", "--json")
    try:
        j = json.loads(out)
        ok = rc == 0 and j["vrps"] == len(rows) and \
            sum(t["vrps"] for t in j["tas"].values()) == len(rows)
    except (ValueError, KeyError):
        ok = False
    check(ok, "vrpctl count --json agrees", out + err)
    asn, prefix, maxlen, ta = rows[0]
    rc, out, err = vrpctl(sock, "check", asn, prefix)
    check(rc == 0 and ": valid" in out and f"{prefix}-{maxlen} {asn} ({ta})"
          in out, "vrpctl check: valid, with the matching VRP", out + err)
    print(out, end="", flush=True)
    rc, out, err = vrpctl(sock, "check", "AS4294967294", prefix)
    check(rc == 1 and ": invalid" in out, "vrpctl check: invalid (exit 1)",
          out + err)
    rc, out, err = vrpctl(sock, "check", "AS1", "203.0.113.0/24")
    check(rc == 2 and ": not-found" in out,
          "vrpctl check: not-found (exit 2)", out + err)
    rc, out, err = vrpctl(sock, "check", "AS1", "203.0.113.1/24")
    check(rc == 3 and "host bits" in err, "vrpctl check: a bad prefix named",
          out + err)
    rc, out, err = vrpctl(sock, "dump")
    check(rc == 0 and out == csv, "vrpctl dump equals --output csv",
          out[:300] + err)
    rc, out, err = vrpctl(sock, "dump", "--format", "json")
    check(rc == 0 and out.startswith('{"metadata"'), "vrpctl dump json",
          out[:200] + err)
    rc, out, err = vrpctl(sock, "status")
    check(rc == 0 and "serial:" in out and "routers:     1" in out and
          "version 1, serial" in out and "cycles:" in out,
          "vrpctl status: serial, last cycle, the connected router",
          out + err)
    print(out, end="", flush=True)
    mark = v.mark()
    rc, out, err = vrpctl(sock, "reload")
    check(rc == 0 and v.wait(r"validation cycle complete", 60, since=mark),
          "vrpctl reload runs a cycle", out + err)
    rc, out, err = vrpctl(sock + ".missing", "count")
    check(rc == 3 and "not running" in err and len(err.splitlines()) == 1,
          "vrpctl without a daemon: one line, exit 3", err)


def daemon(tals, cache, ca, out, *extra):
    v = w.Proc([VRPD, "--tal-dir", tals, "--cache-dir", cache,
                "--ca-file", ca, "--now", rr.EVAL, "--rtr-listen",
                "127.0.0.1:0", "--refresh", str(REFRESH), "--output",
                f"csv:{out}", "--socket", os.path.join(cache, "control.sock"),
                "--foreground", "--http-listen", "127.0.0.1:0", "--no-rsync",
                "--verbose",
                *extra], name="vrpd")
    m = v.wait(r"rtr: listening on 127\.0\.0\.1:(\d+)", 20)
    h = v.wait(r"http: listening on .*\(port (\d+)\)", 20)
    if not m or not h:
        v.stop(9)
        sys.exit(f"vrpd did not listen:\n{v.text()}")
    v.port = int(m.group(1))
    v.http = int(h.group(1))
    return v


def http_get(v, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{v.http}{path}",
                                timeout=10) as r:
        return r.status, r.headers.get("Content-Type"), r.read().decode()


def http(v, case):
    """/metrics as Prometheus text, /status, the validity API."""
    rows = [l.split(",") for l in
            rr.expected(case, "gen1").splitlines()[1:]]
    st, ctype, body = http_get(v, "/metrics")
    helps, types, samples = set(), set(), {}
    bad = []
    for line in body.splitlines():
        if line.startswith("# HELP "):
            helps.add(line.split()[2])
        elif line.startswith("# TYPE "):
            types.add(line.split()[2])
        else:
            m = re.match(r'^([a-z_]+)(\{[^}]*\})? (\S+)$', line)
            if not m:
                bad.append(line)
                continue
            float(m.group(3))
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    names = set(k.split("{")[0] for k in samples)
    total = sum(val for k, val in samples.items()
                if k.startswith("vrpd_vrps{"))
    check(st == 200 and "text/plain" in ctype and not bad and
          names <= helps and names <= types and total == len(rows) and
          samples.get("vrpd_rtr_routers") == 1,
          "/metrics: Prometheus text, VRPs per TA add up, 1 router",
          f"{bad[:3]} {names - helps} {total}")
    print("\n".join(body.splitlines()[:12]), flush=True)
    st, ctype, body = http_get(v, "/status")
    check(st == 200 and "text/html" in ctype and "serial" in body.lower()
          and rows[0][3] in body, "/status: an HTML page with the serial")
    asn, prefix, maxlen, ta = rows[0]
    st, ctype, body = http_get(v, f"/api/v1/validity/{asn}/{prefix}")
    j = json.loads(body)
    check(st == 200 and j["validity"]["state"] == "valid" and
          j["validity"]["VRPs"]["matched"][0]["ta"] == ta,
          "validity API: valid", body)
    st, ctype, body = http_get(v, f"/api/v1/validity/AS4294967294/{prefix}")
    check(json.loads(body)["validity"]["state"] == "invalid",
          "validity API: invalid", body)
    st, ctype, body = http_get(v, "/api/v1/validity/AS1/203.0.113.0/24")
    check(json.loads(body)["validity"]["state"] == "not-found",
          "validity API: not-found", body)
    try:
        http_get(v, "/api/v1/validity/AS1/203.0.113.1/24")
        check(False, "validity API: a bad prefix gets 400")
    except urllib.error.HTTPError as e:
        check(e.code == 400, f"validity API: a bad prefix gets {e.code}")


def cycles(v, case, www, tals, cache, ca, out, work):
    gen1 = vrps_of_csv(rr.expected(case, "gen1"))
    gen2 = vrps_of_csv(rr.expected(case, "gen2"))
    csv = os.path.join(work, "export.csv")
    m = v.wait(r"validation cycle complete: .*serial (\d+)", 120)
    if not check(m is not None, "first cycle completes", v.text()[-2000:]):
        return
    first = int(m.group(1))
    check(vrps_of_csv(open(out).read()) == gen1,
          "--output csv is generation 1's VRPs")
    check(exported(v.port, csv) == gen1,
          "rtrclient ends with generation 1's VRPs")

    client = w.Proc(["stdbuf", "-oL", "rtrclient", "-p", "tcp",
                     "127.0.0.1", str(v.port)], name="rtrclient")
    try:
        deadline = time.monotonic() + 20
        while len(updates(client, 0)) < len(gen1) and \
                time.monotonic() < deadline:
            time.sleep(0.2)
        check(set(p for s, p in updates(client, 0) if s == "+") == gen1,
              "a connected rtrclient holds generation 1")
        admin(v, os.path.join(cache, "control.sock"), case)
        http(v, case)
        mark = client.mark()
        vmark = v.mark()
        os.unlink(www)
        os.symlink(os.path.join(case, "gen2", "https"), www)
        m = v.wait(r"validation cycle complete: .*serial (\d+)",
                   REFRESH + 60, since=vmark)
        check(m is not None and int(m.group(1)) == first + 1,
              "the periodic cycle publishes generation 2 as the next serial",
              v.text(vmark)[-2000:])
        want = [("+", p) for p in gen2 - gen1] + \
            [("-", p) for p in gen1 - gen2]
        deadline = time.monotonic() + 10
        while len(updates(client, mark)) < len(want) and \
                time.monotonic() < deadline:
            time.sleep(0.2)
        got = updates(client, mark)
        check(sorted(got) == sorted(want) and want,
              f"the connected rtrclient receives exactly the change "
              f"({len(want)} updates)", f"got {got[:5]} want {want[:5]}")
        check(v.wait(r"serial query \d+: delta", 5, since=vmark) is not None,
              "the change went as a delta")
        check(vrps_of_csv(open(out).read()) == gen2,
              "--output csv is rewritten with generation 2")
    finally:
        client.stop()

    vmark = v.mark()
    v.p.send_signal(signal.SIGUSR1)
    check(v.wait(r"SIGUSR1", 5, since=vmark) is not None and
          v.wait(r"validation cycle complete: unchanged", 60,
                 since=vmark) is not None,
          "SIGUSR1 runs a cycle at once")
    repositories(v, case, www, os.path.join(cache, "control.sock"), work)


def repositories(v, case, www, sock, work):
    """Each repository's state in vrpctl status, /metrics and /status."""
    st, _, body = http_get(v, "/metrics")
    up = re.findall(r'^vrpd_repository_up\{uri="([^"]+)"\} (\d)$', body,
                    re.M)
    check(len(up) == 3 and all(x[1] == "1" for x in up),
          "/metrics: every repository up", body[-1500:])
    empty = os.path.join(work, "empty")
    os.makedirs(empty, exist_ok=True)
    os.unlink(www)
    os.symlink(empty, www)
    mark = v.mark()
    v.p.send_signal(signal.SIGUSR1)
    check(v.wait(r"validation cycle complete", 60, since=mark) is not None,
          "a cycle with every repository gone completes (kept copies)")
    rc, out, err = vrpctl(sock, "status")
    check(rc == 0 and "repositories: 3, 3 not up to date" in out and
          out.count("last up to date: 20") == 3,
          "vrpctl status: the failing repositories and their last success",
          out)
    print(out, end="", flush=True)
    time.sleep(1.5)  # the HTTP numbers are refreshed every second
    st, _, body = http_get(v, "/metrics")
    down = re.findall(r'^vrpd_repository_up\{uri="[^"]+"\} 0$', body, re.M)
    check(len(down) == 3, "/metrics: the three repositories down")
    st, _, body = http_get(v, "/status")
    check("3 not up to date" in body and "notification.xml" in body,
          "/status lists the failing repositories")
    os.unlink(www)
    os.symlink(os.path.join(case, "gen2", "https"), www)


def restart(case, port, tals, cache, ca, out, work, server):
    """A restart serves the saved set while validation hangs."""
    gen2 = vrps_of_csv(rr.expected(case, "gen2"))
    server.send_signal(signal.SIGTERM)
    server.wait()
    hole = socket.socket()
    hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hole.bind(("127.0.0.1", int(port)))
    hole.listen(64)  # connections complete, nobody ever answers
    v = daemon(tals, cache, ca, out)
    try:
        check(v.wait(r"serving the saved set .*serial", 10) is not None,
              "restart: the saved set is served at once", v.text()[-1500:])
        csv = os.path.join(work, "export2.csv")
        check(exported(v.port, csv) == gen2,
              "restart: rtrclient gets the saved set before revalidation")
        check(not v.grep(r"validation cycle complete"),
              "restart: the new cycle was still running meanwhile")
        t0 = time.monotonic()
        rc = v.stop()
        took = time.monotonic() - t0
        check(rc == 0 and took < 5,
              f"SIGTERM mid-cycle: exit {rc} after {took:.1f} s")
    finally:
        v.stop(9)
        hole.close()


def privileges(tals, ca, work):
    """--user and --pid-file: root given up once the sockets are bound."""
    if os.geteuid() != 0:
        print("not root: --user not tested", flush=True)
        return
    import pwd
    nobody = pwd.getpwnam("nobody").pw_uid
    # The CA file is read at every fetch, after root is given up.
    os.chmod(work, 0o755)
    cache = os.path.join(work, "cache-nobody")
    # Where --user can remove it: the cache is handed over.
    pid = os.path.join(cache, "vrpd.pid")
    v = daemon(tals, cache, ca, os.path.join(work, "nobody.csv"),
               "--user", "nobody", "--pid-file", pid)
    try:
        check(v.wait(r"validation cycle complete", 60) is not None,
              "--user nobody: a cycle completes in the handed-over cache",
              v.text()[-1500:])
        uid = [l.split()[1] for l in open(f"/proc/{v.p.pid}/status")
               if l.startswith("Uid:")][0]
        check(int(uid) == nobody, f"--user nobody: running as uid {uid}")
        check(open(pid).read().strip() == str(v.p.pid),
              "--pid-file holds the pid")
        second = subprocess.run(
            [VRPD, "--foreground", "--tal-dir", tals, "--cache-dir",
             os.path.join(work, "other"), "--rtr-listen", "127.0.0.1:0",
             "--socket", os.path.join(work, "other.sock"), "--pid-file",
             pid], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, timeout=30)
        check(second.returncode != 0 and "another vrpd is running" in
              second.stdout, "a second vrpd on the same pid file refuses",
              second.stdout[-500:])
    finally:
        rc = v.stop()
    check(rc == 0 and not os.path.exists(pid),
          f"--user daemon exits 0 and removes its pid file ({rc})")


def detached(tals, work):
    """Without --foreground: errors while starting reach the terminal."""
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    base = [VRPD, "--tal-dir", tals, "--no-http", "--refresh", "3600",
            "--mirror", os.path.join(work, "empty")]
    os.makedirs(os.path.join(work, "empty"), exist_ok=True)
    pid = os.path.join(work, "detached.pid")
    sock = os.path.join(work, "detached.sock")
    try:
        r = subprocess.run(
            base + ["--cache-dir", os.path.join(work, "cache-busy"),
                    "--socket", sock, "--rtr-listen", f"127.0.0.1:{port}",
                    "--pid-file", pid],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=30)
    finally:
        busy.close()
    check(r.returncode == 1 and f"127.0.0.1:{port}" in r.stdout and
          not os.path.exists(pid),
          "detaching vrpd on a busy port says so and exits 1",
          f"rc {r.returncode}: {r.stdout[-500:]}")
    r = subprocess.run(
        base + ["--cache-dir", os.path.join(work, "cache-detached"),
                "--socket", sock, "--rtr-listen", "127.0.0.1:0",
                "--pid-file", pid],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=30)
    check(r.returncode == 0 and os.path.exists(pid),
          "detaching vrpd exits 0 once serving, leaving its pid file",
          f"rc {r.returncode}: {r.stdout[-500:]}")
    daemon_pid = int(open(pid).read())
    rc, out, err = vrpctl(sock, "status")
    check(rc == 0 and "serial" in out, "the detached daemon answers vrpctl",
          out[-300:] + err[-300:])
    os.kill(daemon_pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while os.path.exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    check(not os.path.exists(pid), "SIGTERM: the pid file is removed")


def main():
    work = tempfile.mkdtemp(prefix="vrpd-daemon-")
    server = None
    v = None
    try:
        ca, crt, key = rr.make_tls(work)
        www = os.path.join(work, "www")
        port_file = os.path.join(work, "port")
        server = subprocess.Popen(
            [rr.PY, rr.SERVER, "--docroot", www, "--cert", crt, "--key", key,
             "--port-file", port_file, "--lifetime", "600"],
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file) or \
                not open(port_file).read().strip():
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("test HTTPS server did not start")
            time.sleep(0.05)
        port = open(port_file).read().strip()
        repos = os.path.join(work, "repos")
        r = rr.run([rr.PY, rr.GEN, "--out", repos, "--cases", "good",
                    "--time", rr.EVAL, "--https-authority",
                    f"127.0.0.1:{port}"])
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        case = os.path.join(repos, "good")
        tals = os.path.join(case, "tals")
        cache = os.path.join(work, "cache")
        out = os.path.join(work, "vrps.csv")
        os.symlink(os.path.join(case, "gen1", "https"), www)
        v = daemon(tals, cache, ca, out)
        cycles(v, case, www, tals, cache, ca, out, work)
        rc = v.stop()
        check(rc == 0, f"vrpd exits 0 on SIGTERM between cycles ({rc})")
        bad = v.grep(r"ERROR: AddressSanitizer|runtime error:")
        check(not bad, "no sanitizer report", "\n".join(bad[:5]))
        v = None
        detached(tals, work)
        privileges(tals, ca, work)
        restart(case, port, tals, cache, ca, out, work, server)
        server = None
    finally:
        if v is not None:
            v.stop(9)
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
