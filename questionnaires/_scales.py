"""Answer scales: what values an item accepts, read from and written back to an instrument file."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ._fields import Fields

TLX_MAX = 20  # NASA-TLX: 21 gradations, stored 0..20 whatever the form displays
SCALE_TYPES = ("likert", "vas", "tlx", "choice", "number", "text")
NUMERIC_TYPES = frozenset({"likert", "vas", "tlx", "number"})
SLIDER_TYPES = frozenset({"vas", "tlx"})  # answered with a slider, so "never moved" is worth recording
_STEP_TOLERANCE = 1e-9

_FIELDS_BY_TYPE = {
    "likert": ("points", "min"),
    "vas": ("min", "max", "step"),
    "tlx": ("display",),
    "choice": ("options", "allow_other"),
    "number": ("min", "max", "step"),
    "text": ("max_length",),
}
TLX_DISPLAYS = ("steps", "percent")


@dataclass(frozen=True)
class Scale:
    """How one item is answered. Numeric scales accept `min..max` on a grid of `step` (None: any value)."""

    type: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    points: int | None = None
    options: tuple[str, ...] = ()
    allow_other: bool = False
    display: str | None = None
    max_length: int | None = None

    @property
    def numeric(self) -> bool:
        """True when answers are numbers."""
        return self.type in NUMERIC_TYPES

    @property
    def bounded(self) -> bool:
        """True for numeric scales with both ends known (the ones that can be scored)."""
        return self.numeric and self.min is not None and self.max is not None

    @property
    def slider(self) -> bool:
        """True for scales answered by dragging (VAS, TLX), whose answers carry an `untouched` flag."""
        return self.type in SLIDER_TYPES

    def check(self, value: Any) -> str | None:
        """Why `value` is not a valid answer on this scale, or None when it is."""
        if self.numeric:
            return self._check_number(value)
        if not isinstance(value, str):
            return f"expected a text, got {type(value).__name__} {value!r}"
        if self.type == "choice" and value not in self.options:
            if not (self.allow_other and value.strip()):
                return f"{value!r} is not one of the options: {', '.join(map(repr, self.options))}"
        if self.type == "text" and self.max_length is not None and len(value) > self.max_length:
            return f"text is {len(value)} characters long; at most {self.max_length} are allowed"
        return None

    def _check_number(self, value: Any) -> str | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"expected a number, got {type(value).__name__} {value!r}"
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        if not low <= value <= high:
            hint = (" (TLX ratings are stored as 0..20; convert a 0-100 percentage with"
                    " questionnaires.functional.tlx_percent_to_steps)") if self.type == "tlx" else ""
            return f"value {value!r} is outside the scale {_fmt(self.min)}..{_fmt(self.max)}{hint}"
        if self.step is not None:
            origin = self.min if self.min is not None else 0
            steps = (value - origin) / self.step
            if abs(steps - round(steps)) > _STEP_TOLERANCE:
                return f"value {value!r} is not on the scale's steps (every {_fmt(self.step)} from {_fmt(origin)})"
        return None

    def to_dict(self) -> dict[str, Any]:
        """The scale as written in an instrument file."""
        out: dict[str, Any] = {"type": self.type}
        for name in _FIELDS_BY_TYPE[self.type]:
            value = getattr(self, name)
            if value is not None and value != () and not (name == "allow_other" and value is False):
                out[name] = list(value) if isinstance(value, tuple) else value
        return out


def scale_from_fields(raw: Any, fields: Fields, key: str = "scale") -> Scale:
    """Read the scale stored under `key` of `fields` (a mapping, or just a type name such as `text`)."""
    f = fields.child(key, {"type": raw} if isinstance(raw, str) else raw)
    kind = f.text("type")
    if kind not in SCALE_TYPES:
        f.fail("type", f"unknown scale type {kind!r}; use one of {', '.join(SCALE_TYPES)}")
    f.only({"type", *_FIELDS_BY_TYPE[kind]})
    if kind == "likert":
        points = f.integer("points", minimum=2)
        low = f.integer("min", 1)
        return Scale("likert", min=low, max=low + points - 1, step=1, points=points)
    if kind == "tlx":
        display = f.text("display", "steps")
        if display not in TLX_DISPLAYS:
            f.fail("display", f"must be one of {', '.join(TLX_DISPLAYS)}, got {display!r}")
        return Scale("tlx", min=0, max=TLX_MAX, step=1, display=display)
    if kind == "choice":
        options = f.texts("options")
        if len(options) < 2 or len(set(options)) != len(options):
            f.fail("options", "must list at least two different options")
        return Scale("choice", options=tuple(options), allow_other=f.flag("allow_other", False))
    if kind == "text":
        return Scale("text", max_length=f.integer("max_length", None, minimum=1))
    default_low, default_high = (0, 100) if kind == "vas" else (None, None)
    low, high = f.number("min", default_low), f.number("max", default_high)
    step = f.number("step", None)
    if low is not None and high is not None and high <= low:
        f.fail("max", f"must be larger than min ({_fmt(low)}), got {_fmt(high)}")
    if step is not None and step <= 0:
        f.fail("step", f"must be positive, got {_fmt(step)}")
    return Scale(kind, min=low, max=high, step=step)


def _fmt(value: float | None) -> str:
    if value is None:
        return "(open)"
    return str(int(value)) if float(value).is_integer() else str(value)
