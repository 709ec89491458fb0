"""Random-intercept models on balanced data, in closed form (and so vectorised over simulated studies).

Both mixed models of the report have one random intercept per unit (a participant, or a baseline seed), a
between-unit factor (condition) and a within-unit factor crossed with it (epoch, or scenario), every unit observed
at every level. For such balanced data REML has a closed form (the ANOVA estimators when they are positive):

    MSB = between-unit mean square of the residuals from the cell means, on N - 2 df
    MSW = within-unit mean square, on (N - 2)(L - 1) df
    sigma2_e = MSW,   sigma2_u = max(0, (MSB - MSW) / L)   (a singular fit when MSB <= MSW)

The condition main effect (averaged over levels) is tested against MSB alone: a t on N - 2 df, exactly the
whole-plot test of a split-plot design, valid whatever the covariance within a unit. A contrast at one level
(HILL - baseline at one epoch) takes that level's own variance, s2_l = the pooled within-arm variance at level l,
Var = s2_l (1/n_hill + 1/n_base) on N - 2 df: the level-specific residual variance of the same model, which a
learning curve needs (runs leave the shared checkpoint together, so their spread grows over the first epochs,
and one variance pooled over all epochs made the contrasts at the end reject too often).
`analysis.mixed` fits the same models with statsmodels for unbalanced data and the tests compare both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.distributions import t_sf


@dataclass
class BalancedFit:
    """Arrays over a leading 'study' axis (scalars for one study). `contrast[..., l]` is HILL - baseline at level l."""

    contrast: np.ndarray
    contrast_se: np.ndarray
    contrast_df: int
    contrast_p: np.ndarray
    main: np.ndarray
    main_se: np.ndarray
    main_df: int
    main_p: np.ndarray
    unit_var: np.ndarray
    residual_var: np.ndarray
    singular: np.ndarray


def fit_balanced(hill: np.ndarray, base: np.ndarray) -> BalancedFit:
    """Fit the model to `hill` (..., n_hill, L) and `base` (..., n_base, L): units by levels."""
    hill, base = np.asarray(hill, dtype=float), np.asarray(base, dtype=float)
    nh, nb, levels = hill.shape[-2], base.shape[-2], hill.shape[-1]
    n_units = nh + nb
    mean_h, mean_b = hill.mean(axis=-2), base.mean(axis=-2)
    res = np.concatenate([hill - mean_h[..., None, :], base - mean_b[..., None, :]], axis=-2)
    unit_mean = res.mean(axis=-1)
    df_b, df_w = n_units - 2, (n_units - 2) * (levels - 1)
    msb = levels * (unit_mean**2).sum(axis=-1) / df_b
    within = ((res - unit_mean[..., None]) ** 2).sum(axis=(-2, -1))
    msw = within / df_w if df_w > 0 else np.zeros_like(msb)
    unit_var = np.maximum(0.0, (msb - msw) / levels)
    singular = msb <= msw
    scale = 1 / nh + 1 / nb
    level_var = (res**2).sum(axis=-2) / df_b  # pooled within-arm variance at each level
    with np.errstate(divide="ignore", invalid="ignore"):
        contrast = mean_h - mean_b
        contrast_se = np.sqrt(level_var * scale)
        t = np.where(contrast_se > 0, contrast / contrast_se, np.nan)
        main = contrast.mean(axis=-1)
        main_se = np.sqrt(msb / levels * scale)
        main_t = np.where(main_se > 0, main / main_se, np.nan)
    return BalancedFit(
        contrast=contrast, contrast_se=contrast_se, contrast_df=df_b,
        contrast_p=2 * t_sf(np.abs(t), df_b), main=main, main_se=main_se, main_df=df_b,
        main_p=2 * t_sf(np.abs(main_t), df_b), unit_var=unit_var, residual_var=msw, singular=singular,
    )
