"""A digits checkpoint small enough for tests that need a real run: pretrained to its only interaction point."""

from __future__ import annotations

from pathlib import Path


def tiny_digits_checkpoint(folder: Path) -> str:
    """Pretrain digits to epoch 1 of 2 in `folder`; the checkpoint's path (one round then reaches the end)."""
    from hill_dash.core.baseline import pretrain
    from hill_dash.core.config import RunConfig
    from hill_dash.core.scenarios import ScenarioSpec, build_scenario

    config = RunConfig(scenario="digits", interaction_epochs=(1,), end_epoch=2)
    return str(pretrain(build_scenario(ScenarioSpec("digits")), config, folder / "digits-short"))
