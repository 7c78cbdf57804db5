"""shared workflow machinery: deadlines of any record, clock reminders, findings

Revision ID: 0003_workflow_machinery
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

import supervision.db_types

revision = "0003_workflow_machinery"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    # Deadlines belong to any record (subject_type, subject_id); today's rows are complaints'.
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_type", sa.String(length=32), nullable=False,
                                      server_default="complaint"))
        batch_op.drop_constraint("fk_deadlines_complaint_id_complaints", type_="foreignkey")
        batch_op.drop_constraint("uq_deadlines_complaint_clock", type_="unique")
        batch_op.alter_column("complaint_id", new_column_name="subject_id", existing_type=sa.Integer(),
                              existing_nullable=False)
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.alter_column("subject_type", server_default=None, existing_type=sa.String(length=32))
        batch_op.create_unique_constraint("uq_deadlines_subject_clock", ["subject_type", "subject_id", "clock"])
        batch_op.create_index("ix_deadlines_subject", ["subject_type", "subject_id"], unique=False)

    with op.batch_alter_table("clock_policies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_days", sa.JSON(), nullable=True))

    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("authority_code", sa.String(length=2), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("open_key", sa.String(length=160), nullable=True),
        sa.Column("article", sa.String(length=16), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=True),
        sa.Column("raised_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("closed_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("updated_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["authority_code"], ["authorities.code"],
                                name=op.f("fk_findings_authority_code_authorities")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_findings_operator_id_operators")),
        sa.ForeignKeyConstraint(["province"], ["authorities.code"], name=op.f("fk_findings_province_authorities")),
        sa.ForeignKeyConstraint(["raised_by"], ["users.id"], name=op.f("fk_findings_raised_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_findings")),
        sa.UniqueConstraint("open_key", name=op.f("uq_findings_open_key")),
    )
    with op.batch_alter_table("findings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_findings_authority_code"), ["authority_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_operator_id"), ["operator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_findings_state"), ["state"], unique=False)


def downgrade():
    op.drop_table("findings")
    with op.batch_alter_table("clock_policies", schema=None) as batch_op:
        batch_op.drop_column("reminder_days")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.drop_index("ix_deadlines_subject")
        batch_op.drop_constraint("uq_deadlines_subject_clock", type_="unique")
        batch_op.alter_column("subject_id", new_column_name="complaint_id", existing_type=sa.Integer(),
                              existing_nullable=False)
        batch_op.drop_column("subject_type")
    with op.batch_alter_table("deadlines", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_deadlines_complaint_clock", ["complaint_id", "clock"])
        batch_op.create_foreign_key("fk_deadlines_complaint_id_complaints", "complaints", ["complaint_id"], ["id"],
                                    ondelete="CASCADE")
