#!/bin/sh
# See tests/once_crash.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/once_crash.py"
