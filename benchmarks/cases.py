"""The measured cases. Each returns Results whose ratio compares the application's code path with
the bare operation it cannot avoid (an indexed SELECT, one UPDATE + COMMIT, a date loop, one
INSERT), measured in the same run on the same database."""
from datetime import date, timedelta

from sqlalchemy import func, insert, select, text, update

from benchmarks.dataset import NOW, PROVINCE, TODAY, complaint_row
from benchmarks.timing import Result, Timed, against, interleaved_medians

RUNNING = ("pending", "due_soon")
OVERDUE = 200
INTAKE_ROUNDS = 7  # argon2 at its default cost takes ~0.1–0.5 s a hash: keep the run short


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
    """(a) The sweep when no clock is near its due date, against the SELECT it is built on."""
    from supervision.complaints.sweep import sweep_deadlines

    db, _, Deadline = _models()
    total = db.session.scalar(select(func.count()).select_from(Deadline))
    soon = _soon_limit()
    db.session.rollback()
    swept = sweep_deadlines(NOW)
    assert (swept.due_soon, swept.missed) == (0, 0), f"dataset should have nothing due, got {swept}"

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
    sweep.note = f"= {sweep_vs_scan:.3f} x full-table scan"
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
        assert result.missed == OVERDUE, f"expected {OVERDUE} misses, got {result}"

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


def _in_context(app, fn, *args):
    with app.app_context():
        return fn(*args)


def _intake_body(operator_id: int) -> dict:
    return {"operator_id": operator_id, "province": PROVINCE, "category": "network", "subcategory": "speed",
            "description": "Broadband drops every evening since last month.", "request": "repair the line",
            "operator_complaint_date": (TODAY - timedelta(days=20)).isoformat(),
            "operator_answer": "dissatisfied",
            "event_date": (TODAY - timedelta(days=30)).isoformat(),
            "complainant": {"name": "基准", "phone": "13800000000"}}


def _argon2_cost(app, cost: tuple[int, int]):
    """An untimed setup step that sets the argon2 (time, memory) cost the next hash will use."""
    def apply():
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"] = cost
    return apply


def public_intake(app, name: str, operator_id: int) -> list[Result]:
    """(d) POST /api/v1/complaints through the WSGI stack against one bare INSERT; the argon2
    hash of the access code is measured on its own to show where the time goes.

    Runs outside any app context: each request then gets its own, as under a real server
    (sharing one would keep the request's session, and SQLite's write lock, open afterwards).
    """
    from supervision.access.passwords import hash_secret
    from supervision.config import TestConfig

    db, Complaint, _ = _models()
    with app.app_context():
        engine = db.engine
    client, body = app.test_client(), _intake_body(operator_id)
    counter = iter(range(10**6, 2 * 10**6))

    def post():
        response = client.post("/api/v1/complaints", json=body)
        assert response.status_code == 201, response.get_json()

    def bare_insert():
        with engine.begin() as conn:
            conn.execute(insert(Complaint.__table__), complaint_row(next(counter), operator_id, "x"))

    default = _argon2_cost(app, (app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"]))
    cheap = _argon2_cost(app, (TestConfig.ARGON2_TIME_COST, TestConfig.ARGON2_MEMORY_COST))
    entries = [Timed(bare_insert), Timed(post, default),
               Timed(lambda: _in_context(app, hash_secret, "ABCDEFGHJK"), default), Timed(post, cheap)]
    try:
        medians = interleaved_medians(entries, INTAKE_ROUNDS)
    finally:
        default()
    cases = ("bare INSERT of one complaint row + COMMIT", "public intake via WSGI (argon2 default cost)",
             "argon2 hash of the access code alone", "public intake via WSGI (argon2 test cost)")
    bare, full, argon, cheap_row = (Result(case, name, INTAKE_ROUNDS, seconds)
                                    for case, seconds in zip(cases, medians, strict=True))
    full.note = f"argon2 alone = {argon.median_s / full.median_s:.0%} of this median"
    return [bare, against(full, bare), against(argon, bare), against(cheap_row, bare)]
