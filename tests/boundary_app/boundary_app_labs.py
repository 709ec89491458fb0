"""Small lab settings and store readers shared by the boundary-app tests (imported by name: every test folder's
conftest.py is a module called `conftest`, so helpers live in a module of their own)."""

from __future__ import annotations

import hashlib

from hill_dash.boundary import DatasetSpec, LabConfig
from hill_dash.jobs import boundary_rounds

OWNER = "browser-that-started-the-lab"  # the browser id in the owner's signed session cookie


def owner_key(browser: str = OWNER) -> str:
    """The key a lab started by `browser` is stored under (what `cookies.browser_key` makes of its id)."""
    return hashlib.sha256(browser.encode()).hexdigest()


def lab_config(name: str = "moons", seed: int = 0, **changes) -> LabConfig:
    """A lab of 80 points (40 to train on): a round of a few epochs takes milliseconds."""
    return LabConfig(dataset=DatasetSpec(name=name, n_samples=80, seed=seed), seed=seed, **changes)


def stored_arrows(store, run_id: int) -> list[tuple[int, list[float], str]]:
    """(point, vector, annotator) of every arrow in force, oldest first."""
    return [(e.point_indices[0], e.arrow["vector"], e.actor) for e in boundary_rounds.arrows_in_force(store, run_id)]

