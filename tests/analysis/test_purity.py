"""The analysis package stays usable from a notebook: importing it pulls in neither Dash nor the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_importing_analysis_loads_no_dash_and_no_app():
    code = ("import sys, analysis, analysis.export, analysis.synthetic; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'dash', 'hill_dash', "
            "'dash_bootstrap_components'}))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "[]"
