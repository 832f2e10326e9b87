"""What the Python tests share: where the programs and fixtures are, and
how a check is reported.

A test prints one line per check, "ok: ..." or "FAIL: ...", flushed at
once so that it interleaves with what the programs under test log; keeps
its failures in `failures`; and ends with `return finish()`, which prints
how many failed and gives the exit status (1 if any).

The paths come from the environment `make check` sets (tests/*.sh run
with top_srcdir, top_builddir and FIXTURES); the defaults suit a run from
the top of an in-tree build.
"""

import base64
import os
import shutil
import xml.etree.ElementTree as ET

SRC = os.environ.get("top_srcdir",
                     os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                  ".."))
BUILD = os.environ.get("top_builddir", ".")
VRPD = os.path.join(BUILD, "vrpd")
VRPCTL = os.path.join(BUILD, "vrpctl")
FIXTURES = os.environ.get("FIXTURES", os.path.join(BUILD, "tests",
                                                   "fixture-repos"))
PY = "/usr/bin/python3"
GEN = os.path.join(SRC, "fixtures", "gen", "rpkigen.py")
# The validation time of every fixture (rpkigen.py --time).
EVAL = "2026-06-01T00:00:00Z"
RRDP_NS = "{http://www.ripe.net/rpki/rrdp}"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def check(cond, msg, detail="", sep=None):
    """ok: or FAIL: msg; returns cond. On failure detail follows the FAIL
    line indented, or, with sep, on it after sep."""
    if cond:
        print("ok: " + msg, flush=True)
    elif sep is None:
        fail(msg)
        if detail:
            print("  " + detail.replace("\n", "\n  "), flush=True)
    else:
        fail(msg + (sep + detail if detail else ""))
    return cond


def finish(extra=""):
    """The summary line (extra appended), and the exit status."""
    print(f"{len(failures)} failure(s){extra}", flush=True)
    return 1 if failures else 0


def gen1_mirror(case_dir, dest):
    """dest/<host>/<path> of every object of a fixture case's first
    generation (case_dir/gen1), from its RRDP snapshots and TA
    certificates: an rsync mirror of it for --mirror."""
    https = os.path.join(case_dir, "gen1", "https")
    for root, _, files in os.walk(https):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, https)
            if name.endswith(".cer") and "/ta/" in "/" + rel:
                os.makedirs(os.path.dirname(os.path.join(dest, rel)),
                            exist_ok=True)
                shutil.copy(path, os.path.join(dest, rel))
            if name != "snapshot.xml":
                continue
            for el in ET.parse(path).getroot().iter(RRDP_NS + "publish"):
                out = os.path.join(dest, el.get("uri")[len("rsync://"):])
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "wb") as f:
                    f.write(base64.b64decode(el.text))
