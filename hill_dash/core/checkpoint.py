"""Checkpoint files: where they live in a run directory, how random states are stored, atomic save and safe load.

A checkpoint holds only tensors, numbers, strings, lists and dicts, so it loads with `torch.load(weights_only=True)`
(no pickled code runs). Layout of a run directory:

    run_dir/config.json                 the configuration the run started with
    run_dir/history.json                every epoch's metrics so far
    run_dir/checkpoints/epoch_025.pt    at each interaction point, the end, and wherever training was stopped
    run_dir/snapshots/epoch_025.npz     the participant's view at the same epochs
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from hill_dash.core.metrics import EpochMetrics
from hill_dash.core.projection import Projection
from hill_dash.core.targets import Targets

if TYPE_CHECKING:
    from hill_dash.core.runner import HillRunner

FORMAT = 1
_EPOCH_FILE = re.compile(r"^epoch_(\d+)\.pt$")


class CheckpointError(ValueError):
    """A checkpoint path that cannot be resumed from; the message says what is missing."""


def checkpoint_path(run_dir: str | Path, epoch: int) -> Path:
    return Path(run_dir) / "checkpoints" / f"epoch_{epoch:03d}.pt"


def snapshot_path(run_dir: str | Path, epoch: int) -> Path:
    return Path(run_dir) / "snapshots" / f"epoch_{epoch:03d}.npz"


def run_dir_of(checkpoint: str | Path) -> Path:
    """The run directory a checkpoint file belongs to (its `checkpoints/` folder's parent)."""
    checkpoint = Path(checkpoint)
    return checkpoint.parent.parent if checkpoint.parent.name == "checkpoints" else checkpoint.parent


def find_checkpoint(path: str | Path) -> Path:
    """A checkpoint file as given, or the latest `epoch_XXX.pt` in a run directory or its `checkpoints/` folder."""
    path = Path(path)
    if path.is_file():
        return path
    if not path.exists():
        raise CheckpointError(f"{path} does not exist: give a checkpoint file or a run directory")
    folder = path / "checkpoints" if (path / "checkpoints").is_dir() else path
    found = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := _EPOCH_FILE.match(p.name)))
    if not found:
        raise CheckpointError(f"no epoch_XXX.pt checkpoints in {folder}: train the run first (hill-dash train)")
    return found[-1][1]


def capture_host_rng() -> dict[str, Any]:
    """numpy's and Python's global random states as plain data."""
    name, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss_next = random.getstate()
    return {"numpy": {"name": str(name), "keys": torch.from_numpy(keys.astype(np.int64)), "pos": int(pos),
                      "has_gauss": int(has_gauss), "cached_gaussian": float(cached)},
            "python": {"version": int(version), "state": list(internal), "gauss_next": gauss_next}}


def restore_host_rng(state: dict[str, Any]) -> None:
    """Put back numpy's and Python's global random states saved by `capture_host_rng`."""
    np_state = state["numpy"]
    np.random.set_state((np_state["name"], np_state["keys"].numpy().astype(np.uint32), np_state["pos"],
                         np_state["has_gauss"], np_state["cached_gaussian"]))
    py_state = state["python"]
    random.setstate((py_state["version"], tuple(py_state["state"]), py_state["gauss_next"]))


def save_checkpoint(path: str | Path, payload: dict[str, Any]) -> Path:
    """Write atomically: a crash mid-write leaves the previous file intact."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save({"format": FORMAT, **payload}, tmp)
    os.replace(tmp, path)
    return path


REQUIRED = ("epoch", "config", "model", "optimizer", "rng", "history")


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Load a checkpoint safely (weights only) and check it has everything a resume needs."""
    path = find_checkpoint(path)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises several types for truncated or foreign files
        raise CheckpointError(f"{path} is not a readable hill-dash checkpoint ({exc.__class__.__name__}: {exc})")
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a hill-dash checkpoint of format {FORMAT}")
    missing = [k for k in REQUIRED if k not in payload]
    if missing:
        raise CheckpointError(f"{path} lacks {missing}: it cannot be resumed")
    payload["path"] = str(path)
    return payload


def runner_payload(runner: HillRunner) -> dict[str, Any]:
    """A runner's complete state: model, optimizer, projection (with its freeze radius), targets, edits, arrows,
    epoch, config, history, and every random state (the run's torch stream, the shuffling generator, numpy's and
    Python's)."""
    return {
        "epoch": runner.epoch, "config": runner.config.to_dict(), "model": runner.model.state_dict(),
        "optimizer": runner.optimizer.state_dict(), "scaler": runner.scaler.state_dict(),
        "projection": runner.projection.to_state() if runner.projection is not None else None,
        "targets": runner.targets.to_dict() if runner.targets is not None else None,
        "edits": list(runner.edits), "arrows": runner.arrows, "teacher": runner.teacher.state(),
        "hyper_log": list(runner.hyper_log), "history": [m.to_dict() for m in runner.history],
        "parent": runner.parent,
        "rng": {"torch": runner.torch_rng, "shuffle": runner.shuffle.get_state(), **capture_host_rng()},
        "scenario": {"name": runner.scenario.name, "class_names": list(runner.scenario.class_names),
                     "input_shape": list(runner.scenario.input_shape)},
    }


def restore_runner(runner: HillRunner, payload: dict[str, Any]) -> None:
    """Load a payload made by `runner_payload` into a runner built from the same config and scenario."""
    runner.model.load_state_dict(payload["model"])
    runner.optimizer.load_state_dict(payload["optimizer"])
    if payload.get("scaler"):
        runner.scaler.load_state_dict(payload["scaler"])
    if payload.get("projection") is not None:
        runner.projection = Projection.from_state(payload["projection"]).to(runner.choice.device)
    runner.targets = Targets.from_dict(payload["targets"]) if payload.get("targets") is not None else None
    runner.edits = list(payload.get("edits", []))
    runner.arrows = payload.get("arrows")
    runner.teacher.load_state(payload.get("teacher"))
    runner.hyper_log = list(payload.get("hyper_log", []))
    runner.history = [EpochMetrics.from_dict(m) for m in payload["history"]]
    runner.epoch = int(payload["epoch"])
    runner.parent = payload.get("parent")
    rng = payload["rng"]
    runner.torch_rng = rng["torch"]
    runner.shuffle.set_state(rng["shuffle"])
    restore_host_rng(rng)
