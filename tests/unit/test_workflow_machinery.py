"""The shared workflow machinery (supervision/workflow/): fixed-date deadlines with their
explanation, reminders by the one sweep, the "what is due" view across kinds and scope, and
the step table's 403 for a person a step refuses (four-eyes)."""
import dataclasses
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from supervision.audit import SYSTEM, Actor, events_of
from supervision.calendar import WorkingCalendar, describe
from supervision.complaints.models import Complaint
from supervision.complaints.sweep import COMPLAINT_SUBJECT
from supervision.errors import Forbidden
from supervision.extensions import db
from supervision.findings import services as findings
from supervision.workflow import steps, subjects
from supervision.workflow.deadlines import (
    extend_for_pause,
    fixed_due,
    load_calendar,
    recompute_after_override,
    start_clock,
    stop_clock,
)
from supervision.workflow.due import due_items
from supervision.workflow.models import CalendarOverride, ClockPolicy, Deadline
from supervision.workflow.sweep import sweep_deadlines

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = date.fromisoformat


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def fixed_policy(ctx):
    """A fixed-date clock owed by the operator, reminded 15 and 3 days before (like the H1 report)."""
    db.session.execute(insert(ClockPolicy).values(
        name="test_report", length=0, unit="fixed", start_event="period start", stop_event="filed",
        legal_source="[M 18] test report", owed_by="operator", reminder_days=[15, 3]))
    db.session.commit()
    yield "test_report"
    db.session.execute(Deadline.__table__.delete().where(Deadline.clock == "test_report"))
    db.session.execute(ClockPolicy.__table__.delete().where(ClockPolicy.name == "test_report"))
    db.session.commit()


def test_a_fixed_date_on_a_working_day_is_the_due_date(fixed_policy, ctx):
    due = fixed_due(fixed_policy, D("2026-07-01"), D("2026-07-15"), WorkingCalendar(), "H1 report due 15 July")
    assert due.due == D("2026-07-15") and not due.provisional
    assert due.explanation == {"fixed": "2026-07-15", "reason": "H1 report due 15 July",
                               "legal_source": "[M 18] test report"}
    assert "2026-07-15" in describe(due, "en") and "H1 report due 15 July" in describe(due, "en")


def test_a_fixed_date_on_a_rest_day_moves_to_the_next_working_day(fixed_policy, ctx):
    """期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间届满的日期."""
    due = fixed_due(fixed_policy, D("2026-07-01"), D("2026-07-18"), WorkingCalendar(), "set by order")
    assert due.due == D("2026-07-20")  # Saturday 18 → Monday 20
    assert due.explanation["moved_to_next_working_day"] == "2026-07-20"
    assert "顺延" in describe(due, "zh") and "next working day" in describe(due, "en")


def test_a_fixed_date_in_a_year_without_a_published_schedule_is_provisional(fixed_policy, ctx):
    due = fixed_due(fixed_policy, D("2027-12-01"), D("2028-01-14"), WorkingCalendar(), "H2 report")
    assert due.provisional


def _complaint_with_fixed_clock(factory, policy: str, due_on: str) -> Complaint:
    complaint, _ = factory.complaint(factory.operator())
    calendar = load_calendar()
    start = D("2026-11-26")
    start_clock(complaint, policy, start, calendar, due=fixed_due(policy, start, D(due_on), calendar, "test"))
    db.session.commit()
    return complaint


@pytest.fixture
def reminders(monkeypatch):
    """Record the reminders the sweep hands to the complaint kind."""
    sent: list[tuple[str, int]] = []

    def remind(deadline, record, days_before, now):
        key = (record.reference, days_before)
        if key in sent:
            return False
        sent.append(key)
        return True

    monkeypatch.setitem(subjects._SUBJECTS, "complaint", dataclasses.replace(COMPLAINT_SUBJECT, on_reminder=remind))
    return sent


def test_reminders_go_out_15_and_3_days_before_and_only_once(fixed_policy, factory, clock, reminders):
    complaint = _complaint_with_fixed_clock(factory, fixed_policy, "2026-12-31")
    clock.current = at("2026-12-15")   # 16 days before: nothing yet
    assert sweep_deadlines(clock.now()).reminded == 0
    clock.current = at("2026-12-16")   # 15 days before
    assert sweep_deadlines(clock.now()).reminded == 1
    assert sweep_deadlines(clock.now()).reminded == 0     # a second sweep sends nothing new
    clock.current = at("2026-12-28")   # 3 days before
    sweep_deadlines(clock.now())
    assert reminders == [(complaint.reference, 15), (complaint.reference, 3)]


def test_a_stopped_clock_is_not_reminded(fixed_policy, factory, clock, reminders):
    complaint = _complaint_with_fixed_clock(factory, fixed_policy, "2026-12-31")
    stop_clock(complaint, fixed_policy, factory.now, D("2026-11-27"))
    db.session.commit()
    clock.current = at("2026-12-28")
    sweep_deadlines(clock.now())
    assert reminders == []


def test_the_sweep_marks_a_fixed_clock_missed_on_its_own_chain(fixed_policy, factory, clock):
    complaint = _complaint_with_fixed_clock(factory, fixed_policy, "2026-12-01")
    clock.current = at("2026-12-02")
    result = sweep_deadlines(clock.now())
    assert result.missed >= 1
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).deadline(fixed_policy).state == "missed"
    missed = [e for e in events_of("complaint", complaint.reference) if e.action == "clock_missed"]
    assert {e.after["clock"] for e in missed} >= {fixed_policy}


def test_what_is_due_lists_only_the_officers_jurisdiction_nearest_first(factory, clock):
    jiangsu, zhejiang = factory.operator(province="32"), factory.operator(province="33")
    clock.current = at("2026-11-26")
    early, _ = factory.complaint(jiangsu)
    clock.current = at("2026-11-27")
    late, _ = factory.complaint(jiangsu)
    elsewhere, _ = factory.complaint(zhejiang, province="33")
    officer = factory.officer("32")
    items = due_items(officer, D("2026-11-26"), limit=100)
    assert {i.label for i in items} == {early.reference, late.reference}
    assert [i.due for i in items] == sorted(i.due for i in items)
    assert items[0].label == early.reference and items[0].clock == "acceptance"
    assert items[0].endpoint == "officer.complaint_detail" and items[0].url_args == {"reference": early.reference}
    assert not any(i.overdue for i in items)
    # acceptance was due 3 Dec
    assert [i.overdue for i in due_items(officer, D("2026-12-04"), limit=100)][:1] == [True]
    assert elsewhere.reference in {i.label for i in due_items(factory.officer("33"), D("2026-11-26"), limit=100)}
    national = {i.label for i in due_items(factory.officer("CN"), D("2026-11-26"), limit=100)}
    assert {early.reference, late.reference, elsewhere.reference} <= national


def test_what_is_due_leaves_out_stopped_clocks(factory):
    complaint, _ = factory.complaint(factory.operator())
    officer = factory.officer("32")
    from supervision.complaints.transitions import perform

    perform(complaint, "accept", {}, Actor.of(officer), factory.now)
    db.session.commit()
    clocks = {i.clock for i in due_items(officer, D("2026-11-26"), limit=100) if i.label == complaint.reference}
    assert clocks == {"answer"}


def test_operator_staff_see_no_deadline_of_an_untransferred_complaint(factory):
    operator = factory.operator()
    factory.complaint(operator)
    assert due_items(factory.user("operator", operator=operator), D("2026-11-26"), limit=100) == []


def test_a_step_refused_to_the_person_answers_403_and_changes_nothing(factory):
    """Four-eyes as the machinery states it: `refused_to` is asked before the effect runs."""
    officer = factory.officer("32")
    finding, _ = findings.raise_finding(factory.operator(), "32", "officer", "M 17", "gap", Actor.of(officer),
                                        factory.now)
    db.session.commit()
    four_eyes = dataclasses.replace(findings.FINDING_WORKFLOW, steps={
        "close": dataclasses.replace(findings.STEPS["close"],
                                     refused_to=lambda actor, f: actor.user_id == f.raised_by and "not yours")})
    with pytest.raises(Forbidden, match="not yours"):
        steps.perform(four_eyes, finding, "close", {"note": "done"}, Actor.of(officer), factory.now)
    assert finding.state == "open"
    assert steps.allowed_actions(four_eyes, finding, "officer", Actor.of(officer)) == []
    colleague = factory.officer("32")
    assert steps.allowed_actions(four_eyes, finding, "officer", Actor.of(colleague)) == ["close"]
    steps.perform(four_eyes, finding, "close", {"note": "done"}, Actor.of(colleague), factory.now)
    assert finding.state == "closed"


def test_raising_the_same_fact_twice_gives_one_finding_until_it_is_closed(factory):
    operator = factory.operator()
    first, new = findings.raise_finding(operator, "32", "retention", "M17", "gap", SYSTEM, factory.now, key="k:1")
    again, new_again = findings.raise_finding(operator, "32", "retention", "M 17", "gap", SYSTEM, factory.now,
                                              key="k:1")
    assert new and not new_again and again.id == first.id and first.article == "M 17"
    raised = events_of("finding", first.id)[0]
    assert (raised.action, raised.note, raised.after) == ("raise", "gap", {
        "operator_id": operator.id, "province": "32", "source": "retention", "article": "M 17", "state": "open"})
    findings.resolve(first, "covered by a new attestation", factory.now)
    assert first.state == "closed" and first.open_key is None and first.closed_at == factory.now
    assert first.closing_note == "covered by a new attestation"
    later, new_later = findings.raise_finding(operator, "32", "retention", "M 17", "gap", SYSTEM, factory.now,
                                              key="k:1")
    assert new_later and later.id != first.id
    assert db.session.scalars(select(Deadline).where(Deadline.subject_type == "finding")).all() == []
    assert [e.action for e in events_of("finding", first.id)] == ["raise", "resolve"]


# --- a pause and an override, at their edges (issue 13: mutation survivors) ----------------------

def test_a_pause_does_not_move_a_fixed_date(fixed_policy, factory):
    """A date set by a rule or an order (15 July, an order's deadline) does not stand still while a
    complaint awaits information: only counted periods are extended (SPEC §3)."""
    complaint = _complaint_with_fixed_clock(factory, fixed_policy, "2026-12-31")
    extend_for_pause(complaint, D("2026-11-27"), D("2026-12-02"), load_calendar())
    fixed = complaint.deadline(fixed_policy)
    assert (fixed.due, fixed.paused_days) == (D("2026-12-31"), 0)
    # The counted clocks of the same record did move: the skip is for the fixed one only.
    assert complaint.deadline("acceptance").paused_days == 3


def test_a_second_pause_adds_to_the_first(factory):
    """Two requests for information: the paused days of both count, none is lost (SPEC §3)."""
    complaint, _ = factory.complaint(factory.operator())
    calendar = load_calendar()
    extend_for_pause(complaint, D("2026-11-27"), D("2026-12-02"), calendar)   # Mon 30, Tue 1, Wed 2: 3
    extend_for_pause(complaint, D("2026-12-03"), D("2026-12-04"), calendar)   # Fri 4: 1
    acceptance = complaint.deadline("acceptance")
    assert acceptance.paused_days == 4
    # 3 Dec + 4 working days: Fri 4, Mon 7, Tue 8, Wed 9.
    assert acceptance.due == D("2026-12-09")


def test_a_pause_after_a_stopped_clock_still_moves_the_running_ones(factory):
    complaint, _ = factory.complaint(factory.operator())
    stop_clock(complaint, "acceptance", factory.now, D("2026-11-27"))  # the first clock of the record
    extend_for_pause(complaint, D("2026-11-27"), D("2026-12-02"), load_calendar())
    assert complaint.deadline("acceptance").paused_days == 0
    assert complaint.deadline("answer").paused_days == 5  # calendar days: 28 Nov … 2 Dec


def _close_the_day(day: str, factory) -> None:
    db.session.add(CalendarOverride(day=D(day), is_working_day=False, note="local closure", created_at=factory.now))
    db.session.flush()


def test_an_override_on_the_due_day_itself_moves_the_deadline(factory):
    """The regulator closes the very day a deadline falls on: it moves to the next working day."""
    complaint, _ = factory.complaint(factory.operator())   # acceptance due Thu 3 Dec
    _close_the_day("2026-12-03", factory)
    assert recompute_after_override(D("2026-12-03"), SYSTEM, factory.now) == 1
    assert complaint.deadline("acceptance").due == D("2026-12-04")


def test_an_override_counts_and_explains_every_deadline_it_moved(factory):
    """Officers see how many deadlines moved, and each record's trail says which clock, from what
    to what, and why: the audit event names the clock, both dates, the provisional flag and the day."""
    from supervision.audit import events_of
    first, _ = factory.complaint(factory.operator())
    second, _ = factory.complaint(factory.operator())
    _close_the_day("2026-12-01", factory)
    assert recompute_after_override(D("2026-12-01"), SYSTEM, factory.now) == 2
    for complaint in (first, second):
        [event] = [e for e in events_of("complaint", complaint.reference) if e.action == "deadline_recomputed"]
        assert event.before == {"clock": "acceptance", "due": "2026-12-03", "provisional": False}
        assert event.after == {"clock": "acceptance", "due": "2026-12-04", "provisional": False}
        assert event.note == "calendar override for 2026-12-01"


def test_an_override_on_a_fixed_date_moves_it_and_keeps_its_reason(fixed_policy, factory):
    """The regulator closes the day an order or a report is due: the date moves to the next working
    day (期间届满 rule), and the deadline still says what it was set for and why."""
    complaint = _complaint_with_fixed_clock(factory, fixed_policy, "2026-12-28")   # Monday
    _close_the_day("2026-12-28", factory)
    # The complaint's answer period ends that Monday too (26 Dec is a Saturday): both move.
    assert recompute_after_override(D("2026-12-28"), SYSTEM, factory.now) == 2
    assert complaint.deadline("answer").due == D("2026-12-29")
    moved = complaint.deadline(fixed_policy)
    assert moved.due == D("2026-12-29")
    assert moved.explanation == {"fixed": "2026-12-28", "reason": "test", "legal_source": "[M 18] test report",
                                 "moved_to_next_working_day": "2026-12-29"}


@pytest.mark.parametrize("state", ["due_soon", "missed"])
def test_a_clock_whose_date_an_override_moved_is_judged_again(factory, state):
    """An override pushes a due date back: a clock already reminded or missed becomes pending, so
    the next sweep judges it against the new date (escalations made stay on record). A clock whose
    date did not move keeps its state."""
    complaint, _ = factory.complaint(factory.operator())
    acceptance, answer = complaint.deadline("acceptance"), complaint.deadline("answer")
    acceptance.state = answer.state = state
    _close_the_day("2026-12-01", factory)
    recompute_after_override(D("2026-12-01"), SYSTEM, factory.now)
    assert (acceptance.due, acceptance.state) == (D("2026-12-04"), "pending")
    # 30 calendar days do not skip a closed Tuesday: the answer clock's date stands, and its state.
    assert (answer.due, answer.state) == (D("2026-12-28"), state)


def test_a_deadline_kind_nobody_registered_is_named_with_the_fix():
    from supervision.workflow.subjects import subject

    assert subject("complaint") is COMPLAINT_SUBJECT
    with pytest.raises(LookupError) as missing:
        subject("parking_ticket")
    assert str(missing.value) == "no deadline subject 'parking_ticket': register it with register_subject"
