"""Turning an instrument file (YAML) or plain dict into an `Instrument`, rejecting anything malformed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from ._errors import InstrumentError
from ._fields import Fields
from ._instrument import SCORING_KINDS, Instrument, Item, Pairwise, Scoring
from ._scales import scale_from_fields

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_RESERVED_OUTPUTS = {"instrument", "items", "untouched"}
_TOP_FIELDS = {"id", "title", "heading", "instructions", "reference", "item_defaults", "items", "pairwise", "scoring"}
_ITEM_FIELDS = {"id", "label", "text", "scale", "required", "anchors", "reverse"}


def read_instrument_file(path: str | Path) -> Instrument:
    """Read one instrument file; the instrument's `id` must match the file name (`<id>.yaml`)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InstrumentError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InstrumentError(f"{path}: is not valid YAML{where}: {problem}") from exc
    instrument = instrument_from_dict(data, origin=str(path))
    if instrument.id != path.stem:
        raise InstrumentError(f"{path}: field 'id': is {instrument.id!r} but the file is named {path.name}; "
                              f"rename the file to {instrument.id}{path.suffix} or change the id to {path.stem!r}")
    return replace(instrument, source=str(path))


def instrument_from_dict(data: Any, origin: str = "instrument") -> Instrument:
    """Build an `Instrument` from plain data in the file format; InstrumentError names the bad field."""
    f = Fields(data, origin)
    f.only(_TOP_FIELDS)
    instrument_id = _identifier(f, "id")
    defaults = f.child("item_defaults", f.data.get("item_defaults") or {})
    defaults.only(_ITEM_FIELDS - {"id"})
    raw_items = f.listing("items")
    if not raw_items:
        f.fail("items", "must list at least one item")
    items: list[Item] = []
    for index, raw in enumerate(raw_items):
        item_fields = f.child_at("items", index, raw)
        merged = {**defaults.data, **item_fields.data}
        item = _item(Fields(merged, origin, item_fields.where), set(defaults.data) - set(item_fields.data))
        if any(other.id == item.id for other in items):
            item_fields.fail("id", f"item id {item.id!r} is used twice; every item needs its own id")
        items.append(item)
    by_id = {item.id: item for item in items}
    pairwise = _pairwise(f.child("pairwise"), by_id) if f.data.get("pairwise") is not None else None
    scoring_data = f.data.get("scoring") or {"kind": "items"}
    scoring = _scoring(f.child("scoring", scoring_data), by_id, pairwise)
    return Instrument(id=instrument_id, title=f.text("title"), items=tuple(items),
                      heading=f.text("heading", None), instructions=f.text("instructions", None),
                      reference=f.text("reference", None),
                      pairwise=pairwise, scoring=scoring)


def _identifier(f: Fields, key: str) -> str:
    value = f.text(key)
    if not ID_PATTERN.match(value):
        f.fail(key, f"{value!r} is not a usable id: use letters, digits, '_' and '-', starting with a letter or digit")
    return value


def _item(f: Fields, inherited: set[str]) -> Item:
    """One item; `inherited` names the fields that came from `item_defaults` rather than the item itself."""
    f.only(_ITEM_FIELDS)
    item_id = _identifier(f, "id")
    if f.data.get("scale") is None:
        f.fail("scale", "is required but missing (e.g. `scale: {type: likert, points: 7}`)")
    scale = scale_from_fields(f.data["scale"], f)
    takes_anchors = scale.type in ("likert", "vas", "tlx")
    # Default anchors meant for the instrument's rating items must not break, say, a free-text item among them.
    anchors = tuple(f.texts("anchors", [])) if takes_anchors or "anchors" not in inherited else ()
    allowed = {0, 2} | ({scale.points} if scale.type == "likert" else set())
    if not takes_anchors and anchors:
        f.fail("anchors", f"anchors only apply to likert, vas and tlx scales, not {scale.type}")
    if len(anchors) not in allowed:
        counts = " or ".join(str(n) for n in sorted(allowed - {0}))
        f.fail("anchors", f"give {counts} anchor labels (the ends of the scale), got {len(anchors)}")
    reverse = f.flag("reverse", False)
    if reverse and not scale.bounded:
        f.fail("reverse", f"only numeric scales with a min and a max can be reverse-coded, not {scale.type}")
    return Item(id=item_id, text=f.text("text"), scale=scale, required=f.flag("required", True),
                anchors=anchors, reverse=reverse, label=f.text("label", None))


def _pairwise(f: Fields, by_id: Mapping[str, Item]) -> Pairwise:
    f.only({"pairs", "required", "instructions"})
    raw_pairs = f.listing("pairs")
    if not raw_pairs:
        f.fail("pairs", "must list at least one pair")
    pairs: list[tuple[str, str]] = []
    for index, pair in enumerate(raw_pairs):
        where = f.child_at("pairs", index, {})
        if not isinstance(pair, list) or len(pair) != 2 or not all(isinstance(i, str) for i in pair):
            where.fail(None, f"each pair must be a list of two item ids, got {pair!r}")
        unknown = [i for i in pair if i not in by_id]
        if unknown:
            where.fail(None, f"{unknown[0]!r} is not an item of this instrument (items: {', '.join(by_id)})")
        if pair[0] == pair[1]:
            where.fail(None, f"a pair needs two different items, got {pair!r}")
        if any({pair[0], pair[1]} == set(seen) for seen in pairs):
            where.fail(None, f"the pair {pair[0]} / {pair[1]} is listed twice")
        pairs.append((pair[0], pair[1]))
    return Pairwise(pairs=tuple(pairs), required=f.flag("required", False),
                    instructions=f.text("instructions", None))


def _scoring(f: Fields, by_id: Mapping[str, Item], pairwise: Pairwise | None) -> Scoring:
    kind = f.text("kind")
    if kind not in SCORING_KINDS:
        f.fail("kind", f"unknown scoring kind {kind!r}; use one of {', '.join(SCORING_KINDS)}")
    generic = kind in ("sum", "mean")
    f.only({"kind", "items"} | ({"name", "zero_based", "rescale_to"} if generic else set()))
    if kind == "items":
        return Scoring("items")
    default = {"umux_lite": ("likert",), "nasa_tlx": ("tlx",)}.get(kind)
    listed = f.texts("items", [i.id for i in by_id.values() if i.scale.bounded
                               and (default is None or i.scale.type in default)])
    if not listed:
        f.fail("items", f"scoring kind {kind!r} found no numeric items with a min and max to score")
    for item_id in listed:
        item = by_id.get(item_id)
        if item is None:
            f.fail("items", f"{item_id!r} is not an item of this instrument (items: {', '.join(by_id)})")
        elif not item.scale.bounded:
            f.fail("items", f"item {item_id!r} cannot be scored: its {item.scale.type} scale has no min and max")
        elif not item.required:
            f.fail("items", f"item {item_id!r} is scored, so it must be required (set `required: true`)")
    if kind == "umux_lite":
        points = {by_id[i].scale.points for i in listed}
        if len(listed) != 2 or None in points or len(points) != 1:
            f.fail("items", "umux_lite scores exactly two Likert items with the same number of points")
    if kind == "nasa_tlx" and pairwise is not None:
        outside = [i for i in pairwise.members if i not in listed]
        if outside:
            f.fail("items", f"pairwise item {outside[0]!r} is not one of the scored subscales")
    name = kind
    if generic:
        name = f.text("name", kind)
        if name in _RESERVED_OUTPUTS:
            f.fail("name", f"{name!r} is reserved for the score's own fields; choose another name")
    rescale_to = f.number("rescale_to", None) if generic else None
    zero_based = f.flag("zero_based", False) if generic else False
    return Scoring(kind=kind, items=tuple(listed), name=name if generic else None,
                   zero_based=zero_based, rescale_to=rescale_to)
