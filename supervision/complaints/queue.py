"""The work queues: the officer's, the head's and the operator's (always through `scoped`)."""
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import aliased, load_only, selectinload

from supervision.access.models import Role, User
from supervision.access.personal_data import SEARCH, record_personal_data_read
from supervision.access.scoping import scoped
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.search import search_condition
from supervision.extensions import db


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


def queue_row_loading() -> tuple:
    """What a row of a queue shows (reference, status, category, its next clock…): loaded in
    two statements, without the facts, the personal data or the clocks' explanations."""
    return (load_only(Complaint.reference, Complaint.status, Complaint.operator_id, Complaint.province,
                      Complaint.category, Complaint.subcategory, Complaint.received_at, Complaint.escalation,
                      Complaint.supervised),
            selectinload(Complaint.deadlines).load_only(Deadline.subject_type, Deadline.subject_id, Deadline.clock,
                                                        Deadline.due, Deadline.state, Deadline.stopped_at))


def record_search_reads(user: User, complaints, q: str | None, now: datetime) -> None:
    """A result list shows no personal data, but a search that matched a complainant's name or
    phone tells the officer who complained: that is a read of those fields (SPEC §9), noted
    for each complaint it matched on them (the ones found by reference or text are not)."""
    if not q or not q.strip() or user.role != Role.OFFICER or not complaints:
        return
    text, digits = q.strip().lower(), re.sub(r"\D", "", q)
    # The rows of a page carry no personal data (queue_row_loading): one statement reads the
    # names and phones of the page to see which of them the search matched.
    personal = {row.id: row for row in db.session.execute(
        select(Complaint.id, Complaint.complainant_name, Complaint.complainant_phone)
        .where(Complaint.id.in_([c.id for c in complaints])))}
    for complaint in complaints:
        row = personal[complaint.id]
        fields = []
        if row.complainant_name and text in row.complainant_name.lower():
            fields.append("name")
        if len(digits) >= 4 and digits in re.sub(r"\D", "", row.complainant_phone or ""):
            fields.append("phone")
        record_personal_data_read(user, complaint, fields, now, kind=SEARCH)


def next_due_subquery():
    # Clocks still awaiting their stop event, missed ones included: a reply that is late is the
    # most urgent thing in the queue, not something to drop from it.
    return (select(Deadline.subject_id.label("complaint_id"), func.min(Deadline.due).label("next_due"))
            .where(Deadline.subject_type == Complaint.deadline_subject, Deadline.stopped_at.is_(None))
            .group_by(Deadline.subject_id).subquery())


def sorted_by_nearest_due(stmt: Select) -> Select:
    """Nearest running due date first; complaints with no running clock last. The order's
    definition: the pages read it through `nearest_due_page`, which costs only the page."""
    nxt = next_due_subquery()
    return (stmt.outerjoin(nxt, nxt.c.complaint_id == Complaint.id)
            .order_by(nxt.c.next_due.is_(None), nxt.c.next_due, Complaint.id))


def nearest_due_page(stmt: Select, offset: int, limit: int) -> list[Complaint]:
    """Rows [offset, offset + limit) of `stmt` (a scoped, filtered queue) in the order of
    `sorted_by_nearest_due`, without computing every complaint's next due date.

    The complaints with a clock awaiting its stop event come first, read in due order from the
    partial index ix_deadlines_awaiting_stop (each by its earliest clock only), so a page costs
    its own rows, not the whole table; the others follow by id. Same order, same rows.
    """
    rows = list(db.session.scalars(_awaiting_first(stmt).offset(offset).limit(limit)))
    if len(rows) == limit:
        return rows
    # Past the complaints with a running clock: where the others start, in this page or before it.
    awaiting = offset + len(rows) if rows else db.session.scalar(
        select(func.count()).select_from(_awaiting_first(stmt).order_by(None).subquery()))
    rest = stmt.where(~_awaiting_stop(Complaint.id)).order_by(Complaint.id)
    return rows + list(db.session.scalars(rest.offset(max(offset - awaiting, 0)).limit(limit - len(rows))))


def _awaiting_stop(complaint_id, before: Deadline | None = None):
    """A clock of the complaint still awaiting its stop event (earlier than `before`, if given)."""
    clock = aliased(Deadline)
    condition = exists().where(clock.subject_type == Complaint.deadline_subject, clock.subject_id == complaint_id,
                               clock.stopped_at.is_(None))
    if before is not None:
        condition = condition.where(or_(clock.due < before.due, and_(clock.due == before.due, clock.id < before.id)))
    return condition


def _awaiting_first(stmt: Select) -> Select:
    clock = aliased(Deadline)
    return (stmt.join(clock, and_(clock.subject_type == Complaint.deadline_subject, clock.subject_id == Complaint.id,
                                  clock.stopped_at.is_(None)))
            .where(~_awaiting_stop(clock.subject_id, before=clock))
            .order_by(clock.due, clock.subject_id))


def next_deadline(complaint: Complaint) -> Deadline | None:
    """The clock the queue is sorted by: the earliest one still awaiting its stop event."""
    return min((d for d in complaint.deadlines if d.awaiting_stop), key=lambda d: d.due, default=None)


def next_due(complaint: Complaint):
    deadline = next_deadline(complaint)
    return deadline.due if deadline else None
