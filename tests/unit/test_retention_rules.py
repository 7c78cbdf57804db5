"""The retention window [M 17] (SPEC §4): D − 5 calendar months, end-of-month clamped, plus held months."""
from datetime import date

import pytest

from supervision.obligations.retention_rules import judge_coverage, merge, months_before, required_window


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 7, 31), date(2026, 2, 28)),   # SPEC example: February has no 31st
    (date(2028, 7, 31), date(2028, 2, 29)),   # leap year
    (date(2026, 7, 29), date(2026, 2, 28)),
    (date(2028, 7, 29), date(2028, 2, 29)),
    (date(2026, 7, 15), date(2026, 2, 15)),
    (date(2026, 3, 31), date(2025, 10, 31)),  # across the year
    (date(2026, 5, 31), date(2025, 12, 31)),
    (date(2026, 4, 30), date(2025, 11, 30)),
    (date(2026, 10, 31), date(2026, 5, 31)),
    (date(2026, 1, 1), date(2025, 8, 1)),
])
def test_window_starts_five_calendar_months_back_clamped_to_the_month_end(day, expected):
    assert required_window(day, 5) == (expected, day)


def test_the_number_of_months_is_a_parameter():
    assert months_before(date(2026, 7, 31), 6) == date(2026, 1, 31)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)


def test_holding_exactly_the_window_is_compliant():
    coverage = judge_coverage(date(2026, 7, 31), 5, [], date(2026, 2, 28), date(2026, 7, 31))
    assert coverage.compliant and coverage.gaps == ()
    assert (coverage.required_from, coverage.required_to) == (date(2026, 2, 28), date(2026, 7, 31))


def test_one_missing_day_at_the_start_is_a_one_day_gap():
    coverage = judge_coverage(date(2026, 7, 31), 5, [], date(2026, 3, 1), date(2026, 7, 31))
    assert coverage.gaps == ((date(2026, 2, 28), date(2026, 2, 28)),)
    assert coverage.missing_days == 1 and not coverage.compliant


def test_a_latest_day_before_the_as_of_date_leaves_a_gap_at_the_end():
    coverage = judge_coverage(date(2026, 7, 31), 5, [], date(2026, 1, 1), date(2026, 7, 29))
    assert coverage.gaps == ((date(2026, 7, 30), date(2026, 7, 31)),)


def test_a_held_month_outside_the_window_must_be_kept_whole():
    coverage = judge_coverage(date(2026, 7, 31), 5, ["2025-11"], date(2026, 1, 1), date(2026, 7, 31))
    assert coverage.held_months == ("2025-11",)
    assert coverage.gaps == ((date(2025, 11, 1), date(2025, 11, 30)),)
    assert coverage.missing_days == 30


def test_a_held_month_partly_held_leaves_only_its_missing_days():
    coverage = judge_coverage(date(2026, 7, 31), 5, ["2025-12"], date(2025, 12, 10), date(2026, 7, 31))
    assert coverage.gaps == ((date(2025, 12, 1), date(2025, 12, 9)),)


def test_a_held_month_inside_the_window_adds_nothing():
    coverage = judge_coverage(date(2026, 7, 31), 5, ["2026-04"], date(2026, 2, 28), date(2026, 7, 31))
    assert coverage.compliant


def test_a_held_february_of_a_leap_year_has_29_days():
    coverage = judge_coverage(date(2028, 9, 30), 5, ["2028-02"], date(2028, 4, 30), date(2028, 9, 30))
    assert coverage.gaps == ((date(2028, 2, 1), date(2028, 2, 29)),)


def test_an_older_attestation_is_judged_on_todays_window_but_only_up_to_its_as_of_day():
    # Filed on 31 July holding from 28 Feb; judged on 15 August: the window moved to 15 March,
    # and the days after 31 July are not counted missing (the attestation's age is judged apart).
    coverage = judge_coverage(date(2026, 8, 15), 5, [], date(2026, 2, 28), date(2026, 7, 31),
                              attested_to=date(2026, 7, 31))
    assert coverage.compliant
    assert coverage.required_from == date(2026, 3, 15)


def test_merge_joins_touching_ranges():
    assert merge([(date(2026, 1, 5), date(2026, 1, 9)), (date(2026, 1, 1), date(2026, 1, 4))]) == [
        (date(2026, 1, 1), date(2026, 1, 9))]
