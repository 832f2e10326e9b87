#!/usr/bin/env python3
"""vrpd --config FILE: the file's keys are the long options.

A config file holding tal-dir, mirror, now and output makes `vrpd --once`
write the expected VRPs; an --output on the command line replaces the
file's; an unknown key, a flag with a bad value and a malformed line stop
vrpd with status 2 and "FILE:LINE: ..." naming the key.
"""

import os
import shutil
import subprocess
import sys
import tempfile

VRPD = os.path.join(os.environ.get("top_builddir", "."), "vrpd")
FIXTURES = os.environ.get("FIXTURES", "tests/fixture-repos")
failures = []


def check(cond, msg, detail=""):
    print(("ok: " if cond else "FAIL: ") + msg, flush=True)
    if not cond:
        failures.append(msg)
        if detail:
            print("  " + detail.replace("\n", "\n  "), flush=True)


def vrpd(*args):
    return subprocess.run([VRPD, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def main():
    case = os.path.join(FIXTURES, "good")
    want = open(os.path.join(case, "expected", "vrps.csv")).read()
    tmp = tempfile.mkdtemp(prefix="vrpd-conf-")
    try:
        out = os.path.join(tmp, "vrps.csv")
        conf = os.path.join(tmp, "vrpd.conf")
        with open(conf, "w") as f:
            f.write("# vrpd.conf(5)\n"
                    f"tal-dir = {os.path.join(case, 'tals')}\n"
                    f"mirror = {os.path.join(case, 'rsync')}\n"
                    "now = 2026-06-01T00:00:00Z\n"
                    f"output = csv:{out}\n"
                    "verbose = no\n")
        r = vrpd("--config", conf, "--once")
        check(r.returncode == 0 and open(out).read() == want,
              "--config: the file's options are used", r.stderr[-500:])
        os.unlink(out)
        r = vrpd("--config", conf, "--once", "--output", "csv:-")
        check(r.returncode == 0 and r.stdout == want and
              not os.path.exists(out),
              "--output on the command line replaces the file's",
              r.stderr[-500:])
        for text, line, what in (
                ("tal-dir = /x\nrefrsh = 5\n", 2, "unknown key 'refrsh'"),
                ("verbose = perhaps\n", 1, "key 'verbose' takes yes or no"),
                ("mirror = /x\njunk line\n", 2, "not \"key = value\"")):
            with open(conf, "w") as f:
                f.write(text)
            r = vrpd("--config", conf, "--once")
            check(r.returncode == 2 and f"{conf}:{line}: {what}" in r.stderr,
                  f"--config: {what} named with file and line",
                  r.stderr[-300:])
        r = vrpd("--config", os.path.join(tmp, "missing.conf"), "--once")
        check(r.returncode == 2 and "missing.conf" in r.stderr,
              "--config: a missing file is named", r.stderr[-300:])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
