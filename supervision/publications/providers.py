"""Providers of the three kinds: figures for (quarter, authority), in the published shape.

The statistics (issue 9 items 3–4) and inspection modules compute the numbers; these
functions only choose the columns that are published and document each one. Until a module
is there, its kind publishes an empty or partial table with a caveat that says so.
"""

from sqlalchemy import select

from supervision.access.models import NATIONAL, Authority
from supervision.extensions import db
from supervision.i18n import _l
from supervision.publications.figures import NO_RANKING, bars_chart, column, figures, table
from supervision.publications.periods import Quarter

SERVICES = ("mobile", "fixed", "broadband")
CATEGORY_TITLES = {"service": _l("Service dispute"), "billing": _l("Marketing, billing or tariff dispute"),
                   "network": _l("Network quality or information security")}


def provinces_of(authority: str) -> list[str] | None:
    """The provinces an authority publishes for: None (all) for CN, else its own [M 3]."""
    return None if authority == NATIONAL else [authority]


def province_names() -> dict[str, str]:
    return dict(db.session.execute(select(Authority.code, Authority.name_zh)).all())


def _title(kind_label, quarter: Quarter, authority: str) -> dict:
    row = db.session.get(Authority, authority)
    return {"zh_CN": f"{row.authority_zh} {quarter.year}年第{quarter.number}季度{kind_label['zh_CN']}",
            "en": f"{row.authority_en}: {kind_label['en']}, {quarter}"}


# --- complaint statistics -------------------------------------------------------------------

# Columns the operator and province tables share (same meaning, same documentation).
RATE_INTERVAL_COLUMNS = [
    column("rate_ci_low", "number", _l("Rate, lower end of the 95% CI"), _l("Exact Poisson 95% CI, lower end."),
           "1/1e6"),
    column("rate_ci_high", "number", _l("Rate, upper end of the 95% CI"), _l("Exact Poisson 95% CI, upper end."),
           "1/1e6"),
]
COUNT_CHANGE_AND_TIMELY_COLUMNS = [
    column("complaints_change_qoq", "number", _l("Complaints change on the previous quarter"),
           _l("Relative change of the count on the previous quarter.")),
    column("complaints_change_yoy", "number", _l("Complaints change on the same quarter last year"),
           _l("Relative change of the count on the same quarter a year earlier.")),
    column("answered_in_time_share", "number", _l("Answered in time"),
           _l("Share (0–1) of the quarter's complaints answered within the legal deadline.")),
]
OPERATOR_COLUMNS = [
    column("operator_id", "integer", _l("Operator id"), _l("The operator's id in this system (stable).")),
    column("operator", "string", _l("Operator"), _l("The operator's registered name.")),
    column("complaints", "integer", _l("Complaints"),
           _l("Complaints received in the quarter (China time), rejected ones excluded.")),
    column("subscribers", "integer", _l("Subscribers"),
           _l("Subscribers reported for the quarter in the provinces covered; empty when not reported.")),
    column("subscribers_quarter", "string", _l("Subscribers as of"),
           _l("The quarter of the subscriber count (the operator's stored count for that province and quarter).")),
    column("rate_per_million", "number", _l("Complaints per million subscribers"),
           _l("complaints ÷ subscribers × 1,000,000, full precision (pages round to one decimal)."),
           "1/1e6"),
    *RATE_INTERVAL_COLUMNS,
    column("rate_change_qoq", "number", _l("Rate change on the previous quarter"),
           _l("(rate − previous quarter's rate) ÷ previous quarter's rate; empty when either is unknown.")),
    column("rate_change_yoy", "number", _l("Rate change on the same quarter last year"),
           _l("(rate − rate a year earlier) ÷ rate a year earlier; empty when either is unknown.")),
    *COUNT_CHANGE_AND_TIMELY_COLUMNS,
    column("below_timely_target", "boolean", _l("Below the timely-handling target"),
           _l("true when the share answered in time is below the configured target (default 95%).")),
    column("comparable_group", "integer", _l("Group of comparable operators"),
           _l("Operators with the same group number have overlapping intervals and are not ranked "
              "against each other; 1 is the lowest rate.")),
    column("not_ranked_reason", "string", _l("Why not ranked"),
           _l("Filled when the operator is listed but not ranked, e.g. no subscriber count.")),
]
PROVINCE_COLUMNS = [
    column("province", "string", _l("Province code"), _l("GB/T 2260 two-digit code.")),
    column("province_name", "string", _l("Province"), _l("The province's name.")),
    column("complaints", "integer", _l("Complaints"), _l("Complaints received in the quarter, rejected ones excluded.")),
    column("subscribers", "integer", _l("Subscribers"), _l("Subscribers of all operators reporting there.")),
    column("rate_per_million", "number", _l("Complaints per million subscribers"),
           _l("complaints ÷ subscribers × 1,000,000 (pooled, not a mean of rates)."), "1/1e6"),
    *RATE_INTERVAL_COLUMNS,
    *COUNT_CHANGE_AND_TIMELY_COLUMNS,
]
CATEGORY_COLUMNS = [
    column("category", "string", _l("Category code"), _l("service, billing or network.")),
    column("category_name", "string", _l("Category"), _l("The category's name.")),
    column("complaints", "integer", _l("Complaints"), _l("Complaints of the category in the quarter.")),
    column("share", "number", _l("Share"), _l("Share (0–1) of all complaints of the quarter.")),
]


def complaint_statistics(quarter: Quarter, authority: str) -> dict:
    from supervision.publications.adapters import complaint_figures

    result = complaint_figures(quarter, authority)
    categories = [{"category": c, "category_name": CATEGORY_TITLES.get(c, c), "complaints": n,
                   "share": n / result["total"] if result["total"] else None} for c, n in result["categories"].items()]
    industry = result["industry"]
    caveats = [_l("A complaint counts in the quarter it was received (China time) unless it was rejected."),
               _l("Rates use the subscriber count each operator reported for the quarter and province; "
                  "operators without one are listed but not ranked.")]
    statements = []
    if result["below_target"]:
        statements.append(_l("Below the timely-handling target (%(target)s answered in time): %(operators)s.",
                             target=f"{result['target']:.0%}", operators="、".join(result["below_target"])))
    timely = industry["answered_in_time"]["share"]
    label = {"zh_CN": "申诉统计", "en": "complaint statistics"}
    published = figures(
        "complaint_statistics", str(quarter), authority, title=_title(label, quarter, authority),
        tables=[table("operators", _l("Complaints per operator"), _l("One row per operator."),
                      OPERATOR_COLUMNS, result["operators"]),
                table("provinces", _l("Complaints per province"), _l("One row per province."),
                      PROVINCE_COLUMNS, result["provinces"]),
                table("categories", _l("Complaints per category"), _l("One row per category."),
                      CATEGORY_COLUMNS, categories)],
        charts=[bars_chart("operator_rates", _l("Complaints per million subscribers, by operator"), "operators",
                           "operator", "rate_per_million", "rate_ci_low", "rate_ci_high", _l("per million"))],
        trend={"table": "operators", "key": "operator_id", "label": "operator", "value": "rate_per_million",
               "title": _l("Complaints per million subscribers over the quarters"), "unit": _l("per million")},
        headline=[{"label": _l("Complaints"), "value": result["total"], "unit": None},
                  {"label": _l("Complaints per million subscribers (all operators)"),
                   "value": industry["rate_per_million"], "unit": None},
                  {"label": _l("Answered in time (percent)"), "value": None if timely is None else timely * 100,
                   "unit": "%"}],
        caveats=caveats, methodology=result["methodology"], ranking=NO_RANKING)
    return published | {"statements": statements}


# --- satisfaction index -----------------------------------------------------------------------

INDEX_COLUMNS = [
    column("operator_id", "integer", _l("Operator id"), _l("The operator's id in this system (stable).")),
    column("operator", "string", _l("Operator"), _l("The operator's registered name.")),
    column("province", "string", _l("Province code"), _l("GB/T 2260 two-digit code.")),
    column("province_name", "string", _l("Province"), _l("The province's name.")),
    column("service", "string", _l("Service"), _l("mobile, fixed or broadband.")),
    column("n", "integer", _l("Respondents"), _l("Number of respondents (n).")),
    column("index", "number", _l("Satisfaction index"),
           _l("Mean of the respondents' weighted scores on a 0–100 scale; empty when suppressed."), "0-100"),
    column("standard_error", "number", _l("Standard error"),
           _l("Sample standard deviation ÷ √n; empty when suppressed.")),
    column("ci_low", "number", _l("Lower end (95% CI)"), _l("index − 1.96 × standard error; empty when suppressed.")),
    column("ci_high", "number", _l("Upper end (95% CI)"), _l("index + 1.96 × standard error; empty when suppressed.")),
    column("satisfaction_rate", "number", _l("Satisfaction rate"),
           _l("Share (0–1) of respondents scoring overall satisfaction 7 or more; empty when suppressed.")),
    column("suppressed", "boolean", _l("Suppressed"),
           _l("true when n is below the methodology's minimum: the cell is not published (never shown as zero).")),
    column("comparable_group", "integer", _l("Group of comparable operators"),
           _l("Same number: overlapping intervals, not ranked against each other; 1 is the highest index.")),
    column("methodology_version", "integer", _l("Methodology version"), _l("The methodology version used.")),
]


def satisfaction_index(quarter: Quarter, authority: str) -> dict:
    from supervision.publications.adapters import index_figures

    caveats = [_l("Cells with fewer respondents than the methodology's minimum are suppressed, never shown "
                  "as zero."),
               _l("Rounded to one decimal for display only; the open data carry full precision.")]
    result = index_figures(quarter, authority)
    rows, methodology = result["rows"], result["methodology"]
    published = [r for r in rows if not r.get("suppressed")]
    rated = [r for r in published if r.get("satisfaction_rate") is not None]
    label = {"zh_CN": "用户满意度指数", "en": "satisfaction index"}
    return figures(
        "satisfaction_index", str(quarter), authority, title=_title(label, quarter, authority),
        tables=[table("index", _l("Satisfaction index by operator, province and service"),
                      _l("One row per operator, province and service."), INDEX_COLUMNS, rows)],
        charts=[bars_chart("index_bars", _l("Satisfaction index with its 95% CI"), "index", "operator",
                           "index", "ci_low", "ci_high", _l("index (0–100)"))],
        trend={"table": "index", "key": ["operator_id", "province", "service"],
               "label": ["operator", "province_name", "service"], "value": "index",
               "title": _l("Satisfaction index over the quarters"), "unit": _l("index (0–100)")},
        headline=[{"label": _l("Cells published"), "value": len(published), "unit": None},
                  {"label": _l("Respondents"), "value": sum(r["n"] or 0 for r in rows), "unit": None},
                  {"label": _l("Cells meeting the satisfaction target (85%)"),
                   "value": sum(1 for r in rated if r["satisfaction_rate"] >= 0.85), "unit": None}],
        caveats=caveats, methodology=methodology, ranking=NO_RANKING)


# --- spot-check results ------------------------------------------------------------------------

SPOT_CHECK_COLUMNS = [
    column("operator_id", "integer", _l("Operator id"), _l("The operator's id in this system (stable).")),
    column("operator", "string", _l("Operator"), _l("The operator's registered name.")),
    column("province", "string", _l("Province code"), _l("Where the inspection took place.")),
    column("inspection_type", "string", _l("Inspection type"), _l("onsite, mystery, document or billing_sample.")),
    column("items_checked", "integer", _l("Items checked"), _l("Checklist items examined.")),
    column("items_failed", "integer", _l("Items failed"), _l("Checklist items found not to meet the standard.")),
    column("result", "string", _l("Result"), _l("The final result after the operator's right of reply.")),
]


def _spot_check_row(result: dict) -> dict:
    """One published inspection result (inspections/results.py) in the documented columns."""
    counts = (result["current"] or {}).get("items", {})
    return {"operator_id": result["operator_id"], "operator": result["operator"], "province": result["province"],
            "inspection_type": result["type"], "items_checked": sum(counts.values()),
            "items_failed": counts.get("fail", 0), "result": (result["current"] or {}).get("summary")}


def spot_check_results(quarter: Quarter, authority: str) -> dict:
    from supervision.inspections.results import published_results

    caveats = [_l("Only final results are published, after the operator's right of reply [M 8].")]
    rows = [_spot_check_row(result) for result in published_results(str(quarter), authority)]
    label = {"zh_CN": "服务质量抽查结果", "en": "spot-check results"}
    return figures(
        "spot_check_results", str(quarter), authority, title=_title(label, quarter, authority),
        tables=[table("results", _l("Spot-check results"), _l("One row per inspection."), SPOT_CHECK_COLUMNS,
                      rows)],
        charts=[], headline=[{"label": _l("Inspections"), "value": len(rows), "unit": None}], caveats=caveats)
