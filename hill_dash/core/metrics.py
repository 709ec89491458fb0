"""What each epoch records: loss terms, validation metrics (what participants see) and test metrics (kept apart).

Test-split numbers live only in `test_*` fields; `EpochMetrics.to_dict(include_test=False)` is what a participant
view may be given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import torch
from torch import nn

from hill_dash.core.devices import DeviceChoice, autocast
from hill_dash.core.scenarios.base import Split

LOSS_TERMS = ("total", "ce", "human", "scale", "direction")


def confusion_matrix(y_true: np.ndarray, y_pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts [C, C], rows = true class, columns = predicted class.

    >>> confusion_matrix(np.array([0, 0, 1]), np.array([0, 1, 1]), 2).tolist()
    [[1, 1], [0, 1]]
    """
    flat = np.asarray(y_true, dtype=np.int64) * num_classes + np.asarray(y_pred, dtype=np.int64)
    return np.bincount(flat, minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def summarise(confusion: np.ndarray) -> tuple[float, float, list[float | None]]:
    """Accuracy, macro-F1 (zero where a class has no true or predicted samples) and per-class accuracy (None
    for classes absent from the split).

    >>> acc, f1, per_class = summarise(np.array([[1, 1], [0, 1]]))
    >>> round(acc, 4), round(f1, 4), per_class
    (0.6667, 0.6667, [0.5, 1.0])
    """
    confusion = np.asarray(confusion, dtype=np.float64)
    total = confusion.sum()
    hits = np.diag(confusion)
    support, predicted = confusion.sum(axis=1), confusion.sum(axis=0)
    accuracy = float(hits.sum() / total) if total else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(support + predicted > 0, 2 * hits / (support + predicted), 0.0)
    per_class = [float(h / s) if s else None for h, s in zip(hits, support)]
    return accuracy, float(f1.mean()) if len(f1) else 0.0, per_class


@torch.inference_mode()
def predict(model: nn.Module, split: Split, choice: DeviceChoice, batch_size: int = 512
            ) -> tuple[torch.Tensor, torch.Tensor]:
    """Predicted classes [N] and latents [N, D] (float32, on CPU) of a split, in eval mode and without gradients:
    what is only measured never builds a graph that a loss could reach."""
    was_training = model.training
    model.eval()
    preds, latents = [], []
    try:
        for start in range(0, len(split), batch_size):
            x = split.x[start:start + batch_size].to(choice.device)
            with autocast(choice), torch.no_grad():
                logits, latent = model(x)
            preds.append(logits.argmax(dim=1).cpu())
            latents.append(latent.float().cpu())
    finally:
        model.train(was_training)
    return torch.cat(preds), torch.cat(latents)


@dataclass(frozen=True)
class SplitScores:
    """Accuracy, macro-F1, per-class accuracy and confusion matrix of one split."""

    accuracy: float
    macro_f1: float
    per_class_accuracy: list[float | None]
    confusion: list[list[int]]

    @classmethod
    def from_predictions(cls, y_true: torch.Tensor, y_pred: torch.Tensor, num_classes: int) -> SplitScores:
        confusion = confusion_matrix(y_true.numpy(), y_pred.numpy(), num_classes)
        accuracy, f1, per_class = summarise(confusion)
        return cls(accuracy, f1, per_class, confusion.tolist())


@dataclass(frozen=True)
class EpochMetrics:
    """One completed epoch: the loss terms it trained on (means over batches) and its evaluation."""

    epoch: int
    mode: str  # "ce" (plain cross-entropy) or "hill" (the human term was active)
    alpha: float
    lam: float
    direction_weight: float
    loss: dict[str, float | None]
    val_accuracy: float
    val_macro_f1: float
    val_per_class_accuracy: list[float | None]
    val_confusion: list[list[int]]
    test_accuracy: float
    test_macro_f1: float
    test_per_class_accuracy: list[float | None]
    test_confusion: list[list[int]]

    @classmethod
    def build(cls, epoch: int, mode: str, hyper: dict[str, float], loss: dict[str, float | None],
              val: SplitScores, test: SplitScores) -> EpochMetrics:
        return cls(epoch=epoch, mode=mode, alpha=hyper["alpha"], lam=hyper["lam"],
                   direction_weight=hyper["direction_weight"], loss=dict(loss),
                   val_accuracy=val.accuracy, val_macro_f1=val.macro_f1,
                   val_per_class_accuracy=val.per_class_accuracy, val_confusion=val.confusion,
                   test_accuracy=test.accuracy, test_macro_f1=test.macro_f1,
                   test_per_class_accuracy=test.per_class_accuracy, test_confusion=test.confusion)

    def to_dict(self, include_test: bool = True) -> dict[str, Any]:
        data = asdict(self)
        if not include_test:
            data = {k: v for k, v in data.items() if not k.startswith("test_")}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EpochMetrics:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class LossMeter:
    """Means of the loss terms over an epoch's batches (terms that never occurred stay None)."""

    def __init__(self) -> None:
        self._values: dict[str, list[torch.Tensor | float]] = {}
        self._count = 0

    def add(self, terms: dict[str, torch.Tensor | float | None]) -> None:
        self._count += 1
        for name, value in terms.items():
            if value is not None:  # tensors are kept as they are: no device sync per batch
                self._values.setdefault(name, []).append(value.detach() if isinstance(value, torch.Tensor)
                                                         else value)

    def means(self) -> dict[str, float | None]:
        return {name: (sum(float(v) for v in self._values[name]) / self._count if name in self._values else None)
                for name in LOSS_TERMS}
