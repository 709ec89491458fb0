"""Two independent samples: Welch's t, Hedges' g with its interval, and an exact (or seeded Monte Carlo)
permutation test of the difference in means.

Every function works along the last axis, so a stack of simulated studies (shape `(sims, n)`) is tested in one
call; that is what keeps the calibration benchmark and its test at seconds.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np

from analysis.distributions import nct_cdf, root, t_sf
from analysis.schema import AnalysisError

EXACT_LIMIT = 60_000  # enumerate every relabelling up to this many, else sample
N_RANDOM = 20_000


def welch(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Welch's t of mean(x) - mean(y): (t, Welch-Satterthwaite df, two-sided p) along the last axis.

    Where either sample has no spread the values are NaN: its variance cannot be estimated (e.g. every baseline
    seed at 100%), and the permutation test is the one to read.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    nx, ny = x.shape[-1], y.shape[-1]
    vx, vy = x.var(axis=-1, ddof=1) / nx, y.var(axis=-1, ddof=1) / ny
    se2 = vx + vy
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (x.mean(axis=-1) - y.mean(axis=-1)) / np.sqrt(se2)
        df = se2**2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    t = np.where((vx > 0) & (vy > 0), t, np.nan)
    p = 2 * t_sf(np.abs(t), df)
    return t, df, p


def hedges_g(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Hedges' g: the pooled-SD standardised mean difference with the small-sample correction J."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    nx, ny = x.shape[-1], y.shape[-1]
    pooled = ((nx - 1) * x.var(axis=-1, ddof=1) + (ny - 1) * y.var(axis=-1, ddof=1)) / (nx + ny - 2)
    correction = 1 - 3 / (4 * (nx + ny) - 9)
    with np.errstate(divide="ignore", invalid="ignore"):
        return correction * (x.mean(axis=-1) - y.mean(axis=-1)) / np.sqrt(pooled)


def noncentral_interval(t_obs: float, df: float, confidence: float = 0.95) -> tuple[float, float]:
    """The interval of the noncentrality parameter of a t statistic, by inverting the noncentral t cdf."""
    if not math.isfinite(t_obs):
        raise AnalysisError(f"no interval for a t statistic of {t_obs}")
    step = math.sqrt(1 + t_obs**2 / (2 * df))  # about one standard error of the noncentrality

    def solve(tail: float, direction: float) -> float:
        # walk out in doubling steps until the cdf crosses `tail`: small steps keep nct.cdf out of the far tails
        def gap(ncp: float) -> float:
            return nct_cdf(t_obs, df, ncp) - tail

        inner, outer = t_obs, t_obs + direction * step
        for _ in range(60):
            if gap(outer) * gap(inner) <= 0:
                return root(gap, min(inner, outer), max(inner, outer))
            inner, outer = outer, t_obs + 2 * (outer - t_obs)
        raise AnalysisError(f"no interval could be found for t = {t_obs:.3g} with {df} df")

    return solve(0.5 + confidence / 2, -1.0), solve(0.5 - confidence / 2, 1.0)


def hedges_g_ci(x: np.ndarray, y: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Hedges' g of two 1-D samples and its interval (pooled t inverted through the noncentral t, times J)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    nx, ny = len(x), len(y)
    g = float(hedges_g(x, y))
    if not math.isfinite(g):
        raise AnalysisError("Hedges' g needs some spread within the samples; every value is equal")
    correction = 1 - 3 / (4 * (nx + ny) - 9)
    scale = math.sqrt(nx * ny / (nx + ny))
    low, high = noncentral_interval(g / correction * scale, nx + ny - 2, confidence)
    return g, correction * low / scale, correction * high / scale


@lru_cache(maxsize=16)
def _relabellings(n_total: int, n_first: int) -> np.ndarray:
    """Every way to pick `n_first` of `n_total` positions as a 0/1 matrix (one row per relabelling)."""
    rows = np.zeros((math.comb(n_total, n_first), n_total), dtype=np.float64)
    for index, chosen in enumerate(itertools.combinations(range(n_total), n_first)):
        rows[index, list(chosen)] = 1.0
    rows.setflags(write=False)
    return rows


def _random_relabellings(n_total: int, n_first: int, n_random: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    order = np.argsort(rng.random((n_random, n_total)), axis=1)[:, :n_first]
    rows = np.zeros((n_random, n_total))
    np.put_along_axis(rows, order, 1.0, axis=1)
    return rows


def permutation_p(x: np.ndarray, y: np.ndarray, seed: int = 0, n_random: int = N_RANDOM) -> tuple[np.ndarray, bool]:
    """Two-sided permutation p of mean(x) - mean(y) along the last axis, and whether it was exact.

    Exact (every relabelling of the pooled values) when there are at most `EXACT_LIMIT` relabellings, else
    `n_random` seeded random relabellings plus the observed one. A relabelling counts when its |difference| is at
    least the observed one (within rounding), so ties count against the effect.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    nx, ny = x.shape[-1], y.shape[-1]
    pooled = np.concatenate([x, y], axis=-1)
    n = nx + ny
    exact = math.comb(n, nx) <= EXACT_LIMIT
    masks = _relabellings(n, nx) if exact else _random_relabellings(n, nx, n_random, seed)
    total = pooled.sum(axis=-1, keepdims=True)
    first = pooled @ masks.T  # sum of the values labelled x, one column per relabelling
    diffs = first / nx - (total - first) / ny
    observed = x.mean(axis=-1, keepdims=True) - y.mean(axis=-1, keepdims=True)
    scale = np.maximum(np.abs(pooled).max(axis=-1, keepdims=True), 1e-300)
    hits = (np.abs(diffs) >= np.abs(observed) - 1e-9 * scale).sum(axis=-1)
    p = hits / masks.shape[0] if exact else (hits + 1) / (masks.shape[0] + 1)
    return p, exact


def compare(x: np.ndarray, y: np.ndarray, confidence: float = 0.95, seed: int = 0) -> dict:
    """Welch's t, Hedges' g with its interval and the permutation p of two 1-D samples, as one report row."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    row: dict = {"n_hill": len(x), "n_baseline": len(y), "mean_hill": float(np.mean(x)) if len(x) else None,
                 "mean_baseline": float(np.mean(y)) if len(y) else None, "sd_hill": None, "sd_baseline": None,
                 "difference": None, "welch_t": None, "welch_df": None, "welch_p": None, "hedges_g": None,
                 "g_ci_low": None, "g_ci_high": None, "permutation_p": None, "permutation_exact": None, "note": ""}
    if len(x) < 2 or len(y) < 2:
        row["note"] = f"{len(x)} HILL run(s) and {len(y)} baseline seed(s): each arm needs at least 2 to be tested"
        return row
    row.update(sd_hill=float(x.std(ddof=1)), sd_baseline=float(y.std(ddof=1)),
               difference=float(x.mean() - y.mean()))
    if row["sd_hill"] == 0 and row["sd_baseline"] == 0:
        row["note"] = "every run of both arms has the same value; no test is possible"
        return row
    t, df, p = welch(x, y)
    if np.isfinite(t):
        row.update(welch_t=float(t), welch_df=float(df), welch_p=float(p))
    else:
        row["note"] = ("an arm has no spread (e.g. every seed at 100%), so Welch's t cannot be computed; read the "
                       "permutation test")
    row["hedges_g"], row["g_ci_low"], row["g_ci_high"] = hedges_g_ci(x, y, confidence)
    perm, exact = permutation_p(x, y, seed)
    row.update(permutation_p=float(perm), permutation_exact=bool(exact))
    return row
