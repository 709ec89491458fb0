"""Questionnaire scoring and summaries against hand-worked scores, numpy and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.survey import custom_summary, paired_scenarios, scenario_order, score_answers, tlx_summary, \
    umux_summary
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
    per_person = raw.groupby("participant", as_index=False)["value"].mean()
    for scenario, part in [*raw.groupby("scenario"), ("all", per_person)]:
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


def test_the_all_row_counts_people_not_answers(answers):
    scores = score_answers(answers)
    umux = umux_summary(scores).set_index(["scenario", "measure"])
    sus = scores[scores["measure"] == "sus_parity"].groupby("participant")["value"].mean()
    assert umux.loc[("all", "sus_parity"), "n"] == 6
    assert umux.loc[("all", "sus_parity"), "sd"] == pytest.approx(sus.std(ddof=1))


def test_paired_comparison_uses_only_complete_pairs_and_the_order_groups(answers):
    scores = score_answers(answers)
    solo = score_answers(answers_for(questionnaire("P9", "a", (7, 7), (1,) * 6, (50.0,) * 7)))
    scores = pd.concat([scores, solo], ignore_index=True)  # P9 did only scenario a: not a pair
    order = pd.DataFrame([{"participant": f"P{i}", "scenario": sc, "position": pos}
                          for i in range(6) for sc, pos in (("a", 1 + i % 2), ("b", 2 - i % 2))])
    result = paired_scenarios(scores, "nasa_tlx", "raw_total", "a", "b", order)
    wide = scores[scores["measure"] == "raw_total"].pivot(index="participant", columns="scenario", values="value")
    wide = wide.dropna()
    d = (wide["a"] - wide["b"]).to_numpy()
    a_first = np.array([int(p[1:]) % 2 == 0 for p in wide.index])
    assert result["n_pairs"] == 6 and result["n_a_first"] == 3 and result["order_modelled"]
    # the scenario effect is the mean of the two order groups' mean differences
    assert result["effect"] == pytest.approx((d[a_first].mean() + d[~a_first].mean()) / 2)
    assert result["zero_differences"] == int((d == 0).sum())


def test_without_order_the_comparison_says_so(answers):
    result = paired_scenarios(score_answers(answers), "umux_lite", "raw", "a", "b")
    assert not result["order_modelled"] and result["order_p"] is None


def test_paired_test_needs_people_who_did_both(answers):
    scores = score_answers(answers[answers["participant"] == "P0"])
    with pytest.raises(AnalysisError, match="only 1 participant"):
        paired_scenarios(scores, "umux_lite", "raw", "a", "b")


def test_scenario_order_is_read_from_when_the_answers_were_given(answers):
    answers = answers.copy()
    answers["answered_at"] = np.where(answers["scenario"] == "b", "2025-01-01T09:00:00", "2025-01-01T10:00:00")
    order = scenario_order(answers).set_index(["participant", "scenario"])["position"]
    assert order[("P0", "b")] == 1 and order[("P0", "a")] == 2


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
