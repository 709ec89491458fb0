"""Questionnaire answers as events: every change is a new row, the newest row per item is the answer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from types import EllipsisType
from typing import Any

from sqlalchemy import Select, func, select

from hill_dash.store._base import StoreBase, plain_json, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Answer as AnswerRow
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow

MAX_ANSWER_CHARS = 5000  # a long free-text answer is a few hundred words


@dataclass(frozen=True)
class Answer:
    id: int
    participant_id: int
    study_scenario_id: int | None
    instrument: str
    item: str
    value: Any
    untouched: bool
    answered_at: datetime


def latest_answer_ids() -> Select[Any]:
    """The ids of the newest answer row per (participant, scenario, instrument, item)."""
    return select(func.max(AnswerRow.id)).group_by(AnswerRow.participant_id, AnswerRow.study_scenario_id,
                                                   AnswerRow.instrument, AnswerRow.item)


class AnswersMixin(StoreBase):
    """Save answers the moment they are given; read the current answers or their whole history."""

    def save_answer(self, participant_id: int, instrument: str, item: str, value: Any, *,
                    study_scenario_id: int | None = None, untouched: bool = False) -> Answer:
        """Record an answer (`untouched`: the participant left the control at its start value).

        Saving the value the item already has records nothing new and returns the current answer.
        """
        if not instrument or not item:
            raise StoreError("an answer needs an instrument and an item name")
        if len(instrument) > 100 or len(item) > 100:
            raise StoreError("instrument and item names are at most 100 characters")
        value = plain_json(value)
        if len(json.dumps(value)) > MAX_ANSWER_CHARS:
            raise StoreError(f"an answer may be at most {MAX_ANSWER_CHARS} characters long; shorten it")
        with self._write() as session:
            participant = self._get(session, ParticipantRow, participant_id, "participant", lock=True)
            if study_scenario_id is not None:
                scenario = self._get(session, StudyScenarioRow, study_scenario_id, "study scenario")
                if scenario.study_id != participant.study_id:
                    raise StoreError(f"study scenario {study_scenario_id} belongs to another study than "
                                     f"participant {participant.code}")
            current = session.scalars(_key_query(participant_id, study_scenario_id, instrument, item)
                                      .order_by(AnswerRow.id.desc()).limit(1)).first()
            if current is not None and current.value == value and current.untouched == bool(untouched):
                return to_record(Answer, current)
            row = AnswerRow(participant_id=participant_id, study_scenario_id=study_scenario_id,
                            instrument=instrument, item=item, value=value, untouched=bool(untouched))
            session.add(row)
            session.flush()
            return to_record(Answer, row)

    def latest_answers(self, participant_id: int, instrument: str | None = None,
                       study_scenario_id: int | EllipsisType | None = ...) -> list[Answer]:
        """The current answer to every item (filtered by instrument and scenario when given; None = no scenario)."""
        query = select(AnswerRow).where(AnswerRow.id.in_(latest_answer_ids()),
                                        AnswerRow.participant_id == participant_id)
        if instrument is not None:
            query = query.where(AnswerRow.instrument == instrument)
        if study_scenario_id is not ...:
            query = query.where(AnswerRow.study_scenario_id.is_(None) if study_scenario_id is None
                                else AnswerRow.study_scenario_id == study_scenario_id)
        query = query.order_by(AnswerRow.study_scenario_id, AnswerRow.instrument, AnswerRow.id)
        return self._records_of(ParticipantRow, participant_id, "participant", query, Answer)

    def answer_values(self, participant_id: int, instrument: str,
                      study_scenario_id: int | None = None) -> dict[str, Any]:
        """{item: current value} of one instrument, to fill a questionnaire again after a reload."""
        answers = self.latest_answers(participant_id, instrument, study_scenario_id)
        return {answer.item: answer.value for answer in answers}

    def answer_history(self, participant_id: int, instrument: str | None = None,
                       item: str | None = None) -> list[Answer]:
        """Every answer event of a participant, oldest first."""
        query = select(AnswerRow).where(AnswerRow.participant_id == participant_id)
        if instrument is not None:
            query = query.where(AnswerRow.instrument == instrument)
        if item is not None:
            query = query.where(AnswerRow.item == item)
        return self._records_of(ParticipantRow, participant_id, "participant", query.order_by(AnswerRow.id), Answer)


def _key_query(participant_id: int, study_scenario_id: int | None, instrument: str, item: str) -> Select[Any]:
    scenario = (AnswerRow.study_scenario_id.is_(None) if study_scenario_id is None
                else AnswerRow.study_scenario_id == study_scenario_id)
    return select(AnswerRow).where(AnswerRow.participant_id == participant_id, scenario,
                                   AnswerRow.instrument == instrument, AnswerRow.item == item)
