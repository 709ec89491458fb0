#!/usr/bin/env bash
# Regenerates constraints/lock.txt: the exact version of every package the app and its test extras install.
# Run it after changing a dependency in pyproject.toml, then run the suite on the new lock before committing it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tools=${PIP_TOOLS_VENV:-.lock-tools}
if [ ! -x "$tools/bin/pip-compile" ]; then
  "$PY" -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --upgrade pip 'pip-tools==7.6.2'
fi
"$tools/bin/pip-compile" --quiet --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
  --extra test -c constraints/torch.txt --output-file constraints/lock.txt pyproject.toml
