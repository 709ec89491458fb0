"""Who may reach what: the studies of a researcher, the study a run, recording or transcript belongs to.

A study belongs to the researcher who created it (`created_by`). A study made on the command line has no creator
and is shared by every researcher account of the deployment (whoever can run `hill-dash` on the server can read
the database anyway). A study a researcher may not reach is reported exactly like one that does not exist.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from hill_dash.store._base import StoreBase
from hill_dash.store.errors import NotFound
from hill_dash.store.studies import Study, _study_record
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Recording as RecordingRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import Study as StudyRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow
from hill_dash.store.tables import Transcript as TranscriptRow


class OwnershipMixin(StoreBase):
    """Studies seen through a researcher, and the study behind a run, recording or transcript."""

    def studies_of(self, researcher_id: int) -> list[Study]:
        """The studies this researcher may open (their own and unowned ones), newest first."""
        with self._read() as session:
            rows = session.scalars(select(StudyRow).where(
                or_(StudyRow.created_by == researcher_id, StudyRow.created_by.is_(None)))
                .order_by(StudyRow.id.desc())).all()
            return [_study_record(session, row) for row in rows]

    def may_open_study(self, researcher_id: int, study_id: int) -> bool:
        """True when the study exists and this researcher may open it."""
        with self._read() as session:
            try:
                row = self._get(session, StudyRow, study_id, "study")
            except NotFound:
                return False
            return row.created_by is None or row.created_by == researcher_id

    def study_of(self, researcher_id: int, study_id: int) -> Study:
        """The study, if this researcher may open it; NotFound (as for a missing study) otherwise."""
        if not self.may_open_study(researcher_id, study_id):
            raise NotFound(f"there is no study with id {study_id} among your studies; open one from the list")
        return self.get_study(study_id)

    def run_study_id(self, run_id: int) -> int | None:
        """The study a run belongs to (through its study scenario), None for a free-standing run."""
        with self._read() as session:
            run = self._get(session, RunRow, run_id, "run")
            if run.study_scenario_id is None:
                return None
            return session.scalar(select(StudyScenarioRow.study_id)
                                  .where(StudyScenarioRow.id == run.study_scenario_id))

    def recording_study_id(self, recording_id: int) -> int | None:
        """The study a recording belongs to (through its participant or study scenario), None when neither."""
        with self._read() as session:
            recording = self._get(session, RecordingRow, recording_id, "recording")
            if recording.participant_id is not None:
                return session.scalar(select(ParticipantRow.study_id)
                                      .where(ParticipantRow.id == recording.participant_id))
            if recording.study_scenario_id is not None:
                return session.scalar(select(StudyScenarioRow.study_id)
                                      .where(StudyScenarioRow.id == recording.study_scenario_id))
            return None

    def transcript_study_id(self, transcript_id: int) -> int | None:
        """The study of a transcript's recording."""
        with self._read() as session:
            recording_id = self._get(session, TranscriptRow, transcript_id, "transcript").recording_id
        return self.recording_study_id(recording_id)

    def participant_study_id(self, participant_id: int) -> int:
        """The study a participant takes part in."""
        with self._read() as session:
            return self._get(session, ParticipantRow, participant_id, "participant").study_id
