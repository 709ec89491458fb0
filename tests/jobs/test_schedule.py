"""Every schedule reaches its end by pressing Train alone: the basicmotions schedule (points 3, 5, 7, 9, end 12),
also after a round that stopped early, with the heading and the rounds left counted from the real stops."""

from __future__ import annotations

import pytest

from hill_dash.app.components.control_panel import control_states
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.store import open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return open_store(data_dir=tmp_path_factory.mktemp("schedule"))


def _train_until_finished(store, run_id, first_epochs=None):
    """Press Train (the panel's way forward) until the run says it is finished; returns the stops and the views."""
    stops, views = [], []
    epochs = first_epochs
    for _ in range(12):
        view = rounds.run_view(store, run_id)
        views.append(view)
        if view["finished"]:
            return stops, views
        assert not control_states(editor.panel_status(view))[editor.ids.EDITOR_TRAIN], \
            f"Train is disabled at epoch {view['epoch']}: a dead end"
        stops.append(rounds.train_round(store, run_id, epochs=epochs)["epoch"])
        epochs = None
    raise AssertionError(f"the run never finished: stopped at {stops}")


def test_basicmotions_reaches_its_end_with_train_alone(store):
    run_id = rounds.start_run(store, "basicmotions", seed=3)
    view = rounds.run_view(store, run_id)
    assert (view["interaction_epochs"], view["end_epoch"], view["epoch"]) == ([3, 5, 7, 9], 12, 3)
    assert view["rounds_left"] == 4 and editor._participant_heading(view).startswith("Round 1 of 4")
    stops, views = _train_until_finished(store, run_id)
    assert stops == [5, 7, 9, 12]
    assert [v["rounds_left"] for v in views] == [4, 3, 2, 1, 0]
    assert views[-1]["finished"] and store.get_run(run_id).status == "finished"


def test_a_round_stopped_early_goes_on_to_the_next_stop(store):
    run_id = rounds.start_run(store, "basicmotions", seed=4)
    for _ in range(3):
        rounds.train_round(store, run_id)
    assert rounds.run_view(store, run_id)["epoch"] == 9
    # a researcher's "at most 2 epochs" stops at 11, between the last point and the end
    assert rounds.train_round(store, run_id, epochs=2)["epoch"] == 11
    paused = rounds.run_view(store, run_id)
    assert editor.panel_status(paused) == "paused" and paused["next_stop"] == 12
    heading = editor._heading(paused)
    assert "interaction point 5" not in heading and "the end (epoch 12)" in heading
    stops, views = _train_until_finished(store, run_id)
    assert stops == [12] and views[-1]["finished"]


def test_a_paused_round_is_counted_toward_its_next_point(store):
    run_id = rounds.start_run(store, "basicmotions", seed=5)
    rounds.train_round(store, run_id, should_stop=lambda: True)  # paused after one epoch, at 4
    view = rounds.run_view(store, run_id)
    assert view["epoch"] == 4 and view["next_stop"] == 5 and view["rounds_left"] == 4
    assert "interaction point 2 of 4 (epoch 5)" in editor._heading(view)
    assert "Round 1 of 4" in editor._participant_heading(view)
