"""Plausible, clearly SIMULATED study data in the tidy schema, for demos, tests and figure previews.

Every row carries `simulated=True` and figures built from it say "SIMULATED DATA". The numbers are drawn to
resemble the HILL paper's study (section 4.2): a 25-epoch shared pretraining, interaction points after epochs
25, 30, 35 and 40, training to 45; HILL runs end slightly above a baseline that varies over seeds; UMUX-Lite
SUS-parity near 72.4 and raw NASA-TLX near 36.1 (of 120); custom questions Q2/Q4 low, the others split by how
well a participant's run went. None of it is a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

UMUX_ITEMS = ("i1", "i2")  # capabilities, ease of use: 7-point items 1..7
TLX_ITEMS = ("mental", "physical", "temporal", "performance", "effort", "frustration")  # 0..20 gradations
CUSTOM_ITEMS = tuple(f"q{i}" for i in range(1, 8))  # 0..100 visual analogue scales
INSTRUMENTS = {"umux": "umux_lite", "tlx": "nasa_tlx", "custom": "custom_hill"}
# subscale means (0..20) that add up to about 36 of 120, physical and temporal demand low as in the paper
TLX_MEANS = {"mental": 9.0, "physical": 2.5, "temporal": 3.5, "performance": 8.0, "effort": 8.5, "frustration": 5.0}
STRATEGY_CODES = (
    ("increase cluster compactness", "Strategies"), ("maximize cluster distance", "Strategies"),
    ("merge similar classes", "Strategies"), ("keep arrangement", "Strategies"),
    ("unsure about effect", "Human-Model-Interaction"), ("asks for feedback", "User Interface"),
)


@dataclass(frozen=True)
class ScenarioCurve:
    """Shape of a scenario's simulated accuracy curve: where it starts and plateaus, how fast, how noisy."""

    start: float
    plateau: float
    tau: float
    noise: float
    mean_gain: float


DEFAULT_CURVES = {
    "digits": ScenarioCurve(start=0.45, plateau=0.857, tau=7.0, noise=0.004, mean_gain=0.010),
    "motions": ScenarioCurve(start=0.40, plateau=0.728, tau=9.0, noise=0.006, mean_gain=0.012),
}


def _curve(shape: ScenarioCurve, epochs: np.ndarray) -> np.ndarray:
    return shape.plateau - (shape.plateau - shape.start) * np.exp(-epochs / shape.tau)


def _losses(acc: np.ndarray, human: np.ndarray, alpha: float, rng: np.random.Generator) -> dict[str, np.ndarray]:
    ce = -np.log(np.clip(acc, 1e-3, 1)) + rng.normal(0, 0.01, len(acc))
    scale = np.where(human > 0, np.abs(rng.normal(0.05, 0.02, len(acc))), 0.0)
    total = (1 - alpha) * ce + alpha * human + 0.1 * scale if alpha else ce
    return {"loss_total": total, "loss_ce": ce, "loss_human": human, "loss_scale": scale,
            "loss_direction": np.zeros(len(acc))}


def _run_rows(study: str, scenario: str, condition: str, participant: str | None, seed: int, acc: np.ndarray,
              epochs: np.ndarray, pretrain_epochs: int, interaction_epochs: tuple[int, ...],
              rng: np.random.Generator) -> pd.DataFrame:
    interactive = epochs > pretrain_epochs
    human = np.where(interactive & (condition == "hill"), np.abs(rng.normal(0.3, 0.1, len(epochs))), 0.0)
    run_id = f"{scenario}-{participant}" if participant else f"{scenario}-baseline-seed{seed}"
    frame = pd.DataFrame({
        "study": study, "participant": participant, "scenario": scenario, "condition": condition, "seed": seed,
        "run_id": run_id, "epoch": epochs, "val_acc": acc,
        "val_macro_f1": np.clip(acc - np.abs(rng.normal(0.015, 0.005, len(acc))), 0, 1),
        **_losses(acc, human, 0.5 if condition == "hill" else 0.0, rng),
        "interaction_point": np.isin(epochs, interaction_epochs),
        "phase": np.where(interactive, "interactive", "pretrain"), "simulated": True,
    })
    return frame


def synthetic_runs(participants: list[str], scenarios: tuple[str, ...], n_seeds: int, rng: np.random.Generator,
                   study: str = "demo", pretrain_epochs: int = 25,
                   interaction_epochs: tuple[int, ...] = (25, 30, 35, 40),
                   end_epoch: int = 45) -> tuple[pd.DataFrame, dict[tuple[str, str], float]]:
    """Baseline runs over `n_seeds` seeds and one HILL run per participant and scenario.

    Returns the runs table and each (participant, scenario)'s simulated success (its final gain), which the
    answers are correlated with.
    """
    epochs = np.arange(1, end_epoch + 1)
    frames, success = [], {}
    for scenario in scenarios:
        shape = DEFAULT_CURVES.get(scenario, DEFAULT_CURVES["digits"])
        shared = _curve(shape, epochs) + rng.normal(0, shape.noise, len(epochs))  # the one pretrained checkpoint
        after = epochs > pretrain_epochs
        for seed in range(n_seeds):
            acc = np.where(after, _curve(shape, epochs) + rng.normal(0, shape.noise, len(epochs)), shared)
            frames.append(_run_rows(study, scenario, "baseline", None, seed, np.clip(acc, 0, 1), epochs,
                                    pretrain_epochs, interaction_epochs, rng))
        for participant in participants:
            skill = rng.normal(shape.mean_gain, shape.mean_gain * 0.6)
            ramp = 1 - np.exp(-(epochs - pretrain_epochs) / 2.0)  # most of the gain comes at the first interaction
            noise = rng.normal(0, shape.noise * (2.5 if rng.random() < 0.15 else 1.0), len(epochs))
            acc = np.where(after, _curve(shape, epochs) + skill * ramp + noise, shared)
            frames.append(_run_rows(study, scenario, "hill", participant, 0, np.clip(acc, 0, 1),
                                    epochs, pretrain_epochs, interaction_epochs, rng))
            success[(participant, scenario)] = float(skill)
    return pd.concat(frames, ignore_index=True), success


def _answer(study: str, participant: str, scenario: str, instrument: str, item: str, value: float,
            untouched: bool, when: pd.Timestamp) -> dict:
    return {"study": study, "participant": participant, "scenario": scenario, "instrument": instrument,
            "item": item, "value": value, "untouched": untouched, "answered_at": when, "simulated": True}


def synthetic_answers(success: dict[tuple[str, str], float], rng: np.random.Generator,
                      study: str = "demo") -> pd.DataFrame:
    """UMUX-Lite, NASA-TLX and custom-question answers per participant and scenario (see module doc)."""
    rows = []
    start = pd.Timestamp("2025-01-01T09:00:00")
    gains = np.array(list(success.values()))
    spread = gains.std() or 1.0
    for index, ((participant, scenario), gain) in enumerate(sorted(success.items())):
        when = start + pd.Timedelta(minutes=30 * index)
        z = (gain - gains.mean()) / spread  # successful participants rate the system higher
        workload = rng.normal(0, 2.5)  # a person's overall sense of workload moves all six subscales together
        for item in UMUX_ITEMS:
            value = int(np.clip(np.rint(rng.normal(5.6 + 0.4 * z, 0.8)), 1, 7))
            rows.append(_answer(study, participant, scenario, INSTRUMENTS["umux"], item, value, False, when))
        for item in TLX_ITEMS:
            mean = TLX_MEANS[item] - (1.5 if item == "frustration" and scenario == "motions" else 0.0)
            value = int(np.clip(np.rint(rng.normal(mean - 0.8 * z + workload, 3.0)), 0, 20))
            rows.append(_answer(study, participant, scenario, INSTRUMENTS["tlx"], item, value, False, when))
        for item in CUSTOM_ITEMS:
            if item in ("q2", "q4"):
                value = float(np.clip(rng.exponential(14.0 if item == "q2" else 22.0), 0, 100))
            else:
                value = float(np.clip(rng.normal(55 + 18 * z, 15), 0, 100))
            untouched = bool(rng.random() < 0.03)
            rows.append(_answer(study, participant, scenario, INSTRUMENTS["custom"], item,
                                50.0 if untouched else round(value, 1), untouched, when))
    return pd.DataFrame(rows)


def synthetic_codings(participants: list[str], scenarios: tuple[str, ...], rng: np.random.Generator,
                      study: str = "demo", n_interactions: int = 4) -> pd.DataFrame:
    """Coded think-aloud spans: one or two strategy codes per interaction point, some participants switching."""
    rows = []
    for participant in participants:
        for scenario in scenarios:
            favourite = int(rng.integers(0, 4))
            switches = rng.random() < 0.2
            for index in range(n_interactions):
                code = favourite if not (switches and index >= 2) else int(rng.integers(0, 4))
                picks = {code} | ({int(rng.integers(4, len(STRATEGY_CODES)))} if rng.random() < 0.3 else set())
                for pick in sorted(picks):
                    name, theme = STRATEGY_CODES[pick]
                    rows.append({"study": study, "participant": participant, "scenario": scenario, "code": name,
                                 "theme": theme, "coder": "R1", "interaction_index": index, "simulated": True})
    return pd.DataFrame(rows)


def synthetic_study(seed: int = 0, n_participants: int = 14, scenarios: tuple[str, ...] = ("digits", "motions"),
                    n_seeds: int = 5, study: str = "demo", end_epoch: int = 45) -> dict[str, pd.DataFrame]:
    """A whole simulated study: {"runs", "answers", "codings"}, every row flagged `simulated=True`.

    Seeded: the same arguments give the same tables.
    """
    rng = np.random.default_rng(seed)
    participants = [f"P{i:02d}" for i in range(1, n_participants + 1)]
    runs, success = synthetic_runs(participants, scenarios, n_seeds, rng, study=study, end_epoch=end_epoch)
    return {"runs": runs, "answers": synthetic_answers(success, rng, study=study),
            "codings": synthetic_codings(participants, scenarios, rng, study=study)}
