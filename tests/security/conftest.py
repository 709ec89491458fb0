"""A study server under attack: the real app on a temporary data directory, two researchers, a study each, a
participant run, a baseline run and a free-editor run, and requests made as any of the callers."""

from __future__ import annotations

import hashlib
import types

import pytest
from app_kit import published_app
from security_kit import BROWSER
from tiny_run import tiny_digits_checkpoint

from hill_dash.app.context import get_store



@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> str:
    return tiny_digits_checkpoint(tmp_path_factory.mktemp("pretrained"))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The real app (pages, callbacks, routes, security hooks)."""
    with published_app(tmp_path_factory.mktemp("secure-data")) as app:
        yield app


@pytest.fixture(scope="module")
def world(app, tiny_checkpoint):
    """Who and what there is: researchers ada and bob, ada's study with two participants (a run for the first),
    a baseline run of ada's study, bob's study, and a free run started by BROWSER."""
    from hill_dash.jobs import rounds

    store = get_store()
    ada = store.create_researcher("ada", "correct horse")
    bob = store.create_researcher("bob", "battery staple")
    spec = [{"scenario": "digits", "pretrained_checkpoint": tiny_checkpoint, "interaction_epochs": [1],
             "end_epoch": 2}]
    mine = store.create_study("ada's study", spec, n_participants=2, consent_text="Consent.", created_by=ada.id)
    theirs = store.create_study("bob's study", spec, n_participants=1, consent_text="Consent.", created_by=bob.id)
    scenario_id = mine.study.scenarios[0].id
    participant = mine.invites[0].participant
    owned = rounds.start_run(store, "digits", participant_id=participant.id, study_scenario_id=scenario_id,
                             seed=1, checkpoint=tiny_checkpoint)
    baseline = rounds.start_run(store, "digits", study_scenario_id=scenario_id, condition="baseline", seed=2,
                                alpha=0.0, checkpoint=tiny_checkpoint)
    free = rounds.start_run(store, "digits", checkpoint=tiny_checkpoint,
                            owner_key=hashlib.sha256(BROWSER.encode()).hexdigest())
    return types.SimpleNamespace(store=store, ada=ada, bob=bob, mine=mine, theirs=theirs, scenario_id=scenario_id,
                                 participant=participant, token=mine.invites[0].token,
                                 other_token=mine.invites[1].token, owned=owned, baseline=baseline, free=free)
