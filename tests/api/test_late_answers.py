"""Clocks the sweep marked missed keep waiting for the late answer (SPEC §3)."""
from datetime import UTC, date, datetime, timedelta

from supervision.audit import Actor, events_of
from supervision.complaints.calendar_admin import set_override
from supervision.complaints.sweep import sweep_deadlines
from supervision.complaints.transitions import perform
from supervision.extensions import db


def shanghai_morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Shanghai


def transferred_and_supervised(factory, clock):
    operator = factory.operator()
    officer, staff = factory.officer("32"), factory.user("operator", operator=operator)
    complaint, _ = factory.complaint(operator)
    for action in ("accept", "transfer", "supervise"):
        perform(complaint, action, {}, Actor.of(officer), clock.now())
    db.session.commit()
    return complaint, staff


def test_a_late_supervision_report_is_still_accepted_and_stays_missed(factory, clock):
    complaint, staff = transferred_and_supervised(factory, clock)
    report_due = complaint.deadline("supervision_report").due
    clock.current = shanghai_morning(report_due + timedelta(days=1))
    sweep_deadlines(clock.now())
    db.session.commit()
    assert complaint.deadline("supervision_report").state == "missed"
    assert complaint.escalation == "officer"

    perform(complaint, "supervision_report", {"report": "Base station repaired on the 3rd."},
            Actor.of(staff), clock.now())
    db.session.commit()
    deadline = complaint.deadline("supervision_report")
    assert deadline.state == "missed" and deadline.stopped_at == clock.now()
    assert events_of("complaint", complaint.reference)[-1].action == "supervision_report"


def test_an_override_that_moves_a_missed_due_date_later_reopens_the_clock(factory, clock):
    complaint, _ = transferred_and_supervised(factory, clock)
    due = complaint.deadline("operator_reply").due            # 2026-12-10 (10 working days)
    clock.current = shanghai_morning(due + timedelta(days=1))
    sweep_deadlines(clock.now())
    db.session.commit()
    assert complaint.deadline("operator_reply").state == "missed"

    # The regulator declares a day off inside the period: the reply is due one working day later.
    admin = factory.admin()
    _, changed = set_override(date(2026, 12, 1), False, "provincial notice (test)", admin, clock.now())
    db.session.commit()
    deadline = complaint.deadline("operator_reply")
    assert changed >= 1 and deadline.due == date(2026, 12, 11) and deadline.state == "pending"
    sweep_deadlines(clock.now())   # today is 2026-12-11: due today, so due soon, not missed
    db.session.commit()
    assert complaint.deadline("operator_reply").state == "due_soon"


def test_the_actions_offered_are_exactly_those_that_succeed(factory, clock):
    from supervision.complaints.transitions import OPERATOR, allowed_actions

    operator = factory.operator()
    officer, staff = factory.officer("32"), factory.user("operator", operator=operator)
    complaint, _ = factory.complaint(operator)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), clock.now())
    assert "supervision_report" not in allowed_actions(complaint, OPERATOR)   # nothing supervised yet
    perform(complaint, "supervise", {}, Actor.of(officer), clock.now())
    assert "supervision_report" in allowed_actions(complaint, OPERATOR)
    assert "supervise" not in allowed_actions(complaint, "officer")          # its report is still awaited
    perform(complaint, "supervision_report", {"report": "Fixed."}, Actor.of(staff), clock.now())
    assert "supervision_report" not in allowed_actions(complaint, OPERATOR)
    assert "supervise" in allowed_actions(complaint, "officer")              # may be supervised again
    db.session.commit()
