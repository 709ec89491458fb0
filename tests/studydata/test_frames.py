"""A study's store rows as analysis tables: finding the study, scoring what can be scored, simulated flags."""

from __future__ import annotations

import pytest

from hill_dash.core.simulate import STRATEGIES
from hill_dash.store import open_store
from hill_dash.studydata import StudyDataError, assign_strategies, find_study, load_study
from hill_dash.studydata.thinkaloud import utterances


@pytest.fixture
def store(tmp_path):
    return open_store(data_dir=tmp_path)


def test_a_study_is_found_by_id_or_by_a_name_made_of_digits(store):
    first = store.create_study("pilot", ["digits"]).study
    named = store.create_study("2024", ["digits"]).study
    assert find_study(store, str(first.id)).name == "pilot"
    assert find_study(store, "pilot").id == first.id
    assert find_study(store, "2024").id == named.id  # no study has id 2024, so the name is tried
    with pytest.raises(StudyDataError, match=r"no study 'pilott'.*1: pilot"):
        find_study(store, "pilott")


def test_an_unfinished_questionnaire_costs_only_itself(store):
    new = store.create_study("s", ["digits", "basicmotions"], 1, simulated=True)
    pid = new.invites[0].participant.id
    digits, motions = (s.id for s in new.study.scenarios)
    store.save_answer(pid, "consent", "agree", True)
    for item, value in (("i1", 6), ("i2", 5)):
        store.save_answer(pid, "umux_lite", item, value, study_scenario_id=digits)
    store.save_answer(pid, "umux_lite", "i1", 7, study_scenario_id=motions)  # i2 not answered yet
    tables = load_study(store, "s")
    umux = tables.scores[tables.scores["instrument"] == "umux_lite"]
    assert set(umux["scenario"]) == {"digits"}
    assert umux.set_index("measure").loc["raw", "value"] == pytest.approx((6 + 5 - 2) * 100 / 12)
    assert len(tables.notes) == 1 and "umux_lite of P1, basicmotions" in tables.notes[0]
    assert not tables.scored_all
    assert "consent" in set(tables.answers["instrument"]) and "consent" not in set(tables.scores["instrument"])
    assert tables.answers["simulated"].all()  # the participant is simulated


def test_rows_of_a_study_flagged_simulated_are_simulated_even_without_simulated_participants(store):
    new = store.create_study("flagged", ["digits"], 1, settings={"simulated": True})
    store.save_answer(new.invites[0].participant.id, "demographics", "age", 30)
    tables = load_study(store, "flagged")
    assert tables.simulated and tables.answers["simulated"].all()
    plain = store.create_study("measured", ["digits"], 1)
    store.save_answer(plain.invites[0].participant.id, "demographics", "age", 30)
    measured = load_study(store, "measured")
    assert not measured.simulated and not measured.answers["simulated"].any()
    assert measured.runs.empty and {"status", "test_acc", "test_macro_f1"} <= set(measured.runs.columns)


def test_every_strategy_is_played_and_the_assignment_follows_the_seed():
    codes = [f"P{i}" for i in range(1, 15)]
    chosen = assign_strategies(codes, seed=0)
    counts = {name: list(chosen.values()).count(name) for name in STRATEGIES}
    assert sorted(counts.values()) == [2, 3, 3, 3, 3]
    assert assign_strategies(codes, seed=0) == chosen != assign_strategies(codes, seed=1)


def test_a_changed_strategy_is_said_at_the_switch():
    said = [(u.interaction_index, u.strategy) for u in utterances("change", 4)]
    assert said == [(0, "distance"), (1, "distance"), (2, "change"), (2, "merge"), (3, "merge")]
    assert [u.strategy for u in utterances("keep", 3)] == ["keep"] * 3
    with pytest.raises(ValueError, match="unknown strategy"):
        utterances("teleport", 2)
