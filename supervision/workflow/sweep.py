"""The one deadline sweep (SPEC §3): marks due_soon and missed clocks of every kind of record,
sends reminders, and hands misses to the record's kind (escalation, notifications).

It selects only running clocks whose due date is near (index on state + due), never the
whole table. Each change is a compare-and-set UPDATE (`WHERE state = <what we read>`), so
when two scheduler processes sweep at once, each transition, escalation and notification
happens exactly once: the loser's UPDATE matches no row and it moves on.
"""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, not_, select, update

from supervision.audit import SYSTEM, record_event
from supervision.clock import local_date
from supervision.extensions import db
from supervision.workflow.deadlines import load_calendar
from supervision.workflow.models import RUNNING_CLOCK_STATES, ClockPolicy, Deadline
from supervision.workflow.subjects import paused_subject_ids, record_of, subject


@dataclass
class SweepResult:
    due_soon: int = 0
    missed: int = 0
    escalated: int = 0
    reminded: int = 0

    def __str__(self) -> str:
        text = f"{self.due_soon} due soon, {self.missed} missed, {self.escalated} escalated"
        return text + (f", {self.reminded} reminders" if self.reminded else "")


def _due_soon_limit(today: date) -> date:
    """The last due date that counts as due soon: ≤ N working days left [default N = 1]."""
    calendar, day = load_calendar(), today
    for _ in range(current_app.config["DUE_SOON_WORKING_DAYS"]):
        day = calendar.next_working_day(day)
    return day


def _not_paused():
    """Clocks of records that stand still (a complaint awaiting information) do not run."""
    return [not_(and_(Deadline.subject_type == type_, Deadline.subject_id.in_(ids)))
            for type_, ids in paused_subject_ids()]


def _candidates(soon_limit: date) -> list[tuple[int, str, int, str, date]]:
    """The running clocks due by the due-soon horizon (index on state + due), in no order."""
    stmt = (select(Deadline.id, Deadline.subject_type, Deadline.subject_id, Deadline.state, Deadline.due)
            .where(Deadline.state.in_(RUNNING_CLOCK_STATES), Deadline.due <= soon_limit, *_not_paused()))
    return [tuple(row) for row in db.session.execute(stmt)]


def _changes(today: date, soon_limit: date) -> list[tuple[int, str, int, str, date, str]]:
    """(id, subject type, subject id, state, due, new state) of the candidates whose state changes
    today, by due date then id. Most candidates are already due soon and stay so: only the few
    that change are sorted, here, which spares the database a sort of every candidate per run."""
    changes = [(*row, new) for row in _candidates(soon_limit)
               if (new := "missed" if row[4] < today else "due_soon") != row[3]]
    return sorted(changes, key=lambda change: (change[4], change[0]))


def _compare_and_set(deadline_id: int, expected: str, new: str, now: datetime) -> bool:
    values = {"state": new} | ({"escalated_at": now} if new == "missed" else {})
    result = db.session.execute(update(Deadline).where(Deadline.id == deadline_id, Deadline.state == expected)
                                .values(**values))
    return result.rowcount == 1


def sweep_deadlines(now: datetime) -> SweepResult:
    today = local_date(now)
    result = SweepResult()
    for deadline_id, subject_type, subject_id, state, due, new in _changes(today, _due_soon_limit(today)):
        kind = subject(subject_type)
        kind.lock(subject_id)  # the record before its deadline: the lock order of an action's flush
        if not _compare_and_set(deadline_id, state, new, now):
            db.session.rollback()  # another sweep got there first; release the lock
            continue
        deadline = db.session.get(Deadline, deadline_id)
        db.session.refresh(deadline)
        record = record_of(deadline)
        entity_type, entity_id = kind.audit_key(record)
        record_event(entity_type, entity_id, f"clock_{new}", SYSTEM, now,
                     before={"clock": deadline.clock, "state": state},
                     after={"clock": deadline.clock, "state": new, "due": due.isoformat()})
        if new == "missed":
            result.missed += 1
            result.escalated += kind.on_missed(deadline, record, now)
        else:
            result.due_soon += 1
        db.session.commit()  # one row per transaction: short locks, progress kept on a crash
    result.reminded = send_reminders(today, now)
    return result


def send_reminders(today: date, now: datetime) -> int:
    """Reminders N calendar days before the due date (ClockPolicy.reminder_days).

    Only clocks whose policy has reminders are read, and only those due within the longest
    reminder; the notification's dedupe key makes a second sweep send nothing new.
    """
    policies = {p.name: p.reminder_days for p in db.session.scalars(
        select(ClockPolicy).where(ClockPolicy.reminder_days.is_not(None))) if p.reminder_days}
    if not policies:
        return 0
    horizon = today + timedelta(days=max(max(days) for days in policies.values()))
    # In no order: each reminder stands alone (its own dedupe key), so none waits for another.
    stmt = select(Deadline).where(Deadline.clock.in_(policies), Deadline.state.in_(RUNNING_CLOCK_STATES),
                                  Deadline.due >= today, Deadline.due <= horizon, *_not_paused())
    sent = 0
    for deadline in db.session.scalars(stmt).all():
        days_left = (deadline.due - today).days
        due_reminders = [d for d in policies[deadline.clock] if d >= days_left]
        kind = subject(deadline.subject_type)
        if due_reminders and kind.on_reminder:
            # The nearest reminder that is due now; an earlier one missed by a stopped scheduler is not repeated.
            sent += bool(kind.on_reminder(deadline, record_of(deadline), min(due_reminders), now))
    db.session.commit()
    return sent



