"""Preservation holds on raw billing data while a billing dispute is open [M 17]."""
from datetime import datetime

from sqlalchemy import select, update

from supervision.complaints.models import Complaint, PreservationHold
from supervision.extensions import db


def place_holds(complaint: Complaint, now: datetime) -> list[PreservationHold]:
    holds = [PreservationHold(complaint_id=complaint.id, operator_id=complaint.operator_id,
                              province=complaint.province, month=month, created_at=now)
             for month in complaint.disputed_months or []]
    db.session.add_all(holds)  # flushed with the intake's other rows
    return holds


def release_holds(complaint: Complaint, now: datetime) -> int:
    result = db.session.execute(
        update(PreservationHold)
        .where(PreservationHold.complaint_id == complaint.id, PreservationHold.released_at.is_(None))
        .values(released_at=now))
    return result.rowcount


def held_months(operator_id: int, province: str | None = None) -> list[str]:
    """Months whose raw billing data the operator must still be able to produce."""
    stmt = select(PreservationHold.month).where(
        PreservationHold.operator_id == operator_id, PreservationHold.released_at.is_(None)).distinct()
    if province:
        stmt = stmt.where(PreservationHold.province == province)
    return sorted(db.session.scalars(stmt))
