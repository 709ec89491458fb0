#!/usr/bin/env bash
# Creates .venv (if missing) and installs hill-dash into it with the exact versions in constraints/lock.txt, with
# extras given as arguments (e.g. "test"). Regenerate the lock with scripts/lock.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
if [ $# -gt 0 ]; then extras="[$(IFS=,; echo "$*")]"; fi
.venv/bin/python -m pip install --quiet 'pip==26.3' >/dev/null
# torch first, from the lock, so that nothing else pulls a different build.
.venv/bin/python -m pip install --quiet -c constraints/lock.txt torch torchvision
.venv/bin/python -m pip install --quiet -c constraints/lock.txt -e ".${extras}"
