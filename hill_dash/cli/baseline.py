"""`hill-dash baseline`: the alpha = 0 band over several seeds, from a shared (pretrained) checkpoint."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option
from hill_dash.cli.train import epoch_bar, load_scenario, threads_option, user_errors
from hill_dash.core.checkpoint import find_checkpoint
from hill_dash.core.config import RunConfig
from hill_dash.core.scenarios.base import Scenario


def branch_point(path: Path) -> Path:
    """A checkpoint file as given; for a run directory, its checkpoint at the first interaction point (the state
    participants and baselines start from), or its latest one if it has none there."""
    if path.is_dir():
        from hill_dash.core.checkpoint import checkpoint_path

        config = RunConfig.load(path)
        if config.interaction_epochs:
            first = checkpoint_path(path, min(config.interaction_epochs))
            if first.is_file():
                return first
    return find_checkpoint(path)


def shared_checkpoint(scenario: Scenario, name: str, from_checkpoint: Path | None, out: Path, seed: int,
                      device: str, data_dir: str | None = None) -> Path:
    """The checkpoint runs branch from: the one given, or a fresh pretraining to the first interaction point."""
    from hill_dash.core.baseline import pretrain

    if from_checkpoint is not None:
        return branch_point(from_checkpoint)
    first = min(scenario.defaults.interaction_epochs, default=scenario.defaults.end_epoch)
    with epoch_bar(first, "pretrain") as tick:
        return pretrain(scenario, RunConfig(scenario=name, seed=seed, device=device, data_dir=data_dir),
                        out / "pretrain",
                        on_epoch=tick)


def band_summary(result: Any) -> dict[str, Any]:
    return {"checkpoint": result.checkpoint, "seeds": list(result.seeds), "band": result.band.to_dict(),
            "final": result.band.final(),
            "final_per_seed": {str(s): h[-1].val_accuracy for s, h in result.histories.items()}}


def run_band(checkpoint: Path, out: Path, seeds: int, scenario: Scenario) -> Any:
    """Baseline runs for seeds 0..seeds-1 into `out`, with one progress bar over all their epochs."""
    from hill_dash.core.baseline import run_baseline
    from hill_dash.core.checkpoint import load_checkpoint

    payload = load_checkpoint(checkpoint)
    remaining = RunConfig.from_dict(payload["config"]).end_epoch - int(payload["epoch"])
    with epoch_bar(remaining * seeds, f"baseline x{seeds}") as tick:
        return run_baseline(checkpoint, out, seeds=range(seeds), scenario=scenario, on_epoch=tick)


def branch_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that branches runs from one shared checkpoint takes."""
    options = [
        click.option("--scenario", default="digits", show_default=True, help="Scenario name or module:function."),
        click.option("--from", "from_checkpoint", type=click.Path(exists=True, path_type=Path), default=None,
                     help="Shared checkpoint: a file, or a run directory (its first interaction point); "
                          "default: pretrain one with --pretrain-seed."),
        click.option("--pretrain-seed", type=int, default=0, show_default=True),
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
                     help="Output directory."),
        click.option("--device", default="auto", show_default=True),
        click.option("--data-dir", default=None, help="Where scenarios that read files find them."),
        threads_option,
        json_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("baseline")
@click.option("--seeds", type=int, default=5, show_default=True, help="Number of seeds (0..N-1).")
@branch_options
def baseline_command(scenario: str, seeds: int, from_checkpoint: Path | None, pretrain_seed: int, out: Path,
                     device: str, data_dir: str | None, as_json: bool) -> None:
    """Train the shared checkpoint on with alpha = 0 for several seeds; report the per-epoch accuracy band."""
    if seeds < 1:
        fail("--seeds must be at least 1")
    with user_errors():
        built = load_scenario(scenario, data_dir)
        checkpoint = shared_checkpoint(built, scenario, from_checkpoint, out, pretrain_seed, device, data_dir)
        result = run_band(checkpoint, out / "baseline", seeds, built)
    summary = band_summary(result)
    emit(summary, as_json, human=lambda r: (
        f"baseline over {len(r['seeds'])} seeds, epoch {r['final']['epoch']}: validation accuracy mean "
        f"{r['final']['mean']:.4f} (min {r['final']['min']:.4f}, max {r['final']['max']:.4f})"))
