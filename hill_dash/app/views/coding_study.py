"""A study's coding seen by one coder: the codebook seeded once, the codings they may see, coding a selection,
agreement on finished passes, and quotes with participant, time and code.

Independence: during coding a coder sees their own codings only; a transcript's codings of other coders appear to
a coder once both have marked their pass over it done. Agreement is computed on finished passes only, so it never
shows a coder anything about a pass still going on.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

import transcripts
from hill_dash.store import Code, Coding, Store, StoreError
from hill_dash.store.qdpx import as_transcript

MAX_CHARS = 100_000  # longer than any segment; selection offsets beyond it are refused before the store is asked


def transcript_study(store: Store, transcript_id: int) -> tuple[int | None, str]:
    """The study a transcript belongs to (None for audio of no participant) and the participant's code."""
    recording = store.get_recording(store.get_transcript(transcript_id).recording_id)
    if recording.participant_id is None:
        return None, f"recording {recording.id}"
    participant = store.get_participant(recording.participant_id)
    return participant.study_id, participant.code


def ensure_codebook(store: Store, study_id: int) -> list[Code]:
    """The study's codebook, seeded with the paper's themes and codes (section 4.2.3) the first time it is used."""
    codes = store.list_codes(study_id)
    if codes:
        return codes
    added: dict[str, int] = {}
    try:
        for code, parent in transcripts.paper_codebook().walk():
            added[code.id] = store.add_code(study_id, code.name, code.description, theme=parent is None,
                                            parent_id=added[parent] if parent else None).id
    except StoreError:  # another researcher's first visit seeded it at the same moment
        pass
    return store.list_codes(study_id)


def _bounded(value: Any, upper: int) -> int:
    number = int(value)
    if isinstance(value, bool) or not 0 <= number <= upper:
        raise ValueError(f"{value!r} is out of range")
    return number


def code_selection(store: Store, transcript_id: int, code_id: Any, selection: Any, memo: str | None,
                   coder: str) -> str:
    """Code the selected words as `coder`; the outcome in words. Every value from the browser is checked."""
    if code_id in (None, ""):
        return "Choose a code first."
    if not isinstance(selection, dict):
        return "Select the words to code in a segment's text first (drag across them)."
    count = len(store.transcript_segments(transcript_id))
    try:
        first, last = (_bounded(selection.get(k), count - 1) for k in ("first", "last"))
        start, end = (_bounded(selection.get(k), MAX_CHARS) for k in ("start", "end"))
        code = int(code_id)
    except (TypeError, ValueError):
        return "That selection does not fit this transcript; select the words again."
    if code not in {c.id for c in store.list_codes(transcript_study(store, transcript_id)[0])}:
        return "That code is not in this study's codebook; choose again."
    try:
        coding = store.add_coding(transcript_id, first, last, code, coder, memo=(memo or "").strip()[:5000],
                                  start_char=start, end_char=end)
    except StoreError as exc:
        return f"Not coded: {exc}"
    return f"Coded \u201c{coding.quote}\u201d as {coder}."


def visible(store: Store, study_id: int, viewer: str) -> list[Coding]:
    """The study's codings `viewer` may see (see the module docstring)."""
    done: dict[int, set[str]] = {}
    for p in store.list_passes(study=study_id):
        done.setdefault(p.transcript_id, set()).add(p.coder)
    return [c for c in store.list_codings(study=study_id)
            if c.coder == viewer or (viewer in done.get(c.transcript_id, set())
                                     and c.coder in done[c.transcript_id])]


def study_coding(store: Store, study_id: int, codings: list[Coding]
                 ) -> tuple[list[transcripts.CodedSpan], dict[str, transcripts.Transcript]]:
    """Codings as spans (code names as codes) and the corrected transcripts they refer to, with word times."""
    names = {c.id: c.name for c in store.list_codes(study_id)}
    scenarios = {s.id: s.scenario for s in store.get_study(study_id).scenarios}
    texts = {str(t): as_transcript(store, t, scenarios) for t in sorted({c.transcript_id for c in codings})}
    spans = [transcripts.CodedSpan(str(c.transcript_id), names[c.code_id], c.coder,
                                   segments=(c.start_index, c.end_index), memo=c.memo,
                                   chars=(c.start_char, c.end_char) if c.start_char is not None else None)
             for c in codings]
    return spans, texts


def agreement_view(store: Store, study_id: int) -> Any:
    """Cohen's kappa (two coders) or Fleiss' kappa (more), and Krippendorff's alpha, per code and overall, on the
    transcripts at least two coders finished."""
    finished = store.finished_codings(study_id)
    spans, texts = study_coding(store, study_id, finished)
    coders = sorted({s.coder for s in spans})
    if len(coders) < 2:
        so_far = f"finished so far: {', '.join(coders)}" if coders else "no pass is finished yet"
        return html.P(f"No agreement yet: it needs two coders who marked their pass done on the same transcript "
                      f"({so_far}).", className="text-muted small")
    try:
        report = transcripts.agreement(spans, texts)
    except transcripts.CodingError as exc:
        return html.P(f"No agreement yet: {exc}.", className="text-muted small")
    frame = report.to_frame().reset_index().round({"kappa": 3, "alpha": 3, "observed": 3})
    for column in ("kappa", "alpha"):
        frame[column] = frame[column].map(lambda k: "undefined" if k != k else k)  # NaN: nobody used the code
    return html.Div([html.P(f"Coders {', '.join(report.coders)} on {report.n_units} segments of transcripts they "
                            "all finished.", className="small mb-1"),
                     dbc.Table.from_dataframe(frame, size="sm", className="hill-agreement")])


def quotes_frame(store: Store, study_id: int, viewer: str, code_id: Any = None) -> pd.DataFrame:
    """The quotes `viewer` may see (one code when given): participant, time, code, coder, words, memo."""
    codings = visible(store, study_id, viewer)
    if code_id not in (None, ""):
        codings = [c for c in codings if str(c.code_id) == str(code_id)]
    spans, texts = study_coding(store, study_id, codings)
    return transcripts.quote_rows(spans, texts)
