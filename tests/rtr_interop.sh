#!/bin/sh
# rtrclient and BIRD against vrpd's RTR server (tests/rtr_interop.py).
PATH="$PATH:/usr/sbin:/sbin"
export PATH
for prog in rtrclient bird birdc stdbuf; do
	if ! command -v "$prog" >/dev/null 2>&1; then
		echo "SKIP: $prog not installed (rtr-tools, bird2, coreutils)"
		exit 77
	fi
done
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/rtr_interop.py"
