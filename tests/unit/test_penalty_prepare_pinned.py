"""SPEC §7 / §10 POST /penalties, pinned at the domain's prepare_penalty for what the API schema
never lets through: a decision for an operator outside the officer's jurisdiction, a body without
a rule or without facts, and the measures of a rule that allows more than one."""
import pytest

from supervision.audit import SYSTEM
from supervision.errors import NotFound, ValidationFailed
from supervision.findings.services import raise_finding
from supervision.orders.penalties import prepare_penalty


@pytest.fixture
def case(factory):
    operator = factory.operator(province="32")
    finding, _ = raise_finding(operator, "32", "inspection", "M 21", "Billing records not kept", SYSTEM, factory.now)
    return operator, finding, factory.officer("32"), factory.now


def body(operator, finding, **overrides):
    return {"operator_id": operator.id, "rule": "M21", "measure": "warning", "amount_yuan": None,
            "finding_id": finding.id, "order_id": None, "facts": "Records of May were missing"} | overrides


def refused(case, **overrides):
    operator, finding, officer, now = case
    with pytest.raises(ValidationFailed) as refusal:
        prepare_penalty(officer, body(operator, finding, **overrides), now)
    return {field: [str(m) for m in messages] for field, messages in refusal.value.errors.items()}


def test_an_operator_outside_the_officers_jurisdiction_is_not_found(case, factory):
    operator, finding, _, now = case
    with pytest.raises(NotFound):
        prepare_penalty(factory.officer("33"), body(operator, finding), now)


@pytest.mark.parametrize("rule", [None, ""])
def test_a_decision_names_its_rule(case, rule):
    assert refused(case, rule=rule) == {"rule": ["rule must be one of M21, M22, M23"]}


@pytest.mark.parametrize("facts", [None, "", "  "])
def test_a_decision_states_the_facts(case, facts):
    assert refused(case, facts=facts) == {"facts": ["state the facts of the breach"]}


def test_a_measure_the_rule_does_not_allow_lists_every_one_it_does(case):
    assert refused(case, measure="confiscation") == {"measure": ["[M 21] allows: warning, fine"]}


def test_a_warning_is_prepared_as_a_draft(case):
    operator, finding, officer, now = case
    decision = prepare_penalty(officer, body(operator, finding), now)
    assert (decision.status, decision.measure, decision.amount_yuan, decision.finding_id) == (
        "draft", "warning", None, finding.id)
