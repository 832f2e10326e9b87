#!/usr/bin/env python3
"""vrpctl inspect on real fixture files.

Every object type of the good repository is inspected as text and as JSON
(each JSON line must load, with the issue's keys); in context (--tal,
--mirror, --now) each object a broken case expects rejected must get a
verdict that is not "valid" and names an RFC rule (or, for a local limit,
is not "valid"), and the good ROAs must
be "valid". Wrong flags, unknown commands and missing files must give a
clear message and a non-zero exit. The exit status is checked exactly, so a
sanitizer report (leaks included) fails the test too.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

from testlib import EVAL, FIXTURES, VRPCTL, fail, failures

RULE = re.compile(r"\((RFC \d+|ASPA profile) s\.[0-9.]+[^()]*\)")


def run(args):
    return subprocess.run([VRPCTL] + args, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=300)


def files(case, suffix):
    found = []
    for root, _, names in os.walk(os.path.join(FIXTURES, case, "rsync")):
        found += [os.path.join(root, n) for n in names if n.endswith(suffix)]
    return sorted(found)


def context_args(case):
    d = os.path.join(FIXTURES, case)
    tals = sorted(os.listdir(os.path.join(d, "tals")))
    args = []
    for t in tals:
        args += ["--tal", os.path.join(d, "tals", t)]
    return args + ["--mirror", os.path.join(d, "rsync"), "--now", EVAL]


def text_field(out, label):
    """The values of every "label:" line."""
    return [line.split(":", 1)[1].strip() for line in out.splitlines()
            if line.startswith(label + ":")]


def check_types():
    good = os.path.join(FIXTURES, "good")
    samples = {
        "certificate": [f for f in files("good", ".cer")
                        if "/router-" not in f][0],
        "router": [f for f in files("good", ".cer") if "/router-" in f][0],
        "crl": files("good", ".crl")[0],
        "manifest": files("good", ".mft")[0],
        "roa": files("good", ".roa")[0],
        "aspa": files("good", ".asa")[0],
        "tal": os.path.join(good, "tals", "ta1.tal"),
    }
    keys = {
        "certificate": ["ski", "not_before", "not_after", "resources"],
        "router": ["ski", "aki", "resources", "router_key"],
        "crl": ["aki", "this_update", "next_update"],
        "manifest": ["ski", "aki", "manifest_number", "this_update",
                     "next_update", "files"],
        "roa": ["ski", "aki", "not_before", "not_after", "asid",
                "prefixes", "resources"],
        "aspa": ["ski", "aki", "customer", "providers"],
        "tal": ["uris", "key"],
    }
    for what, path in samples.items():
        r = run(["inspect", path])
        if r.returncode != 0 or not text_field(r.stdout, "type"):
            fail(f"inspect {path} (text) exited {r.returncode}:\n"
                 f"{r.stdout}{r.stderr}")
        if "error:" in r.stdout:
            fail(f"inspect {path} printed an error:\n{r.stdout}")
        r = run(["inspect", "--json", path])
        if r.returncode != 0:
            fail(f"inspect --json {path} exited {r.returncode}:\n{r.stderr}")
            continue
        try:
            j = json.loads(r.stdout)
        except ValueError as e:
            fail(f"inspect --json {path}: {e}:\n{r.stdout}")
            continue
        want_type = "certificate" if what == "router" else what
        if j.get("type") != want_type or j.get("errors") != []:
            fail(f"inspect --json {path}: type {j.get('type')}, "
                 f"errors {j.get('errors')}")
        for k in keys[what]:
            if k not in j:
                fail(f"inspect --json {path}: no key {k}: {sorted(j)}")
        if what == "roa":
            for p in j.get("prefixes", []):
                if set(p) != {"prefix", "max_length"}:
                    fail(f"{path}: prefix entry {p}")
        if what == "manifest":
            for f in j.get("files", []):
                if set(f) != {"name", "hash"} or len(f["hash"]) != 64:
                    fail(f"{path}: file entry {f}")
        if what == "aspa" and not all(
                isinstance(p, int) for p in j.get("providers", [None])):
            fail(f"{path}: providers {j.get('providers')}")

    # Several files at once: one JSON object per line, each loads.
    many = list(samples.values())
    r = run(["inspect", "--json"] + many)
    lines = r.stdout.splitlines()
    if r.returncode != 0 or len(lines) != len(many):
        fail(f"inspect --json of {len(many)} files: exit {r.returncode}, "
             f"{len(lines)} lines")
    for line in lines:
        try:
            json.loads(line)
        except ValueError as e:
            fail(f"inspect --json of several files: {e}: {line}")


def rejected(case):
    with open(os.path.join(FIXTURES, case, "expected", "rejected.txt")) as f:
        return [line.rstrip("\n").split(": ", 1) for line in f if line.strip()]


def check_context():
    cases = sorted(c for c in os.listdir(FIXTURES)
                   if os.path.isdir(os.path.join(FIXTURES, c, "expected")))
    tested = 0
    for case in cases:
        for uri, reason in rejected(case):
            path = os.path.join(FIXTURES, case, "rsync",
                                uri[len("rsync://"):])
            r = run(["inspect"] + context_args(case) + [path])
            verdicts = text_field(r.stdout, "validation")
            if r.returncode != 1 or len(verdicts) != 1:
                fail(f"{case}: inspect {uri} in context exited "
                     f"{r.returncode}, verdicts {verdicts}:\n"
                     f"{r.stdout}{r.stderr}")
                continue
            v = verdicts[0]
            # A validator's own bound (depth, sizes) has no RFC to name.
            limit = "(local limit" in reason
            if v == "valid" or not (limit or RULE.search(v)):
                fail(f"{case}: {uri} (expected: {reason}) got \"{v}\"")
            else:
                print(f"ok {case}: {uri}: {v}")
            tested += 1
            r = run(["inspect", "--json"] + context_args(case) + [path])
            try:
                j = json.loads(r.stdout)
                if j.get("validation") != v:
                    fail(f"{case}: JSON verdict {j.get('validation')} "
                         f"is not the text one {v}")
            except ValueError as e:
                fail(f"{case}: inspect --json in context: {e}: {r.stdout}")
    if tested < 10:
        fail(f"only {tested} rejected objects were tried")

    # The good ROAs (and one of each other type) are valid.
    good = files("good", ".roa") + files("good", ".mft")[:1] + \
        files("good", ".crl")[:1] + files("good", ".asa")[:1] + \
        files("good", ".cer")[:2]
    r = run(["inspect"] + context_args("good") + good)
    verdicts = text_field(r.stdout, "validation")
    if r.returncode != 0 or verdicts != ["valid"] * len(good):
        fail(f"good objects in context: exit {r.returncode}, "
             f"verdicts {verdicts}:\n{r.stderr}")


def check_errors():
    tmp = tempfile.mkdtemp(prefix="vrpctl_inspect.")
    junk = os.path.join(tmp, "junk.roa")
    with open(junk, "wb") as f:
        f.write(os.urandom(300))
    roa = files("good", ".roa")[0]
    cases = [
        (["inspect", "--bogus", roa], 2, "unknown option --bogus"),
        (["inspect"], 2, "give at least one FILE"),
        (["inspect", "--now"], 2, "needs an argument"),
        (["inspect", "--tal", "x.tal", roa], 2, "--tal and --mirror"),
        (["inspect", "--now", "yesterday", "--tal", "x", "--mirror", tmp,
          roa], 2, "--now"),
        (["inspect", "--tal", os.path.join(tmp, "absent.tal"), "--mirror",
          tmp, roa], 2, "absent.tal"),
        (["inspect", "--tal",
          os.path.join(FIXTURES, "good", "tals", "ta1.tal"), "--mirror",
          os.path.join(tmp, "nowhere"), roa], 2, "not a directory"),
        (["inspect", os.path.join(tmp, "absent.roa")], 2,
         "absent.roa: No such file or directory"),
        (["frobnicate"], 2, "vrpctl: unknown command frobnicate"),
        ([], 2, "usage:"),
    ]
    for args, rc, msg in cases:
        r = run(args)
        if r.returncode != rc or msg not in r.stderr:
            fail(f"vrpctl {' '.join(args)}: exit {r.returncode} (want "
                 f"{rc}), stderr lacks \"{msg}\":\n{r.stderr}")
    r = run(["--help"])
    if r.returncode != 0 or "inspect" not in r.stdout:
        fail(f"vrpctl --help: exit {r.returncode}:\n{r.stdout}")
    r = run(["inspect", junk])
    if r.returncode != 1 or not text_field(r.stdout, "error"):
        fail(f"inspect of random bytes: exit {r.returncode}:\n"
             f"{r.stdout}{r.stderr}")
    r = run(["inspect", "--json", junk])
    try:
        if r.returncode != 1 or not json.loads(r.stdout)["errors"]:
            fail(f"inspect --json of random bytes: exit {r.returncode}")
    except ValueError as e:
        fail(f"inspect --json of random bytes: {e}: {r.stdout}")
    os.unlink(junk)
    os.rmdir(tmp)


def main():
    if not os.access(VRPCTL, os.X_OK):
        print(f"no {VRPCTL}: build it first", file=sys.stderr)
        return 1
    check_types()
    check_context()
    check_errors()
    if failures:
        print(f"{len(failures)} failures", flush=True)
        return 1
    print("all vrpctl inspect checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
