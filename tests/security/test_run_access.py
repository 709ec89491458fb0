"""Runs reached through the editor's callbacks and page by callers who may not act on them: nothing they send
changes what is stored, and what they may do is set server-side (owner, study design, participant status)."""

from __future__ import annotations

import sys
import types

import pytest
from security_kit import BROWSER, OTHER_BROWSER, caller
from dash import html
from dash.exceptions import PreventUpdate
from layout_tree import text, walk

from hill_dash.app import access, ids
from hill_dash.app.views import editor
from hill_dash.jobs import rounds
from hill_dash.store import NotFound


def _edit(store, run_id: int, to=(0.25, -0.25)) -> dict:
    view = rounds.run_view(store, run_id)
    return {"kind": "point", "indices": [3], "old": [view["positions"][3]], "new": [list(to)],
            "epoch": view["epoch"]}


def _state(store, run_id: int) -> tuple:
    run = store.get_run(run_id)
    return run.status, run.config.get("alpha"), run.config.get("lam"), len(store.list_edits(run_id))


def _trigger(monkeypatch, element_id: str) -> None:
    monkeypatch.setattr(editor, "ctx", types.SimpleNamespace(triggered_id=element_id))


def _attempts(monkeypatch, run: dict) -> list:
    """Every changing callback of the editor, called as a stranger would with `run` as the page's store."""
    def history(kind):
        def attempt():
            _trigger(monkeypatch, kind)
            return editor.edit_history(1, 1, 1, run, 0)
        return attempt
    return [lambda: editor.cancel(1, run), lambda: editor.change_weights(1.0, 0.0, run),
            lambda: editor.pause(1, run), history(ids.EDITOR_UNDO), history(ids.EDITOR_RESET),
            lambda: editor.train(lambda _p: None, 1, None, run, 1, 0)]


def _refused(attempt) -> str:
    """Run a callback that must refuse: PreventUpdate (nothing sent), or a message that says it was refused."""
    try:
        answer = attempt()
    except PreventUpdate:
        return "prevented"
    message = answer if isinstance(answer, str) else answer[0]
    assert isinstance(message, str) and ("Not " in message or "may" in message or "design" in message), answer
    return message


@pytest.mark.parametrize("who", ["anonymous", "other researcher", "participant of the study", "other browser"])
def test_a_baseline_run_cannot_be_changed_by_anyone_but_its_studys_researchers(app, world, monkeypatch, who):
    store = world.store
    store.update_run(world.baseline, status="finished")
    before = _state(store, world.baseline)
    token = world.token if who == "participant of the study" else None
    researcher = world.bob if who == "other researcher" else None
    run = {"run_id": world.baseline, "token": token}
    with caller(app, researcher=researcher, browser=OTHER_BROWSER if who == "other browser" else None):
        for attempt in _attempts(monkeypatch, run):
            _refused(attempt)
        message, *_ = editor.save_edit(_edit(store, world.baseline), run)
    assert message.startswith("Not saved") and "baseline" in message
    assert _state(store, world.baseline) == before == ("finished", 0.0, before[2], before[3])
    assert not store.files.absolute(f"{store.get_run(world.baseline).run_dir}/{editor.PAUSE_FLAG}").exists()


def test_the_studys_researcher_may_set_a_baseline_runs_weights(app, world):
    with caller(app, researcher=world.ada):
        assert "α = 0" in editor.change_weights(0.0, 0.2, {"run_id": world.baseline})
    assert world.store.get_run(world.baseline).config["lam"] == pytest.approx(0.2)


def _everything_refused(app, monkeypatch, store, run: dict, **who) -> None:
    """Every changing callback and an edit, as `who`: all refused, and the run stays as it was."""
    before = _state(store, run["run_id"])
    with caller(app, **who):
        for attempt in _attempts(monkeypatch, run):
            _refused(attempt)
        assert editor.save_edit(_edit(store, run["run_id"]), run)[0].startswith("Not saved")
    assert _state(store, run["run_id"]) == before


@pytest.mark.parametrize("browser", [None, OTHER_BROWSER])
def test_a_free_run_belongs_to_the_browser_that_started_it(app, world, monkeypatch, browser):
    store = world.store
    before = _state(store, world.free)
    run = {"run_id": world.free, "token": None}
    _everything_refused(app, monkeypatch, store, run, browser=browser)
    with caller(app, browser=browser):
        with pytest.raises(access.Refused):
            editor.authorised_run(run)  # not even viewable
    with caller(app, browser=BROWSER):
        assert editor.save_edit(_edit(store, world.free), run)[0].startswith("Edit ")
    assert len(store.list_edits(world.free)) == before[3] + 1


@pytest.mark.parametrize("token", [None, "", "made-up-token", "other participant", "x" * 5000])
def test_a_participants_run_refuses_everyone_but_that_participant(app, world, monkeypatch, token):
    store = world.store
    token = world.other_token if token == "other participant" else token
    _everything_refused(app, monkeypatch, store, {"run_id": world.owned, "token": token}, browser=OTHER_BROWSER)


def test_a_participant_steers_but_cannot_change_the_design_unless_the_study_allows_it(app, world, monkeypatch):
    store = world.store
    run = {"run_id": world.owned, "token": world.token}
    before = _state(store, world.owned)
    with caller(app):
        assert editor.save_edit(_edit(store, world.owned), run)[0].startswith("Saved")
        for attempt, says in ((lambda: editor.change_weights(0.0, 0.0, run), "design"),
                              (lambda: editor.pause(1, run), "Not paused"),
                              (lambda: editor.cancel(1, run), "Not cancelled")):
            assert says in attempt()
    status, alpha, lam, edits = _state(store, world.owned)
    assert (status, alpha, lam, edits) == (before[0], before[1], before[2], before[3] + 1)


def test_a_study_that_allows_it_lets_its_participants_set_the_weights(app, world, tiny_checkpoint):
    store = world.store
    spec = [{"scenario": "digits", "pretrained_checkpoint": tiny_checkpoint, "interaction_epochs": [1],
             "end_epoch": 2}]
    open_design = store.create_study("open design", spec, n_participants=1, created_by=world.ada.id,
                                     settings={"participant_weights": True})
    invite = open_design.invites[0]
    run_id = rounds.start_run(store, "digits", participant_id=invite.participant.id, checkpoint=tiny_checkpoint,
                              study_scenario_id=open_design.study.scenarios[0].id)
    with caller(app):
        assert "α = 0.25" in editor.change_weights(0.25, 0.1, {"run_id": run_id, "token": invite.token})
    assert store.get_run(run_id).config["alpha"] == pytest.approx(0.25)


@pytest.mark.parametrize("status", ["dropped", "finished"])
def test_a_dropped_or_finished_participant_changes_nothing(app, world, monkeypatch, status):
    store = world.store
    store.set_status(world.participant.id, status)
    try:
        before = _state(store, world.owned)
        run = {"run_id": world.owned, "token": world.token}
        with caller(app):
            message, *_ = editor.save_edit(_edit(store, world.owned), run)
            assert message.startswith("Not saved") and {"dropped": "closed", "finished": "finished"}[status] in message
            for attempt in _attempts(monkeypatch, run):
                _refused(attempt)
        assert _state(store, world.owned) == before
    finally:
        store.set_status(world.participant.id, "active")


BAD_RUN_IDS = [2**70, -1, 0, "1; DROP TABLE runs", "9" * 40, 1.5, True, [1], {"id": 1}, "", "0x10", " 1e3"]


@pytest.mark.parametrize("run_id", BAD_RUN_IDS)
def test_a_run_id_that_is_no_run_is_refused_not_a_server_error(app, world, run_id):
    with caller(app, researcher=world.ada):
        with pytest.raises(access.Refused):
            editor.authorised_run({"run_id": run_id})
        message, *_ = editor.save_edit(_edit(world.store, world.owned), {"run_id": run_id})
    assert message.startswith("Not saved")
    with pytest.raises(NotFound):
        world.store.get_run(2**70)


def _editor_page(**query):
    return sys.modules["hill_dash.app.pages.editor"].layout(**query)


@pytest.mark.parametrize("who", ["anonymous", "other browser", "other researcher"])
def test_the_editor_page_shows_a_participants_run_to_nobody_else(app, world, who):
    with caller(app, researcher=world.bob if who == "other researcher" else None,
                browser=OTHER_BROWSER if who == "other browser" else None):
        page = _editor_page(run=str(world.owned))
        free = _editor_page(run=str(world.free))
    for shown in (page, free):
        assert "cannot be shown" in text(shown)
        assert not any(getattr(c, "id", None) == ids.EDITOR_GRAPH for c in walk(shown))


def test_the_editor_page_shows_a_run_to_whom_it_belongs(app, world):
    with caller(app, researcher=world.ada):
        page = _editor_page(run=str(world.owned))  # the study's researcher may look
    with caller(app, browser=BROWSER):
        free = _editor_page(run=str(world.free))
    for shown in (page, free):
        assert "cannot be shown" not in text(shown) and any(isinstance(c, html.Div) for c in walk(shown))


def test_starting_a_free_run_needs_a_scenario_the_page_offers(app, world):
    start = sys.modules["hill_dash.app.pages.editor"].start_run
    with caller(app, browser=BROWSER):
        for scenario in ("os:system", "shutil:rmtree", "hill_dash.cli:main", "../../etc/passwd"):
            with pytest.raises(PreventUpdate):
                start(lambda _p: None, 1, scenario)
