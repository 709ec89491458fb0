"""Boundary labs reached through the lab page and its callbacks by callers who do not own them.

A lab belongs to the browser that started it. A stranger (no cookie, or another browser's cookie) sends the
callbacks' payloads with the owner's lab id: the lab reads as missing, and nothing stored changes (config, arrows,
rounds, epochs, state files). The owner, sending the same payloads, sees and changes the lab. The callbacks are
called in a request of the app (and the round as its background job runs it), then posted as crafted JSON to
`/_dash-update-component` of a real server, with and without cookies.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import sys
import time
import types
import urllib.error
import urllib.parse
import urllib.request

import pytest
from dash import no_update
from dash._callback_context import context_value
from dash._utils import AttributeDict
from dash.exceptions import PreventUpdate
from layout_tree import text, walk
from live_server import LiveServer
from security_kit import BROWSER, OTHER_BROWSER, caller

from hill_dash.app import access, cookies, ids
from hill_dash.app.context import get_store
from hill_dash.app.views import boundary as lab_view
from hill_dash.boundary import DatasetSpec, LabConfig
from hill_dash.jobs import boundary_rounds
from hill_dash.store import open_store

STRANGERS = [None, OTHER_BROWSER]  # no cookie at all; a cookie of another browser
STRANGER_NAMES = ["no cookie", "another browser"]


def _key(browser: str) -> str:
    return hashlib.sha256(browser.encode()).hexdigest()


@pytest.fixture
def lab(app) -> int:
    """A small lab started by BROWSER, with one arrow drawn on it."""
    store = get_store()
    config = LabConfig(dataset=DatasetSpec(name="moons", n_samples=60, seed=3), seed=3)
    run_id = boundary_rounds.start_lab(store, config, owner_key=_key(BROWSER))
    boundary_rounds.add_arrow(store, run_id, 2, (1.0, 0.5), annotator="owner")
    return run_id


def _stored(run_id: int, store=None) -> tuple:
    """Everything stored about a lab: the run row, its edits, its epochs and its state files' contents."""
    store = store or get_store()
    run = store.get_run(run_id)
    folder = store.files.absolute(f"{run.run_dir}/{boundary_rounds.STATE_DIR}")
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}
    edits = [(e.id, e.kind, e.undone, e.point_indices, e.arrow, e.actor) for e in store.list_edits(run_id)]
    epochs = [(e.epoch, e.val_acc) for e in store.list_epochs(run_id)]
    return run.status, run.config, run.current_epoch, run.owner_key, edits, epochs, files


def _line_from_point(run_id: int, index: int = 5, store=None) -> dict:
    """The relayoutData of a line drawn from training point `index` (a line the lab would take as an arrow)."""
    x, y = boundary_rounds.load_lab(store or get_store(), run_id).split("train")[0][index]
    return {"shapes": [{"type": "line", "x0": float(x), "y0": float(y), "x1": float(x) + 0.5, "y1": float(y) + 0.3}]}


def _remove(monkeypatch, run: dict, edit_id) -> tuple:
    trigger = {"type": ids.BOUNDARY_ARROW_REMOVE, "edit": edit_id}
    monkeypatch.setattr(lab_view, "ctx", types.SimpleNamespace(triggered_id=trigger, triggered=[{"value": 1}]))
    return lab_view.remove_arrow([1], run, "someone", 0)


def _page(**query):
    return sys.modules["hill_dash.app.pages.boundary"].layout(**query)


def _missing(run_id: int) -> str:
    return f"there is no lab {run_id} you may open"


ACTIONS = ["view", "draw an arrow", "remove an arrow", "change w", "train"]


def _attempt(action: str, run_id: int, monkeypatch) -> object:
    """What the page's callbacks answer to `action` on lab `run_id`, sent as the page would send it."""
    run = {"run_id": run_id}
    if action == "view":
        return _page(run=str(run_id))
    if action == "draw an arrow":
        return lab_view.draw_arrow(_line_from_point(run_id), run, "someone", 0)
    if action == "remove an arrow":
        return _remove(monkeypatch, run, boundary_rounds.arrows_in_force(get_store(), run_id)[0].id)
    if action == "change w":
        return lab_view.change_weight(0.9, run)
    return lab_view.train(lambda _p: None, 1, run, 2, 0)


def _message(answer: object) -> str:
    """The message a callback's answer shows (its only text output)."""
    return answer if isinstance(answer, str) else next(part for part in answer if isinstance(part, str))


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("stranger", STRANGERS, ids=STRANGER_NAMES)
def test_a_stranger_can_do_nothing_with_a_lab_and_its_owner_can(app, lab, monkeypatch, action, stranger):
    before = _stored(lab)
    with caller(app, browser=stranger):
        answer = _attempt(action, lab, monkeypatch)
        with pytest.raises(PreventUpdate):
            lab_view.refresh(1, {"run_id": lab})  # the redraw that follows sends nothing either
    if action == "view":
        assert _missing(lab) in text(answer) and "Start a new lab" in text(answer)
        assert not any(getattr(c, "id", None) in (ids.BOUNDARY_GRAPH, ids.BOUNDARY_RUN) for c in walk(answer))
    else:
        message = _message(answer)
        assert message.startswith("Not ") and _missing(lab) in message, answer
    assert _stored(lab) == before

    with caller(app, browser=BROWSER):
        answer = _attempt(action, lab, monkeypatch)
        lab_view.refresh(1, {"run_id": lab})
    after = _stored(lab)
    if action == "view":
        assert any(getattr(c, "id", None) == ids.BOUNDARY_GRAPH for c in walk(answer))
        assert after == before
    elif action == "draw an arrow":
        assert answer[0] == "Arrow on point 5 stored." and len(after[4]) == len(before[4]) + 1
    elif action == "remove an arrow":
        assert answer[0] == "Arrow removed." and boundary_rounds.arrows_in_force(get_store(), lab) == []
    elif action == "change w":
        assert answer == "Next round: w = 0.9." and after[1]["weight"] == 0.9
    else:
        assert answer[1].startswith("Round 1 done") and boundary_rounds.current_round(get_store(), lab) == 1


def _as_job(browser: str | None, call):
    """Run `call` as a background job does: no Flask request, only the cookies of the request that started it."""
    jar = {}
    if browser is not None:
        signed = cookies._serializer("test-secret").dumps({cookies.BROWSER_KEY: browser})
        jar[cookies.COOKIE_NAME] = signed

    def run():
        context_value.set(AttributeDict(cookies=jar))
        return call()

    return contextvars.copy_context().run(run)


@pytest.mark.parametrize("stranger", [*STRANGERS, "forged"], ids=[*STRANGER_NAMES, "forged cookie"])
def test_a_training_job_started_by_a_stranger_trains_nothing(app, lab, stranger):
    run = {"run_id": lab}
    before = _stored(lab)
    if stranger == "forged":
        forged = cookies._serializer("guessed-secret").dumps({cookies.BROWSER_KEY: BROWSER})

        def answer_of():
            context_value.set(AttributeDict(cookies={cookies.COOKIE_NAME: forged}))
            return lab_view.train(lambda _p: None, 1, run, 2, 0)

        answer = contextvars.copy_context().run(answer_of)
    else:
        answer = _as_job(stranger, lambda: lab_view.train(lambda _p: None, 1, run, 2, 0))
    assert answer[0] is no_update and _missing(lab) in answer[1]
    assert _stored(lab) == before
    answer = _as_job(BROWSER, lambda: lab_view.train(lambda _p: None, 1, run, 2, 0))
    assert answer[1].startswith("Round 1 done") and boundary_rounds.current_round(get_store(), lab) == 1


def test_recent_labs_are_only_the_callers_own(app, lab):
    store = get_store()
    theirs = boundary_rounds.start_lab(store, boundary_rounds.lab_config(store, lab), owner_key=_key(OTHER_BROWSER))
    with caller(app, browser=BROWSER):
        mine = text(_page())
    with caller(app, browser=OTHER_BROWSER):
        other = text(_page())
    with caller(app):
        nobody = text(_page())
    assert f"Lab {lab}:" in mine and f"Lab {theirs}:" not in mine
    assert f"Lab {theirs}:" in other and f"Lab {lab}:" not in other
    assert f"Lab {lab}:" not in nobody and f"Lab {theirs}:" not in nobody


def test_a_lab_started_outside_the_app_is_shown_but_not_changed(app, monkeypatch):
    store = get_store()
    config = LabConfig(dataset=DatasetSpec(name="xor", n_samples=40, seed=1), seed=1)
    unowned = boundary_rounds.start_lab(store, config)
    boundary_rounds.add_arrow(store, unowned, 1, (0.0, 1.0))
    before = _stored(unowned)
    with caller(app, browser=BROWSER):
        shown = _attempt("view", unowned, monkeypatch)
        for action in ACTIONS[1:]:
            message = _message(_attempt(action, unowned, monkeypatch))
            assert message.startswith("Not ") and "started outside this app" in message, message
    assert any(getattr(c, "id", None) == ids.BOUNDARY_GRAPH for c in walk(shown))
    assert _stored(unowned) == before


BAD_LAB_IDS = [2**70, -1, 0, "1; DROP TABLE runs", "9" * 40, 1.5, True, [1], {"id": 1}, "", "0x10", " 1e3"]


@pytest.mark.parametrize("lab_id", BAD_LAB_IDS)
def test_a_lab_id_that_is_no_lab_is_refused_not_a_server_error(app, lab, monkeypatch, lab_id):
    before = _stored(lab)
    run = {"run_id": lab_id}
    line = _line_from_point(lab)
    with caller(app, browser=BROWSER):
        for message in (lab_view.draw_arrow(line, run, "owner", 0)[0], lab_view.change_weight(0.2, run),
                        _remove(monkeypatch, run, 1)[0], lab_view.train(lambda _p: None, 1, run, 2, 0)[1]):
            assert message.startswith("Not ") and "lab id must be a whole number" in message, message
        with pytest.raises(access.Refused):
            lab_view.refresh(1, run)
        shown = text(_page(run=lab_id))
    assert "cannot be shown" in shown and "whole number" in shown
    assert _stored(lab) == before


@pytest.mark.parametrize("edit_id", [2**70, "1; DROP", -3, None, [1]])
def test_a_crafted_arrow_to_remove_is_refused(app, lab, monkeypatch, edit_id):
    before = _stored(lab)
    with caller(app, browser=BROWSER):
        message, _ = _remove(monkeypatch, {"run_id": lab}, edit_id)
    assert message.startswith("Not removed") and "whole number" in message
    assert _stored(lab) == before


# --- The same requests over HTTP: crafted JSON posted to a real server's /_dash-update-component. ---

POLLS = 1200  # times a round's background job is asked for its answer (a short pause between asks)


def _value(component_id, prop: str, value) -> dict:
    return {"id": component_id, "property": prop, "value": value}


class Site:
    """A real `hill-dash serve` and the callbacks it declares, posted to as a browser (or a script) would."""

    def __init__(self, data_dir):
        self.store = open_store(data_dir=data_dir)
        self.server = LiveServer(data_dir)
        self.secret = (data_dir / "secret_key").read_text().strip()
        with urllib.request.urlopen(f"{self.server.url}/_dash-dependencies", timeout=30) as answer:
            self.callbacks = json.load(answer)

    def cookie(self, browser: str | None, secret: str | None = None) -> str | None:
        """The session cookie of a browser holding this browser id (signed with the server's key unless given)."""
        if browser is None:
            return None
        return cookies._serializer(secret or self.secret).dumps({cookies.BROWSER_KEY: browser})

    def post(self, fired: str, inputs: list, state: dict, cookie: str | None, changed: str | None = None,
             query: str = "") -> tuple[int, dict]:
        """Post the callback whose first input is `fired` ("id.property") with these inputs (as the page sends
        them) and state values (by id); `changed` is the property that fired, `fired` itself by default."""
        spec = next(c for c in self.callbacks if f"{c['inputs'][0]['id']}.{c['inputs'][0]['property']}" == fired)
        outputs = [{"id": i, "property": p} for i, p in
                   (part.rsplit(".", 1) for part in spec["output"].strip(".").split("..."))]
        single = not spec["output"].startswith("..")  # one output is sent as itself, several as a list
        body = {"output": spec["output"], "outputs": outputs[0] if single else outputs,
                "inputs": inputs, "changedPropIds": [changed or fired],
                "state": [_value(s["id"], s["property"], state[s["id"]]) for s in spec["state"]]}
        headers = {"Content-Type": "application/json", **({"Cookie": f"session={cookie}"} if cookie else {})}
        request = urllib.request.Request(f"{self.server.url}/_dash-update-component{query}",
                                         data=json.dumps(body).encode(), headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                status, raw = answer.status, answer.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        try:
            return status, json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return status, {"text": raw.decode("utf-8", "replace")}

    def post_job(self, fired: str, inputs: list, state: dict, cookie: str | None) -> tuple[int, dict]:
        """Start a background callback and ask for its answer, as the page does, until it comes."""
        status, handles = self.post(fired, inputs, state, cookie)
        assert status == 200 and "cacheKey" in handles, (status, handles)
        query = "?" + urllib.parse.urlencode({"cacheKey": handles["cacheKey"], "job": handles["job"]})
        for _ in range(POLLS):
            status, answer = self.post(fired, inputs, state, cookie, query=query)
            if status != 200 or "response" in answer:
                return status, answer
            time.sleep(0.1)
        raise AssertionError(f"the background job of {fired} gave no answer after {POLLS} asks")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("boundary-site"))
    yield site
    site.server.stop()


@pytest.fixture
def served_lab(site) -> int:
    """A small lab of the real server, started by BROWSER, with one arrow drawn on it."""
    config = LabConfig(dataset=DatasetSpec(name="moons", n_samples=60, seed=3), seed=3)
    run_id = boundary_rounds.start_lab(site.store, config, owner_key=_key(BROWSER))
    boundary_rounds.add_arrow(site.store, run_id, 2, (1.0, 0.5), annotator="owner")
    return run_id


REMOVE = json.dumps({"edit": ["ALL"], "type": ids.BOUNDARY_ARROW_REMOVE}, separators=(",", ":"))


def _post(site: Site, action: str, run_id: int, cookie: str | None) -> tuple[int, dict]:
    """The server's answer to `action` on lab `run_id` from a browser sending `cookie`."""
    run = {"run_id": run_id}
    page = {ids.BOUNDARY_RUN: run, ids.BOUNDARY_ANNOTATOR: "someone", ids.BOUNDARY_REFRESH: 0}
    if action == "view":
        return site.post("_pages_location.pathname", [_value("_pages_location", "pathname", "/boundary"),
                                                      _value("_pages_location", "search", f"?run={run_id}")],
                         {}, cookie)
    if action == "redraw":
        return site.post(f"{ids.BOUNDARY_REFRESH}.data", [_value(ids.BOUNDARY_REFRESH, "data", 1)], {**page}, cookie)
    if action == "draw an arrow":
        line = _line_from_point(run_id, store=site.store)
        return site.post(f"{ids.BOUNDARY_GRAPH}.relayoutData", [_value(ids.BOUNDARY_GRAPH, "relayoutData", line)],
                         page, cookie)
    if action == "remove an arrow":
        button = {"edit": boundary_rounds.arrows_in_force(site.store, run_id)[0].id,
                  "type": ids.BOUNDARY_ARROW_REMOVE}
        return site.post(f"{REMOVE}.n_clicks", [[_value(button, "n_clicks", 1)]], page, cookie,
                         changed=f"{json.dumps(button, separators=(',', ':'))}.n_clicks")
    if action == "change w":
        return site.post(f"{ids.BOUNDARY_WEIGHT}.value", [_value(ids.BOUNDARY_WEIGHT, "value", 0.9)], page, cookie)
    return site.post_job(f"{ids.BOUNDARY_TRAIN}.n_clicks", [_value(ids.BOUNDARY_TRAIN, "n_clicks", 1)],
                         {**page, ids.BOUNDARY_EPOCHS: 2}, cookie)


def _shown(answer: dict) -> str:
    """All the text of a callback's answer (its JSON, so a lab's figure or heading would show in it too)."""
    return json.dumps(answer.get("response", answer))


HTTP_STRANGERS = ["no cookie", "another browser", "forged cookie"]


def _stranger_cookie(site: Site, who: str) -> str | None:
    return {"no cookie": None, "another browser": site.cookie(OTHER_BROWSER),
            "forged cookie": site.cookie(BROWSER, secret="a guessed key")}[who]


@pytest.mark.parametrize("action", ["view", "redraw", *ACTIONS[1:]])
@pytest.mark.parametrize("who", HTTP_STRANGERS)
def test_posted_requests_of_a_stranger_change_nothing_and_the_owners_do(site, served_lab, action, who):
    before = _stored(served_lab, site.store)
    status, answer = _post(site, action, served_lab, _stranger_cookie(site, who))
    shown = _shown(answer)
    assert ids.BOUNDARY_GRAPH not in shown and "Round 0, epoch 0" not in shown and "someone" not in shown
    if action == "redraw":
        assert status == 204  # nothing sent
    else:
        assert status == 200 and _missing(served_lab) in shown, (status, answer)
    assert _stored(served_lab, site.store) == before

    status, answer = _post(site, action, served_lab, site.cookie(BROWSER))
    shown, after = _shown(answer), _stored(served_lab, site.store)
    assert status == 200 and _missing(served_lab) not in shown, (status, answer)
    if action in ("view", "redraw"):
        assert ids.BOUNDARY_GRAPH in shown and "Round 0, epoch 0" in shown and after == before
    elif action == "draw an arrow":
        assert "Arrow on point 5 stored." in shown and len(after[4]) == len(before[4]) + 1
    elif action == "remove an arrow":
        assert "Arrow removed." in shown and boundary_rounds.arrows_in_force(site.store, served_lab) == []
    elif action == "change w":
        assert "Next round: w = 0.9." in shown and after[1]["weight"] == 0.9
    else:
        assert "Round 1 done" in shown and boundary_rounds.current_round(site.store, served_lab) == 1


def test_the_posted_start_page_lists_only_the_callers_labs(site, served_lab):
    theirs = boundary_rounds.start_lab(site.store, boundary_rounds.lab_config(site.store, served_lab),
                                       owner_key=_key(OTHER_BROWSER))
    start = [_value("_pages_location", "pathname", "/boundary"), _value("_pages_location", "search", "")]
    pages = {who: _shown(site.post("_pages_location.pathname", start, {}, site.cookie(browser))[1])
             for who, browser in (("owner", BROWSER), ("other", OTHER_BROWSER), ("nobody", None))}
    assert f"run={served_lab}" in pages["owner"] and f"run={theirs}" not in pages["owner"]
    assert f"run={theirs}" in pages["other"] and f"run={served_lab}" not in pages["other"]
    assert "Recent labs" not in pages["nobody"]


def test_a_lab_started_from_the_posted_form_belongs_to_the_browser_the_answer_names(site):
    form = [_value(ids.BOUNDARY_START, "n_clicks", 1)]
    values = {ids.BOUNDARY_DATASET: "xor", ids.BOUNDARY_SAMPLES: 40, ids.BOUNDARY_NOISE: None, ids.BOUNDARY_SEED: 2}
    status, answer = site.post(f"{ids.BOUNDARY_START}.n_clicks", form, values, site.cookie(OTHER_BROWSER))
    run_id = int(answer["response"][ids.BOUNDARY_LOCATION]["href"].rsplit("=", 1)[1])
    assert status == 200 and site.store.get_run(run_id).owner_key == _key(OTHER_BROWSER)
