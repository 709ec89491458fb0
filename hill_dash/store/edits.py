"""The participant's edits in the latent editor, each written the moment it is made.

Rows are never deleted: undo, redo and reset are events of their own (kinds "undo", "redo", "reset") that set
or clear the `undone` flag of the edits they act on, so the full sequence of what happened can be replayed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, check_choice, plain_json, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Edit as EditRow
from hill_dash.store.tables import Run as RunRow

CHANGE_KINDS = ("point", "class", "collapse", "selection", "arrow")
EDIT_KINDS = (*CHANGE_KINDS, "undo", "redo", "reset")


@dataclass(frozen=True)
class Edit:
    id: int
    run_id: int
    interaction_index: int
    epoch: int
    seq: int
    kind: str
    actor: str
    point_indices: list[int] | None
    old_positions: list[Any] | None
    new_positions: list[Any] | None
    class_id: int | None
    arrow: dict[str, Any] | None
    target_id: int | None
    undone: bool
    created_at: datetime


class EditsMixin(StoreBase):
    """Write edits as they happen; undo and redo as events; read back the edits still in force."""

    def add_edit(self, run_id: int, interaction_index: int, epoch: int, kind: str, *, actor: str = "participant",
                 point_indices: Sequence[int] | None = None, old_positions: Sequence[Any] | None = None,
                 new_positions: Sequence[Any] | None = None, class_id: int | None = None,
                 arrow: dict[str, Any] | None = None) -> Edit:
        """Record one edit (point, class, collapse, selection, arrow) or a reset of the interaction point.

        A reset marks every edit of this interaction point that is still in force as undone.
        """
        check_choice(kind, (*CHANGE_KINDS, "reset"), "edit kind (undo and redo go through mark_undone/mark_redone)")
        indices = None if point_indices is None else [int(i) for i in point_indices]
        for name, positions in (("old_positions", old_positions), ("new_positions", new_positions)):
            if positions is not None and indices is not None and len(positions) != len(indices):
                raise StoreError(f"{name} has {len(positions)} entries for {len(indices)} point indices; "
                                 "give one [x, y] per point")
        with self._write() as session:
            self._get(session, RunRow, run_id, "run", lock=True)
            row = _append(session, run_id, interaction_index, epoch, kind, actor, point_indices=indices,
                          old_positions=plain_json(old_positions), new_positions=plain_json(new_positions),
                          class_id=None if class_id is None else int(class_id), arrow=plain_json(arrow))
            if kind == "reset":
                for edit in _in_force(session, run_id, interaction_index):
                    edit.undone = True
            return to_record(Edit, row)

    def mark_undone(self, edit_id: int, actor: str = "participant") -> Edit:
        """Undo an edit: flag it undone and record an "undo" event pointing at it (returned)."""
        with self._write() as session:
            return to_record(Edit, _flip(session, self._locked_edit(session, edit_id), actor, undo=True))

    def mark_redone(self, edit_id: int, actor: str = "participant") -> Edit:
        """Redo an undone edit: clear its flag and record a "redo" event pointing at it (returned)."""
        with self._write() as session:
            return to_record(Edit, _flip(session, self._locked_edit(session, edit_id), actor, undo=False))

    def undo_last(self, run_id: int, interaction_index: int, actor: str = "participant") -> Edit | None:
        """Undo the newest edit still in force at this interaction point (None when there is none)."""
        with self._write() as session:
            self._get(session, RunRow, run_id, "run", lock=True)
            edits = _in_force(session, run_id, interaction_index)
            return to_record(Edit, _flip(session, edits[-1], actor, undo=True)) if edits else None

    def redo_last(self, run_id: int, interaction_index: int, actor: str = "participant") -> Edit | None:
        """Redo the most recently undone edit, unless a new edit or a reset came after its undo (then None)."""
        with self._write() as session:
            self._get(session, RunRow, run_id, "run", lock=True)
            rows = session.scalars(select(EditRow).where(EditRow.run_id == run_id,
                                                         EditRow.interaction_index == interaction_index)
                                   .order_by(EditRow.seq)).all()
            target = _redo_target(rows)
            return None if target is None else to_record(Edit, _flip(session, target, actor, undo=False))

    def list_edits(self, run_id: int, interaction_index: int | None = None,
                   active_only: bool = False) -> list[Edit]:
        """Edits of a run in the order they were made; `active_only` keeps only changes still in force."""
        query = select(EditRow).where(EditRow.run_id == run_id)
        if interaction_index is not None:
            query = query.where(EditRow.interaction_index == interaction_index)
        if active_only:
            query = query.where(EditRow.kind.in_(CHANGE_KINDS), EditRow.undone.is_(False))
        query = query.order_by(EditRow.interaction_index, EditRow.seq)
        return self._records_of(RunRow, run_id, "run", query, Edit)

    def _locked_edit(self, session: Session, edit_id: int) -> EditRow:
        # Lock the run first, as every other edit write does, so two writers never wait on each other in a cycle.
        run_id = self._get(session, EditRow, edit_id, "edit").run_id
        self._get(session, RunRow, run_id, "run", lock=True)
        return self._get(session, EditRow, edit_id, "edit", lock=True)


def _flip(session: Session, target: EditRow, actor: str, undo: bool) -> EditRow:
    """Set or clear `target`'s undone flag and append the undo/redo event that says so."""
    if target.kind not in CHANGE_KINDS:
        raise StoreError(f"edit {target.id} is a {target.kind!r} event; only edits of kinds "
                         f"{', '.join(CHANGE_KINDS)} can be undone or redone")
    if target.undone == undo:
        state = "already undone" if undo else "not undone"
        raise StoreError(f"edit {target.id} is {state}; nothing to {'undo' if undo else 'redo'}")
    target.undone = undo
    return _append(session, target.run_id, target.interaction_index, target.epoch, "undo" if undo else "redo",
                   actor, target_id=target.id)


def _redo_target(rows: Sequence[EditRow]) -> EditRow | None:
    """The edit a redo would restore: undone since the last new edit or reset, and not redone yet."""
    by_id = {row.id: row for row in rows}
    pending: list[int] = []
    for row in rows:
        if row.kind in (*CHANGE_KINDS, "reset"):
            pending = []
        elif row.kind == "undo" and row.target_id is not None:
            pending.append(row.target_id)
        elif row.kind == "redo" and row.target_id in pending:
            pending.remove(row.target_id)
    return next((by_id[t] for t in reversed(pending) if by_id[t].undone), None)


def _append(session: Session, run_id: int, interaction_index: int, epoch: int, kind: str, actor: str,
            **values: Any) -> EditRow:
    """Add an edit row with the next sequence number of its interaction point (the run row is locked)."""
    if not actor:
        raise StoreError("every edit needs an actor (who made it, for example 'participant' or 'simulated')")
    last = session.scalar(select(func.max(EditRow.seq)).where(EditRow.run_id == run_id,
                                                             EditRow.interaction_index == interaction_index))
    row = EditRow(run_id=run_id, interaction_index=int(interaction_index), epoch=int(epoch),
                  seq=(last or 0) + 1, kind=kind, actor=actor, **values)
    session.add(row)
    session.flush()
    return row


def _in_force(session: Session, run_id: int, interaction_index: int) -> list[EditRow]:
    return list(session.scalars(select(EditRow).where(
        EditRow.run_id == run_id, EditRow.interaction_index == interaction_index,
        EditRow.kind.in_(CHANGE_KINDS), EditRow.undone.is_(False)).order_by(EditRow.seq)))
