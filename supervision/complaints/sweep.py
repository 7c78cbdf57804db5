"""The deadline sweep (SPEC §3): marks due_soon and missed clocks and escalates misses.

It selects only running clocks whose due date is near (index on state + due), never the
whole table. Each change is a compare-and-set UPDATE (`WHERE state = <what we read>`), so
when two scheduler processes sweep at once, each transition, escalation and notification
happens exactly once: the loser's UPDATE matches no row and it moves on.
"""
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, update

from supervision.audit import SYSTEM, record_event
from supervision.clock import local_date
from supervision.complaints.deadlines import load_calendar
from supervision.complaints.models import Complaint, Deadline, lock_complaint
from supervision.extensions import db
from supervision.notifications.outbox import notify_officers


@dataclass
class SweepResult:
    due_soon: int = 0
    missed: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return f"{self.due_soon} due soon, {self.missed} missed, {self.escalated} escalated"


def _due_soon_limit(today: date) -> date:
    """The last due date that counts as due soon: ≤ N working days left [default N = 1]."""
    calendar, day = load_calendar(), today
    for _ in range(current_app.config["DUE_SOON_WORKING_DAYS"]):
        day = calendar.next_working_day(day)
    return day


def _candidates(today: date, soon_limit: date) -> list[tuple[int, int, str, date]]:
    stmt = (select(Deadline.id, Deadline.complaint_id, Deadline.state, Deadline.due)
            .join(Complaint, Complaint.id == Deadline.complaint_id)
            .where(Deadline.state.in_(("pending", "due_soon")), Deadline.due <= soon_limit,
                   Complaint.status != "awaiting_info")  # paused clocks do not run
            .order_by(Deadline.due, Deadline.id))
    return [(row.id, row.complaint_id, row.state, row.due) for row in db.session.execute(stmt)]


def _compare_and_set(deadline_id: int, expected: str, new: str, now: datetime) -> bool:
    values = {"state": new} | ({"escalated_at": now} if new == "missed" else {})
    result = db.session.execute(update(Deadline).where(Deadline.id == deadline_id, Deadline.state == expected)
                                .values(**values))
    return result.rowcount == 1


def sweep_deadlines(now: datetime) -> SweepResult:
    today = local_date(now)
    result = SweepResult()
    for deadline_id, complaint_id, state, due in _candidates(today, _due_soon_limit(today)):
        new = "missed" if due < today else "due_soon"
        if new == state:
            continue
        lock_complaint(complaint_id)  # Complaint before Deadline: the lock order of an action's flush
        if not _compare_and_set(deadline_id, state, new, now):
            db.session.rollback()  # another sweep got there first; release the lock
            continue
        deadline = db.session.get(Deadline, deadline_id)
        db.session.refresh(deadline)
        record_event("complaint", deadline.complaint.reference, f"clock_{new}", SYSTEM, now,
                     before={"clock": deadline.clock, "state": state},
                     after={"clock": deadline.clock, "state": new, "due": due.isoformat()})
        if new == "missed":
            result.missed += 1
            result.escalated += _escalate(deadline, now)
        else:
            result.due_soon += 1
        db.session.commit()  # one row per transaction: short locks, progress kept on a crash
    return result


def _escalate(deadline: Deadline, now: datetime) -> int:
    """Operator miss → the officers' queue; authority miss → the head's queue."""
    complaint = deadline.complaint
    level = "officer" if deadline.policy.owed_by == "operator" else "head"
    if complaint.escalation == "head" or complaint.escalation == level:
        return 0
    before = complaint.escalation
    complaint.escalation = level
    record_event("complaint", complaint.reference, "escalate", SYSTEM, now,
                 before={"escalation": before}, after={"escalation": level},
                 note=f"{deadline.clock} deadline {deadline.due.isoformat()} missed")
    notify_officers(complaint, f"[{complaint.reference}] {deadline.clock} deadline missed",
                    f"The {deadline.clock.replace('_', ' ')} deadline of complaint {complaint.reference} "
                    f"({deadline.due.isoformat()}) was missed; it is escalated to the {level} queue.",
                    now, heads_only=(level == "head"), key=f"escalation:{complaint.reference}:{deadline.clock}")
    return 1
