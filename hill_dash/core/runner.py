"""The epoch-wise HILL runner: train, pause at interaction points, take edits, checkpoint, resume anywhere.

UI-free: progress is reported through callbacks (`on_epoch`, `should_stop`), like a plain trainer. The runner owns
its random streams (model initialisation and dropout through its own saved torch state, shuffling through its own
`torch.Generator`), so two runners in one process do not disturb each other and a run resumed in a new process
from any checkpoint produces bit-identical numbers on CPU.

Before the first interaction point training is plain cross-entropy. On reaching an interaction point the runner
writes a checkpoint and a snapshot and sets the targets to the current class statistics (a participant who edits
nothing asks the model to keep its arrangement); `set_targets_from_edits` replaces them with the participant's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import torch

from hill_dash.core.checkpoint import (checkpoint_path, load_checkpoint, restore_runner, run_dir_of,
                                       runner_payload, save_checkpoint, snapshot_path)
from hill_dash.core.config import RunConfig
from hill_dash.core.devices import autocast, deterministic, grad_scaler, pick_device, rng_devices
from hill_dash.core.losses import direction_loss, global_loss
from hill_dash.core.metrics import EpochMetrics, LossMeter, SplitScores, predict
from hill_dash.core.projection import Projection, fit_on_split
from hill_dash.core.scenarios.base import Scenario, ScenarioError, Split
from hill_dash.core.snapshot import Snapshot
from hill_dash.core.targets import Edit, EditError, Targets, class_stats_np, targets_from_edits
from hill_dash.core.teacher import FollowTeacher, nearest_same_class, row_targets


class TrainingCancelled(RuntimeError):
    """Training was cancelled part-way through an epoch. The runner's weights are then half-updated: discard it
    and resume from the last checkpoint."""


class HillRunner:
    """One HILL training run in one run directory. Build it with `create` or `resume`."""

    def __init__(self, scenario: Scenario, config: RunConfig, run_dir: str | Path) -> None:
        self.scenario, self.config, self.run_dir = scenario, config.resolved(scenario.defaults), Path(run_dir)
        self.choice = pick_device(self.config.device)
        self._rng_devices = rng_devices(self.choice)
        with torch.random.fork_rng(devices=self._rng_devices):
            torch.manual_seed(self.config.seed)
            self.model = scenario.model_factory().to(self.choice.device)
            self.torch_rng = self.capture_torch_rng()
        self.latent_dim = self._check_contract()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.config.lr,
                                          weight_decay=self.config.weight_decay)
        self.scaler = grad_scaler(self.choice)
        self.shuffle = torch.Generator().manual_seed(self.config.seed)
        self.projection: Projection | None = None
        self.targets: Targets | None = None
        self.teacher = FollowTeacher(self.config.teacher_eval_pass, self.config.teacher_balance)
        self.edits: list[dict[str, Any]] = []
        self.arrows: dict[str, torch.Tensor] | None = None
        self.history: list[EpochMetrics] = []
        self.hyper_log: list[dict[str, Any]] = []
        self.epoch = 0
        self.parent: str | None = None
        self._snapshot: Snapshot | None = None
        self._display = scenario.display

    # --- construction -------------------------------------------------------------------------------------------
    @classmethod
    def create(cls, scenario: Scenario, config: RunConfig, run_dir: str | Path) -> HillRunner:
        """A fresh run at epoch 0; writes `config.json` into `run_dir`."""
        from hill_dash.provenance import write_environment

        runner = cls(scenario, config, run_dir)
        runner.config.save(runner.run_dir)
        write_environment(runner.run_dir, device=str(runner.choice.device))
        return runner

    @classmethod
    def resume(cls, checkpoint: str | Path, scenario: Scenario | None = None, run_dir: str | Path | None = None,
               device: str | None = None) -> HillRunner:
        """Continue from a checkpoint (file or run directory), in its own run directory or a new one (a branch).

        Without `scenario` the data are rebuilt from the saved config with the scenario registry.
        """
        payload = load_checkpoint(checkpoint)
        config = RunConfig.from_dict(payload["config"])
        if device is not None:
            config = replace(config, device=device)
        if scenario is None:
            from hill_dash.core.scenarios.registry import build_scenario

            scenario = build_scenario(config.scenario_spec())
        saved = payload.get("scenario", {})
        if list(saved.get("class_names", scenario.class_names)) != list(scenario.class_names):
            raise ScenarioError(f"checkpoint {payload['path']} was trained on classes {saved['class_names']}, "
                                f"the scenario given has {list(scenario.class_names)}: pass the same scenario")
        home = run_dir_of(payload["path"])
        runner = cls(scenario, config, run_dir if run_dir is not None else home)
        restore_runner(runner, payload)
        if Path(runner.run_dir).resolve() != home.resolve():
            runner.parent = payload["path"]
            runner.config.save(runner.run_dir)
        return runner

    def _check_contract(self) -> int:
        x = self.scenario.train.x[:2].to(self.choice.device)
        self.model.eval()
        with torch.no_grad():
            out = self.model(x)
        self.model.train()
        if not (isinstance(out, (tuple, list)) and len(out) == 2):
            raise ScenarioError(f"scenario {self.scenario.name!r}: model(x) must return (logits, latent)")
        logits, latent = out
        if logits.shape != (2, self.scenario.num_classes) or latent.ndim != 2 or latent.shape[0] != 2:
            raise ScenarioError(f"scenario {self.scenario.name!r}: model(x) gave logits {tuple(logits.shape)} and "
                                f"latent {tuple(latent.shape)}; expected [B, {self.scenario.num_classes}] and [B, D]")
        return int(latent.shape[1])

    # --- schedule -----------------------------------------------------------------------------------------------
    def next_stop(self) -> int | None:
        """The epoch at which `train` will next pause (an interaction point or the end), or None when finished."""
        ahead = [e for e in self.config.interaction_epochs if e > self.epoch]
        if self.config.end_epoch > self.epoch:
            ahead.append(self.config.end_epoch)
        return min(ahead) if ahead else None

    @property
    def at_interaction_point(self) -> bool:
        return self.epoch in self.config.interaction_epochs

    def train(self, until_epoch: int | None = None, on_epoch: Callable[[EpochMetrics], None] | None = None,
              should_stop: Callable[[], bool] | None = None,
              should_cancel: Callable[[], bool] | None = None) -> list[EpochMetrics]:
        """Train up to `until_epoch`, never past the next interaction point; returns the epochs trained.

        `on_epoch` receives each epoch's metrics; when `should_stop()` turns true training stops after the
        current epoch. A checkpoint is written wherever training stops. When `should_cancel()` turns true
        (asked between batches) TrainingCancelled is raised at once and nothing is written.
        """
        stop = self.next_stop()
        if stop is None:
            return []
        target = stop if until_epoch is None else min(until_epoch, stop)
        done: list[EpochMetrics] = []
        while self.epoch < target:
            metrics = self._run_epoch(should_cancel)
            done.append(metrics)
            if on_epoch is not None:
                on_epoch(metrics)
            if self.at_interaction_point:
                self._arrive_at_interaction_point()
            if should_stop is not None and should_stop():
                break
        if done:
            self._write_stop()
        return done

    def train_to_end(self, on_epoch: Callable[[EpochMetrics], None] | None = None) -> list[EpochMetrics]:
        """Train through every remaining interaction point without edits (targets = current statistics)."""
        done: list[EpochMetrics] = []
        while self.next_stop() is not None:
            done += self.train(on_epoch=on_epoch)
        return done

    # --- one epoch ----------------------------------------------------------------------------------------------
    def _run_epoch(self, should_cancel: Callable[[], bool] | None = None) -> EpochMetrics:
        hill = self._hill_active()
        with torch.random.fork_rng(devices=self._rng_devices), deterministic(self.choice):
            self.restore_torch_rng(self.torch_rng)
            loss = self.train_batches(should_cancel)
            self.epoch += 1
            if self.projection is None and self.epoch >= self.config.projection_fit_epoch:
                self._fit_projection()
            self.torch_rng = self.capture_torch_rng()
        num_classes = self.scenario.num_classes
        val_pred, _ = predict(self.model, self.scenario.val, self.choice)
        test_pred, _ = predict(self.model, self.scenario.test, self.choice)
        metrics = EpochMetrics.build(
            self.epoch, "hill" if hill else "ce", self._hyper(), loss,
            SplitScores.from_predictions(self.scenario.val.y, val_pred, num_classes),
            SplitScores.from_predictions(self.scenario.test.y, test_pred, num_classes))
        self.history.append(metrics)
        return metrics

    def _hill_active(self) -> bool:
        return self.config.alpha > 0 and self.targets is not None and self.projection is not None

    def train_batches(self, should_cancel: Callable[[], bool] | None = None) -> dict[str, float | None]:
        """One pass over the shuffled training batches (no evaluation, no epoch count, no checkpoint); returns
        the mean loss terms. `train` wraps it; benchmarks time it alone. `should_cancel` is asked before each
        batch (see `train`)."""
        cfg, train, device, hill = self.config, self.scenario.train, self.choice.device, self._hill_active()
        follow = hill and cfg.teacher == "follow"
        if follow and not self.teacher.ready:
            self._set_row_targets()
        centres, spreads = self.targets.tensors(device) if hill and not follow else (None, None)
        radius = self.projection.radius if hill else None
        meter = LossMeter()
        self.model.train()
        order = torch.randperm(len(train), generator=self.shuffle)
        for start in range(0, len(train), cfg.batch_size):
            rows = order[start:start + cfg.batch_size]
            if len(rows) < 2:  # a one-sample remainder breaks batch statistics in models that use them
                continue
            if should_cancel is not None and should_cancel():
                raise TrainingCancelled(f"training cancelled during epoch {self.epoch + 1}")
            x, y = train.x[rows].to(device), train.y[rows].to(device)
            with autocast(self.choice):
                logits, latent = self.model(x)
                direction = self._direction_term() if self.arrows is not None and cfg.direction_weight > 0 else None
                seen = self.teacher.teacher_latent(self.model, x, latent) if follow else latent
            terms = global_loss(logits, y, points2d=self.projection(latent) if hill and not follow else None,
                                target_centres=centres, target_spreads=spreads, freeze_radius=radius,
                                alpha=0.0 if follow else cfg.alpha, lam=cfg.lam, direction=direction,
                                direction_weight=cfg.direction_weight)
            if follow:
                weighted, value = self.teacher.loss(terms.ce, latent, seen, self.projection(seen), rows, y,
                                                    cfg.alpha)
                terms = terms._replace(total=terms.total - cfg.alpha * terms.ce + weighted, human=value)
            self.optimizer.zero_grad(set_to_none=True)
            self.scaler.scale(terms.total).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            meter.add(terms._asdict())
        return meter.means()

    def _direction_term(self) -> torch.Tensor | None:
        # eval mode: the arrow speaks about the current function. The arrows act on training rows (the annotated
        # display point's neighbours, see `set_arrows`): no validation row ever reaches a loss.
        arrows, train = self.arrows, self.scenario.train
        rows = arrows.get("train_rows")
        if rows is None:  # saved before arrows were mapped to training rows: nothing safe to train on
            return None
        self.model.eval()
        try:
            logits, latent = self.model(train.x[rows].to(self.choice.device))
        finally:
            self.model.train()
        labels = train.y[rows].to(self.choice.device)
        scores = logits.gather(1, labels[:, None])[:, 0]
        return direction_loss(scores, latent, arrows["directions"].to(latent.device),
                              torch.ones_like(labels))

    def _fit_projection(self) -> None:
        self.projection = fit_on_split(self.model, self.scenario.train, self.choice, self.config.projection,
                                       self.scenario.num_classes, seed=self.config.seed)

    # --- interaction ---------------------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The display subset in 2D at the current epoch (needs the projection, i.e. epoch >= its fit epoch)."""
        if self._snapshot is not None and self._snapshot.epoch == self.epoch:
            return self._snapshot
        if self.projection is None:
            raise EditError(f"no 2D view before epoch {self.config.projection_fit_epoch}, when the projection "
                            f"is fitted; the run is at epoch {self.epoch}")
        preds, latents = predict(self.model, self._display, self.choice)
        with torch.no_grad():
            coords = self.projection(latents.to(self.choice.device)).cpu().numpy()
        self._snapshot = Snapshot.build(self.epoch, coords, self._display.y.numpy(), preds.numpy(),
                                        self.scenario.display_index.numpy(), self.scenario.class_names)
        return self._snapshot

    def _arrive_at_interaction_point(self) -> None:
        snap = self.snapshot()
        self.targets = targets_from_edits(snap.coords, snap.coords, snap.labels, self.scenario.num_classes)
        self.arrows = None
        self.teacher.targets = self.teacher.edited = None  # set from the training rows at the round's start

    def set_targets_from_edits(self, final_positions: np.ndarray, edits: Sequence[Edit] = ()) -> Targets:
        """Turn the participant's final positions (rows of the current snapshot) into targets, keep the edits,
        take this interaction point's arrow edits as direction annotations, and re-save this epoch's checkpoint.

        May be called again at the same point as the participant goes on (or after a retry): the targets follow
        the latest positions, the edits and arrows accumulate, and an edit already recorded is not added twice."""
        snap = self.snapshot()
        self.targets = targets_from_edits(snap.coords, final_positions, snap.labels, self.scenario.num_classes)
        self.teacher.targets = self.teacher.edited = None
        for edit in edits:
            record = {"epoch": self.epoch, **edit.to_dict()}
            if record not in self.edits:
                self.edits.append(record)
        arrows = [e for e in self.edits if e["epoch"] == self.epoch and e["kind"] == "arrow"]
        if arrows:
            self.set_arrows([e["indices"][0] for e in arrows], np.array([e["arrow"] for e in arrows]))
        self.save_checkpoint()
        return self.targets

    def _set_row_targets(self) -> None:
        """Each training row's 2D target for the `follow` teacher, from its position now (eval mode) and the
        similarity transform the participant's edit of its class implies (see `teacher.row_targets`)."""
        snap = self.snapshot()
        seen_c, seen_s = class_stats_np(snap.coords, snap.labels, self.scenario.num_classes)
        touched = self.targets.touched
        goal_c = np.where(touched[:, None], self.targets.centres, seen_c)
        goal_s = np.where(touched, self.targets.spreads, seen_s)
        _, latents = predict(self.model, self.scenario.train, self.choice)
        with torch.no_grad():
            points = self.projection(latents.to(self.choice.device)).cpu().numpy()
        labels = self.scenario.train.y.numpy()
        self.teacher.set_targets(row_targets(points, labels, np.nan_to_num(seen_c), np.nan_to_num(seen_s),
                                             np.nan_to_num(goal_c), np.nan_to_num(goal_s)), touched)

    def set_arrows(self, rows: Sequence[int], arrows_2d: np.ndarray, neighbours: int = 8) -> None:
        """Direction annotations: arrows [n, 2] drawn on display rows. Each arrow acts on the annotated point's
        `neighbours` nearest training rows of the same class in the latent space, mapped to latent directions
        there; the display rows themselves (validation data) are only recorded."""
        rows_t = torch.as_tensor(list(rows), dtype=torch.long)
        arrows_t = torch.as_tensor(np.asarray(arrows_2d, dtype=np.float32).reshape(-1, 2))
        if len(rows_t) != len(arrows_t) or len(rows_t) == 0:
            raise EditError(f"need one arrow per annotated point: got {len(rows_t)} points, {len(arrows_t)} arrows")
        if self.projection is None:
            raise EditError("arrows are drawn in the 2D view, which exists only once the projection is fitted")
        if int(rows_t.min()) < 0 or int(rows_t.max()) >= len(self.scenario.display_index):
            raise EditError(f"arrow rows must lie in 0..{len(self.scenario.display_index) - 1}")
        display, train = self._display, self.scenario.train
        _, latents = predict(self.model, Split(display.x[rows_t], display.y[rows_t]), self.choice)
        _, train_latents = predict(self.model, train, self.choice)
        train_rows, owners = nearest_same_class(latents, display.y[rows_t], train_latents, train.y, neighbours)
        at = train_latents[train_rows].to(self.choice.device)
        directions = self.projection.inverse_direction(arrows_t[owners], at=at)
        self.arrows = {"rows": rows_t, "train_rows": train_rows, "directions": directions.detach().cpu(),
                       "arrows2d": arrows_t}

    def set_hyper(self, alpha: float | None = None, lam: float | None = None,
                  direction_weight: float | None = None) -> None:
        """Change the loss weights from the next epoch on (recorded with the epoch they took effect)."""
        changes = {k: v for k, v in {"alpha": alpha, "lam": lam, "direction_weight": direction_weight}.items()
                   if v is not None}
        self.config = replace(self.config, **changes)
        self.hyper_log.append({"epoch": self.epoch, **self._hyper()})
        self.config.save(self.run_dir)

    def set_teacher(self, teacher: str, eval_pass: bool | None = None, balance: bool | None = None,
                    adaptive_alpha: bool | None = None) -> None:
        """Choose the teacher (and the follow teacher's options, and adaptive reliance) from the next epoch on;
        kept in the config."""
        cfg = self.config
        self.config = replace(cfg, teacher=teacher,
                              teacher_eval_pass=cfg.teacher_eval_pass if eval_pass is None else eval_pass,
                              teacher_balance=cfg.teacher_balance if balance is None else balance,
                              adaptive_alpha=cfg.adaptive_alpha if adaptive_alpha is None else adaptive_alpha)
        state = self.teacher.state()
        self.teacher = FollowTeacher(self.config.teacher_eval_pass, self.config.teacher_balance)
        self.teacher.load_state(state)
        self.config.save(self.run_dir)

    def reseed(self, seed: int) -> None:
        """Restart the shuffling and dropout streams from `seed` (baselines branch one checkpoint over seeds)."""
        self.config = replace(self.config, seed=int(seed))
        self.shuffle = torch.Generator().manual_seed(int(seed))
        with torch.random.fork_rng(devices=self._rng_devices):
            torch.manual_seed(int(seed))
            self.torch_rng = self.capture_torch_rng()
        self.config.save(self.run_dir)

    def _hyper(self) -> dict[str, float]:
        return {"alpha": self.config.alpha, "lam": self.config.lam, "direction_weight": self.config.direction_weight}

    # --- persistence --------------------------------------------------------------------------------------------
    def capture_torch_rng(self) -> dict[str, Any]:
        return {"cpu": torch.get_rng_state(),
                "cuda": [torch.cuda.get_rng_state(d) for d in self._rng_devices]}

    def restore_torch_rng(self, state: dict[str, Any]) -> None:
        torch.set_rng_state(state["cpu"])
        for device, cuda_state in zip(self._rng_devices, state.get("cuda", [])):
            torch.cuda.set_rng_state(cuda_state, device)

    def _write_stop(self) -> None:
        if self.projection is not None and (self.at_interaction_point or self.epoch == self.config.end_epoch):
            self.snapshot().save(snapshot_path(self.run_dir, self.epoch))
        self.save_checkpoint()

    def save_checkpoint(self, path: str | Path | None = None) -> Path:
        """Everything needed to continue bit-identically (see `checkpoint.runner_payload`); also rewrites
        `history.json`."""
        payload = runner_payload(self)
        target = save_checkpoint(path if path is not None else checkpoint_path(self.run_dir, self.epoch), payload)
        (self.run_dir / "history.json").write_text(json.dumps(payload["history"]) + "\n")
        return target
