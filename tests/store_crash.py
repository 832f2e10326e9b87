#!/usr/bin/env python3
"""The RRDP cache survives kill -9 at any moment (doc/DESIGN.md, Safety).

tests/store_tool commits tree A (2,000 objects), then starts a transaction
that writes tree B (20,000 objects, as a snapshot or as deltas on A) and
commits it. The test kills it with SIGKILL after a random delay, sometimes
kills the recovery that the next open runs too, then opens the store again
and requires the repository to hold exactly A or exactly B, every file with
the right contents, and no leftover generation; B only if the kill came
after its commit started. It stops by itself after 30 rounds or 40 seconds
of rounds, whichever comes first (STORE_CRASH_BUDGET changes the 40;
STORE_CRASH_SEED replays a run).

The caches live on /dev/shm when there is one: a kill -9 leaves the page
cache intact, so a RAM file system tests the same thing, and on some disks
(ext4 without a journal) creating files soon after many were deleted gets
slow enough to leave time for only a few rounds. STORE_CRASH_TMPDIR=/var/tmp
runs it on a disk, where syncfs() makes the commit long enough for many
kills to land inside it (give it STORE_CRASH_BUDGET=150 there).
"""

import os
import random
import signal
import subprocess
import sys
import tempfile
import time

from testlib import BUILD, fail, failures

TOOL = os.environ.get("STORE_TOOL", os.path.join(BUILD, "tests", "store_tool"))
NOTIFY = "https://rrdp.example/notification.xml"
A_COUNT, B_COUNT = 2000, 20000
ROUNDS = 30
BUDGET = float(os.environ.get("STORE_CRASH_BUDGET", "40"))


def content(seed, i):
    """Object i of seed, as tests/store_tool.c makes it."""
    return f"{seed}:{i}:".encode() * (1 + (7919 * i + seed) % 40)


def path(i):
    return f"rpki.example/repo/{i % 97}/{i}.roa"


TREE_A = {path(i): content(1, i) for i in range(A_COUNT)}
TREE_B = {
    "snapshot": {path(i): content(2, i) for i in range(B_COUNT)},
    # The deltas withdraw A's objects i % 3 == 0 and put every i % 3 != 0.
    "delta": {path(i): content(2, i) for i in range(B_COUNT) if i % 3 != 0},
}


def tool(*args):
    return [TOOL] + [str(a) for a in args]


def run(*args):
    return subprocess.run(tool(*args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=60)


def write_a(cache):
    r = run("snapshot", cache, NOTIFY, A_COUNT, 1, 1)
    if r.returncode != 0:
        raise SystemExit(f"store_tool snapshot A failed:\n{r.stderr}")


def write_b_args(cache, mode):
    if mode == "snapshot":
        return ("snapshot", cache, NOTIFY, B_COUNT, 2, 2)
    return ("delta", cache, NOTIFY, B_COUNT, 2, 2, A_COUNT)


def read_tree(root):
    tree = {}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            if os.path.islink(p):
                raise ValueError(f"symbolic link {p}")
        for name in files:
            p = os.path.join(d, name)
            with open(p, "rb") as f:
                tree[os.path.relpath(p, root)] = f.read()
    return tree


def diff(got, want):
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    wrong = sorted(k for k in set(got) & set(want) if got[k] != want[k])
    return (f"{len(missing)} missing {missing[:3]}, {len(extra)} extra "
            f"{extra[:3]}, {len(wrong)} wrong {wrong[:3]}")


def check(cache, mode, label):
    """Opens the store and checks it holds exactly A or exactly B."""
    r = run("show", cache, NOTIFY)
    if r.returncode != 0:
        fail(f"{label}: store_tool show exited {r.returncode}:\n{r.stderr}")
        return None
    lines = dict(l.split(" ", 1) for l in r.stdout.splitlines() if " " in l)
    if "serial" not in lines:
        fail(f"{label}: the repository is gone after the kill "
             f"(show printed {r.stdout!r})")
        return None
    serial, root = lines["serial"], lines["root"]
    want = {"1": TREE_A, "2": TREE_B[mode]}.get(serial)
    if want is None:
        fail(f"{label}: serial {serial}")
        return None
    try:
        got = read_tree(root)
    except (OSError, ValueError) as e:
        fail(f"{label}: reading serial {serial}'s tree: {e}")
        return None
    if got != want:
        fail(f"{label}: serial {serial} but the tree is not "
             f"{'A' if serial == '1' else 'B'}: {diff(got, want)}")
    repo = os.path.dirname(root)
    left = sorted(set(os.listdir(repo)) - {"state", os.path.basename(root)})
    if left:
        fail(f"{label}: left behind after recovery: {left}")
    return serial


def start_b(cache, mode):
    env = dict(os.environ, STORE_TOOL_PROGRESS="1")
    return subprocess.Popen(tool(*write_b_args(cache, mode)), env=env,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)


def calibrate(cache, mode):
    """How long B's begin and commit steps take here, uninterrupted."""
    write_a(cache)
    seen = {}
    p = start_b(cache, mode)
    for line in p.stdout:
        seen[line.split()[0]] = time.monotonic()
    if p.wait() != 0 or "done" not in seen:
        raise SystemExit(f"store_tool {mode} B failed")
    if check(cache, mode, f"uninterrupted {mode}") != "2":
        fail(f"uninterrupted {mode} did not commit B")
    return seen["begun"] - seen["begin"], seen["done"] - seen["commit"]


def kill_round(cache, mode, rng, spans):
    """
    Starts writing B and kills it at a random step: while the transaction
    begins (deltas link every file of A), while it puts objects, or while
    it commits (syncfs, the rename of the state, the removal of A). The
    step is chosen from the tool's progress lines, so the spread does not
    depend on the machine's speed. Returns the lines the tool printed
    before it died and a description.
    """
    begin_span, commit_span = spans
    r = rng.random()
    if r < 0.2:
        target, delay = "begin", rng.uniform(0, begin_span * 1.2)
    elif r < 0.5:
        n = rng.randrange(1000, B_COUNT, 1000)
        target, delay = f"put {n}", rng.uniform(0, 0.02)
    elif r < 0.75:
        # Before the rename, even where syncfs costs nothing.
        target, delay = "commit", rng.uniform(0, 0.003)
    else:
        target, delay = "commit", rng.uniform(0, commit_span * 1.3)
    p = start_b(cache, mode)
    lines = []
    for line in p.stdout:
        lines.append(line.strip())
        if lines[-1] == target:
            break
    time.sleep(delay)
    p.send_signal(signal.SIGKILL)
    p.wait()
    lines += [line.strip() for line in p.stdout]
    p.stdout.close()
    last = lines[-1] if lines else "nothing"
    return lines, (f"{mode}, killed {delay:.4f} s after {target!r}, "
                   f"last printed {last!r}")


def main():
    if not os.access(TOOL, os.X_OK):
        print(f"FAIL: {TOOL} not built (make check builds it)")
        return 1
    seed = int(os.environ.get("STORE_CRASH_SEED", time.time_ns() % 10**9))
    rng = random.Random(seed)
    tmpdir = os.environ.get("STORE_CRASH_TMPDIR")
    if tmpdir is None and os.access("/dev/shm", os.W_OK):
        tmpdir = "/dev/shm"
    work = tempfile.mkdtemp(prefix="store_crash.", dir=tmpdir)
    start = time.monotonic()
    found = {"before commit": [0, 0], "in commit": [0, 0], "done": [0, 0]}
    try:
        spans = {mode: calibrate(os.path.join(work, f"calibrate-{mode}"),
                                 mode)
                 for mode in ("snapshot", "delta")}
        print(f"in {work}: begin/commit of B take " + ", ".join(
            f"{b:.2f}/{c:.2f} s as {m}" for m, (b, c) in spans.items()) +
            f"; seed {seed}", flush=True)
        rounds = 0
        while rounds < ROUNDS and time.monotonic() - start < BUDGET:
            mode = ("snapshot", "delta")[rounds % 2]
            cache = os.path.join(work, f"round{rounds}")
            write_a(cache)
            lines, what = kill_round(cache, mode, rng, spans[mode])
            step = ("done" if "done" in lines else
                    "in commit" if "commit" in lines else "before commit")
            label = f"round {rounds} ({what})"
            if rounds % 3 == 2:
                # Kill the recovery that the next open runs, too.
                q = subprocess.Popen(tool("show", cache, NOTIFY),
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, 0.01))
                q.send_signal(signal.SIGKILL)
                q.wait()
                label += ", recovery killed"
            serial = check(cache, mode, label)
            if serial == "2" and step == "before commit":
                fail(f"{label}: B is current although its commit never "
                     "started")
            if serial == "1" and step == "done":
                fail(f"{label}: A is current although B was committed")
            if serial is not None:
                found[step][serial == "2"] += 1
            # Each small file takes a page of RAM on /dev/shm.
            subprocess.run(["rm", "-rf", cache])
            rounds += 1
        print(f"{rounds} rounds in {time.monotonic() - start:.1f} s; "
              "A/B found after kills in " + ", ".join(
                  f"{k}: {a}/{b}" for k, (a, b) in found.items()),
              flush=True)
        if rounds < 10:
            fail(f"only {rounds} rounds fitted in {BUDGET:.0f} s")
    finally:
        subprocess.run(["rm", "-rf", work])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
