"""The pure intake rules of SPEC §3 ([C 10], [C 11]) and the masking of SPEC §9, without an app.

Every expected date is worked out by hand from the rule text and the 2025/2026 State Council
holiday notices (/work/shared/data/china-holidays-2025-2026.md).
"""
from datetime import date

import pytest

from supervision.complaints.rules import (
    IntakeLimits,
    add_months,
    category_problem,
    intake_problems,
    mask_email,
    mask_name,
    mask_tail,
    month_problem,
    normalize_access_code,
    normalize_reference,
)

D = date.fromisoformat
LIMITS = IntakeLimits(operator_answer_days=15, billing_limit_months=5, other_limit_years=2)


def complaint(**overrides) -> dict:
    """A valid network complaint as the API schema hands it over (dates already parsed)."""
    data = {"category": "network", "subcategory": "coverage",
            "description": "No mobile signal at home since October.", "request": "Fix the coverage",
            "operator_complaint_date": D("2026-10-20"), "operator_answer": "none",
            "event_date": D("2026-10-01"), "disputed_months": [],
            "already_settled": False, "handled_elsewhere": False}
    return data | overrides


def problems(received: str = "2026-11-26", answer_due: str = "2026-11-04", **overrides) -> dict:
    return intake_problems(complaint(**overrides), D(received), D(answer_due), LIMITS)


# --- add_months: calendar months with end-of-month clamping -------------------------------------

@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-07-31", -5, "2026-02-28"),   # SPEC §4's own example
    ("2025-09-30", 5, "2026-02-28"),    # across the year end, clamped to February
    ("2023-09-30", 5, "2024-02-29"),    # leap year
    ("2026-01-31", -1, "2025-12-31"),   # back across the year end, no clamping needed
    ("2026-03-31", 1, "2026-04-30"),
    ("2026-06-15", 5, "2026-11-15"),
    ("2026-11-26", -24, "2024-11-26"),
])
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(D(day), months) == D(expected)


# --- disputed months and categories -------------------------------------------------------------

@pytest.mark.parametrize("value", ["2026-9", "2026-13", "2026-00", "26-09", "September", "", "2026/09"])
def test_a_malformed_month_is_refused_with_the_expected_format(value):
    assert "YYYY-MM" in month_problem(value, D("2026-11-26"))


def test_a_future_month_cannot_be_disputed_but_the_current_one_can():
    assert month_problem("2026-11", D("2026-11-26")) is None
    assert "future" in month_problem("2026-12", D("2026-11-26"))
    assert "future" in month_problem("2027-01", D("2026-11-26"))


def test_category_and_subcategory_must_belong_together():
    assert category_problem("billing", "overcharge") == {}
    assert "category" in category_problem("roaming", "overcharge")
    assert "overcharge" in category_problem("billing", "coverage")["subcategory"][0]


# --- [C 10] preconditions -----------------------------------------------------------------------

def test_a_complete_complaint_has_no_problem():
    assert problems() == {}


def test_no_answer_yet_is_refused_up_to_and_including_the_operators_last_day():
    # The operator's period ends 2026-11-04: on that day it may still answer; from the 5th it is late.
    refused = problems(received="2026-11-04", answer_due="2026-11-04")
    message = refused["operator_complaint_date"][0]
    assert "[C 10]" in message and "2026-11-04" in message and "wait" in message
    assert problems(received="2026-11-05", answer_due="2026-11-04") == {}


def test_dissatisfied_with_the_answer_is_accepted_at_once():
    assert problems(received="2026-10-21", answer_due="2026-11-04", operator_answer="dissatisfied") == {}


@pytest.mark.parametrize(("field", "value"), [("description", "bad"), ("description", "   short   "),
                                              ("request", ""), ("request", " ")])
def test_facts_and_a_request_are_required(field, value):
    assert "[C 10]" in problems(**{field: value})[field][0]


def test_dates_must_be_in_order_and_not_in_the_future():
    found = problems(event_date=D("2026-11-27"), operator_complaint_date=D("2026-11-27"))
    assert "event_date" in found and "operator_complaint_date" in found
    found = problems(event_date=D("2026-10-10"), operator_complaint_date=D("2026-10-01"),
                     operator_answer="dissatisfied")
    assert "before the event" in found["operator_complaint_date"][0]


# --- [C 11] time limits and exclusions ----------------------------------------------------------

def billing(received: str, event: str, months=("2025-09",)) -> dict:
    return problems(received=received, answer_due="2025-10-20", category="billing", subcategory="overcharge",
                    event_date=D(event), operator_complaint_date=D(event), operator_answer="dissatisfied",
                    disputed_months=list(months))


def test_billing_dispute_limit_is_five_months_clamped_to_the_end_of_february():
    # Charge on 2025-09-30: five months later is 2026-02-30, which does not exist → 2026-02-28.
    assert billing("2026-02-28", "2025-09-30") == {}
    late = billing("2026-03-01", "2025-09-30")
    assert "[C 11]" in late["event_date"][0] and "5 months" in late["event_date"][0]


def test_billing_dispute_limit_on_an_ordinary_day():
    assert billing("2026-11-15", "2026-06-15", ["2026-06"]) == {}
    assert "event_date" in billing("2026-11-16", "2026-06-15", ["2026-06"])


def test_billing_needs_well_formed_disputed_months():
    assert "Name the disputed" in billing("2026-02-01", "2025-12-01", [])["disputed_months"][0]
    assert "YYYY-MM" in billing("2026-02-01", "2025-12-01", ["2025-1"])["disputed_months"][0]


def test_other_disputes_are_refused_after_two_years():
    assert problems(received="2026-11-26", event_date=D("2024-11-26"), operator_complaint_date=D("2024-12-01"),
                    operator_answer="dissatisfied") == {}
    late = problems(received="2026-11-27", event_date=D("2024-11-26"), operator_complaint_date=D("2024-12-01"),
                    operator_answer="dissatisfied")
    assert "[C 11]" in late["event_date"][0] and "2 years" in late["event_date"][0]


def test_settled_or_handled_elsewhere_is_not_accepted():
    found = problems(already_settled=True, handled_elsewhere=True)
    assert "[C 11]" in found["already_settled"][0]
    assert "court" in found["handled_elsewhere"][0]


# --- masking (SPEC §9) --------------------------------------------------------------------------

def test_masks_keep_only_what_identifies_nobody():
    assert mask_name("王小明") == "王**"
    assert mask_email("wxm@example.com") == "w***@example.com"
    assert mask_tail("320102199001011234", 4, 2) == "3201************34"
    assert mask_tail("南京市玄武区中山路1号", 2) == "南京" + "*" * 9
    assert mask_tail("12", 4) == "**"
    assert mask_tail(None) is None


@pytest.mark.parametrize(("typed", "stored"), [
    (" ab-cd ef12 ", "ABCDEF12"),   # case, hyphens and spaces as a person types them do not matter
    ("", ""),
    (None, ""),                     # a form sent without the field matches no code
])
def test_an_access_code_is_read_as_typed(typed, stored):
    assert normalize_access_code(typed) == stored


@pytest.mark.parametrize(("typed", "stored"), [
    ("ts 32 20261126 000123", "TS-32-20261126-000123"),
    (None, ""),
])
def test_a_reference_is_read_as_typed(typed, stored):
    assert normalize_reference(typed) == stored
