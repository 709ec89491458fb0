"""The table validators name what is wrong."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.schema import AnalysisError, is_simulated, validate_answers, validate_codings, validate_runs


def test_missing_run_column_is_named(make_study):
    runs = make_study().drop(columns=["val_acc", "phase"])
    with pytest.raises(AnalysisError, match=r"missing column\(s\) 'val_acc', 'phase'"):
        validate_runs(runs)


def test_unknown_condition_is_named(make_study):
    runs = make_study()
    runs.loc[0, "condition"] = "human"
    with pytest.raises(AnalysisError, match=r"condition has unknown value\(s\) \['human'\]"):
        validate_runs(runs)


def test_hill_run_needs_a_participant(make_study):
    runs = make_study()
    runs.loc[runs["condition"] == "hill", "participant"] = None
    with pytest.raises(AnalysisError, match="have no participant"):
        validate_runs(runs)


def test_repeated_epoch_is_rejected(make_study):
    runs = make_study()
    with pytest.raises(AnalysisError, match="more than once"):
        validate_runs(pd.concat([runs, runs.iloc[[0]]]))


def test_not_a_frame():
    with pytest.raises(AnalysisError, match="must be a pandas DataFrame, got list"):
        validate_runs([])


def test_answers_missing_column():
    answers = pd.DataFrame({"study": ["s"], "participant": ["P1"], "scenario": ["a"], "instrument": ["x"]})
    with pytest.raises(AnalysisError, match="answers table is missing column.*'item'"):
        validate_answers(answers)


def test_codings_need_a_location():
    codings = pd.DataFrame({c: ["x"] for c in ("study", "participant", "scenario", "code", "theme", "coder")})
    with pytest.raises(AnalysisError, match="interaction_index"):
        validate_codings(codings)
    assert len(validate_codings(codings.assign(start_s=1.0, end_s=2.0))) == 1


def test_simulated_flag_is_found_in_any_table(make_study):
    runs = make_study()
    assert not is_simulated(runs, None)
    flagged = runs.copy()
    flagged.loc[3, "simulated"] = True
    assert is_simulated(runs, flagged)
