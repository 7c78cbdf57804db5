"""The authority's supervision dashboard: counts that lead to filtered lists (issue 8)."""
from datetime import date, datetime, time

from sqlalchemy import func, select

from supervision.access.models import User
from supervision.access.scoping import scoped
from supervision.clock import local_tz
from supervision.extensions import db
from supervision.inspections.models import Inspection
from supervision.inspections.risk import risk_scores
from supervision.operators.rules import quarter_of
from supervision.orders.models import PenaltyDecision, RectificationOrder


def _count_by(stmt, column) -> dict[str, int]:
    grouped = stmt.with_only_columns(column, func.count()).group_by(column).order_by(None)
    return {key: count for key, count in db.session.execute(grouped)}


def dashboard(user: User, today: date) -> dict:
    inspections = scoped(select(Inspection), user)
    orders = scoped(select(RectificationOrder), user)
    penalties = scoped(select(PenaltyDecision), user)
    year_start = datetime.combine(date(today.year, 1, 1), time(), tzinfo=local_tz())
    overdue = db.session.scalar(orders.with_only_columns(func.count()).where(
        RectificationOrder.overdue.is_(True), RectificationOrder.status != "closed").order_by(None))
    due_soon = list(db.session.scalars(orders.where(RectificationOrder.status != "closed")
                                       .order_by(RectificationOrder.deadline_on).limit(5)))
    return {
        "inspections": _count_by(inspections.where(Inspection.status.not_in(("published", "cancelled"))),
                                 Inspection.status),
        "orders": _count_by(orders, RectificationOrder.status),
        "overdue_orders": overdue,
        "nearest_orders": due_soon,
        "penalties_this_year": _count_by(penalties.where(PenaltyDecision.created_at >= year_start),
                                         PenaltyDecision.status),
        "highest_risk": risk_scores(user, quarter_of(today))[:5],
        "quarter": quarter_of(today),
    }
