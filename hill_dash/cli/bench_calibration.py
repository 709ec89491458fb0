"""`hill-dash bench calibration`: how often every test of the report rejects null studies, and its power.

Simulates studies of the paper's size with a fast synthetic generator (no training; `analysis.calibration`) and
runs every test the report prints on each. A test at its nominal level rejects about `alpha` of the null studies.
"""

from __future__ import annotations

import time

import click

from hill_dash.cli._output import emit, fail, json_option


def _describe(result: dict) -> str:
    lines = [f"{result['sims']} null and {result['sims']} planted-effect studies, alpha = {result['alpha']}, "
             f"primary: {result['primary']} ({result['wall_time_s']:.1f} s)",
             f"  {'test':42s} {'null rate':>9s} {'power':>7s}"]
    for name, rates in result["tests"].items():
        mark = " *" if rates["null_rejection_rate"] > 0.08 else ""
        lines.append(f"  {name:42s} {rates['null_rejection_rate']:9.4f} {rates['power']:7.4f}{mark}")
    return "\n".join(lines)


@click.command("calibration")
@click.option("--sims", type=int, default=400, show_default=True, help="Simulated studies per condition.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--alpha", type=float, default=0.05, show_default=True)
@json_option
def bench_calibration(sims: int, seed: int, alpha: float, as_json: bool) -> None:
    """Null rejection rate and power of every test the report prints."""
    from analysis.calibration import calibrate

    if sims < 1 or sims > 100_000:
        fail(f"--sims must be between 1 and 100000, got {sims}")
    if not 0 < alpha < 1:
        fail(f"--alpha must lie between 0 and 1, got {alpha}")
    started = time.perf_counter()
    result = calibrate(sims, seed=seed, alpha=alpha)
    result["wall_time_s"] = round(time.perf_counter() - started, 2)
    try:
        from hill_dash.provenance import environment
    except ImportError:  # provenance is optional for a synthetic benchmark
        pass
    else:
        result["environment"] = environment()
    emit(result, as_json, human=_describe)
