"""`hill-dash train | baseline | simulate | bench` end to end on the built-in digits scenario, with --json."""

from __future__ import annotations

import importlib.util
import json

import pytest
from click.testing import CliRunner

pytestmark = pytest.mark.skipif(importlib.util.find_spec("hill_dash.core.scenarios.registry") is None,
                                reason="the scenario registry (hill_dash.core.scenarios.registry) is not installed")


def _run(*args: str) -> dict:
    from hill_dash.cli import main

    result = CliRunner().invoke(main, [*args, "--json", "--threads", "1"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("digits") / "run"
    summary = _run("train", "--scenario", "digits", "--epochs", "3", "--end-epoch", "3", "--interaction-epochs", "2",
                   "--seed", "1", "--out", str(out))
    return out, summary


def test_train_writes_a_run_and_reports_it(trained):
    out, summary = trained
    assert summary["epoch"] == 3 and summary["interaction_epochs"] == [2]
    assert [row["epoch"] for row in summary["history"]] == [1, 2, 3]
    assert [row["mode"] for row in summary["history"]] == ["ce", "ce", "hill"]
    assert 0.0 <= summary["final"]["val_accuracy"] <= 1.0
    assert (out / "config.json").is_file() and (out / "snapshots" / "epoch_002.npz").is_file()
    assert sorted(p.rsplit("/", 1)[-1] for p in summary["checkpoints"]) == ["epoch_002.pt", "epoch_003.pt"]


def test_resume_from_a_checkpoint_repeats_the_run_exactly(trained, tmp_path):
    out, summary = trained
    resumed = _run("train", "--resume", str(out / "checkpoints" / "epoch_002.pt"), "--out", str(tmp_path / "again"))
    assert resumed["final"] == summary["final"]


def test_simulate_reports_the_strategy_against_the_baseline_band(trained, tmp_path):
    out, _ = trained
    summary = _run("simulate", "--scenario", "digits", "--strategy", "compactness", "--seeds", "2",
                   "--from", str(out), "--out", str(tmp_path))
    assert summary["strategy"] == "compactness" and 0.0 <= summary["final_val_accuracy"] <= 1.0
    band = summary["baseline"]["final"]
    assert band["epoch"] == 3 and band["min"] <= band["mean"] <= band["max"]
    assert set(summary["results"]["compactness"]["final_per_seed"]) == {"0", "1"}


def test_baseline_over_seeds(trained, tmp_path):
    out, _ = trained
    summary = _run("baseline", "--scenario", "digits", "--seeds", "2", "--from", str(out), "--out", str(tmp_path))
    assert summary["seeds"] == [0, 1] and summary["band"]["epochs"] == [3]


def test_bench_commands_report_side_by_side_numbers(tmp_path):
    training = _run("bench", "training", "--epochs", "1", "--repeats", "1")
    assert training["ratio"] > 0 and len(training["cpu_seconds"]["plain"]) == 1
    projection = _run("bench", "projection", "--seeds", "1", "--kind", "linear", "--pretrain-epochs", "2")
    row = projection["runs"][0]
    assert -1.0 <= row["fit_epoch_1"]["silhouette"] <= 1.0 and row["fit_at_end_of_pretraining"]["scale_model"] > 0


@pytest.mark.parametrize(("args", "message"), [
    (["train", "--scenario", "digits"], "--out is required"),
    (["train", "--scenario", "digits", "--out", "x", "--interaction-epochs", "2,b"], "comma-separated"),
    (["train", "--scenario", "nope", "--out", "x"], "unknown scenario"),
    (["train", "--scenario", "digits", "--out", "x", "--alpha", "3"], "alpha=3.0 is outside"),
])
def test_bad_input_fails_with_a_message(args, message, tmp_path, monkeypatch):
    from hill_dash.cli import main

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0 and message in result.output


def test_resume_refuses_schedule_options(trained, tmp_path):
    from hill_dash.cli import main

    out, _ = trained
    result = CliRunner().invoke(main, ["train", "--resume", str(out), "--interaction-epochs", "1"])
    assert result.exit_code != 0 and "fixed by the checkpoint" in result.output


def test_baseline_pretrains_the_shared_checkpoint_when_none_is_given(tmp_path):
    summary = _run("baseline", "--scenario", "digits", "--seeds", "1", "--out", str(tmp_path))
    assert summary["checkpoint"].endswith("pretrain/checkpoints/epoch_003.pt")  # digits' first interaction point
    assert summary["band"]["epochs"][-1] == 11 and (tmp_path / "baseline" / "seed_0" / "history.json").is_file()
