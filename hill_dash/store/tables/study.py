"""Tables of who runs a study and who takes part: researchers, studies, their scenarios, participants, answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from hill_dash.store.tables.base import Base, utcnow


class Researcher(Base):
    __tablename__ = "researchers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Study(Base):
    __tablename__ = "studies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    consent_text: Mapped[str] = mapped_column(Text, default="")
    alpha: Mapped[float] = mapped_column(Float, default=0.5)
    lam: Mapped[float] = mapped_column(Float, default=0.1)
    # How edits become training (see hill_dash.core.teacher); studies made before teachers existed keep "paper".
    teacher: Mapped[str] = mapped_column(String(20), default="follow", server_default="paper")
    # Lower alpha after a round that leaves validation accuracy below the baseline band (opt-in).
    adaptive_alpha: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Instrument names given after every scenario (for example ["umux_lite", "nasa_tlx"]).
    instruments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    n_participants: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("researchers.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StudyScenario(Base):
    __tablename__ = "study_scenarios"
    __table_args__ = (UniqueConstraint("study_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    scenario: Mapped[str] = mapped_column(String(200))
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    pretrained_checkpoint: Mapped[str | None] = mapped_column(String(500))
    interaction_epochs: Mapped[list[Any]] = mapped_column(JSON, default=list)
    end_epoch: Mapped[int] = mapped_column(Integer)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("study_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("studies.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    # SHA-256 hex of the link token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Scenario positions in the order this participant meets them (a row of the study's Latin square).
    scenario_order: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="invited")
    current_step: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Answer(Base):
    """One answer event; the newest row per (participant, scenario, instrument, item) is the current answer."""

    __tablename__ = "answers"
    __table_args__ = (Index("ix_answers_key", "participant_id", "study_scenario_id", "instrument", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    study_scenario_id: Mapped[int | None] = mapped_column(ForeignKey("study_scenarios.id", ondelete="CASCADE"))
    instrument: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    untouched: Mapped[bool] = mapped_column(Boolean, default=False)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
