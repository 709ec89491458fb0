"""Epoch metrics agree with scikit-learn's."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix as sk_confusion, f1_score

from hill_dash.core.metrics import LossMeter, confusion_matrix, summarise


def test_accuracy_macro_f1_and_confusion_match_scikit_learn():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 4, 200))
    y_pred[y_pred == 3] = 2  # class 3 is never predicted: its F1 is 0
    confusion = confusion_matrix(y_true, y_pred, 4)
    assert np.array_equal(confusion, sk_confusion(y_true, y_pred, labels=range(4)))
    accuracy, f1, per_class = summarise(confusion)
    assert accuracy == pytest.approx(accuracy_score(y_true, y_pred))
    assert f1 == pytest.approx(f1_score(y_true, y_pred, average="macro", labels=range(4), zero_division=0))
    assert per_class[3] == 0.0 and per_class[0] == pytest.approx(np.mean(y_pred[y_true == 0] == 0))


def test_a_class_absent_from_the_split_has_no_per_class_accuracy():
    _, _, per_class = summarise(confusion_matrix(np.array([0, 0]), np.array([0, 1]), 3))
    assert per_class == [0.5, None, None]


def test_loss_meter_averages_over_batches_and_leaves_missing_terms_empty():
    import torch

    meter = LossMeter()
    meter.add({"total": torch.tensor(1.0), "ce": torch.tensor(2.0), "human": 0.5, "scale": None})
    meter.add({"total": torch.tensor(3.0), "ce": torch.tensor(4.0), "human": 1.5, "scale": None})
    assert meter.means() == {"total": 2.0, "ce": 3.0, "human": 1.0, "scale": None, "direction": None}
