"""Per-run measures that apply one rule to every run, HILL and baseline alike, so both arms share one null.

A run's curve here is its validation accuracy over the interactive phase (epochs after the shared checkpoint),
as an array whose last axis is the epoch. The measures never compare a run with a reference computed from one arm
only (the old "best gain over the baseline mean" did, and found gains in pure noise):

- best_acc: the run's own highest interactive-phase accuracy (a maximum over epochs, taken in every run);
- epochs_to_target: interactive epochs until the run first reaches the target, where the target is the mean final
  accuracy of ALL runs of the scenario (both arms), a rule that does not depend on a run's arm, so relabelling
  runs leaves it unchanged and a permutation test over the arms is exact. A run that never reaches it counts as
  one epoch more than the phase has (`censored`), which the permutation test handles like any other value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.baseline import baseline_runs, hill_runs
from analysis.schema import AnalysisError


def best_acc(curves: np.ndarray) -> np.ndarray:
    """The highest value along the last (epoch) axis of every run."""
    return np.asarray(curves, dtype=float).max(axis=-1)


def pooled_target(finals: np.ndarray) -> np.ndarray:
    """The mean final accuracy over all runs (last axis), the same target for every run."""
    return np.asarray(finals, dtype=float).mean(axis=-1)


def epochs_to_target(curves: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Epochs (1-based within the phase) until each run first reaches `target`; phase length + 1 when it never does.

    `curves` is (..., runs, epochs); `target` has the leading shape (...,).
    """
    curves = np.asarray(curves, dtype=float)
    reached = curves >= np.asarray(target, dtype=float)[..., None, None] - 1e-12
    first = reached.argmax(axis=-1) + 1
    return np.where(reached.any(axis=-1), first, curves.shape[-1] + 1).astype(float)


def interactive_matrix(runs: pd.DataFrame, scenario: str, metric: str = "val_acc"
                       ) -> tuple[np.ndarray, np.ndarray, list[str], list[str], np.ndarray, list[str]]:
    """The interactive-phase curves of one scenario as (HILL runs x epochs) and (baseline seeds x epochs).

    Only epochs every run has are kept (the model needs complete curves); returns hill, base, the HILL run ids,
    the baseline run ids, the epochs and a note per thing left out.
    """
    hill, base = hill_runs(runs, scenario), baseline_runs(runs, scenario)
    frame = pd.concat([hill, base], ignore_index=True)
    frame = frame[frame["phase"] == "interactive"]
    if frame.empty:
        raise AnalysisError(f"scenario {scenario}: no interactive-phase epochs to compare")
    wide = frame.pivot_table(index="run_id", columns="epoch", values=metric, aggfunc="first")
    notes = []
    complete = wide.columns[wide.notna().all(axis=0)]
    if len(complete) < wide.shape[1]:
        notes.append(f"{wide.shape[1] - len(complete)} interactive epoch(s) of {scenario} are missing in some run "
                     f"and were left out of the curve model")
    wide = wide[complete]
    if wide.shape[1] == 0:
        raise AnalysisError(f"scenario {scenario}: no interactive epoch is shared by every run")
    hill_ids = sorted(set(hill["run_id"].astype(str)) & set(wide.index.astype(str)))
    base_ids = sorted(set(base["run_id"].astype(str)) & set(wide.index.astype(str)))
    wide.index = wide.index.astype(str)
    return (wide.loc[hill_ids].to_numpy(dtype=float), wide.loc[base_ids].to_numpy(dtype=float), hill_ids,
            base_ids, np.asarray(wide.columns, dtype=int), notes)


def at_ceiling(values: np.ndarray, top: float = 1.0) -> float:
    """The fraction of values at the top of their scale (e.g. 100% accuracy)."""
    values = np.asarray(values, dtype=float)
    return float(np.mean(np.isclose(values, top))) if values.size else 0.0


def tie_fraction(values: np.ndarray) -> float:
    """The fraction of values that share their value with another one."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return 0.0
    _, counts = np.unique(np.round(values, 12), return_counts=True)
    return float(counts[counts > 1].sum() / values.size)
