"""What each participant's HILL run gained over the baseline, and how fast it got there.

Definitions (accuracy in the units of `val_acc`, i.e. a fraction; multiply by 100 for percentage points):

- final_gain: the run's accuracy at its final epoch minus the baseline seed mean at that same epoch.
- best_gain: the largest epoch-wise gain (run accuracy minus baseline mean at the same epoch) over the run's
  interactive phase; `best_gain_epoch` says where.
- exceeds_band: the final accuracy is above the highest baseline seed at the final epoch.
- epochs_to_reach: training epochs counted from the start of the interactive phase until the run first reaches
  the baseline's final mean accuracy (missing when it never does); the same count for the baseline mean curve is
  `baseline_epochs_to_reach`, so `epochs_saved` = baseline - HILL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from analysis.baseline import baseline_at, baseline_band, hill_runs, scenarios_of
from analysis.schema import AnalysisError, validate_runs


def mean_last_axis(values: np.ndarray) -> np.ndarray:
    """The mean along the last axis (the default bootstrap statistic)."""
    return np.mean(values, axis=-1)


def bootstrap_ci(values: np.ndarray | list[float], statistic: Callable[[np.ndarray], np.ndarray] = mean_last_axis,
                 n_boot: int = 2000, seed: int = 0, confidence: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of `statistic` over `values` (resampled with replacement, seeded).

    `statistic` reduces the last axis of an array (all resamples are evaluated in one call), e.g.
    `analysis.inference.rank_biserial`. Needs at least two finite values; `AnalysisError` otherwise.
    """
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if len(data) < 2:
        raise AnalysisError(f"a bootstrap interval needs at least 2 values, got {len(data)}")
    if n_boot < 1:
        raise AnalysisError(f"n_boot must be a positive number of resamples, got {n_boot}")
    rng = np.random.default_rng(seed)
    samples = data[rng.integers(0, len(data), size=(n_boot, len(data)))]
    estimates = np.asarray(statistic(samples), dtype=float)
    if estimates.shape != (n_boot,):
        raise ValueError(f"statistic must reduce the last axis; it returned shape {estimates.shape}")
    estimates = estimates[np.isfinite(estimates)]
    alpha = (1 - confidence) / 2
    return float(np.quantile(estimates, alpha)), float(np.quantile(estimates, 1 - alpha))


def first_epoch_reaching(epochs: np.ndarray, values: np.ndarray, target: float) -> int | None:
    """The first epoch whose value is at least `target` (epochs in ascending order), None if none is."""
    order = np.argsort(epochs)
    hits = np.nonzero(np.asarray(values, dtype=float)[order] >= target)[0]
    return int(np.asarray(epochs)[order][hits[0]]) if len(hits) else None


def interactive_start(runs: pd.DataFrame, scenario: str) -> int:
    """The first interactive epoch of a scenario's HILL runs (the epoch count for convergence starts before it)."""
    rows = hill_runs(runs, scenario)
    interactive = rows.loc[rows["phase"] == "interactive", "epoch"]
    if interactive.empty:
        raise AnalysisError(f"scenario {scenario}: HILL runs have no 'interactive' epochs; nothing to compare")
    return int(interactive.min())


def _epochs_from_start(epoch: int | None, start: int) -> int | None:
    return None if epoch is None else max(0, epoch - start + 1)


def _run_gains(run: pd.DataFrame, band: pd.DataFrame, scenario: str, start: int) -> dict:
    run = run.sort_values("epoch")
    first = run.iloc[0]
    final_epoch = int(run["epoch"].iloc[-1])
    final_acc = float(run["val_acc"].iloc[-1])
    base_final = baseline_at(band, scenario, final_epoch)
    interactive = run[run["phase"] == "interactive"].merge(
        band[band["scenario"] == scenario][["epoch", "mean"]], on="epoch", how="inner")
    if interactive.empty:
        raise AnalysisError(f"run {first['run_id']}: no interactive epoch overlaps the baseline's epochs")
    diffs = interactive["val_acc"].to_numpy(dtype=float) - interactive["mean"].to_numpy(dtype=float)
    best = int(np.argmax(diffs))
    target = float(base_final["mean"])
    reached = first_epoch_reaching(run["epoch"].to_numpy(), run["val_acc"].to_numpy(), target)
    return {
        "study": first["study"], "scenario": scenario, "participant": first["participant"],
        "run_id": first["run_id"], "simulated": bool(run["simulated"].any()),
        "final_epoch": final_epoch, "final_acc": final_acc,
        "best_acc": float(interactive["val_acc"].max()),
        "baseline_final_mean": target, "baseline_final_max": float(base_final["max"]),
        "final_gain": final_acc - target, "best_gain": float(diffs[best]),
        "best_gain_epoch": int(interactive["epoch"].iloc[best]),
        "exceeds_band": bool(final_acc > float(base_final["max"])),
        "epoch_reached": reached, "epochs_to_reach": _epochs_from_start(reached, start),
    }


def participant_gains(runs: pd.DataFrame, scenario: str | None = None) -> pd.DataFrame:
    """One row per HILL run: final/best accuracy and gain, band exceedance and convergence (see module doc)."""
    runs = validate_runs(runs)
    rows = []
    for name in [scenario] if scenario is not None else scenarios_of(runs):
        band = baseline_band(runs, name)
        start = interactive_start(runs, name)
        curve = band[band["scenario"] == name]
        final_mean = float(curve.sort_values("epoch")["mean"].iloc[-1])
        base_epoch = first_epoch_reaching(curve["epoch"].to_numpy(), curve["mean"].to_numpy(), final_mean)
        for _, run in hill_runs(runs, name).groupby("run_id", sort=True):
            row = _run_gains(run, band, name, start)
            row["baseline_epochs_to_reach"] = _epochs_from_start(base_epoch, start)
            rows.append(row)
    out = pd.DataFrame(rows)
    for column in ("epoch_reached", "epochs_to_reach", "baseline_epochs_to_reach"):
        out[column] = out[column].astype("Int64")
    out["epochs_saved"] = out["baseline_epochs_to_reach"] - out["epochs_to_reach"]
    return out


def by_scenario(gains: pd.DataFrame, measure: str) -> Iterator[tuple[str, pd.DataFrame, np.ndarray]]:
    """(scenario, its rows, the `measure` values) per scenario of a gains table; `AnalysisError` if unusable."""
    if gains.empty:
        raise AnalysisError("no HILL runs to analyse: the gains table is empty")
    if measure not in gains.columns:
        raise AnalysisError(f"gains table has no column {measure!r}; use 'final_gain' or 'best_gain'")
    for name, group in gains.groupby("scenario", sort=True):
        yield str(name), group, group[measure].to_numpy(dtype=float)


def gain_summary(gains: pd.DataFrame, measure: str = "final_gain", n_boot: int = 2000, seed: int = 0,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Per scenario: n, mean, sd and a seeded percentile-bootstrap interval of the mean of `measure`.

    Also counts how many runs exceed the seed band. With a single participant the interval is left empty
    and `note` says why.
    """
    rows = []
    for name, group, values in by_scenario(gains, measure):
        row = {"scenario": name, "measure": measure, "n": len(values), "mean": float(values.mean()),
               "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0,
               "ci_low": None, "ci_high": None, "n_exceeds_band": int(group["exceeds_band"].sum()), "note": ""}
        if len(values) > 1:
            row["ci_low"], row["ci_high"] = bootstrap_ci(values, n_boot=n_boot, seed=seed, confidence=confidence)
        else:
            row["note"] = "one participant: no interval"
        rows.append(row)
    return pd.DataFrame(rows)
