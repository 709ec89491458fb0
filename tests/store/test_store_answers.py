"""Questionnaire answers: the newest per item is the answer, every change stays in the history."""

from __future__ import annotations

from itertools import pairwise

import pytest

from hill_dash.store import NewStudy, NotFound, Store, StoreError


def test_latest_answer_wins_and_history_keeps_every_change(store: Store, study: NewStudy) -> None:
    participant = study.invites[0].participant
    digits, motions = study.study.scenarios
    store.save_answer(participant.id, "umux_lite", "q1", 4, study_scenario_id=digits.id, untouched=True)
    store.save_answer(participant.id, "umux_lite", "q1", 6, study_scenario_id=digits.id)
    store.save_answer(participant.id, "umux_lite", "q1", 2, study_scenario_id=motions.id)
    store.save_answer(participant.id, "demographics", "age", "25-34")
    store.save_answer(participant.id, "demographics", "age", "35-44")
    assert store.answer_values(participant.id, "umux_lite", digits.id) == {"q1": 6}
    assert store.answer_values(participant.id, "umux_lite", motions.id) == {"q1": 2}
    assert store.answer_values(participant.id, "demographics") == {"age": "35-44"}
    latest = store.latest_answers(participant.id)
    assert len(latest) == 3 and not any(a.untouched for a in latest)
    assert [a.value for a in store.latest_answers(participant.id, study_scenario_id=None)] == ["35-44"]
    history = store.answer_history(participant.id, "umux_lite", "q1")
    assert [(a.value, a.untouched) for a in history] == [(4, True), (6, False), (2, False)]
    assert all(earlier.answered_at <= later.answered_at for earlier, later in pairwise(history))


def test_saving_the_same_value_again_records_nothing_new(store: Store, study: NewStudy) -> None:
    participant = study.invites[0].participant
    first = store.save_answer(participant.id, "vas", "trust", [0.2, 0.4])
    again = store.save_answer(participant.id, "vas", "trust", [0.2, 0.4])
    assert again.id == first.id
    assert len(store.answer_history(participant.id)) == 1
    assert store.save_answer(participant.id, "vas", "trust", [0.2, 0.4], untouched=True).id != first.id


def test_bad_answers_are_refused(store: Store, study: NewStudy) -> None:
    participant = study.invites[0].participant
    other = store.create_study("other", ["digits"])
    with pytest.raises(StoreError, match="belongs to another study"):
        store.save_answer(participant.id, "umux_lite", "q1", 3, study_scenario_id=other.study.scenarios[0].id)
    with pytest.raises(NotFound, match="no participant with id 404"):
        store.save_answer(404, "umux_lite", "q1", 3)
    with pytest.raises(StoreError, match="cannot be stored as JSON"):
        store.save_answer(participant.id, "umux_lite", "q1", object())
    assert store.answer_history(participant.id) == []
