"""The billing-record retention window [M 17] as pure functions (SPEC §4).

On day D an operator must be able to produce every day from D − N calendar months
(end-of-month clamped: 2026-07-31 → 2026-02-28) through D, plus every day of each month
under an active preservation hold, however old. N is `BILLING_RETENTION_MONTHS` (5).
"""
import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from supervision.complaints.rules import add_months

DayRange = tuple[date, date]  # both ends included


def months_before(day: date, months: int) -> date:
    """`day` minus calendar months; a day the target month lacks clamps to its last day."""
    # The same calendar-month arithmetic as the [C 11] billing-dispute limit: written once.
    return add_months(day, -months)


def required_window(day: date, months: int) -> DayRange:
    """The rolling window that must be producible on `day`."""
    return months_before(day, months), day


def month_range(month: str) -> DayRange:
    """'2026-03' → (2026-03-01, 2026-03-31)."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def merge(ranges: list[DayRange]) -> list[DayRange]:
    """Overlapping or touching ranges joined, in order."""
    merged: list[DayRange] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(ranges: list[DayRange], held: DayRange) -> list[DayRange]:
    """The days of `ranges` outside `held`."""
    left: list[DayRange] = []
    for start, end in ranges:
        if held[0] > start:
            left.append((start, min(end, held[0] - timedelta(days=1))))
        if held[1] < end:
            left.append((max(start, held[1] + timedelta(days=1)), end))
    return [(s, e) for s, e in left if s <= e]


def day_count(ranges: list[DayRange]) -> int:
    return sum((end - start).days + 1 for start, end in ranges)


@dataclass(frozen=True)
class Coverage:
    """What had to be producible on a day, what was held, and what is missing."""

    required_from: date
    required_to: date
    held_months: tuple[str, ...]
    required: tuple[DayRange, ...]     # the window and the held months, merged
    gaps: tuple[DayRange, ...]

    @property
    def compliant(self) -> bool:
        return not self.gaps

    @property
    def missing_days(self) -> int:
        return day_count(list(self.gaps))


def judge_coverage(day: date, months: int, held_months: list[str], earliest: date, latest: date,
                   attested_to: date | None = None) -> Coverage:
    """Judge a held range [earliest, latest] on `day` against the window and the held months.

    `attested_to` (default `day`) is the last day the attestation can speak for: the daily
    check judges an older attestation on today's window but cannot count the days after its
    as-of date as missing — its age is judged separately.
    """
    until = min(attested_to or day, day)
    start, _ = required_window(day, months)
    months_held = sorted(set(held_months))
    ranges = [(start, until)] if start <= until else []
    for month in months_held:
        first, last = month_range(month)
        if first <= until:
            ranges.append((first, min(last, until)))
    required = merge(ranges)
    gaps = subtract(required, (earliest, latest)) if earliest <= latest else required
    return Coverage(start, day, tuple(months_held), tuple(required), tuple(merge(gaps)))


# --- the billing-record sample (SPEC §4: seeded, reproducible) ------------------------------------

def months_in(start: date, end: date) -> list[str]:
    """Every month touched by [start, end]."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def sample_months(window: DayRange, held_months: list[str]) -> list[str]:
    """The months a sample may ask for: those of the required window and every held month."""
    return sorted(set(months_in(*window)) | set(held_months))


def draw_sample(seed: int, accounts: list[str], months: list[str], size: int) -> list[tuple[str, str]]:
    """`size` distinct (account, month) pairs drawn with `seed`: the same inputs give the same draw.

    The pools are sorted first, so the draw depends on their content, not on the order given.
    """
    import random

    pool = [(account, month) for account in sorted(set(accounts)) for month in sorted(set(months))]
    return sorted(random.Random(seed).sample(pool, min(size, len(pool))))
