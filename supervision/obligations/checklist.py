"""The self-inspection report's content rules [M 18] (SPEC §5): the checklist catalogue, the
half-year periods, and validation (blocking errors vs confirm-only warnings). Pure functions."""
import re
from datetime import date

from supervision.i18n import _l

# Item code → (text, article). Seeded from the duties of the supervision measures; which items a
# new report carries is configuration (SELF_INSPECTION_CHECKLIST).
CATALOGUE = {
    "hotline_published": (_l("A complaint hotline and channels are published and answered [M 16]."), "M 16"),
    "answers_in_time": (_l("User complaints are answered within the time limits [M 16, C 14]."), "M 16"),
    "format_clauses_filed": (_l("Format contract clauses are filed with the authority [M 15]."), "M 15"),
    "billing_records_kept": (_l("Raw billing records are kept for at least five months [M 17]."), "M 17"),
    "charges_queryable": (_l("Users can query their charges and billing details [M 17]."), "M 17"),
}
RESULTS = ("pass", "fail", "na")
METRICS = ("complaints_received", "answered_in_time_share", "billing_error_rate")
PERIOD = re.compile(r"^(\d{4})H([12])$")


def parse_period(period: str) -> tuple[int, int] | None:
    match = PERIOD.match(period or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return int(match.group(1)), int(match.group(2))


def period_bounds(year: int, half: int) -> tuple[date, date]:
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def report_due(year: int, half: int, due_rule: dict) -> date:
    """H1 → 15 July of the year; H2 → 15 January of the next year (configurable)."""
    month, day = due_rule[f"H{half}"]
    return date(year if month > 6 else year + 1, month, day)


def new_checklist(items: tuple[str, ...]) -> list[dict]:
    """The report's own copy of the items; the text kept is the English source (shown translated)."""
    return [{"item": code, "text": _source(CATALOGUE[code][0]), "article": CATALOGUE[code][1],
             "result": None, "explanation": ""} for code in items]


def item_text(row: dict) -> str:
    """An item's text in the reader's language (a stored item no longer configured keeps its text)."""
    return str(CATALOGUE[row["item"]][0]) if row["item"] in CATALOGUE else row["text"]


def _source(text) -> str:
    # A lazy string keeps its message id; outside a request it is the text itself.
    args = getattr(text, "_args", None)
    return args[0] if args else str(text)


def metric_errors(metrics: dict) -> dict[str, str]:
    """The metrics that are missing or out of range, each with its rule."""
    errors = {}
    count = metrics.get("complaints_received")
    if count is None:
        errors["complaints_received"] = _l("complaints_received is missing")
    elif isinstance(count, bool) or not isinstance(count, int) or count < 0:
        errors["complaints_received"] = _l("complaints_received must be a whole number ≥ 0")
    share = metrics.get("answered_in_time_share")
    if share is None:
        errors["answered_in_time_share"] = _l("answered_in_time_share is missing")
    elif isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share <= 1:
        errors["answered_in_time_share"] = _l("answered_in_time_share must be between 0 and 1")
    rate = metrics.get("billing_error_rate")
    if rate is None:
        errors["billing_error_rate"] = _l("billing_error_rate is missing")
    elif isinstance(rate, bool) or not isinstance(rate, int | float) or rate < 0:
        errors["billing_error_rate"] = _l("billing_error_rate must be a number ≥ 0")
    return errors


def blocking_errors(checklist: list[dict], metrics: dict) -> dict[str, list]:
    """What stops a submission: an item unanswered, a fail without explanation, a bad metric."""
    errors: dict[str, list] = {}
    for row in checklist:
        field = f"checklist.{row['item']}"
        if row.get("result") not in RESULTS:
            errors[field] = [_l("answer pass, fail or NA for item %(item)s", item=row["item"])]
        elif row["result"] == "fail" and not (row.get("explanation") or "").strip():
            errors[field] = [_l("explain the failed item %(item)s", item=row["item"])]
    for name, message in metric_errors(metrics).items():
        errors[f"metrics.{name}"] = [message]
    return errors


def discrepancies(declared: dict, prefilled: dict, tolerance: float) -> list[dict]:
    """Declared figures further from the system's own count than the tolerance."""
    found = []
    count, counted = declared.get("complaints_received"), prefilled.get("complaints_received")
    if isinstance(count, int) and counted is not None and abs(count - counted) > tolerance * max(counted, 1):
        found.append({"metric": "complaints_received", "declared": count, "prefilled": counted})
    share, measured = declared.get("answered_in_time_share"), prefilled.get("answered_in_time_share")
    if isinstance(share, int | float) and measured is not None and abs(share - measured) > tolerance:
        found.append({"metric": "answered_in_time_share", "declared": share, "prefilled": measured})
    return found


def warnings(checklist: list[dict], metrics: dict, found: list[dict], error_standard: float) -> list[str]:
    """What the operator confirms before submitting (it does not block)."""
    notes = [_l("Your figure for %(metric)s (%(declared)s) differs from the authority's records (%(prefilled)s).",
                metric=d["metric"], declared=d["declared"], prefilled=d["prefilled"]) for d in found]
    rate = metrics.get("billing_error_rate")
    if isinstance(rate, int | float) and rate > error_standard:
        notes.append(_l("The billing error rate %(rate)s is above the standard %(standard)s.",
                        rate=rate, standard=error_standard))
    return notes
