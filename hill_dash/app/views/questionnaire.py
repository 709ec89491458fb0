"""Questionnaire forms built from instrument definitions: one control per item, chosen by the item's scale.

Every control has a dict id ``{"type": ids.Q_ITEM, "instrument": ..., "item": ...}`` so one pattern-matching
callback saves every item of every instrument; a new instrument file (SUS, or a study's own) needs no UI code.
NASA-TLX style pairwise comparisons are radio pairs under the item key ``pair:<a>:<b>``. The builders are pure
functions of the instrument and the answers stored so far, so a reloaded page shows exactly what was answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import dcc, html

from hill_dash.app import ids
from questionnaires import Instrument, Item, Scale, ValidationError

OTHER = "__other__"  # the radio value of "describe it yourself" on a choice that allows other answers
PAIR_PREFIX = "pair:"
TLX_PERCENT = 5  # a percent-display TLX step is 5 points on the 0-100 labels


def control_id(kind: str, instrument: str, item: str) -> dict[str, str]:
    """The dict id of one item's control (kind ids.Q_ITEM / ids.Q_OTHER) or its status line."""
    return {"type": kind, "instrument": instrument, "item": item}


def pair_key(a: str, b: str) -> str:
    """The answer key under which the choice between items `a` and `b` is stored."""
    return f"{PAIR_PREFIX}{a}:{b}"


def parse_pair_key(key: str) -> tuple[str, str] | None:
    """(a, b) for a pair key, None for an ordinary item id."""
    if not key.startswith(PAIR_PREFIX):
        return None
    parts = key[len(PAIR_PREFIX):].split(":")
    return (parts[0], parts[1]) if len(parts) == 2 and all(parts) else None


UNTOUCHED = "hill-untouched"  # a slider's wrapper class until it is answered: no handle, no filled bar


def slider_start(scale: Scale) -> float:
    """The middle of a scale (TLX: 10 of 0..20): where a researcher's summary may place an untouched slider; the
    form itself shows no handle until the participant clicks or drags."""
    low, high = float(scale.min or 0), float(scale.max if scale.max is not None else 100)
    middle = (low + high) / 2
    if scale.step:
        middle = low + round((middle - low) / scale.step) * scale.step
    return int(middle) if float(middle).is_integer() else middle


def _anchor_row(anchors: tuple[str, ...]) -> html.Div | None:
    if len(anchors) < 2:
        return None
    return html.Div([html.Span(anchors[0]), html.Span(anchors[-1])],
                    className="d-flex justify-content-between small text-muted hill-q-anchors")


def likert_control(instrument: str, item: Item, value: Any) -> html.Div:
    """Radio buttons, one per point; anchors label every point when there is one per point, else the two ends."""
    scale = item.scale
    points = list(range(int(scale.min), int(scale.max) + 1))
    per_point = len(item.anchors) == len(points)
    options = [{"label": f"{p} {item.anchors[i]}" if per_point else str(p), "value": p}
               for i, p in enumerate(points)]
    radios = dcc.RadioItems(id=control_id(ids.Q_ITEM, instrument, item.id), options=options, value=value,
                            inline=True, className="hill-q-likert", inputClassName="me-1",
                            labelClassName="me-3")
    ends = None if per_point else _anchor_row(item.anchors)
    return html.Div([radios, ends] if ends is not None else [radios])


def slider_wrapper(instrument: str, item: Item, slider: dcc.Slider, answered: bool) -> html.Div:
    """The slider with its anchors; until it is answered it carries `UNTOUCHED` (no handle shown) and its range
    for `questionnaire_slider.js`, which turns any click on the line into an answer."""
    scale = item.scale
    low, high = (0, 20) if scale.type == "tlx" else (scale.min, scale.max)
    return html.Div([slider, _anchor_row(item.anchors)], id=control_id(ids.Q_SLIDER, instrument, item.id),
                    className="hill-q-slider" + ("" if answered else f" {UNTOUCHED}"),
                    **{"data-min": str(low), "data-max": str(high), "data-step": str(slider.step)})


def vas_control(instrument: str, item: Item, value: Any) -> html.Div:
    """A 0-100 visual analogue scale: a plain line with the two anchors and no numbers."""
    scale = item.scale
    slider = dcc.Slider(id=control_id(ids.Q_ITEM, instrument, item.id), min=scale.min, max=scale.max,
                        step=scale.step or (scale.max - scale.min) / 100, marks=None, allow_direct_input=False,
                        value=value, included=False, className="hill-q-vas")
    return slider_wrapper(instrument, item, slider, value is not None)


def tlx_marks(scale: Scale) -> dict[int, str]:
    """21 tick marks; labels at the ends and the middle (0/10/20, or 0/50/100 for a percent display)."""
    factor = TLX_PERCENT if scale.display == "percent" else 1
    return {step: (str(step * factor) if step in (0, 10, 20) else "") for step in range(21)}


def tlx_control(instrument: str, item: Item, value: Any) -> html.Div:
    """A NASA-TLX rating: 21 gradations stored 0..20, with marks and the two anchors."""
    slider = dcc.Slider(id=control_id(ids.Q_ITEM, instrument, item.id), min=0, max=20, step=1,
                        marks=tlx_marks(item.scale), allow_direct_input=False, value=value, className="hill-q-tlx")
    return slider_wrapper(instrument, item, slider, value is not None)


def choice_control(instrument: str, item: Item, value: Any) -> html.Div:
    """Radio buttons for the options; with `allow_other`, one more for a self-description typed in a box."""
    options = [{"label": option, "value": option} for option in item.scale.options]
    children: list[Any] = []
    chosen = value
    if item.scale.allow_other:
        options.append({"label": "let me describe it:", "value": OTHER})
        own = value if value is not None and value not in item.scale.options else None
        chosen = OTHER if own is not None else value
        children.append(dcc.Input(id=control_id(ids.Q_OTHER, instrument, item.id), type="text", value=own or "",
                                  debounce=True, placeholder="in your own words", className="form-control mt-1",
                                  maxLength=200))
        children.append(html.Small(id=control_id(ids.Q_OTHER_STATUS, instrument, item.id),
                                   className="text-muted"))
    radios = dcc.RadioItems(id=control_id(ids.Q_ITEM, instrument, item.id), options=options, value=chosen,
                            inline=True, inputClassName="me-1", labelClassName="me-3")
    return html.Div([radios, *children])


def number_control(instrument: str, item: Item, value: Any) -> dcc.Input:
    """A number box (saved when it loses focus or Enter is pressed)."""
    scale = item.scale
    return dcc.Input(id=control_id(ids.Q_ITEM, instrument, item.id), type="number", value=value, debounce=True,
                     min=scale.min, max=scale.max, step=scale.step if scale.step is not None else "any",
                     className="hill-q-number", inputMode="numeric")


def text_control(instrument: str, item: Item, value: Any) -> dcc.Input:
    """A text box (saved when it loses focus or Enter is pressed)."""
    return dcc.Input(id=control_id(ids.Q_ITEM, instrument, item.id), type="text", value=value or "",
                     debounce=True, maxLength=item.scale.max_length, className="form-control")


CONTROLS = {"likert": likert_control, "vas": vas_control, "tlx": tlx_control, "choice": choice_control,
            "number": number_control, "text": text_control}


def item_block(instrument: str, item: Item, number: int, value: Any) -> html.Div:
    """One numbered question: its text, its control, and a status line the save callback writes to."""
    optional = "" if item.required else " (optional)"
    return html.Div([
        html.P(f"{number}. {item.text}{optional}", className="mb-1 fw-semibold"),
        CONTROLS[item.scale.type](instrument, item, value),
        html.Small(id=control_id(ids.Q_STATUS, instrument, item.id), className="text-muted"),
    ], className="hill-q-item mb-4")


def pairs_block(instrument: Instrument, answers: Mapping[str, Any]) -> html.Div | None:
    """The pairwise comparisons (NASA-TLX weighting): one radio pair each, labelled with the items' names."""
    if instrument.pairwise is None:
        return None
    names = {item.id: item.label or item.id for item in instrument.items}
    rows = []
    for number, (a, b) in enumerate(instrument.pairwise.pairs, start=1):
        key = pair_key(a, b)
        rows.append(html.Div([
            html.Span(f"{number}.", className="me-2"),
            dcc.RadioItems(id=control_id(ids.Q_ITEM, instrument.id, key), value=answers.get(key), inline=True,
                           options=[{"label": names[a], "value": a}, {"label": names[b], "value": b}],
                           inputClassName="me-1", labelClassName="me-4"),
            html.Small(id=control_id(ids.Q_STATUS, instrument.id, key), className="text-muted"),
        ], className="d-flex align-items-center mb-1 hill-q-pair"))
    optional = "" if instrument.pairwise.required else " (optional: answer all pairs or none)"
    text = (instrument.pairwise.instructions or "For each pair, choose one.") + optional
    return html.Div([html.P(text, className="mt-3 fw-semibold"), *rows], className="hill-q-pairs")


def instrument_form(instrument: Instrument, answers: Mapping[str, Any] | None = None) -> html.Div:
    """The whole form of one instrument, filled with `answers` (item key -> value as stored)."""
    answers = answers or {}
    blocks: list[Any] = [html.H4(instrument.participant_heading)]
    if instrument.instructions:
        blocks.append(html.P(instrument.instructions, className="text-muted"))
    blocks += [item_block(instrument.id, item, n, answers.get(item.id))
               for n, item in enumerate(instrument.items, start=1)]
    pairs = pairs_block(instrument, answers)
    if pairs is not None:
        blocks.append(pairs)
    return html.Div(blocks, className="hill-questionnaire", **{"data-instrument": instrument.id})


def shown_answers(item_ids: list[dict[str, str]], item_values: list[Any], other_ids: list[dict[str, str]],
                  other_values: list[Any]) -> dict[str, dict[str, Any]]:
    """{instrument: {item key: value}} as the page's controls show them (the ALL-matched ids and values of the
    Q_ITEM and Q_OTHER controls); a choice described in its box counts as the box's text."""
    described = {(i["instrument"], i["item"]): v for i, v in zip(other_ids, other_values)}
    out: dict[str, dict[str, Any]] = {}
    for control, value in zip(item_ids, item_values):
        key = (control["instrument"], control["item"])
        if value == OTHER:
            value = (described.get(key) or "").strip() or None
        out.setdefault(control["instrument"], {})[control["item"]] = value
    return out


def answers_for_validation(instrument: Instrument, stored: Mapping[str, tuple[Any, bool]]
                           ) -> tuple[dict[str, Any], list[tuple[str, str, str]] | None]:
    """The `answers` and `pairs` arguments of `questionnaires.validate` from stored (value, untouched) pairs."""
    answers: dict[str, Any] = {}
    for item in instrument.items:
        if item.id in stored:
            value, untouched = stored[item.id]
            answers[item.id] = {"value": value, "untouched": untouched} if item.scale.slider else value
    pairs = []
    for key, (value, _) in stored.items():
        pair = parse_pair_key(key)
        if pair is not None and value is not None:
            pairs.append((pair[0], pair[1], value))
    return answers, (pairs or None)


def problem_messages(instrument: Instrument, error: ValidationError) -> list[str]:
    """The validation problems in a participant's words: which question, and what is wrong with it."""
    numbers = {item.id: n for n, item in enumerate(instrument.items, start=1)}
    messages = []
    for problem in error.problems:
        if problem.item in numbers:
            item = instrument.item(problem.item)  # named by its participant-facing text, never the researcher label
            what = problem.message
            if "missing" in problem.message:
                what = ("please answer it: click on the line where your answer lies" if item.scale.slider
                        else "please answer it")
            messages.append(f"Question {numbers[problem.item]} (“{item.text}”): {what}.")
        else:
            messages.append(f"Pairwise comparisons: {problem.message}." if problem.item else problem.message)
    return messages
