"""Turning the new-study form into a study: defaults, schedules that runs really follow, clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from hill_dash.app.views.study_setup import (SetupError, instrument_choices, parse_epochs, scenario_choices,
                                             scenario_defaults, scenario_spec, study_arguments)


def _form(**changes):
    form = {"name": " Pilot ", "description": "d", "consent_text": "Consent.", "alpha": 0.5, "lam": 0.1,
            "instruments": ["custom_hill", "umux_lite"], "n_participants": 4,
            "scenarios": [{"scenario": "digits", "use": True, "checkpoint": "", "epochs": "3, 5, 7, 9", "end": 11},
                          {"scenario": "cifar10", "use": False}]}
    form.update(changes)
    return form


def test_scenario_defaults_come_from_the_scenarios_train_defaults_without_building_them():
    digits = scenario_defaults("digits")
    assert (digits.interaction_epochs, digits.end_epoch) == ((3, 5, 7, 9), 11)
    assert scenario_defaults("cifar10").interaction_epochs == (25, 30, 35, 40)
    assert scenario_defaults("my_pkg.mod:build") is None and scenario_defaults("nosuch") is None
    offered = {info.name: schedule for info, schedule in scenario_choices()}
    assert offered["basicmotions"].end_epoch == 12 and offered["digits"].text() == "3, 5, 7, 9"


def test_the_papers_instruments_come_first_and_demographics_is_not_offered_per_scenario():
    choices = instrument_choices()
    assert choices[:3] == ["umux_lite", "nasa_tlx", "custom_hill"]
    assert "sus" in choices and "demographics" not in choices


def test_a_valid_form_gives_the_stores_arguments_with_instruments_in_the_offered_order(tmp_path):
    args = study_arguments(**_form(), data_dir=tmp_path)
    assert args["name"] == "Pilot" and args["instruments"] == ["umux_lite", "custom_hill"]
    assert args["n_participants"] == 4 and args["alpha"] == 0.5
    (spec,) = args["scenarios"]
    assert (spec.scenario, spec.interaction_epochs, spec.end_epoch, spec.pretrained_checkpoint) == \
        ("digits", (3, 5, 7, 9), 11, None)
    empty = study_arguments(**_form(scenarios=[{"scenario": "digits", "use": True}]), data_dir=tmp_path)
    assert empty["scenarios"][0].interaction_epochs == (3, 5, 7, 9)


@pytest.mark.parametrize("changes, message", [
    ({"name": "  "}, "needs a name"),
    ({"consent_text": ""}, "consent text"),
    ({"scenarios": [{"scenario": "digits", "use": False}]}, "at least one scenario"),
    ({"alpha": 1.5}, "alpha must be a number between 0 and 1"),
    ({"lam": None}, "lambda must be a number at least 0"),
    ({"instruments": ["umux_lite", "sus2"]}, "unknown questionnaire"),
    ({"n_participants": 2.5}, "whole number"),
    ({"scenarios": [{"scenario": "digits", "use": True, "epochs": "3; five"}]}, "separated by commas"),
])
def test_bad_forms_are_refused_saying_what_to_fix(tmp_path, changes, message):
    with pytest.raises(SetupError, match=message):
        study_arguments(**_form(**changes), data_dir=tmp_path)


def test_a_schedule_the_run_would_not_follow_is_refused_with_the_way_to_get_it(tmp_path):
    with pytest.raises(SetupError) as caught:
        scenario_spec("digits", None, "2, 4", 6, tmp_path)
    message = str(caught.value)
    assert "stops at epochs 3, 5, 7, 9 and ends at 11" in message
    assert "hill-dash train --scenario digits --interaction-epochs 2, 4 --end-epoch 6 --epochs 2" in message
    assert parse_epochs(" ", "digits") is None


def test_a_pretrained_checkpoint_brings_its_own_schedule_and_may_be_given_relative_to_the_data_dir(
        tmp_path, tiny_checkpoint):
    spec = scenario_spec("digits", tiny_checkpoint, "", None, tmp_path)
    assert (spec.interaction_epochs, spec.end_epoch, spec.pretrained_checkpoint) == ((1,), 2, tiny_checkpoint)
    run_dir = Path(tiny_checkpoint).parent.parent
    relative = scenario_spec("digits", run_dir.name, None, None, run_dir.parent)
    assert relative.pretrained_checkpoint == tiny_checkpoint  # a run directory means its latest checkpoint
    with pytest.raises(SetupError, match="the checkpoint .* stops at epochs 1 and ends at 2"):
        scenario_spec("digits", tiny_checkpoint, "3, 5, 7, 9", 11, tmp_path)
    with pytest.raises(SetupError, match="trained on scenario 'digits'"):
        scenario_spec("basicmotions", tiny_checkpoint, None, None, tmp_path)
    with pytest.raises(SetupError, match="does not exist"):
        scenario_spec("digits", "missing/epoch_001.pt", None, None, tmp_path)
