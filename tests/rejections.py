#!/usr/bin/env python3
"""Rejections by kind and reason in the daemon's /metrics.

Each broken fixture case is served by a daemon reading the mirror; its
/metrics must count the one rejected object under the right kind (roa,
aspa, cert) and reason (object, issuer, content).
"""

import os
import re
import sys
import tempfile
import shutil
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtr_wire as w  # noqa: E402
from testlib import FIXTURES, VRPD, check, finish  # noqa: E402

CASES = {
    "roa-bad-signature": ("roa", "object"),
    "ee-expired": ("roa", "issuer"),
    "roa-revoked": ("roa", "issuer"),
    "roa-prefix-outside-ee": ("roa", "content"),
    "ca-overclaim": ("cert", "issuer"),
}


def main():
    tmp = tempfile.mkdtemp(prefix="vrpd-rej-")
    try:
        for case, (kind, reason) in CASES.items():
            d = os.path.join(FIXTURES, case)
            v = w.Proc([VRPD, "--foreground", "--tal-dir",
                        os.path.join(d, "tals"), "--mirror",
                        os.path.join(d, "rsync"), "--now",
                        "2026-06-01T00:00:00Z", "--cache-dir",
                        os.path.join(tmp, case), "--rtr-listen",
                        "127.0.0.1:0", "--socket",
                        os.path.join(tmp, case + ".sock"), "--http-listen",
                        "127.0.0.1:0"], name=case)
            try:
                h = v.wait(r"http: listening on .*\(port (\d+)\)", 20)
                done = v.wait(r"validation cycle complete", 60)
                body = ""
                if h and done:
                    url = f"http://127.0.0.1:{h.group(1)}/metrics"
                    with urllib.request.urlopen(url, timeout=10) as r:
                        body = r.read().decode()
                got = re.findall(r'^vrpd_objects_rejected_by\{kind="(\w+)",'
                                 r'reason="(\w+)"\} ([1-9]\d*)$', body, re.M)
                check(got == [(kind, reason, "1")],
                      f"{case}: rejected as {kind}/{reason} ({got})")
            finally:
                v.stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish()


if __name__ == "__main__":
    sys.exit(main())
