"""The CIFAR-10 loader on small files in the real python-batch format, its errors, and download only on request."""

from __future__ import annotations

import pickle
import urllib.error

import numpy as np
import pytest
import torch
import torchvision.datasets
from scenario_files import CIFAR_NAMES, cifar_batch, dump, write_cifar

from hill_dash.core.scenarios import ScenarioError, ScenarioSpec, build_scenario


def _raw(folder, name):
    with (folder / name).open("rb") as handle:
        content = pickle.load(handle, encoding="bytes")
    return content[b"data"].reshape(-1, 3, 32, 32).astype(np.float64) / 255.0, np.asarray(content[b"labels"])


def test_builds_from_the_python_folder_with_train_only_normalisation(tmp_path):
    folder = write_cifar(tmp_path)
    scenario = build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), display_size=10, seed=3))
    assert scenario.class_names == tuple(CIFAR_NAMES)
    assert scenario.train.x.shape == (100, 3, 32, 32) and scenario.input_shape == (3, 32, 32)
    assert (len(scenario.val), len(scenario.test)) == (20, 20)

    train_raw = np.concatenate([_raw(folder, f"data_batch_{i}")[0] for i in range(1, 6)])
    mean, std = train_raw.mean(axis=(0, 2, 3)), train_raw.std(axis=(0, 2, 3), ddof=1)
    assert torch.allclose(scenario.train.x.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-4)
    assert torch.allclose(scenario.train.x.std(dim=(0, 2, 3)), torch.ones(3), atol=1e-4)

    # validation and test are the test batch scaled with the TRAINING statistics, split into two disjoint halves
    test_raw, test_labels = _raw(folder, "test_batch")
    expected = (test_raw - mean[None, :, None, None]) / std[None, :, None, None]
    got = torch.cat([scenario.val.x, scenario.test.x]).double().numpy()
    got_labels = torch.cat([scenario.val.y, scenario.test.y]).numpy()
    order_expected = np.lexsort(expected.reshape(40, -1).T[:8])
    order_got = np.lexsort(got.reshape(40, -1).T[:8])
    assert np.allclose(got[order_got], expected[order_expected], atol=1e-4)
    assert np.array_equal(got_labels[order_got], test_labels[order_expected])
    assert abs(float(scenario.val.x[:, 1].mean())) > 0.3  # the test batch lacks the green offset of training
    assert torch.bincount(scenario.val.y).tolist() == [2] * 10

    assert torch.bincount(scenario.display.y).tolist() == [1] * 10
    logits, latent = scenario.model_factory().eval()(scenario.display.x[:2])
    assert logits.shape == (2, 10) and latent.shape == (2, 4096)


def test_the_halves_depend_on_the_seed_only(tmp_path):
    write_cifar(tmp_path)
    first = build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), seed=1))
    again = build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path / "cifar-10-batches-py"), seed=1))
    other = build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), seed=2))
    assert torch.equal(first.val.x, again.val.x)
    assert not torch.equal(first.val.x, other.val.x)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: dump(f / "data_batch_3", {b"data": np.zeros((4, 3072), np.uint8)}), "data_batch_3 has no 'labels'"),
        (lambda f: dump(f / "data_batch_2", {b"data": np.zeros((4, 100), np.uint8), b"labels": [0] * 4}),
         r"data_batch_2: 'data' is uint8 \(4, 100\)"),
        (lambda f: dump(f / "test_batch", {**cifar_batch(4, 0), b"labels": [0, 1, 2, 12]}),
         r"test_batch: labels must lie in 0..9"),
        (lambda f: (f / "data_batch_1").write_bytes(b"not a pickle"), "data_batch_1 is not a CIFAR-10 python batch"),
        (lambda f: (f / "data_batch_5").unlink(), "lacks data_batch_5"),
    ],
)
def test_damaged_folders_name_the_file_and_the_problem(tmp_path, damage, message):
    damage(write_cifar(tmp_path))
    with pytest.raises(ScenarioError, match=message):
        build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path)))


def test_missing_data_dir_or_files_say_how_to_place_them(tmp_path):
    with pytest.raises(ScenarioError, match="needs a data directory.*--data-dir"):
        build_scenario(ScenarioSpec("cifar10"))
    with pytest.raises(ScenarioError, match="no CIFAR-10 files.*download=true.*cifar-10-python.tar.gz"):
        build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path)))


def test_download_offline_fails_fast_with_hand_placement_instructions(tmp_path, monkeypatch):
    calls = []

    def offline(root, train, download):
        calls.append((root, train, download))
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(torchvision.datasets, "CIFAR10", offline)
    with pytest.raises(ScenarioError, match="downloading CIFAR-10 failed.*URLError.*place the files by hand"):
        build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), options={"download": True}))
    assert calls == [(str(tmp_path), True, True)]


def test_download_runs_only_when_asked_and_files_are_missing(tmp_path, monkeypatch):
    calls = []

    def fetch(root, train, download):
        calls.append(root)
        write_cifar(tmp_path)

    monkeypatch.setattr(torchvision.datasets, "CIFAR10", fetch)
    with pytest.raises(ScenarioError, match="no CIFAR-10 files"):
        build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path)))
    assert calls == []
    scenario = build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), options={"download": True}))
    assert len(scenario.train) == 100 and calls == [str(tmp_path)]
    build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), options={"download": True}))
    assert len(calls) == 1  # present files are never fetched again
    with pytest.raises(ScenarioError, match="download must be true or false"):
        build_scenario(ScenarioSpec("cifar10", data_dir=str(tmp_path), options={"download": "yes"}))
