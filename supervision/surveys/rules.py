"""Pure rules of survey rows and the satisfaction index (SPEC §8), unit-tested without an app.

The index is computed from four per-cell sums the database returns (n, ΣR, ΣR², satisfied),
where R is a respondent's *integer* raw score: Σ weight_points × (item − scale_min), with the
weights as integer points (weight × WEIGHT_POINTS). The respondent score of SPEC §8 is then
R × 100 / ((scale_max − scale_min) × WEIGHT_POINTS). Integer sums are exact in SQLite and
PostgreSQL, so the mean and the variance are exact rationals rounded once to a float — the
same number a slow exact computation over the rows gives, with no cancellation error in ΣR².
"""
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from supervision.i18n import _l
from supervision.surveys.models import ITEMS, SERVICES

HEADER = ("operator_licence_no", "province", "service", "period", "respondent_id", *ITEMS)
# Weights are stored with four decimals (Numeric(5, 4)); one point = 0.0001.
WEIGHT_POINTS = 10_000
# A period is a calendar quarter, like subscriber counts: 2026Q3 (= July–September 2026).
PERIOD_PATTERN = re.compile(r"(\d{4})Q([1-4])")
RESPONDENT_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


@dataclass(frozen=True)
class Method:
    """The numbers of one methodology version, detached from the database."""

    version: int
    scale_min: int
    scale_max: int
    satisfied_threshold: int
    minimum_n: int
    confidence_z: Decimal
    weights: dict[str, Decimal]

    @cached_property
    def valid_scores(self) -> frozenset[str]:
        """The scores as they are written in a file: "1" … "10" (no sign, no decimals)."""
        return frozenset(str(score) for score in range(self.scale_min, self.scale_max + 1))

    @cached_property
    def weight_points(self) -> dict[str, int]:
        return {item: int(self.weights[item] * WEIGHT_POINTS) for item in ITEMS}


def methodology_problem(method: Method) -> str | None:
    """Why a methodology cannot be used, or None."""
    if set(method.weights) != set(ITEMS):
        return _l("weights must name exactly %(items)s", items=", ".join(ITEMS))
    if any(w < 0 or w * WEIGHT_POINTS != int(w * WEIGHT_POINTS) for w in method.weights.values()):
        return _l("weights must be non-negative with at most four decimals")
    if sum(method.weights.values()) != 1:
        return _l("weights must sum to 1")
    if method.scale_max <= method.scale_min:
        return _l("scale_max must be above scale_min")
    if not method.scale_min <= method.satisfied_threshold <= method.scale_max:
        return _l("the satisfied threshold must lie on the scale")
    if method.minimum_n < 1:
        return _l("minimum n must be at least 1")
    return None


# --- one CSV row ---------------------------------------------------------------------------

@lru_cache(maxsize=256)  # a file holds a handful of periods: check each once
def period_problem(value: str, current_period: str) -> str | None:
    """A quarter like 2026Q3, from 2000 up to the current quarter (a survey of the future is a typo)."""
    match = PERIOD_PATTERN.fullmatch(value)
    if match is None:
        return _l("period must be a quarter like 2026Q3")
    if not "2000Q1" <= value <= current_period:
        return _l("period must lie between 2000Q1 and the current quarter %(current)s", current=current_period)
    return None


def score_problem(value: str, method: Method) -> str | None:
    if value not in method.valid_scores:
        return _l("score must be a whole number from %(low)d to %(high)d", low=method.scale_min, high=method.scale_max)
    return None


def row_problems(row: list[str], method: Method, current_period: str) -> list[tuple[str, object]]:
    """(column, message) for everything wrong with one row that needs no database."""
    if len(row) != len(HEADER):
        return [("", _l("expected %(expected)d columns, found %(found)d", expected=len(HEADER), found=len(row)))]
    licence_no, _province, service, period, respondent_id, *scores = (cell.strip() for cell in row)
    problems = []
    if not licence_no:
        problems.append(("operator_licence_no", _l("operator licence number is required")))
    if service not in SERVICES:
        problems.append(("service", _l("service must be one of %(services)s", services=", ".join(SERVICES))))
    if (problem := period_problem(period, current_period)) is not None:
        problems.append(("period", problem))
    if not RESPONDENT_ID_PATTERN.fullmatch(respondent_id):
        problems.append(("respondent_id", _l(
            "respondent id must be 1–64 letters, digits, '.', '_', ':' or '-' (no personal data)")))
    valid = method.valid_scores
    for item, score in zip(ITEMS, scores, strict=True):
        if score not in valid:
            problems.append((item, score_problem(score, method)))
    return problems


# --- the index -----------------------------------------------------------------------------

@dataclass(frozen=True)
class CellSums:
    """What the database returns per operator × province × service × period."""

    n: int
    sum_raw: int
    sum_raw_squares: int
    satisfied: int


@dataclass(frozen=True)
class IndexFigures:
    n: int
    index: float | None
    standard_error: float | None
    ci_low: float | None
    ci_high: float | None
    satisfaction_rate: float | None
    suppressed: bool
    methodology_version: int


def raw_score(scores: dict[str, int], method: Method) -> int:
    """A respondent's integer raw score R (see the module docstring)."""
    points = method.weight_points
    return sum(points[item] * (scores[item] - method.scale_min) for item in ITEMS)


def score_span(method: Method) -> int:
    """The raw score R of a respondent who gave every item the top of the scale."""
    return (method.scale_max - method.scale_min) * WEIGHT_POINTS


def score_scale(method: Method) -> Fraction:
    """R × score_scale = the respondent score on 0–100 (SPEC §8: (s − 1) / 9 × 100, weighted)."""
    return Fraction(100, score_span(method))


def index_figures(sums: CellSums, method: Method) -> IndexFigures:
    """Index, SE, 95% CI and satisfaction rate of one cell, exactly as SPEC §8.

    Below the methodology's minimum n the cell is suppressed: index, CI and rate are None
    (never zero). With n = 1 the sample standard deviation is undefined, so SE and CI are None.
    """
    n = sums.n
    if n < method.minimum_n or n == 0:
        return IndexFigures(n, None, None, None, None, None, True, method.version)
    # Exact rationals rounded once: Python's int / int is correctly rounded, so each float is
    # the one float(Fraction(...)) gives, without building Fractions for every cell.
    span = score_span(method)  # score_scale = 100 / span
    mean = sums.sum_raw * 100 / (n * span)
    standard_error = ci_low = ci_high = None
    if n > 1:
        # Sample variance of R with exact integers: (nΣR² − (ΣR)²) / (n(n − 1)), times score_scale²;
        # SE = √(variance / n).
        spread = n * sums.sum_raw_squares - sums.sum_raw ** 2
        standard_error = math.sqrt(spread * 100 ** 2 / (n * n * (n - 1) * span ** 2))
        half_width = float(method.confidence_z) * standard_error
        ci_low, ci_high = mean - half_width, mean + half_width
    return IndexFigures(n, mean, standard_error, ci_low, ci_high, sums.satisfied / n, False, method.version)


def parse_period(value: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3); ValueError otherwise."""
    match = PERIOD_PATTERN.fullmatch(value or "")
    if match is None:
        raise ValueError("period must be a quarter like 2026Q3")
    return int(match[1]), int(match[2])
