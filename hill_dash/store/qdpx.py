"""A study's coded transcripts as a REFI-QDA project (`<study>.qdpx`, see `transcripts.write_qdpx`), for coders who
continue in QualCoder, NVivo, ATLAS.ti or MAXQDA.

Every coder's codings go in (each coder is a User there), on the corrected text of the newest transcript of each
recording that has codings; the codebook keeps its tree, descriptions and colours.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import transcripts
from hill_dash.store.coding import anchored
from hill_dash.store.store import Store


def study_codebook(store: Store, study_id: int) -> tuple[transcripts.Codebook, dict[int, str], dict[str, str]]:
    """(codebook, {code row id: codebook id}, {codebook id: colour}) of a study; ids are "c<row id>"."""
    codes = store.list_codes(study_id)
    book, slugs, colors = transcripts.Codebook(), {}, {}
    remaining = list(codes)
    while remaining:  # parents first, whatever order the codes were added in
        placed = [c for c in remaining if c.parent_id is None or c.parent_id in slugs
                  or c.parent_id not in {x.id for x in codes}]
        for code in placed:
            parent = slugs.get(code.parent_id) if code.parent_id is not None else None
            slugs[code.id] = book.add(code.name, code.description, parent=parent, code_id=f"c{code.id}").id
        remaining = [c for c in remaining if c.id not in slugs]
    for index, code in enumerate(codes):
        colors[slugs[code.id]] = code.color or transcripts.code_color(index)
    return book, slugs, colors


def as_transcript(store: Store, transcript_id: int, scenarios: dict[int, str]) -> transcripts.Transcript:
    """A stored transcript as the library's object: corrected texts, word times, and participant, scenario and
    recording kind in its meta."""
    stored = store.get_transcript(transcript_id)
    recording = store.get_recording(stored.recording_id)
    participant = store.get_participant(recording.participant_id).code if recording.participant_id else None
    segments = tuple(transcripts.Segment(float(s["start"]), float(s["end"]), str(s["text"]), words=tuple(
        transcripts.Word(float(w["start"]), float(w["end"]), str(w["word"])) for w in s.get("words") or ()))
        for s in store.transcript_segments(transcript_id))
    return transcripts.Transcript(
        segments=segments, language=stored.language, duration=segments[-1].end if segments else 0.0,
        backend=stored.backend, model=stored.model, id=str(transcript_id),
        meta={"participant": participant or f"recording {recording.id}",
              "scenario": scenarios.get(recording.study_scenario_id), "kind": recording.kind.replace("_", "-")})


def qdpx_path(out_dir: str | os.PathLike, study_name: str) -> Path:
    """`<out_dir>/<study>.qdpx`, the study's name made safe as a file name."""
    return Path(out_dir) / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', study_name).strip('-.') or 'study'}.qdpx"


def write_study_qdpx(store: Store, study: int | str, out_dir: str | os.PathLike) -> Path:
    """Write the study's codebook, coded transcripts and codings (with memos) as `<out_dir>/<study>.qdpx`."""
    record = store.get_study(study)
    book, slugs, colors = study_codebook(store, record.id)
    codings = store.list_codings(study=record.id)
    scenarios = {s.id: s.scenario for s in record.scenarios}
    texts = {str(t): as_transcript(store, t, scenarios) for t in sorted({c.transcript_id for c in codings})}
    spans = []
    for c in codings:
        texts_now = [s.text for s in texts[str(c.transcript_id)].segments]
        covered = anchored(c, texts_now)  # a later correction may have moved the coded words
        if covered is None:
            continue  # the coded words were corrected away: nothing left to select
        chars = None if c.start_char is None else (covered[c.start_index][0], covered[c.end_index][1])
        spans.append(transcripts.CodedSpan(str(c.transcript_id), slugs[c.code_id], c.coder,
                                           segments=(c.start_index, c.end_index), memo=c.memo, chars=chars))
    return transcripts.write_qdpx(qdpx_path(out_dir, record.name), record.name, book, texts, spans, colors=colors)
