"""The coverage picture (SPEC §4): one timeline per billing system × province, as geometry the
templates draw as SVG — required window, held months, the days held, gaps in red. Pure."""
from dataclasses import dataclass
from datetime import date

from supervision.obligations.retention_rules import month_range

WIDTH = 600  # SVG user units of the time axis


@dataclass(frozen=True)
class Bar:
    kind: str        # required | held_month | held | gap
    x: float
    width: float
    start: date
    end: date


def _scale(first: date, last: date):
    span = max((last - first).days + 1, 1)

    def bar(kind: str, start: date, end: date) -> Bar:
        start, end = max(start, first), min(end, last)
        return Bar(kind, round((start - first).days * WIDTH / span, 2),
                   round(max((end - start).days + 1, 0) * WIDTH / span, 2), start, end)
    return bar


def _at_least(bar: Bar, width: float) -> Bar:
    return Bar(bar.kind, bar.x, max(bar.width, width), bar.start, bar.end)


def timeline(required_from: date, required_to: date, held_months: list[str], earliest: date, latest: date,
             gaps: list[dict]) -> dict:
    months = [month_range(m) for m in held_months]
    first = min([required_from, earliest, *(m[0] for m in months)])
    last = max(required_to, latest)
    bar = _scale(first, last)
    bars = [bar("required", required_from, required_to)]
    bars += [bar("held_month", start, end) for start, end in months]
    if earliest <= latest:
        bars.append(bar("held", earliest, latest))
    # A one-day gap stays visible on a five-month axis.
    bars += [_at_least(bar("gap", date.fromisoformat(g["from"]), date.fromisoformat(g["to"])), 4) for g in gaps]
    ticks = []
    day = date(first.year, first.month, 1)
    while day <= last:
        if day >= first:
            ticks.append(bar("tick", day, day))
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return {"first": first, "last": last, "bars": [b for b in bars if b.width > 0], "ticks": ticks}
