"""An edit as it arrives from the browser, checked before anything reads it: types, sizes, and finite coordinates
near the view the participant sees.

A coordinate of `Infinity` would be stored as null and break every later view of the run; one of 1e300 overflows
the next round's loss. Positions must lie within VIEW_MARGIN times the view's own extent, which leaves room to drag
a class well outside the points shown while keeping every loss term finite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

KINDS = ("point", "class", "collapse", "selection", "arrow")
CHECKED = ("kind", "indices", "old", "new", "class_id", "arrow", "epoch")
MAX_POINTS = 20_000  # more than any display subset holds
VIEW_MARGIN = 10.0
MAX_ID = 2**31 - 1


class BadEdit(ValueError):
    """An edit that cannot be stored as sent; the message says which field is wrong and how."""


def _index(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise BadEdit(f"{what} must be a whole number from 0 to {MAX_ID}, got {str(value)[:40]!r}")
    return value


def _number(value: Any, what: str, limit: float | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadEdit(f"{what} must be a number, got {str(value)[:40]!r}")
    number = float(value)
    if not math.isfinite(number):
        raise BadEdit(f"{what} must be a finite number, got {value!r}")
    if limit is not None and abs(number) > limit:
        raise BadEdit(f"{what} = {number:g} lies far outside the view (|x|, |y| ≤ {limit:g}); drag within the plot")
    return number


def _positions(values: Any, what: str, limit: float | None) -> list[list[float]]:
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) > MAX_POINTS:
        raise BadEdit(f"{what} must be a list of at most {MAX_POINTS} [x, y] pairs")
    pairs = []
    for i, pair in enumerate(values):
        if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
            raise BadEdit(f"{what}[{i}] must be an [x, y] pair, got {str(pair)[:40]!r}")
        pairs.append([_number(pair[0], f"{what}[{i}] x", limit), _number(pair[1], f"{what}[{i}] y", limit)])
    return pairs


def view_limit(coords: Any) -> float:
    """The largest |coordinate| an edit may place a point at, for a view with these coordinates."""
    points = np.asarray(coords, dtype=float)
    finite = points[np.isfinite(points)]
    return VIEW_MARGIN * max(1.0, float(np.abs(finite).max()) if finite.size else 1.0)


def checked_edit(edit: Any, coords: Any = None) -> dict[str, Any]:
    """The edit with every field typed and bounded (positions within `view_limit(coords)` when the view's
    coordinates are given); BadEdit naming the first field that is wrong."""
    if not isinstance(edit, dict):
        raise BadEdit("an edit is an object with kind, indices and positions")
    kind = edit.get("kind")
    if kind not in KINDS:
        raise BadEdit(f"edit kind {str(kind)[:40]!r} is unknown: use one of {', '.join(KINDS)}")
    limit = None if coords is None else view_limit(coords)
    indices = edit.get("indices", [])
    if not isinstance(indices, Sequence) or isinstance(indices, str) or len(indices) > MAX_POINTS:
        raise BadEdit(f"indices must be a list of at most {MAX_POINTS} point numbers")
    # Fields this module does not know are passed on for their consumer to check.
    checked: dict[str, Any] = {**{k: v for k, v in edit.items() if k not in CHECKED},
                               "kind": kind, "indices": [_index(i, "a point index") for i in indices],
                               "old": _positions(edit.get("old") or [], "old", None if limit is None else limit * 10),
                               "new": _positions(edit.get("new") or [], "new", limit)}
    if edit.get("class_id") is not None:
        checked["class_id"] = _index(edit["class_id"], "class_id")
    if edit.get("arrow"):
        arrow = _positions([edit["arrow"]], "arrow", None)[0]
        if math.hypot(*arrow) > 1e6:
            raise BadEdit("the arrow is far too long; draw it within the plot")
        checked["arrow"] = arrow
    if edit.get("epoch") is not None:
        checked["epoch"] = _index(edit["epoch"], "epoch")
    return checked
