#!/bin/sh
# The generator's promise: the same seed and options give byte-identical
# repositories, whether signed by one process or several; another seed gives
# another repository.
set -eu
PYTHON=${PYTHON:-/usr/bin/python3}
GEN="${top_srcdir:-.}/fixtures/gen/rpkigen.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/vrpd-determinism-XXXXXX")
trap 'rm -rf "$work"' EXIT

gen() {
	out=$1
	shift
	"$PYTHON" "$GEN" --out "$work/$out" "$@" >"$work/$out.log"
}

gen a --seed 7 --jobs 1
gen b --seed 7 --jobs 1
if ! diff -r "$work/a" "$work/b" >"$work/diff"; then
	echo "FAIL: seed 7 twice gave different repositories:"
	head -20 "$work/diff"
	exit 1
fi
echo "ok: same seed, same bytes ($(find "$work/a" -type f | wc -l) files)"

gen c --seed 8 --jobs 1
if diff -rq "$work/a" "$work/c" >/dev/null; then
	echo "FAIL: seeds 7 and 8 gave the same repositories"
	exit 1
fi
echo "ok: another seed, other bytes"

# Enough CAs (2 TAs x 91) that signing is spread over processes.
gen one --seed 3 --cases good --depth 2 --fanout 9 --jobs 1
gen two --seed 3 --cases good --depth 2 --fanout 9 --jobs 2
if ! diff -r "$work/one" "$work/two" >"$work/diff"; then
	echo "FAIL: --jobs 2 gave other bytes than --jobs 1:"
	head -20 "$work/diff"
	exit 1
fi
echo "ok: parallel signing, same bytes ($(cat "$work/two.log"))"
