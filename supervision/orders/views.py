"""What officers and the operator see of an order and a penalty decision."""
from supervision.access.models import User
from supervision.audit import Actor
from supervision.inspections.views import deadline_view, timeline
from supervision.orders import penalties, services
from supervision.orders.models import PenaltyDecision, RectificationOrder


def order_view(order: RectificationOrder, user: User) -> dict:
    return {
        "id": order.id, "number": order.number, "state": order.status, "operator_id": order.operator_id,
        "operator": order.operator.name, "authority": order.authority_code, "requirement": order.requirement,
        "deadline": order.deadline_on.isoformat(), "round": order.round, "overdue": order.overdue,
        "finding_ids": [f.id for f in order.findings],
        "findings": [{"id": f.id, "article": f.article, "facts": f.facts, "state": f.state} for f in order.findings],
        "plan": order.plan, "completion_report": order.completion_report,
        "evidence": [{k: e[k] for k in ("filename", "content_type", "size", "sha256", "round")}
                     for e in order.evidence],
        "verification_note": order.verification_note, "issued_at": order.issued_at.isoformat(),
        "closed_at": order.closed_at.isoformat() if order.closed_at else None,
        "deadlines": [deadline_view(d) for d in order.deadlines],
        "allowed_actions": services.allowed_actions(order, Actor.of(user)),
        "timeline": timeline("order", order.id),
    }


def penalty_view(decision: PenaltyDecision, user: User) -> dict:
    return {
        "id": decision.id, "number": decision.number, "state": decision.status,
        "operator_id": decision.operator_id, "operator": decision.operator.name,
        "authority": decision.authority_code, "rule": decision.rule, "measure": decision.measure,
        "amount_yuan": decision.amount_yuan, "facts": decision.facts, "finding_id": decision.finding_id,
        "order_id": decision.order_id, "legal_source": decision.penalty_rule.legal_source,
        "prepared_by": decision.prepared_by, "approved_by": decision.approved_by,
        "approved_at": decision.approved_at.isoformat() if decision.approved_at else None,
        "published_at": decision.published_at.isoformat() if decision.published_at else None,
        "allowed_actions": penalties.allowed_actions(decision, Actor.of(user)),
        "timeline": timeline("penalty", decision.id),
    }
