"""The pure scoring maths, checked against examples worked by hand."""

from __future__ import annotations

import doctest

import pytest

from questionnaires import functional as F


def test_docstring_examples_hold():
    result = doctest.testmod(F)
    assert result.attempted >= 10
    assert result.failed == 0


def test_umux_lite_worked_example():
    # i1 = 6, i2 = 5: raw = (6 + 5 - 2) * 100 / 12 = 900 / 12 = 75.0
    # SUS parity = 0.65 * 75 + 22.9 = 48.75 + 22.9 = 71.65
    raw = F.umux_lite_raw(6, 5)
    assert raw == pytest.approx(75.0)
    assert F.umux_lite_sus_parity(raw) == pytest.approx(71.65)


def test_umux_lite_ends_of_the_scale():
    # all 1s -> (1 + 1 - 2) * 100/12 = 0 -> parity 22.9; all 7s -> 12 * 100/12 = 100 -> parity 87.9
    assert F.umux_lite_raw(1, 1) == 0
    assert F.umux_lite_sus_parity(F.umux_lite_raw(7, 7)) == pytest.approx(87.9)
    # a 5-point variant divides by 2 * 4 = 8: (4 + 3 - 2) * 100 / 8 = 62.5
    assert F.umux_lite_raw(4, 3, points=5) == pytest.approx(62.5)


RATINGS = {"mental": 15, "physical": 2, "temporal": 8, "performance": 6, "effort": 12, "frustration": 10}


def test_tlx_raw_worked_example():
    # 15 + 2 + 8 + 6 + 12 + 10 = 53; 53 / 6 = 8.8333...
    assert F.tlx_raw_total(RATINGS.values()) == 53
    assert F.tlx_raw_mean(list(RATINGS.values())) == pytest.approx(8.833333, abs=1e-6)


def test_tlx_weighted_worked_example():
    # Wins counted by hand from 15 choices: mental 4, physical 0, temporal 2, performance 2, effort 5,
    # frustration 2 (sum 15). Weighted = (15*4 + 2*0 + 8*2 + 6*2 + 12*5 + 10*2) / 15 = 168 / 15 = 11.2
    choices = ["mental"] * 4 + ["temporal"] * 2 + ["performance"] * 2 + ["effort"] * 5 + ["frustration"] * 2
    weights = F.tlx_weights(choices, list(RATINGS))
    assert weights == {"mental": 4, "physical": 0, "temporal": 2, "performance": 2, "effort": 5, "frustration": 2}
    assert F.tlx_weighted(RATINGS, weights) == pytest.approx(11.2)


def test_tlx_weights_reject_a_choice_outside_the_subscales():
    with pytest.raises(ValueError, match="'boredom' is not one of the subscales"):
        F.tlx_weights(["boredom"], list(RATINGS))


def test_tlx_weighted_needs_some_weight():
    with pytest.raises(ValueError, match="weights sum to zero"):
        F.tlx_weighted(RATINGS, dict.fromkeys(RATINGS, 0))


def test_sus_by_generic_sum():
    # Answers 5,1,5,1,5,1,5,1,5,1 (best possible): odd items 5-1 = 4, even items reversed 1 -> 5, minus 1 = 4;
    # 10 * 4 = 40, rescaled 40 * 100/40 = 100.
    answers = [5, 1] * 5
    scored = [a if i % 2 == 0 else F.reverse_code(a, 1, 5) for i, a in enumerate(answers)]
    assert F.scale_sum(scored, [1] * 10, [5] * 10, zero_based=True, rescale_to=100) == pytest.approx(100.0)
    # Answers 4,2,4,2,... : contributions 3 and 5-2 = 3 -> 30 * 2.5 = 75
    scored = [4 if i % 2 == 0 else F.reverse_code(2, 1, 5) for i in range(10)]
    assert F.scale_sum(scored, [1] * 10, [5] * 10, zero_based=True, rescale_to=100) == pytest.approx(75.0)


def test_scale_mean_without_rescaling_is_the_plain_mean():
    # (10 + 40 + 70) / 3 = 40; zero-based on 10..100 it is (0 + 30 + 60) / 3 = 30
    assert F.scale_mean([10, 40, 70], [10] * 3, [100] * 3) == pytest.approx(40)
    assert F.scale_mean([10, 40, 70], [10] * 3, [100] * 3, zero_based=True) == pytest.approx(30)


def test_scale_sum_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one low and one high per value"):
        F.scale_sum([1, 2], [1], [5, 5])


@pytest.mark.parametrize(("percent", "steps"), [(0, 0), (5, 1), (75, 15), (100, 20)])
def test_tlx_percent_round_trip(percent, steps):
    assert F.tlx_percent_to_steps(percent) == steps
    assert F.tlx_steps_to_percent(steps) == percent


@pytest.mark.parametrize("percent", [-5, 7, 105])
def test_tlx_percent_off_the_grid_is_refused(percent):
    with pytest.raises(ValueError, match="0..100 in steps of 5"):
        F.tlx_percent_to_steps(percent)
