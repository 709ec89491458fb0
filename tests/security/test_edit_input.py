"""Crafted edits: every malformed or unbounded field is refused with the field named, and nothing is written (an
`Infinity` or 1e300 coordinate once locked a participant out of their own run)."""

from __future__ import annotations

import math

import pytest
from security_kit import BROWSER, caller
from dash_calls import call

from hill_dash.app import ids
from hill_dash.app.views import editor
from hill_dash.jobs import edit_input, rounds

INF, NAN = math.inf, math.nan


def _valid(view: dict) -> dict:
    return {"kind": "point", "indices": [3], "old": [view["positions"][3]], "new": [[0.5, 0.5]],
            "epoch": view["epoch"]}


BAD_EDITS = [
    ("new", [[INF, 0.0]], "finite"), ("new", [[0.0, -INF]], "finite"), ("new", [[NAN, 0.0]], "finite"),
    ("new", [[1e300, 0.0]], "outside the view"), ("new", [[0.0, -1e12]], "outside the view"),
    ("new", [["0.5", 0.5]], "number"), ("new", [[True, 0.5]], "number"), ("new", [[None, 0.5]], "number"),
    ("new", [[0.5]], "pair"), ("new", [[0.5, 0.5, 0.5]], "pair"), ("new", "0.5,0.5", "list"),
    ("new", [[[0.5], 0.5]], "number"), ("old", [[INF, INF]], "finite"),
    ("indices", [2**70], "whole number"), ("indices", [-1], "whole number"), ("indices", ["3"], "whole number"),
    ("indices", [3.5], "whole number"), ("indices", list(range(30_000)), "at most"), ("indices", "3", "list"),
    ("kind", "drop_table", "unknown"), ("kind", None, "unknown"), ("kind", ["point"], "unknown"),
    ("class_id", True, "class_id"), ("class_id", -4, "class_id"), ("class_id", 2**40, "class_id"),
    ("epoch", "1; DROP", "epoch"), ("epoch", 2**64, "epoch"), ("epoch", -3, "epoch"),
]


@pytest.mark.parametrize("field, value, says", BAD_EDITS)
def test_a_crafted_edit_is_refused_naming_the_field_and_nothing_is_stored(app, world, field, value, says):
    store = world.store
    before = len(store.list_edits(world.free))
    edit = {**_valid(rounds.run_view(store, world.free)), field: value}
    with caller(app, browser=BROWSER):
        message, *_ = editor.save_edit(edit, {"run_id": world.free})
    assert message.startswith("Not saved") and says in message, message
    assert len(store.list_edits(world.free)) == before


@pytest.mark.parametrize("arrow, says", [([INF, 1.0], "finite"), ([1e300, 1e300], "far too long"),
                                         (["up", 1.0], "number"), ([1.0], "pair")])
def test_a_crafted_arrow_is_refused(app, world, arrow, says):
    store = world.store
    before = len(store.list_edits(world.free))
    edit = {"kind": "arrow", "indices": [3], "arrow": arrow, "epoch": rounds.run_view(store, world.free)["epoch"]}
    with caller(app, browser=BROWSER):
        message, *_ = editor.save_edit(edit, {"run_id": world.free})
    assert message.startswith("Not saved") and says in message, message
    assert len(store.list_edits(world.free)) == before


@pytest.mark.parametrize("payload", ["edit", 42, [{"kind": "point"}], {"indices": [3]}])
def test_an_edit_that_is_not_an_edit_object_is_refused(app, world, payload):
    before = len(world.store.list_edits(world.free))
    with caller(app, browser=BROWSER):
        message, *_ = editor.save_edit(payload, {"run_id": world.free})
    assert message.startswith("Not saved") and len(world.store.list_edits(world.free)) == before


def test_after_refused_edits_the_run_still_renders_and_trains(app, world):
    """The runs the crafted edits were aimed at are intact: the page renders and an edit near the view is kept."""
    store = world.store
    view = rounds.run_view(store, world.free)
    limit = edit_input.view_limit(view["snapshot"]["x"] + view["snapshot"]["y"])
    with caller(app, browser=BROWSER):
        edge = {**_valid(view), "new": [[limit * 0.99, -limit * 0.99]]}
        assert editor.save_edit(edge, {"run_id": world.free})[0].startswith("Edit ")
        parts = call(editor.refresh, 0, False, {"run_id": world.free}, trigger=ids.EDITOR_REFRESH)
    assert parts[0] is not None and all(math.isfinite(v) for p in rounds.run_view(store, world.free)["positions"]
                                        for v in p)
