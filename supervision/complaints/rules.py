"""Pure rules of complaint intake (SPEC §3, [C 10], [C 11], [C 13]); no database, no Flask."""
import calendar as _cal
import re
from dataclasses import dataclass
from datetime import date

from supervision.complaints.models import CATEGORIES, OPERATOR_ANSWERS
from supervision.date_ranges import DateRange
from supervision.i18n import _l

MONTH_PATTERN = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# What people type between the parts of a reference or a code: spaces, hyphens, dashes.
SEPARATORS = re.compile(r"[\s\-‐‑‒–—―－_.·]+")
REFERENCE_PARTS = re.compile(r"TS(\d{2})(\d{8})(\d{6})")
MIN_DESCRIPTION = 10  # "a concrete request with facts" [C 10]: a few words are not facts
MIN_REQUEST = 2


@dataclass(frozen=True)
class IntakeLimits:
    operator_answer_days: int          # [C 10]
    billing_limit_months: int          # [C 11]
    other_limit_years: int             # [C 11]

    @classmethod
    def from_config(cls, config) -> "IntakeLimits":
        return cls(config["OPERATOR_ANSWER_DAYS"], config["BILLING_DISPUTE_LIMIT_MONTHS"],
                   config["OTHER_DISPUTE_LIMIT_YEARS"])


def normalize_reference(text: str | None) -> str:
    """A reference as typed (any case, with or without hyphens or spaces) in its stored form
    TS-<province>-<yyyymmdd>-<6 digits>; text that is no reference comes back cleaned only."""
    compact = SEPARATORS.sub("", (text or "").strip()).upper()
    parts = REFERENCE_PARTS.fullmatch(compact)
    return f"TS-{parts[1]}-{parts[2]}-{parts[3]}" if parts else compact


# A Chinese mobile number (optionally +86), or a landline with its area code (010-12345678,
# 0571 8765 4321), optionally with an extension. One rule for the web form and the API.
# Area codes are 010 and 020–029, else four digits: typed without a separator, 01012345678
# is Beijing's 010-12345678, never 0101-2345678.
MOBILE_PHONE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
LANDLINE_PHONE = re.compile(r"(?:\+?86)?(010|02\d|0[3-9]\d{2})(\d{7,8})(?:(?:ext|转|#|x)(\d{1,6}))?")
PHONE_SEPARATORS = re.compile(r"[\s\-‐‑–—－()（）]+")


def normalize_phone(text: str | None) -> str | None:
    """The number in a stored form (13800138000, 010-12345678), or None when it is no
    Chinese mobile or landline number (e.g. "12345")."""
    if not text:
        return None
    compact = PHONE_SEPARATORS.sub("", text).lower()
    if mobile := MOBILE_PHONE.fullmatch(compact):
        return mobile[1]
    if landline := LANDLINE_PHONE.fullmatch(compact):
        area, number, extension = landline.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    return None


PHONE_RULE = _l("Enter a mobile number (11 digits starting with 1, e.g. 13800138000) or a landline "
                "with its area code (e.g. 010-12345678).")


def normalize_access_code(text: str | None) -> str:
    """An access code as typed: case and separators do not matter (the alphabet is upper case)."""
    return SEPARATORS.sub("", (text or "").strip()).upper()


def add_months(day: date, months: int) -> date:
    """Calendar months with end-of-month clamping (2026-07-31 − 5 months = 2026-02-28)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _cal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_problem(value: str, received_on: date, dates: DateRange | None = None) -> str | None:
    match = MONTH_PATTERN.fullmatch(value) if isinstance(value, str) else None
    if not match:
        return _l("%(value)s is not a month: use YYYY-MM, e.g. 2026-09", value=repr(value))
    if (int(match[1]), int(match[2])) > (received_on.year, received_on.month):
        return _l("%(value)s is in the future", value=value)
    return dates.month_problem(int(match[1]), int(match[2])) if dates else None


def category_problem(category: str, subcategory: str) -> dict[str, list[str]]:
    if category not in CATEGORIES:
        return {"category": [_l("must be one of %(choices)s", choices=", ".join(CATEGORIES))]}
    if subcategory not in CATEGORIES[category]:
        return {"subcategory": [_l("for %(category)s use one of %(choices)s", category=category,
                                   choices=", ".join(CATEGORIES[category]))]}
    return {}


def intake_problems(data: dict, received_on: date, operator_answer_due: date | None,
                    limits: IntakeLimits, dates: DateRange | None = None) -> dict[str, list[str]]:
    """Every precondition and time limit a complaint breaks, with what the citizen should do.

    `operator_answer_due` is the end of the operator's own answer period (15 calendar days
    after the complainant went to the operator, rolled to a working day).
    """
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if len((data.get("description") or "").strip()) < MIN_DESCRIPTION:
        add("description", _l("[C 10] Describe the facts: what happened, when, which number or account."))
    if len((data.get("request") or "").strip()) < MIN_REQUEST:
        add("request", _l("[C 10] Say what you ask for (e.g. a refund of 30 yuan, a repair)."))
    for field, problems in category_problem(data.get("category"), data.get("subcategory")).items():
        errors.setdefault(field, []).extend(problems)
    phone = (data.get("complainant") or {}).get("phone")
    if phone is not None and normalize_phone(phone) is None:
        add("complainant.phone", PHONE_RULE)
    _date_order_problems(data, received_on, add)
    _precondition_problems(data, received_on, operator_answer_due, add)
    _time_limit_problems(data, received_on, limits, add, dates)
    if data.get("already_settled"):
        add("already_settled", _l("[C 11] A dispute that has already been settled cannot be accepted again."))
    if data.get("handled_elsewhere"):
        add("handled_elsewhere", _l("[C 11] A dispute already handled by a court, arbitration or another "
                                    "authority cannot be accepted."))
    return errors


def _date_order_problems(data, received_on, add) -> None:
    event, complained = data.get("event_date"), data.get("operator_complaint_date")
    if event and event > received_on:
        add("event_date", _l("The event date cannot be after the day the complaint is received."))
    if complained and complained > received_on:
        add("operator_complaint_date", _l("The date you complained to the operator cannot be in the future."))
    if event and complained and complained < event:
        add("operator_complaint_date", _l("You cannot have complained to the operator before the event."))


def _precondition_problems(data, received_on, operator_answer_due, add) -> None:
    answer = data.get("operator_answer")
    if answer not in OPERATOR_ANSWERS:
        add("operator_answer", _l("[C 10] Say whether the operator answered: 'none' or 'dissatisfied'."))
    elif answer == "none" and operator_answer_due is not None and received_on <= operator_answer_due:
        add("operator_complaint_date",
            _l("[C 10][C 13] The operator has until %(date)s to answer your complaint. Please wait for its "
               "answer; if it does not answer by then, or you are not satisfied with the answer, come back "
               "and file this complaint.", date=operator_answer_due.isoformat()))


def _time_limit_problems(data, received_on, limits: IntakeLimits, add, dates) -> None:
    event = data.get("event_date")
    if data.get("category") == "billing":
        months = data.get("disputed_months") or []
        if not months:
            add("disputed_months", _l("Name the disputed billing month(s), e.g. 2026-09."))
        for month in months:
            problem = month_problem(month, received_on, dates)
            if problem:
                add("disputed_months", problem)
        if event and received_on > add_months(event, limits.billing_limit_months):
            add("event_date", _l("[C 11] A billing dispute must be raised within %(months)d months of the disputed "
                                 "charge (%(date)s); this one is too late to accept.",
                                 months=limits.billing_limit_months, date=event.isoformat()))
    elif event and received_on > add_months(event, 12 * limits.other_limit_years):
        add("event_date", _l("[C 11] A dispute must be raised within %(years)d years of the event (%(date)s); "
                             "this one is too late to accept.", years=limits.other_limit_years, date=event.isoformat()))


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def mask_tail(value: str | None, keep_start: int = 3, keep_end: int = 0) -> str | None:
    if not value:
        return value
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + (value[-keep_end:] if keep_end else "")


def mask_email(email: str | None) -> str | None:
    if not email or "@" not in email:
        return mask_tail(email)
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"
