"""Risk score per operator per quarter (issue 8): where to look first, and the weights of the
campaign draw. Each part is counted in the officer's jurisdiction; the formula and its weights
are a stored, versioned methodology (`risk_methodologies`).

Parts: complaints per million subscribers (complaints received in the quarter, not rejected,
over the stored subscriber counts), missed operator-reply clocks of those complaints, open
retention findings, self-inspection reports missed in the last four quarters (the clock
`self_inspection_report`, whatever record kind carries it), open rectification orders.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from supervision.access.models import NATIONAL, User
from supervision.access.scoping import scoped
from supervision.clock import local_tz
from supervision.complaints.models import Complaint
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.i18n import _l
from supervision.inspections.models import RiskMethodology
from supervision.operators.models import Operator, SubscriberCount
from supervision.operators.rules import parse_quarter
from supervision.orders.models import RectificationOrder
from supervision.workflow.models import Deadline

PARTS = ("complaints_per_million", "missed_reply_clocks", "open_retention_findings", "late_self_inspections",
         "open_orders")


@dataclass
class RiskScore:
    operator_id: int
    operator: str
    quarter: str
    methodology: int
    parts: dict = field(default_factory=dict)
    score: float = 0.0
    # A part that could not be computed (no subscriber count stored): counted as 0, said why.
    notes: list = field(default_factory=list)


def current_methodology() -> RiskMethodology:
    found = db.session.scalar(select(RiskMethodology).order_by(RiskMethodology.version.desc()).limit(1))
    if found is None:
        raise LookupError("risk methodology missing: run the migrations")
    return found


FIRST_YEAR, LAST_YEAR = 2000, 2100  # [default] quarters a risk score can be asked for


def checked_quarter(quarter: str) -> str:
    """A quarter such as 2026Q4 within the years the system can hold data for, else 422."""
    try:
        year, _q = parse_quarter(quarter)
    except ValueError:
        year = None
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationFailed.field("quarter", _l("quarter must be like 2026Q4, between %(first)d and %(last)d",
                                                   first=FIRST_YEAR, last=LAST_YEAR))
    return quarter


def quarter_bounds(quarter: str) -> tuple[datetime, datetime]:
    year, q = parse_quarter(quarter)
    start = date(year, 3 * (q - 1) + 1, 1)
    end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    tz = local_tz()
    return datetime.combine(start, time(), tzinfo=tz), datetime.combine(end, time(), tzinfo=tz)


def _provinces(user: User) -> list[str] | None:
    """The provinces the user's counts cover; None for all (CN)."""
    return None if user.authority_code in (None, NATIONAL) else [user.authority_code]


def _in(column, provinces):
    return True if provinces is None else column.in_(provinces)


def _parts(operator: Operator, quarter: str, provinces, authority: str | None) -> tuple[dict, list]:
    start, end = quarter_bounds(quarter)
    complaints = (select(Complaint.id).where(Complaint.operator_id == operator.id, _in(Complaint.province, provinces),
                                             Complaint.received_at >= start, Complaint.received_at < end,
                                             Complaint.status != "rejected"))
    count = db.session.scalar(select(func.count()).select_from(complaints.subquery()))
    # SUM of a BIGINT is a NUMERIC on PostgreSQL (a Decimal): a plain int for the arithmetic.
    subscribers = int(db.session.scalar(select(func.sum(SubscriberCount.subscribers)).where(
        SubscriberCount.operator_id == operator.id, SubscriberCount.quarter == quarter,
        _in(SubscriberCount.province, provinces))) or 0)
    notes = [] if subscribers else [f"no subscriber count stored for {quarter}"]
    missed = db.session.scalar(select(func.count(Deadline.id)).where(
        Deadline.subject_type == "complaint", Deadline.clock == "operator_reply", Deadline.state == "missed",
        Deadline.subject_id.in_(complaints)))
    in_authority = (lambda column: column == authority) if authority else (lambda column: True)
    retention = db.session.scalar(select(func.count(Finding.id)).where(
        Finding.operator_id == operator.id, Finding.source == "retention", Finding.state != "closed",
        in_authority(Finding.authority_code)))
    orders = db.session.scalar(select(func.count(RectificationOrder.id)).where(
        RectificationOrder.operator_id == operator.id, RectificationOrder.status != "closed",
        in_authority(RectificationOrder.authority_code)))
    parts = {"complaints_per_million": round(count * 1_000_000 / subscribers, 3) if subscribers else 0.0,
             "missed_reply_clocks": missed, "open_retention_findings": retention,
             "late_self_inspections": _late_self_inspections(operator, end.date()), "open_orders": orders}
    return parts, notes


def _late_self_inspections(operator: Operator, quarter_end: date) -> int:
    """Missed `self_inspection_report` clocks in the last year, on whatever record kind carries them."""
    from supervision.workflow.subjects import subjects

    total = 0
    for kind in subjects():
        if not hasattr(kind.model, "operator_id"):
            continue
        ids = select(kind.model.id).where(kind.model.operator_id == operator.id)
        total += db.session.scalar(select(func.count(Deadline.id)).where(
            Deadline.subject_type == kind.type, Deadline.clock == "self_inspection_report",
            Deadline.state == "missed", Deadline.due < quarter_end,
            Deadline.due >= quarter_end - timedelta(days=366), Deadline.subject_id.in_(ids)))
    return total


def score_of(parts: dict, methodology: RiskMethodology) -> float:
    return round(sum(methodology.weights.get(name, 0) * value for name, value in parts.items()), 3)


def risk_scores(user: User, quarter: str) -> list[RiskScore]:
    """Every operator the user may see, scored for `quarter` in the user's jurisdiction; highest first."""
    checked_quarter(quarter)
    methodology = current_methodology()
    provinces = _provinces(user)
    authority = None if provinces is None else user.authority_code
    scores = []
    for operator in db.session.scalars(scoped(select(Operator), user).order_by(Operator.id)):
        parts, notes = _parts(operator, quarter, provinces, authority)
        scores.append(RiskScore(operator.id, operator.name, quarter, methodology.version, parts,
                                score_of(parts, methodology), notes))
    return sorted(scores, key=lambda s: (-s.score, s.operator_id))
