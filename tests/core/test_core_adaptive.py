"""The adaptive-reliance rule: alpha halves after a round below the baseline band, and only then."""

from __future__ import annotations

import pytest

from hill_dash.core.adaptive import FACTOR, MIN_ALPHA, next_alpha


def test_below_the_band_alpha_is_halved_and_the_reason_names_the_numbers():
    decision = next_alpha(0.5, 0.801, 0.83, epoch=5)
    assert decision.lowered and decision.new_alpha == pytest.approx(0.5 * FACTOR)
    assert "0.801" in decision.reason and "0.830" in decision.reason and "epoch 5" in decision.reason


@pytest.mark.parametrize("acc", [0.83, 0.9])
def test_inside_or_above_the_band_alpha_is_kept(acc):
    decision = next_alpha(0.5, acc, 0.83, epoch=5)
    assert not decision.lowered and decision.new_alpha == 0.5


def test_a_small_alpha_drops_to_zero_and_zero_stays_zero():
    assert next_alpha(MIN_ALPHA * 1.5, 0.5, 0.8, epoch=7).new_alpha == 0.0
    assert not next_alpha(0.0, 0.5, 0.8, epoch=9).lowered


def test_without_a_band_nothing_changes_and_bad_alpha_is_refused():
    assert not next_alpha(0.5, 0.1, None, epoch=5).lowered
    with pytest.raises(ValueError, match="outside"):
        next_alpha(1.5, 0.5, 0.8, epoch=5)
