"""What officers and the operator see of an inspection, an order and a penalty decision."""
from supervision.access.models import Role, User
from supervision.audit import Actor, events_of
from supervision.inspections import transitions
from supervision.inspections.models import Inspection
from supervision.workflow.models import Deadline


def deadline_view(deadline: Deadline) -> dict:
    return {"clock": deadline.clock, "due": deadline.due.isoformat(), "state": deadline.state,
            "provisional": deadline.provisional, "legal_source": deadline.policy.legal_source,
            "explanation": deadline.explanation}


def timeline(entity_type: str, entity_id) -> list[dict]:
    return [{"at": e.at.isoformat(), "action": e.action, "actor": e.actor_label, "role": e.role,
             "before": e.before, "after": e.after, "note": e.note} for e in events_of(entity_type, entity_id)]


def inspection_view(inspection: Inspection, user: User) -> dict:
    """The full record for officers in scope; the operator sees it without officers' item notes
    until the draft result is issued (an inspection in progress, e.g. mystery shopping, is not told)."""
    operator_view = user.role == Role.OPERATOR
    shown = not operator_view or inspection.status in ("draft_result", "final", "published")
    return {
        "id": inspection.id, "operator_id": inspection.operator_id, "operator": inspection.operator.name,
        "authority": inspection.authority_code, "province": inspection.province, "type": inspection.type,
        "planned_on": inspection.planned_on.isoformat(), "status": inspection.status,
        "officers": [{"username": u.username, "name": u.label, "credential_no": u.credential_no}
                     for u in inspection.officers] if not operator_view or shown else [],
        "items": [{"id": i.id, "code": i.code, "text": i.text, "article": i.article, "result": i.result,
                   "note": i.note, "finding_id": i.finding_id,
                   "evidence": [{"id": e.id, "filename": e.filename, "content_type": e.content_type,
                                 "size": e.size, "sha256": e.sha256} for e in i.evidence]}
                  for i in inspection.items] if shown else [],
        "seals": [{"id": s.id, "items": s.items, "sealed_at": s.sealed_at.isoformat(), "officers": s.officers,
                   "unsealed_at": s.unsealed_at.isoformat() if s.unsealed_at else None, "unseal_note": s.unseal_note}
                  for s in inspection.seals] if shown else [],
        "result_summary": inspection.result_summary if shown else None,
        "operator_reply": inspection.operator_reply,
        "versions": [{"version": v.version, "published_at": v.published_at.isoformat(), "summary": v.summary,
                      "operator_reply": v.operator_reply, "correction_note": v.correction_note}
                     for v in inspection.versions],
        "deadlines": [deadline_view(d) for d in inspection.deadlines],
        "allowed_actions": transitions.allowed_actions(inspection, Actor.of(user)),
        "timeline": timeline("inspection", inspection.id) if not operator_view else [],
    }
