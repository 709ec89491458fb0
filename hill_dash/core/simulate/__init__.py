"""Simulated participants: the study's editing strategies as code, and a driver that plays one through a run."""

from hill_dash.core.simulate.driver import SimulationResult, simulate_participant
from hill_dash.core.simulate.strategies import (STRATEGIES, ChangeStrategy, Strategy, classes_needing_work,
                                                compactness, distance, keep, make_strategy, merge,
                                                most_confused_pair)

__all__ = ["STRATEGIES", "ChangeStrategy", "SimulationResult", "Strategy", "classes_needing_work", "compactness",
           "distance", "keep", "make_strategy", "merge", "most_confused_pair", "simulate_participant"]
