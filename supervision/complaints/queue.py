"""The work queues: the officer's, the head's and the operator's (always through `scoped`)."""
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from supervision.access.models import User
from supervision.access.scoping import scoped
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.search import search_condition


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
    if filters.q and filters.q.strip():
        stmt = stmt.where(search_condition(filters.q.strip(), user))
    return stmt


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
