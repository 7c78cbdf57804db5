"""The measured cases. Each returns Results whose ratio compares the application's code path with
the bare operation it cannot avoid (an indexed SELECT, one UPDATE + COMMIT, a date loop, one
INSERT), measured in the same run on the same database."""
from datetime import date, timedelta

from sqlalchemy import func, select, text, update

from benchmarks.dataset import NOW, TODAY
from benchmarks.timing import Result, Timed, against, interleaved_medians

RUNNING = ("pending", "due_soon")
OVERDUE = 200


def _models():
    from supervision.complaints.models import Complaint, Deadline
    from supervision.extensions import db

    return db, Complaint, Deadline


def _soon_limit() -> date:
    """The sweep's own horizon: the last due date that counts as due soon."""
    from flask import current_app

    from supervision.complaints.deadlines import load_calendar

    calendar, day = load_calendar(), TODAY
    for _ in range(current_app.config["DUE_SOON_WORKING_DAYS"]):
        day = calendar.next_working_day(day)
    return day


def uses_state_due_index(dialect: str) -> bool:
    """Whether the database answers the sweep's candidate query from ix_deadlines_state_due."""
    db, _, _ = _models()
    query = ("SELECT id FROM deadlines WHERE state IN ('pending', 'due_soon') "
             f"AND due <= '{_soon_limit().isoformat()}'")
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    plan = " ".join(str(row) for row in db.session.execute(text(prefix + query)))
    db.session.rollback()
    return "ix_deadlines_state_due" in plan


def sweep_nothing_due(name: str) -> list[Result]:
    """(a) The sweep over every complaint when nothing changes, against the bare indexed SELECT of the
    rows that can change (running clocks due by the horizon): target ≤ 2×."""
    from supervision.complaints.sweep import sweep_deadlines

    db, _, Deadline = _models()
    total = db.session.scalar(select(func.count()).select_from(Deadline))
    soon = _soon_limit()
    db.session.rollback()
    sweep_deadlines(NOW)  # settle: the generated clocks are as a sweep at NOW leaves them, give or take a day
    swept = sweep_deadlines(NOW)
    assert (swept.due_soon, swept.missed) == (0, 0), f"a second sweep should change nothing, got {swept}"

    def indexed():
        db.session.execute(select(Deadline.id).where(Deadline.state.in_(RUNNING), Deadline.due <= soon)).all()

    def full_scan():
        db.session.execute(select(Deadline.id, Deadline.state, Deadline.due)).all()

    rollback = db.session.rollback
    indexed_s, sweep_s, scan_s = interleaved_medians(
        [Timed(indexed, rollback), Timed(lambda: sweep_deadlines(NOW), rollback), Timed(full_scan, rollback)],
        15)
    bare = Result("bare indexed SELECT of running clocks due", name, total, indexed_s)
    sweep = Result("sweep, nothing due", name, total, sweep_s)
    scan = Result("full-table scan (fetch every clock)", name, total, scan_s)
    db.session.rollback()
    sweep_vs_scan = sweep.median_s / scan.median_s
    sweep.note = f"= {sweep_vs_scan:.3f} x full-table scan; target ≤ 2 x the indexed SELECT"
    sweep.summary_label = "sweep/SELECT"
    return [bare, against(sweep, bare), against(scan, bare)]


def sweep_overdue(name: str) -> list[Result]:
    """(b) The sweep with 200 overdue clocks: cost per transition (audit + escalation + outbox),
    against one compare-and-set UPDATE + COMMIT per row."""
    from supervision.complaints.sweep import sweep_deadlines
    from supervision.notifications.models import Notification

    db, Complaint, Deadline = _models()
    rows = db.session.execute(
        select(Deadline.id, Deadline.subject_id.label("complaint_id"), Deadline.due)
        .where(Deadline.clock == "answer", Deadline.state == "pending")
        .order_by(Deadline.id).limit(OVERDUE)).all()
    ids, complaint_ids = [r.id for r in rows], [r.complaint_id for r in rows]
    original_due = {r.id: r.due for r in rows}

    def make_overdue():
        db.session.rollback()
        db.session.execute(update(Deadline).where(Deadline.id.in_(ids))
                           .values(due=TODAY - timedelta(days=3), state="pending", escalated_at=None))
        db.session.execute(update(Complaint).where(Complaint.id.in_(complaint_ids)).values(escalation=None))
        db.session.execute(Notification.__table__.delete())
        db.session.commit()

    def sweep():
        result = sweep_deadlines(NOW)
        # A generated clock may share its complaint with another picked one: at most a few fewer.
        assert result.missed >= OVERDUE * 0.9, f"expected ~{OVERDUE} misses, got {result}"

    def bare_updates():
        for deadline_id in ids:
            db.session.execute(update(Deadline).where(Deadline.id == deadline_id, Deadline.state == "pending")
                               .values(state="missed"))
            db.session.commit()

    bare_s, sweep_s = interleaved_medians([Timed(bare_updates, make_overdue, OVERDUE),
                                           Timed(sweep, make_overdue, OVERDUE)], 3)
    bare = Result("bare UPDATE + COMMIT per overdue clock", name, OVERDUE, bare_s)
    sweep_row = Result("sweep, per missed clock (audit, escalation, outbox)", name, OVERDUE, sweep_s)
    for deadline_id, due in original_due.items():  # put the clocks back for the next case
        db.session.execute(update(Deadline).where(Deadline.id == deadline_id)
                           .values(due=due, state="pending"))
    db.session.commit()
    return [bare, against(sweep_row, bare)]


def working_day_calendar() -> list[Result]:
    """(c) 10 working days from each day of 2026 (to December): the calendar (official data, overrides,
    explanation) against a bare Monday–Friday loop and a bare loop over chinesecalendar."""
    import chinese_calendar

    from supervision.calendar import WorkingCalendar

    # Every other day to December: start + 10 working days stays inside 2026 (the official data).
    starts = [date(2026, 1, 1) + timedelta(days=i) for i in range(0, 330, 2)]

    def bare_weekdays():
        for start in starts:
            day, counted = start, 0
            while counted < 10:
                day += timedelta(days=1)
                counted += day.weekday() < 5

    def bare_official():
        for start in starts:
            day, counted = start, 0
            while counted < 10:
                day += timedelta(days=1)
                counted += chinese_calendar.is_workday(day)

    def cold():  # a fresh calendar per call, as each service call builds one (load_calendar)
        for start in starts:
            WorkingCalendar().add_working_days(start, 10)

    def warm():
        calendar = WorkingCalendar()
        for start in starts:
            calendar.add_working_days(start, 10)

    n = len(starts)
    medians = interleaved_medians([Timed(fn, per=n) for fn in (bare_weekdays, bare_official, cold, warm)], 7)
    bare, official, cold_row, warm_row = (
        Result(case, "-", n, seconds) for case, seconds in zip(
            ("bare Mon-Fri loop, 10 days", "bare loop over chinese_calendar.is_workday",
             "add_working_days(10), fresh calendar", "add_working_days(10), one calendar reused"),
            medians, strict=True))
    return [bare, against(official, bare), against(cold_row, bare), against(warm_row, bare)]


def _in_app(case):
    return lambda ctx: case(ctx.name)


CASES = [("(a) sweep over every complaint, nothing changes", _in_app(sweep_nothing_due)),
         (f"(b) sweep with {OVERDUE} overdue clocks", lambda ctx: [] if ctx.quick else sweep_overdue(ctx.name))]
