"""Teacher: follow-through of edits and rounds, teacher and adaptive-reliance settings.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `follow_through`, `alpha_changes`, `studies.teacher` and `studies.adaptive_alpha`.

    Studies made before this revision were trained with the paper's teacher, so they keep it."""
    op.create_table(
        "follow_through",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("interaction_index", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("end_epoch", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("teacher", sa.String(length=20), nullable=False),
        sa.Column("alpha", sa.Float(), nullable=False),
        *[sa.Column(name, sa.Float(), nullable=False)
          for name in ("old_x", "old_y", "asked_x", "asked_y", "new_x", "new_y", "old_spread", "asked_spread",
                       "new_spread")],
        sa.Column("share", sa.Float(), nullable=True),
        sa.Column("spread_share", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_follow_through_run_id_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_through")),
        sa.UniqueConstraint("run_id", "epoch", "class_id", name=op.f("uq_follow_through_run_id_epoch_class_id")),
    )
    op.create_index(op.f("ix_follow_through_run_id"), "follow_through", ["run_id"], unique=False)
    op.create_table(
        "alpha_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("old_alpha", sa.Float(), nullable=False),
        sa.Column("new_alpha", sa.Float(), nullable=False),
        sa.Column("val_acc", sa.Float(), nullable=False),
        sa.Column("band_min", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_alpha_changes_run_id_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alpha_changes")),
        sa.UniqueConstraint("run_id", "epoch", name=op.f("uq_alpha_changes_run_id_epoch")),
    )
    op.create_index(op.f("ix_alpha_changes_run_id"), "alpha_changes", ["run_id"], unique=False)
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("teacher", sa.String(length=20), nullable=False, server_default="paper"))
        batch_op.add_column(sa.Column("adaptive_alpha", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Drop what `upgrade` added."""
    with op.batch_alter_table("studies", schema=None) as batch_op:
        batch_op.drop_column("adaptive_alpha")
        batch_op.drop_column("teacher")
    op.drop_index(op.f("ix_alpha_changes_run_id"), table_name="alpha_changes")
    op.drop_table("alpha_changes")
    op.drop_index(op.f("ix_follow_through_run_id"), table_name="follow_through")
    op.drop_table("follow_through")
