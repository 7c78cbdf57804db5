"""operator obligations: retention attestations, self-inspection reports, billing-record samples, their clocks

Revision ID: 0007_operator_obligations
Revises: 0010_publications
"""
from alembic import op
import sqlalchemy as sa

import supervision.db_types

revision = "0007_operator_obligations"
down_revision = "0010_publications"
branch_labels = None
depends_on = None

clock_policies = sa.table("clock_policies", sa.column("name", sa.String), sa.column("length", sa.Integer),
                          sa.column("unit", sa.String), sa.column("start_event", sa.String),
                          sa.column("stop_event", sa.String), sa.column("legal_source", sa.String),
                          sa.column("owed_by", sa.String), sa.column("reminder_days", sa.JSON))


def upgrade():
    op.create_table(
        "retention_attestations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=60), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("earliest_day", sa.Date(), nullable=False),
        sa.Column("latest_day", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("required_from", sa.Date(), nullable=False),
        sa.Column("required_to", sa.Date(), nullable=False),
        sa.Column("held_months", sa.JSON(), nullable=False),
        sa.Column("gaps", sa.JSON(), nullable=False),
        sa.Column("compliant", sa.Boolean(), nullable=False),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["filed_by"], ["users.id"], name=op.f("fk_retention_attestations_filed_by_users")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"],
                                name=op.f("fk_retention_attestations_operator_id_operators")),
        sa.ForeignKeyConstraint(["province"], ["authorities.code"],
                                name=op.f("fk_retention_attestations_province_authorities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_attestations")),
    )
    with op.batch_alter_table("retention_attestations", schema=None) as batch_op:
        batch_op.create_index("ix_retention_attestations_latest", ["operator_id", "system", "province", "as_of"],
                              unique=False)

    op.create_table(
        "self_inspections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("authority_code", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("prefilled", sa.JSON(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=True),
        sa.Column("corrective_actions", sa.Text(), nullable=True),
        sa.Column("return_comment", sa.Text(), nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("submitted_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.Column("decided_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["authority_code"], ["authorities.code"],
                                name=op.f("fk_self_inspections_authority_code_authorities")),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], name=op.f("fk_self_inspections_created_by_users")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"],
                                name=op.f("fk_self_inspections_operator_id_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_inspections")),
        sa.UniqueConstraint("operator_id", "period", name="uq_self_inspections_period"),
    )
    with op.batch_alter_table("self_inspections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_self_inspections_authority_code"), ["authority_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_inspections_operator_id"), ["operator_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_self_inspections_status"), ["status"], unique=False)

    op.create_table(
        "billing_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("authority_code", sa.String(length=2), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("accounts", sa.JSON(), nullable=False),
        sa.Column("months", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("drawn_by", sa.Integer(), nullable=True),
        sa.Column("created_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["authority_code"], ["authorities.code"],
                                name=op.f("fk_billing_samples_authority_code_authorities")),
        sa.ForeignKeyConstraint(["drawn_by"], ["users.id"], name=op.f("fk_billing_samples_drawn_by_users")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_billing_samples_operator_id_operators")),
        sa.ForeignKeyConstraint(["province"], ["authorities.code"], name=op.f("fk_billing_samples_province_authorities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_samples")),
    )
    with op.batch_alter_table("billing_samples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_billing_samples_authority_code"), ["authority_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_billing_samples_operator_id"), ["operator_id"], unique=False)
    op.create_table(
        "sample_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("account_ref", sa.String(length=60), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("produced", sa.Boolean(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=60), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("storage_key", sa.String(length=64), nullable=True),
        sa.Column("answered_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["sample_id"], ["billing_samples.id"], name=op.f("fk_sample_items_sample_id_billing_samples")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sample_items")),
    )
    with op.batch_alter_table("sample_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sample_items_sample_id"), ["sample_id"], unique=False)

    op.create_table(
        "deposit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decision_ref", sa.String(length=80), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_deposit_entries_operator_id_operators")),
        sa.ForeignKeyConstraint(["recorded_by"], ["users.id"], name=op.f("fk_deposit_entries_recorded_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deposit_entries")),
    )
    with op.batch_alter_table("deposit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deposit_entries_operator_id"), ["operator_id"], unique=False)

    op.create_table(
        "format_clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("authority_code", sa.String(length=2), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.Integer(), nullable=True),
        sa.Column("filed_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("reviewed_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["authority_code"], ["authorities.code"],
                                name=op.f("fk_format_clauses_authority_code_authorities")),
        sa.ForeignKeyConstraint(["filed_by"], ["users.id"], name=op.f("fk_format_clauses_filed_by_users")),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"], name=op.f("fk_format_clauses_operator_id_operators")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_format_clauses")),
        sa.UniqueConstraint("operator_id", "title", "version", name="uq_format_clauses_version"),
    )
    with op.batch_alter_table("format_clauses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_format_clauses_authority_code"), ["authority_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_format_clauses_operator_id"), ["operator_id"], unique=False)

    op.bulk_insert(clock_policies, [
        dict(name="self_inspection_report", length=0, unit="fixed", start_event="report created",
             stop_event="report submitted",
             legal_source="[M 18] 自查报告: H1 by 15 July, H2 by 15 January [default, 电信服务质量报告制度]",
             owed_by="operator", reminder_days=[15, 3]),
        dict(name="sample_production", length=10, unit="working", start_event="sample drawn",
             stop_event="every item answered",
             legal_source="[M 17] 计费原始数据抽样提供 — 10 working days [default]",
             owed_by="operator", reminder_days=None),
    ])


def downgrade():
    op.execute(clock_policies.delete().where(clock_policies.c.name.in_(("self_inspection_report",
                                                                          "sample_production"))))
    op.drop_table("format_clauses")
    op.drop_table("deposit_entries")
    op.drop_table("sample_items")
    op.drop_table("billing_samples")
    op.drop_table("self_inspections")
    op.drop_table("retention_attestations")
