"""A study's recordings, transcripts, codebook, codings and inter-coder agreement as tidy tables for the export."""

from __future__ import annotations

import pandas as pd

import transcripts
from hill_dash.store import Store, Study
from hill_dash.studydata.fields import DOCS


def _typed(rows: list[dict], table: str, integers: tuple[str, ...] = (), floats: tuple[str, ...] = (),
           leave: tuple[str, ...] = ()) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[c for c in DOCS[table].fields if c not in leave])
    for column in integers:
        frame[column] = frame[column].astype("Int64")
    for column in floats:
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    return frame


def recordings_frame(store: Store, study: Study) -> pd.DataFrame:
    """One row per recording of the study's participants."""
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    scenarios = {s.id: s.scenario for s in study.scenarios}
    rows = [{"recording_id": r.id, "participant": codes.get(r.participant_id),
             "scenario": scenarios.get(r.study_scenario_id), "kind": r.kind, "mime": r.mime, "status": r.status,
             "started_at": r.started_at, "duration_s": r.duration_s} for r in store.list_recordings(study=study.id)]
    return _typed(rows, "recordings", ("recording_id",), ("duration_s",))


def segments_frame(store: Store, study: Study, recordings: pd.DataFrame) -> pd.DataFrame:
    """One row per segment of every transcript of those recordings, corrections applied."""
    rows = []
    for recording in recordings.itertuples(index=False):
        for transcript in store.list_transcripts(int(recording.recording_id)):
            for index, segment in enumerate(store.transcript_segments(transcript.id)):
                rows.append({"transcript_id": transcript.id, "recording_id": int(recording.recording_id),
                             "participant": recording.participant, "scenario": recording.scenario,
                             "backend": transcript.backend, "model": transcript.model,
                             "language": transcript.language, "segment_index": index,
                             "start_s": segment.get("start"), "end_s": segment.get("end"),
                             "text": segment.get("text")})
    frame = _typed(rows, "transcript_segments", ("transcript_id", "recording_id", "segment_index"),
                   ("start_s", "end_s"), leave=SESSION_COLUMNS)
    aligned = getattr(store, "segments_frame", None)
    if aligned is None or frame.empty:
        return frame
    clock = aligned(study.id).rename(columns={"segment": "segment_index"})
    keep = ["transcript_id", "segment_index", *[c for c in SESSION_COLUMNS if c in clock.columns]]
    clock = clock[keep].astype({"transcript_id": "Int64", "segment_index": "Int64"})
    merged = frame.merge(clock, on=["transcript_id", "segment_index"], how="left")
    for column in ("run_id", "epoch", "interaction_index", "edits_near"):
        if column in merged.columns:
            merged[column] = pd.to_numeric(merged[column]).astype("Int64")
    return merged


SESSION_COLUMNS = ("session_start_s", "session_end_s", "spoken_at", "run_id", "epoch", "interaction_index",
                   "edits_near", "edit_ids", "edit_labels", "nearest_edit_s")  # the store's session clock


def codebook_frame(store: Store, study: Study) -> pd.DataFrame:
    """One row per code or theme."""
    rows = [{"code_id": c.id, "name": c.name, "description": c.description, "parent_id": c.parent_id,
             "theme": bool(c.theme)} for c in store.list_codes(study.id)]
    return _typed(rows, "codebook", ("code_id", "parent_id"))


def _theme_of(code_id: int, codes: dict) -> str | None:
    seen: set[int] = set()
    current = codes.get(code_id)
    while current is not None and current.id not in seen:
        if current.theme:
            return current.name
        seen.add(current.id)
        current = codes.get(current.parent_id)
    return None


def codings_table(store: Store, study: Study, recordings: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """One row per coding, with the coded stretch's time from its transcript's segments."""
    codes = {c.id: c for c in store.list_codes(study.id)}
    where = segments.set_index(["transcript_id", "segment_index"])
    owner = segments.drop_duplicates("transcript_id").set_index("transcript_id")
    rows = []
    for c in store.list_codings(study=study.id):
        def at(index: int, column: str) -> float | None:
            key = (c.transcript_id, index)
            return float(where.loc[key, column]) if key in where.index else None

        known = c.transcript_id in owner.index
        rows.append({"coding_id": c.id, "transcript_id": c.transcript_id,
                     "participant": owner.loc[c.transcript_id, "participant"] if known else None,
                     "scenario": owner.loc[c.transcript_id, "scenario"] if known else None, "code_id": c.code_id,
                     "code": codes[c.code_id].name if c.code_id in codes else None,
                     "theme": _theme_of(c.code_id, codes), "coder": c.coder, "start_index": c.start_index,
                     "end_index": c.end_index, "start_s": at(c.start_index, "start_s"),
                     "end_s": at(c.end_index, "end_s"), "quote": c.quote, "memo": c.memo,
                     "created_at": c.created_at})
    return _typed(rows, "codings", ("coding_id", "transcript_id", "code_id", "start_index", "end_index"),
                  ("start_s", "end_s"))


def agreement_frame(store: Store, study: Study) -> tuple[pd.DataFrame, str | None]:
    """Agreement per code and overall on transcripts every coder finished; empty with the reason when there is none."""
    empty = _typed([], "agreement", ("units",), ("kappa", "alpha", "observed"))
    finished = store.finished_codings(study.id)
    coders = sorted({c.coder for c in finished})
    if len(coders) < 2:
        return empty, (f"no inter-coder agreement: it needs two coders who finished the same transcript "
                       f"(finished: {', '.join(coders) or 'none'})")
    names = {c.id: c.name for c in store.list_codes(study.id)}
    texts = {}
    for transcript_id in sorted({c.transcript_id for c in finished}):
        segments = tuple(transcripts.Segment(float(s["start"]), float(s["end"]), str(s["text"]))
                         for s in store.transcript_segments(transcript_id))
        texts[str(transcript_id)] = transcripts.Transcript(
            segments=segments, language=None, duration=segments[-1].end if segments else 0.0, backend="", model="",
            id=str(transcript_id))
    spans = [transcripts.CodedSpan(str(c.transcript_id), names[c.code_id], c.coder,
                                   segments=(c.start_index, c.end_index)) for c in finished if c.code_id in names]
    try:
        report = transcripts.agreement(spans, texts)
    except transcripts.CodingError as exc:
        return empty, f"no inter-coder agreement: {exc}"
    frame = report.to_frame().reset_index()
    return _typed(frame.to_dict("records"), "agreement", ("units",), ("kappa", "alpha", "observed")), None


INTERACTION_STARTS = "interaction_starts_s"  # a transcript setting: when each interaction point began, in seconds


def interaction_times(store: Store, study: Study) -> pd.DataFrame:
    """participant, scenario, interaction_index, at_s: when each interaction point happened in the participant's
    think-aloud recording of that scenario.

    Taken from the transcript's own record when it has one (`settings["interaction_starts_s"]`), else from the
    first edit at each interaction point relative to the recording's start; moments outside the recording are
    left out.
    """
    codes = {p.id: p.code for p in store.list_participants(study.id)}
    scenarios = {s.id: s.scenario for s in study.scenarios}
    runs = {(run.participant_id, run.study_scenario_id): run for run in store.list_runs(study=study.id)
            if run.participant_id is not None}
    rows = []
    for recording in store.list_recordings(study=study.id, kind="think_aloud"):
        found = store.list_transcripts(recording.id)
        stored = (found[-1].settings or {}).get(INTERACTION_STARTS) if found else None
        if stored:
            times = {i: float(t) for i, t in enumerate(stored)}
        else:
            run = runs.get((recording.participant_id, recording.study_scenario_id))
            times = {}
            for edit in store.list_edits(run.id) if run is not None else []:
                offset = (edit.created_at - recording.started_at).total_seconds()
                times.setdefault(edit.interaction_index, offset)
        length = recording.duration_s if recording.duration_s is not None else float("inf")
        rows += [{"participant": codes.get(recording.participant_id),
                  "scenario": scenarios.get(recording.study_scenario_id), "interaction_index": index, "at_s": at}
                 for index, at in sorted(times.items()) if 0 <= at <= length]
    return pd.DataFrame(rows, columns=["participant", "scenario", "interaction_index", "at_s"])
