"""surveys: responses, imports and the versioned satisfaction-index methodology (SPEC §8)

Revision ID: 0009_surveys_and_statistics
Revises: 0006_complainant_passes
"""
from datetime import UTC, datetime
from decimal import Decimal

from alembic import op
import sqlalchemy as sa

from supervision.db_types import UTCDateTime

revision = "0009_surveys_and_statistics"
down_revision = "0006_complainant_passes"
branch_labels = None
depends_on = None

# Version 1 exactly as SPEC §8 [M 9–11]: TCSI weights, 1–10 scale, satisfied ≥ 7, n ≥ 100, 95% CI.
VERSION_1 = {
    "version": 1, "scale_min": 1, "scale_max": 10, "satisfied_threshold": 7, "minimum_n": 100,
    "confidence_z": Decimal("1.96"),
    "weight_satisfaction": Decimal("0.40"), "weight_perceived_quality": Decimal("0.20"),
    "weight_perceived_value": Decimal("0.15"), "weight_complaints": Decimal("0.10"),
    "weight_loyalty": Decimal("0.10"), "weight_expectations": Decimal("0.05"),
    "source": "SPEC §8 [M 9–11]: TCSI weights v1; satisfied = overall satisfaction ≥ 7; "
              "cells with n < 100 suppressed; 95% CI = mean ± 1.96 × SD/√n",
    "created_at": datetime(2026, 1, 1, tzinfo=UTC),
}


def upgrade():
    methodology = op.create_table(
        "methodology_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("scale_min", sa.SmallInteger(), nullable=False),
        sa.Column("scale_max", sa.SmallInteger(), nullable=False),
        sa.Column("satisfied_threshold", sa.SmallInteger(), nullable=False),
        sa.Column("minimum_n", sa.Integer(), nullable=False),
        sa.Column("confidence_z", sa.Numeric(6, 4), nullable=False),
        sa.Column("weight_expectations", sa.Numeric(5, 4), nullable=False),
        sa.Column("weight_perceived_quality", sa.Numeric(5, 4), nullable=False),
        sa.Column("weight_perceived_value", sa.Numeric(5, 4), nullable=False),
        sa.Column("weight_satisfaction", sa.Numeric(5, 4), nullable=False),
        sa.Column("weight_complaints", sa.Numeric(5, 4), nullable=False),
        sa.Column("weight_loyalty", sa.Numeric(5, 4), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("version"),
    )
    op.bulk_insert(methodology, [VERSION_1])
    op.create_table(
        "survey_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["imported_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("service", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("respondent_id", sa.String(length=64), nullable=False),
        sa.Column("expectations", sa.SmallInteger(), nullable=False),
        sa.Column("perceived_quality", sa.SmallInteger(), nullable=False),
        sa.Column("perceived_value", sa.SmallInteger(), nullable=False),
        sa.Column("satisfaction", sa.SmallInteger(), nullable=False),
        sa.Column("complaints", sa.SmallInteger(), nullable=False),
        sa.Column("loyalty", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["survey_imports.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operators.id"]),
        sa.ForeignKeyConstraint(["province"], ["authorities.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("operator_id", "service", "period", "respondent_id",
                            name="uq_survey_responses_respondent"),
    )
    op.create_index("ix_survey_responses_cell", "survey_responses",
                    ["period", "operator_id", "province", "service"])
    op.create_index(op.f("ix_survey_responses_import_id"), "survey_responses", ["import_id"])


def downgrade():
    op.drop_index(op.f("ix_survey_responses_import_id"), table_name="survey_responses")
    op.drop_index("ix_survey_responses_cell", table_name="survey_responses")
    op.drop_table("survey_responses")
    op.drop_table("survey_imports")
    op.drop_table("methodology_versions")
