"""SPEC §3 intake ([C 10], [C 11], [C 13]) pinned word for word: every refusal names its field and
says what the citizen should do, in the words the public form and the API show; each length
and date limit holds on its boundary day."""
from datetime import date

import pytest

from supervision.complaints.rules import (
    MIN_DESCRIPTION,
    MIN_REQUEST,
    IntakeLimits,
    category_problem,
    intake_problems,
    month_problem,
    normalize_phone,
)
from supervision.date_ranges import DateRange
from tests.unit.test_intake_rules import LIMITS, complaint

D = date.fromisoformat
PHONE_RULE = ("Enter a mobile number (11 digits starting with 1, e.g. 13800138000) or a landline with its area code "
              "(e.g. 010-12345678).")


def refusals(received="2026-11-26", answer_due="2026-11-04", dates=None, **overrides) -> dict:
    found = intake_problems(complaint(**overrides), D(received), D(answer_due) if answer_due else None, LIMITS, dates)
    return {field: [str(message) for message in messages] for field, messages in found.items()}


def test_the_limits_come_from_the_configuration():
    config = {"OPERATOR_ANSWER_DAYS": 15, "BILLING_DISPUTE_LIMIT_MONTHS": 5, "OTHER_DISPUTE_LIMIT_YEARS": 2}
    assert IntakeLimits.from_config(config) == IntakeLimits(15, 5, 2)


def test_facts_and_request_lengths_hold_on_their_boundary():
    assert (MIN_DESCRIPTION, MIN_REQUEST) == (10, 2)
    assert refusals(description=" " + "x" * 10 + " ", request="ok") == {}
    assert refusals(description="x" * 9, request="o") == {
        "description": ["[C 10] Describe the facts: what happened, when, which number or account."],
        "request": ["[C 10] Say what you ask for (e.g. a refund of 30 yuan, a repair)."]}


def test_a_wrong_category_is_named_with_the_choices_inside_a_whole_intake():
    assert refusals(category="roaming") == {
        "category": ["must be one of service, billing, network"]}
    assert refusals(category="billing", subcategory="coverage", disputed_months=["2026-10"]) == {
        "subcategory": ["for billing use one of overcharge, unsubscribed_service, tariff_change, promotion, refund, "
                        "other"]}
    assert {field: [str(m) for m in ms] for field, ms in category_problem("network", "refund").items()} == {
        "subcategory": ["for network use one of coverage, outage, speed, spam, personal_information, other"]}


@pytest.mark.parametrize(("phone", "problem"), [("12345", [PHONE_RULE]), ("13800138000", None), (None, None)])
def test_the_complainants_phone_must_be_a_chinese_number(phone, problem):
    found = refusals(complainant={"name": "王小明", "phone": phone})
    assert found.get("complainant.phone") == problem


@pytest.mark.parametrize(("typed", "stored"), [
    ("010-1234 5678", "010-12345678"),
    ("0571 8765 4321", "0571-87654321"),
    ("(010) 12345678 转 801", "010-12345678-801"),
    ("010-12345678EXT12", "010-12345678-12"),      # however the extension word is written
    ("+86 138 0013 8000", "13800138000"),
    ("12345", None),
    ("", None),
    (None, None),
])
def test_a_phone_number_is_stored_in_one_form(typed, stored):
    assert normalize_phone(typed) == stored


def test_dates_on_the_day_of_receipt_are_accepted_and_one_day_later_refused_word_for_word():
    assert refusals(received="2026-11-26", event_date=D("2026-11-26"), operator_complaint_date=D("2026-11-26"),
                    operator_answer="dissatisfied") == {}
    assert refusals(received="2026-11-26", event_date=D("2026-11-27"), operator_complaint_date=D("2026-11-27"),
                    operator_answer="dissatisfied") == {
        "event_date": ["The event date cannot be after the day the complaint is received."],
        "operator_complaint_date": ["The date you complained to the operator cannot be in the future."]}
    assert refusals(event_date=D("2026-10-10"), operator_complaint_date=D("2026-10-09"),
                    operator_answer="dissatisfied") == {
        "operator_complaint_date": ["You cannot have complained to the operator before the event."]}


def test_whether_the_operator_answered_must_be_said():
    assert refusals(operator_answer="maybe") == {
        "operator_answer": ["[C 10] Say whether the operator answered: 'none' or 'dissatisfied'."]}


def test_the_operators_own_period_is_named_with_its_last_day():
    assert refusals(received="2026-11-04", answer_due="2026-11-04") == {"operator_complaint_date": [
        "[C 10][C 13] The operator has until 2026-11-04 to answer your complaint. Please wait for its answer; if it "
        "does not answer by then, or you are not satisfied with the answer, come back and file this complaint."]}


def billing(received, event, months, dates=None):
    return refusals(received=received, answer_due="2025-10-20", dates=dates, category="billing",
                    subcategory="overcharge", event_date=D(event), operator_complaint_date=D(event),
                    operator_answer="dissatisfied", disputed_months=months)


def test_billing_refusals_word_for_word():
    assert billing("2026-02-01", "2025-12-01", []) == {
        "disputed_months": ["Name the disputed billing month(s), e.g. 2026-09."]}
    assert billing("2026-03-01", "2025-09-30", ["2025-09"]) == {"event_date": [
        "[C 11] A billing dispute must be raised within 5 months of the disputed charge (2025-09-30); this one is "
        "too late to accept."]}


def test_disputed_months_are_checked_against_the_accepted_range():
    """A month outside the dates the system accepts is refused with the range (STYLE §9), inside a whole intake."""
    accepted = DateRange(D("2025-01-01"), D("2028-11-26"))
    assert billing("2026-02-01", "2025-12-01", ["2024-12", "2025-12"], dates=accepted) == {
        "disputed_months": ["Enter a month between 2025-01 and 2028-11."]}
    assert str(month_problem("2024-12", D("2026-11-26"), accepted)) == "Enter a month between 2025-01 and 2028-11."
    assert month_problem("2025-01", D("2026-11-26"), accepted) is None


def test_month_refusals_word_for_word():
    assert str(month_problem("2026-9", D("2026-11-26"))) == "'2026-9' is not a month: use YYYY-MM, e.g. 2026-09"
    assert str(month_problem(None, D("2026-11-26"))) == "None is not a month: use YYYY-MM, e.g. 2026-09"
    assert str(month_problem("2026-12", D("2026-11-26"))) == "2026-12 is in the future"


def test_other_disputes_refusal_word_for_word():
    assert refusals(received="2026-11-27", event_date=D("2024-11-26"), operator_complaint_date=D("2024-12-01"),
                    operator_answer="dissatisfied") == {"event_date": [
        "[C 11] A dispute must be raised within 2 years of the event (2024-11-26); this one is too late to accept."]}


def test_settled_or_handled_elsewhere_word_for_word():
    assert refusals(already_settled=True, handled_elsewhere=True) == {
        "already_settled": ["[C 11] A dispute that has already been settled cannot be accepted again."],
        "handled_elsewhere": ["[C 11] A dispute already handled by a court, arbitration or another authority cannot "
                              "be accepted."]}
