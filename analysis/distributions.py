"""The few distribution functions the report needs, on `scipy.special` alone.

Importing `scipy.stats` takes most of a second (it builds every distribution's documentation at import), which is
more than the whole report computes; these are the same special functions `scipy.stats` calls underneath.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special

# Royston (1995), algorithm AS R94: polynomial coefficients of the Shapiro-Wilk weights and of the normalising
# transformation of W (the values scipy.stats.shapiro's swilk uses).
_C1 = (0.0, 0.221157, -0.147981, -2.071190, 4.434685, -2.706056)
_C2 = (0.0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633)
_C3 = (0.5440, -0.39978, 0.025054, -6.714e-4)
_C4 = (1.3822, -0.77857, 0.062767, -0.0020322)
_C5 = (-1.5861, -0.31082, -0.083751, 0.0038915)
_C6 = (-0.4803, -0.082676, 0.0030302)
_G = (-2.273, 0.459)


def t_sf(t: np.ndarray | float, df: np.ndarray | float) -> np.ndarray:
    """P(T > t) for Student's t with `df` degrees of freedom (as scipy.stats.t.sf)."""
    return special.stdtr(df, -np.asarray(t, dtype=float))


def t_ppf(q: np.ndarray | float, df: np.ndarray | float) -> np.ndarray:
    """The `q` quantile of Student's t with `df` degrees of freedom (as scipy.stats.t.ppf)."""
    return special.stdtrit(df, q)


def nct_cdf(t: float, df: float, ncp: float) -> float:
    """P(T <= t) for the noncentral t (as scipy.stats.nct.cdf)."""
    return float(np.clip(special.nctdtr(df, ncp, t), 0.0, 1.0))


def ttest_1samp_p(d: np.ndarray, axis: int = -1) -> np.ndarray:
    """Two-sided p of the one-sample t test of mean 0 along `axis` (as scipy.stats.ttest_1samp(d, 0).pvalue)."""
    d = np.asarray(d, dtype=float)
    n = d.shape[axis]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = d.mean(axis=axis) / (d.std(axis=axis, ddof=1) / math.sqrt(n))
    return 2 * t_sf(np.abs(t), n - 1)


def root(f: Callable[[float], float], low: float, high: float, xtol: float = 2e-12, rtol: float = 4 * np.finfo(float).eps,
         maxiter: int = 200) -> float:
    """A root of `f` in [low, high], where f changes sign (Brent's method, as scipy.optimize.brentq)."""
    a, b = float(low), float(high)
    fa, fb = f(a), f(b)
    if fa == 0:
        return a
    if fb == 0:
        return b
    if fa * fb > 0:
        raise ValueError(f"f({a}) and f({b}) have the same sign; the interval holds no root")
    c, fc, d = a, fa, b - a
    e = d
    for _ in range(maxiter):
        if fb * fc > 0:
            c, fc, d = a, fa, b - a
            e = d
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol = 2 * rtol * abs(b) + xtol / 2
        m = (c - b) / 2
        if abs(m) <= tol or fb == 0:
            return b
        if abs(e) >= tol and abs(fa) > abs(fb):
            s = fb / fa
            if a == c:
                p, q = 2 * m * s, 1 - s
            else:
                q, r = fa / fc, fb / fc
                p = s * (2 * m * q * (q - r) - (b - a) * (r - 1))
                q = (q - 1) * (r - 1) * (s - 1)
            if p > 0:
                q = -q
            p = abs(p)
            if 2 * p < min(3 * m * q - abs(tol * q), abs(e * q)):
                e, d = d, p / q
            else:
                d = e = m
        else:
            d = e = m
        a, fa = b, fb
        b += d if abs(d) > tol else (tol if m > 0 else -tol)
        fb = f(b)
    return b


def _poly(coefficients: tuple[float, ...], x: float) -> float:
    return sum(c * x**i for i, c in enumerate(coefficients))


def shapiro_p(values: np.ndarray) -> float:
    """The p value of the Shapiro-Wilk test of normality (Royston's AS R94, as scipy.stats.shapiro) for 3 or more
    values that are not all equal (beyond 5000 values the approximation is less exact, as in scipy)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n < 3:
        raise ValueError(f"the Shapiro-Wilk test needs at least 3 values, got {n}")
    x = x - np.median(x)
    half = n // 2
    if n == 3:
        a = np.array([math.sqrt(0.5)])
    else:
        m = -special.ndtri((np.arange(1, half + 1) - 0.375) / (n + 0.25))  # positive, largest first
        summ2 = 2 * float(np.sum(m**2))
        ssumm2 = math.sqrt(summ2)
        rsn = 1 / math.sqrt(n)
        a1 = _poly(_C1, rsn) + m[0] / ssumm2
        if n > 5:
            a2 = _poly(_C2, rsn) + m[1] / ssumm2
            fac = math.sqrt((summ2 - 2 * m[0] ** 2 - 2 * m[1] ** 2) / (1 - 2 * a1**2 - 2 * a2**2))
            a = np.concatenate([[a1, a2], m[2:] / fac])
        else:
            fac = math.sqrt((summ2 - 2 * m[0] ** 2) / (1 - 2 * a1**2))
            a = np.concatenate([[a1], m[1:] / fac])
    spread = x[::-1][:half] - x[:half]  # x(n+1-i) - x(i)
    ss = float(np.sum((x - x.mean()) ** 2))
    if ss <= 0:
        raise ValueError("the Shapiro-Wilk test needs values that are not all equal")
    w = min(float(np.dot(a, spread)) ** 2 / ss, 1.0)
    if n == 3:
        return float(max(6 / math.pi * (math.asin(math.sqrt(w)) - math.asin(math.sqrt(0.75))), 0.0))
    w1 = math.log(1 - w) if w < 1 else -math.inf
    if n <= 11:
        gamma = _poly(_G, n)
        if w1 >= gamma:
            return 1e-99
        y = -math.log(gamma - w1)
        mean, sd = _poly(_C3, n), math.exp(_poly(_C4, n))
    else:
        xx = math.log(n)
        y, mean, sd = w1, _poly(_C5, xx), math.exp(_poly(_C6, xx))
    return float(special.ndtr(-(y - mean) / sd))
