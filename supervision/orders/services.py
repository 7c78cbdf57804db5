"""Rectification orders (限期整改通知书) and their PDCA cycle [M 6 (三), M 13] (SPEC §7):
issued → operator's plan → completion report with evidence → officer verifies → closed, or
reopened with a new deadline (each round stays on the audit chain).
"""
from datetime import date, datetime, timedelta

from supervision.access.models import Role, User
from supervision.access.scoping import load_in_scope
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Forbidden, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.findings import services as findings
from supervision.findings.models import Finding
from supervision.i18n import _l
from supervision.operators.models import Operator
from supervision.orders.models import RectificationOrder, lock_order
from supervision.orders.numbering import next_number
from supervision.uploads import store_upload
from supervision.workflow import steps
from supervision.workflow.deadlines import fixed_due, start_clock, stop_clock
from supervision.workflow.steps import Context, Step, Workflow

ORDER_DEADLINE = "order_deadline"
LONGEST_DEADLINE = timedelta(days=366)  # [default] a rectification period beyond a year is not a 限期
MAX_EVIDENCE = 20
OFFICER, OPERATOR = "officer", "operator"


def checked_deadline(deadline: date, today: date, field: str = "deadline") -> date:
    if not today < deadline <= today + LONGEST_DEADLINE:
        raise ValidationFailed.field(field, _l("the deadline must be after today and within a year"))
    return deadline


def _findings_to_cite(user: User, operator: Operator, finding_ids: list[int]) -> list[Finding]:
    if not finding_ids:
        raise ValidationFailed.field("finding_ids", _l("an order cites at least one finding"))
    cited, problems = [], []
    for finding_id in dict.fromkeys(finding_ids):
        finding = _finding_in_scope(user, finding_id)
        if finding is None or finding.operator_id != operator.id:
            problems.append(_l("finding %(id)s is not a finding of this operator in your jurisdiction", id=finding_id))
        elif finding.state != "open":
            problems.append(_l("finding %(id)s is %(state)s, not open", id=finding_id, state=finding.state))
        else:
            cited.append(finding)
    if problems:
        raise ValidationFailed(_l("The order cannot cite these findings."), {"finding_ids": problems})
    return cited


def _finding_in_scope(user: User, finding_id: int) -> Finding | None:
    from supervision.errors import NotFound

    try:
        return load_in_scope(Finding, user, id=finding_id)
    except NotFound:
        return None


def issue_order(user: User, data: dict, now: datetime) -> RectificationOrder:
    """SPEC §10 POST /orders: cites open findings of that operator in scope; numbered per authority and year."""
    if user is None or user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may issue a rectification order."))
    operator = load_in_scope(Operator, user, id=data["operator_id"])
    today = local_date(now)
    deadline = checked_deadline(data["deadline"], today)
    requirement = (data.get("requirement") or "").strip()
    if not requirement:
        raise ValidationFailed.field("requirement", _l("state what must be rectified"))
    cited = _findings_to_cite(user, operator, data.get("finding_ids") or [])
    number = next_number(user.authority_code, "order", today.year)
    order = RectificationOrder(number=number, authority_code=user.authority_code, operator_id=operator.id,
                               requirement=requirement, deadline_on=deadline, status="issued", overdue=False,
                               round=1, evidence=[], issued_by=user.id, issued_at=now, updated_at=now)
    order.findings = cited
    db.session.add(order)
    db.session.flush()
    actor = Actor.of(user)
    _start_deadline(order, today, deadline)
    record_event("order", str(order.id), "issue", actor, now,
                 after={"number": number, "operator_id": operator.id, "finding_ids": [f.id for f in cited],
                        "deadline": deadline.isoformat(), "status": "issued"}, note=requirement)
    for finding in cited:
        findings.cite_in_order(finding, number, actor, now)  # the finding workflow's internal `order` step
    return order


def _start_deadline(order: RectificationOrder, today: date, deadline: date) -> None:
    from supervision.workflow.deadlines import load_calendar

    calendar = load_calendar()
    start_clock(order, ORDER_DEADLINE, today, calendar,
                due=fixed_due(ORDER_DEADLINE, today, deadline, calendar,
                              reason=f"deadline set in {order.number} (round {order.round})"))


def _file_plan(ctx: Context) -> None:
    ctx.set(status="plan_filed", plan=ctx.params["plan"].strip())


def _report_completion(ctx: Context) -> None:
    ctx.set(status="completion_reported", completion_report=ctx.params["report"].strip())
    stop_clock(ctx.record, ORDER_DEADLINE, ctx.now, ctx.today)


def _verify(ctx: Context) -> None:
    """Rectified: the order closes, and with it the findings it cited."""
    ctx.set(status="closed", verification_note=ctx.params["note"].strip(), closed_at=ctx.now)
    for finding in ctx.record.findings:
        if finding.state != "closed":
            findings.perform(finding, "close", {"note": f"rectified: {ctx.record.number}"}, ctx.actor, ctx.now)


def _reopen(ctx: Context) -> None:
    """Not rectified: a new round with a new deadline; the previous round stays on the chain."""
    deadline = ctx.params["deadline"]
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline)
        except ValueError:
            raise ValidationFailed.field("deadline", _l("deadline must be a date YYYY-MM-DD")) from None
    checked_deadline(deadline, ctx.today)
    ctx.set(status="reopened", verification_note=ctx.params["note"].strip(), round=ctx.record.round + 1,
            deadline_on=deadline, overdue=False, completion_report=None)
    _start_deadline(ctx.record, ctx.today, deadline)


STEPS = {
    "file_plan": Step(frozenset({OPERATOR}), frozenset({"issued", "reopened"}), _file_plan, ("plan",)),
    "report_completion": Step(frozenset({OPERATOR}), frozenset({"plan_filed"}), _report_completion, ("report",)),
    "verify": Step(frozenset({OFFICER}), frozenset({"completion_reported"}), _verify, ("note",)),
    "reopen": Step(frozenset({OFFICER}), frozenset({"completion_reported", "plan_filed", "issued"}), _reopen,
                   ("note", "deadline")),
}
ACTIONS = tuple(STEPS)


def role_of(actor: Actor, order: RectificationOrder | None = None) -> str | None:
    return {Role.OFFICER: OFFICER, Role.OPERATOR: OPERATOR}.get(actor.role)


def _lock(order: RectificationOrder) -> None:
    lock_order(order.id)
    db.session.refresh(order)


ORDER_WORKFLOW = Workflow(name=_l("order"), steps=STEPS, role_of=role_of, audit_key=lambda o: ("order", str(o.id)),
                          lock=_lock, note_fields={"file_plan": "plan", "report_completion": "report"})


def perform(order: RectificationOrder, action: str, params: dict, actor: Actor, now: datetime):
    return steps.perform(ORDER_WORKFLOW, order, action, params, actor, now)


def allowed_actions(order: RectificationOrder, actor: Actor) -> list[str]:
    return steps.allowed_actions(ORDER_WORKFLOW, order, role_of(actor), actor)


def evidence_file(order: RectificationOrder, number: int) -> dict:
    """The `number`-th file (from 1, in the order added) of an order's evidence, for those who may see
    the order: its officers judge the completion report by it, the operator keeps what it sent."""
    if not 1 <= number <= len(order.evidence):
        raise NotFound(_l("This order has no evidence file %(number)s.", number=number))
    return order.evidence[number - 1]


def add_completion_evidence(order: RectificationOrder, filename: str, content: bytes, user: User,
                            now: datetime) -> dict:
    """The operator's evidence of rectification, while the order awaits its completion report."""
    if user.role != Role.OPERATOR:
        raise Forbidden(_l("Only the operator adds evidence of rectification."))
    lock_order(order.id)
    db.session.refresh(order)
    if order.status not in ("issued", "plan_filed", "reopened"):
        from supervision.errors import Conflict

        raise Conflict(_l("Evidence can be added only before the completion report is filed."))
    if len(order.evidence) >= MAX_EVIDENCE:
        raise ValidationFailed.field("file", _l("at most %(count)d files per order", count=MAX_EVIDENCE))
    stored = store_upload(filename, content)
    entry = {"filename": stored.filename, "content_type": stored.content_type, "size": stored.size,
             "sha256": stored.sha256, "storage_key": stored.storage_key, "round": order.round,
             "uploaded_at": now.isoformat()}
    order.evidence = [*order.evidence, entry]
    order.updated_at = now
    record_event("order", str(order.id), "attach", Actor.of(user), now,
                 after={"filename": stored.filename, "sha256": stored.sha256, "size": stored.size})
    return entry
