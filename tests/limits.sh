#!/bin/sh
# Every limit at its value and just past it (tests/limits.py).
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/limits.py"
