#!/bin/sh
# vrpd --once on every fixture, against the expected outputs and rpki-client.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/once_differential.py"
