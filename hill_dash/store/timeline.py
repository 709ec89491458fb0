"""Transcripts on the participant's session clock, joined to what the model and the participant were doing.

The session clock counts seconds from the participant's first stored event (an answer, a run, a recording's
start). A recording's zero is when its first audio chunk began: the server's arrival time of a chunk minus the
browser's offset of that chunk into the recording, taking the chunk with the least delay; recordings without chunk
timing (uploaded interviews) start at their `started_at`. The joining itself is `transcripts.align_segments`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from hill_dash.store._base import StoreBase
from hill_dash.store.tables import Answer as AnswerRow
from hill_dash.store.tables import AudioChunk as ChunkRow
from hill_dash.store.tables import Edit as EditRow
from hill_dash.store.tables import Epoch as EpochRow
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import StudyScenario as ScenarioRow
from hill_dash.store.tables import Transcript as TranscriptRow
from transcripts import EDIT_WINDOW_S, align_segments
from transcripts._timeline import SessionEvent

SEGMENT_COLUMNS = ["study", "participant", "scenario", "kind", "transcript_id", "segment", "start_s", "end_s",
                   "text", "session_start_s", "session_end_s", "spoken_at", "run_id", "epoch", "interaction_index",
                   "edits_near", "edit_ids", "edit_labels", "nearest_edit_s"]
WORD_COLUMNS = ["study", "participant", "scenario", "kind", "transcript_id", "segment", "word", "start_s", "end_s",
                "probability", "session_start_s", "epoch", "interaction_index"]


def edit_label(row: EditRow) -> str:
    """What an edit did, in words: "move class 3", "move 4 points", "undo"."""
    if row.kind == "class":
        return f"move class {row.class_id}"
    if row.kind in ("point", "selection", "collapse"):
        count = len(row.point_indices or [])
        return f"{row.kind} {count} point{'s' if count != 1 else ''}"
    if row.kind == "arrow":
        return "arrow on a point"
    return row.kind


class TimelineMixin(StoreBase):
    """Segments with their session time, training state and nearby edits."""

    def recording_start(self, recording_id: int) -> datetime:
        """When the recording's audio began on the server's clock (see the module docstring)."""
        with self._read() as session:
            recording = self._get(session, RecordingRow, recording_id, "recording")
            chunks = session.execute(select(ChunkRow.received_at, ChunkRow.client_offset_ms)
                                     .where(ChunkRow.recording_id == recording_id,
                                            ChunkRow.client_offset_ms.is_not(None))).all()
            starts = [received - timedelta(milliseconds=offset) for received, offset in chunks]
            return min(starts) if starts else recording.started_at

    def session_start(self, participant_id: int) -> datetime | None:
        """The participant's first stored event (None when nothing is stored yet)."""
        with self._read() as session:
            moments = [session.scalar(select(func.min(AnswerRow.answered_at))
                                      .where(AnswerRow.participant_id == participant_id)),
                       session.scalar(select(func.min(RunRow.created_at))
                                      .where(RunRow.participant_id == participant_id)),
                       session.scalar(select(func.min(RecordingRow.started_at))
                                      .where(RecordingRow.participant_id == participant_id))]
        known = [m for m in moments if m is not None]
        return min(known) if known else None

    def session_events(self, participant_id: int, study_scenario_id: int | None) -> list[SessionEvent]:
        """The participant's edits and epochs reached in the runs of one study scenario (all runs when None)."""
        runs = select(RunRow.id).where(RunRow.participant_id == participant_id)
        if study_scenario_id is not None:
            runs = runs.where(RunRow.study_scenario_id == study_scenario_id)
        with self._read() as session:
            edits = session.scalars(select(EditRow).where(EditRow.run_id.in_(runs)).order_by(EditRow.id)).all()
            epochs = session.scalars(select(EpochRow).where(EpochRow.run_id.in_(runs))
                                     .order_by(EpochRow.run_id, EpochRow.epoch)).all()
            events = [SessionEvent(at=e.created_at, kind="edit", run_id=e.run_id, ident=e.id, epoch=e.epoch,
                                   interaction_index=e.interaction_index, label=edit_label(e)) for e in edits]
            events += [SessionEvent(at=e.created_at, kind="epoch", run_id=e.run_id, ident=e.id, epoch=e.epoch,
                                    interaction_point=e.interaction_point,
                                    label=f"epoch {e.epoch}" + (" (interaction point)" if e.interaction_point else ""))
                       for e in epochs]
        return sorted(events, key=lambda e: e.at)

    def transcript_timeline(self, transcript_id: int, window: float = EDIT_WINDOW_S
                            ) -> tuple[list[dict[str, Any]], list[SessionEvent], datetime]:
        """(aligned segments, the session's events, the recording's start) of one transcript.

        Segments carry their corrected text; a recording of no participant has no events and its session clock is
        the recording's own.
        """
        transcript = self.get_transcript(transcript_id)
        recording = self.get_recording(transcript.recording_id)
        start = self.recording_start(recording.id)
        segments = self.transcript_segments(transcript_id)
        if recording.participant_id is None:
            return align_segments(segments, start, start, (), window), [], start
        events = self.session_events(recording.participant_id, recording.study_scenario_id)
        session_zero = min(self.session_start(recording.participant_id) or start, start)
        return align_segments(segments, start, session_zero, events, window), events, start

    def _study_transcripts(self, study: int | str) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
        """(keys, aligned segments) of the newest transcript of each of a study's recordings."""
        with self._read() as session:
            study_row = self._study(session, study)
            rows = session.execute(
                select(TranscriptRow.id, ParticipantRow.code, ScenarioRow.scenario, RecordingRow.kind)
                .join(RecordingRow, TranscriptRow.recording_id == RecordingRow.id)
                .join(ParticipantRow, RecordingRow.participant_id == ParticipantRow.id)
                .outerjoin(ScenarioRow, RecordingRow.study_scenario_id == ScenarioRow.id)
                .where(ParticipantRow.study_id == study_row.id)
                .where(TranscriptRow.id.in_(select(func.max(TranscriptRow.id)).group_by(TranscriptRow.recording_id)))
                .order_by(ParticipantRow.code, TranscriptRow.id)).all()
            name = study_row.name
        return [({"study": name, "participant": participant, "scenario": scenario, "kind": kind,
                  "transcript_id": transcript_id}, self.transcript_timeline(transcript_id)[0])
                for transcript_id, participant, scenario, kind in rows]

    def segments_frame(self, study: int | str) -> pd.DataFrame:
        """One row per transcript segment of a study's recordings (newest transcript of each), on the session
        clock with the training state and the edits within `transcripts.EDIT_WINDOW_S` (`SEGMENT_COLUMNS`)."""
        records = [{**keys, "segment": s["segment"], "start_s": s["start"], "end_s": s["end"], "text": s["text"],
                    **{k: s[k] for k in SEGMENT_COLUMNS[9:]}}
                   for keys, aligned in self._study_transcripts(study) for s in aligned]
        return pd.DataFrame.from_records(records, columns=SEGMENT_COLUMNS)

    def words_frame(self, study: int | str) -> pd.DataFrame:
        """One row per timed word (transcripts made with word timestamps), on the session clock with the epoch and
        interaction point in force when it was spoken (`WORD_COLUMNS`)."""
        records = [{**keys, "segment": s["segment"], "word": str(w.get("word", "")).strip(),
                    "start_s": w.get("start"), "end_s": w.get("end"), "probability": w.get("probability"),
                    "session_start_s": w["session_start_s"], "epoch": w["epoch"],
                    "interaction_index": w["interaction_index"]}
                   for keys, aligned in self._study_transcripts(study) for s in aligned for w in s["words"]]
        return pd.DataFrame.from_records(records, columns=WORD_COLUMNS)
