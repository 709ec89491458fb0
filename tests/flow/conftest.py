"""A temporary store holding a two-scenario study with two invited participants."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from hill_dash.store import NewStudy, Store, open_store

CONSENT = "You will steer a model's training.\n\nYou may stop at any time."
INSTRUMENTS = ["umux_lite", "nasa_tlx", "custom_hill"]


@dataclass
class Study:
    store: Store
    created: NewStudy

    def token(self, n: int) -> str:
        return self.created.invites[n].token

    def participant(self, n: int):
        return self.store.get_participant(self.created.invites[n].participant.id)


@pytest.fixture
def store(tmp_path) -> Store:
    opened = open_store(data_dir=tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def study(store) -> Study:
    created = store.create_study("pilot", ["digits", "basicmotions"], n_participants=2, consent_text=CONSENT,
                                 instruments=INSTRUMENTS, description="two scenarios")
    return Study(store, created)


def finished_run(store: Store, participant_id: int, study_scenario_id: int, finished: bool = True) -> int:
    """A run that has a 2D view (and has trained to its end when `finished`), without training anything."""
    run = store.create_run(study_scenario_id=study_scenario_id, participant_id=participant_id)
    store.save_snapshot(run.id, 3, 0, {"coords": np.zeros((2, 2))})
    store.update_run(run.id, status="finished" if finished else "waiting")
    return run.id


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> str:
    """A digits checkpoint pretrained to its only interaction point (epoch 1 of 2): one round to the end."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    config = RunConfig(scenario="digits", interaction_epochs=(1,), end_epoch=2)
    run_dir = tmp_path_factory.mktemp("pretrained") / "digits-short"
    return str(pretrain(build_scenario(ScenarioSpec("digits")), config, run_dir))
