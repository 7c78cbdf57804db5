"""Format clauses (格式条款) [M 15]: operators file their standard contract terms, each filing a
new version; the supervising authority accepts a version or asks for changes (a step table);
the public directory lists the latest version of each filed clause."""
from datetime import datetime

from sqlalchemy import func, select

from supervision.access.models import Role, User
from supervision.audit import Actor, record_event
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.obligations.models import FormatClause
from supervision.operators.models import Operator
from supervision.workflow import steps
from supervision.workflow.steps import Context, Step, Workflow

OFFICER = "officer"


def file_clause(operator: Operator, data: dict, user: User, now: datetime) -> FormatClause:
    if user.role != Role.OPERATOR:
        raise Forbidden(_l("Only the operator's staff file its format clauses."))
    title, text = (data.get("title") or "").strip(), (data.get("text") or "").strip()
    errors = {}
    if not 1 <= len(title) <= 200:
        errors["title"] = [_l("give the clause a title (at most 200 characters)")]
    if len(text) < 20:
        errors["text"] = [_l("file the full text of the clause")]
    if errors:
        raise ValidationFailed(_l("The clause cannot be filed as it is."), errors)
    # One filing at a time per operator: the version number is the next one under the row lock.
    db.session.execute(select(Operator.id).where(Operator.id == operator.id).with_for_update())
    version = (db.session.scalar(select(func.max(FormatClause.version)).where(
        FormatClause.operator_id == operator.id, FormatClause.title == title)) or 0) + 1
    clause = FormatClause(operator_id=operator.id, authority_code=operator.supervising_authority, title=title,
                          version=version, text=text, status="filed", filed_by=user.id, filed_at=now,
                          updated_at=now)
    db.session.add(clause)
    db.session.flush()
    record_event("format_clause", str(clause.id), "file", Actor.of(user), now,
                 after={"operator_id": operator.id, "title": title, "version": version, "status": "filed"})
    return clause


def _accept(ctx: Context) -> None:
    ctx.set(status="accepted", reviewed_at=ctx.now, review_comment=(ctx.params.get("comment") or "").strip() or None)


def _request_changes(ctx: Context) -> None:
    ctx.set(status="changes_requested", reviewed_at=ctx.now, review_comment=ctx.params["comment"].strip())


def _lock(clause: FormatClause) -> None:
    db.session.execute(select(FormatClause.id).where(FormatClause.id == clause.id).with_for_update())
    db.session.refresh(clause)


STEPS = {
    "accept": Step(frozenset({OFFICER}), frozenset({"filed"}), _accept),
    "request_changes": Step(frozenset({OFFICER}), frozenset({"filed"}), _request_changes, required=("comment",)),
}
WORKFLOW = Workflow(name=_l("format clause"), steps=STEPS, audit_key=lambda c: ("format_clause", str(c.id)),
                    role_of=lambda actor, clause=None: OFFICER if actor.role == Role.OFFICER else actor.role,
                    lock=_lock, note_fields={"request_changes": "comment", "accept": "comment"})


def review(clause: FormatClause, action: str, params: dict, actor: Actor, now: datetime) -> FormatClause:
    return steps.perform(WORKFLOW, clause, action, params, actor, now)


def published_clauses(operator_id: int) -> list[FormatClause]:
    """The latest version of each clause the operator filed (what the public directory lists)."""
    rows = db.session.scalars(select(FormatClause).where(FormatClause.operator_id == operator_id)
                              .order_by(FormatClause.title, FormatClause.version))
    latest: dict[str, FormatClause] = {}
    for clause in rows:
        latest[clause.title] = clause
    return list(latest.values())


def clause_view(clause: FormatClause, actor: Actor | None = None) -> dict:
    view = {"id": clause.id, "operator_id": clause.operator_id, "title": clause.title, "version": clause.version,
            "text": clause.text, "status": clause.status, "review_comment": clause.review_comment,
            "filed_at": clause.filed_at.isoformat()}
    if actor is not None:
        view["allowed_actions"] = steps.allowed_actions(WORKFLOW, clause, WORKFLOW.role_of(actor, clause), actor)
    return view
