"""Think-aloud recordings that continue one another: a page reload ends a recording, the reloaded page starts the
next one and names the one it continues, so an analysis can join them and knows how long the gap was."""

from __future__ import annotations

import math
from datetime import datetime, timezone

from hill_dash.store.errors import StoreError
from hill_dash.store.store import Store
from hill_dash.store.tables import Recording as RecordingRow

MAX_GAP_S = 6 * 3600.0  # a reload hours later is a new recording, not a continuation


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def mark_resumed(store: Store, recording_id: int, previous_id: int, reported_gap_s: float | None = None) -> float:
    """Record that `recording_id` continues `previous_id` (same participant and task) after a gap; returns the gap
    in seconds.

    The gap is measured on the server from where the previous recording's audio ends (its start plus its
    duration) to the new start. A reloading page hands its last audio over while the new page starts, so the
    previous duration may not be known yet; then the page's own measurement is taken, bounded by what the server
    saw (never more than the time between the two starts).
    """
    with store._write() as session:  # noqa: SLF001 - one short transaction over two rows of the same table
        row = store._get(session, RecordingRow, recording_id, "recording", lock=True)  # noqa: SLF001
        previous = store._get(session, RecordingRow, previous_id, "recording")  # noqa: SLF001
        if previous.id == row.id or (previous.participant_id, previous.study_scenario_id) != (
                row.participant_id, row.study_scenario_id) or previous.kind != row.kind:
            raise StoreError(f"recording {previous_id} is not an earlier recording of the same participant and task")
        between = _aware(row.started_at).timestamp() - _aware(previous.started_at).timestamp()
        if between < 0:
            raise StoreError(f"recording {previous_id} started after recording {recording_id}")
        if previous.duration_s is not None:
            gap = between - float(previous.duration_s)
        elif reported_gap_s is not None and math.isfinite(reported_gap_s):
            gap = float(reported_gap_s)
        else:
            gap = between
        row.resumes_recording_id = previous.id
        row.gap_s = round(max(0.0, min(gap, between, MAX_GAP_S)), 3)
        return float(row.gap_s)


def resumed_from(store: Store, recording_id: int) -> tuple[int | None, float | None]:
    """(the recording this one continues, the gap in seconds), or (None, None) for a recording started afresh."""
    with store._read() as session:  # noqa: SLF001
        row = store._get(session, RecordingRow, recording_id, "recording")  # noqa: SLF001
        return row.resumes_recording_id, row.gap_s
