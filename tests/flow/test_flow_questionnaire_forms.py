"""Questionnaire forms as data: one control per item with a pattern-matching id, chosen by the item's scale."""

from __future__ import annotations

import pytest
import questionnaires
from dash import dcc
from layout_tree import find, of_type, text

from hill_dash.app import ids
from hill_dash.app.views.questionnaire import (OTHER, answers_for_validation, control_id, instrument_form, pair_key,
                                               UNTOUCHED, parse_pair_key, problem_messages, shown_answers,
                                               slider_start)

CONTROL_CLASS = {"likert": dcc.RadioItems, "vas": dcc.Slider, "tlx": dcc.Slider, "choice": dcc.RadioItems,
                 "number": dcc.Input, "text": dcc.Input}


@pytest.mark.parametrize("name", questionnaires.list_instruments())
def test_every_shipped_instrument_renders_one_matching_control_and_status_per_item(name):
    instrument = questionnaires.load(name)
    form = instrument_form(instrument)
    controls = [c for c in of_type(form, ids.Q_ITEM) if parse_pair_key(c.id["item"]) is None]
    assert [c.id["item"] for c in controls] == list(instrument.item_ids)
    for control, item in zip(controls, instrument.items):
        assert control.id == {"type": ids.Q_ITEM, "instrument": name, "item": item.id}
        assert isinstance(control, CONTROL_CLASS[item.scale.type])
        find(form, control_id(ids.Q_STATUS, name, item.id))
    assert instrument.participant_heading in text(form)


def test_likert_items_are_radio_points_with_the_anchors_at_the_ends():
    form = instrument_form(questionnaires.load("umux_lite"))
    radios = find(form, control_id(ids.Q_ITEM, "umux_lite", "i1"))
    assert [o["value"] for o in radios.options] == [1, 2, 3, 4, 5, 6, 7]
    assert radios.value is None
    assert "strongly disagree" in text(form) and "strongly agree" in text(form)


def test_a_likert_item_with_one_anchor_per_point_labels_every_point():
    instrument = questionnaires.from_dict({
        "id": "three", "title": "Three points", "items": [{
            "id": "a", "text": "How was it?", "scale": {"type": "likert", "points": 3},
            "anchors": ["bad", "so-so", "good"]}]})
    radios = find(instrument_form(instrument), control_id(ids.Q_ITEM, "three", "a"))
    assert [o["label"] for o in radios.options] == ["1 bad", "2 so-so", "3 good"]


def test_vas_items_are_plain_0_to_100_sliders_with_no_handle_until_answered():
    form = instrument_form(questionnaires.load("custom_hill"))
    slider = find(form, control_id(ids.Q_ITEM, "custom_hill", "q4"))
    assert (slider.min, slider.max, slider.value) == (0, 100, None)
    assert slider.marks is None and slider.allow_direct_input is False
    wrapper = find(form, control_id(ids.Q_SLIDER, "custom_hill", "q4"))
    assert UNTOUCHED in wrapper.className.split()
    assert (getattr(wrapper, "data-min"), getattr(wrapper, "data-max")) == ("0", "100")
    answered = find(instrument_form(questionnaires.load("custom_hill"), {"q4": 50}),
                    control_id(ids.Q_SLIDER, "custom_hill", "q4"))
    assert UNTOUCHED not in answered.className.split()


def test_tlx_items_are_21_step_sliders_with_marks_and_their_own_anchors():
    form = instrument_form(questionnaires.load("nasa_tlx"))
    slider = find(form, control_id(ids.Q_ITEM, "nasa_tlx", "performance"))
    assert (slider.min, slider.max, slider.step, slider.value) == (0, 20, 1, None)
    assert sorted(slider.marks) == list(range(21))
    assert "perfect" in text(form) and "failure" in text(form)


def test_tlx_pairwise_comparisons_are_15_radio_pairs_keyed_by_their_items():
    instrument = questionnaires.load("nasa_tlx")
    pairs = [c for c in of_type(instrument_form(instrument), ids.Q_ITEM) if parse_pair_key(c.id["item"])]
    assert len(pairs) == 15
    for control, (a, b) in zip(pairs, questionnaires.pairwise_pairs("nasa_tlx")):
        assert control.id["item"] == pair_key(a, b) and parse_pair_key(control.id["item"]) == (a, b)
        assert [o["value"] for o in control.options] == [a, b]


def test_demographics_get_a_number_box_a_choice_with_a_described_other_and_a_slider():
    form = instrument_form(questionnaires.load("demographics"), {"age": 31, "gender": "agender"})
    age = find(form, control_id(ids.Q_ITEM, "demographics", "age"))
    assert (age.type, age.min, age.max, age.value) == ("number", 18, 120, 31)
    gender = find(form, control_id(ids.Q_ITEM, "demographics", "gender"))
    assert gender.value == OTHER and OTHER in [o["value"] for o in gender.options]
    assert find(form, control_id(ids.Q_OTHER, "demographics", "gender")).value == "agender"
    assert isinstance(find(form, control_id(ids.Q_ITEM, "demographics", "ml_experience")), dcc.Slider)


def test_stored_answers_fill_the_form_again():
    form = instrument_form(questionnaires.load("nasa_tlx"),
                           {"mental": 17, pair_key("mental", "physical"): "physical"})
    assert find(form, control_id(ids.Q_ITEM, "nasa_tlx", "mental")).value == 17
    assert find(form, control_id(ids.Q_ITEM, "nasa_tlx", pair_key("mental", "physical"))).value == "physical"
    assert find(form, control_id(ids.Q_ITEM, "nasa_tlx", "effort")).value is None


def test_sus_and_a_new_instrument_file_render_without_new_code(tmp_path):
    sus = instrument_form(questionnaires.load("sus"))
    assert len(of_type(sus, ids.Q_ITEM)) == 10
    (tmp_path / "trust_scale.yaml").write_text(
        "id: trust_scale\ntitle: Trust in the model\nitems:\n"
        "  - {id: t1, text: I trust it., scale: {type: likert, points: 5}, anchors: [not at all, fully]}\n"
        "  - {id: t2, text: How much is it, scale: {type: vas}, anchors: [none, complete]}\n"
        "  - {id: t3, text: Say why, scale: text, required: false}\n")
    form = instrument_form(questionnaires.load("trust_scale", search_path=[tmp_path]))
    assert [c.id["item"] for c in of_type(form, ids.Q_ITEM)] == ["t1", "t2", "t3"]
    assert "(optional)" in text(form)


def test_slider_start_is_the_middle_on_the_scale_grid():
    assert slider_start(questionnaires.load("nasa_tlx").item("mental").scale) == 10
    assert slider_start(questionnaires.from_dict({
        "id": "odd", "title": "x", "items": [{"id": "a", "text": "a", "scale": {"type": "vas", "min": 0, "max": 9,
                                                                                "step": 2}}]}).item("a").scale) == 4


def test_stored_answers_become_validation_input_and_problems_name_the_question():
    instrument = questionnaires.load("nasa_tlx")
    stored = {"mental": (12, False), "physical": (None, True), pair_key("mental", "physical"): ("mental", False)}
    answers, pairs = answers_for_validation(instrument, stored)
    assert answers == {"mental": {"value": 12, "untouched": False}, "physical": {"value": None, "untouched": True}}
    assert pairs == [("mental", "physical", "mental")]
    with pytest.raises(questionnaires.ValidationError) as caught:
        questionnaires.validate(instrument, answers, pairs)
    messages = problem_messages(instrument, caught.value)
    assert "Question 3 (“How hurried or rushed was the pace of the task?”): please answer it: click on the line " \
        "where your answer lies." in messages
    assert any(m.startswith("Question 2 (“How physically demanding") for m in messages)
    assert not any("Temporal Demand" in m for m in messages)  # the researcher's label is not the participant's
    assert any(m.startswith("Pairwise comparisons: 14 of 15 pairs are not answered") for m in messages)


def test_the_answers_a_page_shows_are_read_per_instrument_with_described_choices_as_their_text():
    form = instrument_form(questionnaires.load("demographics"), {"age": 40, "gender": "agender"})
    items, others = of_type(form, ids.Q_ITEM), of_type(form, ids.Q_OTHER)
    shown = shown_answers([c.id for c in items], [c.value for c in items], [c.id for c in others],
                          [c.value for c in others])
    assert shown == {"demographics": {"age": 40, "gender": "agender", "ml_experience": None}}
    assert shown_answers([control_id(ids.Q_ITEM, "demographics", "gender")], [OTHER],
                         [control_id(ids.Q_OTHER, "demographics", "gender")], ["  "]) == \
        {"demographics": {"gender": None}}
