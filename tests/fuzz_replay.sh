#!/bin/sh
# Replays through the gcc-built harnesses (fuzz/replay_<harness>) every
# input that once crashed one (fuzz/regressions/<harness>/), the committed
# seeds (fuzz/seeds/<harness>/) and the fixture generator's objects of the
# harness's type: a fixed crash that comes back fails here, under the
# sanitizers, without clang or a fuzzing run.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${FIXTURES:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failed=0
for bin in "$top_builddir"/fuzz/replay_*; do
	h=${bin##*/replay_}
	set -- "$tmp/$h"
	FIXTURES=$FIXTURES top_srcdir=$top_srcdir \
		sh "$top_srcdir/fuzz/run.sh" --seeds "$h" "$tmp/$h"
	for d in "$top_srcdir/fuzz/seeds/$h" "$top_srcdir/fuzz/regressions/$h"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	if out=$("$bin" "$@" 2>&1); then
		echo "replay_$h: ${out##*replay: }"
	else
		echo "FAIL: replay_$h" >&2
		echo "$out" | tail -40 >&2
		failed=1
	fi
done
exit $failed
