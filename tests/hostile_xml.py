#!/usr/bin/env python3
"""vrpd --once against hostile RRDP XML.

Published relying-party vulnerabilities of the XML class replayed end to
end: DOCTYPEs, entity expansion (billion laughs), external entities
(XXE, in element text, in an attribute, and as an out-of-band parameter
entity that would fetch a DTD from the network), the wrong namespace or
version, malformed Base64 in a publish (Routinator CVE-2022-3029), one
URI published twice with different content (a 2026 FORT report: the
object then depends on the order of the elements), and deltas that
withdraw what was never published or replace an object without its
hash, or with a wrong one.

The fixture's good repository (two TAs, three RRDP repositories) is
served over HTTPS on 127.0.0.1 (tests/hostile_rrdp.py); one repository,
rpki0.example/rrdp2, serves per case a hostile notification, snapshot or
delta, every other byte the real one and every hash right, so that what
the case is about is the only thing wrong. For each case vrpd exits 0,
logs a line naming the refused file and the rule, and outputs:

- notification and snapshot: exactly the VRPs of the two good
  repositories with an empty cache (the reference comes from `vrpd
  --once --mirror` over the fixture's rsync copy without the victim), and
  all VRPs with a cache from an honest run ("the last good copy stays");
- delta (from a cache at the previous serial, the snapshot at the new
  serial good): the delta is refused, vrpd falls back to the snapshot
  (logged) and outputs all VRPs, and the cache holds the snapshot's
  objects, not the delta's.

The external entities point at a sentinel file whose text (and what it
decodes to as Base64) must never reach the cache, the output or the log;
the out-of-band DTD is on the test server, which must never be asked
for it. A duplicate publish runs in both orders, which must give the
same result.
"""

import base64
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from hostile_rrdp import (FALLBACK, LKG, NS, Bench, Handler, Run,  # noqa: E402
                          State, check, count, sha256, summary, write)

# The sentinel an external entity names: Base64 text, so that it would be
# decoded into an object if it were ever substituted in a publish.
SECRET = f"vrpdxxe{os.getpid()}secret".encode()
SECRET_B64 = base64.b64encode(SECRET)


# What vrpd says (rp/rrdp.c, rp/repo.c).
DTD = r"a DOCTYPE \(DTD\) is not allowed"
BASE64 = r"malformed base64 in <publish>"


class XmlState(State):
    def __init__(self):
        super().__init__()
        self.asked = []  # every path asked for


class XmlHandler(Handler):
    def hostile(self, path, file):
        with self.server.state.lock:
            self.server.state.asked.append(path)
        return False


def child(t, root, element):
    """element added as the last child of the root."""
    return t.replace(f"</{root}>", f"  {element}\n</{root}>", 1)


def xml_attacks(auth, secret_file):
    """(label, regex of the log line, edit(text, root) -> text), for a
    notification, snapshot or delta alike."""
    lol = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">'
                  for i in range(1, 10))
    laughs = f'<!ENTITY lol0 "lol">{lol}'
    xxe = f'<!ENTITY xxe SYSTEM "file://{secret_file}">'

    def text(root, ref):
        """ref where the file has text: a publish's Base64, or (in a
        notification, which has none) the root's text."""
        if root == "notification":
            return ref
        return f'<publish uri="{NS}ta1-1-0/xml.roa">{ref}</publish>'

    def attr(root, ref):
        if root == "notification":
            return (f'<delta serial="1" uri="https://{auth}/{ref}" '
                    f'hash="{"00" * 32}"/>')
        return f'<publish uri="{NS}ta1-1-0/{ref}.roa">QUFB</publish>'

    return [
        ("a DOCTYPE with an external DTD", DTD,
         lambda t, r: f'<!DOCTYPE {r} SYSTEM "https://{auth}/evil.dtd">\n'
         + t),
        ("billion laughs", DTD,
         lambda t, r: f"<!DOCTYPE {r} [{laughs}]>\n" +
         child(t, r, text(r, "&lol9;"))),
        ("an entity reference without a DTD",
         r"entity reference &lol9; is not allowed|Entity 'lol9' not defined",
         lambda t, r: child(t, r, text(r, "&lol9;"))),
        ("XXE in an element", DTD,
         lambda t, r: f"<!DOCTYPE {r} [{xxe}]>\n" +
         child(t, r, text(r, "&xxe;"))),
        ("XXE in an attribute", DTD,
         lambda t, r: f"<!DOCTYPE {r} [{xxe}]>\n" +
         child(t, r, attr(r, "&xxe;"))),
        ("XXE by an out-of-band parameter entity", DTD,
         lambda t, r: f'<!DOCTYPE {r} [<!ENTITY % ext SYSTEM '
         f'"https://{auth}/evil.dtd"> %ext;]>\n' +
         child(t, r, text(r, "&xxe;"))),
        ("a wrong namespace",
         r'is in namespace "http://www\.ripe\.net/rpki/rrdp-evil", not ',
         lambda t, r: t.replace('xmlns="http://www.ripe.net/rpki/rrdp"',
                                'xmlns="http://www.ripe.net/rpki/rrdp-evil"',
                                1)),
        ("version 2", r'version "2" is not 1',
         lambda t, r: re.sub(r'version="1"', 'version="2"', t, count=1)),
    ]


# Malformed Base64 (RFC 4648 s.4) in place of a real object's.
BAD_BASE64 = [
    ("a character outside the alphabet", "QUFB!QUFB"),
    ("data after the padding", "QUE=QUFB"),
    ("an incomplete quantum", "QUFBQ"),
    ("OpenSSL's end-of-data '-'", "QUFB-QUFB"),
]


def cache_files(cache):
    for d, _, fs in os.walk(cache):
        for n in fs:
            yield os.path.join(d, n)


def main():
    st = XmlState()
    with Bench("vrpd-hostile-xml-", XmlHandler, st) as b:
        if not b.start():
            return 1
        secret_file = os.path.join(b.work, "secret")
        write(secret_file, SECRET_B64)
        # The out-of-band DTD, on the server for anyone who asks.
        write(os.path.join(b.good, b.authority, "evil.dtd"),
              f'<!ENTITY xxe SYSTEM "file://{secret_file}">'.encode())
        objs = b.snapshot_objects()
        roa = NS + "ta1-1-0/roa10.roa"
        held = objs[roa][1]
        a64, a = objs[NS + "ta1-1-0/roa11.roa"]
        b64, _ = objs[NS + "ta1-1-0/roa12.roa"]

        def after(what, run, token, rc, out, err, dt):
            leaked = [p for p in cache_files(b.cache)
                      if SECRET in open(p, "rb").read() or
                      SECRET_B64 in open(p, "rb").read()]
            check(not leaked and SECRET.decode() not in out + err and
                  SECRET_B64.decode() not in out + err,
                  f"{what}: the sentinel's text is nowhere in the cache, "
                  "the output or the log", "\n".join(leaked))
            asked = [p for p in st.asked if p.endswith("evil.dtd")]
            check(not asked, f"{what}: no DTD was fetched", str(asked))
            del st.asked[:]

        def after_delta(what, run, token, rc, out, err, dt):
            after(what, run, token, rc, out, err, dt)
            # The snapshot's objects, none of the delta's.
            tail = roa[len("rsync://"):]
            got = [open(p, "rb").read() for p in cache_files(b.cache)
                   if p.endswith(tail)]
            check(got and all(g == held for g in got),
                  f"{what}: the cache holds the snapshot's {roa}",
                  f"{len(got)} copies, {sum(g != held for g in got)} "
                  "differ")
            new = [p for p in cache_files(b.cache)
                   if re.search(r"/(new|never|xml|lol)\.roa$", p)]
            check(not new, f"{what}: no object of the delta in the cache",
                  "\n".join(new))

        def names(path):
            return path.split(b.authority, 1)[1] + ": "

        delta_run = (Run("cache from an honest run", b.primed, b.full,
                         logged=(FALLBACK,), not_logged=(LKG,)),)

        def delta_case(label, elements, log_re, edit=None):
            docroot, delta = b.hostile_delta(
                "d", elements, edit=edit, snapshot=True)
            res = b.case(f"delta: {label}", delta_run, log_re, names(delta),
                         docroot=docroot, after=after_delta)
            shutil.rmtree(docroot)
            return res

        def snapshot_case(label, edit, log_re):
            docroot, snap = b.hostile_snapshot("s", edit)
            res = b.case(f"snapshot: {label}", b.refused(), log_re,
                         names(snap), docroot=docroot, after=after)
            shutil.rmtree(docroot)
            return res

        for label, log_re, edit in xml_attacks(b.authority, secret_file):
            docroot, note = b.hostile_notification(
                "n", lambda t: edit(t, "notification"))
            b.case(f"notification: {label}", b.refused(), log_re,
                   names(note), docroot=docroot, after=after)
            shutil.rmtree(docroot)
            snapshot_case(label, lambda t: edit(t, "snapshot"), log_re)
            delta_case(label, "", log_re, lambda t: edit(t, "delta"))

        # Routinator CVE-2022-3029: malformed Base64 in a publish.
        orig = objs[roa][0]
        for label, bad in BAD_BASE64:
            snapshot_case(f"malformed Base64, {label}",
                          lambda t: t.replace(orig, bad, 1), BASE64)
        delta_case("malformed Base64 replacing an object",
                   f'<publish uri="{roa}" hash="{sha256(held)}">'
                   f"{BAD_BASE64[0][1]}</publish>", BASE64)

        # One URI published twice: the result must not depend on which
        # element comes last, so both orders are run and must agree.
        def both_orders(run_one, label, first, second, rules):
            """rules: the regex of the refusal in each order."""
            res = [run_one(f"{label} (order {i})", x + "\n  " + y, rule)
                   for i, ((x, y), rule) in enumerate(zip(
                       ((first, second), (second, first)), rules), 1)]
            for k, (r1, r2) in enumerate(zip(*res)):
                check(r1[0] == r2[0], f"{label}: both orders give the same "
                      f"VRPs (run {k + 1})",
                      f"{count(r1[0])} against {count(r2[0])}")

        both_orders(
            lambda label, pubs, rule: snapshot_case(
                label, lambda t: t.replace(
                    f'<publish uri="{roa}">{orig}</publish>', pubs, 1),
                rule),
            "two publishes of one URI",
            f'<publish uri="{roa}">{orig}</publish>',
            f'<publish uri="{roa}">{a64}</publish>',
            (r"/roa10\.roa is published twice",) * 2)
        # In a delta, the second element is refused as naming its URI
        # again, unless the first is refused already as not fitting what
        # the cache holds: the delta is refused either way.
        twice = r"/(roa10|new)\.roa is named twice, so its object would " \
            r"depend on the order of the elements"
        held_not = r"/roa10\.roa, but not the object we hold"
        held_new = r"/roa10\.roa as new, but we hold it"
        for label, first, second, rules in (
                ("two publishes replacing one object",
                 f'<publish uri="{roa}" hash="{sha256(held)}">{a64}'
                 "</publish>",
                 f'<publish uri="{roa}" hash="{sha256(held)}">{b64}'
                 "</publish>", (twice, twice)),
                ("a publish replacing the one before it",
                 f'<publish uri="{roa}" hash="{sha256(held)}">{a64}'
                 "</publish>",
                 f'<publish uri="{roa}" hash="{sha256(a)}">{b64}'
                 "</publish>", (twice, held_not)),
                ("two publishes of one new URI",
                 f'<publish uri="{NS}ta1-1-0/new.roa">{a64}</publish>',
                 f'<publish uri="{NS}ta1-1-0/new.roa">{b64}</publish>',
                 (twice, twice)),
                ("a withdraw and a publish of one URI",
                 f'<withdraw uri="{roa}" hash="{sha256(held)}"/>',
                 f'<publish uri="{roa}">{a64}</publish>',
                 (twice, held_new))):
            both_orders(delta_case, label, first, second, rules)

        delta_case("a withdraw of an object never published",
                   f'<withdraw uri="{NS}ta1-1-0/never.roa" '
                   f'hash="{sha256(b"never")}"/>',
                   r"withdraws \S+/never\.roa, but not the object we hold")
        delta_case("a publish replacing an object without its hash",
                   f'<publish uri="{roa}">{a64}</publish>',
                   r"publishes \S+/roa10\.roa as new, but we hold it")
        delta_case("a publish replacing an object with a wrong hash",
                   f'<publish uri="{roa}" hash="{sha256(b"wrong")}">{a64}'
                   "</publish>",
                   r"replaces \S+/roa10\.roa, but not the object we hold")
    return summary()


if __name__ == "__main__":
    sys.exit(main())
