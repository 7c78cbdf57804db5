"""Quarterly complaint statistics per operator, per province and for the industry (SPEC §8).

Numerators and denominators come from three GROUP BY queries (queries.py); this module only
combines their per operator × province cells.

Definitions (stated in the README and the API docs):
- count: complaints received in the quarter (China time), excluding rejected ones;
- rate: complaints per million subscribers over the cells that have a stored subscriber
  count; a group (operator or province) with complaints in a cell that has no count is not
  rated (its reason names the cells), because a partial denominator would inflate the rate;
- industry: pooled = total complaints ÷ total subscribers of the rated operators (not a mean
  of rates); the total of all complaints is reported beside it;
- answered in time: the configured clock (default `answer`) met ÷ (met + missed);
- ranking: rated operators whose exact Poisson intervals overlap share a comparison group.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.access.scoping import officer_sees_all, scoped
from supervision.complaints.models import CATEGORIES
from supervision.errors import Forbidden, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l, joined
from supervision.operators.models import Operator
from supervision.operators.rules import parse_quarter, previous_quarter, same_quarter_last_year
from supervision.statistics import queries, rules
from supervision.statistics.queries import Cell

SUBSCRIBERS_SOURCE = "subscriber_counts: the operator's stored count for the province and quarter"


@dataclass
class QuarterData:
    period: str
    counts: dict[Cell, dict[str, int]]
    subscribers: dict[Cell, int]
    clocks: dict[Cell, tuple[int, int, int]]


@dataclass
class Figures:
    complaints: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    subscribers: int | None = None
    rate: rules.Rate | None = None
    not_rated_reason: object = None
    met: int = 0
    missed: int = 0
    running: int = 0


def _figures(data: QuarterData, member: Callable[[Cell], bool], missing_label: Callable[[Cell], str],
             level: float) -> Figures:
    cells = {cell for cell in (*data.counts, *data.subscribers, *data.clocks) if member(cell)}
    figures = Figures()
    for cell in cells:
        for category, n in data.counts.get(cell, {}).items():
            figures.by_category[category] = figures.by_category.get(category, 0) + n
        met, missed, running = data.clocks.get(cell, (0, 0, 0))
        figures.met, figures.missed, figures.running = figures.met + met, figures.missed + missed, \
            figures.running + running
    figures.complaints = sum(figures.by_category.values())
    uncounted = [missing_label(c) for c in sorted(cells) if c not in data.subscribers and data.counts.get(c)]
    subscribers = sum(data.subscribers[c] for c in cells if c in data.subscribers)
    if uncounted:
        figures.not_rated_reason = _l("no subscriber count for %(period)s for: %(cells)s",
                                      period=data.period, cells=joined(uncounted, ", "))
    elif subscribers <= 0:
        figures.not_rated_reason = _l("no subscriber count for %(period)s", period=data.period)
    else:
        figures.subscribers = subscribers
        figures.rate = rules.rate_per_million(figures.complaints, subscribers, level)
    return figures


def _quarter(period: str, provinces: list[str] | None, clock: str) -> QuarterData:
    return QuarterData(period, queries.complaint_counts(period, provinces),
                       queries.subscriber_counts(period, provinces),
                       queries.clock_outcomes(period, provinces, clock))


def statistics_provinces(user: User, province: str | None) -> list[str] | None:
    """The provinces the caller's statistics cover (None = all); another province is a 404."""
    if user is None or user.role != Role.OFFICER:
        raise Forbidden(_l("Only officers see unpublished statistics."))
    if officer_sees_all(user):
        return None if province is None else [province]
    if province not in (None, user.authority_code):
        raise NotFound(_l("No statistics for this province in your jurisdiction."))
    return [user.authority_code]


def complaint_statistics(period: str, user: User, province: str | None = None) -> dict:
    """All figures of one quarter in the caller's scope, as the officer API returns them."""
    try:
        parse_quarter(period)
    except ValueError:
        raise ValidationFailed.field("period", _l("period must be a quarter like 2026Q3")) from None
    config = current_app.config
    level, target, clock = (config["STATISTICS_CONFIDENCE_LEVEL"], config["TIMELY_HANDLING_TARGET"],
                            config["STATISTICS_TIMELY_CLOCK"])
    provinces = statistics_provinces(user, province)
    quarters = [_quarter(p, provinces, clock)
                for p in (period, previous_quarter(period), same_quarter_last_year(period))]

    operator_ids = {cell[0] for cell in (*quarters[0].counts, *quarters[0].subscribers)}
    visible = scoped(select(Operator.id), user).where(Operator.status == "active")
    operator_ids |= set(db.session.scalars(visible))
    names = dict(db.session.execute(select(Operator.id, Operator.name).where(Operator.id.in_(operator_ids))).all())
    province_codes = sorted({cell[1] for cell in (*quarters[0].counts, *quarters[0].subscribers)})

    def by_operator(operator_id):
        return [_figures(q, lambda c: c[0] == operator_id, lambda c: _l("province %(p)s", p=c[1]), level)
                for q in quarters]

    def by_province(code):
        return [_figures(q, lambda c: c[1] == code, lambda c: names.get(c[0], str(c[0])), level)
                for q in quarters]

    operators = {oid: by_operator(oid) for oid in sorted(operator_ids)}
    rated = {oid: figs[0].rate for oid, figs in operators.items() if figs[0].rate is not None}
    groups = rules.comparable_groups(rated)
    group_sizes = {g: list(groups.values()).count(g) for g in set(groups.values())}

    operator_items = []
    for oid, figs in operators.items():
        item = _item(figs, target) | {"operator_id": oid, "operator": names[oid], "rank_group": groups.get(oid)}
        item["group_size"] = group_sizes.get(groups.get(oid))
        operator_items.append(item)
    operator_items.sort(key=lambda i: (i["rank_group"] is None, i["rank_group"] or 0, i["operator_id"]))
    # Pooled over the rated operators: their total complaints ÷ their total subscribers.
    industry = [_figures(q, lambda c: c[0] in rated, lambda c: names.get(c[0], str(c[0])), level)
                for q in quarters]
    return {
        "period": period, "province": province, "confidence_level": level, "timely_clock": clock,
        "timely_target": target,
        "total_complaints": sum(figs[0].complaints for figs in operators.values()),
        "industry": _item(industry, target),
        "operators": operator_items,
        "provinces": [_item(by_province(code), target) | {"province": code} for code in province_codes],
        "groups": [{"group": g, "operator_ids": sorted(o for o, og in groups.items() if og == g),
                    "comparable": group_sizes[g] > 1} for g in sorted(group_sizes)],
        "below_timely_target": [{"operator_id": i["operator_id"], "operator": i["operator"],
                                 "share": i["answered_in_time"]["share"]}
                                for i in operator_items if i["below_timely_target"]],
    }


def _item(figs: list[Figures], target: float) -> dict:
    current, previous, year_ago = figs
    share = rules.timely_share(current.met, current.missed)
    return {
        "complaints": current.complaints,
        "subscribers": current.subscribers,
        # The denominator's source: the operator's stored count for this very quarter (SPEC §8).
        "subscribers_source": SUBSCRIBERS_SOURCE,
        "rated": current.rate is not None,
        "not_rated_reason": None if current.not_rated_reason is None else str(current.not_rated_reason),
        "rate_per_million": _attr(current.rate, "per_million"),
        "ci_low": _attr(current.rate, "ci_low"),
        "ci_high": _attr(current.rate, "ci_high"),
        "category_shares": _shares(current),
        "answered_in_time": {"met": current.met, "missed": current.missed, "running": current.running,
                             "share": share},
        "below_timely_target": share is not None and share < target,
        "previous_quarter": _past(previous),
        "same_quarter_last_year": _past(year_ago),
        "complaints_change_qoq": rules.relative_change(current.complaints, previous.complaints),
        "rate_change_qoq": rules.relative_change(_attr(current.rate, "per_million"), _attr(previous.rate, "per_million")),
        "complaints_change_yoy": rules.relative_change(current.complaints, year_ago.complaints),
        "rate_change_yoy": rules.relative_change(_attr(current.rate, "per_million"), _attr(year_ago.rate, "per_million")),
    }


def _past(figures: Figures) -> dict:
    return {"complaints": figures.complaints, "rate_per_million": _attr(figures.rate, "per_million")}


def _shares(figures: Figures) -> dict:
    total = figures.complaints
    return {category: (figures.by_category.get(category, 0) / total if total else None) for category in CATEGORIES}


def _attr(rate: rules.Rate | None, name: str) -> float | None:
    return None if rate is None else getattr(rate, name)

