"""The baseline's seed band: how much validation accuracy varies over seeds without any human in the loop.

A HILL gain only means something against this band: the same pretrained checkpoint trained with alpha = 0 over
several seeds (DESIGN.md, "Baselines").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.distributions import t_ppf
from analysis.schema import AnalysisError, validate_runs


def baseline_runs(runs: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The baseline rows of one scenario; `AnalysisError` with the command to run when there are none."""
    runs = validate_runs(runs)
    rows = runs[(runs["condition"] == "baseline") & (runs["scenario"] == scenario)]
    if rows.empty:
        raise AnalysisError(
            f"no baseline runs for scenario {scenario}: run `hill-dash baseline ...` for {scenario} "
            "(several seeds) before comparing HILL runs against it"
        )
    return rows


def hill_runs(runs: pd.DataFrame, scenario: str) -> pd.DataFrame:
    """The participants' (HILL) rows of one scenario; `AnalysisError` when there are none."""
    runs = validate_runs(runs)
    rows = runs[(runs["condition"] == "hill") & (runs["scenario"] == scenario)]
    if rows.empty:
        raise AnalysisError(f"no HILL runs for scenario {scenario}: no participant has trained this scenario yet")
    return rows


def scenarios_of(runs: pd.DataFrame) -> list[str]:
    """The scenarios that have HILL runs, sorted; `AnalysisError` when the table has none."""
    runs = validate_runs(runs)
    names = sorted(runs.loc[runs["condition"] == "hill", "scenario"].astype(str).unique())
    if not names:
        raise AnalysisError("no HILL runs at all: the runs table holds no row with condition 'hill'")
    return names


def baseline_band(runs: pd.DataFrame, scenario: str | None = None, confidence: float = 0.95,
                  metric: str = "val_acc") -> pd.DataFrame:
    """Per scenario and epoch, the baseline's spread over seeds.

    Columns: scenario, epoch, n_seeds, mean, sd, min, max,
    `ci_low`/`ci_high` -- the t-based confidence interval OF THE MEAN (mean +- t * sd / sqrt(n)): where the
    expected baseline curve lies; narrows with more seeds;
    `pct_low`/`pct_high` -- the (1 - confidence)/2 .. (1 + confidence)/2 PERCENTILE band of the seeds themselves
    (2.5-97.5 for 95%, linear interpolation): where a single new baseline run is expected to land.
    With one seed the intervals collapse to that seed's value.
    """
    runs = validate_runs(runs)
    names = [scenario] if scenario is not None else sorted(runs["scenario"].astype(str).unique())
    frames = []
    for name in names:
        by_epoch = baseline_runs(runs, name).groupby("epoch", sort=True)[metric]
        table = by_epoch.agg(n_seeds="size", mean="mean", sd="std", min="min", max="max")
        table["sd"] = table["sd"].fillna(0.0)  # one seed: no spread
        dof = (table["n_seeds"] - 1).clip(lower=1)
        half = np.asarray(t_ppf(0.5 + confidence / 2, dof)) * table["sd"] / np.sqrt(table["n_seeds"])
        table["ci_low"], table["ci_high"] = table["mean"] - half, table["mean"] + half
        table["pct_low"] = by_epoch.quantile((1 - confidence) / 2)  # linear interpolation, as np.percentile
        table["pct_high"] = by_epoch.quantile((1 + confidence) / 2)
        frames.append(table.reset_index().assign(scenario=name))
    columns = ["scenario", "epoch", "n_seeds", "mean", "sd", "min", "max", "ci_low", "ci_high", "pct_low", "pct_high"]
    band = pd.concat(frames, ignore_index=True)[columns]
    band["epoch"] = band["epoch"].astype(int)
    return band


def baseline_at(band: pd.DataFrame, scenario: str, epoch: int) -> pd.Series:
    """The band's row for one scenario and epoch; `AnalysisError` when the baseline never reached that epoch."""
    row = band[(band["scenario"] == scenario) & (band["epoch"] == epoch)]
    if row.empty:
        last = band.loc[band["scenario"] == scenario, "epoch"].max()
        raise AnalysisError(
            f"the baseline of scenario {scenario} stops at epoch {last} but a HILL run reaches epoch {epoch}: "
            f"train the baselines to the same end epoch (`hill-dash baseline ...`)"
        )
    return row.iloc[0]
