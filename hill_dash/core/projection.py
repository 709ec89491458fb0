"""The frozen latent -> 2D map that both the participant's view and the human loss use.

It is fitted once, at the end of epoch `projection_fit_epoch`, on training latents, then frozen: a fixed function
of the latent with no batch statistics, so the editor's points and the loss's points live in one frame.

- "linear": centre + the top-2 principal axes of the fitting latents (deterministic: eigen-decomposition in float64
  with a fixed sign convention).
- "mlp": latent -> hidden -> 2 trained (seeded, full batch) with a throw-away linear classifier on the 2D output,
  so the bottleneck keeps class structure.

Both outputs are centred and scaled once, at freeze time, so that the fitting points have RMS radius 1 about their
centroid; participants' moves and the loss weights then mean the same in every scenario. The radius measured at
freeze time is kept for the scale term.

When to fit (`RunConfig.projection_fit_epoch`): the paper fits after epoch 1. Measured on `digits`
(`hill-dash bench projection`), fitting at the end of pretraining gives a more readable first view (higher 2D
silhouette of the classes) and keeps the view's scale near 1, whereas after fitting at epoch 1 the latent has grown
about tenfold by the first interaction point, so the scale term and the human term's squared distances dominate
the loss. `projection_fit_epoch=None` fits at the first interaction point.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from hill_dash.core.devices import DeviceChoice
from hill_dash.core.losses import rms_radius
from hill_dash.core.metrics import predict
from hill_dash.core.scenarios.base import Split

KINDS = ("linear", "mlp")
MAX_FIT_POINTS = 20_000  # fitted on at most this many evenly spaced training latents


class ProjectionError(RuntimeError):
    """The projection was used before it was fitted, or cannot be fitted on the latents given."""


class Projection(nn.Module):
    """latent [B, D] -> 2D [B, 2]; call `fit` once, after which every parameter is frozen."""

    def __init__(self, latent_dim: int, kind: str = "linear", hidden: int = 64, seed: int = 0) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ProjectionError(f"unknown projection {kind!r}: use one of {', '.join(KINDS)}")
        if latent_dim < 2:
            raise ProjectionError(f"a latent of dimension {latent_dim} cannot be projected to 2D (needs >= 2)")
        self.kind, self.latent_dim, self.hidden, self.seed = kind, int(latent_dim), int(hidden), int(seed)
        with torch.random.fork_rng(devices=[]):  # building it must not move the training run's random stream
            torch.manual_seed(self.seed)
            if kind == "linear":
                self.net: nn.Module = nn.Linear(latent_dim, 2)
            else:
                self.net = nn.Sequential(nn.Linear(latent_dim, hidden), nn.ReLU(), nn.Linear(hidden, 2))
        self.register_buffer("in_mean", torch.zeros(latent_dim))
        self.register_buffer("in_scale", torch.ones(()))
        self.register_buffer("out_centre", torch.zeros(2))
        self.register_buffer("out_scale", torch.ones(()))
        self.register_buffer("freeze_radius", torch.ones(()))
        self.register_buffer("fitted", torch.zeros((), dtype=torch.bool))
        self._ready = False  # mirrors `fitted` as a Python bool: read on every batch, so no tensor read
        self.requires_grad_(False)

    @property
    def is_fitted(self) -> bool:
        return self._ready

    @property
    def radius(self) -> float:
        """The RMS radius of the fitting points at freeze time, as a float."""
        return float(self.freeze_radius)

    def forward(self, latent: Tensor) -> Tensor:
        if not self.is_fitted:
            raise ProjectionError("the projection is not fitted yet: it is fitted at the end of "
                                  "`projection_fit_epoch`; train at least that many epochs first")
        if torch.is_autocast_enabled(latent.device.type):  # the 2D frame is always computed in float32
            with torch.autocast(device_type=latent.device.type, enabled=False):
                return self._map(latent.float())
        return self._map(latent.float())

    def _map(self, latent: Tensor) -> Tensor:
        if self.kind == "linear":  # centring and scaling are folded into the layer at freeze time: one matmul
            return self.net(latent)
        return (self.net((latent - self.in_mean) / self.in_scale) - self.out_centre) / self.out_scale

    @torch.no_grad()
    def fit(self, latents: Tensor, labels: Tensor | None = None, num_classes: int | None = None,
            steps: int = 300) -> None:
        """Fit on latents [N, D] (labels needed for "mlp"), normalise the output to RMS radius 1, and freeze."""
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ProjectionError(f"expected latents [N, {self.latent_dim}], got {tuple(latents.shape)}")
        if latents.shape[0] < 3:
            raise ProjectionError(f"need at least 3 latents to fit a 2D projection, got {latents.shape[0]}")
        latents = latents.detach().float()
        mean = latents.mean(dim=0)
        spread = ((latents - mean) ** 2).sum(dim=1).mean().sqrt()
        if not torch.isfinite(spread) or spread <= 0:
            raise ProjectionError("the fitting latents have no spread (all equal or not finite): the model's "
                                  "latent layer is dead at this epoch; fit the projection at a later epoch")
        if self.kind == "linear":
            self._fit_pca(latents, mean)
        else:
            if labels is None or num_classes is None:
                raise ProjectionError("the mlp projection is trained with class labels: pass labels and num_classes")
            self.in_mean.copy_(mean)
            self.in_scale.fill_(float(spread))
            self._fit_mlp((latents - mean) / spread, labels, num_classes, steps)
            raw = self._map(latents)
            self.out_centre.copy_(raw.mean(dim=0))
            self.out_scale.fill_(float(rms_radius(raw)))
        self.freeze_radius.fill_(float(rms_radius(self._map(latents))))
        self.fitted.fill_(True)
        self._ready = True
        self.requires_grad_(False)

    def _fit_pca(self, latents: Tensor, mean: Tensor) -> None:
        x = (latents - mean).double()
        _, vectors = torch.linalg.eigh(x.T @ x / x.shape[0])
        axes = vectors[:, [-1, -2]].T  # largest variance first
        flip = torch.sign(axes.gather(1, axes.abs().argmax(dim=1, keepdim=True)))
        axes = axes * flip  # the largest entry of each axis is positive: one frame for equal inputs
        raw = x @ axes.T  # centred by construction
        weight = axes / rms_radius(raw).double()
        self.net.weight.copy_(weight.float())
        self.net.bias.copy_((-(mean.double() @ weight.T)).float())

    def _fit_mlp(self, standardised: Tensor, labels: Tensor, num_classes: int, steps: int) -> None:
        labels = labels.to(standardised.device).long()
        with torch.random.fork_rng(devices=[]), torch.enable_grad():
            torch.manual_seed(self.seed)  # its own seed: fitting never moves the run's random stream
            net = nn.Sequential(nn.Linear(self.latent_dim, self.hidden), nn.ReLU(), nn.Linear(self.hidden, 2))
            head = nn.Linear(2, num_classes)
            net.to(standardised.device)
            head.to(standardised.device)
            optimiser = torch.optim.Adam([*net.parameters(), *head.parameters()], lr=1e-2)
            for _ in range(steps):
                optimiser.zero_grad(set_to_none=True)
                F.cross_entropy(head(net(standardised)), labels).backward()
                optimiser.step()
        self.net.load_state_dict(net.state_dict())

    def inverse_direction(self, arrows: Tensor, at: Tensor | None = None) -> Tensor:
        """Map 2D arrows [N, 2] (or [2]) to latent directions [N, D] (or [D]).

        Linear: the pseudo-inverse of the map. MLP: the pseudo-inverse of its Jacobian at the latents `at` [N, D]
        where the arrows were drawn. Projecting the result forward gives the arrow back (to first order).
        """
        if not self.is_fitted:
            raise ProjectionError("fit the projection before mapping arrows into the latent space")
        single = arrows.ndim == 1
        arrows = arrows.reshape(-1, 2).float().to(self.in_mean.device)
        if self.kind == "linear":
            out = arrows @ torch.linalg.pinv(self.net.weight).T
        else:
            if at is None or at.shape[0] != arrows.shape[0]:
                raise ProjectionError("the mlp projection needs `at`: one latent [D] per arrow, where it was drawn")
            jacobians = torch.func.vmap(torch.func.jacrev(self._map))(at.detach().float().to(arrows.device))
            out = (torch.linalg.pinv(jacobians) @ arrows[:, :, None])[:, :, 0]
        return out[0] if single else out

    def to_state(self) -> dict[str, Any]:
        """A plain dict (tensors and numbers only) that `from_state` rebuilds the projection from."""
        return {"kind": self.kind, "latent_dim": self.latent_dim, "hidden": self.hidden, "seed": self.seed,
                "state": {k: v.detach().cpu() for k, v in self.state_dict().items()}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Projection:
        projection = cls(state["latent_dim"], state["kind"], state["hidden"], state["seed"])
        projection.load_state_dict(state["state"])
        projection._ready = bool(projection.fitted)
        projection.requires_grad_(False)
        return projection


def fit_on_split(model: nn.Module, split: Split, choice: DeviceChoice, kind: str = "linear",
                 num_classes: int | None = None, seed: int = 0, max_points: int = MAX_FIT_POINTS) -> Projection:
    """Fit a projection of `kind` on the model's latents of (an evenly spaced subset of) `split`, in eval mode."""
    rows = torch.linspace(0, len(split) - 1, min(len(split), max_points)).round().long().unique()
    subset = Split(split.x[rows], split.y[rows])
    _, latents = predict(model, subset, choice)
    projection = Projection(latents.shape[1], kind, seed=seed)
    projection.fit(latents, subset.y, num_classes if num_classes is not None else int(subset.y.max()) + 1)
    return projection.to(choice.device)
