"""Two-dimensional binary data sets for the boundary lab: moons, circles, XOR and two overlapping blobs.

Every data set is rebuilt from its `DatasetSpec` alone (name, size, noise, seed, held-out fraction), so a lab's saved
state only needs the spec, never the points. Points are standardised with the training split's mean and spread.

Each generator also knows where its classes come from: a noise-free "support" per class (the arcs of the moons, the
two circles, the blob centres). The Bayes log-odds of Gaussian noise around a support is approximately
d0(x)^2 - d1(x)^2 (squared distances to each class's nearest support point), whose gradient is 2 (p1 - p0). That gives
the true boundary's normal at any point, which the scripted annotator uses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.datasets import make_blobs, make_circles, make_moons

DATASETS = ("moons", "circles", "xor", "blobs")
DEFAULT_NOISE = {"moons": 0.25, "circles": 0.12, "xor": 0.45, "blobs": 1.0}
_CIRCLE_FACTOR = 0.5
_XOR_CENTRES = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
_XOR_LABELS = np.array([0, 0, 1, 1])
_BLOB_CENTRES = np.array([[-1.0, 0.0], [1.0, 0.0]])
_CURVE_POINTS = 400


class DatasetError(ValueError):
    """A data set was asked for with settings it cannot have; the message says which and how to fix it."""


@dataclass(frozen=True)
class DatasetSpec:
    """What identifies a boundary data set; `noise=None` takes the data set's default from `DEFAULT_NOISE`."""

    name: str = "moons"
    n_samples: int = 400
    noise: float | None = None
    seed: int = 0
    heldout_fraction: float = 0.5

    def __post_init__(self) -> None:
        if self.name not in DATASETS:
            raise DatasetError(f"unknown data set {self.name!r}: choose one of {', '.join(DATASETS)}")
        if self.n_samples < 8:
            raise DatasetError(f"n_samples={self.n_samples} is too small: use at least 8 points")
        if self.noise is not None and not (np.isfinite(self.noise) and self.noise >= 0):
            raise DatasetError(f"noise={self.noise} must be a finite number >= 0 (or None for the default)")
        if not 0.0 < self.heldout_fraction < 1.0:
            raise DatasetError(f"heldout_fraction={self.heldout_fraction} must lie strictly between 0 and 1")

    @property
    def effective_noise(self) -> float:
        return DEFAULT_NOISE[self.name] if self.noise is None else float(self.noise)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DatasetSpec:
        return cls(**data)


def _raw_points(spec: DatasetSpec) -> tuple[np.ndarray, np.ndarray]:
    n, noise, seed = spec.n_samples, spec.effective_noise, spec.seed
    if spec.name == "moons":
        x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    elif spec.name == "circles":
        x, y = make_circles(n_samples=n, noise=noise, factor=_CIRCLE_FACTOR, random_state=seed)
    elif spec.name == "xor":
        x, cluster = make_blobs(n_samples=n, centers=_XOR_CENTRES, cluster_std=noise, random_state=seed)
        y = _XOR_LABELS[cluster]
    else:
        x, y = make_blobs(n_samples=n, centers=_BLOB_CENTRES, cluster_std=noise, random_state=seed)
    return x.astype(np.float64), y.astype(np.int64)


def class_support(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The noise-free points each class is generated around, in raw (unstandardised) coordinates."""
    t = np.linspace(0.0, np.pi, _CURVE_POINTS)
    if name == "moons":  # the arcs scikit-learn's make_moons draws before adding noise
        return (np.c_[np.cos(t), np.sin(t)], np.c_[1.0 - np.cos(t), 1.0 - np.sin(t) - 0.5])
    if name == "circles":
        ring = np.c_[np.cos(2 * t), np.sin(2 * t)]
        return ring, _CIRCLE_FACTOR * ring
    if name == "xor":
        return _XOR_CENTRES[_XOR_LABELS == 0], _XOR_CENTRES[_XOR_LABELS == 1]
    if name == "blobs":
        return _BLOB_CENTRES[:1], _BLOB_CENTRES[1:]
    raise DatasetError(f"unknown data set {name!r}: choose one of {', '.join(DATASETS)}")


def _nearest(points: np.ndarray, support: np.ndarray) -> np.ndarray:
    dist = ((points[:, None, :] - support[None, :, :]) ** 2).sum(-1)
    return support[dist.argmin(axis=1)]


@dataclass(frozen=True)
class BoundaryData:
    """A data set's train and held-out splits (standardised, float32 points, int64 labels) and its scaling."""

    spec: DatasetSpec
    x_train: np.ndarray
    y_train: np.ndarray
    x_heldout: np.ndarray
    y_heldout: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def to_raw(self, points: np.ndarray) -> np.ndarray:
        """Map standardised points back to the generator's coordinates."""
        return np.asarray(points, dtype=np.float64) * self.scale + self.mean

    def true_score(self, points: np.ndarray) -> np.ndarray:
        """Approximate Bayes log-odds of class 1 (up to a positive factor) at standardised points."""
        raw = self.to_raw(points)
        own0, own1 = class_support(self.spec.name)
        d0 = ((raw - _nearest(raw, own0)) ** 2).sum(-1)
        d1 = ((raw - _nearest(raw, own1)) ** 2).sum(-1)
        return d0 - d1

    def true_normal(self, points: np.ndarray) -> np.ndarray:
        """Unit gradient of `true_score` (pointing toward class 1) at standardised points.

        The gradient in raw coordinates is 2 (p1 - p0); standardising x = (raw - mean) / scale multiplies gradients
        by `scale` (normals transform with the inverse transpose of the point map).
        """
        raw = self.to_raw(points)
        own0, own1 = class_support(self.spec.name)
        normal = (_nearest(raw, own1) - _nearest(raw, own0)) * self.scale
        norm = np.linalg.norm(normal, axis=1, keepdims=True)
        return np.divide(normal, norm, out=np.zeros_like(normal), where=norm > 0)


def make_dataset(spec: DatasetSpec) -> BoundaryData:
    """Build a data set from its spec: the same spec always gives the same points and the same split."""
    x, y = _raw_points(spec)
    order = np.random.default_rng(spec.seed).permutation(len(y))
    n_heldout = int(round(spec.heldout_fraction * len(y)))
    n_heldout = min(max(n_heldout, 1), len(y) - 2)
    train, heldout = order[n_heldout:], order[:n_heldout]
    if len(np.unique(y[train])) < 2:
        raise DatasetError(f"the training split of {spec} holds one class only: use more samples")
    mean = x[train].mean(axis=0)
    scale = x[train].std(axis=0)
    scale[scale == 0] = 1.0
    return BoundaryData(
        spec=spec,
        x_train=((x[train] - mean) / scale).astype(np.float32),
        y_train=y[train],
        x_heldout=((x[heldout] - mean) / scale).astype(np.float32),
        y_heldout=y[heldout],
        mean=mean,
        scale=scale,
    )
