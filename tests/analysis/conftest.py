"""Test data for the analysis package: exact hand-made runs and a small seeded random study."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pytest

from analysis.schema import RUNS_COLUMNS


def run_rows(scenario: str, condition: str, participant: str | None, seed: int, accs: Sequence[float],
             pretrain_until: int = 3, interactions: Sequence[int] = (3, 5), first_epoch: int = 1,
             study: str = "s1", simulated: bool = False) -> pd.DataFrame:
    """One run as rows of the runs table, with the given accuracy per epoch (epochs count from first_epoch)."""
    epochs = np.arange(first_epoch, first_epoch + len(accs))
    run_id = f"{scenario}-{participant}" if participant else f"{scenario}-base-{seed}"
    frame = pd.DataFrame({
        "study": study, "participant": participant, "scenario": scenario, "condition": condition, "seed": seed,
        "run_id": run_id, "epoch": epochs, "val_acc": np.asarray(accs, dtype=float),
        "val_macro_f1": np.asarray(accs, dtype=float) - 0.01, "loss_total": 1.0, "loss_ce": 1.0,
        "loss_human": 0.0, "loss_scale": 0.0, "loss_direction": 0.0,
        "interaction_point": np.isin(epochs, interactions),
        "phase": np.where(epochs > pretrain_until, "interactive", "pretrain"), "simulated": simulated,
    })
    return frame[list(RUNS_COLUMNS)]


def random_study(seed: int = 0, n_participants: int = 6, n_seeds: int = 4, scenarios: Sequence[str] = ("a", "b"),
                 effect: float = 0.02, n_epochs: int = 12, pretrain_until: int = 4, noise: float = 0.005,
                 skewed: Sequence[str] = (), interactions: Sequence[int] = (4, 7, 10),
                 simulated: bool = False) -> pd.DataFrame:
    """Baselines and HILL runs around a rising curve; HILL adds `effect` after pretraining.

    In the scenarios named in `skewed` the participants' effects are strongly right-skewed (one large outlier),
    so their gains are not normal.
    """
    rng = np.random.default_rng(seed)
    epochs = np.arange(1, n_epochs + 1)
    frames = []
    for scenario in scenarios:
        curve = 0.9 - 0.4 * np.exp(-epochs / 3)
        shared = curve.copy()
        after = epochs > pretrain_until
        for s in range(n_seeds):
            accs = np.where(after, curve + rng.normal(0, noise, n_epochs), shared)
            frames.append(run_rows(scenario, "baseline", None, s, accs, pretrain_until, interactions,
                                   simulated=simulated))
        offsets = rng.normal(effect, effect / 4, n_participants)
        if scenario in skewed:
            offsets = np.r_[np.full(n_participants - 1, effect / 4) + rng.normal(0, 1e-4, n_participants - 1),
                            effect * 12]
        for i, offset in enumerate(offsets):
            accs = np.where(after, curve + offset + rng.normal(0, noise, n_epochs), shared)
            frames.append(run_rows(scenario, "hill", f"P{i + 1}", 0, accs, pretrain_until, interactions,
                                   simulated=simulated))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def make_run() -> Callable[..., pd.DataFrame]:
    """`run_rows`: one exact run."""
    return run_rows


@pytest.fixture
def make_study() -> Callable[..., pd.DataFrame]:
    """`random_study`: a small seeded random runs table."""
    return random_study
