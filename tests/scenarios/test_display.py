"""The display subset: class-balanced, seeded, bounded by the validation set."""

from __future__ import annotations

import pytest
import torch

from hill_dash.core.scenarios.base import ScenarioError
from hill_dash.core.scenarios.display import balanced_subset


def _labels(counts: list[int]) -> torch.Tensor:
    return torch.cat([torch.full((n,), c) for c, n in enumerate(counts)])[torch.randperm(sum(counts),
                                                                         generator=torch.Generator().manual_seed(3))]


def test_equal_classes_get_equal_shares():
    labels = _labels([30, 30, 30, 30])
    index = balanced_subset(labels, 40, seed=0)
    assert torch.bincount(labels[index]).tolist() == [10, 10, 10, 10]
    assert index.unique().numel() == 40 and torch.equal(index, index.sort().values)


def test_remainder_is_spread_one_per_class():
    counts = torch.bincount(_labels([30, 30, 30])[balanced_subset(_labels([30, 30, 30]), 10, seed=1)]).tolist()
    assert sorted(counts) == [3, 3, 4]


def test_a_small_class_gives_all_it_has_and_the_rest_goes_to_others():
    labels = _labels([3, 50, 50])
    counts = torch.bincount(labels[balanced_subset(labels, 30, seed=0)], minlength=3).tolist()
    assert counts[0] == 3 and abs(counts[1] - counts[2]) <= 1 and sum(counts) == 30


def test_same_seed_same_subset_other_seed_other_subset():
    labels = _labels([40, 40, 40])
    assert torch.equal(balanced_subset(labels, 30, seed=5), balanced_subset(labels, 30, seed=5))
    assert not torch.equal(balanced_subset(labels, 30, seed=5), balanced_subset(labels, 30, seed=6))


def test_a_size_beyond_the_validation_set_means_all_of_it():
    labels = _labels([4, 5])
    assert balanced_subset(labels, 9, seed=0).tolist() == list(range(9))
    assert balanced_subset(labels, 10_000, seed=0).tolist() == list(range(9))


def test_non_positive_size_is_refused():
    with pytest.raises(ScenarioError, match="positive"):
        balanced_subset(_labels([4, 5]), 0, seed=0)
