"""From validated answers to a score dict, dispatching on the instrument's `scoring.kind`."""

from __future__ import annotations

from typing import Any

from . import functional as F
from ._instrument import Instrument, Item
from ._validate import CheckedAnswers


def score_checked(instrument: Instrument, checked: CheckedAnswers) -> dict[str, Any]:
    """The score of answers already checked against `instrument`.

    Always `instrument` and per-item `items` values; `untouched` flags when the instrument has slider items; then
    the fields of its scoring kind (`raw`/`sus_parity`, `raw_total`/`raw_mean`/`weights`/`weighted`, or the
    `name` of a generic sum/mean).
    """
    out: dict[str, Any] = {"instrument": instrument.id, "items": dict(checked.values)}
    sliders = [item.id for item in instrument.items if item.scale.slider]
    if sliders:
        out["untouched"] = {item_id: checked.untouched[item_id] for item_id in sliders}
    scoring = instrument.scoring
    if scoring.kind == "items":
        return out
    items = [instrument.item(item_id) for item_id in scoring.items]
    values = [_scored_value(item, checked.values[item.id]) for item in items]
    if scoring.kind in ("sum", "mean"):
        combine = F.scale_sum if scoring.kind == "sum" else F.scale_mean
        out[scoring.name or scoring.kind] = combine(
            values, [item.scale.min for item in items], [item.scale.max for item in items],
            zero_based=scoring.zero_based, rescale_to=scoring.rescale_to)
    elif scoring.kind == "umux_lite":
        raw = F.umux_lite_raw(values[0], values[1], points=items[0].scale.points or 7)
        out.update(raw=raw, sus_parity=F.umux_lite_sus_parity(raw))
    elif scoring.kind == "nasa_tlx":
        out.update(raw_total=F.tlx_raw_total(values), raw_mean=F.tlx_raw_mean(values))
        if checked.choices is not None:
            weights = F.tlx_weights(checked.choices, list(scoring.items))
            out.update(weights=weights, weighted=F.tlx_weighted(dict(zip(scoring.items, values)), weights))
    return out


def _scored_value(item: Item, value: float) -> float:
    """The value a score uses: reverse-coded items are mirrored on their scale."""
    if item.reverse:
        return F.reverse_code(value, item.scale.min, item.scale.max)
    return value
