"""Penalty decisions pinned (SPEC §7, §10 POST /penalties) [M 21–23]: a refusal is a 422 naming each
field at fault with the rule and, for a fine, the allowed range and the legal source; what a draft
records; four-eyes approval numbered in the China-time year; who is offered which action."""
import pytest

from supervision.audit import events_of
from supervision.orders.models import PenaltyDecision
from tests.api import test_penalties
from tests.api.inspection_parties import at

# The same parties and draft as the penalty tests.
p, prepare = test_penalties.p, test_penalties.prepare

M21_SOURCE = "《电信服务质量监督管理暂行办法》(2014年修订) 第二十一条: 警告，或者处五百元以上一万元以下罚款"
M22_SOURCE = "《电信服务质量监督管理暂行办法》(2014年修订) 第二十二条: 责令改正，给予警告；拒不改正的，处一万元以下罚款"
REFUSED = "The penalty decision cannot be prepared as it is."


def by_order(p) -> dict:
    return {"finding_id": None, "order_id": p.order()["id"]}


@pytest.mark.parametrize("body, cite, errors", [
    # [M 23] allows a warning only.
    ({"rule": "M23", "measure": "fine", "amount_yuan": 1000}, False, {"measure": ["[M 23] allows: warning"]}),
    ({"rule": "M23", "measure": "warning", "amount_yuan": 100}, False,
     {"amount_yuan": ["a warning carries no amount"]}),
    # [M 21] fine ¥500–10,000: a fine without an amount is refused with the range and the source.
    ({"amount_yuan": None}, False, {"amount_yuan": [f"[M 21] a fine is ¥500–¥10,000 ({M21_SOURCE})"]}),
    # [M 22] a fine up to ¥10,000 (no minimum: from ¥1), and it follows an order.
    ({"rule": "M22", "amount_yuan": 10001}, True, {"amount_yuan": [f"[M 22] a fine is ¥1–¥10,000 ({M22_SOURCE})"]}),
    ({"rule": "M22", "amount_yuan": 0}, True, {"amount_yuan": [f"[M 22] a fine is ¥1–¥10,000 ({M22_SOURCE})"]}),
    ({"rule": "M22", "amount_yuan": 3000}, False,
     {"order_id": ["[M 22] a fine follows a rectification order that was not complied with: cite the order"]}),
    ({"finding_id": None}, False, {"finding_id": ["cite either a finding or an order"]}),
    ({"facts": "  \n"}, False, {"facts": ["state the facts of the breach"]}),
    # Every fault at once: the measure, the missing citation and the facts.
    ({"rule": "M23", "amount_yuan": 1, "finding_id": None, "facts": " "}, False,
     {"measure": ["[M 23] allows: warning"], "finding_id": ["cite either a finding or an order"],
      "facts": ["state the facts of the breach"]}),
])
def test_a_refused_decision_names_each_field_and_the_rule(p, body, cite, errors):
    response = prepare(p, **(by_order(p) if cite else {}), **body)
    assert response.status_code == 422
    assert response.get_json()["message"] == REFUSED
    assert response.get_json()["errors"] == errors


def test_citing_both_a_finding_and_an_order_is_refused(p):
    response = prepare(p, order_id=p.order()["id"])
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"finding_id": ["cite either a finding or an order"]}


def test_an_unknown_rule_lists_the_rules(p):
    response = prepare(p, rule="M99")
    assert response.status_code == 422
    assert response.get_json()["message"] == "rule must be one of M21, M22, M23"
    assert response.get_json()["errors"] == {"rule": ["rule must be one of M21, M22, M23"]}


def test_a_cited_record_of_another_operator_or_outside_scope_is_named(p, factory):
    """SPEC §10: the decision cites a finding or an order *of that operator*, in the officer's scope."""
    other = factory.operator(province="32")
    finding_id = p.finding()
    response = prepare(p, operator_id=other.id, finding_id=finding_id)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "finding_id": [f"finding_id {finding_id} is not a record of this operator in your jurisdiction"]}
    # An order of Jiangsu cited by a Guangdong officer for a Guangdong operator: not in their jurisdiction.
    order_id = p.order()["id"]
    guangdong = factory.operator(province="44")
    response = prepare(p, p.outsider, operator_id=guangdong.id, finding_id=None, order_id=order_id)
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "order_id": [f"order_id {order_id} is not a record of this operator in your jurisdiction"]}


def test_only_an_officer_prepares_a_decision(p):
    refused = prepare(p, p.staff, rule="M23", measure="warning", amount_yuan=None)
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "Only an officer may prepare a penalty decision."


def test_a_draft_records_what_it_cites_and_offers_approval_to_another_publisher_only(p):
    """A warning carries no amount (stored null even when 0 is sent); the draft is unnumbered; the
    author is not offered `approve` (four-eyes), a second publisher is, a plain officer is not."""
    finding_id = p.finding()
    response = prepare(p, rule="M21", measure="warning", amount_yuan=0, finding_id=finding_id,
                       facts="  Hotline unanswered for a month.  ")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert {k: v for k, v in body.items() if k not in ("id", "timeline")} == {
        "number": None, "state": "draft", "operator_id": p.operator.id, "operator": p.operator.name,
        "authority": "32", "rule": "M21", "measure": "warning", "amount_yuan": None,
        "facts": "Hotline unanswered for a month.", "finding_id": finding_id, "order_id": None,
        "legal_source": M21_SOURCE, "prepared_by": p.publisher.id, "approved_by": None, "approved_at": None,
        "published_at": None, "allowed_actions": []}
    [event] = body["timeline"]
    assert (event["action"], event["note"]) == ("prepare", "Hotline unanswered for a month.")
    assert event["after"] == {"rule": "M21", "measure": "warning", "amount_yuan": None,
                              "operator_id": p.operator.id, "status": "draft", "finding_id": finding_id}
    url = f"/penalties/{body['id']}"
    assert p.get(p.second_publisher, url).get_json()["allowed_actions"] == ["approve"]
    assert p.get(p.lead, url).get_json()["allowed_actions"] == []
    assert p.get(p.publisher, url).get_json()["allowed_actions"] == []


def test_an_m22_fine_citing_an_order_records_the_order_and_the_amount(p):
    order = by_order(p)
    body = prepare(p, rule="M22", amount_yuan=1, **order).get_json()
    assert (body["amount_yuan"], body["order_id"], body["finding_id"]) == (1, order["order_id"], None)
    assert body["timeline"][0]["after"] == {"rule": "M22", "measure": "fine", "amount_yuan": 1,
                                            "operator_id": p.operator.id, "status": "draft",
                                            "order_id": order["order_id"]}


def test_approval_on_new_years_day_in_china_is_numbered_in_the_new_year(p, factory):
    """文号 years are China-time years: 31 Dec 2026 17:30 UTC is already 1 Jan 2027 in Shanghai."""
    decision = prepare(p).get_json()
    factory.clock.current = at(2027, 1, 1, hour=1)
    approved = p.post(p.second_publisher, f"/penalties/{decision['id']}/actions/approve")
    assert approved.status_code == 200
    body = approved.get_json()
    assert (body["state"], body["number"], body["approved_by"]) == ("approved", "苏通罚〔2027〕1号",
                                                                     p.second_publisher.id)
    assert body["approved_at"] == factory.now.isoformat()
    # Once approved, any officer of the authority may publish it; operator staff may not.
    assert body["allowed_actions"] == ["publish"]
    assert p.get(p.lead, f"/penalties/{decision['id']}").get_json()["allowed_actions"] == ["publish"]
    assert p.get(p.staff, f"/penalties/{decision['id']}").get_json()["allowed_actions"] == []
    published = p.post(p.lead, f"/penalties/{decision['id']}/actions/publish").get_json()
    assert (published["state"], published["published_at"]) == ("published", factory.now.isoformat())
    assert published["allowed_actions"] == []
    approve, publish = events_of("penalty", decision["id"])[1:]
    assert approve.after == {"status": "approved", "number": "苏通罚〔2027〕1号",
                             "approved_by": p.second_publisher.id, "approved_at": factory.now.isoformat()}
    assert publish.after == {"status": "published", "published_at": factory.now.isoformat()}


def test_a_plain_officer_may_not_approve_and_is_told_who_may(p):
    decision = prepare(p).get_json()
    refused = p.post(p.lead, f"/penalties/{decision['id']}/actions/approve")
    assert refused.status_code == 403
    assert refused.get_json()["message"] == ("The officer role may not approve this penalty decision "
                                             "(allowed for: publisher).")
    by_author = p.post(p.publisher, f"/penalties/{decision['id']}/actions/approve")
    assert by_author.get_json()["message"] == ("Four-eyes rule: a decision is approved by a publisher other than "
                                               "the officer who prepared it.")


def test_penalty_rules_are_data_a_rule_added_is_listed_in_code_order(p):
    """SPEC §7: penalty rules are data (rows of `penalty_rules`): a rule added later is offered, and
    the refusal of an unknown rule lists them all in code order."""
    from supervision.extensions import db
    from supervision.orders.models import PenaltyRule

    db.session.add(PenaltyRule(code="M20", article="M 20", measures=["warning"], fine_min_yuan=None,
                               fine_max_yuan=None, fine_cites_order=False, legal_source="test rule"))
    db.session.commit()
    try:
        response = prepare(p, rule="M99")
        assert response.get_json()["errors"] == {"rule": ["rule must be one of M20, M21, M22, M23"]}
        assert prepare(p, rule="M20", measure="warning", amount_yuan=None).status_code == 201
    finally:
        db.session.rollback()
        db.session.execute(db.delete(PenaltyDecision).where(PenaltyDecision.rule == "M20"))
        db.session.execute(db.delete(PenaltyRule).where(PenaltyRule.code == "M20"))
        db.session.commit()
