"""Latent-editor edits: written at once with timestamps, undo/redo/reset as events, never deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hill_dash.store import Edit, Store, StoreError, open_store


def _move(store: Store, run_id: int, point: int, ip: int = 0) -> Edit:
    return store.add_edit(run_id, ip, 25, "point", point_indices=[point], old_positions=[[0.0, 0.0]],
                          new_positions=[[1.0, float(point)]])


def test_an_edit_is_readable_by_another_store_the_moment_it_is_made(store: Store) -> None:
    run = store.create_run("digits")
    before = datetime.now(UTC)
    edit = store.add_edit(run.id, 0, 25, "class", class_id=3, old_positions=[[0, 0]], new_positions=[[2, 1]])
    # A second Store on the same database stands for another process (a worker, or the app after a crash).
    other = open_store(url=store.url, data_dir=store.files.data_dir)
    seen = other.list_edits(run.id)
    other.close()
    assert [e.id for e in seen] == [edit.id]
    assert seen[0].class_id == 3 and seen[0].new_positions == [[2, 1]]
    assert before - timedelta(seconds=1) <= seen[0].created_at <= datetime.now(UTC) + timedelta(seconds=1)


def test_undo_and_redo_are_events_that_flip_the_flag(store: Store) -> None:
    run = store.create_run("digits")
    a, b = _move(store, run.id, 1), _move(store, run.id, 2)
    undo = store.mark_undone(b.id)
    assert (undo.kind, undo.target_id, undo.seq) == ("undo", b.id, 3)
    assert [e.id for e in store.list_edits(run.id, 0, active_only=True)] == [a.id]
    redo = store.mark_redone(b.id, actor="researcher")
    assert (redo.kind, redo.target_id, redo.actor, redo.seq) == ("redo", b.id, "researcher", 4)
    assert [e.id for e in store.list_edits(run.id, 0, active_only=True)] == [a.id, b.id]
    assert [e.kind for e in store.list_edits(run.id, 0)] == ["point", "point", "undo", "redo"]
    with pytest.raises(StoreError, match="not undone; nothing to redo"):
        store.mark_redone(b.id)
    with pytest.raises(StoreError, match="only edits of kinds"):
        store.mark_undone(undo.id)
    with pytest.raises(StoreError, match="go through mark_undone"):
        store.add_edit(run.id, 0, 25, "undo")


def test_undo_last_and_redo_last_follow_the_editor_stack(store: Store) -> None:
    run = store.create_run("digits")
    a, b, c = (_move(store, run.id, i) for i in range(3))
    assert store.undo_last(run.id, 0).target_id == c.id
    assert store.undo_last(run.id, 0).target_id == b.id
    assert store.redo_last(run.id, 0).target_id == b.id
    assert [e.id for e in store.list_edits(run.id, 0, active_only=True)] == [a.id, b.id]
    d = _move(store, run.id, 4)  # a new edit empties the redo stack: c stays undone
    assert store.redo_last(run.id, 0) is None
    assert [e.id for e in store.list_edits(run.id, 0, active_only=True)] == [a.id, b.id, d.id]


def test_reset_undoes_one_interaction_point_and_keeps_every_row(store: Store) -> None:
    run = store.create_run("digits")
    kept = _move(store, run.id, 9, ip=0)
    for point in range(3):
        _move(store, run.id, point, ip=1)
    reset = store.add_edit(run.id, 1, 30, "reset")
    assert reset.seq == 4
    assert store.list_edits(run.id, 1, active_only=True) == []
    assert len(store.list_edits(run.id, 1)) == 4
    assert [e.id for e in store.list_edits(run.id, 0, active_only=True)] == [kept.id]
    assert store.redo_last(run.id, 1) is None
    assert store.undo_last(run.id, 1) is None


def test_edit_sequence_numbers_count_per_interaction_point(store: Store) -> None:
    run = store.create_run("digits")
    seqs = [(_move(store, run.id, i, ip=i % 2)).seq for i in range(5)]
    assert seqs == [1, 1, 2, 2, 3]
    with pytest.raises(StoreError, match="2 entries for 1 point"):
        store.add_edit(run.id, 0, 25, "point", point_indices=[1], new_positions=[[0, 0], [1, 1]])
    with pytest.raises(StoreError, match="use one of"):
        store.add_edit(run.id, 0, 25, "drag")
