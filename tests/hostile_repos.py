#!/usr/bin/env python3
"""vrpd --once against hostile repositories: structure and manifests.

Regression tests for the published relying-party vulnerabilities about
repository structure (Routinator CVE-2021-43172, OctoRPKI CVE-2021-3908:
CAs nested without end, loops, trees that explode, long URIs, too many
repositories) and manifests (empty, too long, duplicate names, numbers too
big or going backwards, thisUpdate going backwards: FORT CVE-2024-56170;
an EE certificate where a CA certificate belongs: FORT CVE-2024-56375,
CVE-2021-43114), objects that are not DER or not the RFC 6488 envelope
(FORT CVE-2024-45234..45239, OctoRPKI CVE-2021-3910/3911, Routinator
CVE-2023-39915) and names and URIs that climb out of their directory
(Routinator CVE-2023-39916, CVE-2025-0638, OctoRPKI's traversal, FORT
GHSA-qfm3-577x-rh54). Each case is a fixture repository from the generator
(fixtures/gen/cases.py) with a good tree beside the hostile part.

For each case vrpd must exit normally and promptly, output exactly the
VRPs the generator expects (all of the good tree), and log each rejection
with the URI of what it refused and the reason.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from testlib import EVAL, FIXTURES, VRPD, fail, finish, gen1_mirror

# A run on these small repositories takes well under a second; one that
# walks a loop or a 9^9 tree never ends. Sanitizers make it slower.
PROMPT = 20

# The log line about each rejected URI must say what rejected.txt gives
# as its reason (the generator writes vrpd's words there).
AS_EXPECTED = object()

# case -> what vrpd's log line about each rejected URI must say
CASES = {
    "ca-chain-endless": "certificates below its TA",
    "ca-cycle": "a CA certificate above it has this SKI",
    "ca-tree-9x9": "as its issuer (RFC 6487 s.4.8.7)",
    "ca-key-hijack": "as its issuer (RFC 6487 s.4.8.7)",
    "uri-long": "longer than 2048 bytes",
    "repos-many": None,
    "cert-ee-as-ca": "EE certificate where a CA or router certificate",
    "mft-empty": "fileList is empty",
    "mft-too-many": "more than 100000 files",
    "mft-duplicate-name": "twice",
    "mft-number-too-big": "longer than 20 octets",
    "mft-number-backwards": None,
    "mft-thisupdate-backwards": None,
    "der-hostile": AS_EXPECTED,
    "mft-name-traversal": "is not a file name of the form",
    "sia-climbs": 'URI has a "." or ".." path segment',
}
# The second generation's manifest goes back behind the first's.
ROLLBACK = {
    "mft-number-backwards": "manifestNumber is not higher",
    "mft-thisupdate-backwards": "thisUpdate is not later",
}


def vrpd(case, *args, mirror=None, cache=None):
    """stdout and stderr of vrpd --once on case; checks that it ended
    normally and promptly."""
    d = os.path.join(FIXTURES, case)
    cmd = [VRPD, "--once", "--tal-dir", os.path.join(d, "tals"), "--mirror",
           mirror or os.path.join(d, "rsync"), "--now", EVAL,
           "--output", "csv:-"] + list(args)
    if cache:
        cmd += ["--cache-dir", cache]
    start = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, errors="replace", timeout=2 * PROMPT)
    except subprocess.TimeoutExpired:
        fail(f"{case} {' '.join(args)}: vrpd still running after "
             f"{2 * PROMPT} s")
        return "", ""
    took = time.monotonic() - start
    summary = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    if r.returncode != 0 or " VRPs (" not in summary:
        fail(f"{case} {' '.join(args)}: vrpd exited {r.returncode}:\n"
             f"{r.stderr[-3000:]}")
    if took > PROMPT:
        fail(f"{case} {' '.join(args)}: vrpd took {took:.1f} s")
    print(f"{case} {' '.join(args)}: {took:.2f} s: {summary[6:]}", flush=True)
    return r.stdout, r.stderr


def read(case, rel):
    with open(os.path.join(FIXTURES, case, rel)) as f:
        return f.read()


def rows(csv):
    return set(csv.splitlines()[1:])


def log_names(err, uri, needle):
    """A log line names uri first and says needle."""
    return any(line.startswith(uri + ":") and (needle is None or
                                               needle in line)
               for line in err.splitlines())


def check_rejections(case, err, rejected, needle):
    for line in rejected.splitlines():
        uri, reason = line.split(": ", 1)
        why = reason if needle is AS_EXPECTED else needle
        if uri.endswith(".mft"):
            why = ROLLBACK.get(case, needle)
            # The point as a whole: what failed, then that it failed.
            if case not in ROLLBACK and not re.search(
                    r"^" + re.escape(uri) + r": publication point .* "
                    r"failed, nothing from it is used", err, re.M):
                fail(f"{case}: no log line says that the publication "
                     f"point of {uri} failed")
        if not log_names(err, uri, why):
            fail(f"{case}: no log line names {uri} with \"{why}\"")


def check_case(case, needle):
    want = read(case, "expected/vrps.csv")
    out, err = vrpd(case)
    if out != want:
        fail(f"{case}: VRPs differ from expected: missing "
             f"{sorted(rows(want) - rows(out))[:5]}, extra "
             f"{sorted(rows(out) - rows(want))[:5]}")
    if case not in ROLLBACK:
        check_rejections(case, err, read(case, "expected/rejected.txt"),
                         needle)
    good = {r for r in rows(want) if r.endswith(",ta1")}
    if not good:
        fail(f"{case}: the fixture has no good VRPs: the test proves nothing")
    return out, err


def check_depth_flag():
    """The chain is cut where --max-cert-depth says, nowhere else."""
    case = "ca-chain-endless"
    want = rows(read(case, "expected/vrps.csv"))
    out, err = vrpd(case, "--max-cert-depth", "64")
    extra = rows(out) - want
    if want - rows(out) or not extra or \
            not all(r.endswith(",ta2") for r in extra):
        fail(f"{case} --max-cert-depth 64: the last CA's ROA should be "
             f"added and nothing else: extra {sorted(extra)}")
    out, err = vrpd(case, "--max-cert-depth", "3")
    ta1 = {r for r in want if r.endswith(",ta1")}
    if not ta1 <= rows(out) or "more than 3 certificates below" not in err:
        fail(f"{case} --max-cert-depth 3: ta1's VRPs lost or no log line")


def check_max_repos():
    """Past --max-repos a TA's new repositories are refused; the other
    TA's are not."""
    case = "repos-many"
    r = subprocess.run([VRPD, "--help"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if "--max-repos" not in r.stdout:
        print(f"{case}: vrpd has no --max-repos yet; the bound of 1000 "
              "is not tried", flush=True)
        return
    want = rows(read(case, "expected/vrps.csv"))
    out, err = vrpd(case, "--max-repos", "20")
    got = rows(out)
    ta1 = {r for r in want if r.endswith(",ta1")}
    if not ta1 <= got or not got < want:
        fail(f"{case} --max-repos 20: ta1 must keep all its VRPs and ta2 "
             f"lose some: missing {sorted(want - got)[:3]}, extra "
             f"{sorted(got - want)[:3]}")
    if "uses more than 20 repositories" not in err:
        fail(f"{case} --max-repos 20: the cut is not logged:\n{err[-2000:]}")


def tree(top):
    """Every path below top, relative to it."""
    out = set()
    for root, dirs, files in os.walk(top):
        for name in dirs + files:
            out.add(os.path.relpath(os.path.join(root, name), top))
    return out


def check_no_escape(work):
    """A CA whose repository URI climbs with ".." makes vrpd write nothing
    beside its cache, and nothing into the mirror it reads."""
    case = "sia-climbs"
    top = os.path.join(work, case + "-top")
    cache = os.path.join(top, "a", "b", "cache")
    os.makedirs(cache)
    mirror = os.path.join(FIXTURES, case)
    before = tree(mirror)
    out, err = vrpd(case, cache=cache)
    if out != read(case, "expected/vrps.csv"):
        fail(f"{case} with a cache: VRPs differ from expected")
    outside = sorted(p for p in tree(top)
                     if p not in ("a", os.path.join("a", "b"))
                     and not p.startswith(os.path.join("a", "b", "cache")))
    if outside:
        fail(f"{case}: vrpd wrote outside its cache: {outside[:5]}")
    if tree(mirror) != before:
        fail(f"{case}: the mirror changed: "
             f"{sorted(tree(mirror) ^ before)[:5]}")


def check_rollback(case, needle, work):
    """Generation 1, then generation 2 going back: the point keeps its
    first-generation objects (RFC 9286 s.4.2.1, s.6.6)."""
    cache = os.path.join(work, case + "-cache")
    old = os.path.join(work, case + "-gen1")
    gen1_mirror(os.path.join(FIXTURES, case), old)
    out, _ = vrpd(case, mirror=old, cache=cache)
    if out != read(case, "gen1/expected/vrps.csv"):
        fail(f"{case}: generation 1 does not validate to gen1/expected")
    seq = read(case, "gen2/expected/vrps.csv")
    if seq == read(case, "expected/vrps.csv"):
        fail(f"{case}: generation 2 seen alone and after generation 1 "
             "should differ: the test proves nothing")
    out, err = vrpd(case, cache=cache)
    if out != seq:
        fail(f"{case}: after generation 1, generation 2 gives other VRPs "
             f"than gen2/expected: missing {sorted(rows(seq) - rows(out))}, "
             f"extra {sorted(rows(out) - rows(seq))}")
    for line in read(case, "gen2/expected/rejected.txt").splitlines():
        uri = line.split(": ", 1)[0]
        if not log_names(err, uri, needle):
            fail(f"{case}: no log line names {uri} with \"{needle}\"")
        if not log_names(err, uri, "using the last valid copy"):
            fail(f"{case}: the fallback to the kept copy of {uri} is not "
                 "logged")


def main():
    work = tempfile.mkdtemp(prefix="vrpd-hostile-")
    try:
        for case, needle in CASES.items():
            if not os.path.isdir(os.path.join(FIXTURES, case)):
                fail(f"fixture case {case} is missing")
                continue
            check_case(case, needle)
        check_depth_flag()
        check_max_repos()
        check_no_escape(work)
        for case, needle in ROLLBACK.items():
            check_rollback(case, needle, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
