"""Creating studies: scenarios, counterbalanced participants, dropout replacement, overview."""

from __future__ import annotations

from collections import Counter

import pytest

from hill_dash.store import NewStudy, NotFound, ScenarioSpec, Store, StoreError


def test_study_keeps_its_settings_and_scenarios(store: Store) -> None:
    ada = store.create_researcher("ada", "correct horse")
    new = store.create_study(
        "pilot", ["digits", {"scenario": "motions", "interaction_epochs": [2, 4], "end_epoch": 6,
                             "options": {"window": 100}, "pretrained_checkpoint": "shared/motions.pt"}],
        n_participants=0, description="first try", consent_text="I agree", alpha=0.3, lam=0.2,
        instruments=["umux_lite", "nasa_tlx"], settings={"projection": "linear"}, created_by=ada.id)
    study = store.get_study("pilot")
    assert study == new.study == store.get_study(study.id)
    assert (study.alpha, study.lam, study.instruments, study.settings, study.created_by) == (
        0.3, 0.2, ["umux_lite", "nasa_tlx"], {"projection": "linear"}, ada.id)
    assert [s.scenario for s in study.scenarios] == ["digits", "motions"]
    digits, motions = study.scenarios
    assert (digits.interaction_epochs, digits.end_epoch) == ([25, 30, 35, 40], 45)
    assert (motions.interaction_epochs, motions.end_epoch, motions.options) == ([2, 4], 6, {"window": 100})
    assert motions.pretrained_checkpoint == "shared/motions.pt"
    assert store.get_study_scenario(motions.id) == motions
    assert [s.name for s in store.list_studies()] == ["pilot"]


@pytest.mark.parametrize("n_scenarios", [3, 4])
def test_participants_get_latin_square_rows_in_turn(store: Store, n_scenarios: int) -> None:
    rows = n_scenarios if n_scenarios % 2 == 0 else 2 * n_scenarios
    new = store.create_study("square", [f"s{i}" for i in range(n_scenarios)], n_participants=rows)
    orders = [invite.participant.scenario_order for invite in new.invites]
    assert [invite.participant.code for invite in new.invites] == [f"P{i + 1}" for i in range(rows)]
    assert len({tuple(order) for order in orders}) == rows, "a full square gives every participant another row"
    for position in range(n_scenarios):
        assert Counter(order[position] for order in orders) == Counter({s: rows // n_scenarios
                                                                        for s in range(n_scenarios)})
    pairs = Counter((o[k], o[k + 1]) for o in orders for k in range(n_scenarios - 1))
    assert len(set(pairs.values())) == 1 and len(pairs) == n_scenarios * (n_scenarios - 1)
    # The next participant starts the square again.
    assert store.add_participant("square").participant.scenario_order == orders[0]


def test_dropped_participants_order_goes_to_the_next_one(store: Store) -> None:
    new = store.create_study("drop", ["a", "b", "c", "d"], n_participants=4)
    orders = [invite.participant.scenario_order for invite in new.invites]
    store.set_status(new.invites[2].participant.id, "dropped")
    replacement = store.add_participant("drop")
    assert replacement.participant.code == "P5"
    assert replacement.participant.scenario_order == orders[2]
    # With the square full again, the next participant starts it over.
    assert store.add_participant("drop").participant.scenario_order == orders[0]


def test_reassign_gives_an_invited_participant_the_open_order(store: Store) -> None:
    new = store.create_study("re", ["a", "b"], n_participants=2)
    first, second = (invite.participant for invite in new.invites)
    third = store.add_participant("re").participant          # row 0 again: row 0 is now used twice
    store.set_status(second.id, "dropped")
    assert store.reassign_order(third.id).scenario_order == second.scenario_order
    assert store.get_participant(first.id).scenario_order == first.scenario_order


def test_participant_scenarios_follow_their_order(store: Store, study: NewStudy) -> None:
    by_id = {s.id: s.scenario for s in study.study.scenarios}
    for invite in study.invites:
        scenarios = store.participant_scenarios(invite.participant.id)
        expected = [study.study.scenarios[p].scenario for p in invite.participant.scenario_order]
        assert [by_id[s.id] for s in scenarios] == expected


def test_steps_resume_where_the_participant_stopped(store: Store, study: NewStudy) -> None:
    participant = study.invites[0].participant
    assert store.get_step(participant.id) == {}
    updated = store.set_step(participant.id, {"page": "scenario", "index": 1, "interaction": 2})
    assert updated.status == "active" and updated.updated_at >= participant.updated_at
    assert store.get_step(participant.id) == {"page": "scenario", "index": 1, "interaction": 2}
    assert store.set_status(participant.id, "finished").status == "finished"
    with pytest.raises(StoreError, match="use one of: invited, active, finished, dropped"):
        store.set_status(participant.id, "gone")
    with pytest.raises(StoreError, match="a step is a dict"):
        store.set_step(participant.id, "scenario")  # type: ignore[arg-type]


def test_bad_studies_are_refused_and_nothing_is_written(store: Store) -> None:
    store.create_study("taken", ["digits"])
    cases = [
        ({"name": "taken", "scenarios": ["digits"]}, "already exists"),
        ({"name": "", "scenarios": ["digits"]}, "needs a name"),
        ({"name": "x", "scenarios": []}, "at least one scenario"),
        ({"name": "x", "scenarios": ["digits"], "alpha": 1.5}, r"alpha .* \[0, 1\]"),
        ({"name": "x", "scenarios": ["digits"], "n_participants": -1}, "between 0 and"),
        ({"name": "x", "scenarios": [ScenarioSpec("d", interaction_epochs=(5, 3))]}, "increase strictly"),
        ({"name": "x", "scenarios": [ScenarioSpec("d", interaction_epochs=(50,))]}, "end_epoch=45"),
        ({"name": "x", "scenarios": [{"scenario": "d", "epochs": [1]}]}, "a scenario is a name or a dict"),
        ({"name": "x", "scenarios": ["digits"], "created_by": 42}, "no researcher with id 42"),
    ]
    for kwargs, message in cases:
        with pytest.raises(StoreError, match=message):
            store.create_study(**kwargs)
    assert [s.name for s in store.list_studies()] == ["taken"]
    with pytest.raises(NotFound, match="no study named 'missing'"):
        store.get_study("missing")


def test_overview_shows_who_is_where(store: Store, study: NewStudy) -> None:
    p1, p2, p3, _ = (invite.participant for invite in study.invites)
    first = study.study.scenarios[0]
    store.set_step(p1.id, {"page": "questionnaire"})
    store.set_status(p3.id, "dropped")
    store.save_answer(p1.id, "umux_lite", "q1", 5, study_scenario_id=first.id)
    store.save_answer(p1.id, "umux_lite", "q1", 6, study_scenario_id=first.id)
    store.save_answer(p1.id, "umux_lite", "q2", 4, study_scenario_id=first.id)
    done = store.create_run(study_scenario_id=first.id, participant_id=p1.id)
    store.update_run(done.id, status="finished")
    store.create_run(study_scenario_id=first.id, participant_id=p2.id)
    store.create_run(study_scenario_id=first.id, condition="baseline")
    overview = store.study_overview("pilot")
    assert overview["status_counts"] == {"invited": 2, "active": 1, "finished": 0, "dropped": 1}
    rows = {row["code"]: row for row in overview["participants"]}
    assert rows["P1"]["step"] == {"page": "questionnaire"}
    assert (rows["P1"]["answers"], rows["P1"]["runs"], rows["P1"]["runs_finished"]) == (2, 1, 1)
    assert (rows["P2"]["answers"], rows["P2"]["runs"], rows["P2"]["runs_finished"]) == (0, 1, 0)
    assert rows["P2"]["order"] == [study.study.scenarios[p].scenario for p in p2.scenario_order]
    assert (overview["answers"], overview["runs"], overview["runs_finished"]) == (2, 3, 1)


def test_a_study_that_fails_halfway_leaves_nothing_behind(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import hill_dash.store.studies as studies

    real, made = studies.new_participant, []

    def failing_third(session, study, simulated=False):  # noqa: ANN001, ANN202 - stands in for the real function
        if len(made) == 2:
            raise StoreError("the third participant could not be written")
        made.append(real(session, study, simulated))
        return made[-1]

    monkeypatch.setattr(studies, "new_participant", failing_third)
    with pytest.raises(StoreError, match="third participant"):
        store.create_study("half", ["a", "b"], n_participants=4)
    monkeypatch.undo()
    assert store.list_studies() == []
    with pytest.raises(NotFound):
        store.participant_by_token(made[0].token)
    assert store.create_study("half", ["a", "b"], n_participants=1).study.scenarios[0].id is not None
