"""personal information: the log of staff reads of complainants' personal data, and its erasure

Revision ID: 0012_pi_reads
Revises: 0011_search_index
"""
from alembic import op
import sqlalchemy as sa

import supervision.db_types

revision = "0012_pi_reads"
down_revision = "0011_search_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "personal_data_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=24), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"],
                                name=op.f("fk_personal_data_reads_complaint_id_complaints")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_personal_data_reads_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_reads")),
    )
    with op.batch_alter_table("personal_data_reads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_data_reads_at"), ["at"], unique=False)
        batch_op.create_index("ix_personal_data_reads_user_at", ["user_id", "at"], unique=False)
        batch_op.create_index("ix_personal_data_reads_complaint", ["complaint_id", "at"], unique=False)

    # add_column and create_index need no table rebuild on SQLite (no batch mode).
    op.add_column("complaints", sa.Column("personal_data_erased_at", supervision.db_types.UTCDateTime(),
                                          nullable=True))
    # The erasure job looks only at complaints closed before the cut-off (SPEC §3: jobs touch
    # only rows that can change).
    op.create_index(op.f("ix_complaints_closed_at"), "complaints", ["closed_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_complaints_closed_at"), table_name="complaints")
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_column("personal_data_erased_at")
    op.drop_table("personal_data_reads")
