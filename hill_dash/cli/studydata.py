"""`hill-dash demo-study`, `hill-dash figures`, `hill-dash export`: from a study's data to the paper's results."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from hill_dash.cli._output import emit, fail, json_option
from hill_dash.cli.serve import _common

FIGURE_FORMATS = ("pdf", "png", "svg")


def _with_store_options(fn):
    for option in reversed(_common[:2]):  # --data-dir, --database-url (no Redis: nothing runs in the background)
        fn = option(fn)
    return fn


def _open(data_dir: Path | None, database_url: str | None):
    """The store, opened only when it exists: reading results must not create an empty data directory."""
    from hill_dash.store import StoreError, open_store
    from hill_dash.store.engine import DATA_DIR_ENV, DATABASE_URL_ENV, DEFAULT_DATA_DIR

    directory = Path(data_dir or os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser()
    if not (database_url or os.environ.get(DATABASE_URL_ENV)) and not (directory / "hill.db").exists():
        fail(f"{directory} holds no hill-dash database (hill.db): pass the --data-dir the app or "
             f"`hill-dash demo-study --out` used")
    try:
        return open_store(database_url, data_dir)
    except StoreError as exc:
        fail(str(exc))


def _load(data_dir: Path | None, database_url: str | None, study: str):
    from hill_dash.studydata import StudyDataError, load_study

    try:
        return load_study(_open(data_dir, database_url), study)
    except StudyDataError as exc:
        fail(str(exc))


def _formats(text: str) -> list[str]:
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = sorted(set(chosen) - set(FIGURE_FORMATS))
    if unknown or not chosen:
        fail(f"--format takes a comma-separated list of {', '.join(FIGURE_FORMATS)}; got {text!r}")
    return list(dict.fromkeys(chosen))


class _Bar:
    """The demo's progress bar on standard error: its length is known once the shared checkpoints exist."""

    def __init__(self) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=None, desc="demo study", unit="epoch", file=sys.stderr, dynamic_ncols=True)

    def plan(self, total: int) -> None:
        self.bar.reset(total=total)

    def advance(self, label: str) -> None:
        self.bar.set_postfix_str(label, refresh=False)
        self.bar.update(1)


def _describe_demo(r: dict[str, Any]) -> str:
    lines = [f"built study {r['study_id']} {r['study']!r} in {r['data_dir']} in {r['wall_time_s']:.0f} s: "
             f"{r['participants']} simulated participants, {r['runs']['hill']} HILL and {r['runs']['baseline']} "
             f"baseline runs, {r['edits']} edits, {r['answers']} answers, {r['codings']} codings"]
    for scenario, numbers in r["headline"].items():
        if isinstance(numbers, str) or "error" in numbers:  # the whole comparison failed, or this scenario's
            lines.append(f"  {scenario}: {numbers if isinstance(numbers, str) else numbers['error']}")
            continue
        base = numbers["baseline_final"]
        lines.append(f"  {scenario}: baseline final {base['mean']:.4f} [{base['min']:.4f}, {base['max']:.4f}] "
                     f"over {base['n_seeds']} seeds; mean HILL gain {100 * numbers['mean_hill_gain']:+.2f} points")
    lines += [f"  note: {note}" for note in r["notes"]]
    where = f"--data-dir {r['data_dir']}"
    lines += ["next:", f"  hill-dash researcher add YOUR_NAME {where}   (an account for the app's researcher pages)",
              f"  hill-dash serve {where}",
              f"  hill-dash figures {where} --study {r['study_id']} --out {r['data_dir']}/results"]
    return "\n".join(lines)


@click.command("demo-study")
@click.option("--participants", type=int, default=14, show_default=True,
              help="Simulated participants (14 take 2-3 minutes on 2 CPU cores; fewer are quicker).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Data directory for the study's own SQLite store (then `serve --data-dir` it).")
@click.option("--scenarios", default="digits,basicmotions", show_default=True,
              help="Comma-separated scenarios (offline ones need nothing else).")
@click.option("--seeds", type=int, default=5, show_default=True, help="Baseline runs (alpha = 0) per scenario.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="Seed of the strategies' assignment, the answers and the demographics.")
@click.option("--name", default="demo (simulated)", show_default=True, help="The study's name.")
@click.option("--strength", type=float, default=0.5, show_default=True,
              help="Fraction of the way a strategy moves the points.")
@click.option("--think-aloud/--no-think-aloud", default=True, show_default=True,
              help="Add coded simulated think-aloud transcripts (the strategy timeline needs them).")
@click.option("--threads", type=int, default=1, show_default=True,
              help="CPU threads for torch (the small models train fastest with 1).")
@json_option
def demo_study(participants: int, out: Path, scenarios: str, seeds: int, seed: int, name: str, strength: float,
               think_aloud: bool, threads: int, as_json: bool) -> None:
    """Build a complete SIMULATED study offline: simulated participants play the paper's strategies through the
    app's own training path, with baselines, questionnaires and coded think-aloud, every row flagged simulated.

    With the defaults (14 participants, 5 baseline seeds, digits and basicmotions) it takes 2-3 minutes on 2 CPU
    cores; pass fewer --participants or --seeds to be quicker.
    """
    import torch

    from hill_dash.store import StoreError, open_store
    from hill_dash.studydata import DemoOptions, StudyDataError, build_demo_study, headline, load_study

    if threads < 1:
        fail("--threads must be at least 1")
    torch.set_num_threads(threads)
    options = DemoOptions(participants=participants, seeds=seeds, seed=seed, name=name, strength=strength,
                          think_aloud=think_aloud,
                          scenarios=tuple(s.strip() for s in scenarios.split(",") if s.strip()))
    try:
        options.check()
    except StudyDataError as exc:
        fail(str(exc))
    started = time.perf_counter()
    bar = _Bar()
    try:
        store = open_store(data_dir=out)
        result = build_demo_study(store, options, bar)
    except (StudyDataError, StoreError, ValueError) as exc:  # ScenarioError and ConfigError are ValueErrors
        fail(str(exc))
    finally:
        bar.bar.close()
    elapsed = time.perf_counter() - started
    summary = {"study_id": result.study_id, "study": result.study_name, "data_dir": str(out.resolve()),
               "participants": participants, "strategies": result.strategies, "runs": result.runs,
               "edits": result.edits, "answers": result.answers, "codings": result.codings,
               "wall_time_s": round(elapsed, 1), "headline": headline(load_study(store, result.study_id).runs),
               "notes": result.notes, "simulated": True}
    emit(summary, as_json, human=_describe_demo)


def _describe_figures(r: dict[str, Any]) -> str:
    lines = [f"study {r['study']['id']} {r['study']['name']!r}: {len(r['files'])} figure file(s) in {r['out']}"]
    lines += [f"  skipped {name}: {why}" for name, why in r["skipped"].items()]
    report = r["report"]
    lines.append(f"  report: {', '.join(Path(p).name for p in report['files'][:2])}" if report["files"]
                 else f"  no report: {report['error']}")
    return "\n".join(lines)


@click.command("figures")
@click.option("--study", required=True, help="The study's id or name.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
@click.option("--format", "formats", default="pdf,png", show_default=True,
              help="Comma-separated: pdf, png, svg (each format is one more browser render per figure, except a PNG "
                   "asked for with a PDF: it is taken from the PDF's drawing).")
@click.option("--layout", type=click.Choice(["one-column", "two-column"]), default="two-column", show_default=True,
              help="Paper column the figures are sized for (3.5 in or 7.16 in wide).")
@click.option("--dpi", type=int, default=300, show_default=True, help="Resolution of PNG files.")
@_with_store_options
@json_option
def figures_command(study: str, out: Path, formats: str, layout: str, dpi: int, data_dir: Path | None,
                    database_url: str | None, as_json: bool) -> None:
    """Regenerate the paper's figures (5, 6, 7, strategy timelines) and its report from a study's own data.

    Figures that cannot be made are listed with the reason; with no training runs at all the command still
    writes what it can and exits with status 1.
    """
    from analysis.browser import BROWSER

    chosen = _formats(formats)
    if dpi < 1:
        fail("--dpi must be positive")
    BROWSER.start()  # Chromium starts while the rest is imported and the study loads
    started = time.perf_counter()
    from analysis.export import ExportError, stop_export_browser
    from hill_dash.studydata.results import Stages, figures_and_report

    stages = Stages({"imports": round(time.perf_counter() - started, 4)})
    with stages.stage("load"):
        tables = _load(data_dir, database_url, study)
    try:
        made = figures_and_report(tables, out, chosen, layout, dpi, stages)
    except (ExportError, ValueError) as exc:
        fail(str(exc))
    finally:
        with stages.stage("browser_close"):
            stop_export_browser()
    no_runs = tables.runs.empty
    summary = {"study": {"id": tables.study.id, "name": tables.study.name}, "simulated": tables.simulated,
               "out": str(out), "layout": layout, "formats": chosen, "dpi": dpi, **made,
               "stages_s": stages.seconds,
               "error": f"study {tables.study.name!r} has no training runs yet" if no_runs else None}
    emit(summary, as_json, human=_describe_figures)
    if no_runs:
        click.echo(f"Error: study {tables.study.name!r} has no training runs yet: participants (or "
                   f"`hill-dash demo-study`) must train before its figures can be made", err=True)
        sys.exit(1)


@click.command("export")
@click.option("--study", required=True, help="The study's id or name.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output directory.")
@click.option("--parquet/--no-parquet", default=False, show_default=True,
              help="Also write every table as Parquet beside its CSV.")
@_with_store_options
@json_option
def export_command(study: str, out: Path, parquet: bool, data_dir: Path | None, database_url: str | None,
                   as_json: bool) -> None:
    """Write everything a study holds as a documented data package: participants, runs and their settings,
    epochs, edits, answers, scores, recordings, transcript segments, codebook, codings and agreement as CSV, with
    `datapackage.json` describing every field, and the coded transcripts as a `.qdpx` file for QDA tools."""
    from hill_dash.studydata.export import export_study
    from hill_dash.studydata.frames import StudyDataError
    from hill_dash.studydata.results import Stages

    stages = Stages()
    with stages.stage("open"):
        store = _open(data_dir, database_url)
    try:
        result = export_study(store, study, out, parquet=parquet, stages=stages)
    except StudyDataError as exc:
        fail(str(exc))
    files = [str(p) for p in result.files]
    summary = {"study": {"id": result.study_id, "name": result.study_name}, "simulated": result.simulated,
               "out": str(out), "files": files, "datapackage": str(Path(out) / "datapackage.json"),
               "qdpx": next((f for f in files if f.endswith(".qdpx")), None), "rows": result.rows,
               "notes": result.notes, "stages_s": stages.seconds}
    emit(summary, as_json, human=lambda r: f"study {r['study']['name']!r}: " + ", ".join(
        f"{name} {n} rows" for name, n in r["rows"].items()) + f" written to {r['out']} with datapackage.json")
