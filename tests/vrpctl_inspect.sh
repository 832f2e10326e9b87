#!/bin/sh
# vrpctl inspect on the fixtures: every type, text and JSON, and in context.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/vrpctl_inspect.py"
