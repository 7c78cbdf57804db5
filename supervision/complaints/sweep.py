"""Complaints as a subject of the shared deadline sweep (workflow/sweep.py): a missed clock
escalates — an operator miss to the officers' queue, an authority miss to the head's queue
(SPEC §3) — and clocks stand still while the complaint awaits information."""
from datetime import datetime

from sqlalchemy import select

from supervision.audit import SYSTEM, record_event
from supervision.complaints.models import Complaint, Deadline, lock_complaint
from supervision.notifications.outbox import notify_officers
from supervision.workflow.subjects import Subject, register_subject
from supervision.workflow.sweep import SweepResult, sweep_deadlines  # noqa: F401  (the one sweep)


def _escalate(deadline: Deadline, complaint: Complaint, now: datetime) -> int:
    """Operator miss → the officers' queue; authority miss → the head's queue."""
    level = "officer" if deadline.policy.owed_by == "operator" else "head"
    if complaint.escalation == "head" or complaint.escalation == level:
        return 0
    before = complaint.escalation
    complaint.escalation = level
    record_event("complaint", complaint.reference, "escalate", SYSTEM, now,
                 before={"escalation": before}, after={"escalation": level, "clock": deadline.clock,
                                                       "due": deadline.due.isoformat()},
                 note=f"{deadline.clock} deadline {deadline.due.isoformat()} missed")
    notify_officers(complaint, f"[{complaint.reference}] {deadline.clock} deadline missed",
                    f"The {deadline.clock.replace('_', ' ')} deadline of complaint {complaint.reference} "
                    f"({deadline.due.isoformat()}) was missed; it is escalated to the {level} queue.",
                    now, heads_only=(level == "head"), key=f"escalation:{complaint.reference}:{deadline.clock}")
    return 1


COMPLAINT_SUBJECT = register_subject(Subject(
    type=Complaint.deadline_subject, model=Complaint,
    audit_key=lambda c: ("complaint", c.reference), label=lambda c: c.reference,
    lock=lock_complaint,
    paused_ids=lambda: select(Complaint.id).where(Complaint.status == "awaiting_info"),
    on_missed=_escalate, endpoint=("officer.complaint_detail", "reference")))
