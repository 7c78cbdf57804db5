"""Published spot-check results [M 8]: what the public page and the publications read.

Only published versions leave the authority; every version stays (a correction is a new
version with its note), so a reader sees the history.
"""
from datetime import date, datetime, time

from sqlalchemy import select

from supervision.extensions import db
from supervision.inspections.models import Inspection, PublishedResult
from supervision.operators.models import Operator


def _period_bounds(period: str) -> tuple[date, date]:
    """'2026Q3' → [1 Jul, 1 Oct); '2026H1' → [1 Jan, 1 Jul); '2026' → the year."""
    year = int(period[:4])
    if len(period) == 4:
        return date(year, 1, 1), date(year + 1, 1, 1)
    kind, number = period[4], int(period[5:])
    months = 3 if kind == "Q" else 6
    if kind not in "QH" or not 1 <= number <= 12 // months:
        raise ValueError(f"not a period: {period!r}")
    start_month = (number - 1) * months + 1
    end = date(year + (start_month + months > 12), (start_month + months - 1) % 12 + 1, 1)
    return date(year, start_month, 1), end


def _version_view(version: PublishedResult) -> dict:
    return {"version": version.version, "published_at": version.published_at.isoformat(),
            "summary": version.summary, "operator_reply": version.operator_reply,
            "items": dict(version.item_counts), "correction_note": version.correction_note}


def result_view(inspection: Inspection) -> dict:
    """One inspection's public record: no officer names, no notes of items, only published text."""
    versions = [_version_view(v) for v in inspection.versions]
    return {"inspection_id": inspection.id, "operator_id": inspection.operator_id,
            "operator": inspection.operator.name, "authority": inspection.authority_code,
            "province": inspection.province, "type": inspection.type,
            "inspected_on": (inspection.started_at or datetime.combine(inspection.planned_on, time())).date().isoformat(),
            "current": versions[-1] if versions else None, "history": versions}


def published_results(period: str, authority_code: str | None = None, tz=None) -> list[dict]:
    """Inspections first published in `period` (China dates), per authority when given: plain dicts."""
    start, end = _period_bounds(period)
    first = (select(PublishedResult.inspection_id).where(PublishedResult.version == 1)
             .where(PublishedResult.published_at >= _utc(start, tz), PublishedResult.published_at < _utc(end, tz)))
    stmt = select(Inspection).where(Inspection.id.in_(first)).order_by(Inspection.id)
    if authority_code:
        stmt = stmt.where(Inspection.authority_code == authority_code)
    return [result_view(i) for i in db.session.scalars(stmt)]


def results_of_operator(operator: Operator) -> list[dict]:
    stmt = (select(Inspection).where(Inspection.operator_id == operator.id,
                                     Inspection.id.in_(select(PublishedResult.inspection_id)))
            .order_by(Inspection.id.desc()))
    return [result_view(i) for i in db.session.scalars(stmt)]


def operators_with_results() -> list[tuple[Operator, int]]:
    from sqlalchemy import func

    stmt = (select(Operator, func.count(func.distinct(Inspection.id)))
            .join(Inspection, Inspection.operator_id == Operator.id)
            .where(Inspection.id.in_(select(PublishedResult.inspection_id)))
            .group_by(Operator.id).order_by(Operator.name))
    return [(operator, count) for operator, count in db.session.execute(stmt)]


def _utc(day: date, tz=None) -> datetime:
    from supervision.clock import local_tz

    return datetime.combine(day, time(), tzinfo=tz or local_tz())
