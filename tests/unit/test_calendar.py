"""Working-day deadlines against the State Council holiday notices for 2025 and 2026.

Every expected date below was worked out by hand from /work/shared/data/china-holidays-2025-2026.md
(国务院办公厅关于2025年/2026年部分节假日安排的通知), not by running the code under test.
"""

import json
from datetime import date, timedelta

import pytest

from supervision.calendar import (
    MAX_SCAN_DAYS,
    CalendarError,
    DayInfo,
    DueDate,
    WorkingCalendar,
    describe,
)

D = date.fromisoformat


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def due(cal: WorkingCalendar, start: str, n: int, unit: str = "working", extra_days: int = 0) -> date:
    return cal.add(D(start), n, unit, extra_days=extra_days).due


# --- ordinary weeks ---------------------------------------------------------------------------


def test_three_working_days_over_a_weekend(cal):
    # Fri 30 Jan 2026: Sat 31, Sun 1 skipped; Mon 2, Tue 3, Wed 4.
    result = cal.add_working_days(D("2026-01-30"), 3)
    assert result.due == D("2026-02-04")
    assert result.provisional is False
    assert result.explanation["weekends_skipped"] == ["2026-01-31", "2026-02-01"]


def test_acceptance_five_working_days_ordinary_week(cal):
    # Mon 2 Mar 2026: Tue–Fri = 4, Sat 7/Sun 8 skipped, Mon 9 = 5.
    assert cal.add_working_days(D("2026-03-02"), 5).due == D("2026-03-09")


def test_answer_thirty_calendar_days(cal):
    # 2 Mar + 30 days = Wed 1 Apr 2026, a working day: no roll-forward.
    result = cal.add_calendar_days(D("2026-03-02"), 30)
    assert result.due == D("2026-04-01")
    assert result.explanation["rolled_forward_from"] is None


def test_zero_days_is_the_start_day(cal):
    assert cal.add_working_days(D("2026-03-04"), 0).due == D("2026-03-04")


# --- Spring Festival --------------------------------------------------------------------------


def test_spring_festival_2025_makeup_sunday_26_jan(cal):
    # Fri 24 Jan 2025: Sat 25 off, Sun 26 is a make-up workday.
    assert due(cal, "2025-01-24", 1) == D("2025-01-26")
    # …then Mon 27 = 2, 28 Jan – 4 Feb off, Wed 5 Feb = 3.
    assert due(cal, "2025-01-24", 3) == D("2025-02-05")


def test_spring_festival_2025_explanation(cal):
    # Mon 27 Jan 2025: 28 Jan – 4 Feb off; Wed 5, Thu 6, Fri 7, Sat 8 (make-up), Sun 9 off, Mon 10.
    result = cal.add_working_days(D("2025-01-27"), 5)
    assert result.due == D("2025-02-10")
    ex = result.explanation
    assert [h["day"] for h in ex["holidays_skipped"]] == [
        "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
        "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
    ]
    assert {h["name"] for h in ex["holidays_skipped"]} == {"Spring Festival"}
    assert ex["weekends_skipped"] == ["2025-02-09"]
    assert ex["makeup_workdays_counted"] == ["2025-02-08"]
    assert ex["overrides_applied"] == [] and ex["provisional_days"] == []


def test_spring_festival_2026_makeup_saturday_14_feb(cal):
    # Fri 13 Feb 2026: Sat 14 (make-up) = 1, 15–23 Feb off, Tue 24 … Fri 27 = 2..5.
    result = cal.add_working_days(D("2026-02-13"), 5)
    assert result.due == D("2026-02-27")
    ex = result.explanation
    assert ex["makeup_workdays_counted"] == ["2026-02-14"]
    assert len(ex["holidays_skipped"]) == 9
    assert ex["holidays_skipped"][0] == {"day": "2026-02-15", "name": "Spring Festival"}
    assert ex["holidays_skipped"][-1] == {"day": "2026-02-23", "name": "Spring Festival"}
    # Sat 21 / Sun 22 fall inside the holiday block, so they count as holiday, not weekend.
    assert ex["weekends_skipped"] == []


def test_spring_festival_2026_makeup_saturday_28_feb(cal):
    assert due(cal, "2026-02-27", 1) == D("2026-02-28")
    # Thu 26: Fri 27 = 1, Sat 28 (make-up) = 2, Sun 1 Mar off, Mon 2 Mar = 3.
    assert due(cal, "2026-02-26", 3) == D("2026-03-02")


# --- Labour Day -------------------------------------------------------------------------------


def test_labour_day_2025_makeup_sunday_27_apr(cal):
    assert due(cal, "2025-04-25", 1) == D("2025-04-27")
    # Tue 29 Apr: Wed 30 = 1, 1–5 May off, Tue 6 May = 2.
    assert due(cal, "2025-04-29", 2) == D("2025-05-06")


def test_labour_day_2026_makeup_saturday_9_may(cal):
    # Thu 30 Apr 2026: 1–5 May off; Wed 6, Thu 7, Fri 8, Sat 9 (make-up), Sun 10 off, Mon 11.
    result = cal.add_working_days(D("2026-04-30"), 5)
    assert result.due == D("2026-05-11")
    assert result.explanation["makeup_workdays_counted"] == ["2026-05-09"]
    assert result.explanation["weekends_skipped"] == ["2026-05-10"]


# --- National Day -----------------------------------------------------------------------------


def test_national_day_2025_makeup_days(cal):
    # Fri 26 Sep: Sat 27 off, Sun 28 (make-up) = 1, Mon 29, Tue 30.
    assert due(cal, "2025-09-26", 3) == D("2025-09-30")
    # Tue 30 Sep: 1–8 Oct off; Thu 9, Fri 10, Sat 11 (make-up).
    result = cal.add_working_days(D("2025-09-30"), 3)
    assert result.due == D("2025-10-11")
    assert len(result.explanation["holidays_skipped"]) == 8
    # The combined 2025 break is named per day: Mon 6 Oct is the Mid-Autumn Festival itself.
    assert set(_names(result)) == {"National Day", "Mid-autumn Festival"}


def test_mid_autumn_and_national_day_2026(cal):
    # Fri 18 Sep: Sat 19 off, Sun 20 is a make-up workday.
    assert due(cal, "2026-09-18", 1) == D("2026-09-20")
    # Thu 24 Sep: 25–27 Sep (Mid-Autumn) off, Mon 28.
    assert due(cal, "2026-09-24", 1) == D("2026-09-28")
    # Wed 30 Sep: 1–7 Oct off; Thu 8, Fri 9, Sat 10 (make-up).
    result = cal.add_working_days(D("2026-09-30"), 3)
    assert result.due == D("2026-10-10")
    assert result.explanation["makeup_workdays_counted"] == ["2026-10-10"]
    assert set(_names(result)) == {"National Day"}


def _names(result: DueDate) -> list[str]:
    return [h["name"] for h in result.explanation["holidays_skipped"]]


# --- New Year and year boundaries -------------------------------------------------------------


def test_new_year_2026_makeup_sunday_4_jan(cal):
    # Wed 31 Dec 2025: 1–3 Jan 2026 off, Sun 4 Jan is a make-up workday.
    result = cal.add_working_days(D("2025-12-31"), 1)
    assert result.due == D("2026-01-04")
    assert result.explanation["makeup_workdays_counted"] == ["2026-01-04"]
    assert due(cal, "2025-12-31", 2) == D("2026-01-05")


def test_new_year_2025_single_day(cal):
    # Tue 31 Dec 2024: Wed 1 Jan 2025 off, Thu 2 Jan.
    assert due(cal, "2024-12-31", 1) == D("2025-01-02")


# --- calendar-day periods ---------------------------------------------------------------------


def test_calendar_period_ending_on_national_day_rolls_forward(cal):
    # 1 Sep 2026 + 30 days = Thu 1 Oct (National Day) → first working day after: Thu 8 Oct.
    result = cal.add_calendar_days(D("2026-09-01"), 30)
    assert result.due == D("2026-10-08")
    ex = result.explanation
    assert ex["rolled_forward_from"] == "2026-10-01"
    assert [h["day"] for h in ex["holidays_skipped"]] == [f"2026-10-0{i}" for i in range(1, 8)]


def test_calendar_period_ending_on_national_day_2025_rolls_forward(cal):
    # 1 Sep 2025 + 30 days = Wed 1 Oct; 1–8 Oct off → Thu 9 Oct.
    assert due(cal, "2025-09-01", 30, "calendar") == D("2025-10-09")


def test_calendar_period_ending_on_ordinary_weekend_rolls_forward(cal):
    # 5 Feb 2026 + 30 days = Sat 7 Mar → Mon 9 Mar.
    result = cal.add_calendar_days(D("2026-02-05"), 30)
    assert result.due == D("2026-03-09")
    assert result.explanation["weekends_skipped"] == ["2026-03-07", "2026-03-08"]


def test_calendar_period_ending_on_makeup_saturday_does_not_roll(cal):
    # 29 Jan 2026 + 30 days = Sat 28 Feb, a make-up workday: the period ends that day.
    result = cal.add_calendar_days(D("2026-01-29"), 30)
    assert result.due == D("2026-02-28")
    assert result.explanation["rolled_forward_from"] is None
    assert result.explanation["makeup_workdays_counted"] == ["2026-02-28"]
    # 10 Sep 2026 + 30 days = Sat 10 Oct, make-up for National Day.
    assert due(cal, "2026-09-10", 30, "calendar") == D("2026-10-10")


def test_operator_fifteen_calendar_days(cal):
    # 16 Sep 2026 + 15 = Thu 1 Oct → Thu 8 Oct.
    assert due(cal, "2026-09-16", 15, "calendar") == D("2026-10-08")


# --- provisional fallback ---------------------------------------------------------------------


def test_period_reaching_into_unpublished_2027_is_provisional(cal):
    # Mon 28 Dec 2026: Tue 29, Wed 30, Thu 31 = 3; 2027 by Mon–Fri: Fri 1 Jan = 4, Mon 4 Jan = 5.
    result = cal.add_working_days(D("2026-12-28"), 5)
    assert result.due == D("2027-01-04")
    assert result.provisional is True
    assert result.explanation["provisional_days"] == ["2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04"]


def test_period_within_2026_is_not_provisional(cal):
    # Mon 21 Dec 2026: 22–25 = 4, Sat 26/Sun 27 off, Mon 28 = 5.
    result = cal.add_working_days(D("2026-12-21"), 5)
    assert result.due == D("2026-12-28")
    assert result.provisional is False


def test_calendar_period_ending_in_2027_is_provisional(cal):
    # 15 Dec 2026 + 30 = Thu 14 Jan 2027 (a weekday by the fallback).
    result = cal.add_calendar_days(D("2026-12-15"), 30)
    assert result.due == D("2027-01-14")
    assert result.provisional is True


def test_fallback_day_info(cal):
    assert cal.day(D("2027-03-01")) == DayInfo(D("2027-03-01"), True, "workday", None, True)
    assert cal.day(D("2027-03-06")) == DayInfo(D("2027-03-06"), False, "weekend", None, True)


def test_covers(cal):
    assert cal.covers(2025) and cal.covers(2026) and cal.covers(2004)
    assert not cal.covers(2027)
    assert not cal.covers(2003)


# --- overrides --------------------------------------------------------------------------------


def test_override_holiday_on_a_weekday_pushes_the_due_date():
    cal = WorkingCalendar({D("2026-03-04"): False})
    # Mon 2 Mar: Tue 3 = 1, Wed 4 off, Thu 5, Fri 6, Mon 9, Tue 10 = 5.
    result = cal.add_working_days(D("2026-03-02"), 5)
    assert result.due == D("2026-03-10")
    assert result.explanation["overrides_applied"] == ["2026-03-04"]
    assert {"day": "2026-03-04", "name": None} in result.explanation["holidays_skipped"]


def test_override_workday_on_a_saturday_counts():
    cal = WorkingCalendar({D("2026-03-07"): True})
    # Mon 2 Mar: Tue–Fri = 4, Sat 7 = 5.
    assert cal.add_working_days(D("2026-03-02"), 5).due == D("2026-03-07")
    assert cal.day(D("2026-03-07")).kind == "override_workday"


def test_overrides_beat_the_official_calendar():
    # Cancel the 14 Feb 2026 make-up day: Fri 13 + 1 → 15–23 off → Tue 24.
    assert WorkingCalendar({D("2026-02-14"): False}).add_working_days(D("2026-02-13"), 1).due == D("2026-02-24")
    # Declare Mon 16 Feb (Spring Festival) a working day: Fri 13 + 2 → Sat 14, Mon 16.
    assert WorkingCalendar({D("2026-02-16"): True}).add_working_days(D("2026-02-13"), 2).due == D("2026-02-16")
    info = WorkingCalendar({D("2026-10-01"): True}).day(D("2026-10-01"))
    assert info == DayInfo(D("2026-10-01"), True, "override_workday", "National Day", False)


def test_override_in_2027_is_not_provisional():
    cal = WorkingCalendar({D("2027-01-01"): False})
    info = cal.day(D("2027-01-01"))
    assert info.working is False and info.provisional is False and info.kind == "override_holiday"
    # Mon 28 Dec 2026: 29, 30, 31 = 3; Fri 1 Jan off (override); Mon 4 = 4, Tue 5 = 5.
    result = cal.add_working_days(D("2026-12-28"), 5)
    assert result.due == D("2027-01-05")
    assert result.provisional is True  # 2–5 Jan still come from the fallback
    assert "2027-01-01" not in result.explanation["provisional_days"]


def test_period_decided_only_by_overrides_in_2027_is_not_provisional():
    cal = WorkingCalendar({D("2027-01-01"): True})
    # Wed 30 Dec 2026: Thu 31 = 1, Fri 1 Jan 2027 (override workday) = 2.
    result = cal.add_working_days(D("2026-12-30"), 2)
    assert result.due == D("2027-01-01")
    assert result.provisional is False


# --- paused clocks and bad input --------------------------------------------------------------


def test_extra_days_extend_a_working_period(cal):
    # Mon 2 Mar + (5 + 2) working: Tue 3 … Fri 6 = 4, Mon 9 = 5, Tue 10 = 6, Wed 11 = 7.
    result = cal.add(D("2026-03-02"), 5, "working", extra_days=2)
    assert result.due == D("2026-03-11")
    assert result.length == 5
    assert result.explanation["extra_days"] == 2


def test_extra_days_extend_a_calendar_period_into_qingming(cal):
    # 2 Mar + (30 + 3) = Sat 4 Apr 2026, Qingming (4–6 Apr) → Tue 7 Apr.
    result = cal.add(D("2026-03-02"), 30, "calendar", extra_days=3)
    assert result.due == D("2026-04-07")
    assert result.explanation["rolled_forward_from"] == "2026-04-04"


@pytest.mark.parametrize("n, extra, message", [
    (-1, 0, "n must be a whole number of days >= 0, got -1"),
    (5, -1, "extra_days must be a whole number of days >= 0, got -1"),
    (True, 0, "n must be a whole number of days >= 0, got True"),  # a bool is not a count of days
    (5, False, "extra_days must be a whole number of days >= 0, got False"),
    (2.5, 0, "n must be a whole number of days >= 0, got 2.5"),
])
def test_bad_lengths_raise_naming_the_argument(cal, n, extra, message):
    with pytest.raises(ValueError) as refused:
        cal.add(D("2026-03-02"), n, "working", extra_days=extra)
    assert str(refused.value) == message


def test_negative_length_raises_for_both_units(cal):
    with pytest.raises(ValueError):
        cal.add_working_days(D("2026-03-02"), -1)
    with pytest.raises(ValueError):
        cal.add_calendar_days(D("2026-03-02"), -1)


def test_unknown_unit_raises(cal):
    with pytest.raises(ValueError) as refused:
        cal.add(D("2026-03-02"), 5, "hours")
    assert str(refused.value) == "unit must be one of ('working', 'calendar'), got 'hours'"


def test_scan_is_bounded():
    start = D("2026-03-02")
    closed = {start + timedelta(days=i): False for i in range(1, MAX_SCAN_DAYS + 1)}
    with pytest.raises(CalendarError) as refused:
        WorkingCalendar(closed).next_working_day(start)
    assert str(refused.value) == f"no working day within {MAX_SCAN_DAYS} days after 2026-03-02"


def test_the_scan_reaches_exactly_max_scan_days():
    """A working day MAX_SCAN_DAYS after the start is still found; one day further is not."""
    start = D("2026-03-02")
    closed = {start + timedelta(days=i): False for i in range(1, MAX_SCAN_DAYS)}
    last = start + timedelta(days=MAX_SCAN_DAYS)
    assert WorkingCalendar(closed | {last: True}).next_working_day(start) == last
    with pytest.raises(CalendarError):
        WorkingCalendar(closed | {last: False, last + timedelta(days=1): True}).next_working_day(start)


# --- helpers ----------------------------------------------------------------------------------


def test_working_days_between_across_holidays(cal):
    # (30 Sep, 10 Oct 2026]: Thu 8, Fri 9, Sat 10 (make-up).
    assert cal.working_days_between(D("2026-09-30"), D("2026-10-10")) == 3
    # (13 Feb, 27 Feb 2026]: Sat 14, Tue 24 … Fri 27.
    assert cal.working_days_between(D("2026-02-13"), D("2026-02-27")) == 5
    assert cal.working_days_between(D("2026-02-27"), D("2026-02-13")) == 0
    assert cal.working_days_between(D("2026-02-27"), D("2026-02-27")) == 0


def test_next_working_day_across_holidays(cal):
    assert cal.next_working_day(D("2026-09-30")) == D("2026-10-08")
    assert cal.next_working_day(D("2026-02-13")) == D("2026-02-14")
    assert cal.next_working_day(D("2025-01-27")) == D("2025-02-05")


def test_day_kinds(cal):
    assert cal.day(D("2026-02-14")) == DayInfo(D("2026-02-14"), True, "makeup_workday", "Spring Festival", False)
    assert cal.day(D("2026-02-16")) == DayInfo(D("2026-02-16"), False, "holiday", "Spring Festival", False)
    assert cal.day(D("2026-03-07")) == DayInfo(D("2026-03-07"), False, "weekend", None, False)
    assert cal.day(D("2026-03-09")) == DayInfo(D("2026-03-09"), True, "workday", None, False)
    assert cal.is_working_day(D("2026-01-04")) is True
    assert cal.is_working_day(D("2026-04-06")) is False  # Qingming, a Monday


def test_day_results_are_cached(cal):
    assert cal.day(D("2026-02-14")) is cal.day(D("2026-02-14"))


# --- explanation ------------------------------------------------------------------------------


def test_explanation_is_json_serialisable(cal):
    result = cal.add(D("2026-12-28"), 5, "working", extra_days=1)
    decoded = json.loads(json.dumps(result.explanation))
    assert decoded["start"] == "2026-12-28"
    assert decoded["due"] == "2027-01-05"  # 29, 30, 31, 1 Jan, 4, 5 by the fallback
    assert decoded["unit"] == "working" and decoded["length"] == 5 and decoded["extra_days"] == 1
    assert set(decoded) == {
        "unit", "length", "start", "due", "weekends_skipped", "holidays_skipped", "makeup_workdays_counted",
        "overrides_applied", "rolled_forward_from", "extra_days", "provisional_days",
    }


def test_describe_in_english(cal):
    text = describe(cal.add_working_days(D("2026-02-13"), 5), "en")
    assert "Due 2026-02-27" in text
    assert "5 working days after 2026-02-13" in text
    assert "9 public holidays (Spring Festival)" in text
    assert "1 make-up workday (2026-02-14 Sat)" in text
    assert "Provisional" not in text


def test_describe_in_chinese(cal):
    text = describe(cal.add_working_days(D("2026-02-13"), 5), lang="zh")
    assert "2026-02-27" in text
    assert "期间开始之日不计算在内" in text
    assert "春节" in text
    assert "调休上班日1天（2026-02-14 周六）" in text


def test_describe_roll_forward_and_provisional(cal):
    rolled = describe(cal.add_calendar_days(D("2026-09-01"), 30), "en")
    assert "2026-10-01 Thu, is not a working day" in rolled
    assert "National Day" in rolled
    provisional = describe(cal.add_working_days(D("2026-12-28"), 5), "en")
    assert "Provisional" in provisional and "2027" in provisional
    assert "暂定" in describe(cal.add_working_days(D("2026-12-28"), 5), lang="zh")
