"""publications: versioned series of quarterly figures and their frozen files (SPEC §8, §10)

Revision ID: 0010_publications
Revises: 0008_inspections_orders
"""
from alembic import op
import sqlalchemy as sa

import supervision.db_types

revision = "0010_publications"
down_revision = "0008_inspections_orders"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("period", sa.String(length=6), nullable=False),
        sa.Column("authority_code", sa.String(length=2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("figures_computed_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("prepared_by", sa.Integer(), nullable=True),
        sa.Column("prepared_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("published_at", supervision.db_types.UTCDateTime(), nullable=True),
        sa.Column("updated_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["authority_code"], ["authorities.code"],
                                name=op.f("fk_publications_authority_code_authorities")),
        sa.ForeignKeyConstraint(["replaces_id"], ["publications.id"],
                                name=op.f("fk_publications_replaces_id_publications")),
        sa.ForeignKeyConstraint(["prepared_by"], ["users.id"], name=op.f("fk_publications_prepared_by_users")),
        sa.ForeignKeyConstraint(["approved_by"], ["users.id"], name=op.f("fk_publications_approved_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
        sa.UniqueConstraint("kind", "period", "authority_code", "version", name="uq_publications_series_version"),
    )
    with op.batch_alter_table("publications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publications_authority_code"), ["authority_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_publications_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_publications_published_at"), ["published_at"], unique=False)

    op.create_table(
        "publication_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", supervision.db_types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["publication_id"], ["publications.id"],
                                name=op.f("fk_publication_files_publication_id_publications")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication_files")),
        sa.UniqueConstraint("publication_id", "name", name="uq_publication_files_name"),
    )
    with op.batch_alter_table("publication_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_publication_files_publication_id"), ["publication_id"], unique=False)


def downgrade():
    op.drop_table("publication_files")
    op.drop_table("publications")
