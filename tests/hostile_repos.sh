#!/bin/sh
# vrpd --once against hostile repositories (structure, manifests).
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/hostile_repos.py"
