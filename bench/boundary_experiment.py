"""Do direction arrows help? Held-out accuracy of the boundary lab with and without a scripted annotator's arrows.

For every data set and seed: one lab is pretrained with plain BCE, then branched (same weights, optimizer and
mini-batch RNG). The baseline branch trains on with w = 0; each annotated branch gets `k` arrows from a scripted
annotator before each of `rounds` rounds and trains with weight w (each of --weights). Both branches train the
same number of epochs. The table gives mean +- sd over seeds of each branch, the paired difference (arrows -
baseline), wins/ties/losses, a two-sided Wilcoxon signed-rank p over seeds ("all" pools every data set's seeds),
and "followed": the share of arrows along which the model's true-class score already fell when they were drawn,
and at the end.

    python bench/boundary_experiment.py --seeds 10 [--json]
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict
from typing import Any

import click
import numpy as np
import torch
from scipy.stats import wilcoxon
from tqdm import tqdm

from hill_dash.boundary.annotator import STRATEGIES, ScriptedAnnotator
from hill_dash.boundary.datasets import DATASETS, DatasetSpec
from hill_dash.boundary.trainer import BoundaryLab, LabConfig


def run_pair(config: LabConfig, variants: list[tuple[str, float]], settings: dict[str, Any]) -> dict[str, Any]:
    """Final held-out accuracy of the baseline and of each annotated branch (annotator strategy, weight w), all
    from one shared pretrained lab; for each branch also the share of its arrows the model ends up following."""
    lab = BoundaryLab(config)
    lab.train(settings["pretrain"])
    budget = settings["rounds"] * settings["epochs_per_round"]
    baseline = lab.copy()
    baseline.weight = 0.0
    baseline.train(budget)
    result: dict[str, Any] = {"pretrained": lab.accuracy("heldout"), "baseline": baseline.accuracy("heldout")}
    for strategy, weight in variants:
        branch = lab.copy()
        branch.weight = weight
        annotator = ScriptedAnnotator(k=settings["k"], strategy=strategy)
        already = []
        for _ in range(settings["rounds"]):
            drawn = len(annotator.annotate(branch, created_at="scripted"))
            already.extend(branch.arrow_slopes()[len(branch.annotations) - drawn:] < 0)
            branch.train(settings["epochs_per_round"])
        key = variant_key(strategy, weight)
        result[key] = branch.accuracy("heldout")
        result[key + " followed"] = float((branch.arrow_slopes() < 0).mean())
        result[key + " followed when drawn"] = float(np.mean(already))
    return result


def variant_key(strategy: str, weight: float) -> str:
    return f"{strategy} w={weight:g}"


def summarise(baseline: np.ndarray, annotated: np.ndarray) -> dict[str, Any]:
    """Mean +- sd of both, the paired difference and its Wilcoxon signed-rank p (None when every pair ties)."""
    diff = annotated - baseline
    p_value = None if np.all(diff == 0) else float(wilcoxon(annotated, baseline).pvalue)
    return {"n": int(len(diff)), "baseline_mean": float(baseline.mean()), "baseline_sd": float(baseline.std(ddof=1)),
            "arrows_mean": float(annotated.mean()), "arrows_sd": float(annotated.std(ddof=1)),
            "diff_mean": float(diff.mean()), "diff_sd": float(diff.std(ddof=1)), "wins": int((diff > 0).sum()),
            "ties": int((diff == 0).sum()), "losses": int((diff < 0).sum()), "wilcoxon_p": p_value}


def table(result: dict[str, Any]) -> str:
    head = (f"{'data set':<9} {'arrows by':<16} {'baseline':>15} {'with arrows':>15} {'difference':>17} "
            f"{'W/T/L':>9} {'Wilcoxon p':>10} {'followed: drawn/end':>19}")
    lines = [head, "-" * len(head)]
    for row in result["rows"]:
        p = "n/a" if row["wilcoxon_p"] is None else f"{row['wilcoxon_p']:.4f}"
        lines.append(f"{row['dataset']:<9} {row['variant']:<16} "
                     f"{row['baseline_mean']:>7.4f} +- {row['baseline_sd']:.4f} "
                     f"{row['arrows_mean']:>7.4f} +- {row['arrows_sd']:.4f} "
                     f"{row['diff_mean']:>+8.4f} +- {row['diff_sd']:.4f} "
                     f"{row['wins']:>3}/{row['ties']}/{row['losses']:<3} {p:>10} "
                     f"{row['followed_when_drawn']:>12.0%} /{row['followed']:>5.0%}")
    s = result["settings"]
    lines.append(f"\n{s['seeds']} seeds; {s['n_samples']} points per data set, {s['heldout_fraction']:.0%} held out; "
                 f"{s['pretrain']} BCE epochs, then {s['rounds']} rounds x ({s['k']} arrows + "
                 f"{s['epochs_per_round']} epochs) at each w vs the same epochs at w=0; "
                 f"{result['seconds']:.0f} s")
    return "\n".join(lines)


@click.command()
@click.option("--seeds", default=10, show_default=True, help="Seeds per data set (data, split and init).")
@click.option("--datasets", default=",".join(DATASETS), show_default=True, help="Comma-separated data sets.")
@click.option("--strategies", default=",".join(STRATEGIES), show_default=True, help="Annotator direction rules.")
@click.option("--weights", default="0.01,0.1,0.5", show_default=True, help="Comma-separated w of the direction loss.")
@click.option("--pretrain", default=10, show_default=True, help="Plain BCE epochs before the first arrows.")
@click.option("--rounds", default=3, show_default=True, help="Annotation rounds.")
@click.option("--epochs-per-round", default=10, show_default=True, help="Epochs trained after each round.")
@click.option("--k", default=5, show_default=True, help="Arrows drawn per round.")
@click.option("--n-samples", default=600, show_default=True, help="Points generated per data set.")
@click.option("--heldout-fraction", default=0.8, show_default=True, help="Share of the points held out.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object as the last line of stdout.")
def main(seeds: int, datasets: str, strategies: str, weights: str, pretrain: int, rounds: int,
         epochs_per_round: int, k: int, n_samples: int, heldout_fraction: float, as_json: bool) -> None:
    """Held-out accuracy with and without direction arrows, over seeds and data sets, at equal epochs."""
    names = [d.strip() for d in datasets.split(",") if d.strip()]
    rules = [s.strip() for s in strategies.split(",") if s.strip()]
    if unknown := [d for d in names if d not in DATASETS] + [s for s in rules if s not in STRATEGIES]:
        raise click.UsageError(f"unknown data set or strategy {unknown}: data sets {DATASETS}, strategies {STRATEGIES}")
    try:
        ws = [float(w) for w in weights.split(",") if w.strip()]
    except ValueError:
        raise click.UsageError(f"--weights {weights!r} must be comma-separated numbers, e.g. 0.01,0.1,0.5")
    if seeds < 2 or not ws or not all(0 < w <= 1 for w in ws):
        raise click.UsageError(f"need --seeds >= 2 (got {seeds}) and every weight in (0, 1] (got {weights})")
    torch.set_num_threads(1)  # tensors of a few hundred numbers: extra threads only contend for the cores
    variants = [(rule, w) for rule in rules for w in ws]
    settings = {"seeds": seeds, "weights": ws, "pretrain": pretrain, "rounds": rounds,
                "epochs_per_round": epochs_per_round, "k": k, "n_samples": n_samples,
                "heldout_fraction": heldout_fraction}
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    jobs = [(name, seed) for name in names for seed in range(seeds)]
    for name, seed in tqdm(jobs, desc="boundary experiment", file=sys.stderr):
        spec = DatasetSpec(name=name, n_samples=n_samples, seed=seed, heldout_fraction=heldout_fraction)
        config = LabConfig(dataset=spec, seed=seed)
        runs.append({"dataset": name, "seed": seed, **run_pair(config, variants, settings)})
    rows = []
    for strategy, weight in variants:
        key = variant_key(strategy, weight)
        for name in [*names, "all"]:
            chosen = [r for r in runs if name in ("all", r["dataset"])]
            base = np.array([r["baseline"] for r in chosen])
            rows.append({"dataset": name, "variant": key, "strategy": strategy, "weight": weight,
                         "followed": float(np.mean([r[key + " followed"] for r in chosen])),
                         "followed_when_drawn": float(np.mean([r[key + " followed when drawn"] for r in chosen])),
                         **summarise(base, np.array([r[key] for r in chosen]))})
    result = {"settings": settings, "lab_defaults": asdict(LabConfig()), "rows": rows, "runs": runs,
              "seconds": time.perf_counter() - started}
    # the table goes to stderr under --json so that the JSON object is the last (and only) line of stdout
    click.echo(table(result), err=as_json)
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
