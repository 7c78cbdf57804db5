"""The inspection workflow as a step table run by the shared `perform` (workflow/steps.py):
planned → in progress → draft result → (operator's right of reply) → final → published [M 7, M 8].
"""
from datetime import datetime

from supervision.access.models import Role
from supervision.audit import Actor
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.inspections.models import Inspection, PublishedResult, lock_inspection
from supervision.notifications.outbox import queue
from supervision.workflow import steps
from supervision.workflow.deadlines import start_clock, stop_clock
from supervision.workflow.steps import Context, Step, Workflow

OFFICER, PUBLISHER, OPERATOR = "officer", "publisher", "operator"
STAFF = frozenset({OFFICER, PUBLISHER})  # a publisher is an officer too
RIGHT_OF_REPLY = "right_of_reply"
MIN_TEAM = 2  # [M 7] 由两名或两名以上工作人员共同进行


def qualified_officers(inspection: Inspection) -> list:
    """Team members who count for [M 7]: active officers of the inspecting authority with a credential."""
    return [u for u in inspection.officers
            if u.role == Role.OFFICER and u.is_active and u.authority_code == inspection.authority_code
            and (u.credential_no or "").strip()]


def _start(ctx: Context) -> None:
    qualified = qualified_officers(ctx.record)
    if len(qualified) < MIN_TEAM:
        raise ValidationFailed.field("officers", _l(
            "[M 7] an inspection is conducted by at least %(count)d officers of the authority, each showing an "
            "enforcement credential; this team has %(have)d such officer(s).", count=MIN_TEAM, have=len(qualified)))
    ctx.set(status="in_progress", started_at=ctx.now)


def _issue_draft(ctx: Context) -> None:
    unanswered = [item.code for item in ctx.record.items if item.result is None]
    if unanswered:
        raise ValidationFailed.field("items", _l("record a result for every checklist item first: %(items)s",
                                                 items=", ".join(unanswered)))
    ctx.set(status="draft_result", result_summary=ctx.params["summary"].strip())
    start_clock(ctx.record, RIGHT_OF_REPLY, ctx.today, ctx.calendar)
    _notify_operator(ctx.record, "draft_result", ctx.now)


def _reply(ctx: Context) -> None:
    ctx.set(operator_reply=ctx.params["reply"].strip(), replied_at=ctx.now)
    stop_clock(ctx.record, RIGHT_OF_REPLY, ctx.now, ctx.today)


def reply_pending(inspection: Inspection) -> object:
    """Why the result cannot be final yet: the operator may still reply (SPEC §6)."""
    clock = inspection.deadline(RIGHT_OF_REPLY)
    if inspection.operator_reply or clock is None or clock.state == "missed":
        return None
    return _l("The operator's right of reply runs until %(due)s: finalise after its reply or after that day.",
              due=clock.due.isoformat())


def _finalise(ctx: Context) -> None:
    if summary := (ctx.params.get("summary") or "").strip():
        ctx.set(result_summary=summary)
    ctx.set(status="final")
    stop_clock(ctx.record, RIGHT_OF_REPLY, ctx.now, ctx.today)


def _publish_version(ctx: Context, note: str | None) -> PublishedResult:
    inspection = ctx.record
    counts = {result: sum(1 for i in inspection.items if i.result == result) for result in ("pass", "fail", "na")}
    version = PublishedResult(inspection_id=inspection.id, version=len(inspection.versions) + 1,
                              summary=inspection.result_summary, operator_reply=inspection.operator_reply,
                              item_counts=counts, correction_note=note, published_by=ctx.actor.user_id,
                              published_at=ctx.now)
    db.session.add(version)
    inspection.versions.append(version)
    db.session.flush()
    return version


def _publish(ctx: Context) -> None:
    ctx.set(status="published")
    version = _publish_version(ctx, None)
    ctx.changes["version"] = (None, version.version)


def _correct(ctx: Context) -> None:
    ctx.set(result_summary=ctx.params["summary"].strip())
    version = _publish_version(ctx, ctx.params["note"].strip())
    ctx.changes["version"] = (version.version - 1, version.version)


def _cancel(ctx: Context) -> None:
    ctx.set(status="cancelled")


STEPS = {
    "start": Step(STAFF, frozenset({"planned"}), _start),
    "issue_draft": Step(STAFF, frozenset({"in_progress"}), _issue_draft, ("summary",)),
    "reply": Step(frozenset({OPERATOR}), frozenset({"draft_result"}), _reply, ("reply",),
                  blocked=lambda i: i.operator_reply and _l("The operator has already replied to this draft.")),
    "finalise": Step(STAFF, frozenset({"draft_result"}), _finalise, blocked=reply_pending),
    "publish": Step(frozenset({PUBLISHER}), frozenset({"final"}), _publish),
    "correct": Step(frozenset({PUBLISHER}), frozenset({"published"}), _correct, ("summary", "note")),
    "cancel": Step(STAFF, frozenset({"planned", "in_progress"}), _cancel, ("note",)),
}
ACTIONS = tuple(STEPS)


def role_of(actor: Actor, inspection: Inspection | None = None) -> str | None:
    if actor.role == Role.OFFICER:
        from supervision.access.models import User

        user = db.session.get(User, actor.user_id)
        return PUBLISHER if user is not None and user.is_publisher else OFFICER
    if actor.role == Role.OPERATOR:
        return OPERATOR
    return None


def _lock(inspection: Inspection) -> None:
    lock_inspection(inspection.id)
    db.session.refresh(inspection)


INSPECTION_WORKFLOW = Workflow(name=_l("inspection"), steps=STEPS, role_of=role_of,
                               audit_key=lambda i: ("inspection", str(i.id)), lock=_lock,
                               note_fields={"issue_draft": "summary", "reply": "reply", "correct": "note"})


def perform(inspection: Inspection, action: str, params: dict, actor: Actor, now: datetime) -> Inspection:
    return steps.perform(INSPECTION_WORKFLOW, inspection, action, params, actor, now)


def allowed_actions(inspection: Inspection, actor: Actor) -> list[str]:
    return steps.allowed_actions(INSPECTION_WORKFLOW, inspection, role_of(actor, inspection), actor)


def _notify_operator(inspection: Inspection, event: str, now: datetime) -> None:
    from sqlalchemy import select

    from supervision.access.models import User

    staff = db.session.scalars(select(User).where(User.role == Role.OPERATOR,
                                                  User.operator_id == inspection.operator_id))
    for user in staff:
        queue(f"inspection:{inspection.id}:{event}:{user.id}", f"[Inspection {inspection.id}] draft result",
              f"The draft result of inspection {inspection.id} awaits your reply in the operator portal "
              "(right of reply: 5 working days).", now, user=user)
