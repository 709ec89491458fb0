"""The loss terms against values worked out by hand, and where their gradients go."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core_tiny_scenario import TinyNet
from hill_dash.core.losses import (class_statistics, direction_loss, global_loss, human_and_scale, human_loss,
                                   human_loss_parts, rms_radius, scale_loss)
from hill_dash.core.projection import Projection

# class 0: (0,0), (2,0) -> centre (1,0), spread 1; class 1: (1,1), (1,3) -> centre (1,2), spread 1; gap 2
POINTS = torch.tensor([[0.0, 0.0], [2.0, 0.0], [1.0, 1.0], [1.0, 3.0]])
LABELS = torch.tensor([0, 0, 1, 1])


def test_class_statistics_by_hand():
    centres, spreads, counts = class_statistics(POINTS, LABELS, 3)
    assert centres.tolist() == [[1.0, 0.0], [1.0, 2.0], [0.0, 0.0]]
    assert spreads.tolist() == [1.0, 1.0, 0.0]
    assert counts.tolist() == [2.0, 2.0, 0.0]


def test_human_loss_parts_by_hand():
    # targets: class 0 centre (0,0) spread 2, class 1 as it is
    # centre 0.5*||(1,0)||^2 = 0.5; spread |1-2| = 1; separation: both ordered pairs max(0, 2+1-2) = 1 -> 2
    # K = C_b (C_b + 1) = 6
    parts = human_loss_parts(POINTS, LABELS, torch.tensor([[0.0, 0.0], [1.0, 2.0]]), torch.tensor([2.0, 1.0]))
    assert float(parts.centre) == pytest.approx(0.5 / 6)
    assert float(parts.spread) == pytest.approx(1.0 / 6)
    assert float(parts.separation) == pytest.approx(2.0 / 6)
    assert float(parts.total) == pytest.approx(3.5 / 6)


def test_classes_absent_from_the_batch_add_no_terms():
    centres = torch.tensor([[0.0, 0.0], [1.0, 2.0], [50.0, 50.0]])
    spreads = torch.tensor([2.0, 1.0, 30.0])  # class 2 would overlap everything, but it is not in the batch
    assert float(human_loss(POINTS, LABELS, centres, spreads)) == pytest.approx(3.5 / 6)


def test_targets_met_give_zero():
    centres, spreads, _ = class_statistics(POINTS, LABELS, 2)
    assert float(human_loss(POINTS, LABELS, centres, spreads)) == 0.0


def test_scale_term_by_hand():
    pts = torch.tensor([[3.0, 0.0], [-3.0, 0.0]])
    assert float(rms_radius(pts)) == 3.0
    assert float(scale_loss(pts, 2.0)) == pytest.approx(0.5)  # |1 - 3/2|
    assert float(scale_loss(pts + 10.0, 2.0)) == pytest.approx(0.5)  # about the batch centroid: shift-free


def test_global_loss_combines_the_terms():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 3.0]])
    targets = (torch.tensor([[0.0, 0.0], [1.0, 2.0]]), torch.tensor([2.0, 1.0]))
    terms = global_loss(logits, LABELS, points2d=POINTS, target_centres=targets[0], target_spreads=targets[1],
                        freeze_radius=2.0, alpha=0.5, lam=0.1)
    ce = F.cross_entropy(logits, LABELS)
    radius = math.sqrt((2.0 + 2.0 + 0.0 + 4.0) / 4)  # squared distances to the centroid (1, 1)
    expected = 0.5 * float(ce) + 0.5 * 3.5 / 6 + 0.1 * abs(1 - radius / 2.0)
    assert float(terms.total) == pytest.approx(expected, rel=1e-6)
    baseline = global_loss(logits, LABELS, points2d=POINTS, target_centres=targets[0],
                           target_spreads=targets[1], freeze_radius=2.0, alpha=0.0)
    assert float(baseline.total) == pytest.approx(float(ce)) and baseline.human is None and baseline.scale is None


def test_fused_cpu_path_matches_autograd_reference():
    generator = torch.Generator().manual_seed(3)
    for trial in range(60):
        b, c = 2 + trial % 30, 1 + trial % 7
        pts = torch.randn(b, 2, generator=generator, dtype=torch.float64, requires_grad=True)
        labels = torch.randint(0, c, (b,), generator=generator)
        if trial % 5 == 0 and c >= 2 and b >= 4:  # classes 0 and 1 share a centre: separation gradient stays finite
            labels[:4] = torch.tensor([0, 0, 1, 1])
            ones = labels == 1
            pts.data[ones] += pts.data[labels == 0].mean(0) - pts.data[ones].mean(0)
        centres = torch.randn(c, 2, generator=generator, dtype=torch.float64)
        spreads = torch.rand(c, generator=generator, dtype=torch.float64) * 3
        reference = 0.5 * human_loss(pts, labels, centres, spreads) + 0.1 * scale_loss(pts, 1.3)
        (want,) = torch.autograd.grad(reference, pts)
        total, human, scale = human_and_scale(pts, labels, centres, spreads, 1.3, alpha=0.5, lam=0.1)
        (got,) = torch.autograd.grad(total, pts)
        assert float(total) == pytest.approx(float(reference), abs=1e-10)
        assert torch.isfinite(got).all() and torch.allclose(got, want, atol=1e-9), trial
        assert human == pytest.approx(float(human_loss(pts, labels, centres, spreads)), abs=1e-10)


def test_a_batch_of_identical_points_gives_finite_gradients():
    pts = torch.ones(4, 2, dtype=torch.float64, requires_grad=True)
    labels = torch.tensor([0, 0, 1, 1])
    targets = torch.tensor([[0.0, 0.0], [1.0, 1.0]], dtype=torch.float64), torch.ones(2, dtype=torch.float64)
    reference = human_loss(pts, labels, *targets) + scale_loss(pts, 1.0)
    (want,) = torch.autograd.grad(reference, pts)
    (got,) = torch.autograd.grad(human_and_scale(pts, labels, *targets, 1.0, alpha=1.0, lam=1.0)[0], pts)
    assert torch.isfinite(want).all() and torch.allclose(got, want)


def _fitted(latent_dim: int = 8) -> tuple[TinyNet, Projection, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    net = TinyNet(d_latent=latent_dim)
    x = torch.randn(60, 6)
    y = torch.arange(60) % 3
    with torch.no_grad():
        _, latent = net(x)
    projection = Projection(latent_dim)
    projection.fit(latent)
    return net, projection, x, y


def test_gradients_reach_the_backbone_but_not_the_frozen_projection():
    net, projection, x, y = _fitted()
    _, latent = net(x)
    targets = torch.zeros(3, 2), torch.full((3,), 0.1)
    total, _, _ = human_and_scale(projection(latent), y, *targets, projection.radius, alpha=1.0, lam=0.1)
    total.backward()
    assert all(not p.requires_grad and p.grad is None for p in projection.parameters())
    first = net.features[0].weight.grad
    assert first is not None and float(first.abs().sum()) > 0


def test_scale_term_pushes_a_shrunk_latent_back_out():
    _, projection, _, y = _fitted()
    targets = torch.zeros(3, 2), torch.zeros(3)  # spread targets of zero invite shrinking everything
    for factor, outward in ((0.3, True), (3.0, False)):
        pts = torch.randn(60, 2, generator=torch.Generator().manual_seed(1)) * factor
        pts.requires_grad_(True)
        (with_scale,) = torch.autograd.grad(human_and_scale(pts, y, *targets, 1.0, 1.0, 0.5)[0], pts)
        (without,) = torch.autograd.grad(human_and_scale(pts, y, *targets, 1.0, 1.0, 0.0)[0], pts)
        radial = float(((with_scale - without) * (pts - pts.mean(0))).sum())
        # gradient descent moves against the gradient: a negative radial component means "grow"
        assert (radial < 0) == outward and abs(radial) > 0


# --- direction annotations ------------------------------------------------------------------------------------
def _score(weight: list[float], x: torch.Tensor) -> torch.Tensor:
    return (x * torch.tensor(weight)).sum(dim=1)


@pytest.mark.parametrize(("weight", "arrow", "label", "expected"), [
    ([0.0, 1.0], [1.0, 0.0], 1, 100.0),  # g.k = 0: tanh 0
    ([0.05, 0.0], [3.0, 0.0], 1, 100.0 * (math.tanh(1.0) + 1.0)),  # g.k = 0.05, unit arrow
    ([-5.0, 0.0], [1.0, 0.0], 1, 0.0),  # score falls along the arrow: satisfied
    ([-5.0, 0.0], [1.0, 0.0], 0, 200.0),  # for y = 0 the score should rise instead
    ([0.05, 0.0], [1.0, 0.0], 0, 100.0 * (1.0 - math.tanh(1.0))),
])
def test_direction_loss_by_hand(weight, arrow, label, expected):
    x = torch.tensor([[0.3, -0.2]], requires_grad=True)
    value = direction_loss(_score(weight, x), x, torch.tensor([arrow]), torch.tensor([label]))
    assert float(value) == pytest.approx(expected, abs=1e-4)


def test_direction_loss_rejects_mismatched_shapes():
    x = torch.zeros(2, 2, requires_grad=True)
    with pytest.raises(ValueError, match="directions"):
        direction_loss(x.sum(dim=1), x, torch.ones(1, 2), torch.ones(2))


def _toy_run(arrow_weight: float) -> torch.Tensor:
    """Train a small 2D binary classifier (class 1 at larger x); return the class-1 score's slope along +x at two
    annotated class-1 points. The network starts nearly flat, where the authors' tanh form is not saturated."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    with torch.no_grad():
        model[2].weight.mul_(0.01)
    x = torch.randn(80, 2)
    y = (x[:, 0] > 0).float()
    annotated = torch.tensor([[1.0, 0.5], [1.5, -0.5]])
    arrows = torch.tensor([[1.0, 0.0], [1.0, 0.0]])
    optimiser = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(100):
        optimiser.zero_grad()
        at = annotated.clone().requires_grad_(True)
        term = direction_loss(model(at)[:, 0], at, arrows, torch.ones(2, dtype=torch.long))
        (F.binary_cross_entropy_with_logits(model(x)[:, 0], y) + arrow_weight * term).backward()
        optimiser.step()
    at = annotated.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(model(at)[:, 0].sum(), at)
    return (g * arrows).sum(dim=1)


def test_training_with_arrows_makes_the_true_class_score_fall_along_them():
    assert (_toy_run(arrow_weight=0.0) > 0).all()  # the data alone make the score rise along +x
    assert (_toy_run(arrow_weight=0.01) < 0).all()  # the arrows say it must fall there, and it does
