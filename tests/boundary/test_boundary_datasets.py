import numpy as np
import pytest

from hill_dash.boundary.datasets import DATASETS, DatasetError, DatasetSpec, make_dataset


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_is_seeded_split_and_standardised(name):
    spec = DatasetSpec(name=name, n_samples=200, seed=4, heldout_fraction=0.25)
    data, again = make_dataset(spec), make_dataset(spec)
    assert data.x_train.shape == (150, 2) and data.x_heldout.shape == (50, 2)
    assert data.x_train.dtype == np.float32 and data.y_train.shape == (150,)
    assert set(np.unique(data.y_train)) == {0, 1} and set(np.unique(data.y_heldout)) <= {0, 1}
    np.testing.assert_array_equal(data.x_train, again.x_train)
    np.testing.assert_array_equal(data.y_heldout, again.y_heldout)
    np.testing.assert_allclose(data.x_train.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(data.x_train.std(axis=0), 1.0, atol=1e-4)
    other = make_dataset(DatasetSpec(name=name, n_samples=200, seed=5, heldout_fraction=0.25))
    assert not np.allclose(other.x_train, data.x_train)


def test_noise_changes_the_points_and_defaults_per_data_set():
    quiet = make_dataset(DatasetSpec(name="moons", noise=0.0))
    noisy = make_dataset(DatasetSpec(name="moons", noise=0.3))
    assert not np.allclose(quiet.to_raw(quiet.x_train), noisy.to_raw(noisy.x_train))
    assert DatasetSpec(name="blobs").effective_noise != DatasetSpec(name="circles").effective_noise


@pytest.mark.parametrize("name", DATASETS)
def test_true_normal_is_the_unit_gradient_of_the_true_score(name):
    data = make_dataset(DatasetSpec(name=name, seed=1))
    points = data.x_train[:40].astype(np.float64)
    normal = data.true_normal(points)
    eps = 1e-4
    grad = np.stack([(data.true_score(points + eps * e) - data.true_score(points - eps * e)) / (2 * eps)
                     for e in np.eye(2)], axis=1)
    np.testing.assert_allclose(np.linalg.norm(normal, axis=1), 1.0, atol=1e-9)
    cos = (normal * grad).sum(1) / np.linalg.norm(grad, axis=1)
    assert np.median(cos) > 0.999
    # the generator's score separates the held-out points far better than chance
    assert ((data.true_score(data.x_heldout) > 0) == data.y_heldout).mean() > 0.75


@pytest.mark.parametrize("changes, words", [
    ({"name": "spirals"}, "choose one of"),
    ({"n_samples": 3}, "at least 8"),
    ({"noise": -1.0}, ">= 0"),
    ({"heldout_fraction": 1.0}, "strictly between"),
])
def test_bad_specs_say_what_to_change(changes, words):
    with pytest.raises(DatasetError, match=words):
        DatasetSpec(**changes)
