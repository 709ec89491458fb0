"""After a round the follow-through of every moved class is stored and shown in the editor's view."""

from __future__ import annotations

import re

import numpy as np
import pytest

from hill_dash.core.follow import progress_along
from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    store = open_store(data_dir=tmp_path_factory.mktemp("follow"))
    run_id = rounds.start_run(store, "digits", seed=3)
    view = rounds.run_view(store, run_id)
    positions = np.asarray(view["positions"])
    labels = np.asarray(view["snapshot"]["labels"])
    rows = np.flatnonzero(labels == 2)
    new = positions[rows] + [0.8, 0.0]
    rounds.record_edit(store, run_id, {"kind": "class", "indices": rows.tolist(), "old": positions[rows].tolist(),
                                       "new": new.tolist(), "class_id": 2})
    rounds.train_round(store, run_id)
    return store, run_id, view


def test_the_round_stores_one_row_per_moved_class_with_the_asked_move(trained):
    store, run_id, before = trained
    (row,) = store.list_follow_through(run_id)
    assert row.class_id == 2 and row.epoch == before["epoch"] and row.teacher == "follow"
    old = np.asarray(before["snapshot"]["class_centres"][2])
    assert (row.old_x, row.old_y) == pytest.approx(tuple(old), abs=1e-5)
    assert (row.asked_x - row.old_x, row.asked_y - row.old_y) == pytest.approx((0.8, 0.0), abs=1e-5)


def test_the_view_after_the_round_says_where_the_class_went_and_how_far(trained):
    store, run_id, _ = trained
    view = rounds.run_view(store, run_id)
    (item,) = view["follow"]
    now = view["snapshot"]["class_centres"][2]
    assert item["new_centre"] == pytest.approx(now, abs=1e-5)  # where the model went is the view now shown
    share = progress_along(np.asarray(item["old_centre"]), np.asarray(now), np.asarray(item["asked_centre"]))
    assert item["share"] == pytest.approx(share)
    assert re.fullmatch(r"class 2 moved -?\d+% of the way you asked", item["words"])
    assert f"{round(100 * share)}%" in item["words"]
