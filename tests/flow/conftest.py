"""A temporary store holding a two-scenario study with two invited participants."""

from __future__ import annotations

import pytest
from flow_study import CONSENT, INSTRUMENTS
from study_kit import Study

from hill_dash.store import Store, open_store


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


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> str:
    """A digits checkpoint pretrained to its only interaction point (epoch 1 of 2): one round to the end."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    config = RunConfig(scenario="digits", interaction_epochs=(1,), end_epoch=2)
    run_dir = tmp_path_factory.mktemp("pretrained") / "digits-short"
    return str(pretrain(build_scenario(ScenarioSpec("digits")), config, run_dir))
