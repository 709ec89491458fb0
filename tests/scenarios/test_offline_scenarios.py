"""The offline defaults build with no file and no network, with sound splits and a balanced display subset."""

from __future__ import annotations

import pytest
import torch
from sklearn.datasets import load_digits

from hill_dash.core.scenarios import ScenarioError, ScenarioSpec, build_scenario, list_scenarios


@pytest.fixture(scope="module")
def digits():
    return build_scenario(ScenarioSpec("digits", seed=0))


@pytest.fixture(scope="module")
def basicmotions():
    return build_scenario(ScenarioSpec("basicmotions", seed=0))


def test_digits_splits_images_into_stratified_parts(digits):
    assert digits.class_names == tuple(str(i) for i in range(10))
    assert digits.input_shape == (1, 8, 8)
    sizes = [len(digits.train), len(digits.val), len(digits.test)]
    assert sum(sizes) == 1797 and sizes[0] == 898 and abs(sizes[1] - sizes[2]) <= 1
    assert 0.0 <= float(digits.train.x.min()) and float(digits.train.x.max()) <= 1.0
    for split in (digits.train, digits.val, digits.test):
        shares = torch.bincount(split.y, minlength=10).float() / len(split)
        assert float(shares.min()) > 0.08 and float(shares.max()) < 0.12  # every digit is about a tenth
    # the three splits together are exactly the data set, each image once (a partition, compared as multisets)
    rows = torch.cat([digits.train.x, digits.val.x, digits.test.x]).flatten(1).double() * 16
    original = torch.as_tensor(load_digits().data, dtype=torch.float64)
    assert torch.equal(_sorted_rows(rows.round()), _sorted_rows(original))


def _sorted_rows(rows: torch.Tensor) -> torch.Tensor:
    order = sorted(range(rows.shape[0]), key=lambda i: rows[i].tolist())
    return rows[order]


def test_digits_display_subset_is_balanced_and_seeded(digits):
    assert digits.display_index.numel() == 200
    assert torch.bincount(digits.display.y).tolist() == [20] * 10
    again = build_scenario(ScenarioSpec("digits", seed=0))
    other = build_scenario(ScenarioSpec("digits", seed=1, display_size=50))
    assert torch.equal(again.display_index, digits.display_index) and torch.equal(again.val.y, digits.val.y)
    assert other.display_index.numel() == 50 and sorted(torch.bincount(other.display.y).tolist()) == [5] * 10
    everything = build_scenario(ScenarioSpec("digits", display_size=100_000))
    assert torch.equal(everything.display_index, torch.arange(len(everything.val)))


def test_digits_defaults_leave_room_after_pretraining(digits):
    d = digits.defaults
    assert d.pretrain_epochs <= d.interaction_epochs[0] and len(d.interaction_epochs) == 4
    assert d.interaction_epochs[-1] < d.end_epoch <= 15


def test_basicmotions_uses_halves_of_the_official_test_set(basicmotions):
    assert basicmotions.class_names == ("badminton", "running", "standing", "walking")
    assert basicmotions.input_shape == (6, 100)
    assert (len(basicmotions.train), len(basicmotions.val), len(basicmotions.test)) == (40, 20, 20)
    assert torch.bincount(basicmotions.val.y).tolist() == [5, 5, 5, 5]
    assert torch.bincount(basicmotions.test.y).tolist() == [5, 5, 5, 5]
    mean = basicmotions.train.x.mean(dim=(0, 2))
    std = basicmotions.train.x.std(dim=(0, 2))
    assert torch.allclose(mean, torch.zeros(6), atol=1e-4) and torch.allclose(std, torch.ones(6), atol=1e-3)
    val_and_test = torch.cat([basicmotions.val.x, basicmotions.test.x]).flatten(1)
    assert torch.unique(val_and_test, dim=0).shape[0] == 40  # the two halves do not share a recording


def test_basicmotions_model_gives_logits_and_latent(basicmotions):
    model = basicmotions.model_factory().eval()
    logits, latent = model(basicmotions.display.x)
    assert logits.shape == (20, 4) and latent.shape == (20, 32)


def test_unknown_options_and_names_are_refused_with_the_known_ones():
    with pytest.raises(ScenarioError, match="does not know option.*colour"):
        build_scenario(ScenarioSpec("digits", options={"colour": True}))
    with pytest.raises(ScenarioError, match="unknown scenario 'digitz'.*basicmotions, cifar10, digits, pamap2"):
        build_scenario(ScenarioSpec("digitz"))


def test_listing_says_where_data_comes_from():
    infos = {info.name: info for info in list_scenarios()}
    assert {"digits", "basicmotions", "cifar10", "pamap2"} <= set(infos)
    assert infos["digits"].needs_files is False and infos["basicmotions"].needs_files is False
    assert infos["cifar10"].needs_files and infos["cifar10"].can_download
    assert infos["pamap2"].needs_files and not infos["pamap2"].can_download
    assert "sktime" in infos["basicmotions"].source and "cifar-10-batches-py" in infos["cifar10"].source
    assert infos["digits"].default_display_size == 200
