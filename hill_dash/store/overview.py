"""The researcher's view of a running study: who is where, what has come in."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select

from hill_dash.store._base import StoreBase
from hill_dash.store.answers import latest_answer_ids
from hill_dash.store.participants import PARTICIPANT_STATUSES
from hill_dash.store.tables import Answer, Participant, Run, StudyScenario


class OverviewMixin(StoreBase):
    """Summarise a study for its dashboard."""

    def study_overview(self, study: int | str) -> dict[str, Any]:
        """Counts by status, and per participant: status, current step, scenario order, answers, runs.

        Returns plain JSON-ready values: {"study", "status_counts", "participants", "answers", "runs",
        "runs_finished"}, where "answers" counts current answers (one per item, not every change).
        """
        with self._read() as session:
            study_row = self._study(session, study)
            scenarios = dict(session.execute(select(StudyScenario.position, StudyScenario.scenario)
                                             .where(StudyScenario.study_id == study_row.id)).all())
            scenario_ids = select(StudyScenario.id).where(StudyScenario.study_id == study_row.id)
            participants = session.scalars(select(Participant).where(Participant.study_id == study_row.id)
                                           .order_by(Participant.id)).all()
            answers = Counter(dict(session.execute(
                select(Answer.participant_id, func.count()).where(Answer.id.in_(latest_answer_ids()))
                .join(Participant, Answer.participant_id == Participant.id)
                .where(Participant.study_id == study_row.id).group_by(Answer.participant_id)).all()))
            runs = session.execute(select(Run.participant_id, Run.status)
                                   .where(Run.study_scenario_id.in_(scenario_ids))).all()
            rows = [{
                "id": p.id, "code": p.code, "status": p.status, "step": dict(p.current_step),
                "order": [scenarios[position] for position in p.scenario_order], "simulated": p.simulated,
                "answers": answers[p.id],
                "runs": sum(1 for owner, _ in runs if owner == p.id),
                "runs_finished": sum(1 for owner, status in runs if owner == p.id and status == "finished"),
                "updated_at": p.updated_at.isoformat(),
            } for p in participants]
            statuses = Counter(p.status for p in participants)
            return {
                "study": {"id": study_row.id, "name": study_row.name, "n_participants": study_row.n_participants,
                          "scenarios": [scenarios[k] for k in sorted(scenarios)]},
                "status_counts": {status: statuses[status] for status in PARTICIPANT_STATUSES},
                "participants": rows,
                "answers": sum(answers.values()),
                "runs": len(runs),
                "runs_finished": sum(1 for _, status in runs if status == "finished"),
            }
