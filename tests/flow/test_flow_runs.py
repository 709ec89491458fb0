"""A participant's run of a scenario: created once (even when two windows ask at once), from the right checkpoint."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from flow_study import CONSENT

from hill_dash.app.views import flow
from hill_dash.jobs import rounds


def _at_scenario(store, token):
    step, _ = flow.give_consent(store, token, {"page": flow.CONSENT}, True)
    flow.save_item(store, token, "demographics", "age", 40)
    flow.save_item(store, token, "demographics", "gender", "male")
    flow.save_item(store, token, "demographics", "ml_experience", 50)  # the middle, clicked, is an answer
    step, messages = flow.submit_form(store, token, step)
    assert messages == [] and step["page"] == flow.SCENARIO
    return step


def test_the_run_starts_from_the_study_checkpoint_with_the_studys_weights_and_is_reused(store, tiny_checkpoint):
    created = store.create_study("short", [{"scenario": "digits", "pretrained_checkpoint": tiny_checkpoint,
                                            "interaction_epochs": [1], "end_epoch": 2}], n_participants=1,
                                 consent_text=CONSENT, alpha=0.7, lam=0.2, instruments=["umux_lite"])
    token = created.invites[0].token
    step = _at_scenario(store, token)
    seen = []
    run_id = flow.ensure_run(store, token, step, progress=seen.append)
    run = store.get_run(run_id)
    assert run.participant_id == created.invites[0].participant.id
    assert run.study_scenario_id == step["study_scenario_id"]
    assert (run.config["alpha"], run.config["lam"], run.config["interaction_epochs"]) == (0.7, 0.2, [1])
    assert seen == []  # nothing pretrained: the study's checkpoint was used
    assert flow.ensure_run(store, token, step) == run_id
    assert store.get_run(run_id).status == "waiting" and len(store.list_snapshots(run_id)) == 1
    assert flow.finish_scenario(store, token, 0)["page"] == flow.SCENARIO  # not trained to its end yet


def _fake_start(store, calls, delay=0.0):
    def start_run(_store, scenario, *, participant_id, study_scenario_id, **kwargs):
        calls.append(kwargs)
        time.sleep(delay)
        run = store.create_run(study_scenario_id=study_scenario_id, participant_id=participant_id)
        store.save_snapshot(run.id, 3, 0, {"coords": np.zeros((1, 2))})
        return run.id
    return start_run


def test_two_windows_asking_at_once_create_one_run(study, monkeypatch):
    calls = []
    monkeypatch.setattr(rounds, "start_run", _fake_start(study.store, calls, delay=0.3))
    step = _at_scenario(study.store, study.token(0))
    results = []
    workers = [threading.Thread(target=lambda: results.append(flow.ensure_run(study.store, study.token(0), step)))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(calls) == 1 and len(set(results)) == 1 and len(results) == 2
    assert calls[0]["checkpoint"] is None and calls[0]["alpha"] == 0.5  # the shared pretrained one, study's α


def test_a_run_whose_start_broke_off_is_marked_failed_and_replaced(study, monkeypatch):
    calls = []
    monkeypatch.setattr(rounds, "start_run", _fake_start(study.store, calls))
    step = _at_scenario(study.store, study.token(0))
    participant_id = study.participant(0).id
    broken = study.store.create_run(study_scenario_id=step["study_scenario_id"], participant_id=participant_id)
    run_id = flow.ensure_run(study.store, study.token(0), step)
    assert run_id != broken.id and study.store.get_run(broken.id).status == "failed"


def test_a_stale_page_or_another_token_cannot_start_a_run(study, monkeypatch):
    calls = []
    monkeypatch.setattr(rounds, "start_run", _fake_start(study.store, calls))
    step = _at_scenario(study.store, study.token(0))
    with pytest.raises(flow.FlowError, match="out of date"):
        flow.ensure_run(study.store, study.token(1), step)  # the second participant is still at consent
    with pytest.raises(flow.FlowError, match="not valid"):
        flow.ensure_run(study.store, "forged", step)
    assert calls == []
