"""Security: server-side researcher sessions, login throttling, the owner of a free-editor run.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the session and throttle tables and `runs.owner_key`."""
    op.create_table(
        "researcher_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("researcher_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["researcher_id"], ["researchers.id"],
                                name=op.f("fk_researcher_sessions_researcher_id_researchers"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_researcher_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_researcher_sessions_token_hash")),
    )
    op.create_index(op.f("ix_researcher_sessions_researcher_id"), "researcher_sessions", ["researcher_id"],
                    unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_throttle")),
        sa.UniqueConstraint("key", name=op.f("uq_login_throttle_key")),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_key", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Drop what `upgrade` added."""
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("owner_key")
    op.drop_table("login_throttle")
    op.drop_index(op.f("ix_researcher_sessions_researcher_id"), table_name="researcher_sessions")
    op.drop_table("researcher_sessions")
