"""The command group stays light: listing the commands imports neither torch, statsmodels nor Dash, and every
registered command resolves to a real click command."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

HEAVY = ("torch", "statsmodels", "dash", "pandas")


def _modules_after(code: str) -> set[str]:
    """The heavy top-level modules loaded in a fresh interpreter after running `code`."""
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_command_group_loads_no_heavy_library():
    assert _modules_after("import hill_dash.cli") == set()


def test_help_lists_every_command_without_loading_torch():
    code = ("from hill_dash.cli import main\n"
            "try:\n    main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass")
    assert _modules_after(code) == set()
    from hill_dash.cli import main
    from hill_dash.cli._registry import COMMANDS

    listing = CliRunner().invoke(main, ["--help"]).output
    for name in COMMANDS:
        assert f"  {name}" in listing


def test_bench_help_lists_its_subcommands_without_loading_torch():
    code = ("from hill_dash.cli import main\n"
            "try:\n    main(['bench', '--help'], standalone_mode=False)\nexcept SystemExit:\n    pass")
    assert "torch" not in _modules_after(code)


@pytest.mark.parametrize("group", ["COMMANDS", "BENCH"])
def test_every_registered_command_resolves(group):
    from hill_dash.cli import _registry
    from hill_dash.cli._group import bench, main

    parent = main if group == "COMMANDS" else bench
    for name in getattr(_registry, group):
        command = parent.get_command(click.Context(parent), name)
        assert isinstance(command, click.Command), name
        assert command.name == name, f"{name} is registered as {command.name!r}"


def test_an_unknown_command_is_refused_with_the_list():
    from hill_dash.cli import main

    result = CliRunner().invoke(main, ["trian"])
    assert result.exit_code != 0
    assert "No such command" in result.output


def test_the_cli_benchmark_reports_start_up_and_heavy_imports():
    from hill_dash.cli import main

    result = CliRunner().invoke(main, ["bench", "cli", "--repeats", "1", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["heavy_modules_loaded"] == []
    assert report["help_seconds"] > 0 and report["peak_rss_mb"] > 0
