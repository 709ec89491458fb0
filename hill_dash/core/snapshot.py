"""What a participant sees at an interaction point: the display subset projected to 2D, with labels,
predictions, misclassification flags and per-class centre crosses and spreads.

Stored as `.npz` (no pickled objects) next to the run's checkpoints; `to_dict()` gives plain JSON-able lists for the
web app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hill_dash.core.targets import class_stats_np


@dataclass(frozen=True)
class Snapshot:
    epoch: int
    coords: np.ndarray  # [N, 2] float32, in the frozen projection's frame
    labels: np.ndarray  # [N] int64
    predictions: np.ndarray  # [N] int64
    display_index: np.ndarray  # [N] int64: rows of the validation split
    class_names: tuple[str, ...]
    class_centres: np.ndarray  # [C, 2] float32 (NaN for a class without displayed points)
    class_spreads: np.ndarray  # [C] float32

    @classmethod
    def build(cls, epoch: int, coords: np.ndarray, labels: np.ndarray, predictions: np.ndarray,
              display_index: np.ndarray, class_names: tuple[str, ...]) -> Snapshot:
        """A snapshot whose centres and spreads are computed from the coordinates."""
        coords = np.asarray(coords, dtype=np.float32)
        labels = np.asarray(labels, dtype=np.int64)
        centres, spreads = class_stats_np(coords, labels, len(class_names))
        return cls(int(epoch), coords, labels, np.asarray(predictions, dtype=np.int64),
                   np.asarray(display_index, dtype=np.int64), tuple(class_names),
                   centres.astype(np.float32), spreads.astype(np.float32))

    @property
    def misclassified(self) -> np.ndarray:
        return self.predictions != self.labels

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def __len__(self) -> int:
        return int(self.labels.shape[0])

    def save(self, path: str | Path) -> Path:
        """Write atomically (a reader never sees half a file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as handle:
            np.savez(handle, epoch=np.int64(self.epoch), coords=self.coords, labels=self.labels,
                     predictions=self.predictions, misclassified=self.misclassified,
                     display_index=self.display_index, class_names=np.array(self.class_names, dtype=str),
                     class_centres=self.class_centres, class_spreads=self.class_spreads)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path: str | Path) -> Snapshot:
        with np.load(Path(path), allow_pickle=False) as data:
            return cls(int(data["epoch"]), data["coords"], data["labels"], data["predictions"],
                       data["display_index"], tuple(str(n) for n in data["class_names"]),
                       data["class_centres"], data["class_spreads"])

    def to_dict(self) -> dict[str, Any]:
        """Plain lists for JSON (NaN centres of absent classes become None)."""
        def clean(values: np.ndarray) -> list:
            return [None if isinstance(v, float) and not np.isfinite(v) else v for v in values.tolist()] \
                if values.ndim == 1 else [clean(row) for row in values]

        return {"epoch": self.epoch, "x": self.coords[:, 0].tolist(), "y": self.coords[:, 1].tolist(),
                "labels": self.labels.tolist(), "predictions": self.predictions.tolist(),
                "misclassified": self.misclassified.tolist(), "display_index": self.display_index.tolist(),
                "class_names": list(self.class_names), "class_centres": clean(self.class_centres),
                "class_spreads": clean(self.class_spreads)}
