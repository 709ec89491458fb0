"""Transcripts of recordings (timed segments) and the corrections people make to them, kept as edits."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from hill_dash.store._base import StoreBase, plain_json, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.files import FileArea
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import Transcript as TranscriptRow
from hill_dash.store.tables import TranscriptEdit as TranscriptEditRow


@dataclass(frozen=True)
class Transcript:
    id: int
    recording_id: int
    backend: str
    model: str
    language: str | None
    path: str | None
    segments: list[dict[str, Any]] | None
    settings: dict[str, Any]
    created_at: datetime


@dataclass(frozen=True)
class TranscriptEdit:
    id: int
    transcript_id: int
    segment_index: int
    text: str
    editor: str
    created_at: datetime


def load_segments(files: FileArea, segments: list[Any] | None, path: str | None) -> list[dict[str, Any]]:
    """A transcript's segments, from its row or from its JSON file (a list, or {"segments": [...]})."""
    if segments is not None:
        return [dict(s) for s in segments]
    if path is None:
        return []
    try:
        data = json.loads(files.absolute(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"the transcript file {path} cannot be read as JSON segments: {exc}") from exc
    return [dict(s) for s in (data["segments"] if isinstance(data, dict) else data)]


class TranscriptsMixin(StoreBase):
    """Store transcripts, read their segments with corrections applied, record corrections."""

    def add_transcript(self, recording_id: int, backend: str, model: str, *, language: str | None = None,
                       segments: Sequence[Mapping[str, Any]] | None = None,
                       path: str | os.PathLike[str] | None = None,
                       settings: Mapping[str, Any] | None = None) -> Transcript:
        """Record a transcript given as segments [{start, end, text}, ...] or as a JSON file under files/."""
        if (segments is None) == (path is None):
            raise StoreError("give a transcript either as segments or as the path of its JSON file, not both "
                             "or neither")
        rows = None if segments is None else [_segment(i, s) for i, s in enumerate(segments)]
        relative = None if path is None else self.files.relative(path)
        if relative is not None:
            load_segments(self.files, None, relative)
        with self._write() as session:
            recording = self._get(session, RecordingRow, recording_id, "recording", lock=True)
            row = TranscriptRow(recording_id=recording_id, backend=backend, model=model, language=language,
                                segments=rows, path=relative, settings=plain_json(dict(settings or {})))
            session.add(row)
            recording.status = "transcribed"
            session.flush()
            return to_record(Transcript, row)

    def get_transcript(self, transcript_id: int) -> Transcript:
        """One transcript by id (segments as transcribed; see `transcript_segments` for the corrected text)."""
        with self._read() as session:
            return to_record(Transcript, self._get(session, TranscriptRow, transcript_id, "transcript"))

    def list_transcripts(self, recording_id: int) -> list[Transcript]:
        """A recording's transcripts, oldest first."""
        query = select(TranscriptRow).where(TranscriptRow.recording_id == recording_id).order_by(TranscriptRow.id)
        return self._records_of(RecordingRow, recording_id, "recording", query, Transcript)

    def transcript_segments(self, transcript_id: int, edited: bool = True) -> list[dict[str, Any]]:
        """The segments [{start, end, text}], with each segment's newest correction applied when `edited`."""
        transcript = self.get_transcript(transcript_id)
        segments = load_segments(self.files, transcript.segments, transcript.path)
        if edited:
            for edit in self.list_transcript_edits(transcript_id):
                segments[edit.segment_index]["text"] = edit.text
        return segments

    def add_transcript_edit(self, transcript_id: int, segment_index: int, text: str, editor: str) -> TranscriptEdit:
        """Correct the text of one segment; earlier versions stay in the history."""
        if not editor:
            raise StoreError("a transcript correction needs the editor's name")
        with self._write() as session:
            transcript = self._get(session, TranscriptRow, transcript_id, "transcript", lock=True)
            count = len(load_segments(self.files, transcript.segments, transcript.path))
            if not 0 <= segment_index < count:
                raise StoreError(f"transcript {transcript_id} has segments 0..{count - 1}; "
                                 f"there is no segment {segment_index}")
            row = TranscriptEditRow(transcript_id=transcript_id, segment_index=int(segment_index), text=text,
                                    editor=editor)
            session.add(row)
            session.flush()
            return to_record(TranscriptEdit, row)

    def set_recording_problem(self, recording_id: int, problem: str | None) -> None:
        """Say (in words) why a recording's audio cannot be transcribed; None clears it."""
        with self._write() as session:
            row = self._get(session, RecordingRow, recording_id, "recording", lock=True)
            row.problem = problem.strip()[:2000] if problem else None

    def recording_problem(self, recording_id: int) -> str | None:
        """Why a recording cannot be transcribed, or None."""
        with self._read() as session:
            return self._get(session, RecordingRow, recording_id, "recording").problem

    def recording_problems(self, recording_ids: Sequence[int]) -> dict[int, str]:
        """{recording id: problem} for those of `recording_ids` that have one."""
        with self._read() as session:
            rows = session.execute(select(RecordingRow.id, RecordingRow.problem)
                                   .where(RecordingRow.id.in_(list(recording_ids)),
                                          RecordingRow.problem.is_not(None)))
            return {rid: text for rid, text in rows}

    def list_transcript_edits(self, transcript_id: int) -> list[TranscriptEdit]:
        """Every correction of a transcript, oldest first."""
        query = (select(TranscriptEditRow).where(TranscriptEditRow.transcript_id == transcript_id)
                 .order_by(TranscriptEditRow.id))
        return self._records_of(TranscriptRow, transcript_id, "transcript", query, TranscriptEdit)


def _segment(index: int, segment: Mapping[str, Any]) -> dict[str, Any]:
    try:
        start, end, text = float(segment["start"]), float(segment["end"]), str(segment["text"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"segment {index} needs numeric start and end (seconds) and a text, "
                         f"got {dict(segment)!r}") from exc
    if end < start:
        raise StoreError(f"segment {index} ends ({end} s) before it starts ({start} s)")
    return plain_json({**segment, "start": start, "end": end, "text": text})
