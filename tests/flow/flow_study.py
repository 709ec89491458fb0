"""What the flow tests' studies are made of, importable by name (every test folder has its own `conftest`, so
`from conftest import ...` would reach whichever folder's was loaded last)."""

from __future__ import annotations

import numpy as np

from hill_dash.store import Store

CONSENT = "You will steer a model's training.\n\nYou may stop at any time."
INSTRUMENTS = ["umux_lite", "nasa_tlx", "custom_hill"]


def finished_run(store: Store, participant_id: int, study_scenario_id: int, finished: bool = True) -> int:
    """A run that has a 2D view (and has trained to its end when `finished`), without training anything."""
    run = store.create_run(study_scenario_id=study_scenario_id, participant_id=participant_id)
    store.save_snapshot(run.id, 3, 0, {"coords": np.zeros((2, 2))})
    store.update_run(run.id, status="finished" if finished else "waiting")
    return run.id
