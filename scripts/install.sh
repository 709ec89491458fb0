#!/usr/bin/env bash
# Creates .venv (if missing) and installs hill-dash into it, with extras given as arguments (e.g. "test").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
if [ $# -gt 0 ]; then extras="[$(IFS=,; echo "$*")]"; fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
# torch first, pinned, so that nothing else pulls a different build.
.venv/bin/python -m pip install --quiet -c constraints/torch.txt torch torchvision
.venv/bin/python -m pip install --quiet -c constraints/torch.txt -e ".${extras}"
