"""Edits as data, and the targets they become."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hill_dash.core.targets import (Edit, EditError, Targets, apply_edits, class_stats_np, move_edit,
                                    targets_from_edits)

# class 0: (0,0), (2,0); class 1: (10,0), (10,2); class 2: (0,10), (0,14)
POSITIONS = np.array([[0, 0], [2, 0], [10, 0], [10, 2], [0, 10], [0, 14]], dtype=np.float32)
LABELS = np.array([0, 0, 1, 1, 2, 2])


def _targets(edits: list[Edit]) -> Targets:
    return targets_from_edits(POSITIONS, apply_edits(POSITIONS, edits), LABELS, 3)


def test_moving_one_point_changes_only_its_class():
    edit = move_edit("point", POSITIONS, [1], np.array([[4.0, 0.0]]))
    targets = _targets([edit])
    assert targets.touched.tolist() == [True, False, False]
    assert targets.centres[0].tolist() == [2.0, 0.0] and targets.spreads[0] == pytest.approx(2.0)
    # untouched classes keep their current statistics
    assert targets.centres[1].tolist() == [10.0, 1.0] and targets.spreads[1] == pytest.approx(1.0)
    assert targets.centres[2].tolist() == [0.0, 12.0] and targets.spreads[2] == pytest.approx(2.0)


def test_moving_a_class_centre_moves_the_target_centre_and_keeps_the_spread():
    rows = np.flatnonzero(LABELS == 1)
    edit = move_edit("class", POSITIONS, rows, POSITIONS[rows] + np.array([5.0, 5.0]), class_id=1)
    targets = _targets([edit])
    assert targets.touched.tolist() == [False, True, False]
    assert targets.centres[1].tolist() == [15.0, 6.0] and targets.spreads[1] == pytest.approx(1.0)


def test_merging_two_classes_brings_their_target_centres_together():
    centres, _ = class_stats_np(POSITIONS, LABELS, 3)
    middle = (centres[0] + centres[1]) / 2
    edits = []
    final = POSITIONS.copy()
    for c in (0, 1):
        rows = np.flatnonzero(LABELS == c)
        edits.append(move_edit("class", final, rows, final[rows] + (middle - centres[c]), class_id=c))
        final = apply_edits(final, edits[-1:])
    targets = _targets(edits)
    assert targets.touched.tolist() == [True, True, False]
    assert np.allclose(targets.centres[0], middle) and np.allclose(targets.centres[1], middle)
    assert np.allclose(targets.spreads[:2], [1.0, 1.0])


def test_collapse_shrinks_the_target_spread():
    rows = np.flatnonzero(LABELS == 2)
    edit = move_edit("collapse", POSITIONS, rows, np.array([[0.0, 11.5], [0.0, 12.5]]), class_id=2)
    targets = _targets([edit])
    assert targets.centres[2].tolist() == [0.0, 12.0] and targets.spreads[2] == pytest.approx(0.5)


def test_edits_replay_in_order_and_arrows_do_not_move_points():
    first = move_edit("point", POSITIONS, [0], np.array([[1.0, 1.0]]))
    later = move_edit("point", apply_edits(POSITIONS, [first]), [0], np.array([[3.0, 3.0]]))
    arrow = Edit(kind="arrow", indices=(2,), arrow=(1.0, 0.0))
    final = apply_edits(POSITIONS, [first, arrow, later])
    assert final[0].tolist() == [3.0, 3.0]
    assert np.array_equal(final[1:], POSITIONS[1:])


def test_edit_and_targets_round_trip_through_json():
    edit = move_edit("selection", POSITIONS, [0, 4], np.array([[1, 2], [3, 4]]), actor="p07")
    again = Edit.from_dict(json.loads(json.dumps(edit.to_dict())))
    assert again == edit
    targets = _targets([edit])
    assert Targets.from_dict(json.loads(json.dumps(targets.to_dict()))).to_dict() == targets.to_dict()


def test_bad_edits_are_explained():
    with pytest.raises(EditError, match="kind"):
        Edit(kind="drag", indices=(0,))
    with pytest.raises(EditError, match="one new position per index"):
        Edit(kind="point", indices=(0, 1), new=((1.0, 1.0),))
    with pytest.raises(EditError, match="exactly one point"):
        Edit(kind="arrow", indices=(0, 1), arrow=(1.0, 0.0))
    with pytest.raises(EditError, match="length zero"):
        Edit(kind="arrow", indices=(0,), arrow=(0.0, 0.0))
    with pytest.raises(EditError, match="snapshot has 6 points"):
        apply_edits(POSITIONS, [Edit(kind="point", indices=(9,), new=((0.0, 0.0),))])
    with pytest.raises(EditError, match="classes \\[3\\]"):
        targets_from_edits(POSITIONS, POSITIONS, LABELS, 4)
    with pytest.raises(EditError, match="NaN"):
        targets_from_edits(POSITIONS, np.full_like(POSITIONS, np.nan), LABELS, 3)
