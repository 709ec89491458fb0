"""Undo, redo and reset of a participant's edits at one interaction point, as pure functions over the event log.

The log is every event in the order it happened: the edits the editor releases (``kind`` "point", "class",
"collapse" or "selection"; see ``assets/latent_editor.js``) and the control events "undo", "redo" and "reset".
Nothing is ever removed from the log; the current state is recomputed from the snapshot's original positions by
replaying it, so a refresh or a restart shows exactly what the participant last saw.

Reset is itself undoable: it pushes a marker that hides every earlier edit, and undoing it brings them back.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

EDIT_KINDS = ("point", "class", "collapse", "selection")
CONTROL_KINDS = ("undo", "redo", "reset")


@dataclass(frozen=True)
class EditState:
    """The displayed state after replaying a log: positions, centres and what undo/redo would do."""

    positions: np.ndarray
    centres: np.ndarray
    active: list[int] = field(default_factory=list)
    undoable: list[int] = field(default_factory=list)
    redoable: list[int] = field(default_factory=list)
    moved: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    @property
    def can_undo(self) -> bool:
        """True when an undo event would change something."""
        return bool(self.undoable)

    @property
    def can_redo(self) -> bool:
        """True when a redo event would change something."""
        return bool(self.redoable)


def control_event(kind: str, timestamp: float | None = None) -> dict[str, Any]:
    """An "undo", "redo" or "reset" event for the log, stamped in milliseconds since the epoch."""
    if kind not in CONTROL_KINDS:
        raise ValueError(f"unknown control event {kind!r}; use one of {', '.join(CONTROL_KINDS)}")
    return {"kind": kind, "timestamp": time.time() * 1000.0 if timestamp is None else float(timestamp)}


def _pairs(values: Any, what: str, count: int) -> np.ndarray:
    array = np.asarray(values if values is not None else [], dtype=float)
    if array.size == 0 and count == 0:
        return np.zeros((0, 2))
    if array.ndim != 2 or array.shape != (count, 2):
        raise ValueError(f"edit {what} must hold {count} [x, y] pairs (one per index), got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"edit {what} contains a non-finite coordinate")
    return array


def validate_edit(event: Mapping[str, Any], n_points: int, n_classes: int,
                  epoch: int | None = None) -> dict[str, Any]:
    """Check one released edit against its snapshot and return it with numpy arrays.

    Raises ValueError naming the problem: an unknown kind, indices outside the snapshot, mismatched lengths, a
    class id out of range, or an edit made on another epoch's snapshot (when ``epoch`` is given).
    """
    kind = event.get("kind")
    if kind not in EDIT_KINDS:
        raise ValueError(f"unknown edit kind {kind!r}; the editor releases one of {', '.join(EDIT_KINDS)}")
    indices = np.asarray(event.get("indices", []), dtype=int).reshape(-1)
    if len(indices) and (indices.min() < 0 or indices.max() >= n_points):
        raise ValueError(f"edit indices must lie in 0..{n_points - 1} (positions in the snapshot's point list)")
    if len(set(indices.tolist())) != len(indices):
        raise ValueError("edit indices repeat a point; each moved point appears once")
    old = _pairs(event.get("old"), "old", len(indices))
    new = _pairs(event.get("new"), "new", len(indices))
    class_id = event.get("class_id")
    if kind in ("class", "collapse") and class_id is None:
        raise ValueError(f"a {kind} edit needs the class_id of the class it moves")
    if class_id is not None and not 0 <= int(class_id) < n_classes:
        raise ValueError(f"edit class_id must lie in 0..{n_classes - 1}, got {class_id!r}")
    centre = event.get("centre")
    centre_new = None
    if centre is not None:
        centre_new = _pairs([centre.get("new")], "centre", 1)[0]
        if class_id is None:
            raise ValueError("an edit that moves a centre must name its class_id")
    if epoch is not None and event.get("epoch") is not None and int(event["epoch"]) != int(epoch):
        raise ValueError(f"edit was made on the snapshot of epoch {event['epoch']}, not the current epoch {epoch}; "
                         "reload the editor to edit the current snapshot")
    return {**event, "kind": kind, "indices": indices, "old": old, "new": new,
            "class_id": None if class_id is None else int(class_id), "centre_new": centre_new}


def replay(events: Sequence[Mapping[str, Any]], original_positions: Sequence[Sequence[float]] | np.ndarray,
           original_centres: Sequence[Sequence[float]] | np.ndarray,
           epoch: int | None = None) -> EditState:
    """Replay the ordered event log from the snapshot's original positions and class centres.

    ``active`` lists (by position in ``events``) the edits whose effect is shown, oldest first; ``undoable`` and
    ``redoable`` say what undo and redo would act on, next first. An undo or redo with nothing to act on does
    nothing, as a disabled button would.
    """
    original = np.asarray(original_positions, dtype=float).reshape(-1, 2)
    centres0 = np.asarray(original_centres, dtype=float).reshape(-1, 2)
    checked: dict[int, dict[str, Any]] = {}
    stack: list[int] = []
    redo: list[int] = []
    for position, event in enumerate(events):
        kind = event.get("kind")
        if kind == "undo":
            if stack:
                redo.append(stack.pop())
        elif kind == "redo":
            if redo:
                stack.append(redo.pop())
        elif kind == "reset":
            stack.append(position)
            redo.clear()
        else:
            try:
                checked[position] = validate_edit(event, len(original), len(centres0), epoch)
            except ValueError as error:
                raise ValueError(f"event {position} of the log: {error}") from error
            stack.append(position)
            redo.clear()

    last_reset = max((i for i, p in enumerate(stack) if p not in checked), default=-1)
    active = stack[last_reset + 1:]
    positions, centres = original.copy(), centres0.copy()
    for position in active:
        edit = checked[position]
        positions[edit["indices"]] = edit["new"]
        if edit["centre_new"] is not None:
            centres[edit["class_id"]] = edit["centre_new"]
    moved = np.any(positions != original, axis=1)
    return EditState(positions=positions, centres=centres, active=active, undoable=stack[::-1],
                     redoable=redo[::-1], moved=moved)
