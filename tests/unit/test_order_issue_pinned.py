"""SPEC §6 / §10 POST /orders, pinned at the domain's issue_order: only an officer issues, for an
operator in their jurisdiction, with a requirement, a deadline after today and within a year, and
open findings of that operator; each refusal names its field and rule.

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
from datetime import date, timedelta

import pytest

from supervision.audit import SYSTEM
from supervision.errors import Forbidden, NotFound, ValidationFailed
from supervision.findings.services import raise_finding
from supervision.orders.services import LONGEST_DEADLINE, issue_order

TODAY = date(2026, 11, 26)


@pytest.fixture
def case(factory):
    operator = factory.operator(province="32")
    finding, _ = raise_finding(operator, "32", "inspection", "M 23", "The hotline did not answer", SYSTEM,
                               factory.now)
    return operator, finding, factory.officer("32"), factory.now


def order_body(operator, finding, **overrides):
    return {"operator_id": operator.id, "deadline": TODAY + timedelta(days=30),
            "requirement": "Answer the hotline within 60 seconds", "finding_ids": [finding.id]} | overrides


def refusal(case, user=None, **overrides):
    operator, finding, officer, now = case
    with pytest.raises(ValidationFailed) as refused:
        issue_order(user or officer, order_body(operator, finding, **overrides), now)
    return {field: [str(m) for m in messages] for field, messages in refused.value.errors.items()}, str(
        refused.value.message)


def test_only_an_officer_issues_an_order(case, factory):
    operator, finding, _, now = case
    for user in (None, factory.user("operator", operator=operator), factory.admin()):
        with pytest.raises(Forbidden) as refused:
            issue_order(user, order_body(operator, finding), now)
        assert str(refused.value.message) == "Only an officer may issue a rectification order."


def test_an_operator_outside_the_officers_jurisdiction_is_not_found(case, factory):
    operator, finding, _, now = case
    with pytest.raises(NotFound):
        issue_order(factory.officer("33"), order_body(operator, finding), now)


@pytest.mark.parametrize("requirement", [None, "", "   "])
def test_an_order_states_what_must_be_rectified(case, requirement):
    assert refusal(case, requirement=requirement)[0] == {"requirement": ["state what must be rectified"]}


@pytest.mark.parametrize("deadline", [TODAY, TODAY - timedelta(days=1), TODAY + LONGEST_DEADLINE + timedelta(days=1)])
def test_the_deadline_is_after_today_and_within_a_year(case, deadline):
    assert refusal(case, deadline=deadline)[0] == {"deadline": ["the deadline must be after today and within a year"]}


def test_the_longest_deadline_is_accepted(case):
    operator, finding, officer, now = case
    order = issue_order(officer, order_body(operator, finding, deadline=TODAY + LONGEST_DEADLINE), now)
    assert order.deadline_on == TODAY + LONGEST_DEADLINE
    # A new order is in its first round, not overdue, with no evidence yet.
    assert (order.status, order.round, order.overdue, order.evidence) == ("issued", 1, False, [])


def test_an_order_cites_at_least_one_finding(case):
    assert refusal(case, finding_ids=[])[0] == {"finding_ids": ["an order cites at least one finding"]}


def test_each_finding_that_cannot_be_cited_is_named(case, factory):
    operator, finding, officer, now = case
    other, _ = raise_finding(factory.operator(province="32"), "32", "inspection", "M 23", "Another operator's",
                             SYSTEM, now)
    issue_order(officer, order_body(operator, finding), now)  # the finding is now ordered, no longer open
    assert refusal(case, finding_ids=[finding.id, other.id, 99999]) == (
        {"finding_ids": [f"finding {finding.id} is ordered, not open",
                         f"finding {other.id} is not a finding of this operator in your jurisdiction",
                         "finding 99999 is not a finding of this operator in your jurisdiction"]},
        "The order cannot cite these findings.")
