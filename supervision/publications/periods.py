"""Quarters as publication periods ("2026Q3"): parsing with range checks, and their dates."""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from supervision.errors import ValidationFailed
from supervision.i18n import _l

PERIOD = re.compile(r"^(\d{4})Q([1-4])$")
# The earliest year the system publishes figures for; anything earlier is a typing mistake.
FIRST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def last_day(self) -> date:
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.first_day - timedelta(days=1)

    def previous(self, count: int = 1) -> "Quarter":
        index = self.year * 4 + self.number - 1 - count
        return Quarter(index // 4, index % 4 + 1)

    def ended_by(self, today: date) -> bool:
        return self.last_day < today


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_ended_quarter(today: date) -> Quarter:
    return quarter_of(today).previous()


def parse_quarter(value, today: date, field: str = "period") -> Quarter:
    """A quarter that has ended by `today` (figures of a running quarter are not final): else 422."""
    match = PERIOD.match(value.strip()) if isinstance(value, str) else None
    if not match:
        raise ValidationFailed.field(field, _l("period must be a quarter written like 2026Q3"))
    quarter = Quarter(int(match.group(1)), int(match.group(2)))
    if quarter.year < FIRST_YEAR:
        raise ValidationFailed.field(field, _l("period must be %(first)s or later", first=FIRST_YEAR))
    if not quarter.ended_by(today):
        raise ValidationFailed.field(field, _l("%(period)s has not ended yet (it ends on %(day)s): only ended "
                                               "quarters are published", period=str(quarter),
                                               day=quarter.last_day.isoformat()))
    return quarter
