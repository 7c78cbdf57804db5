"""Risk score per operator per quarter: each part counted in the officer's jurisdiction, the
score from the stored methodology's weights, and scope."""
import pytest

from supervision.audit import Actor
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.findings.services import raise_finding
from supervision.inspections.risk import current_methodology
from supervision.operators.models import SubscriberCount
from supervision.workflow.sweep import sweep_deadlines
from tests.api.inspection_parties import Parties, at


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def test_each_part_and_the_weighted_score(p, factory):
    db.session.add(SubscriberCount(operator_id=p.operator.id, province="32", quarter="2026Q4", subscribers=2_000_000))
    complaints = [factory.complaint(p.operator)[0] for _ in range(3)]
    factory.complaint(p.operator)  # rejected below: not counted
    rejected = factory.complaint(p.operator)[0]
    officer = Actor.of(p.lead)
    perform(rejected, "reject", {"reason": "handled by a court"}, officer, factory.now)
    perform(complaints[0], "accept", {}, officer, factory.now)
    perform(complaints[0], "transfer", {}, officer, factory.now)
    raise_finding(p.operator, "32", "retention", "M 17", "gap", officer, factory.now, key="retention:test")
    db.session.commit()
    p.order()
    factory.clock.current = at(2026, 12, 11)  # the operator's 10 working days ran out on 10 Dec
    sweep_deadlines(factory.now)

    body = p.get(p.lead, "/risk-scores?quarter=2026Q4").get_json()["items"]
    mine = next(item for item in body if item["operator_id"] == p.operator.id)
    # 4 complaints not rejected (3 + the one filed without keeping it) over 2 million subscribers.
    assert mine["parts"] == {"complaints_per_million": 2.0, "missed_reply_clocks": 1, "open_retention_findings": 1,
                             "late_self_inspections": 0, "open_orders": 1}
    weights = current_methodology().weights
    expected = 2.0 * weights["complaints_per_million"] + weights["missed_reply_clocks"] + \
        weights["open_retention_findings"] + weights["open_orders"]
    assert mine["score"] == pytest.approx(expected) and mine["methodology"] == 1
    assert body[0]["operator_id"] == p.operator.id  # highest first


def test_a_quarter_without_subscriber_counts_says_so(p, factory):
    factory.complaint(p.operator)
    item = p.get(p.lead, "/risk-scores?quarter=2026Q4").get_json()["items"][0]
    assert item["parts"]["complaints_per_million"] == 0 and "no subscriber count" in item["notes"][0]


def test_scope_and_roles(p):
    assert all(item["operator_id"] != p.operator.id
               for item in p.get(p.outsider, "/risk-scores?quarter=2026Q4").get_json()["items"])
    assert p.get(p.staff, "/risk-scores?quarter=2026Q4").status_code == 403
    for bad in ("2026Q5", "0000Q1", "9999Q4"):
        assert p.get(p.lead, f"/risk-scores?quarter={bad}").status_code == 422
