#!/bin/sh
# vrpd --once --cache-dir: kept copies of publication points (RFC 9286).
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/once_lkg.py"
