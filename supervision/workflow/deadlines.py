"""Deadlines as data on any record (SPEC §3): start, stop, pause, fix and recompute.

The lengths, units and legal sources live in the `clock_policies` table; the working-day
calendar is China's official one plus the admin's overrides (supervision/calendar.py).
Every deadline stores the explanation of its computation so a person can read why it
falls where it does.
"""
from datetime import date, datetime

from sqlalchemy import select

from supervision.audit import Actor, record_event
from supervision.calendar import DueDate, WorkingCalendar
from supervision.extensions import db
from supervision.workflow.models import CalendarOverride, ClockPolicy, Deadline, HasDeadlines


def load_calendar() -> WorkingCalendar:
    overrides = {row.day: row.is_working_day for row in db.session.scalars(select(CalendarOverride))}
    return WorkingCalendar(overrides)


def load_policies(*names: str) -> list[ClockPolicy]:
    """Read several clock policies in one statement; while the caller holds the list, `policy`
    finds them in the session without a query each."""
    return db.session.scalars(select(ClockPolicy).where(ClockPolicy.name.in_(names))).all()


def policy(name: str) -> ClockPolicy:
    found = db.session.get(ClockPolicy, name)
    if found is None:
        raise LookupError(f"clock policy {name!r} missing: run the migrations")
    return found


def compute_due(clock: str, start: date, calendar: WorkingCalendar, paused_days: int = 0) -> DueDate:
    rule = policy(clock)
    return calendar.add(start, rule.length, rule.unit, extra_days=paused_days)


def fixed_due(clock: str, start: date, due: date, calendar: WorkingCalendar, reason: str) -> DueDate:
    """A due date set by a rule or a decision (15 July; an order's deadline), explained as such.

    The law's rule for periods still applies: a date that is not a working day moves to the
    next working day (期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期).
    """
    moved = due if calendar.is_working_day(due) else calendar.next_working_day(due)
    explanation = {"fixed": due.isoformat(), "reason": reason, "legal_source": policy(clock).legal_source}
    if moved != due:
        explanation["moved_to_next_working_day"] = moved.isoformat()
    return DueDate(start=start, length=0, unit="fixed", due=moved,
                   provisional=not calendar.covers(moved.year), explanation=explanation)


def start_clock(record: HasDeadlines, clock: str, start: date, calendar: WorkingCalendar,
                due: DueDate | None = None) -> Deadline:
    """(Re)start a clock on `record`; a given `due` (see `fixed_due`) replaces the policy's length."""
    due = due or compute_due(clock, start, calendar)
    deadline = record.deadline(clock)
    if deadline is None:
        deadline = Deadline(clock=clock, subject_type=record.deadline_subject)
        record.deadlines.append(deadline)
    deadline.started_on, deadline.due, deadline.state = start, due.due, "pending"
    deadline.provisional, deadline.explanation, deadline.paused_days = due.provisional, due.explanation, 0
    deadline.stopped_at, deadline.escalated_at = None, None
    return deadline


def stop_clock(record: HasDeadlines, clock: str, now: datetime, today: date) -> Deadline | None:
    """Stop a clock at its stop event: met if on or before its due date, else missed.

    A clock the sweep already marked missed still stops here (stopped_at records when the
    late answer came); it stays missed.
    """
    deadline = record.deadline(clock)
    if deadline is None or deadline.stopped_at is not None:
        return None
    if deadline.running:
        deadline.state = "met" if today <= deadline.due else "missed"
    deadline.stopped_at = now
    return deadline


def stop_all_clocks(record: HasDeadlines, now: datetime, today: date) -> None:
    for deadline in record.deadlines:
        stop_clock(record, deadline.clock, now, today)


def paused_length(deadline: Deadline, paused_from: date, resumed_on: date, calendar: WorkingCalendar) -> int:
    """The days a pause from `paused_from` to `resumed_on` adds to this clock, in its own unit."""
    if deadline.policy.unit == "working":
        return calendar.working_days_between(paused_from, resumed_on)
    return (resumed_on - paused_from).days


def extend_for_pause(record: HasDeadlines, paused_from: date, resumed_on: date,
                     calendar: WorkingCalendar) -> None:
    """The clocks stood still (awaiting information): move each running due date by the paused days."""
    for deadline in record.deadlines:
        if not deadline.running or deadline.policy.unit == "fixed":
            continue
        deadline.paused_days += paused_length(deadline, paused_from, resumed_on, calendar)
        _recompute(deadline, calendar)


def due_if_resumed(deadline: Deadline, paused_from: date, resumed_on: date, calendar: WorkingCalendar) -> DueDate:
    """Where a paused clock's due date moves if the information arrives on `resumed_on`:
    the same computation extend_for_pause will store then (pages show it while paused)."""
    extra = deadline.paused_days + paused_length(deadline, paused_from, resumed_on, calendar)
    return compute_due(deadline.clock, deadline.started_on, calendar, extra)


def _recompute(deadline: Deadline, calendar: WorkingCalendar) -> bool:
    if deadline.policy.unit == "fixed":
        fixed = date.fromisoformat(deadline.explanation["fixed"])
        due = fixed_due(deadline.clock, deadline.started_on, fixed, calendar, deadline.explanation.get("reason", ""))
    else:
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
    from supervision.workflow.subjects import audit_key_of

    calendar = load_calendar()
    # Clocks not yet stopped (missed ones included) whose period (started_on, due] contains `day`;
    # a fixed date moved past a holiday ends on the first working day after it, so `day` may be
    # the fixed date itself.
    stmt = (select(Deadline).where(Deadline.stopped_at.is_(None), Deadline.started_on < day, Deadline.due >= day)
            .order_by(Deadline.id))
    changed = 0
    for deadline in db.session.scalars(stmt):
        before = {"clock": deadline.clock, "due": deadline.due.isoformat(), "provisional": deadline.provisional}
        if _recompute(deadline, calendar):
            changed += 1
            entity_type, entity_id = audit_key_of(deadline)
            record_event(entity_type, entity_id, "deadline_recomputed", actor, now,
                         before=before, after={"clock": deadline.clock, "due": deadline.due.isoformat(),
                                               "provisional": deadline.provisional},
                         note=f"calendar override for {day.isoformat()}")
    return changed
