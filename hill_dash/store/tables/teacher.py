"""Tables of how far training followed the participant: per edited class and round, and reliance changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hill_dash.store.tables.base import Base, utcnow


class FollowThrough(Base):
    """One edited class after one round: where it was, where the participant asked it to go, where it went."""

    __tablename__ = "follow_through"
    __table_args__ = (UniqueConstraint("run_id", "epoch", "class_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    interaction_index: Mapped[int] = mapped_column(Integer)
    epoch: Mapped[int] = mapped_column(Integer)  # the interaction point the edits were made at
    end_epoch: Mapped[int] = mapped_column(Integer)  # where the round stopped and was measured
    class_id: Mapped[int] = mapped_column(Integer)
    teacher: Mapped[str] = mapped_column(String(20))
    alpha: Mapped[float] = mapped_column(Float)
    old_x: Mapped[float] = mapped_column(Float)
    old_y: Mapped[float] = mapped_column(Float)
    asked_x: Mapped[float] = mapped_column(Float)
    asked_y: Mapped[float] = mapped_column(Float)
    new_x: Mapped[float] = mapped_column(Float)
    new_y: Mapped[float] = mapped_column(Float)
    old_spread: Mapped[float] = mapped_column(Float)
    asked_spread: Mapped[float] = mapped_column(Float)
    new_spread: Mapped[float] = mapped_column(Float)
    share: Mapped[float | None] = mapped_column(Float)  # None: the centre was not asked to move
    spread_share: Mapped[float | None] = mapped_column(Float)  # None: the spread was not asked to change
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AlphaChange(Base):
    """Adaptive reliance: alpha lowered for the next round after validation accuracy fell below the band."""

    __tablename__ = "alpha_changes"
    __table_args__ = (UniqueConstraint("run_id", "epoch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int] = mapped_column(Integer)
    old_alpha: Mapped[float] = mapped_column(Float)
    new_alpha: Mapped[float] = mapped_column(Float)
    val_acc: Mapped[float] = mapped_column(Float)
    band_min: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
