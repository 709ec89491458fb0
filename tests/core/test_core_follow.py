"""Follow-through numbers for scripted edits, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from hill_dash.core.follow import centre_drift, follow_through


def _square(centre, half):
    cx, cy = centre
    return np.array([[cx - half, cy], [cx + half, cy], [cx, cy - half], [cx, cy + half]], dtype=float)


def test_a_class_moved_part_of_the_way_reports_its_share_in_words():
    labels = np.array([0] * 4 + [3] * 4)
    before = np.vstack([_square((0, 0), 1.0), _square((2, 0), 1.0)])
    asked = before.copy()
    asked[labels == 3] += [1.0, 0.0]  # class 3 asked 1.0 to the right
    after = before.copy()
    after[labels == 3] += [0.72, 0.3]  # went 0.72 along the ask (and 0.3 sideways, which does not count)
    (result,) = follow_through(before, asked, after, labels, 4)
    assert result.class_id == 3 and result.share == pytest.approx(0.72)
    assert result.old_centre == (2.0, 0.0) and result.asked_centre == (3.0, 0.0)
    assert result.new_centre == pytest.approx((2.72, 0.3)) and result.spread_share is None
    assert result.words() == "class 3 moved 72% of the way you asked"
    assert result.words("digit 3").startswith("digit 3 moved 72%")


def test_a_compaction_reports_the_spread_share_and_no_centre_share():
    labels = np.zeros(4, dtype=int)
    before = _square((1, 1), 2.0)
    asked = _square((1, 1), 1.0)  # spread 2 -> 1
    after = _square((1, 1), 1.5)  # half way
    (result,) = follow_through(before, asked, after, labels, 1)
    assert result.share is None and result.spread_share == pytest.approx(0.5)
    assert result.words() == "class 0's spread tightened 50% of the way"


def test_a_class_that_went_the_other_way_has_a_negative_share_and_untouched_classes_are_left_out():
    labels = np.array([0, 0, 1, 1])
    before = np.array([[0.0, 0.0], [0.0, 2.0], [5.0, 5.0], [5.0, 6.0]])
    asked = before.copy()
    asked[:2] += [0.0, 2.0]
    after = before.copy()
    after[:2] -= [0.0, 0.5]
    after[2:] += 3.0  # moved, but nobody asked
    (result,) = follow_through(before, asked, after, labels, 2)
    assert result.class_id == 0 and result.share == pytest.approx(-0.25)
    assert "moved -25% of the way" in result.words()


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="before, asked and after"):
        follow_through(np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((2, 2)), np.zeros(3, dtype=int), 1)


def test_centre_drift_is_the_mean_centre_displacement():
    labels = np.array([0, 0, 1])
    before = np.array([[0.0, 0.0], [2.0, 0.0], [4.0, 4.0]])
    after = before + np.array([[3.0, 4.0], [3.0, 4.0], [0.0, 0.0]])
    assert centre_drift(before, after, labels, 2) == pytest.approx(2.5)
