"""Every complaint action of SPEC §10 as one step of the complaint workflow: who may do it,
from which states, what it requires, and what it changes. The shared `perform`
(workflow/steps.py) is the only path that changes a status.
"""
from datetime import datetime

from supervision.access.models import Role
from supervision.audit import Actor
from supervision.complaints import deadlines
from supervision.complaints.holds import release_holds
from supervision.complaints.models import OUTCOMES, Complaint, lock_complaint
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.notifications.outbox import notify_complainant, notify_operator
from supervision.workflow import steps
from supervision.workflow.steps import Context, Step, Workflow

OFFICER, OPERATOR, COMPLAINANT = "officer", "operator", "complainant"
OPEN_STATES = frozenset({"submitted", "accepted", "awaiting_info", "transferred", "operator_replied", "mediation"})
AFTER_TRANSFER = frozenset({"transferred", "operator_replied", "mediation"})


def _accept(ctx: Context) -> None:
    ctx.set(status="accepted")
    deadlines.stop_clock(ctx.record, deadlines.ACCEPTANCE, ctx.now, ctx.today)


def _reject(ctx: Context) -> None:
    ctx.set(status="rejected", rejection_reason=ctx.params["reason"], closed_at=ctx.now)
    deadlines.stop_all_clocks(ctx.record, ctx.now, ctx.today)
    release_holds(ctx.record, ctx.now)


def _request_info(ctx: Context) -> None:
    ctx.set(resume_status=ctx.record.status, status="awaiting_info", paused_on=ctx.today)


def _end_pause(ctx: Context) -> None:
    """The clocks stood still while awaiting information (SPEC §3): move their due dates."""
    deadlines.extend_for_pause(ctx.record, ctx.record.paused_on, ctx.today, ctx.calendar)
    ctx.set(resume_status=None, paused_on=None)


def _provide_info(ctx: Context) -> None:
    resume = ctx.record.resume_status
    _end_pause(ctx)
    ctx.set(status=resume)


def _transfer(ctx: Context) -> None:
    ctx.set(status="transferred", transferred_at=ctx.now)
    deadlines.start_clock(ctx.record, deadlines.OPERATOR_REPLY, ctx.today, ctx.calendar)
    notify_operator(ctx.record, "transferred", ctx.now)


def _operator_reply(ctx: Context) -> None:
    ctx.set(status="operator_replied", operator_reply=ctx.params["reply"],
            proposed_settlement=ctx.params.get("proposed_settlement"))
    deadlines.stop_clock(ctx.record, deadlines.OPERATOR_REPLY, ctx.now, ctx.today)


def _report_awaited(complaint: Complaint) -> bool:
    """A supervised matter whose report (late or not) has not been filed yet [M 16]."""
    clock = complaint.deadline(deadlines.SUPERVISION_REPORT)
    return complaint.supervised and clock is not None and clock.awaiting_stop


def _supervise(ctx: Context) -> None:
    ctx.set(supervised=True)
    deadlines.start_clock(ctx.record, deadlines.SUPERVISION_REPORT, ctx.today, ctx.calendar)
    notify_operator(ctx.record, "supervised", ctx.now)


def _supervision_report(ctx: Context) -> None:
    deadlines.stop_clock(ctx.record, deadlines.SUPERVISION_REPORT, ctx.now, ctx.today)


def _mediate(ctx: Context) -> None:
    ctx.set(status="mediation")


def _close(ctx: Context) -> None:
    if ctx.params["outcome"] not in OUTCOMES:
        raise ValidationFailed.field("outcome", _l("outcome must be one of %(choices)s", choices=", ".join(OUTCOMES)))
    ctx.set(status="closed", outcome=ctx.params["outcome"], closed_at=ctx.now, escalation=None)
    deadlines.stop_all_clocks(ctx.record, ctx.now, ctx.today)
    release_holds(ctx.record, ctx.now)


def _withdraw(ctx: Context) -> None:
    if ctx.record.status == "awaiting_info":
        _end_pause(ctx)  # the pause must not count as lateness when the clocks stop now
    ctx.set(status="withdrawn", outcome="withdrawn", closed_at=ctx.now, escalation=None)
    deadlines.stop_all_clocks(ctx.record, ctx.now, ctx.today)
    release_holds(ctx.record, ctx.now)


def _rate(ctx: Context) -> None:
    score = ctx.params["score"]
    # bool is an int in Python: a JSON `true` is not a score of 1.
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationFailed.field("score", _l("score must be a whole number from 1 to 5"))
    ctx.set(rating_score=score, rating_comment=ctx.params.get("comment"))


def _respond_settlement(ctx: Context) -> None:
    decision = ctx.params["decision"]
    if decision not in ("accept", "reject"):
        raise ValidationFailed.field("decision", _l("decision must be 'accept' or 'reject'"))
    ctx.set(settlement_response="accepted" if decision == "accept" else "rejected")


def _settlement_unanswerable(complaint: Complaint):
    """Why the complainant cannot answer a settlement now, or None.

    The answer is given once: the operator and the officer act on it (a refund, a mediation),
    so it cannot be flipped afterwards. A new proposal (operator_reply) clears it.
    """
    if not complaint.proposed_settlement:
        return _l("The operator has not proposed a settlement.")
    if complaint.settlement_response is not None:
        return _l("You have already answered the proposed settlement.")
    return None


def _set(*names: str) -> frozenset[str]:
    # Called only while the module loads, before any mutant can be active.
    return frozenset(names)  # pragma: no mutate


STEPS: dict[str, Step] = {
    "accept": Step(_set(OFFICER), _set("submitted"), _accept),
    "reject": Step(_set(OFFICER), _set("submitted", "accepted"), _reject, ("reason",), public_note=True),
    "request_info": Step(_set(OFFICER), OPEN_STATES - {"awaiting_info"}, _request_info, ("note",),
                         public_note=True),
    "provide_info": Step(_set(OFFICER, COMPLAINANT), _set("awaiting_info"), _provide_info, public_note=True),
    "transfer": Step(_set(OFFICER), _set("accepted"), _transfer),
    "operator_reply": Step(_set(OPERATOR), _set("transferred"), _operator_reply, ("reply",), public_note=True),
    "supervise": Step(_set(OFFICER), AFTER_TRANSFER, _supervise, blocked=lambda c: _report_awaited(c) and _l(
        "This complaint is already supervised and its report is still awaited.")),
    "supervision_report": Step(_set(OPERATOR), AFTER_TRANSFER, _supervision_report, ("report",),
                               blocked=lambda c: not _report_awaited(c) and _l(
                                   "No supervision report is awaited for this complaint.")),
    "mediate": Step(_set(OFFICER), _set("accepted", "transferred", "operator_replied"), _mediate,
                    public_note=True),
    "close": Step(_set(OFFICER), AFTER_TRANSFER | {"accepted"}, _close, ("outcome",), public_note=True),
    "withdraw": Step(_set(OFFICER, COMPLAINANT), OPEN_STATES, _withdraw, public_note=True),
    "rate": Step(_set(COMPLAINANT), _set("closed"), _rate, ("score",), blocked=lambda c: c.rating_score is not None
                 and _l("You have already rated the handling of this complaint.")),
    "respond_settlement": Step(_set(COMPLAINANT), _set("operator_replied", "mediation"), _respond_settlement,
                               ("decision",), public_note=True, blocked=lambda c: _settlement_unanswerable(c)),
}
ACTIONS = tuple(STEPS)

# The text that stands for the action's note on the timeline.
NOTE_FIELDS = {"reject": "reason", "operator_reply": "reply", "supervision_report": "report"}


def role_of(actor: Actor, complaint: Complaint | None = None) -> str | None:
    if actor.role == Role.OFFICER:
        return OFFICER
    if actor.role == Role.OPERATOR:
        return OPERATOR
    return COMPLAINANT if actor.role == COMPLAINANT else None


def _lock_and_reload(complaint: Complaint) -> None:
    lock_complaint(complaint.id)
    db.session.refresh(complaint)


def _notify(ctx: Context, action: str, step: Step) -> None:
    if step.public_note or action in ("accept", "transfer"):
        notify_complainant(ctx.record, action, ctx.now)


COMPLAINT_WORKFLOW = Workflow(
    name=_l("complaint"), steps=STEPS, role_of=role_of, audit_key=lambda c: ("complaint", c.reference),
    lock=_lock_and_reload, note_fields=NOTE_FIELDS, after=_notify)


def allowed_actions(complaint: Complaint, role: str | None) -> list[str]:
    return steps.allowed_actions(COMPLAINT_WORKFLOW, complaint, role)


def perform(complaint: Complaint, action: str, params: dict, actor: Actor, now: datetime) -> Complaint:
    """Check role (403), state (409) and required fields (422), apply, and audit the change."""
    return steps.perform(COMPLAINT_WORKFLOW, complaint, action, params, actor, now)
