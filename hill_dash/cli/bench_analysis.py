"""`hill-dash bench analysis`: how long `hill-dash figures` and `hill-dash export` take on a real study, as a
researcher runs them (a fresh process each, imports and the browser start included), split by stage.

Targets for a 14-participant x 2-scenario study on 2 cores: figures + report under 5 s, export under 3 s. Build
such a study with `hill-dash demo-study --participants 14 --out DIR` (a few minutes of training) and pass
`--data-dir DIR`.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import click

from hill_dash.cli._output import emit, fail, json_option

TARGETS_S = {"figures_report": 5.0, "export": 3.0}
_RUN = "from hill_dash.cli import main; main()"


def _timed(args: list[str]) -> tuple[float, dict]:
    """Wall time of one `hill-dash ...` in a fresh process and its JSON result."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, *args, "--json"], capture_output=True, text=True,
                          env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")})
    wall = time.perf_counter() - started
    if done.returncode != 0:
        fail(f"`hill-dash {' '.join(args)}` failed: {done.stderr.strip()[-1500:]}")
    return wall, json.loads(done.stdout.strip().splitlines()[-1])


def _split(wall: float, stages: dict[str, float]) -> dict[str, float]:
    # what the command's own stages do not cover is process start-up: the interpreter, imports and the CLI
    return {"startup": round(max(wall - sum(stages.values()), 0.0), 3), **{k: round(v, 3) for k, v in stages.items()}}


def _describe(r: dict) -> str:
    lines = [f"study {r['study']['name']!r} ({r['study']['participants']} participants, {r['study']['scenarios']} "
             f"scenarios), median of {r['repeats']}; load average {r['load_average']}"]
    for name in ("figures_report", "export"):
        part = r[name]
        verdict = "meets" if part["total_s"] < TARGETS_S[name] else "misses"
        lines.append(f"  {name}: {part['total_s']:.2f} s ({verdict} the {TARGETS_S[name]:g} s target): " +
                     ", ".join(f"{k} {v:.2f}" for k, v in part["stages_s"].items()))
    return "\n".join(lines)


@click.command("analysis")
@click.option("--study", required=True, help="The study's id or name.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Data directory holding the study (e.g. one `hill-dash demo-study --out` made).")
@click.option("--format", "formats", default="pdf,png", show_default=True,
              help="Figure formats to write (the `figures` default).")
@click.option("--repeats", type=int, default=1, show_default=True, help="Runs of each command (median taken).")
@json_option
def bench_analysis(study: str, data_dir: Path, formats: str, repeats: int, as_json: bool) -> None:
    """Time `figures` (with the report) and `export` end to end, split by stage."""
    if repeats < 1 or repeats > 20:
        fail(f"--repeats must be between 1 and 20, got {repeats}")
    if not (data_dir / "hill.db").exists():
        fail(f"{data_dir} holds no hill-dash database: build one with `hill-dash demo-study --out {data_dir}`")
    runs: dict[str, list[tuple[float, dict]]] = {"figures_report": [], "export": []}
    with tempfile.TemporaryDirectory() as tmp:
        for index in range(repeats):
            common = ["--study", study, "--data-dir", str(data_dir)]
            runs["figures_report"].append(_timed(["figures", *common, "--out", f"{tmp}/figures{index}",
                                                  "--format", formats]))
            runs["export"].append(_timed(["export", *common, "--out", f"{tmp}/export{index}"]))
    result: dict = {"repeats": repeats, "formats": formats, "targets_s": TARGETS_S, "cpu_count": os.cpu_count(),
                    "load_average": [round(x, 2) for x in os.getloadavg()]}
    for name, measured in runs.items():
        walls = [wall for wall, _ in measured]
        middle = measured[walls.index(sorted(walls)[len(walls) // 2])]
        result[name] = {"total_s": round(statistics.median(walls), 3), "all_s": [round(w, 3) for w in walls],
                        "stages_s": _split(middle[0], middle[1].get("stages_s", {})),
                        "meets_target": statistics.median(walls) < TARGETS_S[name]}
    exported = runs["export"][0][1]
    figures = runs["figures_report"][0][1]
    result["study"] = {"id": exported["study"]["id"], "name": exported["study"]["name"],
                       "participants": exported["rows"].get("participants"),
                       "scenarios": len({s for s in figures.get("headline", {})}),
                       "figure_files": len(figures.get("files", []))}
    from hill_dash.provenance import environment

    result["environment"] = environment()
    emit(result, as_json, human=_describe)
