#!/usr/bin/env python3
"""vrpd --once from TALs alone: RRDP over HTTPS on 127.0.0.1.

The fixture generator writes the "good" repository for a test server's
address; fixtures/serve_https.py serves its first generation, then its
second. vrpd must find generation 1's expected VRPs from an empty cache,
then generation 2's through deltas (the server's log must show no
snapshot fetched the second time), then nothing new when nothing changed
(only notification files fetched). A notification whose snapshot is on
another origin, and a snapshot whose hash is wrong, must leave the last
good copy in place.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from testlib import EVAL, GEN, PY, SRC, VRPD, fail, finish

SERVER = os.path.join(SRC, "fixtures", "serve_https.py")


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, errors="replace", timeout=600)


def make_tls(d):
    """A test CA and a certificate for 127.0.0.1 signed by it."""
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, crt = (os.path.join(d, n) for n in ("srv.key", "srv.csr",
                                                  "srv.pem"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n"
                "basicConstraints=critical,CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    for cmd in (
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-keyout", ca_key, "-out", ca, "-subj", "/CN=vrpd rrdp test CA",
         "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
         "-out", csr, "-subj", "/CN=127.0.0.1"],
        ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
         "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext],
    ):
        r = run(cmd)
        if r.returncode != 0:
            sys.exit(f"TLS setup failed: {' '.join(cmd)}\n{r.stderr}")
    return ca, crt, key


def vrpd(tals, cache, ca, label):
    r = run([VRPD, "--once", "--tal-dir", tals, "--cache-dir", cache,
             "--ca-file", ca, "--now", EVAL, "--output", "csv:-"])
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    print(f"{label}: {last}", flush=True)
    if r.returncode != 0:
        fail(f"{label}: vrpd exited {r.returncode}:\n{r.stderr}")
    return r.stdout, r.stderr


def requests(log_path, since):
    """The paths the server was asked for after offset since."""
    with open(log_path) as f:
        f.seek(since)
        return [l for l in f.read().splitlines() if '"GET ' in l]


def expected(case, gen):
    with open(os.path.join(case, gen, "expected", "vrps.csv")) as f:
        return f.read()


def main():
    work = tempfile.mkdtemp(prefix="vrpd-rrdp-")
    server = None
    try:
        ca, crt, key = make_tls(work)
        www = os.path.join(work, "www")
        port_file = os.path.join(work, "port")
        log_path = os.path.join(work, "server.log")
        server = subprocess.Popen(
            [PY, SERVER, "--docroot", www, "--cert", crt, "--key", key,
             "--port-file", port_file, "--lifetime", "600"],
            stderr=open(log_path, "w"))
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file) or \
                not open(port_file).read().strip():
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("test HTTPS server did not start")
            time.sleep(0.05)
        port = open(port_file).read().strip()
        repos = os.path.join(work, "repos")
        r = run([PY, GEN, "--out", repos, "--cases", "good", "--time", EVAL,
                 "--https-authority", f"127.0.0.1:{port}"])
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        case = os.path.join(repos, "good")
        tals = os.path.join(case, "tals")
        cache = os.path.join(work, "cache")

        os.symlink(os.path.join(case, "gen1", "https"), www)
        out, err = vrpd(tals, cache, ca, "gen1, empty cache")
        if out != expected(case, "gen1"):
            fail("generation 1 from an empty cache: VRPs differ")

        os.unlink(www)
        os.symlink(os.path.join(case, "gen2", "https"), www)
        mark = os.path.getsize(log_path)
        out, err = vrpd(tals, cache, ca, "gen2, deltas")
        if out != expected(case, "gen2"):
            fail("generation 2: VRPs differ")
        got = requests(log_path, mark)
        if any("snapshot" in l for l in got):
            fail("generation 2 fetched a snapshot again:\n" + "\n".join(got))
        if not any("delta" in l for l in got):
            fail("generation 2 fetched no delta:\n" + "\n".join(got))

        mark = os.path.getsize(log_path)
        out, err = vrpd(tals, cache, ca, "gen2 again, unchanged")
        if out != expected(case, "gen2"):
            fail("unchanged rerun: VRPs differ")
        got = requests(log_path, mark)
        if any("notification.xml" not in l and ".cer" not in l
               for l in got):
            fail("unchanged rerun fetched more than notification files and "
                 "TA certificates:\n" + "\n".join(got))

        hostile(case, www, tals, cache, ca, port)
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return finish()


def hostile(case, www, tals, cache, ca, port):
    """Broken notifications: the last good copy (generation 2) stays."""
    bad = os.path.join(os.path.dirname(www), "bad-https")
    shutil.copytree(os.path.join(case, "gen2", "https"), bad, symlinks=True)
    notes = [os.path.join(r, f) for r, _, fs in os.walk(bad) for f in fs
             if f == "notification.xml"]
    for name, edit, want_log in (
        ("snapshot on another origin",
         lambda s, p: s.replace(f"https://127.0.0.1:{port}/",
                                "https://127.0.0.2:1/", 1),
         "the last good copy stays"),
        ("new session with a wrong snapshot hash",
         lambda s, p: wrong_hash(new_session(s)),
         "the last good copy stays"),
        # RFC 9697: an applied delta listed with another hash means the
        # server's history changed: re-sync from the (good) snapshot.
        ("an applied delta with a new hash", changed_delta, "RFC 9697"),
        # The serial goes back within the session: the snapshot is tried,
        # and its serial does not match the notification's.
        ("serial going backwards", serial_back, "the last good copy stays"),
        ("notification gone (HTTP 404)", None, "HTTP 404"),
        ("a snapshot publishing outside the namespace", outside_namespace,
         "outside the repository's namespace"),
    ):
        for n in notes:
            with open(n) as f:
                text = f.read()
            with open(n + ".orig", "w") as f:
                f.write(text)
            if edit is None:
                os.unlink(n)
            else:
                with open(n, "w") as f:
                    f.write(edit(text, n))
        os.unlink(www)
        os.symlink(bad, www)
        out, err = vrpd(tals, cache, ca, name)
        if out != expected(case, "gen2"):
            fail(f"{name}: the last good copy was not kept")
        if want_log not in err:
            fail(f"{name}: '{want_log}' is not logged:\n{err}")
        for n in notes:
            os.replace(n + ".orig", n)
    missing_delta(case, www, tals, ca)


def missing_delta(case, www, tals, ca):
    """A delta the notification lists is gone: the snapshot is used."""
    cache = os.path.join(os.path.dirname(www), "cache-missing-delta")
    os.unlink(www)
    os.symlink(os.path.join(case, "gen1", "https"), www)
    vrpd(tals, cache, ca, "missing delta: generation 1")
    gone = os.path.join(os.path.dirname(www), "gone-https")
    shutil.copytree(os.path.join(case, "gen2", "https"), gone, symlinks=True)
    deltas = [os.path.join(r, f) for r, _, fs in os.walk(gone) for f in fs
              if f == "delta.xml"]
    for d in deltas:
        os.unlink(d)
    os.unlink(www)
    os.symlink(gone, www)
    out, err = vrpd(tals, cache, ca, "missing delta: generation 2")
    if not deltas:
        fail("generation 2 has no deltas to remove: the test proves nothing")
    if out != expected(case, "gen2"):
        fail("a missing delta: the snapshot did not bring generation 2")
    if "falling back to the snapshot" not in err:
        fail(f"a missing delta: the fallback is not logged:\n{err}")


def serial_back(text, path):
    import re
    return re.sub(r'(<notification [^>]*serial=")(\d+)"',
                  lambda m: m.group(1) + "1\"", text, count=1)


def outside_namespace(text, path):
    """A new session whose (well-hashed) snapshot publishes elsewhere."""
    import hashlib
    import re
    m = re.search(r'<snapshot [^>]*uri="https://[^/]+/([^"]+)"', text)
    # The snapshot's path is relative to the server's authority directory.
    parts = path.split(os.sep)
    base = os.sep.join(parts[:parts.index("bad-https") + 2])
    src = os.path.join(base, m.group(1))
    with open(src) as f:
        snapshot = f.read()
    new = "00000000-0000-4000-8000-000000000001"
    snapshot = re.sub(r'session_id="[0-9a-f-]+"', f'session_id="{new}"',
                      snapshot, count=1)
    snapshot = snapshot.replace(
        "</snapshot>",
        '<publish uri="rsync://evil.example/other/x.roa">AAAA</publish>'
        "</snapshot>")
    out = src + ".evil.xml"
    with open(out, "w") as f:
        f.write(snapshot)
    digest = hashlib.sha256(snapshot.encode()).hexdigest()
    text = re.sub(r'session_id="[0-9a-f-]+"', f'session_id="{new}"', text,
                  count=1)
    text = re.sub(r'(<snapshot [^>]*uri=")([^"]+)(")',
                  lambda k: k.group(1) + k.group(2) + ".evil.xml" + k.group(3),
                  text, count=1)
    return re.sub(r'(<snapshot [^>]*hash=")([0-9a-fA-F]+)(")',
                  lambda k: k.group(1) + digest + k.group(3), text, count=1)


def changed_delta(text, path=None):
    import re
    return re.sub(r'(<delta [^>]*hash=")([0-9a-fA-F])',
                  lambda m: m.group(1) + ("0" if m.group(2) != "0" else "1"),
                  text, count=1)


def new_session(text, path=None):
    import re
    return re.sub(r'session_id="[0-9a-f-]+"',
                  'session_id="00000000-0000-4000-8000-000000000000"', text,
                  count=1)


def wrong_hash(text, path=None):
    import re
    return re.sub(r'(<snapshot [^>]*hash=")([0-9a-fA-F])',
                  lambda m: m.group(1) + ("0" if m.group(2) != "0" else "1"),
                  text, count=1)


if __name__ == "__main__":
    sys.exit(main())
