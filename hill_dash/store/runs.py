"""Training runs and their per-epoch results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from hill_dash.store._base import StoreBase, check_choice, finite, plain_json, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import Epoch as EpochRow
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow
from hill_dash.store.tables import utcnow

CONDITIONS = ("hill", "baseline", "simulated")
RUN_STATUSES = ("created", "running", "waiting", "finished", "failed", "cancelled")
ENDED = ("finished", "failed", "cancelled")
LOSSES = ("loss_total", "loss_ce", "loss_human", "loss_scale", "loss_direction")


@dataclass(frozen=True)
class Run:
    id: int
    study_scenario_id: int | None
    scenario: str
    participant_id: int | None
    condition: str
    seed: int
    config: dict[str, Any]
    run_dir: str
    status: str
    current_epoch: int
    created_at: datetime
    finished_at: datetime | None
    owner_key: str | None = None


@dataclass(frozen=True)
class Epoch:
    run_id: int
    epoch: int
    val_acc: float | None
    val_macro_f1: float | None
    loss_total: float | None
    loss_ce: float | None
    loss_human: float | None
    loss_scale: float | None
    loss_direction: float | None
    interaction_point: bool
    metrics: dict[str, Any]
    created_at: datetime


class RunsMixin(StoreBase):
    """Create runs, follow their status, record what every epoch measured."""

    def create_run(self, scenario: str | None = None, *, study_scenario_id: int | None = None,
                   participant_id: int | None = None, condition: str = "hill", seed: int = 0,
                   config: dict[str, Any] | None = None, run_dir: str | None = None,
                   owner_key: str | None = None) -> Run:
        """A run of a study scenario (`study_scenario_id`) or a free-standing one (`scenario` name).

        Its files go to `run_dir` (relative to the file area; default `runs/<id>`). `owner_key` names the browser
        a free-standing run belongs to (see `hill_dash.app.access`).
        """
        check_choice(condition, CONDITIONS, "condition")
        with self._write() as session:
            if study_scenario_id is not None:
                study_scenario = self._get(session, StudyScenarioRow, study_scenario_id, "study scenario")
                if scenario is not None and scenario != study_scenario.scenario:
                    raise StoreError(f"study scenario {study_scenario_id} is {study_scenario.scenario!r}, not "
                                     f"{scenario!r}; leave scenario out when giving study_scenario_id")
                scenario = study_scenario.scenario
            if not scenario:
                raise StoreError("a run needs a scenario name or a study_scenario_id")
            if participant_id is not None:
                participant = self._get(session, ParticipantRow, participant_id, "participant")
                if study_scenario_id is not None and participant.study_id != study_scenario.study_id:
                    raise StoreError(f"participant {participant_id} is not in the study of study scenario "
                                     f"{study_scenario_id}")
            row = RunRow(study_scenario_id=study_scenario_id, scenario=scenario, participant_id=participant_id,
                         condition=condition, seed=int(seed), config=plain_json(config or {}), run_dir="",
                         owner_key=owner_key)
            session.add(row)
            session.flush()
            row.run_dir = self.files.relative(run_dir) if run_dir else f"runs/{row.id}"
            return to_record(Run, row)

    def update_run(self, run_id: int, *, status: str | None = None, current_epoch: int | None = None,
                   config: dict[str, Any] | None = None) -> Run:
        """Change a run's status, epoch or config; an ending status (finished/failed/cancelled) stamps the time."""
        with self._write() as session:
            row = self._get(session, RunRow, run_id, "run", lock=True)
            if status is not None:
                row.status = check_choice(status, RUN_STATUSES, "run status")
                row.finished_at = utcnow() if status in ENDED else None
            if current_epoch is not None:
                row.current_epoch = int(current_epoch)
            if config is not None:
                row.config = plain_json(config)
            return to_record(Run, row)

    def get_run(self, run_id: int) -> Run:
        """One run by id."""
        with self._read() as session:
            return to_record(Run, self._get(session, RunRow, run_id, "run"))

    def list_runs(self, *, study: int | str | None = None, participant_id: int | None = None,
                  study_scenario_id: int | None = None, condition: str | None = None,
                  owner_key: str | None = None) -> list[Run]:
        """Runs matching every filter given, oldest first (`owner_key`: the free runs one browser started)."""
        query = select(RunRow).order_by(RunRow.id)
        with self._read() as session:
            if study is not None:
                scenario_ids = select(StudyScenarioRow.id).where(
                    StudyScenarioRow.study_id == self._study(session, study).id)
                query = query.where(RunRow.study_scenario_id.in_(scenario_ids))
            if participant_id is not None:
                query = query.where(RunRow.participant_id == participant_id)
            if study_scenario_id is not None:
                query = query.where(RunRow.study_scenario_id == study_scenario_id)
            if condition is not None:
                query = query.where(RunRow.condition == check_choice(condition, CONDITIONS, "condition"))
            if owner_key is not None:
                query = query.where(RunRow.owner_key == owner_key)
            return [to_record(Run, row) for row in session.scalars(query)]

    def add_epoch(self, run_id: int, epoch: int, *, val_acc: float | None = None,
                  val_macro_f1: float | None = None, interaction_point: bool = False,
                  metrics: dict[str, Any] | None = None, **losses: float | None) -> Epoch:
        """Record an epoch's results (loss_total, loss_ce, loss_human, loss_scale, loss_direction as keywords).

        Writing an epoch again (a run resumed from an earlier checkpoint) replaces the earlier row.
        """
        unknown = set(losses) - set(LOSSES)
        if unknown:
            raise StoreError(f"unknown epoch values {sorted(unknown)}; the loss columns are {', '.join(LOSSES)}")
        if epoch < 0:
            raise StoreError(f"epochs count from 0, got {epoch}")
        with self._write() as session:
            run = self._get(session, RunRow, run_id, "run", lock=True)
            row = session.scalars(select(EpochRow).where(EpochRow.run_id == run_id, EpochRow.epoch == epoch)).first()
            if row is None:
                row = EpochRow(run_id=run_id, epoch=int(epoch))
                session.add(row)
            row.val_acc, row.val_macro_f1 = finite(val_acc), finite(val_macro_f1)
            for name in LOSSES:
                setattr(row, name, finite(losses.get(name)))
            row.interaction_point = bool(interaction_point)
            row.metrics = plain_json(metrics or {})
            row.created_at = utcnow()
            run.current_epoch = max(run.current_epoch, int(epoch))
            session.flush()
            return to_record(Epoch, row)

    def drop_epochs_after(self, run_id: int, epoch: int) -> int:
        """Delete a run's epoch rows past `epoch` (their weights were never checkpointed: a round that was
        cancelled or died) and set its current epoch back to `epoch`; returns how many rows went."""
        with self._write() as session:
            run = self._get(session, RunRow, run_id, "run", lock=True)
            gone = session.execute(delete(EpochRow).where(EpochRow.run_id == run_id, EpochRow.epoch > int(epoch)))
            run.current_epoch = int(epoch)
            return int(gone.rowcount or 0)

    def list_epochs(self, run_id: int) -> list[Epoch]:
        """A run's epochs in order."""
        query = select(EpochRow).where(EpochRow.run_id == run_id).order_by(EpochRow.epoch)
        return self._records_of(RunRow, run_id, "run", query, Epoch)
