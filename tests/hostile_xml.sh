#!/bin/sh
# See tests/hostile_xml.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/hostile_xml.py"
