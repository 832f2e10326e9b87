#!/usr/bin/env python3
"""vrpd --config FILE: the file's keys are the long options.

A config file holding tal-dir, mirror, now and output makes `vrpd --once`
write the expected VRPs; an --output on the command line replaces the
file's; an unknown key, a flag with a bad value and a malformed line stop
vrpd with status 2 and "FILE:LINE: ..." naming the key. The daemon reads
the file again on SIGHUP: a new output is written by the next cycle, and
a broken file is logged and changes nothing.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
from testlib import FIXTURES, VRPD, check, finish  # noqa: E402


def vrpd(*args):
    return subprocess.run([VRPD, *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=120)


def daemon_reload(case, tmp, want):
    """SIGHUP reads the file again; a broken one changes nothing."""
    conf = os.path.join(tmp, "daemon.conf")
    a, b = os.path.join(tmp, "a.csv"), os.path.join(tmp, "b.csv")

    def write(output, extra=""):
        with open(conf, "w") as f:
            f.write(f"tal-dir = {os.path.join(case, 'tals')}\n"
                    f"mirror = {os.path.join(case, 'rsync')}\n"
                    "now = 2026-06-01T00:00:00Z\n"
                    f"output = csv:{output}\n{extra}")

    write(a)
    v = w.Proc([VRPD, "--config", conf, "--foreground", "--no-http",
                "--cache-dir", os.path.join(tmp, "cache"), "--rtr-listen",
                "127.0.0.1:0", "--socket", os.path.join(tmp, "c.sock")],
               name="vrpd")
    try:
        check(v.wait(r"validation cycle complete", 60) is not None and
              open(a).read() == want, "daemon --config: first cycle, A")
        write(b)
        mark = v.mark()
        v.p.send_signal(signal.SIGHUP)
        check(v.wait(r"SIGHUP: configuration read again", 10, since=mark)
              is not None and
              v.wait(r"validation cycle complete", 60, since=mark)
              is not None and os.path.exists(b) and open(b).read() == want,
              "SIGHUP: the new output is written by the next cycle",
              v.text(mark)[-800:])
        write(a, "refrsh = 5\n")
        os.unlink(b)
        mark = v.mark()
        v.p.send_signal(signal.SIGHUP)
        check(v.wait(rf"SIGHUP: {re.escape(conf)}:5: unknown key 'refrsh'; "
                     r"keeping the old configuration", 10, since=mark)
              is not None and
              v.wait(r"validation cycle complete", 60, since=mark)
              is not None and os.path.exists(b),
              "SIGHUP with a broken file: named, the old configuration "
              "kept (B written again)", v.text(mark)[-800:])
        check(v.alive(), "the daemon is still running")
    finally:
        rc = v.stop()
    check(rc == 0, f"the daemon exits 0 ({rc})")
    bad = v.grep(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|"
                 r"runtime error:")
    check(not bad, "no sanitizer report", "\n".join(bad[:5]))


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
        daemon_reload(case, tmp, want)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
