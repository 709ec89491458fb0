"""`hill-dash train`: a HILL run from the command line (no participant: at each interaction point the targets are
the current class statistics), or its continuation from a checkpoint. Also what the other run commands share
(error translation, epoch progress bars, compact summaries)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option, progress
from hill_dash.core.checkpoint import CheckpointError, find_checkpoint
from hill_dash.core.config import PROJECTIONS, RunConfig
from hill_dash.core.metrics import EpochMetrics
from hill_dash.core.projection import ProjectionError
from hill_dash.core.scenarios.base import Scenario, ScenarioError


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn the engine's bad-input errors into a clean CLI failure (message, exit code, no traceback)."""
    try:
        yield
    except (ScenarioError, CheckpointError, ProjectionError, ValueError, FileNotFoundError) as exc:
        fail(str(exc))


def parse_epochs(text: str | None) -> tuple[int, ...] | None:
    """'25,30,35,40' -> (25, 30, 35, 40); '' -> () (no interaction points); None -> the scenario's default."""
    if text is None:
        return None
    try:
        return tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        fail(f"--interaction-epochs must be comma-separated integers such as 25,30,35,40, got {text!r}")
        raise  # unreachable: fail raises


def load_scenario(name: str, data_dir: str | None = None, seed: int = 0) -> Scenario:
    from hill_dash.core.scenarios.registry import build_scenario

    return build_scenario(RunConfig(scenario=name, data_dir=data_dir, data_seed=seed).scenario_spec())


@contextlib.contextmanager
def epoch_bar(total: int, desc: str, quiet: bool = False) -> Iterator[Callable[..., None]]:
    """A progress bar on standard error advanced once per epoch by the callback it yields."""
    ticks = progress(range(max(total, 0)), total=max(total, 0), desc=desc, disable=quiet)

    def tick(*_: Any) -> None:
        next(ticks, None)

    try:
        yield tick
    finally:
        for _ in ticks:  # finish (and close) the bar even when training stopped early
            pass


def _set_threads(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None:
        if value < 1:
            raise click.BadParameter("must be at least 1")
        import torch

        torch.set_num_threads(value)
    return value


threads_option = click.option(
    "--threads", type=int, default=None, expose_value=False, callback=_set_threads,
    help="CPU threads for torch (small models on a busy machine run fastest with 1).")


def epoch_row(m: EpochMetrics) -> dict[str, Any]:
    return {"epoch": m.epoch, "mode": m.mode, "loss": m.loss["total"], "val_accuracy": m.val_accuracy,
            "val_macro_f1": m.val_macro_f1, "test_accuracy": m.test_accuracy}


def run_config_from_options(scenario: str, seed: int, end_epoch: int | None, options: dict[str, Any],
                            device: str, data_dir: str | None) -> RunConfig:
    values: dict[str, Any] = {"scenario": scenario, "seed": seed, "end_epoch": end_epoch, "device": device,
                              "data_dir": data_dir, "interaction_epochs": parse_epochs(options["interaction_epochs"])}
    fit = options["projection_fit_epoch"]
    if fit == "pretrain":
        values["projection_fit_epoch"] = None
    elif fit is not None:
        if not str(fit).isdigit():
            fail(f"--projection-fit-epoch must be an epoch number or 'pretrain', got {fit!r}")
        values["projection_fit_epoch"] = int(fit)
    for key in ("alpha", "lam", "projection", "teacher"):
        value = options[key]
        if value is not None:
            values[key] = value
    return RunConfig(**values)


@click.command("train")
@click.option("--scenario", default="digits", show_default=True, help="Scenario name or module:function.")
@click.option("--epochs", type=int, default=None,
              help="Stop after this epoch (default: the run's end); the run can be resumed from there.")
@click.option("--end-epoch", type=int, default=None,
              help="Where a new run's schedule ends (default: the scenario's, or --epochs if that is later).")
@click.option("--seed", type=int, default=0, show_default=True, help="Initialisation, shuffling and dropout seed.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Run directory (required for a new run; with --resume, a new directory branches the run).")
@click.option("--alpha", type=float, default=None, help="Weight of the human term (0 = baseline). [0.5]")
@click.option("--lam", type=float, default=None, help="Weight of the scale term. [0.1]")
@click.option("--teacher", type=click.Choice(("follow", "paper")), default=None,
              help="How edits become training: follow (measured to be followed) or the paper's loss. [follow]")
@click.option("--interaction-epochs", default=None, help="Comma-separated pause epochs, e.g. 25,30,35,40.")
@click.option("--projection", type=click.Choice(PROJECTIONS), default=None, help="2D projection kind. [linear]")
@click.option("--projection-fit-epoch", default=None, metavar="N|pretrain",
              help="Epoch after which it is fitted, or 'pretrain' for the first interaction point. [pretrain]")
@click.option("--device", default="auto", show_default=True, help="auto, cpu, cuda or mps.")
@click.option("--data-dir", default=None, help="Where scenarios that read files find them.")
@click.option("--resume", "resume_from", type=click.Path(exists=True, path_type=Path), default=None,
              help="Continue from a checkpoint file or a run directory (its latest checkpoint).")
@threads_option
@json_option
def train_command(scenario: str, epochs: int | None, end_epoch: int | None, seed: int, out: Path | None,
                  device: str, data_dir: str | None, resume_from: Path | None, as_json: bool,
                  **options: Any) -> None:
    """Train a HILL run (to its end, or to --epochs), writing checkpoints and snapshots at every interaction
    point. Without a participant the targets at each point are the current class statistics."""
    from hill_dash.core.runner import HillRunner

    alpha, lam = options["alpha"], options["lam"]
    with user_errors():
        if resume_from is not None:
            fixed = [k for k in ("interaction_epochs", "projection", "projection_fit_epoch")
                     if options[k] is not None] + (["end_epoch"] if end_epoch is not None else [])
            if fixed:
                fail(f"{', '.join('--' + k.replace('_', '-') for k in fixed)} are fixed by the checkpoint; "
                     "leave them out when using --resume")
            runner = HillRunner.resume(find_checkpoint(resume_from), run_dir=out,
                                       device=None if device == "auto" else device)
            if alpha is not None or lam is not None:
                runner.set_hyper(alpha=alpha, lam=lam)
            if epochs is not None and epochs > runner.config.end_epoch:
                fail(f"--epochs {epochs} is past this run's end (epoch {runner.config.end_epoch})")
        else:
            if out is None:
                fail("--out is required for a new run: name the run directory to create")
            built = load_scenario(scenario, data_dir)
            if end_epoch is None and epochs is not None and epochs > built.defaults.end_epoch:
                end_epoch = epochs
            config = run_config_from_options(scenario, seed, end_epoch, options, device, data_dir)
            runner = HillRunner.create(built, config, out)
        until = epochs if epochs is not None else runner.config.end_epoch
        trained: list[EpochMetrics] = []
        with epoch_bar(until - runner.epoch, f"train {runner.scenario.name}", quiet=False) as tick:
            while runner.epoch < until:
                trained += runner.train(until_epoch=until, on_epoch=tick)
    result = {"run_dir": str(runner.run_dir), "scenario": runner.scenario.name, "epoch": runner.epoch,
              "end_epoch": runner.config.end_epoch, "interaction_epochs": list(runner.config.interaction_epochs),
              "checkpoints": sorted(str(p) for p in (runner.run_dir / "checkpoints").glob("epoch_*.pt")),
              "history": [epoch_row(m) for m in trained],
              "final": epoch_row(runner.history[-1]) if runner.history else None}
    emit(result, as_json, human=lambda r: (
        f"{r['scenario']}: epoch {r['epoch']}/{r['end_epoch']}, validation accuracy "
        f"{r['final']['val_accuracy']:.4f}; run in {r['run_dir']}" if r["final"] else "nothing to train"))
