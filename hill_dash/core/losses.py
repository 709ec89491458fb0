"""The HILL loss terms as pure functions over tensors (no state, no device choice, no Python loop over classes).

    L_global = (1 - alpha) * CE + alpha * L_human + lam * |1 - scale_model|  (+ w * L_direction with arrows)

`L_human` compares a batch's 2D class statistics with the participant's targets: per class present, centre
alignment 0.5*||mu_c - mu*_c||^2 and spread |s_c - s*_c|; per ordered pair of classes present, separation
max(0, s*_c + s*_j - ||mu_c - mu_j||); the sum is divided by the number of terms K = C_b (C_b + 1).
`scale_model` is the batch's RMS radius in 2D over the radius when the projection was frozen, so targets cannot be
met by shrinking the whole latent space. With alpha = 0 (the baseline) neither human nor scale term is computed:
the scale term only guards the human one.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor


class HumanLossParts(NamedTuple):
    """The three parts of L_human, each already divided by K; `total` is their sum."""

    centre: Tensor
    spread: Tensor
    separation: Tensor
    total: Tensor


class LossTerms(NamedTuple):
    """The value that is back-propagated (`total`) and its parts; a part is None when it is not in the loss."""

    total: Tensor
    ce: Tensor
    human: Tensor | float | None = None  # logged only: a float on CPU, a detached tensor elsewhere
    scale: Tensor | float | None = None
    direction: Tensor | None = None


def _plain(x: Tensor) -> Tensor:
    return x.detach() if x.requires_grad else x


def _at_least_float32(x: Tensor) -> Tensor:
    """Half precision (mixed-precision training) is lifted to float32; float64 stays float64."""
    return x if x.dtype == torch.float64 else x.float()


def class_statistics(points: Tensor, labels: Tensor, num_classes: int) -> tuple[Tensor, Tensor, Tensor]:
    """Per-class centre [C, 2], spread [C] (mean distance to the centre) and count [C]; absent classes get zeros.

    Written as products with the one-hot label matrix: a handful of operations whatever the number of classes,
    which keeps the human term's cost per batch small next to the model's.

    >>> pts = torch.tensor([[0., 0.], [2., 0.], [0., 4.], [0., 6.]])
    >>> centres, spreads, counts = class_statistics(pts, torch.tensor([0, 0, 1, 1]), 3)
    >>> centres.tolist(), spreads.tolist(), counts.tolist()
    ([[1.0, 0.0], [0.0, 5.0], [0.0, 0.0]], [1.0, 1.0, 0.0], [2.0, 2.0, 0.0])
    """
    onehot = F.one_hot(labels, num_classes).to(points.dtype)
    counts = onehot.sum(dim=0)
    inverse = 1.0 / counts.clamp(min=1.0)
    centres = (onehot.T @ points) * inverse[:, None]
    spreads = (torch.linalg.vector_norm(points - onehot @ centres, dim=1) @ onehot) * inverse
    return centres, spreads, counts


def human_loss_parts(points2d: Tensor, labels: Tensor, target_centres: Tensor, target_spreads: Tensor
                     ) -> HumanLossParts:
    """L_human split into centre alignment, spread and separation (see the module docstring).

    >>> pts = torch.tensor([[0., 0.], [2., 0.], [0., 4.], [0., 6.]])
    >>> parts = human_loss_parts(pts, torch.tensor([0, 0, 1, 1]),
    ...                          torch.tensor([[1., 0.], [0., 5.]]), torch.tensor([1., 2.]))
    >>> [round(float(p), 4) for p in parts]  # only class 1's spread misses its target, by 1; K = 2 * 3
    [0.0, 0.1667, 0.0, 0.1667]
    """
    num_classes = target_centres.shape[0]
    points2d = _at_least_float32(points2d)
    centres, spreads, counts = class_statistics(points2d, labels, num_classes)
    present = (counts > 0).to(points2d.dtype)
    n_present = present.sum()
    k = n_present * (n_present + 1.0)
    centre = (0.5 * ((centres - target_centres) ** 2).sum(dim=1)) @ present / k
    spread = (spreads - target_spreads).abs() @ present / k
    gaps = torch.linalg.vector_norm(centres[:, None, :] - centres[None, :, :], dim=-1)
    margins = F.relu(target_spreads[:, None] + target_spreads[None, :] - gaps)
    separation = (margins * torch.outer(present, present).fill_diagonal_(0.0)).sum() / k
    return HumanLossParts(centre, spread, separation, centre + spread + separation)


def human_loss(points2d: Tensor, labels: Tensor, target_centres: Tensor, target_spreads: Tensor) -> Tensor:
    """L_human for one batch of 2D points against per-class target centres [C, 2] and spreads [C].

    >>> pts = torch.tensor([[0., 0.], [2., 0.]])
    >>> float(human_loss(pts, torch.tensor([0, 0]), torch.tensor([[1., 2.]]), torch.tensor([1.])))
    1.0
    """
    return human_loss_parts(points2d, labels, target_centres, target_spreads).total


def rms_radius(points: Tensor) -> Tensor:
    """Root-mean-square distance of the points to their own centroid.

    >>> float(rms_radius(torch.tensor([[1., 0.], [-1., 0.], [0., 1.], [0., -1.]])))
    1.0
    """
    points = _at_least_float32(points)
    # a norm rather than sqrt(mean(...)): its gradient at zero radius is 0, not NaN
    return torch.linalg.vector_norm(points - points.mean(dim=0)) / math.sqrt(points.shape[0])


def scale_loss(points2d: Tensor, freeze_radius: float | Tensor) -> Tensor:
    """|1 - scale_model| with scale_model = RMS radius of the batch / RMS radius when the projection was frozen.

    >>> float(scale_loss(torch.tensor([[1., 0.], [-1., 0.]]), 2.0))
    0.5
    """
    return (1.0 - rms_radius(points2d) / freeze_radius).abs()


def direction_loss(scores: Tensor, wrt: Tensor, directions: Tensor, labels: Tensor,
                   sharpness: float = 20.0, scale: float = 100.0) -> Tensor:
    """Mean of scale * |tanh(sharpness * g.k) * (2y - 1) + 1| over annotated points.

    `scores` [N] must be computed from `wrt` [N, D] (row i of the score depending on row i only); g is the gradient
    of each score with respect to its own row, taken with `create_graph=True` so that the term trains; k is the
    unit arrow `directions` [N, D]. For y = 1 the term vanishes when the score falls along the arrow, for y = 0
    when it rises: for a binary classifier `scores` is the class-1 logit and y the label; in the latent editor
    `scores` is the true-class logit, `wrt` the latent, k the latent direction of the arrow and y = 1.

    >>> x = torch.tensor([[1., 0.]], requires_grad=True)
    >>> score = (x * torch.tensor([-3., 0.])).sum(dim=1)  # gradient (-3, 0): falls along +x
    >>> float(direction_loss(score, x, torch.tensor([[0., 2.]]), torch.tensor([1])))  # arrow along +y: g.k = 0
    100.0
    >>> round(float(direction_loss(score, x, torch.tensor([[1., 0.]]), torch.tensor([1]))), 4)  # along +x
    0.0
    """
    if scores.shape[0] != wrt.shape[0] or directions.shape != wrt.shape:
        raise ValueError(f"direction_loss needs scores [N], wrt [N, D] and directions [N, D]; got "
                         f"{tuple(scores.shape)}, {tuple(wrt.shape)}, {tuple(directions.shape)}")
    (grads,) = torch.autograd.grad(scores.sum(), wrt, create_graph=True)
    if grads is None:
        raise ValueError("the scores do not depend on `wrt`: compute them from it (for a model, from its latent)")
    unit = directions / torch.linalg.vector_norm(directions, dim=1, keepdim=True).clamp(min=1e-12)
    along = (grads.flatten(1).float() * unit.flatten(1).float()).sum(dim=1)
    sign = 2.0 * labels.to(along.dtype) - 1.0
    return (scale * (torch.tanh(sharpness * along) * sign + 1.0).abs()).mean()


_TINY = 1e-30  # stands in for a zero length: its rows are zero, so they stay zero


class _HumanAndScaleOnCpu(torch.autograd.Function):
    """alpha * L_human + lam * |1 - scale_model| and its gradient with respect to the 2D points, in one numpy pass
    on CPU (in the points' precision).

    The per-class tensors are tiny, so on CPU the autograd version costs its ~150 dispatched operations rather
    than arithmetic; with a small model that is a large share of a training step. This function does the same
    maths in about forty numpy operations and returns the analytic gradient; it is tested against `human_loss`
    and `scale_loss` (values and gradients, including one-point classes and coinciding centres).
    """

    @staticmethod
    def forward(ctx: Any, points: Tensor, labels: Tensor, target_centres: Tensor, target_spreads: Tensor,
                freeze_radius: float, alpha: float, lam: float) -> tuple[Tensor, tuple[float, float]]:
        p = points.detach().numpy()
        y = labels.numpy()
        tc, ts = target_centres.numpy().astype(p.dtype, copy=False), target_spreads.numpy().astype(p.dtype, copy=False)
        b, c = p.shape[0], tc.shape[0]
        onehot = np.zeros((b, c), dtype=p.dtype)
        onehot[np.arange(b), y] = 1.0
        counts = onehot.sum(axis=0)
        present = counts > 0
        inverse = 1.0 / np.maximum(counts, 1.0)  # absent classes: all their sums are zero anyway
        mu = (onehot.T @ p) * inverse[:, None]
        resid = p - mu[y]
        dist = np.sqrt((resid * resid).sum(axis=1))
        n = np.count_nonzero(present)
        k = n * (n + 1.0)
        d_mu = (mu - tc) * present[:, None]
        d_s = ((dist @ onehot) * inverse - ts) * present
        diff = mu[:, None, :] - mu[None, :, :]
        gaps = np.sqrt((diff * diff).sum(axis=-1))
        margins = ts[:, None] + ts[None, :] - gaps
        active = (margins > 0) & present[:, None] & present[None, :]
        active.flat[::c + 1] = False
        human = (0.5 * (d_mu * d_mu).sum() + np.abs(d_s).sum() + (margins * active).sum()) / k
        # centre alignment and separation act on mu; each point moves its class centre by 1 / n_c
        # (coinciding centres have diff = 0, so their pair adds nothing, as autograd's norm gradient at 0 does)
        weights = active / np.maximum(gaps, _TINY)
        g_mu = (d_mu - 2.0 * (weights[:, :, None] * diff).sum(axis=1)) * (inverse / k)[:, None]
        # spread: d s_c / d p_i = (u_i - mean of u over class c) / n_c, u the unit residual
        unit = resid / np.maximum(dist, _TINY)[:, None]
        g_s = np.sign(d_s) * inverse / k
        grad = alpha * (g_mu + g_s[:, None] * (-(onehot.T @ unit) * inverse[:, None]))[y] \
            + (alpha * g_s[y])[:, None] * unit
        centred = p - p.sum(axis=0) / b
        radius = math.sqrt(float((centred * centred).sum()) / b)
        scale = abs(1.0 - radius / freeze_radius)
        if radius > 0:
            grad -= (lam * math.copysign(1.0, 1.0 - radius / freeze_radius) * (radius != freeze_radius)
                     / (freeze_radius * b * radius)) * centred
        ctx.save_for_backward(torch.from_numpy(grad))
        # the parts are returned as plain floats: they are only logged, and tensors would cost operations per batch
        return torch.from_numpy(np.array(alpha * human + lam * scale, dtype=p.dtype)), (float(human), scale)

    @staticmethod
    def backward(ctx: Any, grad_total: Tensor, _: Any) -> tuple[Tensor | None, ...]:
        (grad,) = ctx.saved_tensors
        return grad * grad_total, None, None, None, None, None, None


def human_and_scale(points2d: Tensor, labels: Tensor, target_centres: Tensor, target_spreads: Tensor,
                    freeze_radius: float | Tensor, alpha: float, lam: float
                    ) -> tuple[Tensor, Tensor | float, Tensor | float]:
    """(alpha * L_human + lam * |1 - scale_model|, L_human, |1 - scale_model|); only the first carries gradient,
    the other two are for logging (plain floats on CPU, detached tensors elsewhere).

    On CPU one fused numpy pass with an analytic gradient; elsewhere (CUDA, MPS) the autograd functions above.

    >>> pts = torch.tensor([[0., 0.], [2., 0.], [0., 4.], [0., 6.]], requires_grad=True)
    >>> total, human, scale = human_and_scale(pts, torch.tensor([0, 0, 1, 1]), torch.tensor([[1., 0.], [0., 5.]]),
    ...                                       torch.tensor([1., 2.]), 2.5, alpha=0.5, lam=0.1)
    >>> round(float(human), 4), round(float(scale), 4)
    (0.1667, 0.0954)
    """
    radius = float(freeze_radius)
    if points2d.device.type == "cpu" and points2d.dtype in (torch.float32, torch.float64):
        total, (human, scale) = _HumanAndScaleOnCpu.apply(points2d, labels, _plain(target_centres),
                                                          _plain(target_spreads), radius, alpha, lam)
        return total, human, scale
    human = human_loss(points2d, labels, target_centres, target_spreads)
    scale = scale_loss(points2d, radius)
    return alpha * human + lam * scale, human.detach(), scale.detach()


def global_loss(logits: Tensor, labels: Tensor, *, points2d: Tensor | None = None,
                target_centres: Tensor | None = None, target_spreads: Tensor | None = None,
                freeze_radius: float | Tensor | None = None, alpha: float = 0.5, lam: float = 0.1,
                direction: Tensor | None = None, direction_weight: float = 0.0) -> LossTerms:
    """Combine the terms; the human and scale terms enter only when alpha > 0 and targets are given.

    >>> logits = torch.tensor([[2., 0.], [0., 2.]])
    >>> round(float(global_loss(logits, torch.tensor([0, 1]), alpha=0.0).total), 4)  # plain cross-entropy
    0.1269
    """
    ce = F.cross_entropy(logits.float(), labels)
    total, human, scale = ce, None, None
    if alpha > 0 and target_centres is not None:
        if points2d is None or target_spreads is None or freeze_radius is None:
            raise ValueError("the human term needs points2d, target_centres, target_spreads and freeze_radius")
        weighted, human, scale = human_and_scale(points2d, labels, target_centres, target_spreads,
                                                 freeze_radius, alpha, lam)
        total = (1.0 - alpha) * ce + weighted
    if direction is not None and direction_weight > 0:
        total = total + direction_weight * direction
    return LossTerms(total, ce, human, scale, direction)
