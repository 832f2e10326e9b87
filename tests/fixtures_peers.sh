#!/bin/sh
# rpki-client and FORT must agree with the generator (tests/fixtures_peers.py).
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/fixtures_peers.py"
