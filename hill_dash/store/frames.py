"""Tidy exports of a study as pandas DataFrames, one row per observation, in fixed column schemas.

These frames are the interface to `analysis/`: it reads them and never the store itself.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from hill_dash.store._base import StoreBase
from hill_dash.store.answers import latest_answer_ids
from hill_dash.store.tables import Answer, Code, Coding, Epoch, Participant, Recording, Run, StudyScenario, Transcript
from hill_dash.store.transcripts import load_segments

EPOCH_COLUMNS = ["study", "participant", "scenario", "condition", "seed", "run_id", "epoch", "val_acc",
                 "val_macro_f1", "loss_total", "loss_ce", "loss_human", "loss_scale", "loss_direction",
                 "interaction_point", "phase", "simulated"]
ANSWER_COLUMNS = ["study", "participant", "scenario", "instrument", "item", "value", "untouched", "answered_at",
                  "simulated"]
CODING_COLUMNS = ["study", "participant", "scenario", "code", "theme", "coder", "start_s", "end_s"]


def phase(epoch: int, interaction_epochs: list[int]) -> str:
    """"pretrain" up to and including the first interaction epoch, "interactive" after it."""
    return "interactive" if interaction_epochs and epoch > min(interaction_epochs) else "pretrain"


class FramesMixin(StoreBase):
    """Export a study's epochs, answers and codings for analysis."""

    def epochs_frame(self, study: int | str) -> pd.DataFrame:
        """One row per epoch of every run of the study's scenarios (participants' runs and baselines)."""
        query = (select(Epoch, Run, StudyScenario, Participant.code, Participant.simulated)
                 .join(Run, Epoch.run_id == Run.id)
                 .join(StudyScenario, Run.study_scenario_id == StudyScenario.id)
                 .outerjoin(Participant, Run.participant_id == Participant.id))
        with self._read() as session:
            study_row = self._study(session, study)
            query = query.where(StudyScenario.study_id == study_row.id).order_by(Run.id, Epoch.epoch)
            records = [{
                "study": study_row.name, "participant": code, "scenario": scenario.scenario,
                "condition": run.condition, "seed": run.seed, "run_id": run.id, "epoch": epoch.epoch,
                "val_acc": epoch.val_acc, "val_macro_f1": epoch.val_macro_f1, "loss_total": epoch.loss_total,
                "loss_ce": epoch.loss_ce, "loss_human": epoch.loss_human, "loss_scale": epoch.loss_scale,
                "loss_direction": epoch.loss_direction, "interaction_point": epoch.interaction_point,
                "phase": phase(epoch.epoch, scenario.interaction_epochs),
                "simulated": run.condition == "simulated" or bool(simulated),
            } for epoch, run, scenario, code, simulated in session.execute(query)]
        return _frame(records, EPOCH_COLUMNS)

    def answers_frame(self, study: int | str, history: bool = False) -> pd.DataFrame:
        """One row per current answer (every answer event with `history`) of the study's participants."""
        query = (select(Answer, Participant.code, Participant.simulated, StudyScenario.scenario)
                 .join(Participant, Answer.participant_id == Participant.id)
                 .outerjoin(StudyScenario, Answer.study_scenario_id == StudyScenario.id))
        if not history:
            query = query.where(Answer.id.in_(latest_answer_ids()))
        with self._read() as session:
            study_row = self._study(session, study)
            query = query.where(Participant.study_id == study_row.id).order_by(Participant.id, Answer.id)
            records = [{
                "study": study_row.name, "participant": code, "scenario": scenario,
                "instrument": answer.instrument, "item": answer.item, "value": answer.value,
                "untouched": answer.untouched, "answered_at": answer.answered_at, "simulated": simulated,
            } for answer, code, simulated, scenario in session.execute(query)]
        return _frame(records, ANSWER_COLUMNS)

    def codings_frame(self, study: int | str) -> pd.DataFrame:
        """One row per coding, with the coded stretch in seconds and the theme the code sits under."""
        scenario = aliased(StudyScenario)
        query = (select(Coding, Code, Transcript, Participant.code, scenario.scenario)
                 .join(Code, Coding.code_id == Code.id)
                 .join(Transcript, Coding.transcript_id == Transcript.id)
                 .join(Recording, Transcript.recording_id == Recording.id)
                 .outerjoin(Participant, Recording.participant_id == Participant.id)
                 .outerjoin(scenario, Recording.study_scenario_id == scenario.id))
        with self._read() as session:
            study_row = self._study(session, study)
            codebook = {code.id: code for code in session.scalars(select(Code).where(Code.study_id == study_row.id))}
            query = query.where(Code.study_id == study_row.id).order_by(Coding.id)
            segments: dict[int, list[dict[str, Any]]] = {}
            records = []
            for coding, code, transcript, participant, scenario_name in session.execute(query):
                if transcript.id not in segments:
                    segments[transcript.id] = load_segments(self.files, transcript.segments, transcript.path)
                timed = segments[transcript.id]
                records.append({
                    "study": study_row.name, "participant": participant, "scenario": scenario_name,
                    "code": code.name, "theme": _theme(code, codebook), "coder": coding.coder,
                    "start_s": timed[coding.start_index]["start"], "end_s": timed[coding.end_index]["end"],
                })
        return _frame(records, CODING_COLUMNS)


def _theme(code: Code, codebook: dict[int, Code]) -> str | None:
    """The name of the nearest theme at or above `code` in the codebook (None when there is none)."""
    seen: set[int] = set()
    current: Code | None = code
    while current is not None and current.id not in seen:
        if current.theme:
            return current.name
        seen.add(current.id)
        current = codebook.get(current.parent_id) if current.parent_id is not None else None
    return None


def _frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)
