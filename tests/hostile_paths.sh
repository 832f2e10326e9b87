#!/bin/sh
# See tests/hostile_paths.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/hostile_paths.py"
