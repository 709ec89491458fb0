"""The `hill-dash` command line: a thin layer over the library.

Each command lives in its own module and registers itself on `main` when imported; the modules are listed in
`COMMAND_MODULES` so that a broken optional part fails with its own name instead of hiding every command.
"""

from __future__ import annotations

import importlib

from hill_dash.cli._group import main

COMMAND_MODULES = [
    "serve",
    "scenarios",
    "train",
    "baseline",
    "simulate",
    "bench",
    "transcribe",
    "researcher",
    "studydata",
]

for _name in COMMAND_MODULES:
    importlib.import_module(f"hill_dash.cli.{_name}")

__all__ = ["main"]
