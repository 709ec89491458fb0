"""The follow teacher: per-row targets, its loss, no edit means keep, and no validation row in any loss."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from hill_dash.core.config import ConfigError, RunConfig
from hill_dash.core.runner import HillRunner
from hill_dash.core.scenarios.base import Split
from hill_dash.core.targets import Edit, move_edit
from hill_dash.core.teacher import GradientBalance, follow_loss, row_targets


def _config(**kw):
    return RunConfig(scenario="tiny", **kw)


def test_row_targets_apply_the_similarity_transform_of_each_class_edit():
    points = np.array([[1.0, 1.0], [3.0, 1.0], [2.0, 4.0], [-1.0, 0.0], [1.0, 0.0]])
    labels = np.array([0, 0, 0, 1, 1])
    seen_c = np.array([[2.0, 2.0], [0.0, 0.0]])
    seen_s = np.array([2.0, 1.0])
    # class 0: centre (2, 2) -> (5, 2), spread 2 -> 1 (ratio 1/2); class 1: centre kept, spread 1 -> 3
    goal_c = np.array([[5.0, 2.0], [0.0, 0.0]])
    goal_s = np.array([1.0, 3.0])
    t = row_targets(points, labels, seen_c, seen_s, goal_c, goal_s)
    # by hand: 5 + (1 - 2)/2 = 4.5, 2 + (1 - 2)/2 = 1.5; ...; class 1: 0 + 3 * (-1) = -3
    assert t.tolist() == [[4.5, 1.5], [5.5, 1.5], [5.0, 3.0], [-3.0, 0.0], [3.0, 0.0]]


def test_a_class_whose_spread_was_zero_is_only_translated():
    t = row_targets(np.array([[1.0, 1.0]]), np.array([0]), np.array([[1.0, 1.0]]), np.array([0.0]),
                    np.array([[2.0, 3.0]]), np.array([0.5]))
    assert t.tolist() == [[2.0, 3.0]]


def test_follow_loss_splits_edited_rows_from_kept_class_centres():
    z = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [1.0, 3.0]])
    t = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1.0, 2.0], [1.0, 2.0]])
    labels = torch.tensor([0, 0, 1, 1])
    edited, kept = follow_loss(z, t, labels, torch.tensor([True, False]), 2)
    # class 0 rows are each 1 away: 0.5 * (1 + 1) / 4; class 1's centre (1, 2) is on target, its rows are not
    assert float(edited) == pytest.approx(0.25) and float(kept) == pytest.approx(0.0)
    edited, kept = follow_loss(z, t, labels, torch.tensor([False, False]), 2)
    assert float(edited) == 0.0 and float(kept) == 0.0  # no edit: both class centres are on target
    edited, kept = follow_loss(z, t + torch.tensor([0.0, 1.0]), labels, torch.tensor([False, False]), 2)
    assert float(kept) == pytest.approx(0.5 * (2 * 1.0 + 2 * 1.0) / 4)  # each centre off by 1, n_c = 2


def test_gradient_balance_makes_the_teacher_match_cross_entropy_within_its_cap():
    balance = GradientBalance(momentum=0.0, max_weight=10.0)
    balance.update(torch.tensor([3.0, 4.0]), torch.tensor([0.5, 0.0]))
    assert balance.weight(0.5) == pytest.approx(10.0)  # 5 / 0.5 = 10
    balance.update(torch.tensor([3.0, 4.0]), torch.tensor([0.0, 0.0]))
    assert balance.weight(0.5) == 10.0  # a vanishing teacher gradient is not amplified past the cap
    balance.update(torch.tensor([1.0, 0.0]), torch.tensor([4.0, 0.0]))
    assert balance.weight(0.5) == 1.0  # never below the plain weight


def test_teacher_is_a_checked_setting_and_old_configs_replay_the_paper():
    assert RunConfig(scenario="tiny").teacher == "follow"
    with pytest.raises(ConfigError, match="teacher"):
        RunConfig(scenario="tiny", teacher="oracle")
    saved = RunConfig(scenario="tiny").to_dict()
    del saved["teacher"]
    assert RunConfig.from_dict(saved).teacher == "paper"


def _train_points(runner: HillRunner) -> torch.Tensor:
    from hill_dash.core.metrics import predict

    _, latents = predict(runner.model, runner.scenario.train, runner.choice)
    with torch.no_grad():
        return runner.projection(latents)


def test_no_edit_leaves_the_teacher_term_at_zero_at_the_interaction_point(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    runner.train()
    runner.set_targets_from_edits(runner.snapshot().coords, [])
    runner._set_row_targets()
    points = _train_points(runner)
    edited, kept = follow_loss(points, runner.teacher.targets, tiny.train.y, runner.teacher.edited, 3)
    assert float(edited) == 0.0 and float(kept) < 1e-10
    assert float(follow_loss(points, runner.teacher.targets)[0]) < 1e-10  # every row sits on its own target


def test_an_edit_moves_the_edited_class_rows_targets_by_the_asked_shift(tiny, tmp_path):
    runner = HillRunner.create(tiny, _config(), tmp_path)
    runner.train()
    snap = runner.snapshot()
    rows = np.flatnonzero(snap.labels == 1)
    final = snap.coords.copy()
    final[rows] += np.array([0.7, -0.2], dtype=np.float32)
    runner.set_targets_from_edits(final, [move_edit("class", snap.coords, rows, final[rows], class_id=1)])
    runner._set_row_targets()
    shift = runner.teacher.targets.numpy() - _train_points(runner).numpy()
    ones = tiny.train.y.numpy() == 1
    assert np.allclose(shift[ones], [0.7, -0.2], atol=1e-4) and np.allclose(shift[~ones], 0.0, atol=1e-5)


def _validation_sentinel(runner: HillRunner, val_x: torch.Tensor) -> list[int]:
    """Counts forward passes that build a graph (grad enabled) on a batch holding any validation row."""
    hits: list[int] = []
    flat = val_x.detach().flatten(1)

    def check(_module, inputs):
        x = inputs[0]
        if torch.is_grad_enabled():
            same = (x.detach().flatten(1)[:, None, :] == flat[None, :, :]).all(dim=-1).any(dim=1)
            hits.append(int(same.sum()))

    runner.model.register_forward_pre_hook(check)
    return hits


@pytest.mark.parametrize("teacher", ["follow", "paper"])
def test_no_validation_row_contributes_a_gradient(tiny, tmp_path, teacher):
    sentinel = tiny.val.x.clone().requires_grad_(True)
    scenario = replace(tiny, val=Split(sentinel, tiny.val.y))
    runner = HillRunner.create(scenario, _config(teacher=teacher, direction_weight=0.05), tmp_path)
    runner.train()
    hits = _validation_sentinel(runner, sentinel)
    snap = runner.snapshot()
    rows = np.flatnonzero(snap.labels == 0)
    final = snap.coords.copy()
    final[rows] *= 0.5
    edits = [move_edit("collapse", snap.coords, rows, final[rows], class_id=0),
             Edit(kind="arrow", indices=(3,), arrow=(0.4, -0.3)), Edit(kind="arrow", indices=(5,), arrow=(-1.0, 0.0))]
    runner.set_targets_from_edits(final, edits)
    metrics = runner.train()[-1]
    assert metrics.mode == "hill" and metrics.loss["direction"] is not None  # both terms were trained
    assert hits and sum(hits) == 0  # graphs were built, none on a validation row
    assert sentinel.grad is None or not sentinel.grad.abs().any()
