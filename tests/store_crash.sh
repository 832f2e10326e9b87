#!/bin/sh
# kill -9 while the RRDP cache commits; the next open finds A or B, never a mix.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/store_crash.py"
