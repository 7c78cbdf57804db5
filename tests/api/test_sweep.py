"""The deadline sweep (SPEC §3): due_soon, missed, escalation, notifications, idempotence, and a
query that reads only the rows that can change.

Clock: FixedClock; dates worked out by hand from the 2026 State Council notice.
"""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event, func, select

from supervision.audit import AuditEvent, events_of, verify_chain
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.sweep import sweep_deadlines
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.notifications.models import Notification
from supervision.workflow import sweep as sweep_module

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


def officer_act(factory, officer, complaint, action, **params):
    from supervision.audit import Actor

    perform(complaint, action, params, Actor.of(officer), factory.now)
    db.session.commit()


def state(complaint, clock_name) -> str:
    db.session.expire_all()
    return db.session.get(Complaint, complaint.id).deadline(clock_name).state


def escalation_messages() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Notification.recipient_user_id, Notification.subject)
                              .where(Notification.dedupe_key.like("escalation:%"))
                              .order_by(Notification.recipient_user_id))
    return [tuple(r) for r in rows]


@pytest.mark.parametrize(("today", "expected"), [
    (at(2026, 12, 1), "pending"),       # Tue: Wed 2 and Thu 3 left → 2 working days
    (at(2026, 12, 2), "due_soon"),      # Wed: only Thu 3 left
    (at(2026, 12, 3, 23), "due_soon"),  # the due day itself, late evening: not yet missed
    (at(2026, 12, 4, 0), "missed"),     # Fri 00:00 in Shanghai: the period is over
])
def test_acceptance_clock_states_as_days_pass(factory, clock, today, expected):
    complaint, _ = factory.complaint(factory.operator())  # acceptance due Thu 3 Dec
    clock.current = today
    sweep_deadlines(clock.now())
    assert state(complaint, "acceptance") == expected
    assert state(complaint, "answer") == "pending"


def test_friday_before_a_monday_deadline_is_due_soon(factory, clock):
    # Filed Mon 23 Nov: Tue 24, Wed 25, Thu 26, Fri 27, Mon 30 → due Mon 30 Nov.
    clock.current = at(2026, 11, 23)
    complaint, _ = factory.complaint(factory.operator(), event_date="2026-10-01",
                                     operator_complaint_date="2026-10-20")
    assert complaint.deadline("acceptance").due.isoformat() == "2026-11-30"
    clock.current = at(2026, 11, 26)  # Thursday: Fri and Mon left
    sweep_deadlines(clock.now())
    assert state(complaint, "acceptance") == "pending"
    clock.current = at(2026, 11, 27)  # Friday: the weekend does not count, only Monday is left
    result = sweep_deadlines(clock.now())
    assert state(complaint, "acceptance") == "due_soon"
    assert (result.due_soon, result.missed) == (1, 0)
    assert [e.action for e in events_of("complaint", complaint.reference)][-1] == "clock_due_soon"


def test_an_operator_miss_escalates_to_the_officers_queue(factory, clock):
    officer = factory.officer("32")
    head = factory.officer("32", head=True)
    factory.officer("44")  # another province: not told
    operator = factory.operator()
    complaint, _ = factory.complaint(operator)
    officer_act(factory, officer, complaint, "accept")
    officer_act(factory, officer, complaint, "transfer")  # operator reply due Thu 10 Dec
    clock.current = at(2026, 12, 11)
    result = sweep_deadlines(clock.now())
    assert (result.missed, result.escalated) == (1, 1)
    assert state(complaint, "operator_reply") == "missed"
    assert db.session.get(Complaint, complaint.id).escalation == "officer"
    subject = f"[{complaint.reference}] operator_reply deadline missed"
    assert escalation_messages() == [(officer.id, subject), (head.id, subject)]
    actions = [e.action for e in events_of("complaint", complaint.reference)]
    assert actions[-2:] == ["clock_missed", "escalate"]


def test_an_authority_miss_escalates_to_the_head_only(factory, clock):
    officer = factory.officer("32")
    head = factory.officer("32", head=True)
    complaint, _ = factory.complaint(factory.operator())
    clock.current = at(2026, 12, 4)  # acceptance was due Thu 3 Dec
    sweep_deadlines(clock.now())
    record = db.session.get(Complaint, complaint.id)
    assert (record.escalation, state(complaint, "acceptance")) == ("head", "missed")
    assert [user for user, _ in escalation_messages()] == [head.id]
    assert officer.id not in [user for user, _ in escalation_messages()]
    # The officers' queue can filter the head's escalations.
    response = factory_client_get(factory, head, "/api/v1/complaints?escalation=head")
    assert [item["reference"] for item in response["items"]] == [complaint.reference]


def factory_client_get(factory, user, url):
    from flask import current_app

    response = current_app.test_client().get(url, headers=factory.headers(user))
    assert response.status_code == 200, response.json
    return response.json


def test_sweeping_twice_changes_nothing_the_second_time(factory, clock):
    factory.officer("32", head=True)
    complaint, _ = factory.complaint(factory.operator())
    clock.current = at(2026, 12, 4)
    first = sweep_deadlines(clock.now())
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    messages = db.session.scalar(select(func.count()).select_from(Notification))
    second = sweep_deadlines(clock.now())
    clock.current = at(2026, 12, 7)
    third = sweep_deadlines(clock.now())
    assert (first.missed, second.missed, second.due_soon, third.missed) == (1, 0, 0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    assert db.session.scalar(select(func.count()).select_from(Notification)) == messages
    assert list(verify_chain())[-1][1] is None


def test_a_paused_clock_is_not_marked(factory, clock):
    officer = factory.officer("32")
    complaint, _ = factory.complaint(factory.operator())
    officer_act(factory, officer, complaint, "request_info", note="Send the bill")
    clock.current = at(2026, 12, 10)
    assert str(sweep_deadlines(clock.now())) == "0 due soon, 0 missed, 0 escalated"
    assert state(complaint, "acceptance") == "pending"
    assert db.session.get(Complaint, complaint.id).escalation is None


def test_a_clock_met_in_time_is_never_marked(factory, clock):
    officer = factory.officer("32")
    complaint, _ = factory.complaint(factory.operator())
    officer_act(factory, officer, complaint, "accept")
    clock.current = at(2026, 12, 7)
    sweep_deadlines(clock.now())
    assert state(complaint, "acceptance") == "met"


def test_the_sweep_reads_only_running_near_due_rows(app, factory, clock):
    officer = factory.officer("32")
    operator = factory.operator()
    for _ in range(6):  # stopped clocks: met and missed rows that must not be read
        done, _ = factory.complaint(operator)
        officer_act(factory, officer, done, "accept")
        officer_act(factory, officer, done, "close", outcome="resolved")
    near, _ = factory.complaint(operator)  # filed 26 Nov: acceptance due Thu 3 Dec
    clock.current = at(2026, 12, 7)
    for _ in range(3):  # filed Mon 7 Dec: acceptance due Mon 14 Dec, answer 6 Jan
        factory.complaint(operator)
    clock.current = at(2026, 12, 8)
    statements, read = [], []
    original = sweep_module._candidates

    def counting(*args):
        rows = original(*args)
        read.extend(rows)
        return rows

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        sweep_module._candidates = counting
        sweep_deadlines(clock.now())
    finally:
        sweep_module._candidates = original
        event.remove(engine, "before_cursor_execute", capture)
    total = db.session.scalar(select(func.count()).select_from(Deadline))
    assert total == 6 * 2 + 3 * 2 + 2
    # Of 20 clocks only one is running and near: `near`'s acceptance clock (past due). Its answer
    # clock (28 Dec) and the later complaints' clocks are running but not near: not even read.
    assert [row[0] for row in read] == [near.deadline("acceptance").id]
    select_deadlines = [s for s in statements if s.lstrip().upper().startswith("SELECT")
                        and "FROM deadlines" in s]
    assert select_deadlines, statements
    scan = select_deadlines[0]
    assert "deadlines.state IN" in scan and "deadlines.due <=" in scan
