#!/usr/bin/env python3
"""Proof that the generated repositories are real: rpki-client and FORT,
fetching them over HTTPS from 127.0.0.1, must output the VRPs the generator
expects for the good repository, in both of its generations (the second
through RRDP deltas). For every broken case the test records what each tool
did; a difference from the expected outcome must be listed, with its
reason, in fixtures/peer-differences.txt, or the test fails.
"""

import csv
import io
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from testlib import EVAL, GEN, SRC, fail, failures, finish

PY = os.environ.get("PYTHON", "/usr/bin/python3")
SERVER = os.path.join(SRC, "fixtures", "serve_https.py")
KNOWN = os.path.join(SRC, "fixtures", "peer-differences.txt")
FAKETIME = "@2026-06-01 00:00:00"
PEER_TIMEOUT = 120


def log(msg):
    print(msg, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=PEER_TIMEOUT, **kw)


def make_tls(d):
    """A test CA and a server certificate for 127.0.0.1, valid around EVAL.

    Made under faketime because the peers run under faketime too and
    OpenSSL's command line cannot set a start date in the past."""
    ft = ["faketime", "2020-01-01 00:00:00"]
    ca_key, ca = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    key, csr, crt = (os.path.join(d, n) for n in ("srv.key", "srv.csr", "srv.pem"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,IP:::1\n"
                "basicConstraints=critical,CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n")
    steps = [
        ft + ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
              "-keyout", ca_key, "-out", ca, "-subj", "/CN=vrpd test CA",
              "-days", "36500", "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ft + ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout",
              key, "-out", csr, "-subj", "/CN=127.0.0.1"],
        ft + ["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey",
              ca_key, "-CAcreateserial", "-out", crt, "-days", "36500",
              "-extfile", ext],
    ]
    for cmd in steps:
        r = run(cmd)
        if r.returncode != 0:
            raise SystemExit(f"TLS setup failed: {' '.join(cmd)}\n{r.stdout}")
    capath = os.path.join(d, "capath")
    os.mkdir(capath)
    shutil.copy(ca, capath)
    run(["openssl", "rehash", capath])
    return ca, capath, crt, key


def read_expected(case_dir):
    exp = os.path.join(case_dir, "expected")
    with open(os.path.join(exp, "vrps.csv")) as f:
        vrps = {(r[0], r[1], r[2], r[3]) for r in list(csv.reader(f))[1:]}
    with open(os.path.join(exp, "router-keys.csv")) as f:
        keys = {(r[0], r[1].lower(), r[2], r[3]) for r in list(csv.reader(f))[1:]}
    with open(os.path.join(exp, "aspas.csv")) as f:
        aspas = {(r[0], r[1], r[2]) for r in list(csv.reader(f))[1:]}
    return {"vrps": vrps, "router-keys": keys, "aspas": aspas}


def owned_dir(parent, name, user):
    """A fresh directory; rpki-client drops root to its own user."""
    d = os.path.join(parent, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    if os.geteuid() == 0 and user:
        pw = pwd.getpwnam(user)
        os.chown(d, pw.pw_uid, pw.pw_gid)
    return d


def rpki_client(work, tals, ca, cache):
    out = owned_dir(work, "rpki-client-out", "_rpki-client")
    cmd = ["faketime", "-f", FAKETIME, "rpki-client", "-v", "-s", "60", "-j",
           "-d", cache] + [a for t in tals for a in ("-t", t)] + [out]
    env = dict(os.environ, SSL_CERT_FILE=ca)
    r = run(cmd, env=env)
    path = os.path.join(out, "json")
    if not os.path.exists(path):
        return None, r.stdout
    with open(path) as f:
        j = json.load(f)
    aspas = j.get("provider_authorizations", [])
    if isinstance(aspas, dict):
        # rpki-client 8.2 splits ASPAs by address family (an older draft).
        aspas = [a for fam in aspas.values() for a in fam]
    got = {
        "vrps": {(f"AS{v['asn']}", v["prefix"], str(v["maxLength"]), v["ta"])
                 for v in j.get("roas", [])},
        "router-keys": {(f"AS{k['asn']}", k["ski"].lower(), k["pubkey"], k["ta"])
                        for k in j.get("bgpsec_keys", [])},
        "aspas": {(f"AS{a['customer_asid']}",
                   " ".join(f"AS{p}" for p in sorted(a["providers"])), a["ta"])
                  for a in aspas},
    }
    return got, r.stdout


def fort(work, tals, capath, cache):
    tal_dir = os.path.join(work, "fort-tals")
    shutil.rmtree(tal_dir, ignore_errors=True)
    os.makedirs(tal_dir)
    for t in tals:
        shutil.copy(t, tal_dir)
    roa, bgpsec = os.path.join(work, "fort.csv"), os.path.join(work, "fort-keys.csv")
    for p in (roa, bgpsec):
        if os.path.exists(p):
            os.unlink(p)
    cmd = ["faketime", "-f", FAKETIME, "fort", "--mode=standalone",
           f"--tal={tal_dir}", f"--local-repository={cache}",
           "--rsync.enabled=false", f"--http.ca-path={capath}",
           f"--output.roa={roa}", f"--output.bgpsec={bgpsec}",
           "--output.format=csv", "--log.output=console",
           "--validation-log.enabled=true", "--validation-log.output=console",
           "--validation-log.level=warning"]
    r = run(cmd)
    if not os.path.exists(roa):
        return None, r.stdout
    # FORT 1.5.4 prints no trust anchor column; the TAs of a fixture hold
    # disjoint resources, so the VRP says which TA it came from.
    with open(roa) as f:
        vrps = {(r[0], r[1], r[2]) for r in list(csv.reader(f))[1:]}
    with open(bgpsec) as f:
        keys = {(r[0], r[1].lower(), r[2]) for r in list(csv.reader(f))[1:]}
    return {"vrps": vrps, "router-keys": keys}, r.stdout


def compare(expected, got, tool):
    """Findings like 'vrps-missing', each with the items behind it."""
    findings = {}
    for kind, have in got.items():
        want = expected[kind]
        if tool == "fort":
            want = {x[:-1] for x in want}  # no TA column
        for name, items in (("missing", want - have), ("extra", have - want)):
            if items:
                findings[f"{kind}-{name}"] = sorted(items)
    return findings


def self_check():
    """The comparison must notice a VRP too few or too many."""
    exp = {"vrps": {("AS1", "10.0.0.0/8", "8", "ta1"), ("AS2", "10.0.0.0/8", "8", "ta1")},
           "router-keys": set(), "aspas": set()}
    fewer = {"vrps": {("AS1", "10.0.0.0/8", "8", "ta1")}, "router-keys": set()}
    more = {"vrps": exp["vrps"] | {("AS3", "10.0.0.0/8", "8", "ta1")},
            "router-keys": set()}
    if set(compare(exp, fewer, "rpki-client")) != {"vrps-missing"} or \
            set(compare(exp, more, "rpki-client")) != {"vrps-extra"} or \
            compare(exp, {"vrps": exp["vrps"], "router-keys": set()}, "rpki-client"):
        raise SystemExit("self-check failed: the comparison cannot tell sets apart")


def load_known():
    known = set()
    with open(KNOWN) as f:
        for line in f:
            line = line.split("#", 1)[0].split()
            if line:
                if len(line) != 3:
                    raise SystemExit(f"{KNOWN}: bad line {line}")
                known.add(tuple(line))
    return known


def judge(tool, case, findings, known, seen):
    for finding, items in sorted(findings.items()):
        entry = next((k for k in ((tool, case, finding), (tool, "*", finding))
                      if k in known), None)
        shown = ", ".join(" ".join(i) for i in items[:4])
        more = f" (+{len(items) - 4} more)" if len(items) > 4 else ""
        if case.startswith("good") and finding.startswith("vrps"):
            fail(f"{tool} on {case}: {finding}: {shown}{more}")
        elif entry is None:
            fail(f"{tool} on {case}: {finding} is not in peer-differences.txt: "
                 f"{shown}{more}")
        else:
            seen.add(entry)
            log(f"  known difference: {tool} on {case}: {finding} ({len(items)})")


def main():
    for tool in ("rpki-client", "fort", "faketime", "openssl"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is not installed (see contrib/debian-packages)")
    self_check()
    known = load_known()
    seen = set()
    work = tempfile.mkdtemp(prefix="vrpd-peers-")
    os.chmod(work, 0o755)  # rpki-client works as _rpki-client
    server = None
    try:
        ca, capath, crt, key = make_tls(work)
        www = os.path.join(work, "www")
        port_file = os.path.join(work, "port")
        server = subprocess.Popen(
            [PY, SERVER, "--docroot", www, "--cert", crt, "--key", key,
             "--port-file", port_file, "--lifetime", "900"],
            stderr=open(os.path.join(work, "server.log"), "w"))
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("test HTTPS server did not start")
            time.sleep(0.05)
        port = open(port_file).read().strip()
        repos = os.path.join(work, "repos")
        r = run([PY, GEN, "--out", repos, "--time", EVAL,
                 "--https-authority", f"127.0.0.1:{port}"])
        log(r.stdout.rstrip())
        if r.returncode != 0:
            raise SystemExit("generator failed")
        cases = sorted(os.listdir(repos))
        for case in cases:
            case_dir = os.path.join(repos, case)
            tals = sorted(os.path.join(case_dir, "tals", t)
                          for t in os.listdir(os.path.join(case_dir, "tals")))
            gens = sorted(g for g in os.listdir(case_dir) if g.startswith("gen"))
            rc_cache = owned_dir(work, "rpki-client-cache", "_rpki-client")
            fort_cache = owned_dir(work, "fort-cache", None)
            for gen in gens:
                label = case if len(gens) == 1 else f"{case}/{gen}"
                if os.path.lexists(www):
                    os.unlink(www)
                os.symlink(os.path.join(case_dir, gen, "https"), www)
                expected = read_expected(os.path.join(case_dir, gen))
                log(f"{label}: expecting {len(expected['vrps'])} VRPs, "
                    f"{len(expected['router-keys'])} router keys, "
                    f"{len(expected['aspas'])} ASPAs")
                for tool, runner, trust, cache in (
                        ("rpki-client", rpki_client, ca, rc_cache),
                        ("fort", fort, capath, fort_cache)):
                    got, output = runner(work, tals, trust, cache)
                    if got is None:
                        fail(f"{tool} on {label} wrote no output:\n{output}")
                        continue
                    log(f"  {tool}: {len(got['vrps'])} VRPs")
                    if tool == "rpki-client" and gen != gens[0] and (
                            "deltas" not in output
                            or "downloading snapshot" in output):
                        fail(f"rpki-client on {label} did not use RRDP deltas:"
                             f"\n{output}")
                    judge(tool, case, compare(expected, got, tool), known, seen)
        for entry in sorted(known - seen):
            if entry[1] != "*":
                fail(f"peer-differences.txt lists {' '.join(entry)}, "
                     "which no longer happens")
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        if failures:
            log(f"work directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
