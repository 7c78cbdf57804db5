"""What each audience sees of a complaint (SPEC §9): officers all, operator staff masked
personal data except the phone, the complainant their own record without internal notes."""
from supervision.access.models import Role, User
from supervision.audit import Actor, events_of
from supervision.calendar import DueDate, describe
from supervision.complaints import rules
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.transitions import COMPLAINANT, allowed_actions, role_of

OFFICER_VIEW, OPERATOR_VIEW, COMPLAINANT_VIEW = "officer", "operator", "complainant"


def audience_of(user: User | None) -> str:
    if user is None:
        return COMPLAINANT_VIEW
    return OPERATOR_VIEW if user.role == Role.OPERATOR else OFFICER_VIEW


def personal_data(complaint: Complaint, audience: str) -> dict:
    data = {"name": complaint.complainant_name, "phone": complaint.complainant_phone,
            "email": complaint.complainant_email, "address": complaint.complainant_address,
            "id_number": complaint.complainant_id_number}
    if audience != OPERATOR_VIEW:
        return data
    # The operator needs the phone to call the complainant back about a transferred complaint.
    return {"name": rules.mask_name(data["name"]), "phone": data["phone"], "email": rules.mask_email(data["email"]),
            "address": rules.mask_tail(data["address"], 2), "id_number": rules.mask_tail(data["id_number"], 4, 2)}


def deadline_view(deadline: Deadline, lang: str = "en", with_explanation: bool = True) -> dict:
    view = {"clock": deadline.clock, "due": deadline.due.isoformat(), "state": deadline.state,
            "provisional": deadline.provisional}
    if with_explanation:
        view |= {"started_on": deadline.started_on.isoformat(), "unit": deadline.policy.unit,
                 "length": deadline.policy.length, "paused_days": deadline.paused_days,
                 "legal_source": deadline.policy.legal_source, "explanation": deadline.explanation,
                 "explanation_text": explain(deadline, lang)}
    return view


def explain(deadline: Deadline, lang: str = "en") -> str:
    """The stored computation, told in words (skipped weekends, holidays, make-up workdays)."""
    due = DueDate(start=deadline.started_on, length=deadline.policy.length, unit=deadline.policy.unit,
                  due=deadline.due, provisional=deadline.provisional, explanation=deadline.explanation or {})
    return describe(due, lang)


def timeline(complaint: Complaint, audience: str) -> list[dict]:
    """Events in order; the complainant sees notes only where they were meant for them."""
    items = []
    for event in events_of("complaint", complaint.reference):
        show_note = audience == OFFICER_VIEW or event.public_note
        if audience == COMPLAINANT_VIEW and event.action in ("escalate", "deadline_recomputed"):
            continue
        items.append({"at": event.at.isoformat(), "action": event.action,
                      "by": event.role if audience != OFFICER_VIEW else event.actor_label,
                      "note": event.note if show_note else None})
    return items


def complaint_view(complaint: Complaint, user: User | None, lang: str = "en") -> dict:
    audience = audience_of(user)
    actor_role = role_of(Actor.of(user)) if user else COMPLAINANT
    view = {
        "reference": complaint.reference, "status": complaint.status, "outcome": complaint.outcome,
        "operator_id": complaint.operator_id, "operator": complaint.operator.name,
        "province": complaint.province, "category": complaint.category, "subcategory": complaint.subcategory,
        "description": complaint.description, "request": complaint.request,
        "operator_complaint_date": complaint.operator_complaint_date.isoformat(),
        "operator_answer": complaint.operator_answer, "event_date": complaint.event_date.isoformat(),
        "disputed_months": complaint.disputed_months or [], "channel": complaint.channel,
        "received_at": complaint.received_at.isoformat(),
        "operator_reply": complaint.operator_reply, "proposed_settlement": complaint.proposed_settlement,
        "settlement_response": complaint.settlement_response, "supervised": complaint.supervised,
        "rating": {"score": complaint.rating_score, "comment": complaint.rating_comment}
        if complaint.rating_score else None,
        "deadlines": [deadline_view(d, lang) for d in complaint.deadlines],
        "timeline": timeline(complaint, audience),
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256} for a in complaint.attachments],
        "allowed_actions": allowed_actions(complaint, actor_role),
        "complainant": personal_data(complaint, audience),
    }
    if audience != COMPLAINANT_VIEW:
        view |= {"escalation": complaint.escalation, "rejection_reason": complaint.rejection_reason,
                 "authority": complaint.authority_code}
    else:
        view["rejection_reason"] = complaint.rejection_reason
    return view
