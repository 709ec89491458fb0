"""`hill-dash scenarios`: the listing, --check, and clear failures; the JSON object is the last stdout line."""

from __future__ import annotations

import json

from click.testing import CliRunner
from scenario_files import write_cifar

from hill_dash.cli import main


def _last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def test_listing_as_json_names_every_builtin_and_its_data():
    result = CliRunner().invoke(main, ["scenarios", "--json"])
    assert result.exit_code == 0, result.output
    listed = {s["name"]: s for s in _last_json(result.stdout)["scenarios"]}
    assert {"digits", "basicmotions", "cifar10", "pamap2"} <= set(listed)
    assert listed["cifar10"]["can_download"] is True and "download" in listed["cifar10"]["options"]
    assert listed["pamap2"]["needs_files"] is True and "keep_transient" in listed["pamap2"]["options"]


def test_listing_in_words():
    result = CliRunner().invoke(main, ["scenarios"])
    assert result.exit_code == 0
    assert "ships with a package" in result.stdout and "needs files in --data-dir" in result.stdout


def test_check_builds_a_scenario_with_data_dir_and_options(tmp_path):
    write_cifar(tmp_path)
    result = CliRunner().invoke(main, ["scenarios", "--check", "cifar10", "--data-dir", str(tmp_path),
                                       "--display-size", "10", "--seed", "2", "--option", "download=false",
                                       "--json"])
    assert result.exit_code == 0, result.output
    summary = _last_json(result.stdout)["scenario"]
    assert summary["latent_dim"] == 4096 and summary["input_shape"] == [3, 32, 32]
    assert summary["sizes"] == {"train": 100, "val": 20, "test": 20, "display": 10}
    assert summary["defaults"]["interaction_epochs"] == [25, 30, 35, 40]


def test_check_fails_clearly_without_files_or_with_a_bad_option(tmp_path):
    result = CliRunner().invoke(main, ["scenarios", "--check", "pamap2", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0 and "no subjectNNN.dat files under" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["scenarios", "--check", "digits", "--option", "download"])
    assert result.exit_code != 0 and "write KEY=VALUE" in result.output
