"""Pure rules of the quarterly complaint statistics (SPEC §8), unit-tested without an app."""
from dataclasses import dataclass
from datetime import date

PER_MILLION = 1_000_000


def poisson_interval(count: int, level: float) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson mean from an observed count.

    low = χ²(α/2; 2k) / 2 (0 when k = 0), high = χ²(1 − α/2; 2k + 2) / 2, α = 1 − level.
    It never under-covers, which matters for small counts where a normal interval would
    rank operators on noise.
    """
    # Imported on first use: scipy.stats takes seconds to import, which every web worker and
    # CLI command would otherwise pay at start-up.
    from scipy.stats import chi2

    if count < 0:
        raise ValueError("a count cannot be negative")
    alpha = 1 - level
    low = 0.0 if count == 0 else float(chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(chi2.ppf(1 - alpha / 2, 2 * count + 2)) / 2
    return low, high


@dataclass(frozen=True)
class Rate:
    """Complaints per million subscribers with its exact 95% interval."""

    per_million: float
    ci_low: float
    ci_high: float


def rate_per_million(complaints: int, subscribers: int, level: float) -> Rate:
    if subscribers <= 0:
        raise ValueError("a rate needs a positive subscriber count")
    low, high = poisson_interval(complaints, level)
    scale = PER_MILLION / subscribers
    return Rate(complaints * scale, low * scale, high * scale)


def relative_change(current: float | None, previous: float | None) -> float | None:
    """(current − previous) / previous; None when either is unknown or previous is zero."""
    if current is None or previous is None or previous == 0:
        return None
    return (current - previous) / previous


def timely_share(met: int, missed: int) -> float | None:
    """Share of decided clocks that were met; None when none is decided yet."""
    decided = met + missed
    return None if decided == 0 else met / decided


def comparable_groups(intervals: dict[int, Rate]) -> dict[int, int]:
    """Group id per key: 1 = lowest complaint rate. Keys whose intervals overlap, directly or
    through a chain of overlaps, share a group: they cannot be told apart, so they are not ranked
    against each other. Only a group of one is a separate rank."""
    ordered = sorted(intervals.items(), key=lambda item: (item[1].ci_low, item[1].per_million, item[0]))
    groups: dict[int, int] = {}
    group, reach = 0, None
    for key, rate in ordered:
        if reach is None or rate.ci_low > reach:
            group += 1
            reach = rate.ci_high
        else:
            reach = max(reach, rate.ci_high)
        groups[key] = group
    return groups


def quarter_bounds(period: str) -> tuple[date, date]:
    """First day of the quarter and first day of the next one ('2026Q3' → 2026-07-01, 2026-10-01)."""
    from supervision.operators.rules import parse_quarter

    year, q = parse_quarter(period)
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, end
