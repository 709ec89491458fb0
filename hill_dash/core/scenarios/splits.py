"""Seeded stratified splits and train-only channel scaling, shared by the built-in loaders."""

from __future__ import annotations

import numpy as np
import torch

from hill_dash.core.scenarios.base import ScenarioError, Split


def stratified_halves(labels: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split indices `0..n-1` into two seeded halves with the same class proportions (validation, test)."""
    from sklearn.model_selection import train_test_split

    index = np.arange(len(labels))
    try:
        first, second = train_test_split(index, test_size=0.5, stratify=labels, random_state=seed)
    except ValueError as err:
        raise ScenarioError(f"cannot halve {len(labels)} samples by class: {err}") from err
    return np.sort(first), np.sort(second)


def stratified_three_way(labels: np.ndarray, val_fraction: float, test_fraction: float,
                         seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeded stratified train/validation/test indices with the given validation and test fractions."""
    from sklearn.model_selection import train_test_split

    index = np.arange(len(labels))
    rest, test = train_test_split(index, test_size=test_fraction, stratify=labels, random_state=seed)
    train, val = train_test_split(rest, test_size=val_fraction / (1.0 - test_fraction), stratify=labels[rest],
                                  random_state=seed)
    return np.sort(train), np.sort(val), np.sort(test)


def channel_stats(train_x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and standard deviation over every axis but 1 (channels), from the training inputs only.

    A channel that never varies gets a standard deviation of 1 so that scaling leaves it finite.
    """
    dims = [d for d in range(train_x.dim()) if d != 1]
    std, mean = torch.std_mean(train_x.float(), dim=dims)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return mean, std


def standardise(x: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """`(x - mean) / std` per channel (axis 1), in place on `x`, which is returned."""
    shape = [1, -1] + [1] * (x.dim() - 2)
    return x.sub_(mean.view(shape)).div_(std.view(shape))


def scaled_with_test_halves(train_x: torch.Tensor, train_y: torch.Tensor, test_x: torch.Tensor,
                            test_y: torch.Tensor, seed: int) -> tuple[Split, Split, Split, torch.Tensor, torch.Tensor]:
    """The pattern of data sets with only an official train/test split (CIFAR-10, BasicMotions).

    Both input sets are z-scored per channel in place with the training statistics; validation and test are the two
    seeded stratified halves of the official test set. Returns train, validation, test, and the mean and std used.
    """
    mean, std = channel_stats(train_x)
    standardise(train_x, mean, std)
    standardise(test_x, mean, std)
    val, test = stratified_halves(test_y.numpy(), seed)
    return Split(train_x, train_y), Split(test_x[val], test_y[val]), Split(test_x[test], test_y[test]), mean, std
