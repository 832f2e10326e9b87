#!/bin/sh
# See tests/config_file.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/config_file.py"
