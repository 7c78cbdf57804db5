"""Dates from outside (API bodies, forms, URLs) are range-checked before any arithmetic (STYLE §9).

A typo such as 9999-12-31 or 0001-01-01 is a valid `date`, yet adding a deadline to it or
converting it to UTC overflows Python's calendar — a 500 instead of a message. No date this
system is told about (an event, a complaint to the operator, a letter's arrival, a licence, a
calendar override) lies before `EARLIEST_DATE` or more than `DATE_YEARS_AHEAD` years after
today (supervision/config.py), so one range, written here, serves the API schemas, the web
forms and the services alike, and answers 422 naming the field and the range.
"""
import calendar
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app

from supervision.clock import today_local
from supervision.errors import ValidationFailed
from supervision.i18n import _l


@dataclass(frozen=True)
class DateRange:
    earliest: date
    latest: date

    def problem(self, value: date | datetime | None):
        """Why `value` is outside the range (a message to show beside the field), or None."""
        if value is None:
            return None
        # A moment is judged by the date written in it: converting it to another zone first is
        # itself the arithmetic that overflows at the edges.
        day = value.date() if isinstance(value, datetime) else value
        if self.earliest <= day <= self.latest:
            return None
        return _l("Enter a date between %(earliest)s and %(latest)s.", earliest=self.earliest.isoformat(),
                  latest=self.latest.isoformat())

    def month_problem(self, year: int, month: int):
        """The same range for a billing month (YYYY-MM): its first day must be inside it."""
        if (self.earliest.year, self.earliest.month) <= (year, month) <= (self.latest.year, self.latest.month):
            return None
        return _l("Enter a month between %(earliest)s and %(latest)s.", earliest=self.earliest.strftime("%Y-%m"),
                  latest=self.latest.strftime("%Y-%m"))


def accepted_dates(today: date, config) -> DateRange:
    years = config["DATE_YEARS_AHEAD"]
    last_day = calendar.monthrange(today.year + years, today.month)[1]  # 29 Feb + N years → 28 Feb
    return DateRange(config["EARLIEST_DATE"], today.replace(year=today.year + years, day=min(today.day, last_day)))


def current_range() -> DateRange:
    """The range as of today, for schemas and forms (inside the app)."""
    return accepted_dates(today_local(), current_app.config)


def require_dates_in_range(values: dict, dates: DateRange) -> None:
    """Raise one 422 naming every field whose date is outside `dates`; call it before any arithmetic."""
    errors = {field: [problem] for field, value in values.items() if (problem := dates.problem(value))}
    if errors:
        raise ValidationFailed(_l("A date is outside the range this system accepts; nothing was saved."), errors)
