"""The participant flow's step logic against a real (temporary SQLite) store."""

from __future__ import annotations

import pytest
import questionnaires
from flow_study import INSTRUMENTS, finished_run

from hill_dash.app.views import flow
from hill_dash.app.views.questionnaire import OTHER, pair_key
from hill_dash.store import open_store


def _answer_sliders(store, token, instrument, value=10, skip=()):
    """Answer every slider of an instrument (a click on each line), except the items in `skip`."""
    for item in questionnaires.load(instrument).items:
        if item.scale.slider and item.id not in skip:
            assert flow.save_item(store, token, instrument, item.id, value) == "Saved."


def _consent(study, n=0):
    step, messages = flow.give_consent(study.store, study.token(n), {"page": flow.CONSENT}, True)
    assert messages == [] and step["page"] == flow.DEMOGRAPHICS
    return step


def _demographics(study, n=0):
    step = _consent(study, n)
    token = study.token(n)
    assert flow.save_item(study.store, token, "demographics", "age", 29) == "Saved."
    assert flow.save_item(study.store, token, "demographics", "gender", "female") == "Saved."
    _answer_sliders(study.store, token, "demographics", 40)
    step, messages = flow.submit_form(study.store, token, step)
    assert messages == [] and step["page"] == flow.SCENARIO
    return step


def _to_questionnaires(study, n=0):
    step = _demographics(study, n)
    finished_run(study.store, study.participant(n).id, step["study_scenario_id"])
    step = flow.finish_scenario(study.store, study.token(n), 0)
    assert step["page"] == flow.QUESTIONNAIRE and step["instrument"] == "umux_lite"
    return step


def _to_tlx(study, n=0):
    step = _to_questionnaires(study, n)
    flow.save_item(study.store, study.token(n), "umux_lite", "i1", 4)
    flow.save_item(study.store, study.token(n), "umux_lite", "i2", 4)
    tlx, messages = flow.submit_form(study.store, study.token(n), step)
    assert messages == [] and tlx["instrument"] == "nasa_tlx"
    return tlx


def test_the_plan_is_consent_demographics_then_each_scenario_in_the_participants_order_then_done(study):
    store = study.store
    for n in (0, 1):
        participant = study.participant(n)
        steps = flow.plan(store, participant)
        assert [s["page"] for s in steps] == ["consent", "demographics", *(["scenario"] + ["questionnaire"] * 3) * 2,
                                              "done"]
        order = [s.scenario for s in store.participant_scenarios(participant.id)]
        assert [s["scenario"] for s in steps if s["page"] == "scenario"] == order
        assert [s["instrument"] for s in steps[3:6]] == INSTRUMENTS
    orders = {tuple(study.participant(n).scenario_order) for n in (0, 1)}
    assert len(orders) == 2  # counterbalanced


def test_an_unknown_or_reset_token_is_refused_with_the_same_plain_message(study):
    assert flow.find_participant(study.store, "not-a-token") is None
    with pytest.raises(flow.FlowError, match="ask the researcher for a new one"):
        flow.require(study.store, "not-a-token")
    study.store.reset_token(study.participant(0).id)
    with pytest.raises(flow.FlowError, match="not valid"):
        flow.give_consent(study.store, study.token(0), {"page": flow.CONSENT}, True)


def test_consent_needs_the_tick_is_recorded_and_a_repeated_click_skips_nothing(study):
    store, token = study.store, study.token(0)
    step, messages = flow.give_consent(store, token, {"page": flow.CONSENT}, False)
    assert step == {"page": flow.CONSENT} and messages == [flow.CONSENT_NEEDED]
    assert study.participant(0).status == "invited"
    _consent(study)
    again, messages = flow.give_consent(store, token, {"page": flow.CONSENT}, True)
    assert again["page"] == flow.DEMOGRAPHICS and messages == [flow.STALE_PAGE]
    assert [(a.instrument, a.value) for a in store.latest_answers(study.participant(0).id)] == [("consent", True)]
    assert study.participant(0).status == "active"


def test_demographics_next_refuses_until_required_items_are_answered_and_records_the_unmoved_slider(study):
    store, token = study.store, study.token(0)
    step = _consent(study)
    same, messages = flow.submit_form(store, token, step)
    assert same["page"] == flow.DEMOGRAPHICS
    assert [m.split(" (")[0] for m in messages] == ["Question 1", "Question 2", "Question 3"]
    assert "How much experience do you have" in messages[2]  # the slider never touched, named by its question
    experience = store.latest_answers(study.participant(0).id, "demographics", None)
    assert [(a.item, a.value, a.untouched) for a in experience] == [("ml_experience", None, True)]
    flow.save_item(store, token, "demographics", "age", 12)
    _, messages = flow.submit_form(store, token, step)
    assert any("outside the scale 18..120" in m for m in messages)


def test_a_described_gender_is_saved_from_the_box_and_the_other_radio_alone_saves_nothing(study):
    store, token = study.store, study.token(0)
    _consent(study)
    assert flow.save_item(store, token, "demographics", "gender", OTHER) == "Describe it in the box below."
    assert store.answer_values(study.participant(0).id, "demographics") == {}
    assert flow.save_other(store, token, "demographics", "gender", "  agender ") == "Saved."
    assert store.answer_values(study.participant(0).id, "demographics") == {"gender": "agender"}


def test_answers_only_go_to_the_questionnaire_the_participant_is_on(study):
    store, token = study.store, study.token(0)
    with pytest.raises(flow.FlowError, match="out of date"):
        flow.save_item(store, token, "demographics", "age", 30)  # still on consent
    _consent(study)
    with pytest.raises(flow.FlowError, match="out of date"):
        flow.save_item(store, token, "umux_lite", "i1", 5)
    with pytest.raises(flow.FlowError, match="no question"):
        flow.save_item(store, token, "demographics", "shoe_size", 44)
    assert store.latest_answers(study.participant(0).id, "umux_lite") == []


def test_an_old_page_of_the_same_questionnaire_for_an_earlier_scenario_saves_nothing(study):
    store, token = study.store, study.token(0)
    first = _to_questionnaires(study)
    assert flow.save_item(store, token, "umux_lite", "i1", 2, first) == "Saved."
    store.set_step(study.participant(0).id, {**first, "index": 1, "study_scenario_id": 999})
    with pytest.raises(flow.FlowError, match="out of date"):
        flow.save_item(store, token, "umux_lite", "i1", 7, first)
    assert flow.form_values(store, study.participant(0).id, first) == {"i1": 2}


def test_the_scenario_step_waits_for_the_run_to_finish(study):
    store, token = study.store, study.token(0)
    step = _demographics(study)
    assert flow.finish_scenario(store, token, 0) == step  # no run yet
    run_id = finished_run(store, study.participant(0).id, step["study_scenario_id"], finished=False)
    assert flow.ready_run(store, study.participant(0).id, step["study_scenario_id"]) == run_id
    assert flow.finish_scenario(store, token, 0)["page"] == flow.SCENARIO
    assert flow.finish_scenario(store, token, 1)["page"] == flow.SCENARIO  # not the scenario they are on
    store.update_run(run_id, status="finished")
    assert flow.finish_scenario(store, token, 0)["instrument"] == "umux_lite"


def test_questionnaires_are_saved_per_scenario_validated_and_resume_after_a_restart(study, tmp_path):
    store, token = study.store, study.token(0)
    step = _to_questionnaires(study)
    participant_id = study.participant(0).id
    assert flow.save_item(store, token, "umux_lite", "i1", 6) == "Saved."
    same, messages = flow.submit_form(store, token, step)
    assert same == step and messages == ["Question 2 (“This system is easy to use.”): please answer it."]
    flow.save_item(store, token, "umux_lite", "i2", 5)
    reopened = open_store(data_dir=tmp_path / "data")  # a server restart: a new store on the same files
    participant = reopened.participant_by_token(token)
    assert flow.current_step(reopened, participant) == step
    assert flow.form_values(reopened, participant_id, step) == {"i1": 6, "i2": 5}
    tlx, messages = flow.submit_form(reopened, token, step)
    assert messages == [] and tlx["instrument"] == "nasa_tlx"
    answers = reopened.latest_answers(participant_id, "umux_lite", step["study_scenario_id"])
    assert {a.item: a.value for a in answers} == {"i1": 6, "i2": 5}
    reopened.close()


def test_tlx_pairs_are_all_or_none_and_sliders_moved_are_not_untouched(study):
    store, token = study.store, study.token(0)
    tlx = _to_tlx(study)
    flow.save_item(store, token, "nasa_tlx", "mental", 15)
    flow.save_item(store, token, "nasa_tlx", pair_key("mental", "physical"), "mental")
    with pytest.raises(flow.FlowError, match="comparisons"):
        flow.save_item(store, token, "nasa_tlx", pair_key("mental", "physical"), "effort")
    same, messages = flow.submit_form(store, token, tlx)
    assert same == tlx and any(m.startswith("Pairwise comparisons: 14 of 15 pairs are not answered")
                               for m in messages)
    flow.save_item(store, token, "nasa_tlx", pair_key("mental", "physical"), None)
    same, messages = flow.submit_form(store, token, tlx)  # five required sliders never touched
    assert same == tlx and [m.split(" (")[0] for m in messages] == [f"Question {n}" for n in range(2, 7)]
    stored = flow.stored_answers(store, study.participant(0).id, "nasa_tlx", tlx["study_scenario_id"])
    assert stored["mental"] == (15, False) and stored["physical"] == (None, True)
    _answer_sliders(store, token, "nasa_tlx", 10, skip=("mental",))  # the middle, clicked, is an answer
    custom, messages = flow.submit_form(store, token, tlx)
    assert messages == [] and custom["instrument"] == "custom_hill"
    stored = flow.stored_answers(store, study.participant(0).id, "nasa_tlx", tlx["study_scenario_id"])
    assert stored["mental"] == (15, False) and stored["physical"] == (10, False)


def test_the_last_questionnaire_leads_to_the_next_scenario_and_the_end_finishes_the_participant(study):
    store, token = study.store, study.token(0)
    step = _to_questionnaires(study)
    participant_id = study.participant(0).id
    second = study.store.participant_scenarios(participant_id)[1].scenario
    visited = []
    while step["page"] != flow.DONE:
        visited.append(flow.step_label(step))
        if step["page"] == flow.SCENARIO:
            finished_run(store, participant_id, step["study_scenario_id"])
            step = flow.finish_scenario(store, token, step["index"])
            continue
        if step["instrument"] == "umux_lite":
            flow.save_item(store, token, "umux_lite", "i1", 7)
            flow.save_item(store, token, "umux_lite", "i2", 7)
        _answer_sliders(store, token, step["instrument"])
        step, messages = flow.submit_form(store, token, step)
        assert messages == []
    per_scenario = ["umux_lite after scenario {n}", "nasa_tlx after scenario {n}", "custom_hill after scenario {n}"]
    assert visited == [*(v.format(n=1) for v in per_scenario), f"scenario 2 ({second})",
                       *(v.format(n=2) for v in per_scenario)]
    assert study.participant(0).status == "finished" and flow.current_step(store, study.participant(0)) == step
    scenarios = {a.study_scenario_id for a in store.latest_answers(participant_id, "custom_hill")}
    assert len(scenarios) == 2  # one set of answers per scenario


def test_a_second_participant_sees_none_of_the_first_ones_answers(study):
    _to_questionnaires(study, 0)
    store, first, second = study.store, study.participant(0), study.participant(1)
    flow.save_item(store, study.token(0), "umux_lite", "i1", 3)
    assert flow.current_step(store, second) == {"page": flow.CONSENT}
    assert store.latest_answers(second.id) == []
    _consent(study, 1)
    assert flow.form_values(store, second.id, {"instrument": "demographics"}) == {}
    assert flow.form_values(store, first.id, {"instrument": "demographics"}) == {"age": 29, "gender": "female",
                                                                                 "ml_experience": 40}


def test_a_dropped_participants_link_is_closed(study):
    study.store.set_status(study.participant(0).id, "dropped")
    with pytest.raises(flow.FlowError, match="closed by the researcher"):
        flow.require(study.store, study.token(0))


def test_step_labels_say_where_a_participant_is():
    assert flow.step_label({}) == "not started"
    assert flow.step_label({"page": "scenario", "index": 0, "scenario": "digits"}) == "scenario 1 (digits)"
    assert flow.step_label({"page": "questionnaire", "index": 1, "instrument": "nasa_tlx"}) == \
        "nasa_tlx after scenario 2"
    assert flow.step_label({"page": "done"}) == "finished"
    assert flow.participant_link("abc", "http://host:8050/") == "http://host:8050/p/abc"


def test_next_saves_what_the_page_shows_when_a_save_was_still_under_way(study):
    store, token = study.store, study.token(0)
    tlx = _to_tlx(study)
    flow.save_item(store, token, "nasa_tlx", "mental", 12)  # the first of three key steps; the last one was lost
    shown = {"mental": 14, "physical": 10, "temporal": 3, "performance": 0, "effort": 20, "frustration": None,
             "i1": 1, pair_key("mental", "effort"): None}
    same, messages = flow.submit_form(store, token, tlx, shown)
    assert same == tlx and len(messages) == 1 and messages[0].startswith("Question 6 (")
    stored = flow.stored_answers(store, study.participant(0).id, "nasa_tlx", tlx["study_scenario_id"])
    assert stored["mental"] == (14, False) and stored["temporal"] == (3, False)
    assert stored["physical"] == (10, False)  # the middle of the scale, shown, was clicked: an answer
    assert stored["frustration"] == (None, True)  # never touched, recorded as such
    custom, messages = flow.submit_form(store, token, tlx, {**shown, "frustration": 7})
    assert messages == [] and custom["instrument"] == "custom_hill"
    assert "i1" not in stored and not any(key.startswith("pair:") for key in stored)
