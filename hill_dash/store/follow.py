"""Follow-through of every edited class and round, and adaptive-reliance changes of alpha."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from hill_dash.store._base import StoreBase, finite
from hill_dash.store.errors import StoreError
from hill_dash.store.tables import AlphaChange as AlphaChangeRow
from hill_dash.store.tables import Epoch as EpochRow
from hill_dash.store.tables import FollowThrough as FollowThroughRow
from hill_dash.store.tables import Run as RunRow
from hill_dash.store.tables import Study as StudyRow
from hill_dash.store.tables import StudyScenario as StudyScenarioRow
from hill_dash.store.tables.base import utcnow

TEACHERS = ("follow", "paper")  # as hill_dash.core.teacher.TEACHERS (the store does not import the core)
_POSITIONS = ("old_x", "old_y", "asked_x", "asked_y", "new_x", "new_y", "old_spread", "asked_spread", "new_spread")


@dataclass(frozen=True)
class FollowRecord:
    run_id: int
    interaction_index: int
    epoch: int
    end_epoch: int
    class_id: int
    teacher: str
    alpha: float
    old_x: float
    old_y: float
    asked_x: float
    asked_y: float
    new_x: float
    new_y: float
    old_spread: float
    asked_spread: float
    new_spread: float
    share: float | None
    spread_share: float | None
    created_at: datetime


@dataclass(frozen=True)
class AlphaChangeRecord:
    run_id: int
    epoch: int
    old_alpha: float
    new_alpha: float
    val_acc: float
    band_min: float
    reason: str
    created_at: datetime


def _record(cls: type, row: Any) -> Any:
    return cls(**{name: getattr(row, name) for name in cls.__dataclass_fields__})


class FollowMixin(StoreBase):
    """How far each round followed the participant's edits, and the alpha changes adaptive reliance made."""

    def set_follow_through(self, run_id: int, interaction_index: int, epoch: int, end_epoch: int, teacher: str,
                           alpha: float, classes: list[dict[str, Any]]) -> list[FollowRecord]:
        """Store the follow-through of the round that started at interaction point `epoch` (one dict per edited
        class, as `ClassFollow.to_dict()` gives); a round measured again (resumed after a pause) replaces it."""
        with self._write() as session:
            self._get(session, RunRow, run_id, "run")
            session.execute(delete(FollowThroughRow).where(FollowThroughRow.run_id == run_id,
                                                           FollowThroughRow.epoch == int(epoch)))
            rows = []
            for item in classes:
                try:
                    (ox, oy), (ax, ay), (nx, ny) = item["old_centre"], item["asked_centre"], item["new_centre"]
                    values = dict(zip(_POSITIONS, (ox, oy, ax, ay, nx, ny, item["old_spread"],
                                                   item["asked_spread"], item["new_spread"])))
                    values = {k: finite(v) for k, v in values.items()}
                except (KeyError, TypeError, ValueError) as exc:
                    raise StoreError(f"a follow-through entry needs old/asked/new centres and spreads: {exc}")
                if any(v is None for v in values.values()):
                    raise StoreError(f"class {item.get('class_id')}: follow-through positions must be finite")
                row = FollowThroughRow(run_id=run_id, interaction_index=int(interaction_index), epoch=int(epoch),
                                       end_epoch=int(end_epoch), class_id=int(item["class_id"]),
                                       teacher=str(teacher)[:20], alpha=float(alpha), share=finite(item["share"]),
                                       spread_share=finite(item["spread_share"]), created_at=utcnow(), **values)
                session.add(row)
                rows.append(row)
            session.flush()
            return [_record(FollowRecord, r) for r in rows]

    def list_follow_through(self, run_id: int, epoch: int | None = None) -> list[FollowRecord]:
        """The follow-through rows of a run (of one interaction point's round), by epoch and class."""
        query = select(FollowThroughRow).where(FollowThroughRow.run_id == run_id)
        if epoch is not None:
            query = query.where(FollowThroughRow.epoch == int(epoch))
        with self._read() as session:
            self._get(session, RunRow, run_id, "run")
            return [_record(FollowRecord, r) for r in session.scalars(
                query.order_by(FollowThroughRow.epoch, FollowThroughRow.class_id))]

    def add_alpha_change(self, run_id: int, epoch: int, old_alpha: float, new_alpha: float, val_acc: float,
                         band_min: float, reason: str) -> AlphaChangeRecord:
        with self._write() as session:
            self._get(session, RunRow, run_id, "run")
            row = AlphaChangeRow(run_id=run_id, epoch=int(epoch), old_alpha=float(old_alpha),
                                 new_alpha=float(new_alpha), val_acc=float(val_acc), band_min=float(band_min),
                                 reason=str(reason)[:2000], created_at=utcnow())
            session.add(row)
            session.flush()
            return _record(AlphaChangeRecord, row)

    def list_alpha_changes(self, run_id: int) -> list[AlphaChangeRecord]:
        with self._read() as session:
            self._get(session, RunRow, run_id, "run")
            return [_record(AlphaChangeRecord, r) for r in session.scalars(
                select(AlphaChangeRow).where(AlphaChangeRow.run_id == run_id).order_by(AlphaChangeRow.epoch))]

    def study_reliance(self, study_scenario_id: int) -> dict[str, Any]:
        """The teacher and the adaptive-reliance switch of the study a study scenario belongs to."""
        with self._read() as session:
            scenario = self._get(session, StudyScenarioRow, study_scenario_id, "study scenario")
            study = self._get(session, StudyRow, scenario.study_id, "study")
            return {"teacher": study.teacher, "adaptive_alpha": bool(study.adaptive_alpha)}

    def set_study_reliance(self, study_id: int, *, teacher: str | None = None,
                           adaptive_alpha: bool | None = None) -> dict[str, Any]:
        """Choose a study's teacher (`follow` or `paper`) and whether alpha adapts; runs started later use them."""
        if teacher is not None and teacher not in TEACHERS:
            raise StoreError(f"teacher {teacher!r} is not known; use one of: {', '.join(TEACHERS)}")
        if adaptive_alpha is not None and not isinstance(adaptive_alpha, bool):
            raise StoreError(f"adaptive_alpha must be true or false, got {adaptive_alpha!r}")
        with self._write() as session:
            study = self._get(session, StudyRow, study_id, "study", lock=True)
            if teacher is not None:
                study.teacher = teacher
            if adaptive_alpha is not None:
                study.adaptive_alpha = adaptive_alpha
            return {"teacher": study.teacher, "adaptive_alpha": bool(study.adaptive_alpha)}

    def baseline_band_min(self, study_scenario_id: int, epoch: int) -> float | None:
        """Lowest validation accuracy at `epoch` over the study scenario's baseline (alpha = 0) runs, or None."""
        query = (select(EpochRow.val_acc).join(RunRow, RunRow.id == EpochRow.run_id)
                 .where(RunRow.study_scenario_id == study_scenario_id, RunRow.condition == "baseline",
                        EpochRow.epoch == int(epoch), EpochRow.val_acc.is_not(None)))
        with self._read() as session:
            values = list(session.scalars(query))
        return float(min(values)) if values else None
