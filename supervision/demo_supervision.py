"""Demo spot checks, an order and a penalty in Jiangsu (loaded with `flask demo load`), made
through the real services so they are valid and audited: a published result with the
operator's reply, an inspection awaiting the operator's reply, an open rectification order,
an approved penalty decision, and a drawn 双随机 campaign."""
from datetime import datetime, timedelta

from sqlalchemy import select

from supervision.audit import Actor
from supervision.clock import local_date
from supervision.extensions import db
from supervision.findings.services import raise_finding
from supervision.inspections import campaigns, transitions
from supervision.inspections import services as inspections
from supervision.inspections.models import Inspection
from supervision.operators.rules import quarter_of
from supervision.orders import penalties
from supervision.orders import services as orders


def ensure_supervision_demo(users: dict, operators: dict, cmcc: str, jscable: str, now: datetime, echo) -> None:
    if db.session.scalar(select(Inspection.id).limit(1)) is not None:
        echo("inspections: already loaded")
        return
    lead, colleague, publisher = users["officer.js"], users["officer.js2"], users["publisher.js"]
    today = local_date(now)
    published = _inspection(lead, colleague, operators[cmcc], "mystery", today, now, fail_note=None)
    _act(published, "issue_draft", lead, now, summary="12 次拨测 10086 投诉热线，均在 60 秒内接通并答复，未发现问题。")
    _act(published, "reply", users["staff.cmcc"], now, reply="感谢检查，我司将继续保持。")
    _act(published, "finalise", lead, now)
    _act(published, "publish", publisher, now)

    awaiting = _inspection(lead, colleague, operators[jscable], "onsite", today, now,
                           fail_note="96296 热线工作时间 12 次拨测 9 次无人接听")
    _act(awaiting, "issue_draft", lead, now, summary="投诉热线接通率低，9/12 次拨测无人接听；其余项目符合要求。")
    failed = next(item for item in awaiting.items if item.finding_id)

    order = orders.issue_order(lead, {"operator_id": operators[jscable].id, "finding_ids": [failed.finding_id],
                                      "requirement": "增加热线坐席，保证工作时间内投诉电话接通率不低于 90%，并报送整改方案。",
                                      "deadline": today + timedelta(days=30)}, now)
    finding, _ = raise_finding(operators[cmcc], "32", "officer", "M 21", "营销短信退订后仍持续发送，经查属实。",
                               Actor.of(lead), now)
    decision = penalties.prepare_penalty(lead, {"operator_id": operators[cmcc].id, "rule": "M21", "measure": "fine",
                                                "amount_yuan": 5000, "facts": "用户退订后仍持续发送营销短信，经查属实。",
                                                "finding_id": finding.id}, now)
    penalties.perform(decision, "approve", {}, Actor.of(publisher), now)
    campaign = campaigns.freeze_campaign(lead, {"period": quarter_of(today), "type": "document",
                                                "operators_to_draw": 2, "inspectors_per_inspection": 2}, now)
    campaigns.declare_conflict(campaign, lead, {"username": colleague.username, "operator_id": operators[jscable].id,
                                                "reason": "曾在该企业任职"}, now)
    campaigns.draw_campaign(campaign, lead, now)
    db.session.commit()
    echo(f"inspections: one published, one awaiting the operator's reply; order {order.number}; "
         f"penalty {decision.number}; campaign {campaign.id} drawn (public page /campaigns/{campaign.id}; "
         f"`flask --app wsgi inspections replay-draw {campaign.id}` re-runs it)")


def _inspection(lead, colleague, operator, type_, today, now, fail_note):
    inspection = inspections.plan_inspection(lead, {"operator_id": operator.id, "type": type_, "planned_on": today,
                                                     "officers": [lead.username, colleague.username]}, now)
    _act(inspection, "start", lead, now)
    for n, item in enumerate(inspection.items):
        result, note = ("fail", fail_note) if fail_note and n == 0 else ("pass", None)
        inspections.record_item_result(inspection, item.id, result, note, lead, now)
    return inspection


def _act(inspection, action, user, now, **params):
    transitions.perform(inspection, action, params, Actor.of(user), now)
