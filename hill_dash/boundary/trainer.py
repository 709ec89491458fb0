"""The boundary lab: a 2D classifier trained epoch by epoch while an annotator draws direction arrows on points.

Loss per mini-batch: (1 - w) * BCE + w * direction_loss over all annotated training points (w = 0: plain BCE, and the
direction term is then not even computed, so w = 0 trains exactly as if no arrow existed). An arrow on point x with
label y says "moving x along k should make its true-class score fall" (see `hill_dash.core.losses.direction_loss`).
The term's tanh saturates on both sides: an arrow the model already follows costs nothing, and an arrow it contradicts
by a slope steeper than about 0.5 (standardised units) costs the maximum but gives no gradient, so arrows act where
the model is nearly flat along them; `arrow_slopes` tells a page which arrows the model follows.

A `BoundaryLab` holds no UI and serialises to a JSON-safe dict (config, weights, optimizer, RNG, epoch, arrows,
history), so the app can store it and any worker can continue it bit for bit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from hill_dash.boundary import _serial
from hill_dash.boundary.datasets import BoundaryData, DatasetSpec, make_dataset
from hill_dash.boundary.model import ModelSpec, make_model
from hill_dash.core.losses import direction_loss

STATE_FORMAT = "hill-dash/boundary-lab/1"


class BoundaryLabError(ValueError):
    """Bad input to a boundary lab (an arrow, a weight, a saved state); the message says how to fix it."""


@dataclass(frozen=True)
class LabConfig:
    """Everything that defines a lab at creation; `weight` is only the starting w (the lab's `weight` may change)."""

    dataset: DatasetSpec = field(default_factory=DatasetSpec)
    model: ModelSpec = field(default_factory=ModelSpec)
    seed: int = 0
    lr: float = 0.01
    batch_size: int = 32
    # The term is scaled by 100, so at w = 0.1 one violated arrow still outweighs the whole BCE (an arrow visibly
    # takes effect); bench/boundary_experiment.py measured larger w costing more accuracy when arrows are imprecise.
    weight: float = 0.1
    sharpness: float = 20.0
    scale: float = 100.0

    def __post_init__(self) -> None:
        if self.lr <= 0 or self.batch_size < 1:
            raise BoundaryLabError(f"lr={self.lr} must be > 0 and batch_size={self.batch_size} at least 1")
        _check_weight(self.weight)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LabConfig:
        data = dict(data)
        data["dataset"] = DatasetSpec.from_dict(data.get("dataset", {}))
        data["model"] = ModelSpec(**data.get("model", {}))
        return cls(**data)


@dataclass(frozen=True)
class Arrow:
    """A direction annotation on training point `point_index`; `direction` is stored as a unit vector."""

    point_index: int
    direction: tuple[float, float]
    annotator: str = ""
    created_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"point_index": self.point_index, "direction": list(self.direction), "annotator": self.annotator,
                "created_at": self.created_at}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Arrow:
        dx, dy = data["direction"]
        return cls(int(data["point_index"]), (float(dx), float(dy)), str(data.get("annotator", "")),
                   str(data.get("created_at", "")))


def _check_weight(weight: float) -> float:
    if not (isinstance(weight, (int, float)) and 0.0 <= float(weight) <= 1.0):
        raise BoundaryLabError(f"the direction weight w={weight!r} must be a number between 0 and 1 (0 = plain BCE)")
    return float(weight)


class BoundaryLab:
    """A binary 2D classifier under training, with its arrows and its held-out accuracy per epoch."""

    def __init__(self, config: LabConfig | None = None) -> None:
        self.config = config or LabConfig()
        self.data: BoundaryData = make_dataset(self.config.dataset)
        self.model = make_model(self.config.model, self.config.seed)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=self.config.lr)
        self._generator = torch.Generator().manual_seed(self.config.seed)
        self._x = torch.from_numpy(self.data.x_train)
        self._y = torch.from_numpy(self.data.y_train).float()
        self._weight = self.config.weight
        self.epoch = 0
        self.annotations: list[Arrow] = []
        self.history: list[dict[str, Any]] = []

    # -- the direction weight and the arrows ------------------------------------------------------------------
    @property
    def weight(self) -> float:
        """w in (1 - w) * BCE + w * direction loss."""
        return self._weight

    @weight.setter
    def weight(self, value: float) -> None:
        self._weight = _check_weight(value)

    def add_arrow(self, point_index: int, direction: tuple[float, float], annotator: str = "",
                  created_at: str | None = None) -> Arrow:
        """Annotate a training point; an arrow already on that point is replaced (one arrow per point)."""
        n = len(self.data.y_train)
        if isinstance(point_index, bool) or not isinstance(point_index, (int, np.integer)) or not 0 <= point_index < n:
            raise BoundaryLabError(f"point_index={point_index!r} is not a training point: use an integer in [0, {n})")
        try:
            dx, dy = (float(v) for v in direction)
        except (TypeError, ValueError) as err:
            raise BoundaryLabError(f"direction={direction!r} must be two numbers (dx, dy)") from err
        length = math.hypot(dx, dy)
        if not math.isfinite(length) or length == 0.0:
            raise BoundaryLabError(f"direction=({dx}, {dy}) has no direction: draw an arrow of non-zero length")
        stamp = created_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
        arrow = Arrow(int(point_index), (dx / length, dy / length), annotator, stamp)
        self.annotations = [a for a in self.annotations if a.point_index != arrow.point_index] + [arrow]
        return arrow

    def remove_arrow(self, point_index: int) -> Arrow:
        """Remove the arrow on a training point and return it."""
        for arrow in self.annotations:
            if arrow.point_index == point_index:
                self.annotations = [a for a in self.annotations if a is not arrow]
                return arrow
        annotated = sorted(a.point_index for a in self.annotations)
        raise BoundaryLabError(f"point {point_index} has no arrow to remove; annotated points: {annotated}")

    def clear_arrows(self) -> None:
        """Remove every arrow."""
        self.annotations = []

    # -- training ---------------------------------------------------------------------------------------------
    def _direction_term(self) -> torch.Tensor:
        index = torch.tensor([a.point_index for a in self.annotations])
        wrt = self._x[index].clone().requires_grad_(True)
        directions = torch.tensor([a.direction for a in self.annotations], dtype=wrt.dtype)
        return direction_loss(self.model(wrt), wrt, directions, self._y[index],
                              sharpness=self.config.sharpness, scale=self.config.scale)

    def train_epoch(self) -> dict[str, Any]:
        """One pass over the training points in seeded mini-batches; returns the epoch's history record."""
        self.model.train()
        n, use_arrows = len(self._y), self._weight > 0 and bool(self.annotations)
        totals = {"loss": 0.0, "bce": 0.0, "direction": 0.0}
        order = torch.randperm(n, generator=self._generator)
        for start in range(0, n, self.config.batch_size):
            batch = order[start:start + self.config.batch_size]
            bce = F.binary_cross_entropy_with_logits(self.model(self._x[batch]), self._y[batch])
            loss = bce
            if use_arrows:
                direction = self._direction_term()
                loss = (1.0 - self._weight) * bce + self._weight * direction
                totals["direction"] += float(direction.detach()) * len(batch)
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            totals["loss"] += float(loss.detach()) * len(batch)
            totals["bce"] += float(bce.detach()) * len(batch)
        self.epoch += 1
        record = {"epoch": self.epoch, **{k: v / n for k, v in totals.items()},
                  "train_accuracy": self.accuracy("train"), "heldout_accuracy": self.accuracy("heldout"),
                  "arrows": len(self.annotations), "weight": self._weight}
        self.history.append(record)
        return record

    def train(self, epochs: int, on_epoch_end: Callable[[dict[str, Any]], None] | None = None) -> list[dict[str, Any]]:
        """Train `epochs` epochs; `on_epoch_end(record)` is called after each (progress, checkpoints)."""
        if epochs < 0:
            raise BoundaryLabError(f"epochs={epochs} must be 0 or more")
        records = []
        for _ in range(epochs):
            records.append(self.train_epoch())
            if on_epoch_end is not None:
                on_epoch_end(records[-1])
        return records

    # -- reading the model ------------------------------------------------------------------------------------
    def logits(self, points: np.ndarray) -> np.ndarray:
        """Class-1 logits at standardised points `[N, 2]`."""
        self.model.eval()
        with torch.no_grad():
            return self.model(torch.as_tensor(np.asarray(points, dtype=np.float32))).numpy()

    def arrow_slopes(self) -> np.ndarray:
        """For each arrow (in `annotations` order), the slope of its point's true-class score along the arrow:
        negative where the model already follows the arrow."""
        if not self.annotations:
            return np.zeros(0)
        self.model.eval()
        index = torch.tensor([a.point_index for a in self.annotations])
        wrt = self._x[index].clone().requires_grad_(True)
        (grads,) = torch.autograd.grad(self.model(wrt).sum(), wrt)
        directions = torch.tensor([a.direction for a in self.annotations], dtype=wrt.dtype)
        return ((grads * directions).sum(dim=1) * (2.0 * self._y[index] - 1.0)).numpy()

    def split(self, which: str) -> tuple[np.ndarray, np.ndarray]:
        """Points and labels of the "train" or "heldout" split."""
        if which == "train":
            return self.data.x_train, self.data.y_train
        if which == "heldout":
            return self.data.x_heldout, self.data.y_heldout
        raise BoundaryLabError(f"unknown split {which!r}: use 'train' or 'heldout'")

    def accuracy(self, which: str = "heldout") -> float:
        points, labels = self.split(which)
        return float(((self.logits(points) > 0).astype(np.int64) == labels).mean())

    def misclassified(self, which: str = "train") -> np.ndarray:
        """Indices of the split's points that the model currently puts on the wrong side."""
        points, labels = self.split(which)
        return np.flatnonzero((self.logits(points) > 0).astype(np.int64) != labels)

    def decision_grid(self, resolution: int = 100, margin: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`(xs, ys, logits)` over the data's extent; `logits[i, j]` is the logit at `(xs[j], ys[i])` (Plotly's
        contour convention: rows follow y)."""
        if resolution < 2:
            raise BoundaryLabError(f"resolution={resolution} must be at least 2 grid points per axis")
        points = np.vstack([self.data.x_train, self.data.x_heldout])
        low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
        xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
        gx, gy = np.meshgrid(xs, ys)
        return xs, ys, self.logits(np.c_[gx.ravel(), gy.ravel()]).reshape(resolution, resolution)

    # -- saving and resuming ----------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe snapshot from which `from_dict` continues training exactly."""
        return {"format": STATE_FORMAT, "config": self.config.to_dict(), "weight": self._weight,
                "epoch": self.epoch, "model": _serial.encode_value(self.model.state_dict()),
                "optimizer": _serial.encode_optimizer(self.optimizer.state_dict()),
                "rng": _serial.encode_tensor(self._generator.get_state()),
                "annotations": [a.to_dict() for a in self.annotations], "history": [dict(h) for h in self.history]}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> BoundaryLab:
        """Rebuild a lab from `to_dict()` output (also after a JSON round trip)."""
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
            found = state.get("format") if isinstance(state, dict) else type(state).__name__
            raise BoundaryLabError(f"not a saved boundary lab (format {found!r}, expected {STATE_FORMAT!r}): "
                                   "pass the dict that BoundaryLab.to_dict() produced")
        try:
            lab = cls(LabConfig.from_dict(state["config"]))
            lab.model.load_state_dict(_serial.decode_value(state["model"]))
            lab.optimizer.load_state_dict(_serial.decode_optimizer(state["optimizer"]))
            lab._generator.set_state(_serial.decode_tensor(state["rng"]))
            lab.weight = state["weight"]
            lab.epoch = int(state["epoch"])
            lab.annotations = [Arrow.from_dict(a) for a in state["annotations"]]
            lab.history = [dict(h) for h in state["history"]]
        except (KeyError, TypeError, ValueError, RuntimeError) as err:
            raise BoundaryLabError(f"the saved boundary lab is incomplete or damaged ({err}); "
                                   "restore it from an earlier snapshot") from err
        return lab

    def copy(self) -> BoundaryLab:
        """An independent lab in the same state (for branching: with arrows and without, from one checkpoint)."""
        return BoundaryLab.from_dict(self.to_dict())
