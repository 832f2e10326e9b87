#!/usr/bin/env python3
"""vrpd --once --cache-dir: the last valid copy of a publication point.

RFC 9286 s.6.6: when a publication point fails, the copy kept from the
last run that validated it is used while it is still current, and no
longer once it has expired (FORT CVE-2024-56169 was the lack of such a
copy). s.4.2.1: a
manifest whose manifestNumber or thisUpdate is not higher than that of the
last valid one is refused, and the kept copy used instead.

The fixture generator's "good" case has two generations: rsync/ holds the
second, and gen1/https/ the RRDP snapshots of the first, from which a
mirror of the first generation is rebuilt here.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from testlib import EVAL, FIXTURES, VRPD, fail, finish, gen1_mirror

EXPIRED = "2027-09-01T00:00:00Z"  # past every manifest's nextUpdate
GOOD = os.path.join(FIXTURES, "good")


def vrpd(mirror, cache=None, now=EVAL):
    cmd = [VRPD, "--once", "--tal-dir", os.path.join(GOOD, "tals"),
           "--mirror", mirror, "--now", now, "--output", "csv:-"]
    if cache is not None:
        cmd += ["--cache-dir", cache]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", timeout=300)
    if r.returncode != 0:
        fail(f"vrpd exited {r.returncode}:\n{r.stderr}")
    print(r.stderr.strip().splitlines()[-1], flush=True)
    return r.stdout, r.stderr


def expected(gen):
    with open(os.path.join(GOOD, gen, "expected", "vrps.csv")) as f:
        return f.read()


def a_roa(mirror):
    for root, _, files in sorted(os.walk(mirror)):
        for name in sorted(files):
            if name.endswith(".roa"):
                return os.path.join(root, name)
    sys.exit("no ROA in the fixture")


def main():
    work = tempfile.mkdtemp(prefix="vrpd-lkg-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish()


def run(work):
    gen2 = expected("gen2")
    mirror = os.path.join(work, "mirror")
    cache = os.path.join(work, "cache")
    shutil.copytree(os.path.join(GOOD, "rsync"), mirror)

    out, _ = vrpd(mirror, cache)
    if out != gen2:
        fail("first run with --cache-dir: VRPs differ from expected")
    if not os.path.isdir(os.path.join(cache, "valid")):
        fail("--cache-dir keeps nothing under valid/")

    # A broken ROA fails its publication point (hash mismatch); the point's
    # kept copy stands in for it, so nothing is lost.
    broken = a_roa(mirror)
    with open(broken, "ab") as f:
        f.write(b"\0")
    out, err = vrpd(mirror, cache)
    if out != gen2:
        fail("a failed point was not replaced by its kept copy")
    if "using the last valid copy" not in err or \
            "1 from kept copies" not in err:
        fail(f"the fallback to the kept copy is not logged:\n{err}")

    # Until the kept copy expires, and no longer: past the nextUpdate of
    # its manifest and CRL (400 days after they were made) it is stale,
    # and the point gives nothing.
    point = "rsync://" + os.path.relpath(os.path.dirname(broken), mirror) + "/"
    out, err = vrpd(mirror, cache, now=EXPIRED)
    if out.splitlines()[1:]:
        fail(f"at {EXPIRED} every object has expired, yet VRPs remain:\n"
             f"{out[:500]}")
    kept_stale = [line for line in err.splitlines()
                  if line.startswith(point) and "using the last valid copy"
                  in line]
    if not kept_stale or not any(
            line.startswith(point) and "manifest is stale" in line
            for line in err.splitlines()) or not any(
            f"publication point {point} of" in line and "failed" in line
            for line in err.splitlines()):
        fail(f"at {EXPIRED} the expired kept copy of {point} should be "
             f"tried, found stale and the point fail:\n{err[-3000:]}")
    out, _ = vrpd(mirror)
    if out == gen2:
        fail("without --cache-dir the broken point should cost VRPs: the "
             "test proves nothing")

    # The first generation replayed after the second: every manifest goes
    # backwards, so every point keeps its second-generation copy.
    old = os.path.join(work, "gen1")
    gen1_mirror(GOOD, old)
    out, _ = vrpd(old)
    if out != expected("gen1"):
        fail("the rebuilt first-generation mirror does not validate to "
             "gen1/expected: the test proves nothing")
    out, err = vrpd(old, cache)
    if out != gen2:
        fail("manifests going backwards replaced the kept copies")
    if "manifestNumber is not higher" not in err:
        fail(f"manifests going backwards are not logged:\n{err}")


if __name__ == "__main__":
    sys.exit(main())
