"""A seeded stand-in for ``Snapshot.to_dict()``, shared by the editor tests and ``bench/editor_render.py``."""

from __future__ import annotations

from typing import Any

import numpy as np

CLASS_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def fake_snapshot(n_points: int = 60, n_classes: int = 3, seed: int = 0, epoch: int = 25,
                  error_rate: float = 0.15, drift: float = 0.0) -> dict[str, Any]:
    """Gaussian blobs, one per class on a circle; ``error_rate`` of the points get a wrong prediction.

    Snapshots with the same seed share labels and validation ids; ``drift`` moves each class's blob by a seeded
    offset so that two epochs of one run differ the way real training does.
    """
    rng = np.random.default_rng(seed)
    labels = np.arange(n_points) % n_classes
    angles = 2 * np.pi * np.arange(n_classes) / n_classes
    anchors = 4.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    coords = anchors[labels] + rng.normal(scale=0.8, size=(n_points, 2))
    if drift:
        coords += np.random.default_rng(seed + epoch).normal(scale=drift, size=(n_classes, 2))[labels]
    wrong = np.random.default_rng(seed + epoch).random(n_points) < error_rate
    predictions = np.where(wrong, (labels + 1) % n_classes, labels)
    centres = np.stack([coords[labels == c].mean(axis=0) for c in range(n_classes)])
    spreads = [float(np.linalg.norm(coords[labels == c] - centres[c], axis=1).mean()) for c in range(n_classes)]
    names = CLASS_NAMES[:n_classes] if n_classes <= len(CLASS_NAMES) else [f"class {c}" for c in range(n_classes)]
    return {"epoch": epoch, "coords": coords.tolist(), "labels": labels.tolist(),
            "predictions": predictions.tolist(), "misclassified": (predictions != labels).tolist(),
            "centres": centres.tolist(), "spreads": spreads, "class_names": names,
            "index": (1000 + np.arange(n_points)).tolist()}
