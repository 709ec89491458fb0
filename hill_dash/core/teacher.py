"""The teachers: how a participant's targets become a training signal the model follows.

Two teachers are selectable per run (`RunConfig.teacher`):

- `paper`: L_global = (1 - alpha) * CE + alpha * L_human + lam * |1 - scale_model| on the training batch's 2D
  class statistics, exactly as the paper writes it (see `losses`). Kept for replication.
- `follow` (the default): each training row gets its own 2D target once, at the interaction point, by the
  similarity transform the participant's edit implies for its class (`row_targets`): the class's target centre
  plus the row's offset from the class centre the participant saw, scaled by target spread / spread seen. The
  loss is the mean squared distance of each row's 2D point to its target, computed on a dropout-free (eval-mode)
  pass of the latent so that the loss sees the points the participant sees. A class left alone has its rows'
  own positions as targets, so no edit means "keep" and the term is zero at the interaction point. The term's
  gradient is balanced against cross-entropy's (GradNorm, Chen et al. 2018) so that alpha is the teacher's share
  of the update at the latent layer whatever the size of the edit (`GradientBalance`).

Why, measured with `hill-dash bench follow` (digits): the paper's term moves a class about a sixth of the way,
because its gradient per point is divided by the class count and by K = C_b (C_b + 1) and is ~8% of
cross-entropy's, and its separation hinge is mostly active with no edit at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor

TEACHERS = ("follow", "paper")
DEFAULT_TEACHER = "follow"


def row_targets(points: np.ndarray | Tensor, labels: np.ndarray | Tensor, seen_centres: np.ndarray,
                seen_spreads: np.ndarray, target_centres: np.ndarray, target_spreads: np.ndarray) -> np.ndarray:
    """Per-row 2D targets [N, 2] for rows at `points` [N, 2] with `labels` [N]:

        t_i = mu*_c + (s*_c / s_c) (z_i - mu_c)

    with mu_c, s_c the class centre and spread the participant saw and mu*_c, s*_c the targets. A class whose seen
    spread is zero is only translated.

    >>> t = row_targets(np.array([[1., 0.], [3., 0.], [0., 5.]]), np.array([0, 0, 1]),
    ...                 np.array([[2., 0.], [0., 5.]]), np.array([1., 0.]),
    ...                 np.array([[2., 4.], [0., 5.]]), np.array([0.5, 0.]))
    >>> t.tolist()  # class 0 moved up by 4 and halved; class 1 kept
    [[1.5, 4.0], [2.5, 4.0], [0.0, 5.0]]
    """
    z = np.asarray(points, dtype=np.float64)
    y = np.asarray(labels, dtype=np.int64)
    seen_c, seen_s = np.asarray(seen_centres, dtype=np.float64), np.asarray(seen_spreads, dtype=np.float64)
    goal_c, goal_s = np.asarray(target_centres, dtype=np.float64), np.asarray(target_spreads, dtype=np.float64)
    ratio = np.where(seen_s > 0, goal_s / np.where(seen_s > 0, seen_s, 1.0), 1.0)
    return (goal_c[y] + ratio[y, None] * (z - seen_c[y])).astype(np.float32)


def follow_loss(points2d: Tensor, targets2d: Tensor, labels: Tensor | None = None, edited: Tensor | None = None,
                num_classes: int | None = None) -> tuple[Tensor, Tensor]:
    """(L_edited, L_kept) of a batch, both divided by the batch size B:

        L_edited = 0.5 * sum over rows i of edited classes of ||z_i - t_i||^2
        L_kept   = 0.5 * sum over other classes c in the batch of n_c ||mean_c(z) - mean_c(t)||^2

    Rows of an edited class each go to their own target; a class left alone only keeps its centre, so that
    cross-entropy stays free to reshape it. Without `edited` every row counts as edited.

    >>> z, t = torch.tensor([[0., 0.], [1., 1.], [3., 0.]]), torch.tensor([[2., 0.], [1., 1.], [3., 0.]])
    >>> [round(float(v), 4) for v in follow_loss(z, t)]
    [0.6667, 0.0]
    >>> # class 0 (rows 0, 1) left alone: only its centre, off by (1, 0), counts, with weight n_c = 2
    >>> [round(float(v), 4) for v in follow_loss(z, t, torch.tensor([0, 0, 1]), torch.tensor([False, True]), 2)]
    [0.0, 0.3333]
    """
    diff = points2d.float() - targets2d.float()
    squared = (diff * diff).sum(dim=1)
    if edited is None or labels is None:
        return 0.5 * squared.mean(), squared.new_zeros(())
    own = edited.to(diff.device)[labels].to(diff.dtype)
    kept = torch.nn.functional.one_hot(labels, num_classes).to(diff.dtype) * (1.0 - own)[:, None]
    counts = kept.sum(dim=0)
    mean_diff = (kept.T @ diff) / counts.clamp(min=1.0)[:, None]
    per_class = (counts * (mean_diff * mean_diff).sum(dim=1)).sum()
    return 0.5 * (own * squared).sum() / diff.shape[0], 0.5 * per_class / diff.shape[0]


@dataclass
class GradientBalance:
    """Weight w in (1 - alpha) * CE + alpha * w * L_teacher such that w * |dL_teacher/dlatent| = |dCE/dlatent|:
    alpha is then the teacher's share of the update at the latent layer.

    The norms are smoothed over batches (`momentum`) and w is capped (`max_weight`): with no edit the teacher's
    gradient is near zero and an uncapped ratio would amplify noise into a strong pull.
    """

    momentum: float = 0.9
    max_weight: float = 25.0
    ce_norm: float | None = None
    teacher_norm: float | None = None

    def update(self, ce_grad: Tensor, teacher_grad: Tensor) -> None:
        ce, teacher = float(torch.linalg.vector_norm(ce_grad)), float(torch.linalg.vector_norm(teacher_grad))
        if not (math.isfinite(ce) and math.isfinite(teacher)):
            return
        m = self.momentum
        self.ce_norm = ce if self.ce_norm is None else m * self.ce_norm + (1 - m) * ce
        self.teacher_norm = teacher if self.teacher_norm is None else m * self.teacher_norm + (1 - m) * teacher

    def weight(self, alpha: float) -> float:
        """Never below 1: a large edit keeps at least the plain weight."""
        if alpha <= 0 or self.ce_norm is None or self.teacher_norm is None:
            return 1.0
        wanted = self.ce_norm / max(self.teacher_norm, 1e-12)
        return float(min(max(wanted, 1.0), self.max_weight))

    def to_dict(self) -> dict[str, float | None]:
        return {"ce_norm": self.ce_norm, "teacher_norm": self.teacher_norm}

    def load(self, data: dict[str, float | None] | None) -> None:
        data = data or {}
        self.ce_norm, self.teacher_norm = data.get("ce_norm"), data.get("teacher_norm")


class FollowTeacher:
    """The `follow` teacher's state in a run: the training rows' 2D targets and the gradient balance."""

    def __init__(self, eval_pass: bool = True, balance: bool = True) -> None:
        self.eval_pass, self.balance = eval_pass, balance
        self.targets: Tensor | None = None  # [N_train, 2], set at each interaction point
        self.edited: Tensor | None = None  # [C] bool: classes the participant moved
        self.balancer = GradientBalance()
        self.last_weight = 1.0

    @property
    def ready(self) -> bool:
        return self.targets is not None

    def set_targets(self, targets: np.ndarray | Tensor, edited: np.ndarray) -> None:
        self.targets = torch.as_tensor(np.asarray(targets, dtype=np.float32))
        self.edited = torch.as_tensor(np.asarray(edited, dtype=bool))
        self.balancer = GradientBalance()  # a new edit: its gradient scale is measured afresh

    def teacher_latent(self, model: torch.nn.Module, x: Tensor, latent: Tensor) -> Tensor:
        """The latent the teacher sees: a dropout-free (eval-mode) pass, or the training pass's own."""
        if not self.eval_pass:
            return latent
        model.eval()
        try:
            _, out = model(x)
        finally:
            model.train()
        return out

    def loss(self, ce: Tensor, latent: Tensor, teacher_latent: Tensor, points2d: Tensor, rows: Tensor,
             labels: Tensor, alpha: float) -> tuple[Tensor, Tensor]:
        """(alpha * (w * L_edited + L_kept), L_edited + L_kept) for a batch of training `rows` whose 2D points are
        `points2d`. Only the edited part is balanced: with no edit the term is a gentle hold, not a pull
        amplified to cross-entropy's size."""
        goal = self.targets[rows].to(points2d.device)
        edited, kept = follow_loss(points2d, goal, labels, self.edited, len(self.edited))
        weight = 1.0
        if self.balance and alpha > 0 and edited.requires_grad and bool(self.edited.any()):
            ce_grad, = torch.autograd.grad(ce, latent, retain_graph=True)
            teacher_grad, = torch.autograd.grad(edited, teacher_latent, retain_graph=True)
            self.balancer.update(ce_grad, teacher_grad)
            weight = self.balancer.weight(alpha)
        self.last_weight = weight
        return alpha * (weight * edited + kept), (edited + kept).detach()

    def state(self) -> dict:
        return {"targets": self.targets, "edited": self.edited, "balance": self.balancer.to_dict()}

    def load_state(self, state: dict | None) -> None:
        if not state:
            return
        self.targets, self.edited = state.get("targets"), state.get("edited")
        self.balancer.load(state.get("balance"))


def nearest_same_class(points: Tensor, labels: Tensor, train_points: Tensor, train_labels: Tensor, k: int
                       ) -> tuple[Tensor, Tensor]:
    """For each query point [n, D] of class labels[i], its `k` nearest training rows of the same class.

    Returns (training rows [m], index of the query each row belongs to [m]); a class with fewer than k training
    rows gives all of them. Raises when a query's class has no training row.

    >>> rows, owner = nearest_same_class(torch.tensor([[0., 0.]]), torch.tensor([1]),
    ...                                  torch.tensor([[5., 0.], [1., 0.], [0., 2.], [0.5, 0.]]),
    ...                                  torch.tensor([1, 1, 0, 1]), 2)
    >>> rows.tolist(), owner.tolist()
    ([3, 1], [0, 0])
    """
    if k < 1:
        raise ValueError(f"neighbours={k}: each arrow needs at least one training row")
    rows, owners = [], []
    for i in range(points.shape[0]):
        same = torch.nonzero(train_labels == labels[i]).flatten()
        if same.numel() == 0:
            raise ValueError(f"class {int(labels[i])} has no training rows for an arrow to act on")
        dist = torch.linalg.vector_norm(train_points[same] - points[i], dim=1)
        nearest = same[torch.argsort(dist)[:k]]
        rows.append(nearest)
        owners.append(torch.full((nearest.numel(),), i, dtype=torch.long))
    return torch.cat(rows), torch.cat(owners)
