"""Scenarios users bring: `module:function` references, the `hill_dash.scenarios` entry points, and the checks
every scenario passes before anyone trains on it.

A plugin is a callable taking a `ScenarioSpec` and returning a `Scenario`; `balanced_subset` in
`hill_dash.core.scenarios.display` gives it the same display subset as the built-in scenarios. A package registers
one under a name with, in its pyproject.toml:

    [project.entry-points."hill_dash.scenarios"]
    my-scenario = "my_package.scenarios:build"
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Callable

import torch
from torch import nn

from hill_dash.core.scenarios.base import Scenario, ScenarioError, ScenarioSpec, Split, TrainDefaults

ENTRY_POINT_GROUP = "hill_dash.scenarios"

Builder = Callable[[ScenarioSpec], Scenario]


def load_reference(reference: str) -> Builder:
    """Import `package.module:function` and return the function; ScenarioError says what failed."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise ScenarioError(f"scenario plugin {reference!r}: write it as package.module:function")
    try:
        module = importlib.import_module(module_name)
    except Exception as err:  # any import-time failure of user code must name the plugin
        raise ScenarioError(f"scenario plugin {reference!r}: cannot import {module_name!r} "
                            f"({type(err).__name__}: {err}); is the package installed in this environment?") from err
    target: object = module
    for part in attribute.split("."):
        if not hasattr(target, part):
            raise ScenarioError(f"scenario plugin {reference!r}: module {module_name!r} has no {attribute!r}")
        target = getattr(target, part)
    if not callable(target):
        raise ScenarioError(f"scenario plugin {reference!r}: {attribute!r} is a {type(target).__name__}, not a "
                            f"function taking a ScenarioSpec")
    return target


def entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    """The installed `hill_dash.scenarios` entry points by name."""
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def load_entry_point(entry: importlib.metadata.EntryPoint) -> Builder:
    """Load one entry point's callable; ScenarioError names the entry point and its target when that fails."""
    label = f"scenario entry point {entry.name!r} ({entry.value})"
    try:
        target = entry.load()
    except Exception as err:  # user code: report, never crash the listing or the app
        raise ScenarioError(f"{label}: cannot load it ({type(err).__name__}: {err})") from err
    if not callable(target):
        raise ScenarioError(f"{label}: it is a {type(target).__name__}, not a function taking a ScenarioSpec")
    return target


def run_builder(builder: Builder, spec: ScenarioSpec, label: str) -> Scenario:
    """Call a plugin's builder, turning anything it raises into a ScenarioError that names it."""
    try:
        return builder(spec)
    except Exception as err:  # user code
        raise ScenarioError(f"{label} failed to build {spec.name!r}: {type(err).__name__}: {err}") from err


def _check_split(label: str, name: str, split: object, num_classes: int) -> Split:
    if not isinstance(split, Split):
        raise ScenarioError(f"{label}: {name} is a {type(split).__name__}, not a Split(x, y)")
    if len(split) == 0:
        raise ScenarioError(f"{label}: the {name} split is empty")
    if not split.x.is_floating_point():
        raise ScenarioError(f"{label}: {name}.x is {split.x.dtype}; inputs must be a float tensor")
    low, high = int(split.y.min()), int(split.y.max())
    if low < 0 or high >= num_classes:
        raise ScenarioError(f"{label}: {name} labels span {low}..{high} but there are {num_classes} class names; "
                            f"labels must be class indices 0..{num_classes - 1}")
    return split


def _check_model(label: str, scenario: Scenario) -> None:
    try:
        model = scenario.model_factory()
    except Exception as err:  # user code
        raise ScenarioError(f"{label}: model_factory() raised {type(err).__name__}: {err}") from err
    if not isinstance(model, nn.Module):
        raise ScenarioError(f"{label}: model_factory() returned a {type(model).__name__}, not a torch.nn.Module")
    sample = scenario.train.x[:2]
    rows, classes = sample.shape[0], scenario.num_classes
    model.eval()
    try:
        with torch.no_grad():
            output = model(sample)
    except Exception as err:  # user code
        raise ScenarioError(f"{label}: the model failed on {rows} training inputs of shape "
                            f"{tuple(sample.shape[1:])}: {type(err).__name__}: {err}") from err
    if not (isinstance(output, tuple) and len(output) == 2 and all(isinstance(t, torch.Tensor) for t in output)):
        raise ScenarioError(f"{label}: model(x) must return a tuple (logits, latent) of tensors, got "
                            f"{type(output).__name__}")
    logits, latent = output
    if tuple(logits.shape) != (rows, classes):
        raise ScenarioError(f"{label}: logits have shape {tuple(logits.shape)}, expected [{rows}, {classes}] "
                            f"(samples, classes)")
    if latent.dim() != 2 or latent.shape[0] != rows or latent.shape[1] < 1:
        raise ScenarioError(f"{label}: latent has shape {tuple(latent.shape)}, expected [{rows}, D]; flatten the "
                            f"feature layer the editor should show")
    if not (torch.isfinite(logits).all() and torch.isfinite(latent).all()):
        raise ScenarioError(f"{label}: the model gives non-finite logits or latents on training inputs")


def validate_scenario(scenario: object, label: str) -> Scenario:
    """Check a built scenario against the contract of `base.Scenario`; ScenarioError says what is wrong.

    The model is built and run once on two training samples in evaluation mode; the global torch random state is
    restored afterwards so that validation never shifts a seeded run.
    """
    if not isinstance(scenario, Scenario):
        raise ScenarioError(f"{label} returned a {type(scenario).__name__}, not a hill_dash Scenario")
    names = scenario.class_names
    if not names or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
        raise ScenarioError(f"{label}: class_names must be distinct strings, got {names!r}")
    splits = {name: _check_split(label, name, getattr(scenario, name), len(names)) for name in ("train", "val", "test")}
    shapes = {name: tuple(split.x.shape[1:]) for name, split in splits.items()}
    if len(set(shapes.values())) != 1:
        raise ScenarioError(f"{label}: the splits' input shapes differ: {shapes}")
    index = scenario.display_index
    if not isinstance(index, torch.Tensor) or index.dim() != 1 or index.numel() == 0 or index.is_floating_point():
        raise ScenarioError(f"{label}: display_index must be a non-empty 1-D integer tensor of validation indices")
    if int(index.min()) < 0 or int(index.max()) >= len(scenario.val) or index.unique().numel() != index.numel():
        raise ScenarioError(f"{label}: display_index must hold distinct indices into val (0..{len(scenario.val) - 1})")
    _check_defaults(label, scenario.defaults)
    with torch.random.fork_rng(devices=[]):
        _check_model(label, scenario)
    return scenario


def _check_defaults(label: str, defaults: object) -> None:
    if not isinstance(defaults, TrainDefaults):
        raise ScenarioError(f"{label}: defaults must be a TrainDefaults, got {type(defaults).__name__}")
    epochs = list(defaults.interaction_epochs)
    if defaults.batch_size < 1 or defaults.lr <= 0:
        raise ScenarioError(f"{label}: defaults need batch_size >= 1 and lr > 0, got {defaults}")
    if epochs != sorted(set(epochs)) or (epochs and (epochs[0] < 1 or epochs[-1] > defaults.end_epoch)):
        raise ScenarioError(f"{label}: interaction_epochs {epochs} must increase, each within 1..end_epoch "
                            f"({defaults.end_epoch})")
