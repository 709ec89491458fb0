"""How often each test of the report rejects when there is no effect, and when there is one seed SD of it.

A fast synthetic generator (no training) draws studies of the paper's size: per scenario, baseline seeds and HILL
runs from one shared checkpoint, whose interactive-phase curves diverge from it (a per-run offset plus AR(1)
noise, both growing over the first epochs, as seeds do), with accuracies on a finite validation and test set (so
ties and a 100% ceiling happen, as in basicmotions), and a questionnaire item rated on 1-7 by each participant
after each scenario in a counterbalanced order with an order (learning) effect. Under the null, HILL runs come
from the baseline's distribution and the scenarios are rated alike; with an effect, HILL's curve rises by one
baseline seed SD (of the final accuracy) and scenario A is rated one noise SD higher.

Every test is the function the report itself calls, applied to all simulated studies at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.balanced import fit_balanced
from analysis.crossover import crossover_arrays
from analysis.measures import best_acc, epochs_to_target, pooled_target
from analysis.twosample import permutation_p, welch

ALPHA = 0.05
PRIMARY = "primary_permutation_final_val_acc"


@dataclass(frozen=True)
class SimScenario:
    """One scenario's simulated curves: plateau, noise and the size of its validation and test sets."""

    name: str
    start: float
    plateau: float
    run_sd: float
    noise_sd: float
    n_val: int
    n_test: int


SCENARIOS = (SimScenario("digits", 0.80, 0.86, 0.004, 0.004, 360, 360),
             SimScenario("basicmotions", 0.90, 0.97, 0.010, 0.012, 60, 60))


@dataclass(frozen=True)
class Design:
    """The study's shape: the paper's 14 participants, 5 seeds, 20 interactive epochs, points at 30, 35, 40."""

    n_hill: int = 14
    n_seeds: int = 5
    n_epochs: int = 20  # interactive epochs after the shared checkpoint (26..45)
    first_epoch: int = 26
    interaction_epochs: tuple[int, ...] = (30, 35, 40)
    scenarios: tuple[SimScenario, ...] = SCENARIOS


def _curves(rng: np.random.Generator, sims: int, n_runs: int, shape: SimScenario, n_epochs: int,
            shift: float) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(1, n_epochs + 1)
    ramp = 1 - np.exp(-t / 2.0)  # runs leave the shared checkpoint over the first epochs
    mean = shape.plateau - (shape.plateau - shape.start) * np.exp(-t / 6.0) + shift * (1 - np.exp(-t / 3.0))
    offset = rng.normal(0, shape.run_sd, (sims, n_runs, 1))
    noise = np.empty((sims, n_runs, n_epochs))
    phi = 0.6
    noise[..., 0] = rng.normal(0, shape.noise_sd, (sims, n_runs))
    for k in range(1, n_epochs):
        noise[..., k] = phi * noise[..., k - 1] + rng.normal(0, shape.noise_sd * np.sqrt(1 - phi**2), (sims, n_runs))
    truth = mean + ramp * (offset + noise)
    val = np.clip(np.round(truth * shape.n_val) / shape.n_val, 0, 1)
    test_truth = truth[..., -1] + rng.normal(0, shape.noise_sd, (sims, n_runs))
    test = np.clip(np.round(test_truth * shape.n_test) / shape.n_test, 0, 1)
    return val, test


def final_sd(shape: SimScenario) -> float:
    """The baseline seeds' SD of final accuracy in the generator (before rounding): the planted effect's unit."""
    return float(np.hypot(shape.run_sd, shape.noise_sd))


def simulate(rng: np.random.Generator, sims: int, design: Design, effect: float) -> dict[str, np.ndarray]:
    """`sims` studies: curves (sims, scenarios, runs, epochs) per arm, final test accuracy, questionnaire ratings."""
    hill, base, hill_test, base_test = [], [], [], []
    for shape in design.scenarios:
        v, te = _curves(rng, sims, design.n_hill, shape, design.n_epochs, effect * final_sd(shape))
        hill.append(v)
        hill_test.append(te)
        v, te = _curves(rng, sims, design.n_seeds, shape, design.n_epochs, 0.0)
        base.append(v)
        base_test.append(te)
    a_first = np.arange(design.n_hill) % 2 == 0  # counterbalanced
    person = rng.normal(5.4, 0.8, (sims, design.n_hill))
    noise_sd, order_effect = 0.8, 0.4 * effect  # the null has no order effect either: the order check's null
    second = np.where(a_first, 0.0, 1.0)  # 1 where A was the second scenario
    rating_a = person + effect * noise_sd + order_effect * second + rng.normal(0, noise_sd, person.shape)
    rating_b = person + order_effect * (1 - second) + rng.normal(0, noise_sd, person.shape)
    return {"hill": np.stack(hill, 1), "base": np.stack(base, 1), "hill_test": np.stack(hill_test, 1),
            "base_test": np.stack(base_test, 1), "rating_a": np.clip(np.round(rating_a), 1, 7),
            "rating_b": np.clip(np.round(rating_b), 1, 7), "a_first": a_first}


def _standardised(hill: np.ndarray, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per scenario, scale by the pooled within-arm SD, so scenarios of different spread weigh alike."""
    nh, nb = hill.shape[-1], base.shape[-1]
    pooled = ((nh - 1) * hill.var(-1, ddof=1) + (nb - 1) * base.var(-1, ddof=1)) / (nh + nb - 2)
    sd = np.sqrt(np.where(pooled > 0, pooled, 1.0))[..., None]
    return hill / sd, base / sd


def all_p_values(data: dict[str, np.ndarray], design: Design) -> dict[str, np.ndarray]:
    """Every test of the report on every simulated study: name -> p-values (sims,) or (sims, scenarios)."""
    hill, base = data["hill"], data["base"]
    final_h, final_b = hill[..., -1], base[..., -1]
    out: dict[str, np.ndarray] = {}
    out["primary_welch_final_val_acc"] = welch(final_h, final_b)[2]
    out[PRIMARY] = permutation_p(final_h, final_b)[0]
    out["test_acc_welch"] = welch(data["hill_test"], data["base_test"])[2]
    out["test_acc_permutation"] = permutation_p(data["hill_test"], data["base_test"])[0]
    z_h, z_b = _standardised(final_h, final_b)
    # units are participants and seeds, levels the scenarios: (sims, units, scenarios)
    out["hierarchical_final_val_acc"] = fit_balanced(np.swapaxes(z_h, -1, -2), np.swapaxes(z_b, -1, -2)).main_p
    out["best_val_acc_welch"] = welch(best_acc(hill), best_acc(base))[2]
    out["best_val_acc_permutation"] = permutation_p(best_acc(hill), best_acc(base))[0]
    target = pooled_target(np.concatenate([final_h, final_b], axis=-1))
    out["epochs_to_target_permutation"] = permutation_p(epochs_to_target(hill, target),
                                                        epochs_to_target(base, target))[0]
    curve = fit_balanced(hill, base)
    for epoch in design.interaction_epochs:
        out[f"curve_contrast_epoch_{epoch}"] = curve.contrast_p[..., epoch - design.first_epoch]
    out["curve_contrast_end"] = curve.contrast_p[..., -1]
    out["curve_condition_main"] = curve.main_p
    cross = crossover_arrays(data["rating_a"], data["rating_b"], data["a_first"])
    out["questionnaire_scenario_permutation"] = cross["p"]
    out["questionnaire_order_check"] = cross["order_p"]
    return out


def holm_any(p: np.ndarray, alpha: float) -> np.ndarray:
    """Per study (first axis), whether Holm over the last axis rejects anything (i.e. the smallest p < alpha/m)."""
    p = np.nan_to_num(p, nan=1.0)
    return p.min(axis=-1) < alpha / p.shape[-1]


def rejection_rates(p_values: dict[str, np.ndarray], alpha: float = ALPHA) -> dict[str, float]:
    """Rejection rate per test, over studies and (where a test runs per scenario) scenarios; NaN p counts as 1."""
    rates = {name: float(np.mean(np.nan_to_num(p, nan=1.0) < alpha)) for name, p in p_values.items()}
    rates["primary_holm_across_scenarios"] = float(np.mean(holm_any(p_values[PRIMARY], alpha)))
    return rates


def calibrate(sims: int = 400, seed: int = 0, alpha: float = ALPHA, design: Design = Design(),
              chunk: int = 200) -> dict:
    """The benchmark's result: {"sims", "alpha", "primary", "tests": {name: {"null_rejection_rate", "power"}}}."""
    if sims < 1:
        raise ValueError(f"sims must be a positive number of simulated studies, got {sims}")
    rng = np.random.default_rng(seed)
    totals: dict[str, dict[str, float]] = {}
    for label, effect in (("null_rejection_rate", 0.0), ("power", 1.0)):
        done = 0
        while done < sims:
            size = min(chunk, sims - done)
            rates = rejection_rates(all_p_values(simulate(rng, size, design, effect), design), alpha)
            for name, rate in rates.items():
                totals.setdefault(name, {}).setdefault(label, 0.0)
                totals[name][label] += rate * size / sims
            done += size
    tests = {name: {k: round(v, 4) for k, v in values.items()} for name, values in sorted(totals.items())}
    return {"sims": sims, "alpha": alpha, "primary": PRIMARY, "tests": tests,
            "design": {"n_hill": design.n_hill, "n_seeds": design.n_seeds, "interactive_epochs": design.n_epochs,
                       "scenarios": [s.name for s in design.scenarios], "effect": "one baseline seed SD of the "
                       "final accuracy; questionnaires: one noise SD"}}
