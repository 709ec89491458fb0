"""The frozen 2D projection: PCA-exact, a fixed function of the latent, invertible for arrows."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from hill_dash.core.losses import rms_radius
from hill_dash.core.projection import Projection, ProjectionError


def _latents(n: int = 300, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 3
    centres = torch.tensor([[4.0, 0, 0, 0, 0, 0], [0, 3.0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 2.0]])
    return centres[labels] + 0.5 * torch.randn(n, 6, generator=generator) + 1.0, labels


def test_linear_projection_is_the_top_two_principal_axes_scaled_to_radius_one():
    latents, _ = _latents()
    projection = Projection(6)
    projection.fit(latents)
    coords = projection(latents)
    centred = (latents - latents.mean(0)).double().numpy()
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    principal = centred @ vt[:2].T
    for axis in range(2):
        assert abs(np.corrcoef(principal[:, axis], coords[:, axis].numpy())[0, 1]) == pytest.approx(1.0, abs=1e-6)
    assert coords.mean(0).abs().max() < 1e-5
    assert float(rms_radius(coords)) == pytest.approx(1.0, abs=1e-5)
    assert projection.radius == pytest.approx(1.0, abs=1e-5)


def test_fitting_is_deterministic_and_frozen():
    latents, labels = _latents()
    for kind in ("linear", "mlp"):
        first, second = Projection(6, kind, seed=4), Projection(6, kind, seed=4)
        first.fit(latents, labels, 3)
        second.fit(latents, labels, 3)
        assert torch.equal(first(latents), second(latents))
        assert all(not p.requires_grad for p in first.parameters())


def test_projection_is_a_fixed_function_of_each_latent_with_no_batch_statistics():
    latents, labels = _latents()
    for kind in ("linear", "mlp"):
        projection = Projection(6, kind)
        projection.fit(latents, labels, 3)
        whole = projection(latents)
        assert torch.allclose(projection(latents[:7]), whole[:7], atol=1e-6)
        assert torch.allclose(projection(latents[5:6] * 1.0), whole[5:6], atol=1e-6)


def test_mlp_projection_keeps_class_structure():
    from sklearn.metrics import silhouette_score

    latents, labels = _latents()
    projection = Projection(6, "mlp")
    projection.fit(latents, labels, 3)
    # measured over data seeds 0-5: 0.83-0.85; a projection that mixed the classes scores near 0
    assert silhouette_score(projection(latents).numpy(), labels.numpy()) > 0.5


@pytest.mark.parametrize("kind", ["linear", "mlp"])
def test_inverse_direction_maps_an_arrow_back_to_itself(kind):
    latents, labels = _latents()
    projection = Projection(6, kind)
    projection.fit(latents, labels, 3)
    arrows = torch.tensor([[1.0, 0.0], [0.3, -0.7]]) * 1e-3
    at = latents[:2]
    directions = projection.inverse_direction(arrows, at=at)
    assert directions.shape == (2, 6)
    moved = projection(at + directions) - projection(at)
    assert torch.allclose(moved, arrows, atol=1e-5)


def test_state_round_trip_gives_the_same_map():
    latents, labels = _latents()
    projection = Projection(6, "mlp", seed=2)
    projection.fit(latents, labels, 3)
    copy = Projection.from_state(projection.to_state())
    assert copy.is_fitted and copy.radius == projection.radius
    assert torch.equal(copy(latents), projection(latents))


def test_misuse_is_explained():
    latents, _ = _latents()
    with pytest.raises(ProjectionError, match="not fitted"):
        Projection(6)(latents)
    with pytest.raises(ProjectionError, match="no spread"):
        Projection(6).fit(torch.zeros(10, 6))
    with pytest.raises(ProjectionError, match="labels"):
        Projection(6, "mlp").fit(latents)
    with pytest.raises(ProjectionError, match="unknown projection"):
        Projection(6, "tsne")
    with pytest.raises(ProjectionError, match="expected latents"):
        Projection(5).fit(latents)
