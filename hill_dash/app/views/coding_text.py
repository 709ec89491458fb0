"""Coded text on the transcript page: each segment's text with the coded spans a coder may see highlighted in their
code's colour, the codebook as a tree, and the list of codings with their memos.

Offsets are characters of the segment's corrected text. A coding keeps the words it covered when it was made; if a
later correction moved them, the span is looked up again by those words, and a span whose words are gone is listed
as such instead of highlighting the wrong text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

import transcripts
from hill_dash.app import ids
from hill_dash.store import Code, Coding
from hill_dash.store.coding import anchored


def code_colors(codes: Sequence[Code]) -> dict[int, str]:
    """Each code's colour: its own, else one of the palette by its place in the codebook."""
    return {c.id: c.color or transcripts.code_color(i) for i, c in enumerate(codes)}


def code_label(code: Code, names: dict[int, str]) -> str:
    return f"{names[code.parent_id]} › {code.name}" if code.parent_id in names else code.name


def highlighted(index: int, text: str, codings: Sequence[Coding], texts: Sequence[str], colors: dict[int, str],
                names: dict[int, str]) -> list[Any]:
    """The segment's text cut at every coded boundary; coded pieces take the newest covering code's colour and
    name every code on them in their tooltip. The pieces join to exactly `text`, so a selection's offsets in the
    browser are offsets into the text."""
    ranges = []
    for coding in codings:
        covered = anchored(coding, texts)
        if covered and index in covered and covered[index][1] > covered[index][0]:
            ranges.append((*covered[index], coding))
    cuts = sorted({0, len(text), *(r[0] for r in ranges), *(r[1] for r in ranges)})
    pieces: list[Any] = []
    for a, b in zip(cuts, cuts[1:]):
        on = [c for s, e, c in ranges if s <= a and b <= e]
        if not on:
            pieces.append(text[a:b])
            continue
        top = on[-1]
        title = "; ".join(f"{names.get(c.code_id, c.code_id)} ({c.coder})" for c in on)
        pieces.append(html.Mark(text[a:b], title=title, className="hill-coded",
                                style={"backgroundColor": colors.get(top.code_id, "#ffe08a") + "66",
                                       "borderBottom": f"2px solid {colors.get(top.code_id, '#ffe08a')}",
                                       "padding": "0"}))
    return pieces


def segment_text(index: int, text: str, codings: Sequence[Coding], texts: Sequence[str], colors: dict[int, str],
                 names: dict[int, str]) -> html.Div:
    """The selectable, highlighted text of one segment (transcript_select.js reads selections in it)."""
    return html.Div(highlighted(index, text, codings, texts, colors, names),
                    id={"type": ids.TRANSCRIPT_SEGTEXT, "index": index}, className="hill-segtext",
                    **{"data-index": str(index)})


def codebook_tree(codes: Sequence[Code]) -> Any:
    """The codebook as nested lists: a colour swatch, the name (themes in bold) and the description."""
    colors = code_colors(codes)
    children: dict[int | None, list[Code]] = {}
    known = {c.id for c in codes}
    for code in codes:
        children.setdefault(code.parent_id if code.parent_id in known else None, []).append(code)

    def branch(parent: int | None) -> Any:
        items = []
        for code in children.get(parent, []):
            swatch = html.Span(className="hill-swatch me-1", style={
                "display": "inline-block", "width": "0.8em", "height": "0.8em", "backgroundColor": colors[code.id]})
            name = html.B(code.name) if code.theme else html.Span(code.name)
            description = html.Div(code.description, className="small text-muted") if code.description else None
            items.append(html.Li([swatch, name, description, branch(code.id)]))
        return html.Ul(items, className="hill-codebook list-unstyled ms-3 mb-0") if items else None

    return branch(None) or html.P("The codebook is empty.", className="small text-muted")


def codings_list(codings: Sequence[Coding], texts: Sequence[str], names: dict[int, str], colors: dict[int, str],
                 viewer: str, hidden: int) -> Any:
    """The codings the viewer may see: coder, code, the coded words, memo; the viewer can remove their own."""
    rows = []
    for c in codings:
        covered = anchored(c, texts)
        if covered is None:
            words = html.I("(the coded words were corrected away)")
        elif c.quote is not None:
            words = c.quote
        else:
            words = f"segments {c.start_index + 1}–{c.end_index + 1}"
        remove = (dbc.Button("Remove", id={"type": ids.TRANSCRIPT_UNCODE, "coding": c.id}, size="sm", color="link",
                             class_name="p-0") if c.coder == viewer else "")
        rows.append(html.Tr([html.Td(c.coder), html.Td(html.Span(names.get(c.code_id, str(c.code_id)), style={
            "borderLeft": f"4px solid {colors.get(c.code_id, '#999')}", "paddingLeft": "4px"})),
            html.Td(words, className="small"), html.Td(c.memo, className="small"), html.Td(remove)]))
    note = (html.P(f"{hidden} coding(s) by other coders stay hidden until you and they mark the pass done.",
                   className="small text-muted") if hidden else None)
    if not rows:
        return html.Div([html.P("Nothing coded yet.", className="text-muted small"), note])
    head = html.Thead(html.Tr([html.Th(h) for h in ("Coder", "Code", "Coded words", "Memo", "")]))
    return html.Div([dbc.Table([head, html.Tbody(rows)], size="sm", className="hill-codings"), note])
