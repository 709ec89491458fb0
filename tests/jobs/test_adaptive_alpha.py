"""Adaptive reliance in the store: the study's switch, the baseline band at an epoch, the logged change."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest

from hill_dash.core.config import RunConfig
from hill_dash.jobs.follow_through import adapt_alpha
from hill_dash.store import open_store
from hill_dash.store.errors import StoreError


@dataclass
class _Metrics:
    val_accuracy: float


@dataclass
class _RoundEnd:
    """What `adapt_alpha` reads of a runner that has just reached an interaction point."""

    config: RunConfig
    epoch: int
    history: list = field(default_factory=list)
    at_interaction_point: bool = True

    def set_hyper(self, alpha=None, **_):
        self.config = replace(self.config, alpha=alpha)


@pytest.fixture
def study(tmp_path):
    store = open_store(data_dir=tmp_path)
    made = store.create_study("reliance", ["digits"], n_participants=1)
    scenario_id = made.study.scenarios[0].id
    for seed, acc in enumerate((0.84, 0.80, 0.86)):
        run = store.create_run(study_scenario_id=scenario_id, condition="baseline", seed=seed)
        store.add_epoch(run.id, 5, val_acc=acc)
    return store, made.study.id, scenario_id


def test_a_new_study_uses_the_follow_teacher_and_opts_in_to_adaptive_alpha(study):
    store, study_id, scenario_id = study
    assert store.study_reliance(scenario_id) == {"teacher": "follow", "adaptive_alpha": False}
    assert store.set_study_reliance(study_id, teacher="paper", adaptive_alpha=True) == \
        {"teacher": "paper", "adaptive_alpha": True}
    with pytest.raises(StoreError, match="teacher"):
        store.set_study_reliance(study_id, teacher="oracle")
    assert store.study_reliance(scenario_id)["teacher"] == "paper"


def test_the_band_is_the_lowest_baseline_accuracy_at_that_epoch(study):
    store, _, scenario_id = study
    assert store.baseline_band_min(scenario_id, 5) == pytest.approx(0.80)
    assert store.baseline_band_min(scenario_id, 7) is None


@pytest.mark.parametrize("acc, lowered", [(0.78, True), (0.81, False)])
def test_a_round_below_the_band_lowers_alpha_and_logs_why(study, acc, lowered):
    store, _, scenario_id = study
    run = store.create_run(study_scenario_id=scenario_id, condition="hill", seed=9)
    end = _RoundEnd(RunConfig(scenario="digits", adaptive_alpha=True), 5, [_Metrics(acc)])
    decision = adapt_alpha(store, run.id, end)
    assert decision.lowered is lowered
    changes = store.list_alpha_changes(run.id)
    if lowered:
        assert end.config.alpha == 0.25 and [(c.old_alpha, c.new_alpha, c.band_min) for c in changes] == \
            [(0.5, 0.25, pytest.approx(0.80))]
        assert "below the baseline band" in changes[0].reason
    else:
        assert end.config.alpha == 0.5 and changes == []


def test_without_the_opt_in_nothing_adapts(study):
    store, _, scenario_id = study
    run = store.create_run(study_scenario_id=scenario_id, condition="hill", seed=9)
    end = _RoundEnd(RunConfig(scenario="digits"), 5, [_Metrics(0.1)])
    assert adapt_alpha(store, run.id, end) is None and end.config.alpha == 0.5
