"""deadlines: index on (clock, state, due) for the sweep's reminders

The reminder pass reads the running clocks of the few policies that have reminders, due within
the longest reminder (15 days). With only (state, due) it walked every running clock due in that
window, complaints' included, and looked each row up for its clock: at 100,000 complaints two
thirds of a sweep that changes nothing.

Revision ID: 0013_deadline_clock_due
Revises: 0012_pi_reads
"""
from alembic import op

revision = "0013_deadline_clock_due"
down_revision = "0012_pi_reads"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_deadlines_clock_state_due", "deadlines", ["clock", "state", "due"])


def downgrade():
    op.drop_index("ix_deadlines_clock_state_due", table_name="deadlines")
