"""The work queues: the officer's, the head's and the operator's (always through `scoped`)."""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, or_, select

from supervision.access.models import Role, User
from supervision.access.personal_data import SEARCH, record_personal_data_read
from supervision.access.scoping import scoped
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.rules import normalize_reference


@dataclass
class QueueFilters:
    status: str | None = None
    operator_id: int | None = None
    province: str | None = None
    clock_state: str | None = None
    escalation: str | None = None
    supervised: bool | None = None
    q: str | None = None


def queue_query(user: User, filters: QueueFilters) -> Select:
    stmt = scoped(select(Complaint), user)
    if filters.status:
        stmt = stmt.where(Complaint.status == filters.status)
    if filters.operator_id:
        stmt = stmt.where(Complaint.operator_id == filters.operator_id)
    if filters.province:
        stmt = stmt.where(Complaint.province == filters.province)
    if filters.escalation:
        stmt = stmt.where(Complaint.escalation == filters.escalation)
    if filters.clock_state:
        stmt = stmt.where(Complaint.id.in_(select(Deadline.subject_id).where(
            Deadline.subject_type == Complaint.deadline_subject, Deadline.state == filters.clock_state)))
    if filters.supervised is not None:
        stmt = stmt.where(Complaint.supervised == filters.supervised)
    if filters.q:
        stmt = stmt.where(_search(filters.q.strip(), user))
    return stmt


def _search(text: str, user: User):
    """Reference (typed any way), text, and for officers the complainant's name or phone
    (operator staff see names masked, so they cannot search by them either)."""
    like = f"%{text}%"
    conditions = [Complaint.reference.ilike(like), Complaint.reference == normalize_reference(text),
                  Complaint.description.ilike(like), Complaint.request.ilike(like)]
    if user.role == Role.OFFICER:
        conditions.append(Complaint.complainant_name.ilike(like))
        digits = re.sub(r"\D", "", text)
        if len(digits) >= 4:  # a phone typed with spaces or hyphens still matches
            conditions.append(func.replace(func.replace(Complaint.complainant_phone, "-", ""), " ", "")
                              .like(f"%{digits}%"))
    return or_(*conditions)


def record_search_reads(user: User, complaints, q: str | None, now: datetime) -> None:
    """A result list shows no personal data, but a search that matched a complainant's name or
    phone tells the officer who complained: that is a read of those fields (SPEC §9), noted
    for each complaint it matched on them (the ones found by reference or text are not)."""
    if not q or not q.strip() or user.role != Role.OFFICER:
        return
    text, digits = q.strip().lower(), re.sub(r"\D", "", q)
    for complaint in complaints:
        fields = []
        if complaint.complainant_name and text in complaint.complainant_name.lower():
            fields.append("name")
        if len(digits) >= 4 and digits in re.sub(r"\D", "", complaint.complainant_phone or ""):
            fields.append("phone")
        record_personal_data_read(user, complaint, fields, now, kind=SEARCH)


def next_due_subquery():
    # Clocks still awaiting their stop event, missed ones included: a reply that is late is the
    # most urgent thing in the queue, not something to drop from it.
    return (select(Deadline.subject_id.label("complaint_id"), func.min(Deadline.due).label("next_due"))
            .where(Deadline.subject_type == Complaint.deadline_subject, Deadline.stopped_at.is_(None))
            .group_by(Deadline.subject_id).subquery())


def sorted_by_nearest_due(stmt: Select) -> Select:
    """Nearest running due date first; complaints with no running clock last."""
    nxt = next_due_subquery()
    return (stmt.outerjoin(nxt, nxt.c.complaint_id == Complaint.id)
            .order_by(nxt.c.next_due.is_(None), nxt.c.next_due, Complaint.id))


def next_deadline(complaint: Complaint) -> Deadline | None:
    """The clock the queue is sorted by: the earliest one still awaiting its stop event."""
    return min((d for d in complaint.deadlines if d.awaiting_stop), key=lambda d: d.due, default=None)


def next_due(complaint: Complaint):
    deadline = next_deadline(complaint)
    return deadline.due if deadline else None
