"""A run's configuration: one dataclass, saved as `config.json` in every run directory.

Fields left at None take the scenario's `TrainDefaults`; `resolved(defaults)` fills them so that what a run
actually used is always written down next to its results.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from hill_dash.core.devices import DEVICE_CHOICES
from hill_dash.core.scenarios.base import ScenarioSpec, TrainDefaults
from hill_dash.core.teacher import DEFAULT_TEACHER, TEACHERS

PROJECTIONS = ("linear", "mlp")
CONFIG_FILE = "config.json"


class ConfigError(ValueError):
    """A run configuration that cannot be trained; the message names the field and how to fix it."""


@dataclass(frozen=True)
class RunConfig:
    """Everything that decides a HILL run's numbers (together with the scenario's data)."""

    scenario: str
    scenario_options: dict[str, Any] = field(default_factory=dict)
    data_dir: str | None = None
    data_seed: int = 0  # splits and display subset; kept apart from `seed` so baselines share the data
    seed: int = 0  # model initialisation, shuffling, dropout
    alpha: float = 0.5
    lam: float = 0.1
    direction_weight: float = 0.01  # the direction term is 0..200 per point; 0.01 keeps it on CE's scale
    batch_size: int | None = None
    lr: float | None = None
    weight_decay: float | None = None
    projection: str = "linear"
    # None: at the end of pretraining (the first interaction point). The paper fitted it after epoch 1; measured
    # here (`hill-dash bench projection`), a view fitted at the end of pretraining separates the classes better
    # and does not cost accuracy, while a view fitted at epoch 1 has grown ~10x by the first interaction point.
    projection_fit_epoch: int | None = None
    interaction_epochs: tuple[int, ...] | None = None
    end_epoch: int | None = None
    display_size: int | None = None
    device: str = "auto"
    # how targets become a training signal (see `teacher`): "follow" (measured to be followed) or "paper"
    teacher: str = DEFAULT_TEACHER
    teacher_eval_pass: bool = True  # follow teacher: loss on a dropout-free pass of the latent
    teacher_balance: bool = True  # follow teacher: alpha is its share of the gradient at the latent layer
    adaptive_alpha: bool = False  # lower alpha after a round that leaves accuracy below the baseline band

    def __post_init__(self) -> None:
        if self.interaction_epochs is not None:
            object.__setattr__(self, "interaction_epochs", tuple(int(e) for e in self.interaction_epochs))
        self.validate()

    def validate(self) -> None:
        """Raise `ConfigError` for values no run could use."""
        if not self.scenario:
            raise ConfigError("scenario is empty: name a scenario, e.g. 'digits'")
        if not 0.0 <= self.alpha <= 1.0:
            raise ConfigError(f"alpha={self.alpha} is outside [0, 1]: 0 is plain cross-entropy, 1 is human loss only")
        for name in ("lam", "direction_weight"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name}={getattr(self, name)} is negative: use 0 to switch the term off")
        if self.teacher not in TEACHERS:
            raise ConfigError(f"teacher={self.teacher!r}: use one of {', '.join(TEACHERS)}")
        if self.projection not in PROJECTIONS:
            raise ConfigError(f"projection={self.projection!r}: use one of {', '.join(PROJECTIONS)}")
        if self.projection_fit_epoch is not None and self.projection_fit_epoch < 1:
            raise ConfigError("projection_fit_epoch must be >= 1 (the projection is fitted at the end of an epoch)")
        for name in ("batch_size", "end_epoch", "display_size"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name}={value} must be a positive integer")
        if self.device.split(":", 1)[0] not in DEVICE_CHOICES:
            raise ConfigError(f"device={self.device!r}: use one of {', '.join(DEVICE_CHOICES)}")

    def resolved(self, defaults: TrainDefaults) -> RunConfig:
        """Fill unset fields from the scenario's defaults and check the schedule is trainable."""
        end = self.end_epoch if self.end_epoch is not None else defaults.end_epoch
        points = self.interaction_epochs if self.interaction_epochs is not None else defaults.interaction_epochs
        if self.interaction_epochs is None:
            points = tuple(e for e in points if e < end)  # a shorter run keeps only the points it reaches
        fit = self.projection_fit_epoch
        if fit is None:
            fit = min(points) if points else end
        out = replace(
            self,
            projection_fit_epoch=fit,
            batch_size=self.batch_size if self.batch_size is not None else defaults.batch_size,
            lr=self.lr if self.lr is not None else defaults.lr,
            weight_decay=self.weight_decay if self.weight_decay is not None else defaults.weight_decay,
            interaction_epochs=tuple(sorted(set(points))),
            end_epoch=end,
        )
        out.check_schedule()
        return out

    def check_schedule(self) -> None:
        """The projection must exist before the first interaction point, and every point must precede the end."""
        points, end = self.interaction_epochs or (), self.end_epoch
        if end is None or self.projection_fit_epoch is None:
            return
        late = [e for e in points if e < 1 or e >= end]
        if late:
            raise ConfigError(f"interaction epochs {late} must lie between 1 and end_epoch-1 ({end - 1})")
        if self.projection_fit_epoch > end:
            raise ConfigError(f"projection_fit_epoch={self.projection_fit_epoch} is after end_epoch={end}")
        if points and self.projection_fit_epoch > min(points):
            raise ConfigError(
                f"projection_fit_epoch={self.projection_fit_epoch} is after the first interaction point "
                f"({min(points)}): participants need the 2D view by then; fit it at or before that epoch")

    def scenario_spec(self) -> ScenarioSpec:
        """The `ScenarioSpec` that rebuilds this run's data."""
        return ScenarioSpec(name=self.scenario, data_dir=self.data_dir, display_size=self.display_size,
                            seed=self.data_seed, options=dict(self.scenario_options))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if data["interaction_epochs"] is not None:
            data["interaction_epochs"] = list(data["interaction_epochs"])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunConfig:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown config fields {unknown}; known fields: {sorted(known)}")
        if "teacher" not in data:  # saved before runs chose a teacher: they were trained with the paper's
            data = {**data, "teacher": "paper"}
        return cls(**data)

    def save(self, run_dir: str | Path) -> Path:
        path = Path(run_dir) / CONFIG_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, run_dir: str | Path) -> RunConfig:
        path = Path(run_dir) / CONFIG_FILE
        if not path.is_file():
            raise ConfigError(f"{path} does not exist: is {run_dir} a run directory?")
        return cls.from_dict(json.loads(path.read_text()))
