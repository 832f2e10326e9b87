#!/bin/sh
# Hostile and broken routers against vrpd's RTR server (tests/rtr_hostile.py).
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/rtr_hostile.py"
