"""complainant passes: one-time access-code display, repeated-submission detection, tracking reloads

Revision ID: 0006_complainant_passes
Revises: 0004_session_version
"""
from alembic import op
import sqlalchemy as sa
import supervision.db_types

revision = "0006_complainant_passes"
down_revision = "0004_session_version"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "complainant_passes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("sealed_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"], ondelete="CASCADE",
                                name=op.f("fk_complainant_passes_complaint_id_complaints")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complainant_passes")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_complainant_passes_key_hash")),
    )
    op.create_index("ix_complainant_passes_created_at", "complainant_passes", ["created_at"])


def downgrade():
    op.drop_index("ix_complainant_passes_created_at", table_name="complainant_passes")
    op.drop_table("complainant_passes")
