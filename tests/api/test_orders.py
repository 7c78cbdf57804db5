"""Rectification orders (SPEC §7, §10): citing findings in scope, document numbers, PDCA with a
reopen, the fixed deadline and the ONE sweep flagging an overdue order.

Clock: Thu 26 Nov 2026, 10:00 Shanghai.
"""
import pytest
from sqlalchemy import select

from supervision.audit import events_of
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.notifications.models import Notification
from supervision.orders.models import RectificationOrder
from supervision.workflow.sweep import sweep_deadlines
from tests.api.inspection_parties import Parties, at


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def test_an_order_cites_open_findings_and_is_numbered_per_authority_and_year(p):
    first = p.order()
    second = p.order()
    assert first["number"] == "苏通整〔2026〕1号" and second["number"] == "苏通整〔2026〕2号"
    assert first["state"] == "issued"
    finding = db.session.get(Finding, p.get(p.lead, f"/orders/{first['id']}").get_json()["finding_ids"][0])
    assert finding.state == "ordered"
    assert [e.action for e in events_of("finding", finding.id)] == ["raise", "order"]


def test_an_order_refuses_findings_it_may_not_cite(p, factory):
    other_operator = factory.operator(province="32")
    from supervision.audit import Actor
    from supervision.findings.services import raise_finding

    foreign, _ = raise_finding(other_operator, "32", "officer", "M 16", "x", Actor.of(p.lead), factory.now)
    guangdong, _ = raise_finding(factory.operator(province="44"), "44", "officer", "M 16", "y",
                                 Actor.of(p.outsider), factory.now)
    db.session.commit()
    for finding_id in (foreign.id, guangdong.id):
        response = p.post(p.lead, "/orders", {"operator_id": p.operator.id, "finding_ids": [finding_id],
                                              "requirement": "Fix", "deadline": "2026-12-31"})
        assert response.status_code == 422 and "finding_ids" in response.get_json()["errors"]
    ordered = p.finding()
    p.order([ordered])
    again = p.post(p.lead, "/orders", {"operator_id": p.operator.id, "finding_ids": [ordered],
                                       "requirement": "Fix", "deadline": "2026-12-31"})
    assert again.status_code == 422 and "ordered" in again.get_json()["errors"]["finding_ids"][0]


@pytest.mark.parametrize("deadline", ["2026-11-26", "2026-11-01", "2028-01-01"])
def test_the_deadline_must_lie_ahead_within_a_year(p, deadline):
    response = p.post(p.lead, "/orders", {"operator_id": p.operator.id, "finding_ids": [p.finding()],
                                          "requirement": "Fix", "deadline": deadline})
    assert response.status_code == 422 and "deadline" in response.get_json()["errors"]


def test_another_province_cannot_see_an_order(p):
    order = p.order()
    assert p.get(p.outsider, f"/orders/{order['id']}").status_code == 404
    assert p.post(p.outsider, f"/orders/{order['id']}/actions/verify", {"note": "x"}).status_code == 404


def test_pdca_reopened_once_then_closed_keeps_every_round(p):
    order = p.order()
    url = f"/orders/{order['id']}/actions"
    assert p.post(p.lead, f"{url}/file_plan", {"plan": "x"}).status_code == 403  # the operator's step
    assert p.post(p.staff, f"{url}/file_plan", {"plan": "Hire 4 agents"}).status_code == 200
    assert p.post(p.staff, f"{url}/report_completion", {"report": "Hired 2"}).status_code == 200
    reopened = p.post(p.lead, f"{url}/reopen", {"note": "Only 2 of 4 hired", "deadline": "2027-01-29"})
    body = reopened.get_json()
    assert body["state"] == "reopened" and body["round"] == 2 and body["deadline"] == "2027-01-29"
    assert body["deadlines"][0]["due"] == "2027-01-29" and body["deadlines"][0]["state"] == "pending"
    p.post(p.staff, f"{url}/file_plan", {"plan": "Hire 2 more"})
    p.post(p.staff, f"{url}/report_completion", {"report": "All 4 hired"})
    closed = p.post(p.lead, f"{url}/verify", {"note": "Verified by test calls"}).get_json()
    assert closed["state"] == "closed" and closed["findings"][0]["state"] == "closed"
    actions = [e["action"] for e in closed["timeline"]]
    assert actions == ["issue", "file_plan", "report_completion", "reopen", "file_plan", "report_completion",
                       "verify"]
    plans = [e["after"]["plan"] for e in closed["timeline"] if e["action"] == "file_plan"]
    assert plans == ["Hire 4 agents", "Hire 2 more"]


def test_the_sweep_flags_an_overdue_order_once_and_tells_the_officers(p, factory):
    order = p.order(deadline="2026-12-10")
    factory.clock.current = at(2026, 12, 11)
    first = sweep_deadlines(factory.now)
    second = sweep_deadlines(factory.now)
    assert first.missed == 1 and first.escalated == 1 and second.missed == 0
    db.session.expire_all()
    stored = db.session.get(RectificationOrder, order["id"])
    assert stored.overdue is True and stored.deadline("order_deadline").state == "missed"
    subjects = db.session.scalars(select(Notification.subject)).all()
    assert any("苏通整〔2026〕1号" in s for s in subjects)
    listed = p.get(p.lead, "/orders?overdue=true").get_json()["items"]
    assert [o["id"] for o in listed] == [order["id"]]


def test_the_operator_is_reminded_seven_days_before_the_deadline_once(p, factory):
    p.order(deadline="2026-12-10")
    factory.clock.current = at(2026, 12, 3)
    assert sweep_deadlines(factory.now).reminded == 1
    assert sweep_deadlines(factory.now).reminded == 0
    recipients = db.session.scalars(select(Notification.recipient_user_id)
                                    .where(Notification.subject.like("%rectification due 2026-12-10"))).all()
    assert recipients == [p.staff.id]
