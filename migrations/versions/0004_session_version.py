"""users.session_version: web sessions the server can end (log-out, SPEC §9)

Revision ID: 0004_session_version
Revises: 0003_workflow_machinery
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_session_version"
down_revision = "0003_workflow_machinery"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
