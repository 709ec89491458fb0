"""The `hill-dash` command line: a thin layer over the library.

Commands are listed by name in `_registry` and imported only when they run, so `hill-dash --help` loads neither
torch, statsmodels nor Dash.
"""

from __future__ import annotations

from hill_dash.cli._group import main

__all__ = ["main"]
