"""The satisfaction index (SPEC §8), computed by SQL aggregates in the database.

One GROUP BY per period returns, per operator × province × service, the count, ΣR, ΣR² and the
number satisfied, where R is the respondent's integer raw score (see rules.py); the figures
come from those four sums. No Python loop ever sees a respondent row.
"""
import math
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import BigInteger, ColumnElement, cast, func, literal_column, select

from supervision.access.models import User
from supervision.access.scoping import scoped
from supervision.errors import NotFound, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.operators.models import Operator
from supervision.surveys import rules
from supervision.surveys.models import ITEMS, MethodologyVersion, SurveyResponse


def current_methodology() -> MethodologyVersion:
    """The newest methodology version (versions are only ever added)."""
    version = db.session.scalar(select(MethodologyVersion).order_by(MethodologyVersion.version.desc()).limit(1))
    if version is None:
        raise LookupError("no methodology version: run the migrations (0009 seeds version 1)")
    return version


def methodology(version: int | None) -> MethodologyVersion:
    if version is None:
        return current_methodology()
    found = db.session.get(MethodologyVersion, version)
    if found is None:
        raise NotFound(_l("No methodology version %(version)d.", version=version))
    return found


def method_of(version: MethodologyVersion) -> rules.Method:
    method = rules.Method(version.version, version.scale_min, version.scale_max, version.satisfied_threshold,
                          version.minimum_n, version.confidence_z, version.weights())
    if (problem := rules.methodology_problem(method)) is not None:
        raise ValueError(f"methodology version {version.version} is unusable: {problem}")
    return method


@dataclass(frozen=True)
class RawScoreSql:
    """R as SQL: R = unit × expression."""

    expression: ColumnElement
    unit: int


def raw_score_sql(method: rules.Method) -> RawScoreSql:
    """R = Σ weight_points × (item − scale_min), computed in SQL as R ÷ g, where g is the weights'
    greatest common divisor (500 for the demo methodology's weights), with the scale_min terms
    folded into one constant. The integers are written into the SQL, not bound.

    Why: R ÷ g of usual weights stays in the hundreds, so R² ÷ g² stays far inside 32 bits and
    PostgreSQL multiplies and sums plain integers (SUM(integer) is a bigint) instead of BIGINT
    products summed as NUMERIC, with half the operations per row. Weights whose R ÷ g could
    square past 32 bits get a BIGINT expression. Exact either way: the sums are scaled back by
    g and g² in Python integers.
    """
    return _raw_score_sql(tuple(method.weight_points.items()), method.scale_min, method.scale_max)


@lru_cache(maxsize=16)  # one per methodology version in use; SQL expressions are immutable
def _raw_score_sql(weight_points: tuple[tuple[str, int], ...], scale_min: int, scale_max: int) -> RawScoreSql:
    points = dict(weight_points)
    unit = math.gcd(*points.values())
    reduced = {item: points[item] // unit for item in ITEMS if points[item]}
    terms = [literal_column(str(weight)) * getattr(SurveyResponse, item) for item, weight in reduced.items()]
    expression = sum(terms[1:], terms[0]) - literal_column(str(scale_min * sum(reduced.values())))
    largest = (scale_max - scale_min) * sum(reduced.values())  # items lie on the scale
    if largest ** 2 >= 2 ** 31:
        expression = cast(expression, BigInteger)
    return RawScoreSql(expression, unit)


@dataclass(frozen=True)
class IndexCell:
    operator_id: int
    operator: str
    province: str
    service: str
    period: str
    figures: rules.IndexFigures


def index_cells(period: str, user: User | None, method: rules.Method,
                province: str | None = None, service: str | None = None) -> list[IndexCell]:
    """The index of every operator × province × service cell of `period` the caller may see."""
    try:
        rules.parse_period(period)
    except ValueError:
        raise ValidationFailed.field("period", _l("period must be a quarter like 2026Q3")) from None
    raw = raw_score_sql(method)
    satisfied = func.count().filter(SurveyResponse.satisfaction >= literal_column(str(method.satisfied_threshold)))
    # Grouped in the order of ix_survey_responses_cell (no sort), names joined to the few groups.
    sums = (select(SurveyResponse.operator_id, SurveyResponse.province, SurveyResponse.service,
                   func.count().label("n"), func.sum(raw.expression).label("sum_raw"),
                   func.sum(raw.expression * raw.expression).label("sum_squares"), satisfied.label("satisfied"))
            .where(SurveyResponse.period == period)
            .group_by(SurveyResponse.operator_id, SurveyResponse.province, SurveyResponse.service))
    if province:
        sums = sums.where(SurveyResponse.province == province)
    if service:
        sums = sums.where(SurveyResponse.service == service)
    sums = scoped(sums, user).subquery()
    stmt = (select(sums.c.operator_id, Operator.name, sums.c.province, sums.c.service, sums.c.n, sums.c.sum_raw,
                   sums.c.sum_squares, sums.c.satisfied)
            .join(Operator, Operator.id == sums.c.operator_id)
            .order_by(sums.c.operator_id, sums.c.province, sums.c.service))
    cells = []
    for operator_id, name, cell_province, cell_service, n, sum_raw, sum_squares, n_satisfied in \
            db.session.execute(stmt):
        # int(): PostgreSQL's SUM(bigint) is an exact NUMERIC (Decimal); exact integers throughout.
        sums = rules.CellSums(int(n), raw.unit * int(sum_raw), raw.unit ** 2 * int(sum_squares), int(n_satisfied))
        cells.append(IndexCell(operator_id, name, cell_province, cell_service, period,
                               rules.index_figures(sums, method)))
    return cells


def satisfaction_index_items(cells: list[IndexCell]) -> list[dict]:
    """Items in exactly the shape of `GET /api/v1/satisfaction-index` (SPEC §10), full precision."""
    return [{"operator_id": c.operator_id, "operator": c.operator, "province": c.province, "service": c.service,
             "index": c.figures.index, "n": c.figures.n, "ci_low": c.figures.ci_low, "ci_high": c.figures.ci_high,
             "satisfaction_rate": c.figures.satisfaction_rate, "suppressed": c.figures.suppressed}
            for c in cells]
