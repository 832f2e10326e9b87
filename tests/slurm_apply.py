#!/usr/bin/env python3
"""SLURM (RFC 8416) applied by vrpd, once and in the daemon.

On the "good" fixture: a prefix filter, an ASN filter and a prefix
assertion change `vrpd --once --output csv` exactly as RFC 8416 s.4
says; a broken file or two overlapping files stop --once with a message
naming the file; the daemon serves the filtered set, and when the SLURM
file breaks, a SIGHUP cycle fails, is logged, and the old set stays
served (vrpctl count unchanged); SIGHUP also reads the TALs again and
keeps the old ones when one is broken.
"""

import ipaddress
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
from testlib import EVAL, FIXTURES, VRPCTL, VRPD, check, finish  # noqa: E402


def slurm(path, prefix_filters=(), assertions=()):
    with open(path, "w") as f:
        json.dump({"slurmVersion": 1,
                   "validationOutputFilters": {
                       "prefixFilters": list(prefix_filters),
                       "bgpsecFilters": []},
                   "locallyAddedAssertions": {
                       "prefixAssertions": list(assertions),
                       "bgpsecAssertions": []}}, f)


def once(case, *extra):
    return subprocess.run(
        [VRPD, "--once", "--tal-dir", os.path.join(case, "tals"),
         "--mirror", os.path.join(case, "rsync"), "--now", EVAL,
         "--output", "csv:-", *extra], stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, timeout=120)


def rows(csv):
    return [tuple(l.split(",")) for l in csv.splitlines()[1:]]


def main():
    case = os.path.join(FIXTURES, "good")
    expected = rows(open(os.path.join(case, "expected", "vrps.csv")).read())
    tmp = tempfile.mkdtemp(prefix="vrpd-slurm-")
    try:
        # Filter the first row's prefix (and everything under it), every
        # VRP of the last row's ASN, and assert one new VRP.
        fasn, fprefix = expected[0][0], expected[0][1]
        basn = expected[-1][0]
        s1 = os.path.join(tmp, "one.json")
        slurm(s1, [{"prefix": fprefix, "comment": "drop"},
                   {"asn": int(basn[2:])}],
              [{"asn": 64496, "prefix": "198.51.100.0/24",
                "maxPrefixLength": 24, "comment": "local"}])
        r = once(case, "--slurm", s1)
        got = rows(r.stdout)
        top = ipaddress.ip_network(fprefix)

        def covered(p):
            n = ipaddress.ip_network(p)
            return n.version == top.version and n.subnet_of(top)
        want = [x for x in expected if x[0] != basn and not covered(x[1])]
        want.append(("AS64496", "198.51.100.0/24", "24", "slurm"))
        check(r.returncode == 0 and sorted(got) == sorted(want),
              "--once --slurm: filters removed, assertion added",
              f"rc {r.returncode}\n{r.stderr[-800:]}\n"
              f"extra {set(got) - set(want)} missing {set(want) - set(got)}")

        bad = os.path.join(tmp, "bad.json")
        with open(bad, "w") as f:
            f.write('{"slurmVersion": 1, "validationOutputFilters": {')
        r = once(case, "--slurm", bad)
        check(r.returncode != 0 and "bad.json" in r.stderr,
              "--once with a broken SLURM file fails naming it",
              r.stderr[-500:])
        s2 = os.path.join(tmp, "two.json")
        slurm(s2, [{"prefix": fprefix}])
        r = once(case, "--slurm", s1, "--slurm", s2)
        check(r.returncode != 0 and "one.json" in r.stderr and
              "two.json" in r.stderr,
              "--once with overlapping SLURM files fails naming both",
              r.stderr[-500:])

        daemon_keeps_old_set(case, tmp, s1, len(want))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


def daemon_keeps_old_set(case, tmp, slurm_file, count):
    sock = os.path.join(tmp, "control.sock")
    work = os.path.join(tmp, "live.json")
    shutil.copy(slurm_file, work)
    tals = os.path.join(tmp, "tals")
    shutil.copytree(os.path.join(case, "tals"), tals)
    v = w.Proc([VRPD, "--tal-dir", tals, "--mirror",
                os.path.join(case, "rsync"), "--now", EVAL, "--cache-dir",
                os.path.join(tmp, "cache"), "--rtr-listen", "127.0.0.1:0",
                "--socket", sock, "--slurm", work, "--foreground",
                "--no-http"],
               name="vrpd")
    try:
        check(v.wait(r"validation cycle complete", 60) is not None,
              "daemon --slurm: first cycle", v.text()[-1000:])
        c = subprocess.run([VRPCTL, "--socket", sock, "count", "--json"],
                           stdout=subprocess.PIPE, text=True, timeout=30)
        n1 = json.loads(c.stdout)["vrps"] if c.returncode == 0 else -1
        check(n1 == count, f"daemon serves the SLURM-filtered set ({n1})")
        with open(work, "w") as f:
            f.write("{ not json")
        mark = v.mark()
        v.p.send_signal(signal.SIGHUP)
        check(v.wait(r"live\.json.*keeping serial", 60, since=mark)
              is not None,
              "SIGHUP with a broken SLURM file: logged, old serial kept",
              v.text(mark)[-1000:])
        c = subprocess.run([VRPCTL, "--socket", sock, "count", "--json"],
                           stdout=subprocess.PIPE, text=True, timeout=30)
        n2 = json.loads(c.stdout)["vrps"] if c.returncode == 0 else -1
        check(n2 == n1, "the old set is still served")

        # SIGHUP also reads the TALs again; a broken one changes nothing.
        with open(os.path.join(tals, "broken.tal"), "w") as f:
            f.write("not a TAL\n")
        mark = v.mark()
        v.p.send_signal(signal.SIGHUP)
        check(v.wait(r"broken\.tal.*keeping the 2 TALs loaded before", 60,
                     since=mark) is not None,
              "SIGHUP with a broken TAL: logged, the old TALs kept",
              v.text(mark)[-1000:])
        os.unlink(os.path.join(tals, "broken.tal"))
        mark = v.mark()
        v.p.send_signal(signal.SIGHUP)
        check(v.wait(r"SIGHUP: 2 TALs loaded", 60, since=mark) is not None,
              "SIGHUP reads the TALs again", v.text(mark)[-1000:])
    finally:
        rc = v.stop()
    check(rc == 0, f"daemon exits 0 ({rc})")


if __name__ == "__main__":
    sys.exit(main())
