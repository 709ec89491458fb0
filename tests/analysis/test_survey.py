"""Questionnaire scoring and summaries against hand-worked scores, numpy and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.survey import custom_summary, paired_scenario_test, score_answers, tlx_summary, umux_summary
from analysis.schema import AnalysisError

TLX = ("mental", "physical", "temporal", "performance", "effort", "frustration")


def answers_for(rows: list[tuple[str, str, str, str, float]], untouched: set[tuple] = frozenset()) -> pd.DataFrame:
    return pd.DataFrame([
        {"study": "s1", "participant": p, "scenario": sc, "instrument": inst, "item": item, "value": value,
         "untouched": (p, sc, item) in untouched, "answered_at": "2025-01-01T10:00:00", "simulated": False}
        for p, sc, inst, item, value in rows
    ])


def questionnaire(p: str, scenario: str, umux: tuple[int, int], tlx: tuple[int, ...], q: tuple[float, ...]):
    rows = [(p, scenario, "umux_lite", f"i{k + 1}", v) for k, v in enumerate(umux)]
    rows += [(p, scenario, "nasa_tlx", item, v) for item, v in zip(TLX, tlx)]
    rows += [(p, scenario, "custom_hill", f"q{k + 1}", v) for k, v in enumerate(q)]
    return rows


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    rows = []
    for i in range(6):
        for scenario in ("a", "b"):
            rows += questionnaire(f"P{i}", scenario, tuple(int(v) for v in rng.integers(3, 8, 2)),
                                  tuple(int(v) for v in rng.integers(0, 21, 6)),
                                  tuple(float(v) for v in rng.uniform(0, 100, 7).round(1)))
    return answers_for(rows)


def test_scores_by_hand():
    scores = score_answers(answers_for(questionnaire("P1", "a", (6, 5), (15, 2, 8, 6, 12, 10), (10.0,) * 7)))
    value = scores.set_index(["instrument", "measure"])["value"]
    assert value[("umux_lite", "raw")] == pytest.approx(75.0)            # (6 + 5 - 2) * 100 / 12
    assert value[("umux_lite", "sus_parity")] == pytest.approx(71.65)    # 0.65 * 75 + 22.9
    assert value[("nasa_tlx", "raw_total")] == 53
    assert value[("nasa_tlx", "mental")] == 15 and value[("nasa_tlx", "frustration")] == 10
    assert value[("custom_hill", "q4")] == 10.0


def test_summaries_match_numpy(answers):
    scores = score_answers(answers)
    umux = umux_summary(scores).set_index(["scenario", "measure"])
    raw = scores[(scores["instrument"] == "umux_lite") & (scores["measure"] == "sus_parity")]
    for scenario, part in [*raw.groupby("scenario"), ("all", raw)]:
        assert umux.loc[(scenario, "sus_parity"), "mean"] == pytest.approx(part["value"].mean())
        assert umux.loc[(scenario, "sus_parity"), "sd"] == pytest.approx(np.std(part["value"], ddof=1))
    tlx = tlx_summary(scores)
    assert list(tlx.loc[tlx["scenario"] == "a", "measure"]) == ["raw_total", *TLX]
    totals = answers[answers["instrument"] == "nasa_tlx"].groupby(["participant", "scenario"])["value"].sum()
    assert tlx.set_index(["scenario", "measure"]).loc[("all", "raw_total"), "mean"] == pytest.approx(totals.mean())
    custom = custom_summary(scores).set_index(["scenario", "measure"])
    q3 = answers[(answers["item"] == "q3") & (answers["scenario"] == "b")]["value"]
    assert custom.loc[("b", "q3"), "median"] == pytest.approx(q3.median())
    assert custom.loc[("b", "q3"), "n"] == 6


def test_paired_test_matches_scipy_and_uses_only_complete_pairs(answers):
    scores = score_answers(answers)
    solo = score_answers(answers_for(questionnaire("P9", "a", (7, 7), (1,) * 6, (50.0,) * 7)))
    scores = pd.concat([scores, solo], ignore_index=True)  # P9 did only scenario a: not a pair
    result = paired_scenario_test(scores, "nasa_tlx", "raw_total", "a", "b")
    wide = scores[scores["measure"] == "raw_total"].pivot(index="participant", columns="scenario", values="value")
    wide = wide.dropna()
    expected = stats.wilcoxon(wide["a"], wide["b"])
    assert result["n_pairs"] == 6
    assert (result["statistic"], result["p"]) == pytest.approx((expected.statistic, expected.pvalue))
    assert result["median_difference"] == pytest.approx(np.median(wide["a"] - wide["b"]))


def test_paired_test_needs_people_who_did_both(answers):
    scores = score_answers(answers[answers["participant"] == "P0"])
    with pytest.raises(AnalysisError, match="only 1 participant"):
        paired_scenario_test(scores, "umux_lite", "raw", "a", "b")


def test_untouched_sliders_can_be_left_out():
    rows = questionnaire("P1", "a", (6, 5), (1,) * 6, (20.0, 50.0, 30.0, 40.0, 50.0, 60.0, 70.0))
    answers = answers_for(rows, untouched={("P1", "a", "q2")})
    kept = score_answers(answers)
    dropped = score_answers(answers, drop_untouched=True)
    assert "q2" in set(kept["measure"]) and "q2" not in set(dropped["measure"])


def test_missing_questionnaires_are_named(answers):
    scores = score_answers(answers[answers["instrument"] != "umux_lite"])
    with pytest.raises(AnalysisError, match="no umux_lite questionnaires in this study"):
        umux_summary(scores)
    with pytest.raises(AnalysisError, match="no questionnaire answers"):
        score_answers(answers.iloc[0:0])


def test_invalid_answers_name_the_participant():
    rows = questionnaire("P4", "b", (6, 9), (1,) * 6, (1.0,) * 7)  # 9 is off the 7-point scale
    with pytest.raises(AnalysisError, match="participant P4 in scenario b do not score as umux_lite"):
        score_answers(answers_for(rows))
