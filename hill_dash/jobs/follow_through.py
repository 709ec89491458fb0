"""After each round: how far the model followed the participant's edits, stored and shown in the editor."""

from __future__ import annotations

from typing import Any

from hill_dash.core.adaptive import AlphaDecision, next_alpha
from hill_dash.core.follow import ClassFollow, follow_through
from hill_dash.core.runner import HillRunner
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, apply_edits
from hill_dash.store import Store


def round_start(runner: HillRunner) -> int | None:
    """The interaction point the round the runner has just trained belongs to (None before the first)."""
    points = [p for p in runner.config.interaction_epochs if p < runner.epoch]
    return max(points) if points else None


def measure_round(before: Snapshot, edits: list[Edit], after: Snapshot) -> list[ClassFollow]:
    """Follow-through of every class the edits moved, from the view at the interaction point to the view now."""
    asked = apply_edits(before.coords, edits)
    return follow_through(before.coords, asked, after.coords, before.labels, before.num_classes)


def record_round(store: Store, run_id: int, runner: HillRunner, before: Snapshot | None, edits: list[Edit],
                 index: int) -> list[ClassFollow]:
    """Measure and store the follow-through of the round that started at `before` (a pause stores the part so
    far; the rest of the round replaces it)."""
    if before is None or runner.projection is None:
        return []
    classes = measure_round(before, edits, runner.snapshot())
    store.set_follow_through(run_id, index, before.epoch, runner.epoch, runner.config.teacher,
                             runner.config.alpha, [c.to_dict() for c in classes])
    return classes


def follow_view(store: Store, run_id: int, epoch: int, class_names: list[str] | tuple[str, ...]
                ) -> list[dict[str, Any]]:
    """The follow-through that ended at `epoch` (the view now shown), one dict per edited class, with words."""
    rows = [r for r in store.list_follow_through(run_id) if r.end_epoch == epoch]
    out = []
    for r in rows:
        item = ClassFollow(r.class_id, (r.old_x, r.old_y), (r.asked_x, r.asked_y), (r.new_x, r.new_y),
                           r.old_spread, r.asked_spread, r.new_spread, r.share, r.spread_share)
        name = class_names[r.class_id] if 0 <= r.class_id < len(class_names) else None
        label = None if name is None else (f"class {name}" if str(name).isdigit() else str(name))
        out.append({**item.to_dict(), "words": item.words(label)})
    return out


def adapt_alpha(store: Store, run_id: int, runner: HillRunner) -> AlphaDecision | None:
    """Adaptive reliance after a round that reached an interaction point, when the run's study opted in and has
    baseline runs (see `hill_dash.core.adaptive`); a lowered alpha is stored with its reason and set for the
    next round. Returns the decision (None when the rule does not apply)."""
    run = store.get_run(run_id)
    if not runner.config.adaptive_alpha or run.study_scenario_id is None or not runner.at_interaction_point \
            or not runner.history or runner.config.alpha <= 0:
        return None
    band_min = store.baseline_band_min(run.study_scenario_id, runner.epoch)
    decision = next_alpha(runner.config.alpha, runner.history[-1].val_accuracy, band_min, runner.epoch)
    if decision.lowered:
        runner.set_hyper(alpha=decision.new_alpha)
        store.add_alpha_change(run_id, runner.epoch, decision.old_alpha, decision.new_alpha,
                               runner.history[-1].val_accuracy, band_min, decision.reason)
    return decision


def study_teacher(store: Store, runner: HillRunner, study_scenario_id: int | None) -> None:
    """A study's run uses the study's teacher and adaptive-reliance setting."""
    if study_scenario_id is not None:
        reliance = store.study_reliance(study_scenario_id)
        runner.set_teacher(reliance["teacher"], adaptive_alpha=reliance["adaptive_alpha"])
