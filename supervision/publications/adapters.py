"""Reading the statistics and survey modules' figures for one authority (issue 9 items 3–4).

Their services answer for a *user's* scope; a publication answers for an *authority*. The
reader below is a transient (never saved) officer of that authority, so the figures are
exactly those the authority's own officers see: all provinces for CN, its own for a province.
"""
from flask import current_app

from supervision.access.models import Role, User
from supervision.i18n import _l
from supervision.publications.periods import Quarter


def authority_reader(authority: str) -> User:
    return User(role=Role.OFFICER, authority_code=authority, username=f"publication-reader-{authority}")


def complaint_figures(quarter: Quarter, authority: str) -> dict:
    from supervision.statistics.services import complaint_statistics

    result = complaint_statistics(str(quarter), authority_reader(authority))
    operators = [_operator_row(item, str(quarter)) for item in result["operators"]]
    provinces = [_province_row(item) for item in result["provinces"]]
    counts: dict[str, int] = {}
    for item in result["operators"]:
        for category, share in item["category_shares"].items():
            counts[category] = counts.get(category, 0) + round((share or 0) * item["complaints"])
    config = current_app.config
    below = [item["operator"] for item in result["operators"] if item["below_timely_target"]]
    return {"operators": operators, "provinces": provinces, "categories": counts,
            "total": result["total_complaints"], "industry": result["industry"], "below_target": below,
            "methodology": {"version": None, "text": _l(
                "Complaints per million subscribers = complaints ÷ subscribers × 1,000,000 with the exact "
                "Poisson (Garwood) interval; the industry rate pools all rated operators (total complaints ÷ "
                "total subscribers). Answered in time = the '%(clock)s' clocks met ÷ (met + missed).",
                clock=result["timely_clock"]),
                "parameters": {"confidence_level": result["confidence_level"],
                               "timely_handling_target": result["timely_target"],
                               "timely_clock": result["timely_clock"]}},
            "target": config["TIMELY_HANDLING_TARGET"]}


def _operator_row(item: dict, period: str) -> dict:
    return {"operator_id": item["operator_id"], "operator": item["operator"], "complaints": item["complaints"],
            "subscribers": item["subscribers"], "subscribers_quarter": period if item["subscribers"] else None,
            "rate_per_million": item["rate_per_million"], "rate_ci_low": item["ci_low"],
            "rate_ci_high": item["ci_high"], "rate_change_qoq": item["rate_change_qoq"],
            "rate_change_yoy": item["rate_change_yoy"], "complaints_change_qoq": item["complaints_change_qoq"],
            "complaints_change_yoy": item["complaints_change_yoy"],
            "answered_in_time_share": item["answered_in_time"]["share"],
            "below_timely_target": item["below_timely_target"], "comparable_group": item["rank_group"],
            "not_ranked_reason": item["not_rated_reason"]}


def _province_row(item: dict) -> dict:
    from supervision.publications.providers import province_names

    return {"province": item["province"], "province_name": province_names().get(item["province"]),
            "complaints": item["complaints"], "subscribers": item["subscribers"],
            "rate_per_million": item["rate_per_million"], "rate_ci_low": item["ci_low"], "rate_ci_high": item["ci_high"],
            "complaints_change_qoq": item["complaints_change_qoq"], "complaints_change_yoy": item["complaints_change_yoy"],
            "answered_in_time_share": item["answered_in_time"]["share"]}


def index_figures(quarter: Quarter, authority: str) -> dict:
    from supervision.statistics.rules import Rate, comparable_groups
    from supervision.surveys.services import current_methodology, index_cells, method_of

    version = current_methodology()
    cells = index_cells(str(quarter), authority_reader(authority), method_of(version))
    from supervision.publications.providers import province_names

    names = province_names()
    rows = []
    for cell in cells:
        f = cell.figures
        rows.append({"operator_id": cell.operator_id, "operator": cell.operator, "province": cell.province,
                     "province_name": names.get(cell.province), "service": cell.service, "n": f.n, "index": f.index,
                     "standard_error": f.standard_error, "ci_low": f.ci_low, "ci_high": f.ci_high,
                     "satisfaction_rate": f.satisfaction_rate, "suppressed": f.suppressed,
                     "methodology_version": f.methodology_version, "comparable_group": None})
    # Operators are compared within one province and service; higher is better, so the
    # intervals are mirrored for the statistics module's grouping (1 = the highest index).
    for key in {(r["province"], r["service"]) for r in rows}:
        same = {i: r for i, r in enumerate(rows) if (r["province"], r["service"]) == key and r["ci_low"] is not None}
        groups = comparable_groups({i: Rate(-r["index"], -r["ci_high"], -r["ci_low"]) for i, r in same.items()})
        for i, group in groups.items():
            rows[i]["comparable_group"] = group
    weights = {item: float(value) for item, value in version.weights().items()}
    methodology = {"version": version.version, "text": _l(
        "Each item is rescaled (s − 1) / 9 × 100; a respondent's score is the weighted sum of the rescaled "
        "items; the index is the mean of the respondents' scores with n, standard error and 95% CI "
        "(± z × SE). Satisfaction rate: overall satisfaction at or above the threshold."),
        "parameters": {"weights": weights, "scale": f"{version.scale_min}–{version.scale_max}",
                       "satisfied_threshold": version.satisfied_threshold, "minimum_n": version.minimum_n,
                       "z": float(version.confidence_z), "source": version.source}}
    return {"rows": rows, "methodology": methodology}
