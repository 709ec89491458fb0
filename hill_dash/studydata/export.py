"""A whole study as a documented data package (`hill-dash export`): every table the study produced, tidy, with
`datapackage.json` describing each field (see `hill_dash.studydata.fields` and `analysis.package`).

Tables: participants, participant_scenarios, runs (settings and environment), epochs, edits and edit_points,
follow_through (when the store keeps one), answers, scores, recordings, transcript_segments, codebook, codings,
agreement. Files other formats need beside the tables (for example a qualitative-analysis exchange file) are
added in `write_beside_tables`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.package import Table, write_package
from hill_dash.store import Store, Study
from hill_dash.studydata.fields import DOCS
from hill_dash.studydata.frames import StudyTables, load_study
from hill_dash.studydata.qualitative import agreement_frame, codebook_frame, codings_table, recordings_frame, \
    segments_frame
from hill_dash.studydata.results import Stages

ENVIRONMENT_FILE = "environment.json"


@dataclass
class ExportResult:
    """What was written: the files, rows per table and what could not be exported with the reason."""

    files: list[Path]
    rows: dict[str, int]
    notes: list[str] = field(default_factory=list)
    study_id: int = 0
    study_name: str = ""
    simulated: bool = False


def _frame(rows: Iterable[dict[str, Any]], columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(columns))


def participants_tables(store: Store, study: Study, answers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """participants (code, status, order, times) and participant_scenarios (the order, long)."""
    people, order = [], []
    times = pd.to_datetime(answers["answered_at"], utc=True, errors="coerce").groupby(answers["participant"])
    first, last = times.min(), times.max()
    for person in store.list_participants(study.id):
        met = [s.scenario for s in store.participant_scenarios(person.id)]
        order += [{"participant": person.code, "scenario": name, "position": i + 1} for i, name in enumerate(met)]
        people.append({"participant": person.code, "status": person.status, "scenario_order": " > ".join(met),
                       "simulated": bool(person.simulated or study.settings.get("simulated", False)),
                       "created_at": person.created_at, "updated_at": person.updated_at,
                       "first_answer_at": first.get(person.code), "last_answer_at": last.get(person.code)})
    return (_frame(people, DOCS["participants"].fields), _frame(order, DOCS["participant_scenarios"].fields))


def _environment(run_dir: str) -> dict[str, Any] | None:
    path = Path(run_dir) / ENVIRONMENT_FILE if run_dir else None
    if path is None or not path.is_file():
        return None
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def runs_tables(store: Store, study: Study, runs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """runs (one row per run with its settings and environment) and epochs (what every epoch measured)."""
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    settings = []
    for run in store.list_runs(study=study.id):
        config = run.config or {}
        settings.append({
            "run_id": run.id, "scenario": run.scenario,
            "condition": "hill" if run.condition == "simulated" else run.condition,
            "participant": codes.get(run.participant_id), "seed": run.seed, "alpha": config.get("alpha"),
            "lam": config.get("lam"), "teacher": config.get("teacher"),
            "adaptive_alpha": bool(config.get("adaptive_alpha", False)),
            "interaction_epochs": list(config.get("interaction_epochs") or []), "end_epoch": config.get("end_epoch"),
            "status": run.status, "simulated": run.condition == "simulated" or bool(study.settings.get("simulated")),
            "created_at": run.created_at, "finished_at": run.finished_at, "config": config,
            "environment": _environment(run.run_dir)})
    table = _frame(settings, DOCS["runs"].fields)
    for column in ("run_id", "seed", "end_epoch"):
        table[column] = table[column].astype("Int64")
    for column in ("alpha", "lam"):
        table[column] = pd.to_numeric(table[column]).astype(float)
    epochs = runs.astype({"run_id": int})
    return table, epochs[[c for c in DOCS["epochs"].fields if c in epochs.columns]]


def edits_tables(store: Store, study: Study) -> tuple[pd.DataFrame, pd.DataFrame]:
    """edits (one row per stored edit) and edit_points (one row per moved point)."""
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    edits, moved = [], []
    for run in store.list_runs(study=study.id):
        for e in store.list_edits(run.id):  # every edit, undone ones and undo/redo records included
            indices = list(e.point_indices or [])
            edits.append({"edit_id": e.id, "run_id": run.id, "participant": codes.get(run.participant_id),
                          "scenario": run.scenario, "interaction_index": e.interaction_index, "epoch": e.epoch,
                          "seq": e.seq, "kind": e.kind, "actor": e.actor, "class_id": e.class_id,
                          "n_points": len(indices), "point_indices": indices, "old_positions": e.old_positions,
                          "new_positions": e.new_positions, "arrow": e.arrow, "target_id": e.target_id,
                          "undone": bool(e.undone), "created_at": e.created_at})
            old, new = e.old_positions or [], e.new_positions or []
            for k, index in enumerate(indices):
                before = old[k] if k < len(old) else (None, None)
                after = new[k] if k < len(new) else (None, None)
                moved.append({"edit_id": e.id, "run_id": run.id, "point_index": index, "old_x": before[0],
                              "old_y": before[1], "new_x": after[0], "new_y": after[1]})
    table = _frame(edits, DOCS["edits"].fields)
    for column in ("edit_id", "run_id", "interaction_index", "epoch", "seq", "class_id", "n_points", "target_id"):
        table[column] = table[column].astype("Int64")
    points = _frame(moved, DOCS["edit_points"].fields)
    for column in ("old_x", "old_y", "new_x", "new_y"):
        points[column] = pd.to_numeric(points[column]).astype(float)
    return table, points.astype({"edit_id": "Int64", "run_id": "Int64", "point_index": "Int64"})


def follow_through_table(store: Store, study: Study) -> pd.DataFrame | None:
    """How far each round carried each edited class where the participant asked (None when the store keeps none)."""
    listing = getattr(store, "list_follow_through", None)
    if listing is None:
        return None
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    rows = []
    for run in store.list_runs(study=study.id):
        for record in listing(run.id):
            row = {name: getattr(record, name) for name in DOCS["follow_through"].fields if hasattr(record, name)}
            rows.append({**row, "participant": codes.get(run.participant_id), "scenario": run.scenario})
    frame = _frame(rows, DOCS["follow_through"].fields)
    for column in ("run_id", "interaction_index", "epoch", "end_epoch", "class_id"):
        frame[column] = frame[column].astype("Int64")
    for column in ("alpha", "old_x", "old_y", "asked_x", "asked_y", "new_x", "new_y", "old_spread", "asked_spread",
                   "new_spread", "share", "spread_share"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


def alpha_changes_table(store: Store, study: Study) -> pd.DataFrame | None:
    """Every change adaptive reliance made to a run's alpha (None when the store keeps none)."""
    listing = getattr(store, "list_alpha_changes", None)
    if listing is None:
        return None
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    rows = [{**{name: getattr(record, name) for name in DOCS["alpha_changes"].fields if hasattr(record, name)},
             "participant": codes.get(run.participant_id), "scenario": run.scenario}
            for run in store.list_runs(study=study.id) for record in listing(run.id)]
    frame = _frame(rows, DOCS["alpha_changes"].fields)
    for column in ("old_alpha", "new_alpha", "val_acc", "band_min"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame.astype({"run_id": "Int64", "epoch": "Int64"})


def answers_table(answers: pd.DataFrame) -> pd.DataFrame:
    """answers with the value split into a number column and a text column, so each has one type."""
    def number(v: Any) -> float | None:
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def text(v: Any) -> str | None:
        if v is None or number(v) is not None:
            return None
        return v if isinstance(v, str) else json.dumps(v)

    out = answers.drop(columns=[c for c in ("study",) if c in answers.columns]).copy()
    out["value_number"] = pd.to_numeric(out["value"].map(number)).astype(float)
    out["value_text"] = out["value"].map(text)
    return out[[c for c in DOCS["answers"].fields if c in out.columns]]


def write_beside_tables(store: Store, study: Study, out: Path) -> list[Path]:
    """Files written beside the tables for other tools: the coded transcripts for QDA tools (REFI-QDA `.qdpx`)."""
    from hill_dash.store.qdpx import write_study_qdpx

    return [write_study_qdpx(store, study.id, out)]


# Reads the export repeats: every table asks for the participants and runs again, and each transcript is read for
# its segments, again for the session clock and again for the .qdpx file.
_READ_ONCE = ("get_transcript", "transcript_segments", "list_transcripts", "list_transcript_edits", "get_recording",
              "recording_start", "get_participant", "list_participants", "participant_scenarios", "list_runs",
              "list_edits", "list_recordings", "list_codes", "list_codings", "session_events", "session_start")


def reading_once(store: Store) -> Store:
    """A view of `store` for one export that reads the same rows only once: the repeated reads above are answered
    from memory (the store's own methods calling each other included). Writes must not go through it."""
    view = copy.copy(store)
    for name in _READ_ONCE:
        if callable(getattr(view, name, None)):
            setattr(view, name, _remembered(getattr(view, name)))  # bound to the view: inner calls hit it too
    return view


def _remembered(method: Callable[..., Any]) -> Callable[..., Any]:
    answers: dict[Any, Any] = {}

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            found = answers[key]
        except KeyError:
            found = answers[key] = method(*args, **kwargs)
        except TypeError:  # an argument that cannot be a key: nothing to remember
            return method(*args, **kwargs)
        # records are frozen; lists and the segments' dicts are copied so a caller cannot change what is remembered
        return [dict(item) if isinstance(item, dict) else item for item in found] if isinstance(found, list) \
            else found

    return call


def package_name(study: Study) -> str:
    """The study's name as a Frictionless package name (lower case, digits, '-', '_', '.')."""
    return re.sub(r"[^a-z0-9._-]+", "-", study.name.lower()).strip("-._") or f"study-{study.id}"


def export_study(store: Store, study: int | str, out_dir: str | Path, parquet: bool = False,
                 tables: StudyTables | None = None, stages: Stages | None = None) -> ExportResult:
    """Write the study's data package into `out_dir`; `tables` reuses an already loaded study; `stages` times
    the work (load, tables, write, beside)."""
    from hill_dash.provenance import environment

    stages = stages or Stages()
    store = reading_once(store)
    with stages.stage("load"):
        loaded = tables or load_study(store, study, for_figures=False)
    with stages.stage("tables"):
        frames, docs, notes = _collect(store, loaded)
    record = loaded.study
    extra = {"study": {"id": record.id, "name": record.name, "alpha": record.alpha, "lam": record.lam,
                       "teacher": getattr(record, "teacher", None),
                       "adaptive_alpha": getattr(record, "adaptive_alpha", None), "simulated": loaded.simulated},
             "exported_with": environment(), "notes": notes}
    with stages.stage("write"):
        files = write_package(frames, docs, out_dir, package_name(record), f"HILL study {record.name}", extra)
        if parquet:
            from analysis.export import export_tidy

            files += export_tidy(frames, out_dir, formats=["parquet"])
    with stages.stage("beside"):
        files += write_beside_tables(store, record, Path(out_dir))
    return ExportResult(files, {name: len(frame) for name, frame in frames.items()}, notes, record.id, record.name,
                        loaded.simulated)


def _collect(store: Store, loaded: StudyTables) -> tuple[dict[str, pd.DataFrame], dict[str, Table], list[str]]:
    """Every table of the package, its documentation, and a note per thing that could not be included."""
    record = loaded.study
    notes = list(loaded.notes)
    frames: dict[str, pd.DataFrame] = {}
    docs = dict(DOCS)
    frames["participants"], frames["participant_scenarios"] = participants_tables(store, record, loaded.answers)
    frames["runs"], frames["epochs"] = runs_tables(store, record, loaded.runs)
    frames["edits"], frames["edit_points"] = edits_tables(store, record)
    follow = follow_through_table(store, record)
    if follow is not None:
        frames["follow_through"] = follow
    else:
        notes.append("follow-through of edits: this store keeps none, so no follow_through table")
    changes = alpha_changes_table(store, record)
    if changes is not None:
        frames["alpha_changes"] = changes
    frames["answers"] = answers_table(loaded.answers)
    frames["scores"] = loaded.scores.drop(columns=[c for c in ("study",) if c in loaded.scores.columns])
    frames["recordings"] = recordings_frame(store, record)
    frames["transcript_segments"] = segments_frame(store, record, frames["recordings"])
    frames["codebook"] = codebook_frame(store, record)
    frames["codings"] = codings_table(store, record, frames["recordings"], frames["transcript_segments"])
    frames["agreement"], why = agreement_frame(store, record)
    if why:
        notes.append(f"agreement: {why}")
    return frames, docs, notes
