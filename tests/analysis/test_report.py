"""The report's words follow its numbers, and the synthetic study looks like the paper's."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.report import build_report
from analysis.report_performance import p_text
from analysis.schema import AnalysisError, validate_answers, validate_codings, validate_runs
from analysis.survey import score_answers, umux_summary
from analysis.synthetic import synthetic_study


@pytest.fixture(scope="module")
def study() -> dict[str, pd.DataFrame]:
    return synthetic_study(seed=4, n_participants=8, n_seeds=3)


def test_the_primary_analysis_comes_first_and_its_words_follow_its_numbers(make_study):
    runs = make_study(seed=2, n_participants=9)
    report = build_report(runs)
    text = report.text()
    assert report.sentences[0].startswith("Primary analysis (fixed before the data)")
    primary = report.tables["primary"].set_index("scenario")
    for scenario, row in primary.iterrows():
        assert (f"{scenario}, final validation accuracy: HILL {100 * row['mean_hill']:.1f}%" in text)
        assert f"Welch t({row['welch_df']:.1f}) = {row['welch_t']:.2f}, {p_text(row['welch_p'])}" in text
        assert f"permutation test (exact) {p_text(row['permutation_p'])} (Holm {p_text(row['permutation_p_holm'])})" \
            in text
    assert "diagnostic only" in text and "SIMULATED" not in text
    assert "No questionnaire answers were given" in text
    assert report.numbers["primary"]["a"]["hedges_g"] == pytest.approx(primary.loc["a", "hedges_g"])


def test_no_effect_gives_no_verdict_of_a_gain(make_study):
    # HILL and baseline runs drawn alike: the old best-gain test called this significant every time
    runs = make_study(seed=5, n_participants=14, n_seeds=5, effect=0.0)
    runs.loc[runs["condition"] == "hill", "val_acc"] += 0.0
    report = build_report(runs)
    assert not report.tables["primary"]["significant"].any()
    assert "best_gain" not in " ".join(report.tables)


def test_numbers_are_plain_json(study):
    report = build_report(study["runs"], study["answers"])
    decoded = json.loads(json.dumps(report.numbers))
    assert decoded["simulated"] is True
    sus = decoded["questionnaires"]["umux_lite"]["all"]["sus_parity"]["mean"]
    scores = score_answers(study["answers"])
    expected = umux_summary(scores).set_index(["scenario", "measure"]).loc[("all", "sus_parity"), "mean"]
    assert sus == pytest.approx(expected)
    assert report.sentences[0] == "These results come from SIMULATED data, not from participants."
    assert any(s.startswith("UMUX-Lite (SUS-parity, 0-100): mean") for s in report.sentences)
    curves = decoded["curves"]["digits"]
    assert curves["contrasts"][-1]["at"].startswith("end") and isinstance(curves["singular"], bool)
    assert decoded["hierarchical"]["n_participants"] == 8 and decoded["hierarchical"]["n_seeds"] == 3


def test_display_names_and_a_stated_holm_family(study):
    report = build_report(study["runs"], study["answers"], names={"digits": "Digits (8x8)"})
    text = report.text()
    assert "Digits (8x8), final validation accuracy" in text
    assert "one Holm family: UMUX-Lite SUS-parity, raw NASA-TLX total, custom q1" in text


def test_a_scenario_at_its_ceiling_is_said_to_be_one(make_run):
    runs = [make_run("m", "baseline", None, s, [0.9, 1.0, 1.0, 1.0, 1.0], pretrain_until=2) for s in range(4)]
    runs += [make_run("m", "hill", f"P{i}", 0, [0.9, 1.0, 1.0, 1.0, 1.0 if i else 0.98], pretrain_until=2)
             for i in range(6)]
    report = build_report(pd.concat(runs, ignore_index=True))
    assert "sit at 100%" in report.text() and "no room to show a gain" in report.text()
    assert "Welch's t cannot be computed" in report.text()


def test_prescored_table_and_missing_instruments(study):
    scores = score_answers(study["answers"])
    report = build_report(study["runs"], scores=scores[scores["instrument"] != "nasa_tlx"])
    assert "no nasa_tlx questionnaires in this study" in report.text()
    assert "questionnaires" in report.numbers and "nasa_tlx" not in report.numbers["questionnaires"]


def test_no_baseline_stops_the_report(study):
    runs = study["runs"]
    with pytest.raises(AnalysisError, match="no baseline runs for scenario digits: run `hill-dash baseline"):
        build_report(runs[runs["condition"] == "hill"])


def test_synthetic_study_is_valid_flagged_and_seeded(study):
    again = synthetic_study(seed=4, n_participants=8, n_seeds=3)
    for name in ("runs", "answers", "codings"):
        pd.testing.assert_frame_equal(study[name], again[name])
        assert study[name]["simulated"].all()
    validate_runs(study["runs"]), validate_answers(study["answers"]), validate_codings(study["codings"])
    other = synthetic_study(seed=5, n_participants=8, n_seeds=3)
    assert not study["runs"]["val_acc"].equals(other["runs"]["val_acc"])


def test_synthetic_answers_centre_near_the_paper():
    data = synthetic_study(seed=0)  # the paper's 14 participants and two scenarios
    summary = umux_summary(score_answers(data["answers"])).set_index(["scenario", "measure"])
    assert 64 < summary.loc[("all", "sus_parity"), "mean"] < 81        # paper: 72.4
    scores = score_answers(data["answers"])
    tlx = scores[(scores["instrument"] == "nasa_tlx") & (scores["measure"] == "raw_total")]["value"]
    assert 26 < tlx.mean() < 46                                         # paper: 36.1 of 120
    assert data["runs"]["participant"].nunique() == 14


def test_readable_tables_print_p_values_and_plain_names(make_study):
    from analysis.labels import readable_table

    report = build_report(make_study(seed=2, n_participants=9))
    title, shown = readable_table("primary", report.tables["primary"])
    assert title.startswith("Primary analysis")
    assert {"Permutation p", "Welch p", "Hedges' g", "Scenario"} <= set(shown.columns)
    assert all(isinstance(p, str) and (p == "<0.001" or len(p) == 5) for p in shown["Permutation p"])
    assert (shown["HILL mean"] == shown["HILL mean"].round(3)).all()
