#!/bin/sh
# contrib/demo, the offline pipeline `contrib/quickstart run --demo` runs.
command -v rtrclient >/dev/null 2>&1 || { echo "no rtrclient: skipped"; exit 77; }
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/contrib/demo" \
	--vrpd "${top_builddir:-.}/vrpd"
