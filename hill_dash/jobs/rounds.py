"""A HILL run as the app sees it: rows in the store plus checkpoints on disk.

Every function here reads what it needs from the store and writes back what it did, so a training round can run in
any process (a Dash background process, a Celery worker on another machine) and a page can be rebuilt from the
store at any time: a refresh or a server restart loses nothing.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from hill_dash.core.checkpoint import checkpoint_path, snapshot_path
from hill_dash.core.config import RunConfig
from hill_dash.core.metrics import EpochMetrics
from hill_dash.core.runner import HillRunner, TrainingCancelled
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, EditError, apply_edits
from hill_dash.jobs.warm import cached_scenario
from hill_dash.jobs.edit_input import BadEdit, checked_edit
from hill_dash.jobs.follow_through import adapt_alpha, follow_view, record_round, round_start, study_teacher
from hill_dash.store import Store

Progress = Callable[[dict[str, Any]], None]


class RoundError(ValueError):
    """A request about a run that cannot be carried out as asked; the message says why and what to do."""


def pretrained_checkpoint(store: Store, scenario: str, seed: int = 0, options: dict[str, Any] | None = None,
                          progress: Progress | None = None) -> Path:
    """The shared pretrained checkpoint of a scenario (trained to its first interaction point once, then reused).

    Built in a temporary directory and moved into place, so two processes asking at once never see half a run.
    """
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.scenarios.base import ScenarioSpec
    from hill_dash.core.scenarios.registry import build_scenario

    home = store.files.absolute(f"pretrained/{scenario}-seed{seed}")
    done = sorted((home / "checkpoints").glob("epoch_*.pt")) if home.exists() else []
    if done:
        return done[-1]
    config = RunConfig(scenario=scenario, seed=seed, scenario_options=dict(options or {}))
    if progress is not None:
        progress({"phase": "loading", "epoch": 0, "of": None, "val_acc": None, "loss": None})
    built = build_scenario(ScenarioSpec(name=scenario, seed=seed, options=dict(options or {})))
    total = min(config.resolved(built.defaults).interaction_epochs, default=built.defaults.end_epoch)
    home.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{scenario}-", dir=home.parent))
    started = time.monotonic()
    if progress is not None:
        progress({"phase": "pretraining", "epoch": 0, "of": total, "val_acc": None, "loss": None, "elapsed_s": 0.0})

    def report(metrics: EpochMetrics) -> None:
        if progress is not None:
            progress({"phase": "pretraining", "epoch": metrics.epoch, "of": total, "val_acc": metrics.val_accuracy,
                      "loss": metrics.loss.get("total"), "elapsed_s": time.monotonic() - started})

    try:
        pretrain(built, config, work, on_epoch=report)
        try:
            os.replace(work, home)
        except OSError:  # another process finished first: use theirs
            shutil.rmtree(work, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return sorted((home / "checkpoints").glob("epoch_*.pt"))[-1]


def interaction_index(config: RunConfig, epoch: int) -> int:
    """Which interaction point a run at `epoch` is at (0 = the first); past the last point, the number of points."""
    points = sorted(config.interaction_epochs)
    return points.index(epoch) if epoch in points else sum(1 for p in points if p < epoch)


def start_run(store: Store, scenario: str, *, participant_id: int | None = None,
              study_scenario_id: int | None = None, condition: str = "hill", seed: int = 0,
              alpha: float | None = None, lam: float | None = None, checkpoint: str | Path | None = None,
              options: dict[str, Any] | None = None, progress: Progress | None = None,
              owner_key: str | None = None) -> int:
    """Create a run in the store that starts from a pretrained checkpoint, ready for the first interaction point.
    `owner_key`: the browser a free-editor run belongs to (see `hill_dash.app.access`)."""
    source = Path(checkpoint) if checkpoint else pretrained_checkpoint(store, scenario, 0, options, progress)
    run = store.create_run(None if study_scenario_id else scenario, study_scenario_id=study_scenario_id,
                           participant_id=participant_id, condition=condition, seed=seed, owner_key=owner_key)
    runner = HillRunner.resume(source, run_dir=store.files.absolute(run.run_dir))
    runner.reseed(seed)
    study_teacher(store, runner, study_scenario_id)
    runner.set_hyper(alpha=alpha, lam=lam)
    for metrics in runner.history:
        _store_epoch(store, run.id, runner, metrics)
    _store_stop(store, run.id, runner)
    store.update_run(run.id, config=runner.config.to_dict(), status="waiting", current_epoch=runner.epoch)
    return run.id


def _runner(store: Store, run_id: int) -> HillRunner:
    latest = store.latest_checkpoint(run_id)
    if latest is None:
        raise RoundError(f"run {run_id} has no checkpoint yet: start it from a pretrained checkpoint first")
    # the scenario this process already holds (a warm round process inherits it from its parent)
    return HillRunner.resume(store.files.absolute(latest.path), scenario=cached_scenario(store.get_run(run_id).config))


def _store_epoch(store: Store, run_id: int, runner: HillRunner, metrics: EpochMetrics) -> None:
    loss = metrics.loss
    store.add_epoch(run_id, metrics.epoch, val_acc=metrics.val_accuracy, val_macro_f1=metrics.val_macro_f1,
                    interaction_point=metrics.epoch in runner.config.interaction_epochs,
                    metrics=metrics.to_dict(include_test=True), loss_total=loss.get("total"),
                    loss_ce=loss.get("ce"), loss_human=loss.get("human"), loss_scale=loss.get("scale"),
                    loss_direction=loss.get("direction"))


def _store_stop(store: Store, run_id: int, runner: HillRunner) -> None:
    """Register the checkpoint (and, at an interaction point or the end, the snapshot) the runner just wrote."""
    ckpt = checkpoint_path(runner.run_dir, runner.epoch)
    if not ckpt.exists():
        runner.save_checkpoint()
    store.add_checkpoint(run_id, runner.epoch, ckpt)
    snap = snapshot_path(runner.run_dir, runner.epoch)
    if runner.projection is not None and not snap.exists():
        runner.snapshot().save(snap)
    if snap.exists():
        store.add_snapshot(run_id, runner.epoch, interaction_index(runner.config, runner.epoch), snap)


def core_edits(store: Store, run_id: int, index: int) -> list[Edit]:
    """The edits still in force at an interaction point, as the training core's `Edit`s, in the order made."""
    return [Edit(kind=row.kind, indices=tuple(row.point_indices or ()), old=tuple(map(tuple, row.old_positions or ())),
                 new=tuple(map(tuple, row.new_positions or ())), class_id=row.class_id,
                 arrow=tuple(row.arrow["vector"]) if row.arrow else None, actor=row.actor,
                 timestamp=row.created_at.timestamp())
            for row in store.list_edits(run_id, index, active_only=True)]


def load_snapshot(store: Store, run_id: int, epoch: int | None = None) -> Snapshot | None:
    snaps = [s for s in store.list_snapshots(run_id) if epoch is None or s.epoch == epoch]
    return Snapshot.load(store.files.absolute(snaps[-1].path)) if snaps else None


def run_view(store: Store, run_id: int) -> dict[str, Any]:
    """Everything the editor page shows for a run, rebuilt from the store (so a refresh shows the same thing)."""
    run = store.get_run(run_id)
    config = RunConfig.from_dict(run.config)
    snaps = store.list_snapshots(run_id)
    if not snaps:
        raise RoundError(f"run {run_id} has no 2D view yet: its training has not reached an interaction point")
    current = Snapshot.load(store.files.absolute(snaps[-1].path))
    previous = Snapshot.load(store.files.absolute(snaps[-2].path)) if len(snaps) > 1 else None
    index = interaction_index(config, current.epoch)
    edits = core_edits(store, run_id, index)
    positions = apply_edits(current.coords, edits)
    epochs = store.list_epochs(run_id)
    stops = [p for p in config.interaction_epochs if p > current.epoch]
    if config.end_epoch > current.epoch:
        stops.append(config.end_epoch)
    return {
        "run_id": run_id, "status": run.status, "epoch": current.epoch, "interaction_index": index,
        "interaction_epochs": list(config.interaction_epochs), "end_epoch": config.end_epoch,
        "finished": current.epoch >= config.end_epoch, "alpha": config.alpha, "lam": config.lam,
        # each Train stops at the next interaction point or the end, whichever comes first
        "next_stop": min(stops) if stops else None, "rounds_left": len(stops),
        "snapshot": current.to_dict(), "positions": positions.tolist(),
        "previous": previous.to_dict() if previous is not None else None,
        "history": [{"epoch": e.epoch, "val_acc": e.val_acc, "val_macro_f1": e.val_macro_f1,
                     "interaction_point": e.interaction_point,
                     "per_class": e.metrics.get("val_per_class_accuracy")} for e in epochs],
        "edits": len(edits),
        "follow": follow_view(store, run_id, current.epoch, current.class_names),
        "teacher": config.teacher, "alpha_changes": [c.reason for c in store.list_alpha_changes(run_id)],
    }


def record_edit(store: Store, run_id: int, edit: dict[str, Any], actor: str = "participant") -> int:
    """Store one edit the moment the participant releases the mouse; returns its id.

    The edit is checked against the run's current snapshot first, so a malformed one is refused with a reason and
    nothing is written.
    """
    run = store.get_run(run_id)
    config = RunConfig.from_dict(run.config)
    current = load_snapshot(store, run_id)
    if current is None:
        raise RoundError(f"run {run_id} has no 2D view to edit yet")
    try:
        edit = checked_edit(edit, current.coords)
    except BadEdit as exc:
        raise RoundError(f"edit refused: {exc}") from exc
    if current.epoch >= config.end_epoch:
        raise RoundError(f"run {run_id} has finished training: there is nothing left to steer")
    if edit.get("epoch") is not None and int(edit["epoch"]) != current.epoch:
        raise RoundError(f"this edit was made on the view of epoch {edit['epoch']}, but the run is now at epoch "
                         f"{current.epoch}: reload the page to edit the current view")
    try:
        checked = Edit(kind=edit["kind"], indices=tuple(edit.get("indices", ())), old=tuple(edit.get("old", ())),
                       new=tuple(edit.get("new", ())), class_id=edit.get("class_id"),
                       arrow=tuple(edit["arrow"]) if edit.get("arrow") else None, actor=actor)
        apply_edits(current.coords, [checked])
    except (KeyError, TypeError, ValueError, EditError) as exc:
        raise RoundError(f"edit refused: {exc}") from exc
    row = store.add_edit(run_id, interaction_index(config, current.epoch), current.epoch, checked.kind, actor=actor,
                         point_indices=list(checked.indices),
                         old_positions=[list(p) for p in checked.old] or None,
                         new_positions=[list(p) for p in checked.new] or None, class_id=checked.class_id,
                         arrow={"vector": list(checked.arrow)} if checked.arrow else None)
    return row.id


def set_hyper(store: Store, run_id: int, alpha: float | None = None, lam: float | None = None) -> dict[str, Any]:
    """Change α and λ from the next round on (a round already running keeps the values it started with)."""
    run = store.get_run(run_id)
    config = RunConfig.from_dict(run.config)
    try:
        config = replace(config, **{k: float(v) for k, v in (("alpha", alpha), ("lam", lam)) if v is not None})
        config.validate()
    except (TypeError, ValueError) as exc:
        raise RoundError(f"α must lie in [0, 1] and λ be ≥ 0: {exc}") from exc
    store.update_run(run_id, config=config.to_dict())
    return {"alpha": config.alpha, "lam": config.lam}


def _undo_round(store: Store, run_id: int, start: int) -> None:
    """Put the run back at the checkpoint its round started from, without the epochs it never saved."""
    store.drop_epochs_after(run_id, start)  # sets the current epoch back to `start`
    store.update_run(run_id, status="waiting")


def train_round(store: Store, run_id: int, *, epochs: int | None = None, progress: Progress | None = None,
                should_stop: Callable[[], bool] | None = None,
                should_cancel: Callable[[], bool] | None = None) -> dict[str, Any]:
    """Train a run from its last checkpoint with the edits of its current interaction point in force.

    Stops at the next interaction point or the end, whichever comes first; earlier only after `epochs` epochs
    (a researcher's setting) or when `should_stop()` turns true (pause). A run stopped between points goes on
    to the same next stop, so every schedule reaches its end by training alone. Writes every epoch, the
    checkpoint and the snapshot to the store as it goes.

    When `should_cancel()` turns true (asked between batches) the round is undone: its epochs are dropped and the
    run waits at the checkpoint it started from (the result says `"cancelled": True`). A round that fails is
    undone the same way, then the error is raised.
    """
    run = store.get_run(run_id)
    runner = _runner(store, run_id)
    stop = runner.next_stop()
    if stop is None:
        raise RoundError(f"run {run_id} has finished training at epoch {runner.epoch}")
    wanted = RunConfig.from_dict(run.config)
    runner.set_hyper(alpha=wanted.alpha, lam=wanted.lam, direction_weight=wanted.direction_weight)
    if runner.projection is not None and runner.at_interaction_point:
        edits = core_edits(store, run_id, interaction_index(runner.config, runner.epoch))
        runner.set_targets_from_edits(apply_edits(runner.snapshot().coords, edits), edits)
    point = runner.epoch if runner.at_interaction_point else round_start(runner)
    before = load_snapshot(store, run_id, point) if point is not None else None
    until = stop if epochs is None else min(stop, runner.epoch + max(1, int(epochs)))
    start = runner.epoch
    store.update_run(run_id, status="running")

    def on_epoch(metrics: EpochMetrics) -> None:
        _store_epoch(store, run_id, runner, metrics)
        if progress is not None:
            progress({"phase": "training", "epoch": metrics.epoch, "from": start, "to": until,
                      "val_acc": metrics.val_accuracy, "loss": metrics.loss.get("total")})

    try:
        runner.train(until_epoch=until, on_epoch=on_epoch, should_stop=should_stop, should_cancel=should_cancel)
        _store_stop(store, run_id, runner)
        if before is not None:
            index = interaction_index(runner.config, before.epoch)
            record_round(store, run_id, runner, before, core_edits(store, run_id, index), index)
        adapt_alpha(store, run_id, runner)
    except TrainingCancelled:
        _undo_round(store, run_id, start)
        return {"run_id": run_id, "epoch": start, "finished": False, "cancelled": True, "val_acc": None}
    except BaseException:
        saved = store.latest_checkpoint(run_id)
        if saved is not None and saved.epoch > start:  # the stop's checkpoint was written: what failed came after
            store.update_run(run_id, status="waiting", current_epoch=saved.epoch)
        else:
            _undo_round(store, run_id, start)
        raise
    finished = runner.next_stop() is None
    store.update_run(run_id, status="finished" if finished else "waiting", current_epoch=runner.epoch,
                     config=runner.config.to_dict())
    return {"run_id": run_id, "epoch": runner.epoch, "finished": finished, "cancelled": False,
            "val_acc": runner.history[-1].val_accuracy if runner.history else None}

