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


def test_sentences_state_the_check_and_the_test(make_study):
    runs = make_study(seed=2, n_participants=9, skewed=("b",))
    report = build_report(runs, n_boot=300)
    tests = report.tables["tests_final_gain"].set_index("scenario")
    text = report.text()
    assert tests.loc["b", "test"] == "Wilcoxon signed-rank test"  # skewed by construction
    for scenario, row in tests.iterrows():
        verdict = "normal" if row["normal"] else "not normal"
        assert (f"Final gains on {scenario} were {verdict} (Shapiro W = {row['shapiro_w']:.3f}, "
                f"{p_text(row['shapiro_p'])}), so a {row['test']} was used") in text
    assert "Holm-corrected across the 2 scenarios" in text
    assert "No questionnaire answers were given" in text
    assert "SIMULATED" not in text
    numbers = report.numbers["scenarios"]["b"]["final_gain"]["test"]
    assert numbers["test"] == "Wilcoxon signed-rank test" and numbers["p"] == pytest.approx(tests.loc["b", "p"])


def test_numbers_are_plain_json(study):
    report = build_report(study["runs"], study["answers"], n_boot=200)
    decoded = json.loads(json.dumps(report.numbers))
    assert decoded["simulated"] is True and decoded["n_boot"] == 200
    sus = decoded["questionnaires"]["umux_lite"]["all"]["sus_parity"]["mean"]
    scores = score_answers(study["answers"])
    expected = umux_summary(scores).set_index(["scenario", "measure"]).loc[("all", "sus_parity"), "mean"]
    assert sus == pytest.approx(expected)
    assert report.sentences[0] == "These results come from SIMULATED data, not from participants."
    assert any(s.startswith("UMUX-Lite (SUS-parity, 0-100): mean") for s in report.sentences)
    model = decoded["scenarios"]["digits"]["mixed_model"]
    assert set(model["coefficients"]) >= {"condition[hill]", "condition[hill]:epoch"}


def test_prescored_table_and_missing_instruments(study):
    scores = score_answers(study["answers"])
    report = build_report(study["runs"], scores=scores[scores["instrument"] != "nasa_tlx"], n_boot=100)
    assert "no nasa_tlx questionnaires in this study" in report.text()
    assert "questionnaires" in report.numbers and "nasa_tlx" not in report.numbers["questionnaires"]


def test_no_baseline_stops_the_report(study):
    runs = study["runs"]
    with pytest.raises(AnalysisError, match="no baseline runs for scenario digits: run `hill-dash baseline"):
        build_report(runs[runs["condition"] == "hill"], n_boot=100)


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
