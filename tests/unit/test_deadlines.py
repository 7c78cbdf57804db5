"""The complaint clocks of SPEC §3 (supervision/complaints/deadlines.py) on the official calendar.

Every expected date was worked out by hand from the State Council notices for 2025 and 2026
(/work/shared/data/china-holidays-2025-2026.md); weekdays are noted beside each step.
The clock policies come from the migrations, so these tests need the database (`ctx`).
"""
from datetime import UTC, date, datetime

import pytest

from supervision.audit import SYSTEM
from supervision.calendar import WorkingCalendar
from supervision.complaints import deadlines
from supervision.complaints.deadlines import (
    ACCEPTANCE,
    ANSWER,
    OPERATOR_PRECONDITION,
    OPERATOR_REPLY,
    SUPERVISION_REPORT,
    compute_due,
)
from supervision.extensions import db

D = date.fromisoformat


@pytest.mark.parametrize(("clock_name", "start", "expected"), [
    # 2025 Spring Festival (off 28 Jan – 4 Feb, make-up Sun 26 Jan, Sat 8 Feb):
    # from Fri 24 Jan: Sun 26 (1), Mon 27 (2), holiday, Wed 5 (3), Thu 6 (4), Fri 7 (5).
    (ACCEPTANCE, "2025-01-24", "2025-02-07"),
    # 24 Jan + 30 = Sun 23 Feb → next working day Mon 24 Feb.
    (ANSWER, "2025-01-24", "2025-02-24"),
    # 1 Jan + 30 = Fri 31 Jan, inside the holiday → first day after it, Wed 5 Feb.
    (ANSWER, "2025-01-01", "2025-02-05"),
    # 2025 Labour Day (off 1–5 May, make-up Sun 27 Apr): from Fri 25 Apr: Sun 27 (1), Mon 28 (2),
    # Tue 29 (3), Wed 30 (4), holiday, Tue 6 May (5).
    (ACCEPTANCE, "2025-04-25", "2025-05-06"),
    # 2025 National Day (off 1–8 Oct, make-up Sun 28 Sep, Sat 11 Oct): from Fri 26 Sep:
    # Sun 28 (1), Mon 29 (2), Tue 30 (3), holiday, Thu 9 (4), Fri 10 (5).
    (ACCEPTANCE, "2025-09-26", "2025-10-10"),
    # … continuing: Sat 11 (6, make-up), Mon 13 (7), Tue 14 (8), Wed 15 (9), Thu 16 (10).
    (OPERATOR_REPLY, "2025-09-26", "2025-10-16"),
    # Year boundary (2026 New Year off 1–3 Jan, make-up Sun 4 Jan): from Mon 29 Dec 2025:
    # Tue 30 (1), Wed 31 (2), holiday, Sun 4 (3), Mon 5 (4), Tue 6 (5).
    (ACCEPTANCE, "2025-12-29", "2026-01-06"),
    (SUPERVISION_REPORT, "2025-12-29", "2026-01-06"),
    # 29 Dec + 30 = Wed 28 Jan 2026, a working day.
    (ANSWER, "2025-12-29", "2026-01-28"),
    # 2 Dec + 30 = Thu 1 Jan 2026 (holiday) → the day after the holiday is the make-up Sunday 4 Jan,
    # a working day, so the period ends on that Sunday.
    (ANSWER, "2025-12-02", "2026-01-04"),
    # 2026 Spring Festival (off 15–23 Feb, make-up Sat 14 Feb, Sat 28 Feb): from Fri 13 Feb:
    # Sat 14 (1), holiday, Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5).
    (ACCEPTANCE, "2026-02-13", "2026-02-27"),
    # from Tue 24 Feb: Wed 25 (1), Thu 26 (2), Fri 27 (3), Sat 28 (4, make-up), Mon 2 Mar (5).
    (ACCEPTANCE, "2026-02-24", "2026-03-02"),
    # 13 Feb + 30 = Sun 15 Mar → Mon 16 Mar.
    (ANSWER, "2026-02-13", "2026-03-16"),
    # 2026 Labour Day (off 1–5 May, make-up Sat 9 May): from Thu 30 Apr: Wed 6 (1), Thu 7 (2),
    # Fri 8 (3), Sat 9 (4), Mon 11 (5).
    (ACCEPTANCE, "2026-04-30", "2026-05-11"),
    # 2026 National Day (off 1–7 Oct, make-up Sat 10 Oct): from Wed 30 Sep: Thu 8 (1), Fri 9 (2),
    # Sat 10 (3), Mon 12 (4), Tue 13 (5).
    (ACCEPTANCE, "2026-09-30", "2026-10-13"),
    # [C 10] the operator's 15 days from 17 Sep end on Fri 2 Oct, a holiday → Thu 8 Oct.
    (OPERATOR_PRECONDITION, "2026-09-17", "2026-10-08"),
    # … from 20 Oct they end on Wed 4 Nov, a working day.
    (OPERATOR_PRECONDITION, "2026-10-20", "2026-11-04"),
    # An ordinary week: from Thu 26 Nov 2026: Fri 27, Mon 30, Tue 1, Wed 2, Thu 3 Dec.
    (ACCEPTANCE, "2026-11-26", "2026-12-03"),
    # 26 Nov + 30 = Sat 26 Dec → Mon 28 Dec.
    (ANSWER, "2026-11-26", "2026-12-28"),
])
def test_due_dates_on_the_official_calendar(ctx, clock_name, start, expected):
    due = compute_due(clock_name, D(start), WorkingCalendar())
    assert due.due == D(expected)
    assert due.provisional is False


def test_the_explanation_lists_weekends_holidays_and_makeup_days(ctx):
    explanation = compute_due(ACCEPTANCE, D("2025-01-24"), WorkingCalendar()).explanation
    assert explanation["weekends_skipped"] == ["2025-01-25"]
    assert [h["day"] for h in explanation["holidays_skipped"]] == [
        "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
        "2025-02-04"]
    assert {h["name"] for h in explanation["holidays_skipped"]} == {"Spring Festival"}
    assert explanation["makeup_workdays_counted"] == ["2025-01-26"]


def test_a_rolled_forward_calendar_period_says_from_which_day(ctx):
    explanation = compute_due(OPERATOR_PRECONDITION, D("2026-09-17"), WorkingCalendar()).explanation
    assert explanation["rolled_forward_from"] == "2026-10-02"
    assert [h["day"] for h in explanation["holidays_skipped"]] == [
        "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"]


@pytest.mark.parametrize(("clock_name", "start", "expected", "provisional"), [
    # 2027 is not published: Mon–Fri assumed. From Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31,
    # Fri 1 Jan 2027 (assumed working), Mon 4 Jan.
    (ACCEPTANCE, "2026-12-28", "2027-01-04", True),
    # 10 Dec + 30 = Sat 9 Jan 2027 → Mon 11 Jan, on the assumed calendar.
    (ANSWER, "2026-12-10", "2027-01-11", True),
    # Entirely inside 2026: from Mon 21 Dec: Tue 22 … Mon 28 Dec.
    (ACCEPTANCE, "2026-12-21", "2026-12-28", False),
])
def test_deadlines_reaching_2027_are_provisional(ctx, clock_name, start, expected, provisional):
    due = compute_due(clock_name, D(start), WorkingCalendar())
    assert (due.due, due.provisional) == (D(expected), provisional)
    if provisional:
        assert due.explanation["provisional_days"][-1] == expected


# --- clocks on a stored complaint ---------------------------------------------------------------

def test_filing_starts_the_acceptance_and_answer_clocks(factory):
    complaint, _ = factory.complaint(factory.operator())
    clocks = {d.clock: (d.started_on, d.due, d.state) for d in complaint.deadlines}
    assert clocks == {ACCEPTANCE: (D("2026-11-26"), D("2026-12-03"), "pending"),
                      ANSWER: (D("2026-11-26"), D("2026-12-28"), "pending")}


def test_a_clock_stopped_on_its_due_day_is_met_and_the_next_day_missed(factory):
    complaint, _ = factory.complaint(factory.operator())
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    met = deadlines.stop_clock(complaint, ACCEPTANCE, now, D("2026-12-03"))
    missed = deadlines.stop_clock(complaint, ANSWER, now, D("2026-12-29"))
    assert (met.state, missed.state) == ("met", "missed")
    assert met.stopped_at == now
    # A stopped clock stays stopped.
    assert deadlines.stop_clock(complaint, ACCEPTANCE, now, D("2027-01-01")) is None
    assert complaint.deadline(ACCEPTANCE).state == "met"


def test_a_pause_moves_working_clocks_by_working_days_and_calendar_clocks_by_days(factory):
    complaint, _ = factory.complaint(factory.operator())
    # Paused Fri 27 Nov, resumed Wed 2 Dec: working days Mon 30, Tue 1, Wed 2 = 3; calendar days = 5.
    deadlines.extend_for_pause(complaint, D("2026-11-27"), D("2026-12-02"), WorkingCalendar())
    acceptance, answer = complaint.deadline(ACCEPTANCE), complaint.deadline(ANSWER)
    # 3 Dec + 3 working days: Fri 4, Mon 7, Tue 8.
    assert (acceptance.paused_days, acceptance.due) == (3, D("2026-12-08"))
    # 26 Nov + 35 = Thu 31 Dec.
    assert (answer.paused_days, answer.due) == (5, D("2026-12-31"))
    assert answer.explanation["extra_days"] == 5


def test_a_pause_leaves_stopped_clocks_alone(factory):
    complaint, _ = factory.complaint(factory.operator())
    deadlines.stop_clock(complaint, ACCEPTANCE, factory.now, D("2026-11-27"))
    deadlines.extend_for_pause(complaint, D("2026-11-27"), D("2026-12-02"), WorkingCalendar())
    assert (complaint.deadline(ACCEPTANCE).due, complaint.deadline(ACCEPTANCE).paused_days) == (D("2026-12-03"), 0)


def test_an_override_recomputes_running_clocks_it_affects_and_audits_it(factory):
    from supervision.audit import events_of
    from supervision.complaints.models import CalendarOverride

    complaint, _ = factory.complaint(factory.operator())
    db.session.add(CalendarOverride(day=D("2026-12-01"), is_working_day=False, note="local closure",
                                    created_at=factory.now))
    db.session.flush()
    assert deadlines.recompute_after_override(D("2026-12-01"), SYSTEM, factory.now) == 1
    # Tue 1 Dec no longer counts: Fri 27, Mon 30, Wed 2, Thu 3, Fri 4.
    assert complaint.deadline(ACCEPTANCE).due == D("2026-12-04")
    assert complaint.deadline(ANSWER).due == D("2026-12-28")
    recomputed = [e for e in events_of("complaint", complaint.reference) if e.action == "deadline_recomputed"]
    assert [(e.before["due"], e.after["due"]) for e in recomputed] == [("2026-12-03", "2026-12-04")]


def test_re_supervision_restarts_the_report_clock(factory):
    complaint, _ = factory.complaint(factory.operator())
    cal = WorkingCalendar()
    first = deadlines.start_clock(complaint, SUPERVISION_REPORT, D("2026-11-26"), cal)
    deadlines.stop_clock(complaint, SUPERVISION_REPORT, factory.now, D("2026-11-27"))
    again = deadlines.start_clock(complaint, SUPERVISION_REPORT, D("2026-12-07"), cal)
    assert again is first
    # From Mon 7 Dec: Tue 8 … Mon 14 Dec.
    assert (again.state, again.due, again.stopped_at) == ("pending", D("2026-12-14"), None)
