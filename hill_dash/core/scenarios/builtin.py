"""What the built-in scenarios share: turning their splits and `ScenarioInfo` into a `Scenario`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from torch import nn

from hill_dash.core.scenarios.base import Scenario, ScenarioInfo, ScenarioSpec, Split, TrainDefaults
from hill_dash.core.scenarios.display import display_index_for


def assemble(info: ScenarioInfo, spec: ScenarioSpec, class_names: Sequence[str], splits: tuple[Split, Split, Split],
             model_factory: Callable[[], nn.Module], source: str, defaults: TrainDefaults) -> Scenario:
    """A built-in scenario named and described by `info`, its display subset drawn as `spec` asks."""
    train, val, test = splits
    default_size = info.default_display_size if info.default_display_size is not None else len(val)
    return Scenario(name=info.name, class_names=tuple(class_names), train=train, val=val, test=test,
                    display_index=display_index_for(spec, val.y, default_size), model_factory=model_factory,
                    source=source, defaults=defaults, description=info.description)
