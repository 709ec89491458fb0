"""Questionnaires per person: one participant rated both scenarios, in a counterbalanced order.

This is a two-period crossover. With y_A, y_B a participant's scores and p = first - second their period
difference, the scenario effect (A - B) is half the difference of the mean period differences of the two order
groups, and the order (period) effect half their sum (Jones & Kenward, ch. 2). The scenario effect is tested by an
exact permutation test of the order-group labels on p: it needs no normality and no ranks, so participants who
gave both scenarios the same score (zero differences) stay in the test instead of being dropped. The order check
is the usual t on the pooled within-group variance of p (N - 2 df), a diagnostic rather than a verdict.
Without both order groups the scenario effect cannot be told apart from order, so the test falls back to an exact
sign-flip permutation test of A - B (zeros again kept) and says that order was not modelled.
"""

from __future__ import annotations

import itertools
import math
from functools import lru_cache

import numpy as np

from analysis.distributions import t_sf, ttest_1samp_p
from analysis.twosample import permutation_p

SIGN_FLIP_LIMIT = 16  # 2**16 sign patterns at most: beyond that the order groups are always there in practice


@lru_cache(maxsize=8)
def _signs(n: int) -> np.ndarray:
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    signs.setflags(write=False)
    return signs


def sign_flip_p(d: np.ndarray) -> np.ndarray:
    """Exact two-sided sign-flip permutation p of mean(d) = 0 along the last axis (zeros flip to themselves)."""
    d = np.asarray(d, dtype=float)
    if d.shape[-1] > SIGN_FLIP_LIMIT:
        raise ValueError(f"at most {SIGN_FLIP_LIMIT} differences for the exact sign-flip test")
    means = d @ _signs(d.shape[-1]).T / d.shape[-1]
    observed = np.abs(d.mean(axis=-1, keepdims=True))
    return (np.abs(means) >= observed - 1e-9 * np.maximum(np.abs(d).max(axis=-1, keepdims=True), 1e-300)).mean(-1)


def crossover_arrays(y_a: np.ndarray, y_b: np.ndarray, a_first: np.ndarray) -> dict[str, np.ndarray]:
    """The crossover analysis along the last (participant) axis; `a_first` is one bool per participant.

    Returns the scenario effect (A - B) and its permutation p, the order effect (how much higher the first
    period scored than the second) with its t and p, and the number of zero differences.
    """
    y_a, y_b = np.asarray(y_a, dtype=float), np.asarray(y_b, dtype=float)
    a_first = np.asarray(a_first, dtype=bool)
    d = y_a - y_b
    out: dict[str, np.ndarray] = {"n": np.asarray(d.shape[-1]), "zeros": (d == 0).sum(axis=-1),
                                  "mean_difference": d.mean(axis=-1)}
    n_ab, n_ba = int(a_first.sum()), int((~a_first).sum())
    if n_ab < 2 or n_ba < 2:
        out.update(effect=d.mean(axis=-1), p=sign_flip_p(d) if d.shape[-1] <= SIGN_FLIP_LIMIT else
                   ttest_1samp_p(d), order_modelled=np.asarray(False),
                   order_effect=np.full(d.shape[:-1], np.nan), order_p=np.full(d.shape[:-1], np.nan))
        return out
    period = np.where(a_first, d, -d)  # first - second
    p_ab, p_ba = period[..., a_first], period[..., ~a_first]
    effect = (p_ab.mean(axis=-1) - p_ba.mean(axis=-1)) / 2
    order = (p_ab.mean(axis=-1) + p_ba.mean(axis=-1)) / 2
    pooled = ((n_ab - 1) * p_ab.var(axis=-1, ddof=1) + (n_ba - 1) * p_ba.var(axis=-1, ddof=1)) / (n_ab + n_ba - 2)
    se = np.sqrt(pooled * (1 / n_ab + 1 / n_ba)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        order_t = np.where(se > 0, order / se, np.nan)
    perm, _ = permutation_p(p_ab, p_ba)
    all_equal = (np.ptp(period, axis=-1) == 0)
    out.update(effect=effect, p=np.where(all_equal, 1.0, perm), order_modelled=np.asarray(True), order_effect=order,
               order_t=order_t, order_p=2 * t_sf(np.abs(order_t), n_ab + n_ba - 2))
    return out


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm-adjusted p-values (None stays None), in the given order."""
    tested = [(p, i) for i, p in enumerate(p_values) if p is not None and not math.isnan(p)]
    tested.sort()
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, index) in enumerate(tested):
        running = max(running, min(1.0, (len(tested) - rank) * p))
        adjusted[index] = running
    return adjusted
