"""SPEC §8: publications are per calendar quarter ("2026Q3"), and only a quarter that has ended is published
(its figures are final); a period before 2000 or written otherwise is refused with a 422 naming the rule."""
from datetime import date

import pytest

from supervision.errors import ValidationFailed
from supervision.publications.periods import Quarter, last_ended_quarter, parse_quarter, quarter_of


@pytest.mark.parametrize(("quarter", "first", "last"), [
    (Quarter(2026, 1), date(2026, 1, 1), date(2026, 3, 31)),
    (Quarter(2024, 1), date(2024, 1, 1), date(2024, 3, 31)),
    (Quarter(2026, 2), date(2026, 4, 1), date(2026, 6, 30)),
    (Quarter(2026, 3), date(2026, 7, 1), date(2026, 9, 30)),
    (Quarter(2026, 4), date(2026, 10, 1), date(2026, 12, 31)),
])
def test_a_quarter_runs_from_its_first_to_its_last_day(quarter, first, last):
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert quarter_of(first) == quarter_of(last) == quarter
    assert str(quarter) == f"{quarter.year}Q{quarter.number}"


@pytest.mark.parametrize(("today", "last_ended"), [
    (date(2026, 11, 26), Quarter(2026, 3)),
    (date(2026, 10, 1), Quarter(2026, 3)),
    (date(2026, 9, 30), Quarter(2026, 2)),
    (date(2026, 1, 5), Quarter(2025, 4)),   # across the year
    (date(2026, 4, 1), Quarter(2026, 1)),
])
def test_the_last_ended_quarter_is_the_one_before_today(today, last_ended):
    """The quarterly job drafts the last ended quarter (the one before today's)."""
    assert last_ended_quarter(today) == last_ended


def test_counting_quarters_back_crosses_years():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2026, 3).previous(4) == Quarter(2025, 3)
    assert Quarter(2026, 3).previous(7) == Quarter(2024, 4)


@pytest.mark.parametrize(("value", "today", "expected"), [
    ("2026Q3", date(2026, 10, 1), Quarter(2026, 3)),      # the day after its last day
    (" 2026Q3 ", date(2026, 11, 26), Quarter(2026, 3)),   # surrounding blanks are not part of the period
    ("2000Q1", date(2026, 11, 26), Quarter(2000, 1)),     # the first publishable quarter
    ("2025Q4", date(2026, 1, 1), Quarter(2025, 4)),
])
def test_an_ended_quarter_is_accepted(value, today, expected):
    assert parse_quarter(value, today) == expected


@pytest.mark.parametrize(("value", "today", "message"), [
    ("2026Q3", date(2026, 9, 30), "2026Q3 has not ended yet (it ends on 2026-09-30): only ended quarters are "
                                  "published"),
    ("2026Q4", date(2026, 11, 26), "2026Q4 has not ended yet (it ends on 2026-12-31): only ended quarters are "
                                   "published"),
    ("1999Q4", date(2026, 11, 26), "period must be 2000 or later"),
    ("2026Q5", date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
    ("2026Q3x", date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
    ("x2026Q3", date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
    ("2026-3", date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
    (None, date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
    (20263, date(2026, 11, 26), "period must be a quarter written like 2026Q3"),
])
def test_a_bad_or_unfinished_period_is_a_422_naming_the_field_and_rule(app, value, today, message):
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(ValidationFailed) as refused:
        parse_quarter(value, today, field="quarter")
    assert {field: [str(m) for m in problems] for field, problems in refused.value.errors.items()} == \
        {"quarter": [message]}
    assert str(refused.value.message) == message
