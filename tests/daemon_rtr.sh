#!/bin/sh
# See tests/daemon_rtr.py.
for p in rtrclient stdbuf; do
	command -v "$p" >/dev/null 2>&1 || { echo "no $p: skipped"; exit 77; }
done
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/daemon_rtr.py"
