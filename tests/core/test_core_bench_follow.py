"""`hill-dash bench follow`: its result has the documented fields, and bad options are refused before training."""

from __future__ import annotations

import json

from click.testing import CliRunner

from hill_dash.cli import main
from hill_dash.core.follow_bench import MEASURES, run_follow_bench, scripted_asks
from hill_dash.core.config import RunConfig
from hill_dash.core.runner import HillRunner


def test_the_result_names_every_teacher_and_measure(tiny, tmp_path):
    result = run_follow_bench(tiny, tmp_path, seeds=(0,), classes=1)
    assert result["default_teacher"] == "follow" and set(result["teachers"]) == {"paper", "follow"}
    for summary in (*result["teachers"].values(), result["no_edit"], result["alpha0"]):
        assert set(MEASURES) <= set(summary) and 0.0 <= summary["val_acc_mean"] <= 1.0
    lo, hi = result["alpha0"]["val_acc_band"]
    assert lo <= hi and "drift" in result["no_edit"] and "drift" in result["alpha0"]
    json.dumps(result)  # plain data


def test_scripted_asks_ask_what_they_say(tiny, tmp_path):
    runner = HillRunner.create(tiny, RunConfig(scenario="tiny"), tmp_path)
    runner.train()
    before = runner.snapshot()
    asks = {a.kind: a for a in scripted_asks(before, [1], distance=1.0)}
    assert abs(asks["move"].measure(before, asks["move"].final) - 1.0) < 1e-5  # the ask itself goes all the way
    assert abs(asks["compact"].measure(before, asks["compact"].final) - 0.5) < 1e-5
    for kind in ("separate", "merge"):
        assert abs(asks[kind].measure(before, asks[kind].final) - 1.0) < 1e-5
    assert abs(asks["move"].measure(before, before.coords)) < 1e-6  # staying put is no progress


def test_bad_options_are_refused_with_the_reason():
    result = CliRunner().invoke(main, ["bench", "follow", "--distance", "0"])
    assert result.exit_code == 1 and "--distance" in result.output
    result = CliRunner().invoke(main, ["bench", "follow", "--seeds", "0"])
    assert result.exit_code == 1 and "--seeds" in result.output
