"""Complaint clocks as data (SPEC §3): start, stop, pause, resume and recompute deadlines.

The lengths, units and legal sources live in the `clock_policies` table; the working-day
calendar is China's official one plus the admin's overrides (supervision/calendar.py).
"""
from datetime import date, datetime

from sqlalchemy import select

from supervision.audit import Actor, record_event
from supervision.calendar import DueDate, WorkingCalendar
from supervision.complaints.models import (
    CalendarOverride,
    ClockPolicy,
    Complaint,
    Deadline,
)
from supervision.extensions import db

ACCEPTANCE, ANSWER, OPERATOR_REPLY, SUPERVISION_REPORT, OPERATOR_PRECONDITION = (
    "acceptance", "answer", "operator_reply", "supervision_report", "operator_precondition")


def load_calendar() -> WorkingCalendar:
    overrides = {row.day: row.is_working_day for row in db.session.scalars(select(CalendarOverride))}
    return WorkingCalendar(overrides)


def policy(name: str) -> ClockPolicy:
    found = db.session.get(ClockPolicy, name)
    if found is None:
        raise LookupError(f"clock policy {name!r} missing: run the migrations")
    return found


def compute_due(clock: str, start: date, calendar: WorkingCalendar, paused_days: int = 0) -> DueDate:
    rule = policy(clock)
    return calendar.add(start, rule.length, rule.unit, extra_days=paused_days)


def start_clock(complaint: Complaint, clock: str, start: date, calendar: WorkingCalendar) -> Deadline:
    """(Re)start a clock; re-supervision restarts the supervision report clock."""
    due = compute_due(clock, start, calendar)
    deadline = complaint.deadline(clock)
    if deadline is None:
        deadline = Deadline(clock=clock)
        complaint.deadlines.append(deadline)
    deadline.started_on, deadline.due, deadline.state = start, due.due, "pending"
    deadline.provisional, deadline.explanation, deadline.paused_days = due.provisional, due.explanation, 0
    deadline.stopped_at, deadline.escalated_at = None, None
    return deadline


def stop_clock(complaint: Complaint, clock: str, now: datetime, today: date) -> Deadline | None:
    """Stop a clock at its stop event: met if on or before its due date, else missed.

    A clock the sweep already marked missed still stops here (stopped_at records when the
    late answer came); it stays missed.
    """
    deadline = complaint.deadline(clock)
    if deadline is None or deadline.stopped_at is not None:
        return None
    if deadline.running:
        deadline.state = "met" if today <= deadline.due else "missed"
    deadline.stopped_at = now
    return deadline


def stop_all_clocks(complaint: Complaint, now: datetime, today: date) -> None:
    for deadline in complaint.deadlines:
        stop_clock(complaint, deadline.clock, now, today)


def extend_for_pause(complaint: Complaint, paused_from: date, resumed_on: date,
                     calendar: WorkingCalendar) -> None:
    """awaiting_info stopped the clocks: move each running due date by the paused days."""
    for deadline in complaint.deadlines:
        if not deadline.running:
            continue
        deadline.paused_days += paused_length(deadline, paused_from, resumed_on, calendar)
        _recompute(deadline, calendar)


def paused_length(deadline: Deadline, paused_from: date, resumed_on: date, calendar: WorkingCalendar) -> int:
    """The days a pause lasted, in the clock's own unit (working or calendar days)."""
    if deadline.policy.unit == "working":
        return calendar.working_days_between(paused_from, resumed_on)
    return (resumed_on - paused_from).days


def due_if_resumed(deadline: Deadline, paused_from: date, resumed_on: date, calendar: WorkingCalendar) -> DueDate:
    """Where a paused clock's due date moves if the information arrives on `resumed_on`:
    the same computation extend_for_pause will store then (pages show it while paused)."""
    extra = deadline.paused_days + paused_length(deadline, paused_from, resumed_on, calendar)
    return compute_due(deadline.clock, deadline.started_on, calendar, extra)


def _recompute(deadline: Deadline, calendar: WorkingCalendar) -> bool:
    due = compute_due(deadline.clock, deadline.started_on, calendar, deadline.paused_days)
    changed = (due.due, due.provisional) != (deadline.due, deadline.provisional)
    deadline.due, deadline.provisional, deadline.explanation = due.due, due.provisional, due.explanation
    if changed and deadline.state in ("due_soon", "missed") and deadline.stopped_at is None:
        # Still running (a missed clock keeps running until its stop event): the next sweep
        # judges it again against the new date; an escalation already made stays on record.
        deadline.state = "pending"
    return changed


def recompute_after_override(day: date, actor: Actor, now: datetime) -> int:
    """An override changed `day`: recompute the running deadlines whose period covers it."""
    calendar = load_calendar()
    # Clocks not yet stopped (missed ones included) whose period (started_on, due] contains `day`.
    stmt = (select(Deadline).where(Deadline.stopped_at.is_(None), Deadline.started_on < day, Deadline.due >= day)
            .order_by(Deadline.id))
    changed = 0
    for deadline in db.session.scalars(stmt):
        before = {"clock": deadline.clock, "due": deadline.due.isoformat(), "provisional": deadline.provisional}
        if _recompute(deadline, calendar):
            changed += 1
            record_event("complaint", deadline.complaint.reference, "deadline_recomputed", actor, now,
                         before=before, after={"clock": deadline.clock, "due": deadline.due.isoformat(),
                                               "provisional": deadline.provisional},
                         note=f"calendar override for {day.isoformat()}")
    return changed
