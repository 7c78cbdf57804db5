"""The trend over quarters: this quarter's figures beside the PUBLISHED figures of earlier ones.

Earlier quarters are read from their latest published versions (never recomputed), so a
trend line shows what was published for each quarter, corrections included.
"""
from sqlalchemy import select

from supervision.extensions import db
from supervision.publications.figures import table_named
from supervision.publications.models import Publication
from supervision.publications.periods import Quarter

TREND_QUARTERS = 5       # this quarter and the four before it
MAX_SERIES = 8           # more lines than this cannot be read; the table has them all


def _quarter(period: str) -> Quarter:
    return Quarter(int(period[:4]), int(period[5]))


def published_figures(kind: str, authority: str, periods: list[str]) -> dict[str, dict]:
    """period → the figures of the latest published version of that quarter."""
    rows = db.session.scalars(select(Publication).where(
        Publication.kind == kind, Publication.authority_code == authority, Publication.status == "published",
        Publication.period.in_(periods)).order_by(Publication.version)).all()
    return {row.period: row.figures for row in rows}  # later versions overwrite earlier ones


def trend_series(spec: dict, by_period: dict[str, dict], periods: list[str], keep=None) -> list[dict]:
    """One line per key (operator) found this quarter, valued from each quarter's table."""
    current = by_period.get(periods[-1]) or {}
    rows = (table_named(current, spec["table"]) or {"rows": []})["rows"]
    rows = [r for r in rows if keep is None or keep(r)]
    keys: dict = {}
    for row in rows:
        keys.setdefault(_key(spec, row), " · ".join(str(row[c]) for c in _columns(spec["label"]) if row.get(c)))
    series = []
    for key, label in list(keys.items())[:MAX_SERIES]:
        values = {}
        for period in periods:
            tbl = table_named(by_period.get(period) or {}, spec["table"]) or {"rows": []}
            matching = [r for r in tbl["rows"] if _key(spec, r) == key and (keep is None or keep(r))]
            values[period] = matching[0].get(spec["value"]) if len(matching) == 1 else None
        series.append({"label": label, "values": values})
    return series


def _columns(names) -> list[str]:
    return [names] if isinstance(names, str) else list(names)


def _key(spec: dict, row: dict) -> tuple:
    """A line's identity: one or several columns (operator; or operator, province and service)."""
    return tuple(row.get(c) for c in _columns(spec["key"]))


def with_trend(figures: dict, authority: str) -> dict:
    spec = figures.get("trend")
    if not spec:
        return figures
    quarter = _quarter(figures["period"])
    periods = [str(quarter.previous(n)) for n in range(TREND_QUARTERS - 1, -1, -1)]
    by_period = published_figures(figures["kind"], authority, periods[:-1]) | {periods[-1]: figures}
    kept = [p for p in periods if p in by_period]
    # Rows that are one per key only (a provincial table, or one service) make one line each.
    spec = spec | {"periods": kept, "series": trend_series(spec, by_period, kept)}
    return figures | {"trend": spec}
