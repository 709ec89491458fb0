"""Participants: codes, link tokens (stored only as SHA-256 hashes), counterbalanced orders, where they are."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, check_choice, to_record
from hill_dash.store.errors import NotFound, StoreError
from hill_dash.store.latin_square import balanced_latin_square, open_row
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Study as StudyRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow
from hill_dash.store.tables import utcnow

PARTICIPANT_STATUSES = ("invited", "active", "finished", "dropped")


@dataclass(frozen=True)
class Participant:
    id: int
    study_id: int
    code: str
    scenario_order: list[int]
    status: str
    current_step: dict[str, Any]
    simulated: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Invite:
    """A new participant with the plain link token, which the store never shows again."""

    participant: Participant
    token: str


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a link token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_participant(session: Session, study: StudyRow, simulated: bool = False) -> Invite:
    """Add a participant to `study` (locked by the caller) with the open Latin-square order and a fresh token."""
    participants = session.scalars(select(ParticipantRow).where(ParticipantRow.study_id == study.id)).all()
    n_scenarios = session.scalar(select(func.count()).where(StudyScenarioRow.study_id == study.id)) or 0
    order = open_row(balanced_latin_square(n_scenarios),
                     [p.scenario_order for p in participants if p.status != "dropped"])
    numbers = [int(m.group(1)) for p in participants if (m := re.fullmatch(r"P(\d+)", p.code))]
    token = secrets.token_urlsafe(24)
    row = ParticipantRow(study_id=study.id, code=f"P{max(numbers, default=0) + 1}", token_hash=hash_token(token),
                         scenario_order=order, simulated=simulated)
    session.add(row)
    session.flush()
    return Invite(to_record(Participant, row), token)


class ParticipantsMixin(StoreBase):
    """Invite participants, find them by their link token, remember where they are in the study."""

    def add_participant(self, study: int | str, simulated: bool = False) -> Invite:
        """A new participant taking the scenario order used least among participants still in (first such row)."""
        with self._write() as session:
            return new_participant(session, self._study(session, study, lock=True), simulated)

    def participant_by_token(self, token: str) -> Participant:
        """The participant a link token belongs to; NotFound for a token that was never issued or was reset."""
        with self._read() as session:
            row = session.scalars(select(ParticipantRow).where(ParticipantRow.token_hash == hash_token(token))).first()
            if row is None:
                raise NotFound("this participant link is not valid (it may have been reset); "
                               "ask the researcher for a new link")
            return to_record(Participant, row)

    def get_participant(self, participant_id: int) -> Participant:
        """One participant by id."""
        with self._read() as session:
            return to_record(Participant, self._get(session, ParticipantRow, participant_id, "participant"))

    def list_participants(self, study: int | str) -> list[Participant]:
        """A study's participants in the order they were created."""
        with self._read() as session:
            study_id = self._study(session, study).id
            rows = session.scalars(select(ParticipantRow).where(ParticipantRow.study_id == study_id)
                                   .order_by(ParticipantRow.id))
            return [to_record(Participant, row) for row in rows]

    def reset_token(self, participant_id: int) -> str:
        """Make a new link token (the old link stops working) and return it; only its hash is kept."""
        token = secrets.token_urlsafe(24)
        with self._write() as session:
            row = self._get(session, ParticipantRow, participant_id, "participant", lock=True)
            row.token_hash = hash_token(token)
            row.updated_at = utcnow()
        return token

    def set_step(self, participant_id: int, step: dict[str, Any]) -> Participant:
        """Record where the participant is in the flow (an invited participant becomes active)."""
        if not isinstance(step, dict):
            raise StoreError(f"a step is a dict such as {{'page': 'scenario', 'index': 1}}, got {step!r}")
        with self._write() as session:
            row = self._get(session, ParticipantRow, participant_id, "participant", lock=True)
            row.current_step = dict(step)
            if row.status == "invited":
                row.status = "active"
            row.updated_at = utcnow()
            return to_record(Participant, row)

    def get_step(self, participant_id: int) -> dict[str, Any]:
        """Where the participant is in the flow ({} before they start)."""
        return dict(self.get_participant(participant_id).current_step)

    def set_status(self, participant_id: int, status: str) -> Participant:
        """Mark a participant invited, active, finished or dropped (a dropped one's order becomes open)."""
        check_choice(status, PARTICIPANT_STATUSES, "participant status")
        with self._write() as session:
            row = self._get(session, ParticipantRow, participant_id, "participant", lock=True)
            row.status = status
            row.updated_at = utcnow()
            return to_record(Participant, row)

    def reassign_order(self, participant_id: int) -> Participant:
        """Give a participant the open scenario order, counting every other participant still in."""
        with self._write() as session:
            row = self._get(session, ParticipantRow, participant_id, "participant", lock=True)
            self._get(session, StudyRow, row.study_id, "study", lock=True)
            others = session.scalars(select(ParticipantRow.scenario_order).where(
                ParticipantRow.study_id == row.study_id, ParticipantRow.id != row.id,
                ParticipantRow.status != "dropped")).all()
            n_scenarios = len(row.scenario_order)
            row.scenario_order = open_row(balanced_latin_square(n_scenarios), others)
            row.updated_at = utcnow()
            return to_record(Participant, row)
