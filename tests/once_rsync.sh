#!/bin/sh
# See tests/once_rsync.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/once_rsync.py"
