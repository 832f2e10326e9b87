#!/bin/sh
# See tests/hostile_fetch.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/hostile_fetch.py"
