"""The study pages' layouts and callbacks, called as plain functions inside the real app's Flask requests."""

from __future__ import annotations

import re
import urllib.parse
from functools import partial

import dash_calls
import pytest
from app_kit import published_app
from dash import no_update
from dash.exceptions import PreventUpdate
from dash_calls import call
from flow_study import CONSENT
from layout_tree import find, of_type, text, walk

from hill_dash.app import auth, ids
from hill_dash.app.context import get_store
from hill_dash.app.views import flow, study_exports
from hill_dash.store import ANSWER_COLUMNS

# Invite links are built from the request's host, so requests come from a host the tests can recognise.
request = partial(dash_calls.request, base_url="http://lab.example:8050")



@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real app (pages, callbacks, export route) on a temporary data directory."""
    with published_app(tmp_path_factory.mktemp("app-data")) as app:
        yield app


@pytest.fixture(scope="module")
def pages(app):
    """The page modules as this app imported them."""
    import sys

    return {name: sys.modules[f"hill_dash.app.pages.{name}"] for name in ("login", "researcher", "study",
                                                                          "participant")}


@pytest.fixture
def store(app):
    return get_store()


@pytest.fixture
def researcher(store):
    name = f"r{len(store.list_researchers())}"
    return store.create_researcher(name, "long enough")


def _study(store, name="flow", n=2):
    return store.create_study(name, ["digits", "basicmotions"], n_participants=n, consent_text=CONSENT,
                              instruments=["umux_lite"])


def _controls(page) -> list[list]:
    """What Dash sends as the Next callback's ALL-matched states: ids and values of the form's controls."""
    items, others = of_type(page, ids.Q_ITEM), of_type(page, ids.Q_OTHER)
    return [[c.id for c in items], [c.value for c in items], [c.id for c in others], [c.value for c in others]]


def _tokens(panel) -> list[str]:
    return [re.fullmatch(r"/p/(.+)", c.href).group(1) for c in walk(panel) if "hill-invite-link" in
            (getattr(c, "className", "") or "")]


def test_researcher_pages_and_callbacks_give_a_visitor_nothing(app, pages, store):
    created = _study(store, "secret-study")
    with request(app):
        home = pages["researcher"].layout()
        overview = pages["study"].layout(study_id=str(created.study.id))
        for refused in (home, overview):
            assert auth.REFUSED in text(refused) and "secret-study" not in text(refused)
            assert not [c for c in walk(refused) if getattr(c, "id", None) is not None]
        with pytest.raises(PreventUpdate):
            call(pages["researcher"].create_study, 1, "x", "", "c", 0.5, 0.1, [], 1, "follow", [], [], [], [], [],
                 [])
        with pytest.raises(PreventUpdate):
            call(pages["study"].update_overview, None, 1, [], [], created.study.id, trigger=ids.STUDY_ADD)
    assert len(store.list_participants(created.study.id)) == 2


def test_login_goes_on_to_the_page_asked_for_and_logout_forgets(app, pages, researcher):
    login = pages["login"]
    with request(app):
        href, message = call(login.submit_login, 1, None, researcher.name, "wrong password", "/researcher/study/1")
        assert href is no_update and message == login.WRONG and auth.current_researcher() is None
        href, message = call(login.submit_login, 1, None, researcher.name, "long enough", "//elsewhere")
        assert (href, message) == ("/researcher", "") and auth.current_researcher() == researcher
        assert call(login.submit_logout, 1) == "/login" and auth.current_researcher() is None


def test_creating_a_study_shows_each_participants_link_once_and_the_links_work(app, pages, store, researcher):
    module = pages["researcher"]
    names = [{"type": ids.RESEARCHER_SCENARIO_USE, "scenario": s} for s in ("digits", "cifar10")]
    with request(app, researcher):
        assert "New study" in text(module.layout())
        form = module.layout()
        message, invites, table, *cleared = call(module.create_study, 1, "from the form", "", "Please agree.", 0.5,
                                                 0.1, ["nasa_tlx"], 3, "paper", ["on"], names, [["digits"], []],
                                                 ["", ""],
                                                 ["3,5,7,9", ""], [11, 25])
    labels = {o["label"] for o in find(form, ids.RESEARCHER_INSTRUMENTS).options}
    assert {"UMUX-Lite", "NASA Task Load Index (NASA-TLX)"} <= labels and "umux_lite" not in labels
    assert cleared == ["", "", ""]  # name, description and consent text: ready for the next study
    tokens = _tokens(invites)
    csv_link = next(c for c in walk(invites) if getattr(c, "download", None) == "links.csv")
    rows = urllib.parse.unquote(csv_link.href.split(",", 1)[1]).splitlines()
    assert rows[0] == "participant,link" and len(rows) == 4 and all("/p/" in r for r in rows[1:])
    assert len(tokens) == 3 and "Study created" in text(message) and "from the form" in text(table)
    assert "http://lab.example:8050/p/" in text(invites) and "shown only this once" in text(invites)
    codes = [store.participant_by_token(t).code for t in tokens]
    assert codes == ["P1", "P2", "P3"]
    study = store.get_study("from the form")
    assert (study.instruments, [s.scenario for s in study.scenarios], study.created_by) == \
        (["nasa_tlx"], ["digits"], researcher.id)
    assert (study.teacher, study.adaptive_alpha) == ("paper", True)  # as chosen in the form
    with request(app, researcher):
        message, invites, _, name_kept, *_ = call(module.create_study, 1, "from the form", "", "Please agree.",
                                                  0.5, 0.1, [], 1, "follow", [], names, [["digits"], []],
                                                  ["", ""], ["", ""],
                                                  [None, None])
    assert "already exists" in text(message) and invites is no_update and name_kept is no_update


def test_a_study_takes_the_default_teacher_and_refuses_an_unknown_one(app, pages, store, researcher):
    module = pages["researcher"]
    names = [{"type": ids.RESEARCHER_SCENARIO_USE, "scenario": "digits"}]
    form = (1, "", "Please agree.", 0.5, 0.1, [], 1)
    with request(app, researcher):
        call(module.create_study, 1, "default teacher", *form[1:], None, [], names, [["digits"]], [""], [""], [None])
        message, invites, *_ = call(module.create_study, 1, "bad teacher", *form[1:], "magic", [], names,
                                    [["digits"]], [""], [""], [None])
    study = store.get_study("default teacher")
    assert (study.teacher, study.adaptive_alpha) == ("follow", False)
    assert "teacher 'magic' is not known" in text(message) and invites is no_update
    assert "bad teacher" not in [s.name for s in store.list_studies()]  # refused before anything was stored


def test_the_overview_resets_links_drops_and_adds_participants_of_its_own_study_only(app, pages, store, researcher):
    module = pages["study"]
    created, other = _study(store, "overview"), _study(store, "other")
    study_id = created.study.id
    first, second = (invite.participant for invite in created.invites)
    with request(app, researcher):
        page = module.layout(study_id=str(study_id))
        assert "overview" in text(page) and len(of_type(page, ids.STUDY_RESET)) == 2
        _, _, links = call(module.update_overview, None, None, [1, None], [None, None], study_id,
                           trigger={"type": ids.STUDY_RESET, "participant": first.id})
        (new_token,) = _tokens(links)
        _, _, nothing = call(module.update_overview, None, None, [None], [None], study_id,
                             trigger={"type": ids.STUDY_DROP, "participant": second.id}, value=None)
        assert nothing is no_update and store.get_participant(second.id).status == "invited"
        table, counts, _ = call(module.update_overview, None, None, [None], [1], study_id,
                                trigger={"type": ids.STUDY_DROP, "participant": second.id})
        _, _, added = call(module.update_overview, None, 1, [], [], study_id, trigger=ids.STUDY_ADD)
        call(module.update_overview, None, None, [1], [], study_id,
             trigger={"type": ids.STUDY_DROP, "participant": other.invites[0].participant.id})
        _, _, ticked = call(module.update_overview, 3, None, [], [], study_id, trigger=ids.STUDY_TICK)
    assert flow.find_participant(store, created.invites[0].token) is None
    assert store.participant_by_token(new_token).id == first.id
    assert store.get_participant(second.id).status == "dropped" and "dropped: 1" in text(counts)
    assert "dropped" in text(table) and ticked is no_update
    (added_token,) = _tokens(added)
    newcomer = store.participant_by_token(added_token)
    assert newcomer.code == "P3" and newcomer.scenario_order == second.scenario_order  # the dropped one's order
    assert store.get_participant(other.invites[0].participant.id).status == "invited"


def test_csv_exports_need_a_login(app, pages, store, researcher):
    created = _study(store, "exported", n=1)
    store.save_answer(created.invites[0].participant.id, "umux_lite", "i1", 5,
                      study_scenario_id=created.study.scenarios[0].id)
    study_exports.register_exports(app.server)
    client = app.server.test_client()
    answers = pages["study"].export_href(created.study.id, "answers")
    refused = client.get(answers)
    assert refused.status_code == 401 and "umux_lite" not in refused.get_data(as_text=True)
    with client.session_transaction() as cookie:
        cookie[auth.SESSION_KEY] = store.create_session(researcher.id)
    lines = client.get(answers).get_data(as_text=True).splitlines()
    assert lines[0].split(",") == ANSWER_COLUMNS and ",umux_lite,i1,5," in lines[1]
    overview = client.get(pages["study"].export_href(created.study.id, "overview")).get_data(as_text=True)
    assert overview.splitlines()[1].startswith("P1,invited,not started,")
    assert client.get(pages["study"].export_href(created.study.id, "secrets")).status_code == 404
    assert client.get("/researcher/study/9999/answers.csv").status_code == 404


def test_an_invalid_link_shows_only_the_notice(app, pages):
    with request(app):
        page = pages["participant"].layout(token="made-up")
    assert text(page) == flow.INVALID_LINK
    assert [c for c in walk(page) if getattr(c, "id", None) is not None] == []


def test_the_participant_page_consents_saves_answers_and_comes_back_filled(app, pages, store):
    module = pages["participant"]
    created = _study(store, "participant-pages", n=1)
    token = created.invites[0].token
    with request(app):
        page = module.layout(token=token)
        step = find(page, ids.PARTICIPANT_STEP).data
        assert step == {"page": flow.CONSENT} and "You may stop at any time." in text(page)
        content, shown, message = call(module.go_next, 1, token, step, [[]], *_controls(page))
        assert content is no_update and flow.CONSENT_NEEDED in text(message)
        content, shown, message = call(module.go_next, 1, token, step, [[module.AGREE]], *_controls(page))
        assert shown["page"] == flow.DEMOGRAPHICS and message == ""
        assert find(content, {"type": ids.Q_ITEM, "instrument": "demographics", "item": "age"}).value is None
        age = {"type": ids.Q_ITEM, "instrument": "demographics", "item": "age"}
        assert call(module.save_item, 33, token, shown, trigger=age) == "Saved."
        other = {"type": ids.Q_OTHER, "instrument": "demographics", "item": "gender"}
        assert call(module.save_other, "agender", token, shown, trigger=other) == "Saved."
        umux = {"type": ids.Q_ITEM, "instrument": "umux_lite", "item": "i1"}
        assert call(module.save_item, 3, token, shown, trigger=umux).startswith("Not saved: This page is out of date")
        again = module.layout(token=token)  # a refresh
        assert find(again, age).value == 33 and find(again, other).value == "agender"
        find(again, age).value = 34  # typed, and Next clicked before the box's own save arrived
        content, shown, message = call(module.go_next, 1, token, find(again, ids.PARTICIPANT_STEP).data, [],
                                       *_controls(again))
        assert content is no_update and "How much experience do you have" in text(message)  # slider untouched
        find(again, {"type": ids.Q_ITEM, "instrument": "demographics", "item": "ml_experience"}).value = 50
        content, shown, _ = call(module.go_next, 1, token, find(again, ids.PARTICIPANT_STEP).data, [],
                                 *_controls(again))
    assert shown["page"] == flow.SCENARIO
    participant = created.invites[0].participant.id
    assert store.answer_values(participant, "demographics") == {"age": 34, "gender": "agender",
                                                                "ml_experience": 50}
    prepare = find(content, ids.PARTICIPANT_PREPARE)
    assert prepare.data == {"token": token, "step": shown}


def test_the_scenario_step_embeds_the_editor_and_its_end_leads_to_the_questionnaires(app, pages, store,
                                                                                     tiny_checkpoint):
    module = pages["participant"]
    created = store.create_study("with-editor", [{"scenario": "digits", "pretrained_checkpoint": tiny_checkpoint,
                                                  "interaction_epochs": [1], "end_epoch": 2}], n_participants=1,
                                 consent_text=CONSENT, instruments=["umux_lite"])
    token, participant = created.invites[0].token, created.invites[0].participant
    scenario_id = created.study.scenarios[0].id
    store.set_step(participant.id, {"page": flow.SCENARIO, "index": 0, "study_scenario_id": scenario_id,
                                    "scenario": "digits"})
    step = flow.current_step(store, participant)
    run_id = flow.ensure_run(store, token, step)
    with request(app):
        page = module.layout(token=token)
        done = find(page, ids.EDITOR_DONE)
        assert done.href == module.scenario_href(token, 0) and done.style == {"display": "none"}
        assert find(page, ids.EDITOR_RUN).data == {"run_id": run_id, "token": token}
        recorder = find(page, ids.REC_ROOT)  # the think-aloud recorder of this participant and scenario
        assert (getattr(recorder, "data-token"), getattr(recorder, "data-study-scenario")) == (token, str(scenario_id))
        assert find(module.layout(token=token, finished="0"), ids.PARTICIPANT_STEP).data["page"] == flow.SCENARIO
        store.update_run(run_id, status="finished")  # what the training round does at the end (browser test)
        after = module.layout(token=token, finished="0")
    assert find(after, ids.PARTICIPANT_STEP).data["instrument"] == "umux_lite"
