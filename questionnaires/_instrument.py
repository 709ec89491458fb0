"""An instrument held in memory: its items, optional pairwise comparisons and how it is scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._scales import Scale

SCORING_KINDS = ("items", "sum", "mean", "umux_lite", "nasa_tlx")


@dataclass(frozen=True)
class Item:
    """One question. `anchors` label the ends of a scale (or, for Likert, every point)."""

    id: str
    text: str
    scale: Scale
    required: bool = True
    anchors: tuple[str, ...] = ()
    reverse: bool = False
    label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The item as written in an instrument file."""
        out: dict[str, Any] = {"id": self.id}
        if self.label is not None:
            out["label"] = self.label
        out.update(text=self.text, scale=self.scale.to_dict(), required=self.required)
        if self.anchors:
            out["anchors"] = list(self.anchors)
        if self.reverse:
            out["reverse"] = True
        return out


@dataclass(frozen=True)
class Pairwise:
    """Forced choices between two items (NASA-TLX weighting): `pairs` in the order they are presented."""

    pairs: tuple[tuple[str, str], ...]
    required: bool = False
    instructions: str | None = None

    @property
    def members(self) -> tuple[str, ...]:
        """Every item id that appears in some pair, in order of first appearance."""
        return tuple(dict.fromkeys(i for pair in self.pairs for i in pair))

    def to_dict(self) -> dict[str, Any]:
        """The block as written in an instrument file."""
        out: dict[str, Any] = {"required": self.required, "pairs": [list(p) for p in self.pairs]}
        if self.instructions is not None:
            out["instructions"] = self.instructions
        return out


@dataclass(frozen=True)
class Scoring:
    """How answers become scores. `kind` is one of SCORING_KINDS; `items` are the item ids it uses.

    `sum` / `mean` are generic: reverse-coded items count as `min + max - x`; `zero_based` shifts each item so its
    scale minimum counts 0; `rescale_to` maps the largest possible result to that number (SUS: 100).
    """

    kind: str = "items"
    items: tuple[str, ...] = ()
    name: str | None = None
    zero_based: bool = False
    rescale_to: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The block as written in an instrument file."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.items:
            out["items"] = list(self.items)
        if self.kind in ("sum", "mean"):
            out.update(name=self.name, zero_based=self.zero_based)
            if self.rescale_to is not None:
                out["rescale_to"] = self.rescale_to
        return out


@dataclass(frozen=True)
class Instrument:
    """A questionnaire: id, title, instructions, ordered `items`, optional `pairwise` block and `scoring`.

    `title` names the instrument for researchers (reports, set-up, exports); `heading` is what a participant sees
    above it, in plain words (the title when not given)."""

    id: str
    title: str
    items: tuple[Item, ...]
    instructions: str | None = None
    heading: str | None = None
    reference: str | None = None
    pairwise: Pairwise | None = None
    scoring: Scoring = field(default_factory=Scoring)
    source: str | None = field(default=None, compare=False)  # the file it was read from, if any

    @property
    def participant_heading(self) -> str:
        """The heading a participant sees: `heading`, or the title."""
        return self.heading or self.title

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Item ids in presentation order."""
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        """The item with this id; KeyError names the known ids when there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"instrument '{self.id}' has no item {item_id!r} (items: {', '.join(self.item_ids)})")

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the instrument-file format (item defaults expanded); `from_dict` reads it back."""
        out: dict[str, Any] = {"id": self.id, "title": self.title}
        if self.heading is not None:
            out["heading"] = self.heading
        if self.instructions is not None:
            out["instructions"] = self.instructions
        if self.reference is not None:
            out["reference"] = self.reference
        out["items"] = [item.to_dict() for item in self.items]
        if self.pairwise is not None:
            out["pairwise"] = self.pairwise.to_dict()
        out["scoring"] = self.scoring.to_dict()
        return out
