"""Fixtures of the engine's tests: a tiny synthetic scenario and one torch thread while they run."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).parent))

from core_tiny_scenario import tiny_scenario  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    """Small models run fastest, and most reproducibly, on one thread (and the machine is shared)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def tiny():
    return tiny_scenario()
