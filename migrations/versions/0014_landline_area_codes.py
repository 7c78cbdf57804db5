"""complaints: landlines stored before the area-code fix split at their real area code

Until this revision a landline typed without a separator after a three-digit area code (010,
020–029) was split one digit too late: 01012345678 was stored as 0101-2345678. The digits are
right (search compares digits only), the display is not. This re-splits those rows: a stored
0AAA-NNNNNNN[-ext] whose first three digits are 010 or 02x becomes 0AA-ANNNNNNN[-ext]. Rows
of four-digit area codes, mobiles and erased phones do not match and are left alone.

Revision ID: 0014_landline_area_codes
Revises: 0013_deadline_clock_due
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0014_landline_area_codes"
down_revision = "0013_deadline_clock_due"
branch_labels = None
depends_on = None

MIS_SPLIT = re.compile(r"(010|02\d)(\d)-(\d{7})((?:-\d{1,6})?)")
complaints = sa.table("complaints", sa.column("id", sa.Integer), sa.column("complainant_phone", sa.String))


def resplit(phone: str) -> str | None:
    """The stored form the fixed rule gives, or None when `phone` was not mis-split."""
    parts = MIS_SPLIT.fullmatch(phone or "")
    return f"{parts[1]}-{parts[2]}{parts[3]}{parts[4]}" if parts else None


def upgrade():
    bind = op.get_bind()
    candidates = bind.execute(sa.select(complaints.c.id, complaints.c.complainant_phone).where(sa.or_(
        complaints.c.complainant_phone.like("010_-%"), complaints.c.complainant_phone.like("02__-%"))))
    for row in candidates.fetchall():
        if (fixed := resplit(row.complainant_phone)) is not None:
            bind.execute(complaints.update().where(complaints.c.id == row.id).values(complainant_phone=fixed))


def downgrade():
    pass  # the old split was wrong; nothing to restore
