"""The three GROUP BY queries behind the complaint statistics: complaints, subscribers, clocks.

Each returns a few rows per operator × province (never one per complaint). A complaint counts
in the quarter of its receipt (`received_at`, China time) unless it was rejected (SPEC §8).
"""
from collections import defaultdict
from datetime import UTC, datetime, time

from sqlalchemy import case, func, select

from supervision.clock import local_tz
from supervision.complaints.models import Complaint, Deadline
from supervision.extensions import db
from supervision.operators.models import SubscriberCount
from supervision.statistics.rules import quarter_bounds

Cell = tuple[int, str]  # (operator_id, province)


def _received_in(period: str):
    """received_at inside the quarter in China time, as UTC bounds (the column stores UTC)."""
    start, end = quarter_bounds(period)
    tz = local_tz()
    start_utc = datetime.combine(start, time(), tz).astimezone(UTC)
    end_utc = datetime.combine(end, time(), tz).astimezone(UTC)
    return Complaint.received_at >= start_utc, Complaint.received_at < end_utc, Complaint.status != "rejected"


def _in_provinces(column, provinces: list[str] | None):
    return True if provinces is None else column.in_(provinces)


def complaint_counts(period: str, provinces: list[str] | None) -> dict[Cell, dict[str, int]]:
    """{(operator, province): {category: count}} for the quarter."""
    stmt = (select(Complaint.operator_id, Complaint.province, Complaint.category, func.count())
            .where(*_received_in(period), _in_provinces(Complaint.province, provinces))
            .group_by(Complaint.operator_id, Complaint.province, Complaint.category))
    counts: dict[Cell, dict[str, int]] = defaultdict(dict)
    for operator_id, province, category, n in db.session.execute(stmt):
        counts[(operator_id, province)][category] = n
    return dict(counts)


def subscriber_counts(period: str, provinces: list[str] | None) -> dict[Cell, int]:
    """{(operator, province): subscribers} stored for the quarter (the rate's denominator)."""
    stmt = (select(SubscriberCount.operator_id, SubscriberCount.province, SubscriberCount.subscribers)
            .where(SubscriberCount.quarter == period, _in_provinces(SubscriberCount.province, provinces)))
    return {(operator_id, province): subscribers for operator_id, province, subscribers in db.session.execute(stmt)}


def clock_outcomes(period: str, provinces: list[str] | None, clock: str) -> dict[Cell, tuple[int, int, int]]:
    """{(operator, province): (met, missed, running)} of `clock` for the quarter's complaints.

    The one place the statistics read the deadlines table: a clock met counts as in time, a
    missed one (answered late or still unanswered past its due date) as late, and a running one
    (pending / due soon) is not decided yet and counts as neither.
    """
    stmt = (select(Complaint.operator_id, Complaint.province,
                   func.sum(case((Deadline.state == "met", 1), else_=0)),
                   func.sum(case((Deadline.state == "missed", 1), else_=0)),
                   func.sum(case((Deadline.state.in_(("pending", "due_soon")), 1), else_=0)))
            .join(Deadline, (Deadline.subject_type == Complaint.deadline_subject) & (Deadline.subject_id == Complaint.id))
            .where(*_received_in(period), _in_provinces(Complaint.province, provinces), Deadline.clock == clock)
            .group_by(Complaint.operator_id, Complaint.province))
    return {(operator_id, province): (int(met), int(missed), int(running))
            for operator_id, province, met, missed, running in db.session.execute(stmt)}
