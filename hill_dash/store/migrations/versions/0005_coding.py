"""Coding: codebook colours, codings of character spans, coder passes, recording problems.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `codes.color`, the character span and quote of a coding, the `coder_passes` table and
    `recordings.problem`."""
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("color", sa.String(length=7), nullable=True))
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_char", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("end_char", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quote", sa.Text(), nullable=True))
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("problem", sa.Text(), nullable=True))
    op.create_table(
        "coder_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("transcript_id", sa.Integer(), nullable=False),
        sa.Column("coder", sa.String(length=120), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["transcript_id"], ["transcripts.id"],
                                name=op.f("fk_coder_passes_transcript_id_transcripts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coder_passes")),
        sa.UniqueConstraint("transcript_id", "coder", name=op.f("uq_coder_passes_transcript_id_coder")),
    )


def downgrade() -> None:
    """Drop what `upgrade` added."""
    op.drop_table("coder_passes")
    with op.batch_alter_table("recordings", schema=None) as batch_op:
        batch_op.drop_column("problem")
    with op.batch_alter_table("codings", schema=None) as batch_op:
        batch_op.drop_column("quote")
        batch_op.drop_column("end_char")
        batch_op.drop_column("start_char")
    with op.batch_alter_table("codes", schema=None) as batch_op:
        batch_op.drop_column("color")
