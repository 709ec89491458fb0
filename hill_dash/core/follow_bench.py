"""`hill-dash bench follow` as a library: does the model go where a scripted participant asks?

From one shared checkpoint at the first interaction point, for each seed and scripted edit (move one class centre
outward by `distance`, halve one class's spread, push the closest pair of classes apart by `distance`, merge the
most confused pair half way), one round is trained per teacher, and the display points are measured in eval mode
in the frozen frame:

- move_share: progress of the moved centre along the asked move; compact_ratio: spread after / before (ask: 0.5);
- separate_share: the pair's gap gained / gap asked; merge_share: gap lost / gap asked;
- the same measures on a round with alpha = 0 (what training alone does: drift) and on a round with no edit;
- validation accuracy after the round against the alpha = 0 runs' seed band.

Results are medians over seeds and edited classes; accuracy is a mean.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hill_dash.core.baseline import pretrain
from hill_dash.core.config import RunConfig
from hill_dash.core.follow import centre_drift, progress_along
from hill_dash.core.runner import HillRunner
from hill_dash.core.scenarios.base import Scenario
from hill_dash.core.simulate.strategies import most_confused_pair
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, move_edit
from hill_dash.core.teacher import DEFAULT_TEACHER

MEASURES = ("move_share", "compact_ratio", "separate_share", "merge_share")


@dataclass(frozen=True)
class TeacherSetup:
    """One teacher as the benchmark runs it (the follow teacher's options can be switched off to weigh them)."""

    name: str
    teacher: str
    alpha: float = 0.5
    eval_pass: bool = True
    balance: bool = True


@dataclass(frozen=True)
class Ask:
    """One scripted edit and what it asks of the model."""

    kind: str  # "move", "compact", "separate", "merge"
    classes: tuple[int, ...]
    final: np.ndarray
    edits: tuple[Edit, ...]

    def measure(self, before: Snapshot, after: np.ndarray) -> float:
        labels = before.labels
        centres_after = np.stack([after[labels == c].mean(axis=0) for c in range(before.num_classes)])
        if self.kind == "move":
            (c,) = self.classes
            goal = self.final[labels == c].mean(axis=0)
            return float(progress_along(before.class_centres[c], centres_after[c], goal))
        if self.kind == "compact":
            (c,) = self.classes
            pts = after[labels == c]
            return float(np.linalg.norm(pts - pts.mean(axis=0), axis=1).mean() / before.class_spreads[c])
        i, j = self.classes
        gap_before = float(np.linalg.norm(before.class_centres[i] - before.class_centres[j]))
        goal = self.final
        gap_goal = float(np.linalg.norm(goal[labels == i].mean(axis=0) - goal[labels == j].mean(axis=0)))
        gap_after = float(np.linalg.norm(centres_after[i] - centres_after[j]))
        return (gap_after - gap_before) / (gap_goal - gap_before)


def _shift(snapshot: Snapshot, shifts: dict[int, np.ndarray], kind: str) -> Ask:
    final, edits = snapshot.coords.astype(np.float64).copy(), []
    for c, delta in shifts.items():
        rows = np.flatnonzero(snapshot.labels == c)
        new = final[rows] + delta
        edits.append(move_edit("class", final, rows, new, class_id=c, actor=f"scripted:{kind}"))
        final[rows] = new
    return Ask(kind, tuple(shifts), final.astype(np.float32), tuple(edits))


def scripted_asks(snapshot: Snapshot, classes: Sequence[int], distance: float = 1.0) -> list[Ask]:
    """The benchmark's edits on one snapshot: move and compact each of `classes`, separate, merge."""
    centres = snapshot.class_centres
    middle = centres.mean(axis=0)
    asks = []
    for c in classes:
        outward = centres[c] - middle
        norm = float(np.linalg.norm(outward))
        unit = outward / norm if norm > 1e-9 else np.array([1.0, 0.0])
        asks.append(_shift(snapshot, {c: distance * unit}, "move"))
    for c in classes:
        rows = np.flatnonzero(snapshot.labels == c)
        final = snapshot.coords.copy()
        new = centres[c] + 0.5 * (final[rows] - centres[c])
        edits = (move_edit("collapse", final, rows, new, class_id=c, actor="scripted:compact"),)
        final[rows] = new
        asks.append(Ask("compact", (c,), final, edits))
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=-1) + np.eye(len(centres)) * 1e9
    i, j = (int(v) for v in np.unravel_index(np.argmin(gaps), gaps.shape))
    axis = (centres[j] - centres[i]) / max(float(gaps[i, j]), 1e-9)
    asks.append(_shift(snapshot, {i: -0.5 * distance * axis, j: 0.5 * distance * axis}, "separate"))
    i, j = most_confused_pair(snapshot)
    mid = (centres[i] + centres[j]) / 2
    asks.append(_shift(snapshot, {i: 0.5 * (mid - centres[i]), j: 0.5 * (mid - centres[j])}, "merge"))
    return asks


def one_round(checkpoint: Path, scenario: Scenario, run_dir: Path, seed: int, setup: TeacherSetup | None,
              ask: Ask | None, round_epochs: int | None = None) -> tuple[np.ndarray, float]:
    """Train one round from `checkpoint` (setup None: alpha = 0); returns the display points after it and the
    validation accuracy."""
    runner = HillRunner.resume(checkpoint, scenario=scenario, run_dir=run_dir)
    runner.reseed(seed)
    if setup is None:
        runner.set_hyper(alpha=0.0)
    else:
        runner.set_teacher(setup.teacher, eval_pass=setup.eval_pass, balance=setup.balance)
        runner.set_hyper(alpha=setup.alpha)
    if ask is not None:
        runner.set_targets_from_edits(ask.final, list(ask.edits))
    until = runner.epoch + round_epochs if round_epochs else None
    runner.train(until_epoch=until)
    return runner.snapshot().coords, runner.history[-1].val_accuracy


def _median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {m: _median([r[m] for r in rows if m in r]) for m in MEASURES}
    accs = [r["val_acc"] for r in rows if "val_acc" in r]
    out["val_acc_mean"] = float(np.mean(accs)) if accs else None
    drifts = [r["drift"] for r in rows if "drift" in r]
    if drifts:
        out["drift"] = _median(drifts)
    return out


_KEY = {"move": "move_share", "compact": "compact_ratio", "separate": "separate_share", "merge": "merge_share"}


def run_follow_bench(scenario: Scenario, work_dir: Path, seeds: Sequence[int] = (0, 1, 2),
                     classes: int | None = None, distance: float = 1.0, setups: Sequence[TeacherSetup] | None = None,
                     round_epochs: int | None = None, device: str = "auto",
                     report: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the benchmark; `classes` limits the edited classes to that many, evenly spaced (None: all)."""
    setups = list(setups or (TeacherSetup("paper", "paper"), TeacherSetup(DEFAULT_TEACHER, DEFAULT_TEACHER)))
    work_dir = Path(work_dir)
    checkpoint = pretrain(scenario, RunConfig(scenario=scenario.name, device=device), work_dir / "pretrained")
    before = HillRunner.resume(checkpoint, scenario=scenario, run_dir=work_dir / "view").snapshot()
    count = scenario.num_classes if classes is None else max(1, min(classes, scenario.num_classes))
    chosen = sorted({int(round(v)) for v in np.linspace(0, scenario.num_classes - 1, count)})
    asks = scripted_asks(before, chosen, distance)
    rows: dict[str, list[dict[str, Any]]] = {s.name: [] for s in setups}
    alpha0, no_edit, band = [], [], []
    step = 0

    def run(setup: TeacherSetup | None, ask: Ask | None, seed: int) -> tuple[np.ndarray, float]:
        nonlocal step
        step += 1
        if report is not None:
            report(f"{setup.name if setup else 'alpha0'} {ask.kind if ask else 'no edit'} seed {seed}")
        return one_round(checkpoint, scenario, work_dir / f"r{step}", seed, setup, ask, round_epochs)

    for seed in seeds:
        coords, acc = run(None, None, seed)
        band.append(acc)
        drift = centre_drift(before.coords, coords, before.labels, before.num_classes)
        alpha0.append({"val_acc": acc, "drift": drift})
        alpha0 += [{_KEY[a.kind]: a.measure(before, coords)} for a in asks]
        default = next((s for s in setups if s.teacher == DEFAULT_TEACHER), setups[-1])
        coords, acc = run(default, None, seed)
        no_edit.append({"val_acc": acc, "drift": centre_drift(before.coords, coords, before.labels,
                                                              before.num_classes)})
        no_edit += [{_KEY[a.kind]: a.measure(before, coords)} for a in asks]
        for setup in setups:
            for ask in asks:
                coords, acc = run(setup, ask, seed)
                rows[setup.name].append({_KEY[ask.kind]: ask.measure(before, coords), "val_acc": acc})
    alpha0_summary = _summary(alpha0)
    alpha0_summary["val_acc_band"] = [float(min(band)), float(max(band))]
    return {"scenario": scenario.name, "seeds": list(seeds), "default_teacher": DEFAULT_TEACHER,
            "classes": chosen, "distance": distance, "epoch": before.epoch,
            "teachers": {name: _summary(r) for name, r in rows.items()},
            "no_edit": _summary(no_edit), "alpha0": alpha0_summary}
