"""The one deadline sweep (SPEC §3) pinned where it reports, records and races: what it counts and
prints, what it writes on each record's audit trail, that it marks a clock once, works the most
overdue first, goes on after losing a record to a second scheduler, and reminds only running,
unpaused clocks that are not yet past due.

Clock: Thu 26 Nov 2026, 10:00 Shanghai unless a test moves it. Complaints filed then have their
acceptance clock due Thu 3 Dec (5 working days).
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

from supervision.audit import Actor, AuditEvent
from supervision.complaints.models import Complaint
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.notifications.models import Notification
from supervision.obligations.self_inspection import create_report
from supervision.workflow import sweep as sweep_module
from supervision.workflow.deadlines import fixed_due, load_calendar, start_clock
from supervision.workflow.models import ClockPolicy, Deadline
from supervision.workflow.sweep import SweepResult, sweep_deadlines
from tests.same_id import self_inspection_with_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(UTC)


def acceptance(complaint) -> Deadline:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id).deadline("acceptance")


@pytest.mark.parametrize(("result", "printed"), [
    (SweepResult(due_soon=2, missed=1, escalated=1), "2 due soon, 1 missed, 1 escalated"),
    (SweepResult(due_soon=0, missed=0, escalated=0, reminded=3), "0 due soon, 0 missed, 0 escalated, 3 reminders"),
])
def test_the_sweep_reports_what_it_did_in_one_line(result, printed):
    assert str(result) == printed


def test_each_clock_that_turns_is_counted(factory, clock):
    operator = factory.operator()
    first, _ = factory.complaint(operator)
    second, _ = factory.complaint(operator)
    clock.current = at("2026-12-02")  # Wed: only Thu 3 Dec left for both acceptance clocks
    assert (sweep_deadlines(clock.now()).due_soon, acceptance(first).state, acceptance(second).state) == (
        2, "due_soon", "due_soon")


def test_a_due_soon_clock_is_marked_once_not_at_every_sweep(factory, clock):
    complaint, _ = factory.complaint(factory.operator())
    clock.current = at("2026-12-02")
    assert sweep_deadlines(clock.now()).due_soon == 1
    clock.current = at("2026-12-02", 18)
    assert str(sweep_deadlines(clock.now())) == "0 due soon, 0 missed, 0 escalated"
    marks = [e for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "clock_due_soon"))]
    assert len(marks) == 1


def test_a_miss_is_written_on_the_records_trail_with_clock_state_and_due_date(factory, clock):
    complaint, _ = factory.complaint(factory.operator())
    clock.current = at("2026-12-02")
    sweep_deadlines(clock.now())
    clock.current = at("2026-12-04")
    sweep_deadlines(clock.now())
    missed = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_id == complaint.reference,
                                                         AuditEvent.action == "clock_missed")).one()
    assert (missed.before, missed.after) == ({"clock": "acceptance", "state": "due_soon"},
                                             {"clock": "acceptance", "state": "missed", "due": "2026-12-03"})
    assert acceptance(complaint).escalated_at.replace(tzinfo=UTC) == clock.now()


def test_a_due_soon_clock_carries_no_escalation_time(factory, clock):
    complaint, _ = factory.complaint(factory.operator())
    clock.current = at("2026-12-02")
    sweep_deadlines(clock.now())
    assert (acceptance(complaint).state, acceptance(complaint).escalated_at) == ("due_soon", None)


def test_the_most_overdue_clock_is_handled_first(factory, clock):
    """A crash mid-run leaves the oldest misses handled: the sweep works by due date, then by id."""
    operator = factory.operator()
    filed_first, _ = factory.complaint(operator)   # acceptance due 3 Dec
    filed_later, _ = factory.complaint(operator)
    earlier = filed_later.deadline("acceptance")
    earlier.due = D("2026-12-01")                  # a later row with an earlier due date
    db.session.commit()
    assert earlier.id > acceptance(filed_first).id
    clock.current = at("2026-12-07")
    sweep_deadlines(clock.now())
    order = db.session.scalars(select(AuditEvent.entity_id).where(AuditEvent.action == "clock_missed")
                               .order_by(AuditEvent.id)).all()
    assert order[:2] == [filed_later.reference, filed_first.reference]


def test_a_sweep_that_lost_one_record_to_another_scheduler_goes_on_with_the_rest(factory, clock, monkeypatch):
    operator = factory.operator()
    lost, _ = factory.complaint(operator)
    kept, _ = factory.complaint(operator)
    clock.current = at("2026-12-02")
    read = sweep_module._candidates

    def read_then_lose_the_first(*args):
        rows = read(*args)  # what this sweep read; then a second scheduler marks `lost` first
        db.session.execute(update(Deadline).where(Deadline.id == acceptance(lost).id).values(state="due_soon"))
        return rows

    monkeypatch.setattr(sweep_module, "_candidates", read_then_lose_the_first)
    result = sweep_deadlines(clock.now())
    assert result.due_soon == 1 and acceptance(kept).state == "due_soon"


def test_a_stale_compare_and_set_changes_nothing(factory, clock):
    complaint, _ = factory.complaint(factory.operator())
    deadline_id = acceptance(complaint).id
    assert sweep_module._compare_and_set(deadline_id, "due_soon", "missed", clock.now()) is False
    assert (acceptance(complaint).state, acceptance(complaint).escalated_at) == ("pending", None)


def test_a_paused_complaint_does_not_stop_another_kinds_clock_with_the_same_id(factory, clock):
    """Pausing is per record kind: a Zhejiang report whose id equals a paused complaint's id still runs."""
    complaint, _ = factory.complaint(factory.operator())
    perform(complaint, "request_info", {"note": "Send the bill"}, Actor.of(factory.officer("32")), factory.now)
    self_inspection_with_id(factory, complaint.id, province="33")
    report_clock = db.session.scalars(select(Deadline).where(Deadline.subject_type == "self_inspection")).one()
    clock.current = at(report_clock.due.isoformat())
    sweep_deadlines(clock.now())
    db.session.expire_all()
    assert db.session.get(Deadline, report_clock.id).state == "due_soon"
    assert acceptance(complaint).state == "pending"  # the complaint's own clocks stand still


# --- reminders ---------------------------------------------------------------------------------------

@pytest.fixture
def report_clocks(factory):
    """Self-inspection reports (reminded 15 and 3 days before their due date, [M 18]) of two operators,
    each with its clock set to a given due date."""
    made = []

    def make(due_on: str) -> Deadline:
        operator = factory.operator()
        report = create_report(factory.user("operator", operator=operator), "2026H2", factory.now)
        calendar = load_calendar()
        deadline = start_clock(report, "self_inspection_report", D("2026-11-26"), calendar,
                               due=fixed_due("self_inspection_report", D("2026-11-26"), D(due_on), calendar, "test"))
        db.session.commit()
        made.append(deadline)
        return deadline

    return make


def reminders_sent() -> list[str]:
    return db.session.scalars(select(Notification.dedupe_key).where(Notification.dedupe_key.like("%remind%"))
                              .order_by(Notification.id)).all()


def test_two_reminders_in_one_sweep_are_both_counted(report_clocks, clock):
    report_clocks("2026-12-21")
    report_clocks("2026-12-21")
    clock.current = at("2026-12-06")  # 15 days before
    assert sweep_deadlines(clock.now()).reminded == 2


def test_a_clock_due_today_still_gets_its_nearest_reminder(report_clocks, clock):
    """The scheduler was stopped over the reminder days: on the due day the nearest one goes out."""
    report_clocks("2026-12-21")
    clock.current = at("2026-12-21", 8)
    assert sweep_deadlines(clock.now()).reminded == 1


def test_a_clock_past_its_due_date_is_not_reminded(report_clocks, clock):
    report_clocks("2026-12-21")
    clock.current = at("2026-12-22")
    result = sweep_deadlines(clock.now())
    assert (result.reminded, result.missed) == (0, 1)


def test_a_clock_between_two_reminder_days_of_a_shorter_policy_is_left_alone(report_clocks, factory, clock):
    """A clock whose policy reminds only 3 days before is not reminded 10 days before, even though
    another policy (the reports' 15 days) makes the sweep look that far ahead."""
    db.session.execute(insert(ClockPolicy).values(
        name="short_reminder", length=0, unit="fixed", start_event="start", stop_event="stop",
        legal_source="test", owed_by="operator", reminder_days=[3]))
    try:
        deadline = report_clocks("2026-12-31")
        deadline.clock = "short_reminder"
        db.session.commit()
        clock.current = at("2026-12-21")   # 10 days before
        assert sweep_deadlines(clock.now()).reminded == 0
    finally:
        db.session.rollback()
        db.session.execute(Deadline.__table__.delete().where(Deadline.clock == "short_reminder"))
        db.session.execute(ClockPolicy.__table__.delete().where(ClockPolicy.name == "short_reminder"))
        db.session.commit()


def test_no_policy_with_reminders_means_no_reminder(factory, clock):
    saved = dict(db.session.execute(select(ClockPolicy.name, ClockPolicy.reminder_days)
                                    .where(ClockPolicy.reminder_days.is_not(None))).all())
    db.session.execute(update(ClockPolicy).values(reminder_days=None))
    db.session.commit()
    try:
        factory.complaint(factory.operator())
        assert sweep_deadlines(clock.now()).reminded == 0
    finally:
        for name, days in saved.items():
            db.session.execute(update(ClockPolicy).where(ClockPolicy.name == name).values(reminder_days=days))
        db.session.commit()


def test_a_paused_record_is_not_reminded(factory, clock, monkeypatch):
    """A complaint awaiting information stands still (SPEC §3): no reminder goes out for its clocks,
    should its kind ever remind (complaint clocks carry no reminders today, so one is lent here)."""
    import dataclasses

    from supervision.complaints.sweep import COMPLAINT_SUBJECT
    from supervision.workflow import subjects

    reminded = []
    monkeypatch.setitem(subjects._SUBJECTS, "complaint", dataclasses.replace(
        COMPLAINT_SUBJECT, on_reminder=lambda deadline, record, days, now: reminded.append(record.id) or True))
    db.session.execute(insert(ClockPolicy).values(
        name="reminded_test", length=0, unit="fixed", start_event="start", stop_event="stop",
        legal_source="test", owed_by="operator", reminder_days=[3]))
    try:
        complaint, _ = factory.complaint(factory.operator())
        calendar = load_calendar()
        start_clock(complaint, "reminded_test", D("2026-11-26"), calendar,
                    due=fixed_due("reminded_test", D("2026-11-26"), D("2026-12-10"), calendar, "test"))
        perform(complaint, "request_info", {"note": "Send the bill"}, Actor.of(factory.officer("32")), factory.now)
        db.session.commit()
        clock.current = at("2026-12-08")
        assert (sweep_deadlines(clock.now()).reminded, reminded) == (0, [])
    finally:
        db.session.rollback()
        db.session.execute(Deadline.__table__.delete().where(Deadline.clock == "reminded_test"))
        db.session.execute(ClockPolicy.__table__.delete().where(ClockPolicy.name == "reminded_test"))
        db.session.commit()
