"""Figures 6 and 7 and the strategy timeline as data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import style
from analysis.fig_questionnaires import custom_questions_figure, tlx_figure
from analysis.fig_strategies import OFFSET, strategy_timeline_figure
from analysis.schema import AnalysisError
from analysis.synthetic import synthetic_study
from analysis.survey import score_answers


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return score_answers(synthetic_study(seed=2, n_participants=5, n_seeds=2)["answers"])


def test_tlx_boxes_per_scenario(scores):
    fig = tlx_figure(scores)
    assert [t.type for t in fig.data] == ["box", "box"] and [t.name for t in fig.data] == ["digits", "motions"]
    assert fig.layout.boxmode == "group"
    digits = scores[(scores["instrument"] == "nasa_tlx") & (scores["scenario"] == "digits")
                    & ~scores["measure"].isin(["raw_total", "raw_mean"])]
    assert np.asarray(fig.data[0].y, dtype=float) == pytest.approx(digits["value"].to_numpy())
    assert list(fig.layout.xaxis.categoryarray)[:2] == ["Mental Demand", "Physical Demand"]
    low, high = fig.layout.yaxis.range
    assert low < 0 and 20 < high < 22
    assert fig.data[0].boxpoints == "all"


def test_custom_questions_share_the_scenario_colours(scores):
    fig7, fig6 = custom_questions_figure(scores), tlx_figure(scores)
    assert list(fig7.layout.xaxis.categoryarray) == [f"Q{i}" for i in range(1, 8)]
    assert fig7.layout.yaxis.range[1] > 100
    colours = style.colour_map(["digits", "motions"])
    for fig in (fig6, fig7):
        assert [t.marker.color for t in fig.data] == [colours["digits"], colours["motions"]]
    assert any(a.name == style.SIMULATED_NAME for a in fig7.layout.annotations)  # synthetic answers


def test_no_questionnaires(scores):
    with pytest.raises(AnalysisError, match="no nasa_tlx questionnaires in this study"):
        tlx_figure(scores[scores["instrument"] != "nasa_tlx"])
    with pytest.raises(AnalysisError, match="no custom_hill questionnaires in this study"):
        custom_questions_figure(scores[scores["instrument"] != "custom_hill"])


def codings(**location) -> pd.DataFrame:
    base = {"study": "s", "scenario": "a", "theme": "Strategies", "coder": "R1"}
    return pd.DataFrame([{**base, **row} for row in location["rows"]])


def test_timeline_over_interaction_points():
    table = codings(rows=[
        {"participant": "P1", "code": "compact", "interaction_index": 0},
        {"participant": "P1", "code": "distance", "interaction_index": 0},
        {"participant": "P2", "code": "compact", "interaction_index": 1},
    ])
    fig = strategy_timeline_figure(table)
    by_code = {t.name: t for t in fig.data}
    assert set(by_code) == {"compact", "distance"}
    assert list(by_code["compact"].x) == pytest.approx([1 - OFFSET / 2, 2])
    assert list(by_code["distance"].x) == pytest.approx([1 + OFFSET / 2])
    assert list(by_code["compact"].y) == ["P1", "P2"]
    assert list(fig.layout.xaxis.tickvals) == [1, 2]
    assert by_code["compact"].marker.color != by_code["distance"].marker.color


def test_timeline_over_time_and_empty():
    table = codings(rows=[{"participant": "P1", "code": "merge", "start_s": 60.0, "end_s": 150.0},
                          {"participant": "P2", "code": "merge", "start_s": 30.0, "end_s": 45.0}])
    (trace,) = strategy_timeline_figure(table).data
    assert list(trace.x) == [1.0, 2.5, None, 0.5, 0.75, None]
    with pytest.raises(AnalysisError, match="no coded transcripts for scenario zz"):
        strategy_timeline_figure(table, scenario="zz")


def test_timeline_orders_participants_naturally_and_marks_interaction_points():
    table = codings(rows=[{"participant": p, "code": "merge", "start_s": 30.0, "end_s": 45.0}
                          for p in ("P10", "P2", "P1")])
    points = pd.DataFrame({"participant": ["P2", "P2", "P99"], "scenario": "a", "interaction_index": [0, 1, 0],
                           "at_s": [60.0, 180.0, 5.0]})
    fig = strategy_timeline_figure(table, points=points)
    assert list(fig.layout.yaxis.categoryarray) == ["P10", "P2", "P1"]  # drawn bottom-up: P1 on top
    (marks,) = [t for t in fig.data if t.name == "interaction point"]
    assert list(marks.x) == [1.0, 3.0] and list(marks.y) == ["P2", "P2"]  # P99 has no coded transcript
    assert list(marks.text) == ["", ""]  # numbered on the top row (P1) only
