"""`hill-dash simulate`: simulated participants playing the study's strategies, compared with a baseline band."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import numpy as np

from hill_dash.cli._output import emit, fail
from hill_dash.cli.baseline import band_summary, branch_options, run_band, shared_checkpoint
from hill_dash.cli.train import epoch_bar, load_scenario, user_errors
from hill_dash.core.checkpoint import load_checkpoint
from hill_dash.core.config import RunConfig
from hill_dash.core.simulate.strategies import STRATEGIES


def _describe(r: dict[str, Any]) -> str:
    base = r["baseline"]["final"]
    lines = [f"baseline (epoch {base['epoch']}): mean {base['mean']:.4f} [{base['min']:.4f}, {base['max']:.4f}]"]
    for name, res in r["results"].items():
        lines.append(f"{name:12s} mean {res['final_val_accuracy']:.4f} "
                     f"[{res['final_val_accuracy_min']:.4f}, {res['final_val_accuracy_max']:.4f}] "
                     f"vs baseline mean {res['difference_to_baseline_mean']:+.4f}")
    return "\n".join(lines)


@click.command("simulate")
@click.option("--strategy", "strategies", type=click.Choice(STRATEGIES + ("all",)), multiple=True,
              required=True, help="Strategy to play (repeat the option, or 'all').")
@click.option("--seeds", type=int, default=5, show_default=True,
              help="Seeds 0..N-1 for both the simulated runs and the baseline band.")
@click.option("--strength", type=float, default=0.5, show_default=True, help="Fraction of the way points move.")
@branch_options
def simulate_command(scenario: str, strategies: tuple[str, ...], seeds: int, strength: float,
                     from_checkpoint: Path | None, pretrain_seed: int, out: Path, device: str,
                     data_dir: str | None, as_json: bool) -> None:
    """Play simulated participants from one shared checkpoint and compare them with the alpha = 0 band."""
    from hill_dash.core.simulate import simulate_participant

    if seeds < 1:
        fail("--seeds must be at least 1")
    names = list(STRATEGIES) if "all" in strategies else list(dict.fromkeys(strategies))
    with user_errors():
        built = load_scenario(scenario, data_dir)
        checkpoint = shared_checkpoint(built, scenario, from_checkpoint, out, pretrain_seed, device, data_dir)
        baseline = band_summary(run_band(checkpoint, out / "baseline", seeds, built))
        payload = load_checkpoint(checkpoint)
        remaining = RunConfig.from_dict(payload["config"]).end_epoch - int(payload["epoch"])
        results: dict[str, Any] = {}
        with epoch_bar(remaining * seeds * len(names), "simulate") as tick:
            for name in names:
                runs = [simulate_participant(checkpoint, name, out / name / f"seed_{s}", seed=s, scenario=built,
                                             strength=strength, on_epoch=tick) for s in range(seeds)]
                finals = np.array([r.final_val_accuracy for r in runs])
                results[name] = {
                    "final_val_accuracy": float(finals.mean()), "final_val_accuracy_min": float(finals.min()),
                    "final_val_accuracy_max": float(finals.max()),
                    "final_per_seed": {str(r.seed): r.final_val_accuracy for r in runs},
                    "difference_to_baseline_mean": float(finals.mean() - baseline["final"]["mean"]),
                    "seeds_above_baseline_max": int((finals > baseline["final"]["max"]).sum()),
                    "curve_mean": np.mean([[m.val_accuracy for m in r.history] for r in runs], axis=0).tolist(),
                    "edits_per_point": runs[0].edits_per_point}
    summary: dict[str, Any] = {"scenario": scenario, "checkpoint": str(checkpoint), "seeds": list(range(seeds)),
                               "strength": strength, "baseline": baseline, "results": results}
    if len(names) == 1:
        summary["strategy"] = names[0]
        summary["final_val_accuracy"] = results[names[0]]["final_val_accuracy"]
    emit(summary, as_json, human=_describe)
