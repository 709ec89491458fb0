"""`hill-dash bench follow`: how far the model goes where a scripted participant asks, per teacher."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option, progress

QUICK_SEEDS, QUICK_CLASSES = 3, 3


def _human(r: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.3f}"

    lines = [f"{r['scenario']}: seeds {r['seeds']}, edited classes {r['classes']}, epoch {r['epoch']}"]
    for name, t in {**r["teachers"], "no edit": r["no_edit"], "alpha=0": r["alpha0"]}.items():
        lines.append(f"  {name:>14}: move {fmt(t['move_share'])}  compact {fmt(t['compact_ratio'])}  separate "
                     f"{fmt(t['separate_share'])}  merge {fmt(t['merge_share'])}  val acc {fmt(t['val_acc_mean'])}")
    lo, hi = r["alpha0"]["val_acc_band"]
    lines.append(f"  alpha=0 accuracy band [{lo:.3f}, {hi:.3f}]; {r['seconds']:.0f} s")
    return "\n".join(lines)


@click.command("follow")
@click.option("--scenario", default="digits", show_default=True)
@click.option("--seeds", type=int, default=5, show_default=True, help="Seeds per edit (the round's randomness).")
@click.option("--classes", type=int, default=None, help="Edit this many classes, evenly spaced. Default: all.")
@click.option("--quick", is_flag=True, help=f"{QUICK_SEEDS} seeds and {QUICK_CLASSES} edited classes.")
@click.option("--distance", type=float, default=1.0, show_default=True,
              help="How far a move or a separation asks, in the 2D frame (its RMS radius is 1).")
@click.option("--round-epochs", type=int, default=None, help="Default: up to the next interaction point.")
@click.option("--ablations", is_flag=True, help="Also run the follow teacher without its eval pass / balancing.")
@click.option("--device", default="auto", show_default=True)
@click.option("--threads", type=int, default=None, help="CPU threads for torch (default: torch's choice).")
@json_option
def follow(scenario: str, seeds: int, classes: int | None, quick: bool, distance: float, round_epochs: int | None,
           ablations: bool, device: str, threads: int | None, as_json: bool) -> None:
    """From one checkpoint at the first interaction point, train one round per scripted edit, seed and teacher,
    and measure on the display points how far each edit was followed, against alpha = 0 and no edit."""
    import torch

    from hill_dash.cli.train import load_scenario, user_errors
    from hill_dash.core.follow_bench import TeacherSetup, run_follow_bench
    from hill_dash.core.teacher import DEFAULT_TEACHER
    from hill_dash.provenance import environment

    if threads is not None:
        if threads < 1:
            fail("--threads must be at least 1")
        torch.set_num_threads(threads)
    if quick:
        seeds, classes = QUICK_SEEDS, classes or QUICK_CLASSES
    if seeds < 1 or (classes is not None and classes < 1):
        fail("--seeds and --classes must be at least 1")
    if not 0 < distance <= 10:
        fail(f"--distance={distance}: use a length in (0, 10] of the 2D frame")
    setups = [TeacherSetup("paper", "paper"), TeacherSetup(DEFAULT_TEACHER, DEFAULT_TEACHER)]
    if ablations:
        setups += [TeacherSetup("follow_no_eval_pass", "follow", eval_pass=False),
                   TeacherSetup("follow_no_balance", "follow", balance=False)]
    began = time.perf_counter()
    bar = progress(iter(int, 1), desc="bench follow")
    with user_errors(), tempfile.TemporaryDirectory(prefix="hill-bench-follow-") as tmp:
        built = load_scenario(scenario)
        result = run_follow_bench(built, Path(tmp), seeds=tuple(range(seeds)), classes=classes, distance=distance,
                                  setups=setups, round_epochs=round_epochs, device=device,
                                  report=lambda _: next(bar))
    result["seconds"] = time.perf_counter() - began
    result["environment"] = environment(None if device == "auto" else device)
    emit(result, as_json, human=_human)
