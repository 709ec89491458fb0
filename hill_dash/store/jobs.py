"""Background jobs (training, transcription, ...): queued by the app, claimed and reported on by workers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from hill_dash.store._base import StoreBase, check_choice, plain_json, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Job as JobRow
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import utcnow

JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled")
JOB_ENDED = ("done", "failed", "cancelled")


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    status: str
    progress: float
    message: str
    run_id: int | None
    recording_id: int | None
    payload: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class JobsMixin(StoreBase):
    """Queue jobs, let one worker claim each, follow their progress."""

    def create_job(self, kind: str, *, payload: dict[str, Any] | None = None, run_id: int | None = None,
                   recording_id: int | None = None) -> Job:
        """A queued job of `kind` (for example "training" or "transcription")."""
        if not kind:
            raise StoreError("a job needs a kind, for example 'training' or 'transcription'")
        with self._write() as session:
            if run_id is not None:
                self._get(session, RunRow, run_id, "run")
            if recording_id is not None:
                self._get(session, RecordingRow, recording_id, "recording")
            row = JobRow(kind=kind, payload=plain_json(payload or {}), run_id=run_id, recording_id=recording_id)
            session.add(row)
            session.flush()
            return to_record(Job, row)

    def update_job(self, job_id: int, *, status: str | None = None, progress: float | None = None,
                   message: str | None = None) -> Job:
        """Report on a job; a finished job (done, failed, cancelled) takes no more changes."""
        if progress is not None and not 0.0 <= progress <= 1.0:
            raise StoreError(f"progress is a fraction between 0 and 1, got {progress}")
        with self._write() as session:
            row = self._get(session, JobRow, job_id, "job", lock=True)
            if row.status in JOB_ENDED:
                raise StoreError(f"job {job_id} is already {row.status}; start a new job instead")
            if status is not None:
                row.status = check_choice(status, JOB_STATUSES, "job status")
                if status == "done":
                    row.progress = 1.0
            if progress is not None:
                row.progress = float(progress)
            if message is not None:
                row.message = message
            row.updated_at = utcnow()
            return to_record(Job, row)

    def claim_job(self, kinds: Sequence[str] | None = None) -> Job | None:
        """Mark the oldest queued job (of one of `kinds`) running and return it; None when the queue is empty.

        Two workers never claim the same job: PostgreSQL skips rows another worker holds, SQLite writes one
        transaction at a time.
        """
        with self._write() as session:
            query = select(JobRow).where(JobRow.status == "queued").order_by(JobRow.id).limit(1)
            if kinds is not None:
                query = query.where(JobRow.kind.in_(list(kinds)))
            row = session.scalars(query.with_for_update(skip_locked=True)).first()
            if row is None:
                return None
            row.status, row.updated_at = "running", utcnow()
            return to_record(Job, row)

    def get_job(self, job_id: int) -> Job:
        """One job by id."""
        with self._read() as session:
            return to_record(Job, self._get(session, JobRow, job_id, "job"))

    def list_jobs(self, *, status: str | None = None, kind: str | None = None, limit: int = 100) -> list[Job]:
        """The newest jobs first, filtered by status and kind when given."""
        query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
        if status is not None:
            query = query.where(JobRow.status == check_choice(status, JOB_STATUSES, "job status"))
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        with self._read() as session:
            return [to_record(Job, row) for row in session.scalars(query)]
