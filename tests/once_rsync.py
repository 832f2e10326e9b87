#!/usr/bin/env python3
"""vrpd --once falling back to rsync when RRDP fails.

The fixture's RRDP servers are not running, so every notification fetch
fails and vrpd must copy each module (and the TA certificates) with the
rsync program. rsync reaches its "server" through RSYNC_CONNECT_PROG: an
rsync daemon on the other end of a pipe, serving the fixture's rsync tree
with one config per host, so no network is involved. With --no-rsync the
same run must find nothing, and say why.
"""

import os
import shutil
import subprocess
import sys
import tempfile

from testlib import EVAL, FIXTURES, VRPD, fail, finish

GOOD = os.path.join(FIXTURES, "good")


def daemon_configs(work):
    """One rsyncd.conf per host: each top directory of a host a module."""
    rsync = os.path.join(GOOD, "rsync")
    for host in os.listdir(rsync):
        with open(os.path.join(work, f"{host}.conf"), "w") as f:
            f.write("use chroot = no\nread only = yes\n")
            for module in os.listdir(os.path.join(rsync, host)):
                f.write(f"[{module}]\npath = {os.path.join(rsync, host, module)}\n")


def vrpd(work, cache, *extra):
    env = dict(os.environ,
               RSYNC_CONNECT_PROG="rsync --server --daemon "
                                  f"--config={work}/%H.conf .")
    r = subprocess.run([VRPD, "--once", "--tal-dir",
                        os.path.join(GOOD, "tals"), "--cache-dir", cache,
                        "--now", EVAL, "--output", "csv:-", *extra],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, errors="replace", env=env, timeout=600)
    last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
    print(last, flush=True)
    if r.returncode != 0:
        fail(f"vrpd exited {r.returncode}:\n{r.stderr}")
    return r.stdout, r.stderr


def main():
    work = tempfile.mkdtemp(prefix="vrpd-rsync-")
    try:
        daemon_configs(work)
        with open(os.path.join(GOOD, "expected", "vrps.csv")) as f:
            want = f.read()

        cache = os.path.join(work, "cache")
        out, err = vrpd(work, cache)
        if out != want:
            fail(f"rsync fallback: VRPs differ from expected:\n{err}")
        if "falling back to rsync" not in err:
            fail(f"the fallback to rsync is not logged:\n{err}")

        # With rsync off, RRDP failing is said as such; the points kept
        # from the run before still stand in (RFC 9286 s.6.6).
        out, err = vrpd(work, cache, "--no-rsync")
        if "falling back to rsync" in err:
            fail(f"--no-rsync still ran rsync:\n{err}")
        if "rsync is off (--no-rsync)" not in err:
            fail(f"--no-rsync: the reason is not logged:\n{err}")
        if out != want:
            fail("--no-rsync: the kept copies were not used")

        # rsync only: the same VRPs, and no RRDP attempted.
        out, err = vrpd(work, os.path.join(work, "rsync-only"), "--no-rrdp")
        if out != want:
            fail(f"--no-rrdp: VRPs differ from expected:\n{err}")
        if "RRDP failed" in err or "notification" in err:
            fail(f"--no-rrdp still tried RRDP:\n{err}")

        # A fresh cache and no rsync: nothing at all can be found.
        out, err = vrpd(work, os.path.join(work, "off"), "--no-rsync")
        if out.count("\n") != 1:
            fail("--no-rsync with RRDP down and no cache found VRPs")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
