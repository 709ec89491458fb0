"""Tables of training: runs, their epochs, checkpoints, latent snapshots and the participant's edits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hill_dash.store.tables.base import Base, utcnow


class Run(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    study_scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("study_scenarios.id", ondelete="CASCADE"), index=True)
    # The scenario name, also for free-standing runs that belong to no study.
    scenario: Mapped[str] = mapped_column(String(200))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"),
                                                       index=True)
    condition: Mapped[str] = mapped_column(String(20))
    seed: Mapped[int] = mapped_column(Integer, default=0)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_dir: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="created")
    # A free-editor run belongs to the browser that started it: the SHA-256 of that browser's session id.
    owner_key: Mapped[str | None] = mapped_column(String(64))
    current_epoch: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


class Epoch(Base):
    __tablename__ = "epochs"
    __table_args__ = (UniqueConstraint("run_id", "epoch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer)
    val_acc: Mapped[float | None] = mapped_column(Float)
    val_macro_f1: Mapped[float | None] = mapped_column(Float)
    loss_total: Mapped[float | None] = mapped_column(Float)
    loss_ce: Mapped[float | None] = mapped_column(Float)
    loss_human: Mapped[float | None] = mapped_column(Float)
    loss_scale: Mapped[float | None] = mapped_column(Float)
    loss_direction: Mapped[float | None] = mapped_column(Float)
    interaction_point: Mapped[bool] = mapped_column(Boolean, default=False)
    # Per-class accuracy, confusion matrix, test metrics: whatever the trainer measured beyond the columns.
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Checkpoint(Base):
    __tablename__ = "checkpoints"
    __table_args__ = (UniqueConstraint("run_id", "epoch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Snapshot(Base):
    __tablename__ = "snapshots"
    __table_args__ = (UniqueConstraint("run_id", "epoch", "interaction_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    epoch: Mapped[int] = mapped_column(Integer)
    interaction_index: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Edit(Base):
    """One action in the latent editor; undo, redo and reset are rows of their own that point at their target."""

    __tablename__ = "edits"
    __table_args__ = (UniqueConstraint("run_id", "interaction_index", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    interaction_index: Mapped[int] = mapped_column(Integer)
    epoch: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    point_indices: Mapped[list[Any] | None] = mapped_column(JSON)
    old_positions: Mapped[list[Any] | None] = mapped_column(JSON)
    new_positions: Mapped[list[Any] | None] = mapped_column(JSON)
    class_id: Mapped[int | None] = mapped_column(Integer)
    arrow: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("edits.id", ondelete="SET NULL"))
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
