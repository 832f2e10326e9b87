#!/bin/sh
# See tests/slurm_apply.py.
exec "${PYTHON:-/usr/bin/python3}" "${top_srcdir:-.}/tests/slurm_apply.py"
