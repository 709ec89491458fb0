"""`hill-dash bench ...`: measurements reported as ratios or scores taken side by side in one process.

- `training`: the same model, data and batches, one pass with plain cross-entropy and one with L_global; the cost
  of the human and scale terms as a time ratio (target: HILL / plain <= 1.05). The human and scale terms cost a
  fixed few hundred microseconds per batch on CPU (numpy dispatch, whatever the model), so the ratio is largest for
  tiny models and batches (digits at batch 32) and close to 1 for the study's image model. `ratio` is the paper
  teacher's; `follow_ratio` the default `follow` teacher's, which adds a dropout-free forward and backward pass of
  the batch (about twice the model's cost) and two small gradient-norm passes.
- `projection`: how readable the first view is when the projection is fitted at epoch 1 (the paper) or at the end
  of pretraining: 2D silhouette of the classes on the display subset, and the scale the scale term then starts at.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import click
import numpy as np

from hill_dash.cli._output import emit, fail, json_option, progress
from hill_dash.cli.train import load_scenario, threads_option, user_errors
from hill_dash.core.config import PROJECTIONS, RunConfig


@click.command("training")
@click.option("--scenario", default="digits", show_default=True)
@click.option("--epochs", type=int, default=2, show_default=True, help="Passes over the data per measurement.")
@click.option("--repeats", type=int, default=5, show_default=True, help="Measurements per mode (median taken).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--batch-size", type=int, default=None, help="Default: the scenario's.")
@click.option("--device", default="auto", show_default=True)
@threads_option
@json_option
def bench_training(scenario: str, epochs: int, repeats: int, seed: int, batch_size: int | None, device: str,
                   as_json: bool) -> None:
    """Time plain cross-entropy against L_global on identical model state and batches."""
    from hill_dash.core.devices import deterministic
    from hill_dash.core.runner import HillRunner
    from hill_dash.core.simulate.strategies import compactness

    if epochs < 1 or repeats < 1:
        fail("--epochs and --repeats must be at least 1")
    times: dict[str, list[float]] = {"plain": [], "hill": [], "follow": []}
    cpu: dict[str, list[float]] = {"plain": [], "hill": [], "follow": []}
    with user_errors(), tempfile.TemporaryDirectory(prefix="hill-bench-") as tmp:
        built = load_scenario(scenario)
        config = RunConfig(scenario=scenario, seed=seed, device=device, batch_size=batch_size)
        start = HillRunner.create(built, config, Path(tmp) / "start")
        first = min(start.config.interaction_epochs, default=start.config.projection_fit_epoch)
        while start.epoch < first:
            start.train(until_epoch=first)
        final, edits = compactness(start.snapshot())
        start.set_targets_from_edits(final, edits)
        checkpoint = start.save_checkpoint()
        for rep in progress(range(repeats), total=repeats, desc="bench training"):
            modes = ("plain", "hill", "follow")
            for mode in modes[rep % 3:] + modes[:rep % 3]:
                runner = HillRunner.resume(checkpoint, scenario=built, run_dir=Path(tmp) / mode)
                runner.set_teacher("follow" if mode == "follow" else "paper")
                runner.set_hyper(alpha=0.0 if mode == "plain" else 0.5)
                with deterministic(runner.choice):
                    began, began_cpu = time.perf_counter(), time.process_time()
                    for _ in range(epochs):
                        runner.train_batches()
                    times[mode].append(time.perf_counter() - began)
                    cpu[mode].append(time.process_time() - began_cpu)
    # the process's CPU time is the primary measure (on a shared machine wall time also counts the time other
    # programs held the cores); each repeat times both modes back to back, and the median of these paired ratios
    # cancels slow drifts in the machine's load
    plain, hill = statistics.median(cpu["plain"]), statistics.median(cpu["hill"])
    paired = [h / p for h, p in zip(cpu["hill"], cpu["plain"])]
    batches = -(-len(built.train) // start.config.batch_size)
    result = {"scenario": scenario, "device": start.choice.kind, "batch_size": start.config.batch_size,
              "batches_per_epoch": batches, "epochs": epochs,
              "overhead_ms_per_batch": 1000 * (hill - plain) / (batches * epochs),
              "repeats": repeats, "plain_seconds": plain, "hill_seconds": hill, "ratio": statistics.median(paired),
              "ratio_of_medians": hill / plain,
              "wall_ratio": statistics.median([h / p for h, p in zip(times["hill"], times["plain"])]),
              "follow_ratio": statistics.median([f / p for f, p in zip(cpu["follow"], cpu["plain"])]),
              "target_ratio": 1.05, "cpu_seconds": cpu, "wall_seconds": times}
    emit(result, as_json, human=lambda r: (
        f"{r['scenario']} on {r['device']}: plain {r['plain_seconds']:.3f} s, HILL {r['hill_seconds']:.3f} s CPU "
        f"for {r['epochs']} epoch(s); ratio {r['ratio']:.3f} (wall {r['wall_ratio']:.3f}; target <= "
        f"{r['target_ratio']}, paper teacher); follow teacher ratio {r['follow_ratio']:.3f}"))


def view_scores(coords: np.ndarray, labels: np.ndarray, freeze_radius: float) -> dict[str, float]:
    """Silhouette of the classes in a 2D view, and the view's RMS radius relative to the projection's radius."""
    from sklearn.metrics import silhouette_score

    radius = float(np.sqrt(((coords - coords.mean(axis=0)) ** 2).sum(axis=1).mean()))
    return {"silhouette": float(silhouette_score(coords, labels)), "scale_model": radius / freeze_radius}


@click.command("projection")
@click.option("--scenario", default="digits", show_default=True)
@click.option("--seeds", type=int, default=3, show_default=True)
@click.option("--pretrain-epochs", type=int, default=None, help="Default: the scenario's first interaction point.")
@click.option("--kind", "kinds", type=click.Choice(PROJECTIONS), multiple=True, help="Default: both kinds.")
@click.option("--device", default="auto", show_default=True)
@threads_option
@json_option
def bench_projection(scenario: str, seeds: int, pretrain_epochs: int | None, kinds: tuple[str, ...], device: str,
                     as_json: bool) -> None:
    """Compare the first view with the projection fitted at epoch 1 and at the end of pretraining."""
    from sklearn.metrics import silhouette_score

    from hill_dash.core.metrics import predict
    from hill_dash.core.projection import fit_on_split
    from hill_dash.core.runner import HillRunner

    kinds = kinds or PROJECTIONS
    rows: list[dict[str, Any]] = []
    with user_errors(), tempfile.TemporaryDirectory(prefix="hill-bench-") as tmp:
        built = load_scenario(scenario)
        until = pretrain_epochs or min(built.defaults.interaction_epochs, default=built.defaults.end_epoch)
        jobs = [(seed, kind) for seed in range(seeds) for kind in kinds]
        for seed, kind in progress(jobs, total=len(jobs), desc="bench projection"):
            config = RunConfig(scenario=scenario, seed=seed, projection=kind, projection_fit_epoch=1,
                               interaction_epochs=(until,), end_epoch=until + 1, device=device)
            runner = HillRunner.create(built, config, Path(tmp) / f"{kind}_{seed}")
            runner.train(until_epoch=until)
            snap = runner.snapshot()
            late = fit_on_split(runner.model, built.train, runner.choice, kind, built.num_classes, seed=seed)
            _, latents = predict(runner.model, built.display, runner.choice)
            late_coords = late(latents.to(runner.choice.device)).detach().cpu().numpy()
            rows.append({"seed": seed, "kind": kind, "epoch": until,
                         "fit_epoch_1": view_scores(snap.coords, snap.labels, float(runner.projection.freeze_radius)),
                         "fit_at_end_of_pretraining": view_scores(late_coords, snap.labels, float(late.freeze_radius)),
                         "latent_silhouette": float(silhouette_score(latents.numpy(), snap.labels)),
                         "val_accuracy": runner.history[-1].val_accuracy})
    summary = {kind: {when: {key: float(np.mean([r[when][key] for r in rows if r["kind"] == kind]))
                             for key in ("silhouette", "scale_model")}
                      for when in ("fit_epoch_1", "fit_at_end_of_pretraining")} for kind in kinds}
    result = {"scenario": scenario, "pretrain_epochs": until, "seeds": seeds, "mean": summary, "runs": rows}
    emit(result, as_json, human=lambda r: "\n".join(
        f"{kind}: silhouette fit@1 {v['fit_epoch_1']['silhouette']:.3f} (scale {v['fit_epoch_1']['scale_model']:.2f})"
        f", fit@{r['pretrain_epochs']} {v['fit_at_end_of_pretraining']['silhouette']:.3f}"
        for kind, v in r["mean"].items()))
