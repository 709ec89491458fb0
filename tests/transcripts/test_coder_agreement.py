"""Inter-coder agreement: Cohen's kappa for two coders, Fleiss' kappa for three, Krippendorff's alpha for any
number, per code and overall; each checked against a published worked example."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.inter_rater import aggregate_raters, cohens_kappa, fleiss_kappa, to_table

from transcripts import (CodedSpan, CodingError, Segment, Transcript, agreement, double_coded_units,
                         krippendorff_alpha, rating_kappa)


def _transcript(tid: str, n: int) -> Transcript:
    return Transcript(tuple(Segment(float(i), i + 1.0, f"segment {i}") for i in range(n)), "en", float(n), "fake",
                      "scripted", id=tid)


def _spans(coder: str, tid: str, codes_per_segment: list[set[str]]) -> list[CodedSpan]:
    return [CodedSpan(tid, code, coder, segments=(i, i)) for i, codes in enumerate(codes_per_segment)
            for code in sorted(codes)]


def test_hand_worked_cohen_kappa():
    # 10 segments, one code. Both present: 3, both absent: 4, only anna: 2, only ben: 1.
    # p_o = 7/10; p_e = 0.5*0.4 + 0.5*0.6 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    anna = [{"c"}] * 3 + [set()] * 4 + [{"c"}] * 2 + [set()]
    ben = [{"c"}] * 3 + [set()] * 4 + [set()] * 2 + [{"c"}]
    t = _transcript("t1", 10)
    report = agreement(_spans("anna", "t1", anna) + _spans("ben", "t1", ben), {"t1": t})
    assert report.coders == ("anna", "ben") and report.n_units == 10
    assert report.per_code["c"].kappa == pytest.approx(0.4)
    assert report.per_code["c"].observed == pytest.approx(0.7)
    assert report.per_code["c"].method == "cohen"
    assert report.overall.kappa == pytest.approx(0.4)  # with one code the code sets are {c} or {}


def test_two_coders_match_statsmodels_directly():
    rng = np.random.default_rng(7)
    codes = ["compact", "distance", "merge"]
    n = 40
    coded = {c: [{k for k in codes if rng.random() < 0.35} for _ in range(n)] for c in ("anna", "ben")}
    coded["ben"][:20] = coded["anna"][:20]  # some real agreement
    t = _transcript("t1", n)
    report = agreement([s for c, sets in coded.items() for s in _spans(c, "t1", sets)], {"t1": t})
    for code in codes:
        ratings = np.array([[int(code in coded["anna"][i]), int(code in coded["ben"][i])] for i in range(n)])
        expected = cohens_kappa(to_table(ratings)[0]).kappa
        assert report.per_code[code].kappa == pytest.approx(expected)
    labels: dict[frozenset, int] = {}
    overall = np.array([[labels.setdefault(frozenset(coded[c][i]), len(labels)) for c in ("anna", "ben")]
                        for i in range(n)])
    assert report.overall.kappa == pytest.approx(cohens_kappa(to_table(overall)[0]).kappa)
    assert report.overall.observed == pytest.approx(np.mean(overall[:, 0] == overall[:, 1]))
    assert set(report.to_frame().index) == {"(overall)", *codes}


def test_hand_worked_fleiss_kappa_with_three_coders():
    # Units x coders present/absent: category counts per unit (2,1), (0,3), (3,0), (1,2).
    # P_i = 1/3, 1, 1, 1/3 -> P_bar = 2/3; p_absent = p_present = 1/2 -> P_e = 1/2; kappa = 1/3.
    result = rating_kappa(np.array([[0, 0, 1], [1, 1, 1], [0, 0, 0], [1, 0, 1]]))
    assert result.method == "fleiss"
    assert result.kappa == pytest.approx(1 / 3)
    assert result.observed == pytest.approx(2 / 3)


def test_three_coders_match_statsmodels_fleiss():
    rng = np.random.default_rng(3)
    coders = ("anna", "ben", "cem")
    n = 30
    truth = [rng.random() < 0.5 for _ in range(n)]
    coded = {c: [{"ui"} if (t if rng.random() < 0.8 else not t) else set() for t in truth] for c in coders}
    t = _transcript("t1", n)
    report = agreement([s for c in coders for s in _spans(c, "t1", coded[c])], {"t1": t})
    matrix = np.array([[int("ui" in coded[c][i]) for c in coders] for i in range(n)])
    assert report.per_code["ui"].method == "fleiss"
    assert report.per_code["ui"].kappa == pytest.approx(fleiss_kappa(aggregate_raters(matrix)[0]))
    assert report.overall.kappa == pytest.approx(report.per_code["ui"].kappa)


def test_units_default_to_transcripts_every_coder_coded():
    a, b = _transcript("a", 4), _transcript("b", 3)
    spans = [CodedSpan("a", "x", "anna", segments=(0, 1)), CodedSpan("a", "x", "ben", segments=(1, 1)),
             CodedSpan("b", "x", "anna", segments=(0, 0))]  # only anna coded b
    assert double_coded_units(spans, {"a": a, "b": b}, ("anna", "ben")) == [("a", 0), ("a", 1), ("a", 2), ("a", 3)]
    report = agreement(spans, {"a": a, "b": b})
    assert report.n_units == 4
    assert report.per_code["x"].observed == pytest.approx(3 / 4)


def test_time_ranges_and_explicit_units_and_unused_codes():
    t = _transcript("t", 4)
    spans = [CodedSpan("t", "x", "anna", times=(0.0, 2.0)), CodedSpan("t", "x", "ben", segments=(0, 1))]
    report = agreement(spans, {"t": t}, units=[("t", 0), ("t", 1)], codes=["x", "never-used"])
    assert report.per_code["x"].observed == 1.0
    assert math.isnan(report.per_code["never-used"].kappa)  # one category only: chance agreement is 1
    assert report.per_code["never-used"].observed == 1.0


def test_agreement_needs_two_coders_and_double_coded_units():
    t = _transcript("t", 2)
    with pytest.raises(CodingError, match="at least two coders"):
        agreement([CodedSpan("t", "x", "anna", segments=(0, 0))], {"t": t})
    other = _transcript("u", 2)
    spans = [CodedSpan("t", "x", "anna", segments=(0, 0)), CodedSpan("u", "x", "ben", segments=(0, 0))]
    with pytest.raises(CodingError, match="no transcript was coded by all"):
        agreement(spans, {"t": t, "u": other})


def test_krippendorffs_alpha_matches_his_worked_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve units,
    # missing values, nominal data; the paper computes alpha = 0.743.
    n = np.nan
    data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
                     [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]).T
    assert krippendorff_alpha(data) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha(np.array([[1, 1], [2, 2], [1, 1]])) == pytest.approx(1.0)
    assert math.isnan(krippendorff_alpha(np.array([[1, 1], [1, 1]])))  # one category: no chance baseline


def test_fleiss_kappa_matches_the_textbook_example():
    # Fleiss (1971) as worked on Wikipedia's "Fleiss' kappa" page: 10 subjects, 14 raters, 5 categories; 0.210.
    counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
              [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    ratings = np.array([[c for c, k in enumerate(row) for _ in range(k)] for row in counts])
    result = rating_kappa(ratings)
    assert result.method == "fleiss" and result.kappa == pytest.approx(0.210, abs=5e-4)


def test_cohens_kappa_matches_the_textbook_example():
    # Wikipedia's "Cohen's kappa" example: 50 grant proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15; 0.4.
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    result = rating_kappa(np.array([a, b]).T)
    assert (result.method, result.observed) == ("cohen", pytest.approx(0.7))
    assert result.kappa == pytest.approx(0.4)
    # alpha for two coders, by hand: o11 = 40, o00 = 30, o10 = o01 = 15; n1 = 55, n0 = 45;
    # 1 - (n - 1) * 30 / (n^2 - n1^2 - n0^2) = 1 - 99 * 30 / 4950 = 0.4
    assert result.alpha == pytest.approx(0.4)


def test_too_few_coders_are_named_in_words():
    t = _transcript("t", 2)
    with pytest.raises(CodingError) as info:
        agreement([CodedSpan("t", "x", "ada", segments=(0, 0))], {"t": t})
    assert "coders found: ada" in str(info.value) and "[" not in str(info.value)
