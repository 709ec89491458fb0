"""Running `hill-dash` in-process, and a small simulated study built through it (once per test module)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from hill_dash.cli import main


class Cli:
    """`hill-dash` commands run in-process, with their `--json` result read back."""

    participants = 2
    seeds = 1

    def invoke(self, *args: Any) -> Result:
        return CliRunner().invoke(main, [str(a) for a in args])

    def last_json(self, result: Result) -> dict[str, Any]:
        """The JSON object on the last line of standard output (what `--json` promises)."""
        lines = result.stdout.strip().splitlines()
        assert lines, f"no output; stderr: {result.stderr[-2000:]}"
        return json.loads(lines[-1])

    def build_demo(self, data_dir: Path) -> dict[str, Any]:
        """`hill-dash demo-study` with two participants and one baseline seed; its JSON summary."""
        result = self.invoke("demo-study", "--participants", self.participants, "--seeds", self.seeds,
                             "--out", data_dir, "--json")
        assert result.exit_code == 0, result.output[-3000:]
        return self.last_json(result)


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli()
