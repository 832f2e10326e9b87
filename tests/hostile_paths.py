#!/usr/bin/env python3
"""vrpd --once against RRDP files whose URIs climb out of the cache.

Published relying-party vulnerabilities replayed end to end: Routinator
CVE-2023-39916 and CVE-2025-0638 (RRDP URIs with `..`, absolute paths or
odd characters written or removed outside the repository's directory),
OctoRPKI's path traversal, FORT's cache poisoning (GHSA-qfm3-577x-rh54: a
repository writing into another repository's part of the cache).

The fixture's good repository (two TAs, three RRDP repositories) is
served over HTTPS on 127.0.0.1 (tests/hostile_rrdp.py). One repository
(rpki0.example/rrdp2) serves, per case, a snapshot (or a delta) that is
the real one plus one hostile publish or withdraw, with the right hash in
its notification, so that the URI is the only thing wrong with it. The
cache lies deep inside a tree of sentinel files; every hostile URI names
a file with a unique marker. For each case:

- nothing outside the cache changed (every sentinel is intact, no new
  file anywhere in the tree, none with the marker in /tmp or /), and no
  file with the marker is in the cache either;
- the snapshot or delta is refused, and the log names the bad URI;
- vrpd exits 0, and outputs exactly the VRPs of the two good
  repositories (empty cache; the reference comes from `vrpd --once
  --mirror` over the fixture's rsync copy without the bad repository), or
  all VRPs (a cache from an honest run: the last good copy stays).
"""

import os
import shutil
import sys

sys.path.insert(0, os.path.join(os.environ.get("top_srcdir", "."), "tests"))
from hostile_rrdp import LKG, NS, Bench, Run, check, summary  # noqa: E402

MARK = f"vrpdevil{os.getpid()}"


# What vrpd says of each kind of bad URI (rp/rrdp.c, rp/repo.c).
DOT = r'has a "\." or "\.\." path segment'
EMPTY = r"has an empty path segment"
BACKSLASH = r"has a '\\'"
ASCII = r"has a character that is not printable ASCII"
HOST = r"has a bad host"
RSYNC = r"is not an rsync:// URI"
NAMESPACE = r"is outside the repository's namespace"
LONG = r"is longer than 2048 bytes"


# The hostile URIs: (label, URI as it appears in the XML attribute, a
# regex the log must match). Each names a file with MARK in it.
def hostile_uris():
    up = "../" * 12
    return [
        ("'..' out of the cache", f"{NS}{up}tmp/{MARK}.roa", DOT),
        ("'..' into another repository's module",
         f"{NS}ta1-1-0/../../repo0/ta1/{MARK}.roa", DOT),
        ("'..' as its last segment", f"{NS}ta1-1-0/{MARK}/..", DOT),
        ("'.' segment", f"{NS}./{MARK}.roa", DOT),
        ("absolute path after the module", f"{NS}/tmp/{MARK}.roa", EMPTY),
        ("backslashes", f"{NS}ta1-1-0/..\\..\\..\\{MARK}.roa", BACKSLASH),
        ("non-ASCII (UTF-8)", f"{NS}ta1-1-0/{MARK}\u00e9.roa", ASCII),
        ("a newline", f"{NS}ta1-1-0/{MARK}&#10;.roa", ASCII),
        ("a tab", f"{NS}ta1-1-0/{MARK}&#9;.roa", ASCII),
        ("DEL", f"{NS}ta1-1-0/{MARK}&#127;.roa", ASCII),
        ("a space", f"{NS}ta1-1-0/{MARK} x.roa", ASCII),
        ("authority '..'", f"rsync://../repo2/{MARK}.roa", HOST),
        ("module '..'", f"rsync://rpki0.example/../{MARK}.roa", DOT),
        ("another repository's module",
         f"rsync://rpki1.example/repo1/ta2/{MARK}.roa", NAMESPACE),
        ("file: URI", f"file:///tmp/{MARK}.roa", RSYNC),
        ("a directory URI", f"{NS}ta1-1-0/{MARK}/", EMPTY),
        ("a URI of 3000 bytes", f"{NS}{MARK}/" + "a/" * 1490 + "x.roa",
         LONG),
    ]


def walk(root, skip):
    """Every path under root (but not under skip) with its size, mode and
    modification time."""
    seen = {}
    for d, dirs, files in os.walk(root):
        dirs[:] = [n for n in dirs if os.path.join(d, n) != skip]
        for n in dirs + files:
            p = os.path.join(d, n)
            if p == skip:
                continue
            s = os.lstat(p)
            seen[p] = (s.st_size, s.st_mode, s.st_mtime_ns)
    return seen


def marked(root):
    return [os.path.join(d, n) for d, ds, fs in os.walk(root)
            for n in ds + fs if MARK in n]


def sentinels(top):
    """A tree around the cache: top/s/…/cache, with files beside every
    level, so that any '..' lands next to one."""
    deep = top
    for i in range(6):
        with open(os.path.join(deep, f"sentinel{i}"), "w") as f:
            f.write(f"sentinel {i}\n")
        for name in ("tmp", "repo0", "ta1", "rpki0.example"):
            os.makedirs(os.path.join(deep, name), exist_ok=True)
        deep = os.path.join(deep, f"s{i}")
        os.makedirs(deep)
    return deep


class Tree:
    """The sentinel tree the cache lies in, and the checks that nothing
    outside the cache changed and no file of a hostile URI appeared."""

    def __init__(self, work):
        self.top = os.path.join(work, "tree")
        os.makedirs(self.top)
        self.cache = os.path.join(sentinels(self.top), "cache")

    def before(self, run, cache):
        return walk(self.top, self.cache)

    def after(self, what, run, before, rc, out, err, dt):
        now = walk(self.top, self.cache)
        changed = sorted(p for p in set(before) | set(now)
                         if before.get(p) != now.get(p))
        check(not changed, f"{what}: nothing outside the cache changed",
              "\n".join(changed[:10]))
        stray = marked(self.top) + [p for p in (
            f"/tmp/{MARK}.roa", f"/{MARK}.roa") if os.path.lexists(p)]
        check(not stray, f"{what}: no file of the hostile URI anywhere, "
              "the cache included", "\n".join(stray[:10]))


def main():
    with Bench("vrpd-hostile-paths-") as b:
        if not b.start():
            return 1
        tree = Tree(b.work)

        def case(name, docroot, bad_file, log_re, runs):
            # Every refusal names the file it is in, then the bad URI.
            url = bad_file.split(b.authority, 1)[1]
            b.case(name, runs, log_re, url + ": ", docroot=docroot,
                   cache=tree.cache, before=tree.before, after=tree.after)
            shutil.rmtree(docroot)

        # The URIs go in as XML attribute text (& is already escaped
        # where meant).
        for i, (label, uri, log_re) in enumerate(hostile_uris()):
            docroot, snap = b.hostile_snapshot(
                f"s{i}", lambda t, uri=uri: t.replace(
                    "</snapshot>", f'  <publish uri="{uri}">AAAA</publish>\n'
                    "</snapshot>"))
            case(f"snapshot publishing {label}", docroot, snap, log_re,
                 b.refused())
        # Deltas: withdraw and publish (the latter replacing an object
        # with a hash) of URIs that climb out, from a cache at the
        # latest serial.
        for i, (label, element, log_re) in enumerate((
                ("withdrawing '..' out of the cache",
                 f'<withdraw uri="{NS}{"../" * 12}tmp/{MARK}.roa" '
                 f'hash="{"ab" * 32}"/>', DOT),
                ("withdrawing a sentinel by '..'",
                 f'<withdraw uri="{NS}{"../" * 3}sentinel5" '
                 f'hash="{"ab" * 32}"/>', DOT),
                ("withdrawing an absolute path",
                 f'<withdraw uri="{NS}/tmp/{MARK}.roa" hash="{"ab" * 32}"/>',
                 EMPTY),
                ("withdrawing from another repository",
                 f'<withdraw uri="rsync://rpki0.example/repo0/ta1/{MARK}.roa"'
                 f' hash="{"ab" * 32}"/>', NAMESPACE),
                ("publishing '..' out of the cache",
                 f'<publish uri="{NS}ta1-1-0/{"../" * 12}tmp/{MARK}.roa">'
                 "AAAA</publish>", DOT),
                ("replacing by '..' an object of another repository",
                 f'<publish uri="{NS}../repo0/ta1/{MARK}.roa" '
                 f'hash="{"ab" * 32}">AAAA</publish>', DOT),
        )):
            docroot, delta = b.hostile_delta(f"d{i}", element)
            case(f"delta {label}", docroot, delta, log_re,
                 (Run("cache from an honest run", b.primed, b.full,
                      logged=(LKG,)),))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
