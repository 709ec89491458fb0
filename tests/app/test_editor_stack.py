"""Undo / redo / reset of an interaction point's edits, replayed from the event log."""

from __future__ import annotations

import numpy as np
import pytest

from hill_dash.app.components import control_event, replay, validate_edit

ORIGINAL = np.array([[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [3.0, 0.0]])
CENTRES = np.array([[0.5, 0.0], [2.5, 0.0]])  # class 0: points 0, 1; class 1: points 2, 3


def point_edit(index, new):
    return {"kind": "point", "indices": [index], "old": [ORIGINAL[index].tolist()], "new": [list(new)],
            "class_id": int(index >= 2), "centre": None, "epoch": 25, "timestamp": 1.0}


def class_edit(offset):
    moved = ORIGINAL[2:] + offset
    return {"kind": "class", "indices": [2, 3], "old": ORIGINAL[2:].tolist(), "new": moved.tolist(),
            "class_id": 1, "centre": {"old": CENTRES[1].tolist(), "new": (CENTRES[1] + offset).tolist()},
            "epoch": 25, "timestamp": 2.0}


def test_edits_apply_in_order_and_the_later_one_wins():
    state = replay([point_edit(0, (5, 5)), point_edit(0, (7, 7)), point_edit(3, (9, 9))], ORIGINAL, CENTRES)
    expected = ORIGINAL.copy()
    expected[0], expected[3] = (7, 7), (9, 9)
    np.testing.assert_allclose(state.positions, expected)
    assert state.active == [0, 1, 2] and state.can_undo and not state.can_redo
    np.testing.assert_array_equal(state.moved, [True, False, False, True])
    np.testing.assert_allclose(state.centres, CENTRES)


def test_a_class_edit_moves_its_centre_and_undo_brings_both_back():
    log = [class_edit(np.array([1.0, -2.0]))]
    moved = replay(log, ORIGINAL, CENTRES)
    np.testing.assert_allclose(moved.positions[2:], ORIGINAL[2:] + [1.0, -2.0])
    np.testing.assert_allclose(moved.centres[1], CENTRES[1] + [1.0, -2.0])
    undone = replay(log + [control_event("undo")], ORIGINAL, CENTRES)
    np.testing.assert_allclose(undone.positions, ORIGINAL)
    np.testing.assert_allclose(undone.centres, CENTRES)
    assert undone.active == [] and undone.redoable == [0] and not undone.moved.any()


def test_undo_then_redo_restores_and_a_new_edit_drops_the_redo_branch():
    log = [point_edit(0, (5, 5)), point_edit(1, (6, 6)), control_event("undo")]
    state = replay(log, ORIGINAL, CENTRES)
    np.testing.assert_allclose(state.positions[1], ORIGINAL[1])
    assert state.active == [0] and state.can_redo
    redone = replay(log + [control_event("redo")], ORIGINAL, CENTRES)
    np.testing.assert_allclose(redone.positions[1], (6, 6))
    assert redone.active == [0, 1] and not redone.can_redo
    branched = replay(log + [point_edit(2, (8, 8)), control_event("redo")], ORIGINAL, CENTRES)
    np.testing.assert_allclose(branched.positions[1], ORIGINAL[1])
    assert branched.active == [0, 3] and not branched.can_redo


def test_reset_clears_every_edit_and_is_itself_undoable():
    log = [point_edit(0, (5, 5)), class_edit(np.array([0.0, 3.0])), control_event("reset")]
    state = replay(log, ORIGINAL, CENTRES)
    np.testing.assert_allclose(state.positions, ORIGINAL)
    np.testing.assert_allclose(state.centres, CENTRES)
    assert state.active == [] and state.can_undo
    after_edit = replay(log + [point_edit(3, (1, 1))], ORIGINAL, CENTRES)
    assert after_edit.active == [3]
    np.testing.assert_allclose(after_edit.positions[0], ORIGINAL[0])
    restored = replay(log + [control_event("undo")], ORIGINAL, CENTRES)
    assert restored.active == [0, 1]
    np.testing.assert_allclose(restored.positions[0], (5, 5))


def test_undo_and_redo_with_nothing_to_act_on_change_nothing():
    state = replay([control_event("undo"), control_event("redo"), point_edit(0, (1, 1)), control_event("redo")],
                   ORIGINAL, CENTRES)
    assert state.active == [2] and state.undoable == [2] and state.redoable == []


def test_the_log_is_not_modified_by_replaying_it():
    log = [point_edit(0, (5, 5)), control_event("undo")]
    before = repr(log)
    replay(log, ORIGINAL, CENTRES)
    assert repr(log) == before


@pytest.mark.parametrize("change, message", [
    ({"kind": "teleport"}, "unknown edit kind"),
    ({"indices": [7]}, "must lie in 0..3"),
    ({"indices": [0, 0], "old": [[0, 0], [0, 0]], "new": [[1, 1], [1, 1]]}, "repeat a point"),
    ({"new": [[1.0, 2.0], [3.0, 4.0]]}, "must hold 1"),
    ({"new": [[float("nan"), 0.0]]}, "non-finite"),
    ({"class_id": 5}, "class_id must lie in"),
    ({"epoch": 30}, "epoch 30, not the current epoch 25"),
])
def test_a_malformed_edit_is_refused_with_the_reason(change, message):
    edit = {**point_edit(0, (1, 1)), **change}
    with pytest.raises(ValueError, match=message):
        validate_edit(edit, n_points=4, n_classes=2, epoch=25)


def test_replay_names_the_bad_event_and_class_edits_need_their_class():
    bad = {**class_edit(np.array([1.0, 1.0])), "class_id": None}
    with pytest.raises(ValueError, match="event 1 of the log: a class edit needs the class_id"):
        replay([point_edit(0, (1, 1)), bad], ORIGINAL, CENTRES)


def test_control_events_are_stamped_and_unknown_ones_refused():
    assert control_event("undo", timestamp=5.0) == {"kind": "undo", "timestamp": 5.0}
    assert control_event("reset")["timestamp"] > 1.6e12
    with pytest.raises(ValueError, match="unknown control event"):
        control_event("rewind")
