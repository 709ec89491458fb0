"""Audio recordings (think-aloud, interviews) arriving in chunks from the browser, joined into one file.

A chunk is kept as its own file the moment it arrives, so a reload or a crash loses at most the chunk in flight;
uploading the same chunk again (a retry) changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, check_choice, finite, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import AudioChunk as ChunkRow
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow

RECORDING_KINDS = ("think_aloud", "interview")
RECORDING_STATUSES = ("recording", "complete", "transcribing", "transcribed", "failed")
SUFFIXES = {"audio/webm": ".webm", "audio/ogg": ".ogg", "audio/wav": ".wav", "audio/x-wav": ".wav",
            "audio/mpeg": ".mp3", "audio/mp4": ".m4a", "audio/flac": ".flac"}


def audio_mime(mime: str) -> str:
    """The stored type of a recording: one of the audio types in SUFFIXES (codec parameters dropped), never
    anything a browser would run as a page. StoreError for any other type."""
    base = str(mime or "").split(";")[0].strip().lower()
    if base not in SUFFIXES:
        raise StoreError(f"audio type {str(mime)[:80]!r} is not accepted; record as one of {', '.join(SUFFIXES)}")
    return base


@dataclass(frozen=True)
class Recording:
    id: int
    participant_id: int | None
    study_scenario_id: int | None
    kind: str
    mime: str
    path: str | None
    started_at: datetime
    duration_s: float | None
    status: str


@dataclass(frozen=True)
class AudioChunk:
    id: int
    recording_id: int
    seq: int
    path: str
    client_offset_ms: int | None
    received_at: datetime


class AudioMixin(StoreBase):
    """Start recordings, take their chunks, join them, import finished audio files."""

    def create_recording(self, kind: str, mime: str = "audio/webm", *, participant_id: int | None = None,
                         study_scenario_id: int | None = None) -> Recording:
        """A new recording (status "recording") waiting for chunks."""
        check_choice(kind, RECORDING_KINDS, "recording kind")
        mime = audio_mime(mime)
        with self._write() as session:
            self._check_links(session, participant_id, study_scenario_id)
            row = RecordingRow(kind=kind, mime=mime, participant_id=participant_id,
                               study_scenario_id=study_scenario_id)
            session.add(row)
            session.flush()
            return to_record(Recording, row)

    def import_recording(self, kind: str, source: str | os.PathLike[str], mime: str | None = None, *,
                         participant_id: int | None = None, study_scenario_id: int | None = None,
                         duration_s: float | None = None) -> Recording:
        """Copy a finished audio file (an interview, say) into the store as a complete recording."""
        suffix = Path(source).suffix.lower()
        mime = mime or next((m for m, s in SUFFIXES.items() if s == suffix), suffix or "no suffix")
        recording = self.create_recording(kind, mime, participant_id=participant_id,
                                          study_scenario_id=study_scenario_id)
        path = self.files.copy_in(f"recordings/{recording.id}/audio{suffix or '.bin'}", source)
        return self.update_recording(recording.id, status="complete", duration_s=duration_s, path=path)

    def add_chunk(self, recording_id: int, seq: int, data: bytes, client_offset_ms: int | None = None) -> AudioChunk:
        """Keep chunk `seq` (0, 1, 2, ...) of a recording; a chunk already received is returned unchanged."""
        if seq < 0:
            raise StoreError(f"chunk numbers start at 0, got {seq}")
        existing = self._chunk(recording_id, seq)
        if existing is not None:
            return existing
        with self._read() as session:
            self._check_open(session, recording_id, lock=False)
        path = self.files.write_bytes(f"recordings/{recording_id}/chunks/{seq:06d}.part", bytes(data))
        try:
            with self._write() as session:
                self._check_open(session, recording_id, lock=True)
                row = ChunkRow(recording_id=recording_id, seq=int(seq), path=path,
                               client_offset_ms=None if client_offset_ms is None else int(client_offset_ms))
                session.add(row)
                session.flush()
                return to_record(AudioChunk, row)
        except StoreError as exc:
            # The same chunk uploaded twice at once: the other upload stored it, and both callers get that row.
            stored = self._chunk(recording_id, seq) if isinstance(exc.__cause__, IntegrityError) else None
            if stored is not None:
                return stored
            self.files.absolute(path).unlink(missing_ok=True)
            raise

    def chunk_bytes(self, recording_id: int) -> int:
        """How many bytes of a recording's chunks are kept so far."""
        folder = self.files.absolute(f"recordings/{int(recording_id)}/chunks")
        if not folder.is_dir():
            return 0
        with os.scandir(folder) as entries:
            return sum(entry.stat().st_size for entry in entries if entry.is_file())

    def list_chunks(self, recording_id: int) -> list[AudioChunk]:
        """A recording's chunks in sequence order."""
        query = select(ChunkRow).where(ChunkRow.recording_id == recording_id).order_by(ChunkRow.seq)
        return self._records_of(RecordingRow, recording_id, "recording", query, AudioChunk)

    def join_chunks(self, recording_id: int, duration_s: float | None = None) -> Recording:
        """Concatenate the chunks in sequence order into one audio file; the recording becomes "complete"."""
        chunks = self.list_chunks(recording_id)
        if not chunks:
            raise StoreError(f"recording {recording_id} has no chunks to join; upload its audio first")
        missing = sorted(set(range(chunks[-1].seq + 1)) - {chunk.seq for chunk in chunks})
        if missing:
            raise StoreError(f"recording {recording_id} cannot be joined: chunks {missing} are missing; "
                             "upload them again")
        recording = self.get_recording(recording_id)
        path = self.files.concatenate(f"recordings/{recording_id}/audio{SUFFIXES.get(recording.mime, '.bin')}",
                                      [chunk.path for chunk in chunks])
        return self.update_recording(recording_id, status="complete", duration_s=duration_s, path=path)

    def update_recording(self, recording_id: int, *, status: str | None = None, duration_s: float | None = None,
                         path: str | None = None) -> Recording:
        """Change a recording's status, duration or file."""
        with self._write() as session:
            row = self._get(session, RecordingRow, recording_id, "recording", lock=True)
            if status is not None:
                row.status = check_choice(status, RECORDING_STATUSES, "recording status")
            if duration_s is not None:
                row.duration_s = finite(duration_s)
            if path is not None:
                row.path = self.files.relative(path)
            return to_record(Recording, row)

    def get_recording(self, recording_id: int) -> Recording:
        """One recording by id."""
        with self._read() as session:
            return to_record(Recording, self._get(session, RecordingRow, recording_id, "recording"))

    def list_recordings(self, *, study: int | str | None = None, participant_id: int | None = None,
                        kind: str | None = None) -> list[Recording]:
        """Recordings matching every filter given, oldest first."""
        query = select(RecordingRow).order_by(RecordingRow.id)
        with self._read() as session:
            if study is not None:
                members = select(ParticipantRow.id).where(ParticipantRow.study_id == self._study(session, study).id)
                query = query.where(RecordingRow.participant_id.in_(members))
            if participant_id is not None:
                query = query.where(RecordingRow.participant_id == participant_id)
            if kind is not None:
                query = query.where(RecordingRow.kind == check_choice(kind, RECORDING_KINDS, "recording kind"))
            return [to_record(Recording, row) for row in session.scalars(query)]

    def _chunk(self, recording_id: int, seq: int) -> AudioChunk | None:
        with self._read() as session:
            row = session.scalars(select(ChunkRow).where(ChunkRow.recording_id == recording_id,
                                                         ChunkRow.seq == seq)).first()
            return None if row is None else to_record(AudioChunk, row)

    def _check_open(self, session: Session, recording_id: int, lock: bool) -> None:
        recording = self._get(session, RecordingRow, recording_id, "recording", lock=lock)
        if recording.status != "recording":
            raise StoreError(f"recording {recording_id} is {recording.status}; it takes no more chunks")

    def _check_links(self, session: Session, participant_id: int | None, study_scenario_id: int | None) -> None:
        participant = None if participant_id is None else self._get(session, ParticipantRow, participant_id,
                                                                    "participant")
        if study_scenario_id is not None:
            scenario = self._get(session, StudyScenarioRow, study_scenario_id, "study scenario")
            if participant is not None and participant.study_id != scenario.study_id:
                raise StoreError(f"participant {participant_id} is not in the study of study scenario "
                                 f"{study_scenario_id}")
