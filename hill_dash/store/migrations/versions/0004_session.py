"""Participant session: untouched answers, recording gaps, participant-facing settings.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """A think-aloud recording started again after a page reload names the one it continues and the gap between."""
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resumes_recording_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("gap_s", sa.Float(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_recordings_resumes_recording_id_recordings"), "recordings",
                                    ["resumes_recording_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    """Drop what `upgrade` added."""
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_recordings_resumes_recording_id_recordings"), type_="foreignkey")
        batch_op.drop_column("gap_s")
        batch_op.drop_column("resumes_recording_id")
