#!/bin/sh
# See tests/once_rrdp.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/once_rrdp.py"
