"""The initial schema: every table of the study store.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    """A foreign key to `target.id`, named as the store's naming convention names it."""
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    """Create every table of the first release."""
    op.create_table(
        "researchers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_researchers")),
        sa.UniqueConstraint("name", name=op.f("uq_researchers_name")),
    )
    op.create_table(
        "studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("consent_text", sa.Text(), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=False),
        sa.Column("lam", sa.Float(), nullable=False),
        sa.Column("instruments", sa.JSON(), nullable=False),
        sa.Column("n_participants", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("studies", "created_by", "researchers", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_studies")),
        sa.UniqueConstraint("name", name=op.f("uq_studies_name")),
    )
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("theme", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("codes", "parent_id", "codes", "SET NULL"),
        _fk("codes", "study_id", "studies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codes")),
        sa.UniqueConstraint("study_id", "name", name=op.f("uq_codes_study_id_name")),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scenario_order", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("current_step", sa.JSON(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("participants", "study_id", "studies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
        sa.UniqueConstraint("study_id", "code", name=op.f("uq_participants_study_id_code")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_participants_token_hash")),
    )
    op.create_index(op.f("ix_participants_study_id"), "participants", ["study_id"], unique=False)
    op.create_table(
        "study_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("scenario", sa.String(length=200), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("pretrained_checkpoint", sa.String(length=500), nullable=True),
        sa.Column("interaction_epochs", sa.JSON(), nullable=False),
        sa.Column("end_epoch", sa.Integer(), nullable=False),
        _fk("study_scenarios", "study_id", "studies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_scenarios")),
        sa.UniqueConstraint("study_id", "position", name=op.f("uq_study_scenarios_study_id_position")),
    )
    op.create_index(op.f("ix_study_scenarios_study_id"), "study_scenarios", ["study_id"], unique=False)
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("study_scenario_id", sa.Integer(), nullable=True),
        sa.Column("instrument", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("untouched", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        _fk("answers", "participant_id", "participants", "CASCADE"),
        _fk("answers", "study_scenario_id", "study_scenarios", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
    )
    op.create_index(
        "ix_answers_key", "answers", ["participant_id", "study_scenario_id", "instrument", "item"], unique=False
    )
    op.create_table(
        "recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("study_scenario_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("mime", sa.String(length=100), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        _fk("recordings", "participant_id", "participants", "SET NULL"),
        _fk("recordings", "study_scenario_id", "study_scenarios", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordings")),
    )
    op.create_index(op.f("ix_recordings_participant_id"), "recordings", ["participant_id"], unique=False)
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_scenario_id", sa.Integer(), nullable=True),
        sa.Column("scenario", sa.String(length=200), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("condition", sa.String(length=20), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("run_dir", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("current_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        _fk("runs", "participant_id", "participants", "SET NULL"),
        _fk("runs", "study_scenario_id", "study_scenarios", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index(op.f("ix_runs_participant_id"), "runs", ["participant_id"], unique=False)
    op.create_index(op.f("ix_runs_study_scenario_id"), "runs", ["study_scenario_id"], unique=False)
    op.create_table(
        "audio_chunks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("client_offset_ms", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        _fk("audio_chunks", "recording_id", "recordings", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audio_chunks")),
        sa.UniqueConstraint("recording_id", "seq", name=op.f("uq_audio_chunks_recording_id_seq")),
    )
    op.create_table(
        "checkpoints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("checkpoints", "run_id", "runs", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkpoints")),
        sa.UniqueConstraint("run_id", "epoch", name=op.f("uq_checkpoints_run_id_epoch")),
    )
    op.create_table(
        "edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("interaction_index", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("point_indices", sa.JSON(), nullable=True),
        sa.Column("old_positions", sa.JSON(), nullable=True),
        sa.Column("new_positions", sa.JSON(), nullable=True),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("arrow", sa.JSON(), nullable=True),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("edits", "run_id", "runs", "CASCADE"),
        _fk("edits", "target_id", "edits", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edits")),
        sa.UniqueConstraint("run_id", "interaction_index", "seq", name=op.f("uq_edits_run_id_interaction_index_seq")),
    )
    op.create_table(
        "epochs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("val_acc", sa.Float(), nullable=True),
        sa.Column("val_macro_f1", sa.Float(), nullable=True),
        sa.Column("loss_total", sa.Float(), nullable=True),
        sa.Column("loss_ce", sa.Float(), nullable=True),
        sa.Column("loss_human", sa.Float(), nullable=True),
        sa.Column("loss_scale", sa.Float(), nullable=True),
        sa.Column("loss_direction", sa.Float(), nullable=True),
        sa.Column("interaction_point", sa.Boolean(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("epochs", "run_id", "runs", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epochs")),
        sa.UniqueConstraint("run_id", "epoch", name=op.f("uq_epochs_run_id_epoch")),
    )
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("recording_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("jobs", "recording_id", "recordings", "SET NULL"),
        _fk("jobs", "run_id", "runs", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index(op.f("ix_jobs_status"), "jobs", ["status"], unique=False)
    op.create_table(
        "snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("interaction_index", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("snapshots", "run_id", "runs", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshots")),
        sa.UniqueConstraint(
            "run_id", "epoch", "interaction_index", name=op.f("uq_snapshots_run_id_epoch_interaction_index")
        ),
    )
    op.create_table(
        "transcripts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recording_id", sa.Integer(), nullable=False),
        sa.Column("backend", sa.String(length=50), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("path", sa.String(length=500), nullable=True),
        sa.Column("segments", sa.JSON(), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("transcripts", "recording_id", "recordings", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcripts")),
    )
    op.create_index(op.f("ix_transcripts_recording_id"), "transcripts", ["recording_id"], unique=False)
    op.create_table(
        "codings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("start_index", sa.Integer(), nullable=False),
        sa.Column("end_index", sa.Integer(), nullable=False),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(length=120), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("codings", "code_id", "codes", "CASCADE"),
        _fk("codings", "transcript_id", "transcripts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_codings")),
    )
    op.create_index(op.f("ix_codings_code_id"), "codings", ["code_id"], unique=False)
    op.create_index(op.f("ix_codings_transcript_id"), "codings", ["transcript_id"], unique=False)
    op.create_table(
        "memos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("memos", "transcript_id", "transcripts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memos")),
    )
    op.create_index(op.f("ix_memos_transcript_id"), "memos", ["transcript_id"], unique=False)
    op.create_table(
        "transcript_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("segment_index", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("editor", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        _fk("transcript_edits", "transcript_id", "transcripts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_edits")),
    )
    op.create_index(op.f("ix_transcript_edits_transcript_id"), "transcript_edits", ["transcript_id"], unique=False)


def downgrade() -> None:
    """Drop every table, children first."""
    for table in ("transcript_edits", "memos", "codings", "transcripts", "snapshots", "jobs", "epochs", "edits",
                  "checkpoints", "audio_chunks", "runs", "recordings", "answers", "study_scenarios", "participants",
                  "codes", "studies", "researchers"):
        op.drop_table(table)
