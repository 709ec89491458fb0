"""From a participant's edits of the displayed points to the per-class targets the human loss pulls towards.

Edits are kept as data (`Edit`), exactly as made, so a participant's work can be replayed, audited and stored
row by row; `apply_edits` replays them on the snapshot's positions. `targets_from_edits` turns the final positions into
targets: for every class with a moved point, the centre mu*_c is the mean of the class's edited positions and the
spread s*_c their mean distance to mu*_c; classes left alone keep their current (snapshot) statistics.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from hill_dash.core.losses import class_statistics

EDIT_KINDS = ("point", "class", "collapse", "selection", "arrow")


class EditError(ValueError):
    """An edit that does not fit the snapshot it is applied to; the message says which field is wrong."""


@dataclass(frozen=True)
class Edit:
    """One action in the editor. `indices` are positions in the display subset (rows of the snapshot)."""

    kind: str
    indices: tuple[int, ...]
    old: tuple[tuple[float, float], ...] = ()
    new: tuple[tuple[float, float], ...] = ()
    class_id: int | None = None
    arrow: tuple[float, float] | None = None
    actor: str = "participant"
    timestamp: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if self.kind not in EDIT_KINDS:
            raise EditError(f"edit kind {self.kind!r} is unknown: use one of {', '.join(EDIT_KINDS)}")
        object.__setattr__(self, "indices", tuple(int(i) for i in self.indices))
        object.__setattr__(self, "old", tuple((float(x), float(y)) for x, y in self.old))
        object.__setattr__(self, "new", tuple((float(x), float(y)) for x, y in self.new))
        if self.arrow is not None:
            object.__setattr__(self, "arrow", (float(self.arrow[0]), float(self.arrow[1])))
        if self.kind == "arrow":
            if self.arrow is None or len(self.indices) != 1:
                raise EditError("an arrow edit needs exactly one point index and an `arrow` (dx, dy)")
            if self.arrow == (0.0, 0.0):
                raise EditError("an arrow of length zero has no direction: draw it longer")
        elif len(self.new) != len(self.indices):
            raise EditError(f"a {self.kind} edit needs one new position per index: got {len(self.indices)} "
                            f"indices and {len(self.new)} positions")

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "indices": list(self.indices), "old": [list(p) for p in self.old],
                "new": [list(p) for p in self.new], "class_id": self.class_id,
                "arrow": list(self.arrow) if self.arrow is not None else None, "actor": self.actor,
                "timestamp": self.timestamp}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Edit:
        arrow = data.get("arrow")
        return cls(kind=data["kind"], indices=tuple(data["indices"]), old=tuple(map(tuple, data.get("old", ()))),
                   new=tuple(map(tuple, data.get("new", ()))), class_id=data.get("class_id"),
                   arrow=tuple(arrow) if arrow is not None else None, actor=data.get("actor", "participant"),
                   timestamp=float(data.get("timestamp", 0.0)))


def move_edit(kind: str, positions: np.ndarray, indices: Sequence[int], new: np.ndarray, *,
              class_id: int | None = None, actor: str = "participant") -> Edit:
    """Build an `Edit` that moves `indices` from their current `positions` to `new` [n, 2]."""
    idx = np.asarray(indices, dtype=int)
    return Edit(kind=kind, indices=tuple(idx.tolist()), old=tuple(map(tuple, positions[idx].tolist())),
                new=tuple(map(tuple, np.asarray(new, dtype=float).reshape(-1, 2).tolist())),
                class_id=class_id, actor=actor)


def apply_edits(positions: np.ndarray, edits: Iterable[Edit]) -> np.ndarray:
    """Replay edits in order on a copy of the positions [N, 2]; arrow edits do not move points."""
    out = np.array(positions, dtype=np.float32, copy=True)
    for edit in edits:
        if edit.kind == "arrow":
            _check_indices(edit.indices, len(out))
            continue
        _check_indices(edit.indices, len(out))
        if edit.indices:
            out[list(edit.indices)] = np.asarray(edit.new, dtype=np.float32)
    return out


def _check_indices(indices: Sequence[int], n: int) -> None:
    bad = [i for i in indices if not 0 <= i < n]
    if bad:
        raise EditError(f"edit refers to display points {bad[:5]} but the snapshot has {n} points (0..{n - 1})")


@dataclass(frozen=True)
class Targets:
    """Per-class target centres [C, 2] and spreads [C]; `touched` marks classes the participant moved."""

    centres: np.ndarray
    spreads: np.ndarray
    touched: np.ndarray

    def __post_init__(self) -> None:
        centres = np.asarray(self.centres, dtype=np.float32)
        spreads = np.asarray(self.spreads, dtype=np.float32)
        touched = np.asarray(self.touched, dtype=bool)
        if centres.ndim != 2 or centres.shape[1] != 2 or spreads.shape != (centres.shape[0],) \
                or touched.shape != spreads.shape:
            raise EditError(f"targets need centres [C, 2], spreads [C], touched [C]; got {centres.shape}, "
                            f"{spreads.shape}, {touched.shape}")
        if not (np.isfinite(centres).all() and np.isfinite(spreads).all()):
            raise EditError("targets contain non-finite values: every class needs points in the display subset")
        object.__setattr__(self, "centres", centres)
        object.__setattr__(self, "spreads", spreads)
        object.__setattr__(self, "touched", touched)

    @property
    def num_classes(self) -> int:
        return int(self.spreads.shape[0])

    def tensors(self, device: torch.device | str = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
        return (torch.as_tensor(self.centres, device=device), torch.as_tensor(self.spreads, device=device))

    def to_dict(self) -> dict[str, Any]:
        return {"centres": self.centres.tolist(), "spreads": self.spreads.tolist(),
                "touched": self.touched.tolist()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Targets:
        return cls(np.asarray(data["centres"]), np.asarray(data["spreads"]), np.asarray(data["touched"]))


def class_stats_np(positions: np.ndarray, labels: np.ndarray, num_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Class centres [C, 2] and spreads [C] of 2D positions (NaN for classes without points)."""
    centres, spreads, counts = class_statistics(torch.as_tensor(np.asarray(positions, dtype=np.float64)),
                                                torch.as_tensor(np.asarray(labels, dtype=np.int64)), num_classes)
    absent = (counts == 0).numpy()
    centres, spreads = centres.numpy(), spreads.numpy()
    centres[absent], spreads[absent] = np.nan, np.nan
    return centres, spreads


def targets_from_edits(original: np.ndarray, final: np.ndarray, labels: np.ndarray, num_classes: int) -> Targets:
    """Targets from the snapshot's positions `original` [N, 2] and the positions after editing `final` [N, 2]."""
    original, final = np.asarray(original, dtype=np.float64), np.asarray(final, dtype=np.float64)
    labels = np.asarray(labels, dtype=int)
    if original.shape != final.shape or original.ndim != 2 or original.shape[1] != 2 \
            or labels.shape != (original.shape[0],):
        raise EditError(f"need original [N, 2], final [N, 2] and labels [N]; got {original.shape}, "
                        f"{final.shape}, {labels.shape}")
    if not np.isfinite(final).all():
        raise EditError("edited positions contain NaN or infinity: every point needs a finite position")
    missing = sorted(set(range(num_classes)) - set(labels.tolist()))
    if missing:
        raise EditError(f"classes {missing} have no points in the display subset, so they have no current "
                        f"statistics to keep: build the scenario with a display subset that covers every class")
    moved = np.any(original != final, axis=1)
    touched = np.zeros(num_classes, dtype=bool)
    touched[np.unique(labels[moved])] = True
    centres, spreads = class_stats_np(original, labels, num_classes)
    new_centres, new_spreads = class_stats_np(final, labels, num_classes)
    centres[touched], spreads[touched] = new_centres[touched], new_spreads[touched]
    return Targets(centres, spreads, touched)
