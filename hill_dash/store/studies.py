"""Studies and their scenarios; creating a study also invites its participants with counterbalanced orders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hill_dash.store._base import StoreBase, to_record
from hill_dash.store.errors import StoreError
from hill_dash.store.participants import Invite, new_participant
from hill_dash.store.tables import Participant as ParticipantRow
from hill_dash.store.tables import Researcher as ResearcherRow
from hill_dash.store.tables import Study as StudyRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow

MAX_PARTICIPANTS = 10_000


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario of a study as the researcher sets it up (the paper's protocol by default)."""

    scenario: str
    options: dict[str, Any] = field(default_factory=dict)
    pretrained_checkpoint: str | None = None
    interaction_epochs: tuple[int, ...] = (25, 30, 35, 40)
    end_epoch: int = 45


@dataclass(frozen=True)
class StudyScenario:
    id: int
    study_id: int
    position: int
    scenario: str
    options: dict[str, Any]
    pretrained_checkpoint: str | None
    interaction_epochs: list[int]
    end_epoch: int


@dataclass(frozen=True)
class Study:
    id: int
    name: str
    description: str
    consent_text: str
    alpha: float
    lam: float
    instruments: list[str]
    n_participants: int
    settings: dict[str, Any]
    created_by: int | None
    created_at: datetime
    scenarios: tuple[StudyScenario, ...]
    teacher: str = "follow"  # how edits become training (hill_dash.core.teacher); set with set_study_reliance
    adaptive_alpha: bool = False


@dataclass(frozen=True)
class NewStudy:
    """A created study with the invitations of its participants (their plain tokens are shown only here)."""

    study: Study
    invites: list[Invite]


class StudiesMixin(StoreBase):
    """Create studies and read them back."""

    def create_study(self, name: str, scenarios: Sequence[ScenarioSpec | Mapping[str, Any] | str],
                     n_participants: int = 0, *, description: str = "", consent_text: str = "",
                     alpha: float = 0.5, lam: float = 0.1, instruments: Sequence[str] = (),
                     settings: Mapping[str, Any] | None = None, created_by: int | None = None,
                     simulated: bool = False) -> NewStudy:
        """A study with its scenarios (in position order) and `n_participants` invited participants.

        Participant i gets row i mod rows of the balanced Latin square over the scenarios.
        """
        name = name.strip()
        specs = [_spec(s) for s in scenarios]
        _check_study(name, specs, n_participants, alpha, lam, instruments)
        with self._write() as session:
            if session.scalar(select(StudyRow.id).where(StudyRow.name == name)) is not None:
                raise StoreError(f"a study named {name!r} already exists; choose another name")
            if created_by is not None:
                self._get(session, ResearcherRow, created_by, "researcher")
            study = StudyRow(name=name, description=description, consent_text=consent_text, alpha=float(alpha),
                             lam=float(lam), instruments=list(instruments), n_participants=n_participants,
                             settings=dict(settings or {}), created_by=created_by)
            session.add(study)
            session.flush()
            for position, spec in enumerate(specs):
                session.add(StudyScenarioRow(
                    study_id=study.id, position=position, scenario=spec.scenario, options=dict(spec.options),
                    pretrained_checkpoint=spec.pretrained_checkpoint,
                    interaction_epochs=[int(e) for e in spec.interaction_epochs], end_epoch=int(spec.end_epoch)))
            session.flush()
            invites = [new_participant(session, study, simulated) for _ in range(n_participants)]
            return NewStudy(_study_record(session, study), invites)

    def get_study(self, study: int | str) -> Study:
        """A study by id or name, with its scenarios."""
        with self._read() as session:
            return _study_record(session, self._study(session, study))

    def list_studies(self) -> list[Study]:
        """Every study, newest first."""
        with self._read() as session:
            rows = session.scalars(select(StudyRow).order_by(StudyRow.id.desc())).all()
            return [_study_record(session, row) for row in rows]

    def get_study_scenario(self, study_scenario_id: int) -> StudyScenario:
        """One scenario of a study by its id."""
        with self._read() as session:
            row = self._get(session, StudyScenarioRow, study_scenario_id, "study scenario")
            return to_record(StudyScenario, row)

    def participant_scenarios(self, participant_id: int) -> list[StudyScenario]:
        """The study's scenarios in the order this participant meets them."""
        with self._read() as session:
            participant = self._get(session, ParticipantRow, participant_id, "participant")
            rows = session.scalars(select(StudyScenarioRow).where(
                StudyScenarioRow.study_id == participant.study_id)).all()
            by_position = {row.position: to_record(StudyScenario, row) for row in rows}
            return [by_position[position] for position in participant.scenario_order]


def _study_record(session: Session, row: StudyRow) -> Study:
    scenarios = session.scalars(select(StudyScenarioRow).where(StudyScenarioRow.study_id == row.id)
                                .order_by(StudyScenarioRow.position))
    return to_record(Study, row, scenarios=tuple(to_record(StudyScenario, s) for s in scenarios))


def _spec(value: ScenarioSpec | Mapping[str, Any] | str) -> ScenarioSpec:
    if isinstance(value, ScenarioSpec):
        return value
    if isinstance(value, str):
        return ScenarioSpec(value)
    try:
        return ScenarioSpec(**value)
    except TypeError as exc:
        raise StoreError(f"a scenario is a name or a dict with keys scenario, options, pretrained_checkpoint, "
                         f"interaction_epochs, end_epoch; got {dict(value)!r}") from exc


def _check_study(name: str, specs: list[ScenarioSpec], n_participants: int, alpha: float, lam: float,
                 instruments: Sequence[str]) -> None:
    if not name:
        raise StoreError("a study needs a name")
    if not specs:
        raise StoreError(f"study {name!r} needs at least one scenario")
    if not 0 <= n_participants <= MAX_PARTICIPANTS:
        raise StoreError(f"the number of participants must be between 0 and {MAX_PARTICIPANTS}, "
                         f"got {n_participants}")
    if not 0.0 <= alpha <= 1.0:
        raise StoreError(f"alpha weighs the human loss against cross-entropy and must lie in [0, 1], got {alpha}")
    if lam < 0:
        raise StoreError(f"lam (the scale term's weight) must not be negative, got {lam}")
    if isinstance(instruments, str) or not all(isinstance(i, str) and i for i in instruments):
        raise StoreError(f"instruments is a list of instrument names, got {instruments!r}")
    for spec in specs:
        epochs = list(spec.interaction_epochs)
        if not spec.scenario.strip():
            raise StoreError("every scenario needs a name")
        if spec.end_epoch < 1:
            raise StoreError(f"scenario {spec.scenario!r}: end_epoch must be at least 1, got {spec.end_epoch}")
        if epochs != sorted(set(epochs)) or any(not 0 <= e < spec.end_epoch for e in epochs):
            raise StoreError(f"scenario {spec.scenario!r}: interaction epochs must increase strictly and lie in "
                             f"[0, end_epoch={spec.end_epoch}), got {epochs}")
