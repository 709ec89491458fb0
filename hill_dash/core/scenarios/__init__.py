"""Scenarios: data splits, a model and class names, built by name (`build_scenario`) or listed (`list_scenarios`)."""

from hill_dash.core.scenarios.base import Scenario, ScenarioError, ScenarioInfo, ScenarioSpec, Split, TrainDefaults
from hill_dash.core.scenarios.display import balanced_subset
from hill_dash.core.scenarios.registry import build_scenario, list_scenarios

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioInfo",
    "ScenarioSpec",
    "Split",
    "TrainDefaults",
    "balanced_subset",
    "build_scenario",
    "list_scenarios",
]
