#!/bin/sh
# Runs libFuzzer harnesses built by `make fuzz-build`, each for SECONDS, on
# their seeds: the fixture generator's objects of the harness's file type,
# fuzz/seeds/<harness>/ and fuzz/regressions/<harness>/. What a run finds
# new is kept in $FUZZ_DIR/corpus/<harness>/ for the next run; a crash is
# saved as $FUZZ_DIR/crashes/<harness>-crash-<sha1> and fails the run.
#
#   fuzz/run.sh SECONDS HARNESS...
#   fuzz/run.sh --seeds HARNESS DIR   only copies the fixture seeds to DIR
#
# Environment: top_srcdir (the source tree), FUZZ_DIR (default fuzz-build),
# FIXTURES (default tests/fixture-repos), FUZZ_JOBS harnesses at a time
# (default 1), FUZZ_ARGS more libFuzzer flags.
set -eu

[ $# -ge 2 ] || { echo "usage: $0 SECONDS HARNESS..." >&2; exit 2; }
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
FUZZ_DIR=${FUZZ_DIR:-fuzz-build}
FIXTURES=${FIXTURES:-tests/fixture-repos}
FUZZ_JOBS=${FUZZ_JOBS:-1}
FUZZ_ARGS=${FUZZ_ARGS:-}
export top_srcdir FUZZ_DIR FIXTURES FUZZ_ARGS

# The generator's files each harness reads, by name.
fixture_patterns() {
	case $1 in
	tal) echo '*.tal' ;;
	cert) echo '*.cer' ;;
	crl) echo '*.crl' ;;
	roa) echo '*.roa' ;;
	mft) echo '*.mft' ;;
	aspa) echo '*.asa' ;;
	cms) echo '*.roa *.mft *.asa' ;;
	rrdp_notification) echo 'notification.xml' ;;
	rrdp_stream) echo 'snapshot*.xml delta*.xml' ;;
	vrpfile) echo 'vrps.csv vrps.json' ;;
	*) ;;
	esac
}

# The dictionary of a harness, if it has one.
dictionary() {
	case $1 in
	rrdp_*) echo "$top_srcdir/fuzz/dict/rrdp.dict" ;;
	slurm | vrpfile) echo "$top_srcdir/fuzz/dict/json.dict" ;;
	conffile) echo "$top_srcdir/fuzz/dict/conffile.dict" ;;
	*) ;;
	esac
}

# Copies the fixture files of harness $1 into $2, one copy per content.
# For the signed objects also their eContent alone, which the harness
# decodes as it is: mutations of it then reach the decoder directly instead
# of most of them landing in the envelope around it.
collect_seeds() {
	mkdir -p "$2"
	case $1 in
	roa | mft | aspa) econtent=yes ;;
	*) econtent=no ;;
	esac
	for p in $(fixture_patterns "$1"); do
		[ -d "$FIXTURES" ] || break
		find "$FIXTURES" -type f -name "$p"
	done | while read -r f; do
		sum=$(sha1sum <"$f" | cut -c1-40)
		cp "$f" "$2/$sum"
		[ $econtent = yes ] || continue
		# Objects the generator signed badly on purpose are skipped.
		openssl cms -verify -noverify -inform DER -binary -in "$f" \
			-out "$2/econtent-$sum" >/dev/null 2>&1 ||
			rm -f "$2/econtent-$sum"
	done
}

# One harness: run, then one summary line from libFuzzer's final stats.
run_one() {
	h=$1
	bin=$FUZZ_DIR/fuzz_$h
	log=$FUZZ_DIR/logs/$h.log
	mkdir -p "$FUZZ_DIR/corpus/$h" "$FUZZ_DIR/crashes" "$FUZZ_DIR/logs"
	collect_seeds "$h" "$FUZZ_DIR/seeds/$h"
	set -- "$FUZZ_DIR/corpus/$h" "$FUZZ_DIR/seeds/$h"
	for d in "$top_srcdir/fuzz/seeds/$h" "$top_srcdir/fuzz/regressions/$h"; do
		[ -d "$d" ] && set -- "$@" "$d"
	done
	dict=$(dictionary "$h")
	[ -n "$dict" ] && set -- "-dict=$dict" "$@"
	# shellcheck disable=SC2086 # FUZZ_ARGS is words
	if "$bin" -max_total_time="$seconds" -print_final_stats=1 \
	    -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$FUZZ_DIR/crashes/$h-" $FUZZ_ARGS "$@" \
	    >"$log" 2>&1; then
		status=ok
	else
		status=FAILED
	fi
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
	cov=$(grep -E '^#[0-9]+.*cov: ' "$log" | tail -1 |
		sed -e 's/.*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1 ft \2 corpus \3/')
	echo "fuzz_$h: $status: $(stat number_of_executed_units) runs," \
		"$(stat average_exec_per_sec)/s, $cov (log $log)"
	[ "$status" = ok ] || { tail -40 "$log" >&2; return 1; }
}

case $1 in
--seeds)
	collect_seeds "$2" "$3"
	exit
	;;
--one)
	seconds=$2
	run_one "$3"
	exit
	;;
esac
seconds=$1
shift

failed=0
printf '%s\n' "$@" | xargs -P "$FUZZ_JOBS" -I{} sh "$0" --one "$seconds" {} ||
	failed=1
exit $failed
