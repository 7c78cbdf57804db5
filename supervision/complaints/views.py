"""What each audience sees of a complaint (SPEC §9): officers all, operator staff masked
personal data except the phone, the complainant their own record without internal notes."""
import re
from datetime import date, datetime

from supervision.access.models import Role, User
from supervision.access.personal_data import PERSONAL_FIELDS, fields_shown, record_personal_data_read
from supervision.audit import Actor, events_of
from supervision.calendar import DueDate, describe
from supervision.clock import now_utc
from supervision.complaints import deadlines as clocks
from supervision.complaints import rules
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.transitions import COMPLAINANT, allowed_actions, role_of

OFFICER_VIEW, OPERATOR_VIEW, COMPLAINANT_VIEW = "officer", "operator", "complainant"


def audience_of(user: User | None) -> str:
    if user is None:
        return COMPLAINANT_VIEW
    return OPERATOR_VIEW if user.role == Role.OPERATOR else OFFICER_VIEW


def personal_data(complaint: Complaint, audience: str) -> dict:
    if complaint.personal_data_erased_at is not None:
        return dict.fromkeys(PERSONAL_FIELDS)  # erased after the retention period (complaints/erasure.py)
    data = {"name": complaint.complainant_name, "phone": complaint.complainant_phone,
            "email": complaint.complainant_email, "address": complaint.complainant_address,
            "id_number": complaint.complainant_id_number}
    if audience != OPERATOR_VIEW:
        return data
    # The operator needs the phone to call the complainant back about a transferred complaint.
    return {"name": rules.mask_name(data["name"]), "phone": data["phone"], "email": rules.mask_email(data["email"]),
            "address": rules.mask_tail(data["address"], 2), "id_number": rules.mask_tail(data["id_number"], 4, 2)}


def deadline_view(deadline: Deadline, lang: str = "en", with_explanation: bool = True,
                  today: date | None = None, calendar=None, complaint: Complaint | None = None) -> dict:
    """A clock as pages and the API show it. With `today`, a clock paused while awaiting
    information says since when and where its due date moves if the information comes today."""
    view = {"clock": deadline.clock, "due": deadline.due.isoformat(), "state": deadline.state,
            "provisional": deadline.provisional}
    if with_explanation:
        view |= {"started_on": deadline.started_on.isoformat(), "unit": deadline.policy.unit,
                 "length": deadline.policy.length, "paused_days": deadline.paused_days,
                 "legal_source": deadline.policy.legal_source, "explanation": deadline.explanation,
                 "explanation_text": explain(deadline, lang)}
    if complaint is not None and today is not None and deadline.running and complaint.status == "awaiting_info" and complaint.paused_on:
        moved = clocks.due_if_resumed(deadline, complaint.paused_on, max(today, complaint.paused_on),
                                      calendar or clocks.load_calendar())
        view |= {"paused_since": complaint.paused_on.isoformat(), "due_if_resumed_today": moved.due.isoformat(),
                 "provisional_if_resumed": moved.provisional}
    return view


def explain(deadline: Deadline, lang: str = "en") -> str:
    """The stored computation, told in words (skipped weekends, holidays, make-up workdays)."""
    due = DueDate(start=deadline.started_on, length=deadline.policy.length, unit=deadline.policy.unit,
                  due=deadline.due, provisional=deadline.provisional, explanation=deadline.explanation or {})
    return describe(due, lang)


# The sweep's escalation note, "<clock> deadline <yyyy-mm-dd> missed": read for its data only.
ESCALATION_NOTE = re.compile(r"^(?P<clock>[a-z_]+) deadline (?P<due>\d{4}-\d{2}-\d{2}) missed$")
SYSTEM_NOTES = ("escalate", "deadline_recomputed", "clock_missed", "clock_due_soon")
# Notes written to the operator: it reads them on its page (the officer's transfer note, …).
OPERATOR_NOTES = ("transfer", "supervise", "mediate", "close")


def timeline(complaint: Complaint, audience: str) -> list[dict]:
    """Events in order; the complainant sees notes only where they were meant for them, the
    operator also the authority's notes addressed to it. Events the system wrote carry their
    data (which clock, which due date) for the page to say in words, not their English note."""
    items = []
    for event in events_of("complaint", complaint.reference):
        if audience == COMPLAINANT_VIEW and event.action in ("escalate", "deadline_recomputed"):
            continue
        show_note = (audience == OFFICER_VIEW or event.public_note
                     or audience == OPERATOR_VIEW and event.action in OPERATOR_NOTES)
        items.append({"at": event.at.isoformat(), "action": event.action,
                      "by": event.role if audience != OFFICER_VIEW else event.actor_label,
                      "note": event.note if show_note and event.action not in SYSTEM_NOTES else None,
                      **event_facts(event)})
    return items


def event_facts(event) -> dict:
    """Which clock, due date and escalation level an event of the system is about."""
    before, after = event.before or {}, event.after or {}
    facts = {"clock": after.get("clock") or before.get("clock"), "due": after.get("due"),
             "due_before": before.get("due"), "escalation": after.get("escalation")}
    if event.action == "escalate" and not facts["clock"] and (match := ESCALATION_NOTE.match(event.note or "")):
        facts |= {"clock": match["clock"], "due": match["due"]}
    return {key: value for key, value in facts.items() if value}


def transfer_note(complaint: Complaint) -> str | None:
    """The officer's note that came with the (latest) transfer: instructions for the operator."""
    notes = [e.note for e in events_of("complaint", complaint.reference) if e.action == "transfer" and e.note]
    return notes[-1] if notes else None


def iso_or_none(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def complaint_view(complaint: Complaint, user: User | None, lang: str = "en", today: date | None = None,
                   now: datetime | None = None) -> dict:
    """`today` (pages pass it) adds where paused clocks will move (deadline_view).

    Staff reading the complainant's personal data here is recorded (access/personal_data.py):
    every page and endpoint that shows a complaint goes through this function."""
    audience = audience_of(user)
    complainant = personal_data(complaint, audience)
    if user is not None:
        masked = () if audience == OFFICER_VIEW else tuple(f for f in PERSONAL_FIELDS if f != "phone")
        record_personal_data_read(user, complaint, fields_shown(complainant, masked), now or now_utc())
    calendar = clocks.load_calendar() if today is not None and complaint.status == "awaiting_info" else None
    actor_role = role_of(Actor.of(user)) if user else COMPLAINANT
    view = {
        "reference": complaint.reference, "status": complaint.status, "outcome": complaint.outcome,
        "operator_id": complaint.operator_id, "operator": complaint.operator.display_name(lang),
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
        "deadlines": [deadline_view(d, lang, today=today, calendar=calendar, complaint=complaint)
                      for d in complaint.deadlines],
        "timeline": timeline(complaint, audience),
        "attachments": [{"id": a.id, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                         "sha256": a.sha256, "uploaded_by": a.uploaded_by_role} for a in complaint.attachments],
        "allowed_actions": allowed_actions(complaint, actor_role),
        "complainant": complainant,
        "personal_data_erased_at": iso_or_none(complaint.personal_data_erased_at),
    }
    if audience != COMPLAINANT_VIEW:
        view |= {"escalation": complaint.escalation, "rejection_reason": complaint.rejection_reason,
                 "authority": complaint.authority_code, "transfer_note": transfer_note(complaint)}
    else:
        view["rejection_reason"] = complaint.rejection_reason
    return view
