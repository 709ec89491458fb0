"""Finding and building scenarios by name: the built-ins, `module:function` references and entry points.

`build_scenario(ScenarioSpec("digits"))` builds a built-in; `ScenarioSpec("my_pkg.mod:build")` imports and calls a
plugin; any other name is looked up in the `hill_dash.scenarios` entry-point group. Built-in names win over entry
points of the same name. Whatever builds it, a scenario is checked (`plugins.validate_scenario`) before it is
returned.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from types import ModuleType

import torch

from hill_dash.core.scenarios import basicmotions, cifar10, digits, pamap2
from hill_dash.core.scenarios.base import Scenario, ScenarioError, ScenarioInfo, ScenarioSpec
from hill_dash.core.scenarios.plugins import (
    entry_points,
    load_entry_point,
    load_reference,
    run_builder,
    validate_scenario,
)

_BUILTIN_MODULES: tuple[ModuleType, ...] = (digits, basicmotions, cifar10, pamap2)


def _builtins() -> dict[str, tuple[ScenarioInfo, Callable[[ScenarioSpec], Scenario]]]:
    return {module.INFO.name: (module.INFO, module.build) for module in _BUILTIN_MODULES}


def build_scenario(spec: ScenarioSpec) -> Scenario:
    """Build and check the scenario `spec.name` names; ScenarioError (a ValueError) says what to fix."""
    builtins = _builtins()
    if spec.name in builtins:
        _, builder = builtins[spec.name]
        return validate_scenario(builder(spec), f"built-in scenario {spec.name!r}")
    if ":" in spec.name:
        label = f"scenario plugin {spec.name!r}"
        return validate_scenario(run_builder(load_reference(spec.name), spec, label), label)
    found = entry_points()
    if spec.name in found:
        entry = found[spec.name]
        label = f"scenario entry point {entry.name!r} ({entry.value})"
        return validate_scenario(run_builder(load_entry_point(entry), spec, label), label)
    known = sorted(builtins) + sorted(set(found) - set(builtins))
    raise ScenarioError(f"unknown scenario {spec.name!r}; known: {', '.join(known)}. A scenario of your own is "
                        f"named package.module:function or registered in the 'hill_dash.scenarios' entry points")


def list_scenarios() -> list[ScenarioInfo]:
    """The built-in scenarios, then the installed entry points (listed without importing them)."""
    builtins = _builtins()
    infos = [info for info, _ in builtins.values()]
    for name, entry in sorted(entry_points().items()):
        dist = getattr(entry, "dist", None)
        package = dist.name if dist is not None else "an installed package"
        shadowed = name in builtins
        infos.append(ScenarioInfo(
            name=name,
            description=("ignored: a built-in scenario has this name" if shadowed
                         else f"scenario plugin from {package}"),
            source=f"defined by {entry.value}",
            needs_files=None,
            can_download=False,
            default_display_size=None,
            origin=f"entry point {entry.value}",
        ))
    return infos


def describe(scenario: Scenario) -> dict[str, object]:
    """A plain summary of a built scenario (sizes, shapes, latent size, defaults) for listings and reports."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        model = scenario.model_factory().eval()
        _, latent = model(scenario.train.x[:2])
    return {
        "name": scenario.name,
        "description": scenario.description,
        "source": scenario.source,
        "class_names": list(scenario.class_names),
        "sizes": {"train": len(scenario.train), "val": len(scenario.val), "test": len(scenario.test),
                  "display": int(scenario.display_index.numel())},
        "input_shape": list(scenario.input_shape),
        "latent_dim": int(latent.shape[1]),
        "parameters": sum(p.numel() for p in model.parameters()),
        "defaults": asdict(scenario.defaults),
    }
