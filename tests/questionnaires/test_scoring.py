"""Scores through the instrument layer: worked examples, weighted TLX and untouched sliders."""

from __future__ import annotations

import pytest

import questionnaires as q

TLX = {"mental": 15, "physical": 2, "temporal": 8, "performance": 6, "effort": 12, "frustration": 10}
# In the file's pair order: mental/physical, mental/temporal, mental/performance, mental/effort,
# mental/frustration, physical/temporal, physical/performance, physical/effort, physical/frustration,
# temporal/performance, temporal/effort, temporal/frustration, performance/effort, performance/frustration,
# effort/frustration.
CHOICES = ["mental", "mental", "mental", "effort", "mental", "temporal", "performance", "effort", "frustration",
           "temporal", "effort", "frustration", "effort", "performance", "effort"]


def test_umux_lite_score():
    # (6 + 5 - 2) * 100/12 = 75; 0.65 * 75 + 22.9 = 71.65
    result = q.score("umux_lite", {"i1": 6, "i2": 5})
    assert result["raw"] == pytest.approx(75.0)
    assert result["sus_parity"] == pytest.approx(71.65)
    assert result["items"] == {"i1": 6, "i2": 5}
    assert "untouched" not in result  # Likert items are clicked, not dragged


def test_tlx_raw_without_pairs():
    result = q.score("nasa_tlx", TLX)
    assert result["raw_total"] == 53  # 15 + 2 + 8 + 6 + 12 + 10
    assert result["raw_mean"] == pytest.approx(53 / 6)
    assert "weights" not in result and "weighted" not in result


def test_tlx_weighted_with_pairs():
    # wins: mental 4, physical 0, temporal 2, performance 2, effort 5, frustration 2 (sum 15)
    # weighted = (15*4 + 2*0 + 8*2 + 6*2 + 12*5 + 10*2) / 15 = 168 / 15 = 11.2
    result = q.score("nasa_tlx", TLX, pairs=CHOICES)
    assert result["weights"] == {"mental": 4, "physical": 0, "temporal": 2, "performance": 2, "effort": 5,
                                 "frustration": 2}
    assert result["weighted"] == pytest.approx(11.2)
    assert result["raw_total"] == 53


def test_vas_untouched_flags_survive_scoring():
    answers = {f"q{n}": float(10 * n) for n in range(1, 8)}
    answers["q2"] = {"value": 50, "untouched": True}
    answers["q5"] = {"value": 64.5, "untouched": False}
    result = q.score("custom_hill", answers)
    assert result["items"]["q2"] == 50 and result["items"]["q5"] == 64.5 and result["items"]["q7"] == 70.0
    assert result["untouched"] == {f"q{n}": n == 2 for n in range(1, 8)}


def test_demographics_reports_values_and_the_slider_flag():
    result = q.score("demographics", {"age": 27, "gender": "male",
                                      "ml_experience": {"value": 50, "untouched": True}})
    assert result["items"] == {"age": 27, "gender": "male", "ml_experience": 50}
    assert result["untouched"] == {"ml_experience": True}


def test_score_refuses_invalid_answers():
    with pytest.raises(q.ValidationError, match="i2: required item is missing"):
        q.score("umux_lite", {"i1": 6})


def test_reverse_coding_enters_named_kinds_too():
    # Flag i2 as reverse-coded in a copy: 5 on 1..7 becomes 1 + 7 - 5 = 3 -> (6 + 3 - 2) * 100/12 = 58.33...
    data = q.load("umux_lite").to_dict()
    data["items"][1]["reverse"] = True
    result = q.score(q.from_dict(data), {"i1": 6, "i2": 5})
    assert result["raw"] == pytest.approx(700 / 12)
