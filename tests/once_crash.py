#!/usr/bin/env python3
"""vrpd --once killed with SIGKILL while it fetches, then run again.

A repository of a few hundred CAs is served over HTTPS on 127.0.0.1.
vrpd is killed at random moments while it applies the snapshots (empty
cache) and while it applies the deltas of the second generation; each
time, the next run with the same cache must give exactly the expected
VRPs. The store makes each repository's update atomic (a rename after a
syncfs), so a killed run leaves the old copy or the new one.
"""

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from once_rrdp import SERVER, make_tls  # noqa: E402
from testlib import EVAL, GEN, PY, VRPD, fail, finish  # noqa: E402

ROUNDS = 6


def cmd(tals, cache, ca):
    return [VRPD, "--once", "--tal-dir", tals, "--cache-dir", cache,
            "--ca-file", ca, "--now", EVAL, "--output", "csv:-"]


def full_run(tals, cache, ca):
    r = subprocess.run(cmd(tals, cache, ca), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, errors="replace",
                       timeout=600)
    if r.returncode != 0:
        fail(f"vrpd exited {r.returncode}:\n{r.stderr[-3000:]}")
    return r.stdout, r.stderr


def killed_run(tals, cache, ca, delay):
    """Starts vrpd and kills it after delay seconds (if still running)."""
    p = subprocess.Popen(cmd(tals, cache, ca), stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(delay)
    done = p.poll() is not None
    if not done:
        p.send_signal(signal.SIGKILL)
    p.wait()
    return not done


def main():
    rng = random.Random(int(os.environ.get("CRASH_SEED", "7")))
    work = tempfile.mkdtemp(prefix="vrpd-crash-")
    server = None
    try:
        ca, crt, key = make_tls(work)
        www = os.path.join(work, "www")
        port_file = os.path.join(work, "port")
        server = subprocess.Popen(
            [PY, SERVER, "--docroot", www, "--cert", crt, "--key", key,
             "--port-file", port_file, "--lifetime", "600"],
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("test HTTPS server did not start")
            time.sleep(0.05)
        port = open(port_file).read().strip()
        repos = os.path.join(work, "repos")
        r = subprocess.run(
            [PY, GEN, "--out", repos, "--preset", "scale", "--fanout", "6",
             "--tas", "2", "--hosts", "2", "--repos", "4", "--time", EVAL,
             "--https-authority", f"127.0.0.1:{port}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit(f"generator failed:\n{r.stderr}")
        case = os.path.join(repos, "good")
        tals = os.path.join(case, "tals")
        want = {}
        for gen in ("gen1", "gen2"):
            with open(os.path.join(case, gen, "expected", "vrps.csv")) as f:
                want[gen] = f.read()

        # How long an undisturbed cold run takes, to aim the kills.
        os.symlink(os.path.join(case, "gen1", "https"), www)
        start = time.monotonic()
        out, _ = full_run(tals, os.path.join(work, "probe"), ca)
        cold = time.monotonic() - start
        if out != want["gen1"]:
            fail("undisturbed cold run: VRPs differ")
        print(f"cold run: {cold:.2f} s, {out.count(chr(10)) - 1} VRPs",
              flush=True)

        kills = 0
        for i in range(ROUNDS):
            # Snapshots: a fresh cache, killed part-way, then finished.
            cache = os.path.join(work, f"cache{i}")
            os.unlink(www)
            os.symlink(os.path.join(case, "gen1", "https"), www)
            kills += killed_run(tals, cache, ca, rng.uniform(0.05, cold))
            out, err = full_run(tals, cache, ca)
            if out != want["gen1"]:
                fail(f"round {i}: after a kill during the snapshots, VRPs "
                     f"differ:\n{err[-2000:]}")
            # Deltas: generation 2 over the finished cache, killed, rerun.
            os.unlink(www)
            os.symlink(os.path.join(case, "gen2", "https"), www)
            kills += killed_run(tals, cache, ca,
                                rng.uniform(0.05, cold / 2))
            out, err = full_run(tals, cache, ca)
            if out != want["gen2"]:
                fail(f"round {i}: after a kill during the deltas, VRPs "
                     f"differ:\n{err[-2000:]}")
        print(f"{kills} of {2 * ROUNDS} runs were killed before they ended",
              flush=True)
        if kills < ROUNDS:
            fail("too few runs were killed mid-way: the test proves little")
    finally:
        if server:
            server.send_signal(signal.SIGTERM)
            server.wait()
        shutil.rmtree(work, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
