#!/bin/sh
# See tests/rejections.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/rejections.py"
