"""The `figures` and `export` commands' work as library calls, timed by stage (what `bench analysis` measures)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hill_dash.studydata.frames import StudyTables


@dataclass
class Stages:
    """Seconds spent per named stage, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(self.seconds.get(name, 0.0) + time.perf_counter() - started, 4)

    @property
    def total(self) -> float:
        return round(sum(self.seconds.values()), 4)


def figures_and_report(tables: StudyTables, out: str | Path, formats: list[str], layout: str = "two-column",
                       dpi: int = 300, stages: Stages | None = None) -> dict[str, Any]:
    """Build and write the figures (one browser for all of them) and the report; what was written and why not.

    Raises `analysis.ExportError` when the static export fails.
    """
    from analysis.export import start_figure_export
    from hill_dash.studydata.outputs import build_figures, headline, study_report, write_report

    stages = stages or Stages()
    with stages.stage("figures_build"):
        made = build_figures(tables, layout)
    with stages.stage("figures_export"):  # Chromium draws while the report is computed
        written = start_figure_export(made.figures, out, formats, layout=layout, dpi=dpi)
    with stages.stage("report"):
        outcome = study_report(tables)
    with stages.stage("report_write"):
        report_files = write_report(outcome, tables.study.name, out)
    with stages.stage("headline"):
        head = headline(tables.runs) if not tables.runs.empty else {}
    with stages.stage("figures_export_wait"):
        files = written()
    return {"headline": head, "figures": {name: [str(p) for p in files if p.stem == name] for name in made.figures},
            "files": [str(p) for p in files], "skipped": made.skipped,
            "report": {"files": [str(p) for p in report_files], "error": outcome.error, "notes": outcome.notes}}
