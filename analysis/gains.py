"""What each participant's HILL run ended at, against the baseline seeds (a description, not a test).

- final_gain: the run's accuracy at its final epoch minus the baseline seed mean at that same epoch. A
  description only: tests compare the runs with the seeds as two samples (`analysis.primary`), never with the
  seeds' mean treated as known.
- exceeds_band: the final accuracy is above the highest baseline seed at the final epoch. With no effect a run
  lands above all n seeds with probability 1 / (n + 1), and outside the seeds' range with 2 / (n + 1)
  (`expected_outside_band`), so a count of runs "above the band" means little without that expectation.
"""

from __future__ import annotations

import pandas as pd

from analysis.baseline import baseline_at, baseline_band, hill_runs, scenarios_of
from analysis.schema import validate_runs


def expected_outside_band(n_seeds: int) -> dict[str, float]:
    """Under no effect: the chance that a run ends above the highest of `n_seeds` seeds, and outside their range."""
    return {"above": 1 / (n_seeds + 1), "outside": 2 / (n_seeds + 1)}


def participant_gains(runs: pd.DataFrame, scenario: str | None = None) -> pd.DataFrame:
    """One row per HILL run: final accuracy, final gain over the seed mean and whether it ends above every seed."""
    runs = validate_runs(runs)
    rows = []
    for name in [scenario] if scenario is not None else scenarios_of(runs):
        band = baseline_band(runs, name)
        for _, run in hill_runs(runs, name).groupby("run_id", sort=True):
            run = run.sort_values("epoch")
            first = run.iloc[0]
            final_epoch = int(run["epoch"].iloc[-1])
            final_acc = float(run["val_acc"].iloc[-1])
            base = baseline_at(band, name, final_epoch)
            rows.append({
                "study": first["study"], "scenario": name, "participant": first["participant"],
                "run_id": first["run_id"], "simulated": bool(run["simulated"].any()), "final_epoch": final_epoch,
                "final_acc": final_acc, "baseline_final_mean": float(base["mean"]),
                "baseline_final_max": float(base["max"]), "final_gain": final_acc - float(base["mean"]),
                "exceeds_band": bool(final_acc > float(base["max"])),
            })
    return pd.DataFrame(rows)
