"""The editor view's callbacks and builders as plain functions, over a real store and run."""

from __future__ import annotations

import hashlib
import types

import flask
import pytest
from dash.exceptions import PreventUpdate

from hill_dash.app import cookies, ids
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.store import open_store


BROWSER = "the browser that started the free run"


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("view")
    store = open_store(data_dir=data_dir)
    study = store.create_study("view study", ["digits"], 2)
    participant, other = (invite.participant for invite in study.invites)
    tokens = {invite.participant.id: invite.token for invite in study.invites}
    free = rounds.start_run(store, "digits", owner_key=hashlib.sha256(BROWSER.encode()).hexdigest())
    owned = rounds.start_run(store, "digits", participant_id=participant.id)
    return types.SimpleNamespace(store=store, data_dir=data_dir, free=free, owned=owned,
                                 token=tokens[participant.id], other_token=tokens[other.id])


@pytest.fixture(autouse=True)
def _env(setup, monkeypatch):
    """The store of the setup, and a request from the browser that started the free run."""
    monkeypatch.setenv("HILL_DATA_DIR", str(setup.data_dir))
    monkeypatch.delenv("HILL_DATABASE_URL", raising=False)
    server = flask.Flask(__name__)
    server.secret_key = "test"
    with server.test_request_context():
        flask.session[cookies.BROWSER_KEY] = BROWSER
        yield


def test_render_parts_shows_the_run_as_stored(setup):
    view = rounds.run_view(setup.store, setup.free)
    parts = editor.render_parts(view, before_after=False)
    point_traces = [t for t in parts["figure"].data if t.meta and t.meta["role"] == "points"]
    assert sum(len(t.x) for t in point_traces) == len(view["positions"])
    assert parts["figure"].layout.meta["epoch"] == view["epoch"]
    assert [h["epoch"] for h in parts["history"]] == [h["epoch"] for h in view["history"]]
    assert parts["status"] == "idle" and parts["rows"] == []


def test_panel_status_follows_the_run():
    base = {"finished": False, "status": "waiting", "epoch": 3, "interaction_epochs": [3, 5]}
    assert editor.panel_status(base) == "idle"
    assert editor.panel_status({**base, "epoch": 4}) == "paused"
    assert editor.panel_status({**base, "status": "running"}) == "running"
    assert editor.panel_status({**base, "finished": True}) == "done"


def test_figure_snapshot_translates_the_core_snapshot(setup):
    snap = rounds.run_view(setup.store, setup.free)["snapshot"]
    shaped = editor.figure_snapshot(snap)
    assert shaped["coords"][0] == [snap["x"][0], snap["y"][0]]
    assert shaped["centres"] == snap["class_centres"] and shaped["index"] == snap["display_index"]


def test_a_participant_run_needs_its_own_token(setup):
    assert editor.authorised_run({"run_id": setup.owned, "token": setup.token}) == setup.owned
    for token in (None, setup.other_token, "not-a-token"):
        with pytest.raises(PreventUpdate):
            editor.authorised_run({"run_id": setup.owned, "token": token})
    assert editor.authorised_run({"run_id": setup.free, "token": None}) == setup.free


def test_save_edit_writes_at_once_and_refuses_with_a_reason(setup):
    view = rounds.run_view(setup.store, setup.free)
    old = view["positions"][2]
    message, undo_disabled, _, _ = editor.save_edit(
        {"kind": "point", "indices": [2], "old": [old], "new": [[0.5, 0.5]], "epoch": view["epoch"]},
        {"run_id": setup.free})
    assert message.startswith("Edit ") and undo_disabled is False
    assert setup.store.list_edits(setup.free)[-1].new_positions == [[0.5, 0.5]]
    message, *_ = editor.save_edit({"kind": "point", "indices": [99999], "new": [[0, 0]]}, {"run_id": setup.free})
    assert message.startswith("Not saved:") and "display points" in message


def test_undo_and_redo_are_events_and_the_view_follows(setup, monkeypatch):
    view = rounds.run_view(setup.store, setup.free)
    rounds.record_edit(setup.store, setup.free, {"kind": "point", "indices": [7], "old": [view["positions"][7]],
                                                 "new": [[9.0, 9.0]]})
    monkeypatch.setattr(editor, "ctx", types.SimpleNamespace(triggered_id=ids.EDITOR_UNDO))
    assert editor.edit_history(1, None, None, {"run_id": setup.free}, 4) == 5
    assert rounds.run_view(setup.store, setup.free)["positions"][7] == pytest.approx(view["positions"][7])
    edits = setup.store.list_edits(setup.free, view["interaction_index"])
    assert edits[-1].kind == "undo" and editor.store_has_redo(edits)
    monkeypatch.setattr(editor, "ctx", types.SimpleNamespace(triggered_id=ids.EDITOR_REDO))
    editor.edit_history(1, 1, None, {"run_id": setup.free}, 5)
    assert rounds.run_view(setup.store, setup.free)["positions"][7] == pytest.approx([9.0, 9.0])


def test_weights_change_is_stored_for_the_next_round(setup):
    assert "α = 0.3" in editor.change_weights(0.3, 0.05, {"run_id": setup.free})
    assert "must lie" in editor.change_weights(2.0, 0.05, {"run_id": setup.free})
    assert rounds.run_view(setup.store, setup.free)["alpha"] == 0.3
