"""Self-inspection reports [M 18] (SPEC §5): creation with pre-filled figures, editing while a
draft (or returned), and the draft → submitted → accepted | returned workflow as a step table."""
from datetime import date, datetime, time

from flask import current_app
from sqlalchemy import func, select

from supervision.access.models import NATIONAL, Role, User
from supervision.audit import SYSTEM, Actor, record_event
from supervision.clock import local_date, local_tz
from supervision.complaints.models import Complaint
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.i18n import _l
from supervision.obligations import checklist as rules
from supervision.obligations.models import SelfInspection
from supervision.operators.models import Operator
from supervision.workflow import steps
from supervision.workflow.deadlines import fixed_due, load_calendar, start_clock, stop_clock
from supervision.workflow.models import Deadline
from supervision.workflow.steps import Context, Step, Workflow

CLOCK = "self_inspection_report"
EDITABLE = frozenset({"draft", "returned"})
OFFICER, OPERATOR = "officer", "operator"


def _bounds_utc(start: date, end: date) -> tuple[datetime, datetime]:
    tz = local_tz()
    return datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.max, tzinfo=tz)


def prefill(operator_id: int, authority: str, period: str) -> dict:
    """What the authority's own records say about the half-year, in the authority's scope."""
    start, end = rules.period_bounds(*rules.parse_period(period))
    since, until = _bounds_utc(start, end)
    complaints = select(Complaint.id).where(Complaint.operator_id == operator_id,
                                            Complaint.received_at >= since, Complaint.received_at <= until)
    findings = select(func.count(Finding.id)).where(Finding.operator_id == operator_id, Finding.source == "retention",
                                                    Finding.raised_at >= since, Finding.raised_at <= until)
    if authority != NATIONAL:
        complaints = complaints.where(Complaint.province == authority)
        findings = findings.where(Finding.authority_code == authority)
    received = db.session.scalar(select(func.count()).select_from(complaints.subquery()))
    # The operator's answers: the `operator_reply` clock of each complaint, met or missed.
    answered = dict(db.session.execute(
        select(Deadline.state, func.count()).where(Deadline.subject_type == "complaint",
                                                   Deadline.clock == "operator_reply",
                                                   Deadline.subject_id.in_(complaints),
                                                   Deadline.state.in_(("met", "missed")))
        .group_by(Deadline.state)).all())
    judged = answered.get("met", 0) + answered.get("missed", 0)
    return {"complaints_received": received,
            "answered_in_time_share": round(answered.get("met", 0) / judged, 4) if judged else None,
            "answers_judged": judged, "retention_findings": db.session.scalar(findings),
            "period_from": start.isoformat(), "period_to": end.isoformat()}


def create_report(user: User | None, period: str, now: datetime) -> SelfInspection:
    if user is None or user.role != Role.OPERATOR:
        raise Forbidden(_l("Only operator staff file self-inspection reports."))
    parsed = rules.parse_period(period)
    today = local_date(now)
    if parsed is None:
        raise ValidationFailed.field("period", _l("period must look like 2026H1 or 2026H2"))
    if rules.period_bounds(*parsed)[0] > today:
        raise ValidationFailed.field("period", _l("the half-year %(period)s has not begun", period=period))
    operator = db.session.get(Operator, user.operator_id)
    existing = db.session.scalar(select(SelfInspection).where(SelfInspection.operator_id == operator.id,
                                                              SelfInspection.period == period))
    if existing is not None:
        raise Conflict(_l("A report for %(period)s already exists (id %(id)s): edit it instead.",
                          period=period, id=existing.id), state=existing.status, id=existing.id)
    authority = operator.supervising_authority
    report = SelfInspection(operator_id=operator.id, period=period, authority_code=authority, status="draft",
                            checklist=rules.new_checklist(tuple(current_app.config["SELF_INSPECTION_CHECKLIST"])),
                            metrics={}, prefilled=prefill(operator.id, authority, period), created_by=user.id,
                            created_at=now, updated_at=now)
    db.session.add(report)
    db.session.flush()
    due_day = rules.report_due(*parsed, current_app.config["SELF_INSPECTION_DUE"])
    calendar = load_calendar()
    start_clock(report, CLOCK, today, calendar,
                due=fixed_due(CLOCK, today, due_day, calendar, reason=f"{period} self-inspection report [M 18]"))
    record_event("self_inspection", str(report.id), "create", Actor.of(user), now,
                 after={"operator_id": operator.id, "period": period, "authority": authority, "status": "draft"})
    return report


def update_report(report: SelfInspection, data: dict, user: User, now: datetime) -> SelfInspection:
    """The operator edits its draft (or a returned report): checklist answers, metrics, texts."""
    if user.role != Role.OPERATOR:
        raise Forbidden(_l("Only the operator's staff edit its report."))
    _lock(report)
    if report.status not in EDITABLE:
        raise Conflict(_l("A %(status)s report cannot be edited.", status=report.status), state=report.status)
    before, errors = {}, {}
    if "checklist" in data:
        errors |= _apply_checklist(report, data["checklist"], before)
    if "metrics" in data:
        given = {k: v for k, v in (data["metrics"] or {}).items() if v is not None}
        bad = {k: [m] for k, m in rules.metric_errors(given).items() if k in given}
        errors |= {f"metrics.{k}": v for k, v in bad.items()}
        before["metrics"] = report.metrics
        report.metrics = {**report.metrics, **given}
    for text in ("problems", "corrective_actions"):
        if text in data:
            before[text] = getattr(report, text)
            setattr(report, text, (data[text] or "").strip() or None)
    if errors:
        raise ValidationFailed(_l("The report was not saved: correct the fields named."), errors)
    report.updated_at = now
    record_event("self_inspection", str(report.id), "edit", Actor.of(user), now,
                 before={"fields": sorted(before)}, after={"fields": sorted(before)})
    return report


def _apply_checklist(report: SelfInspection, answers: list[dict], before: dict) -> dict:
    rows = {row["item"]: dict(row) for row in report.checklist}
    errors = {}
    for answer in answers or []:
        item = answer.get("item")
        if item not in rows:
            errors["checklist"] = [_l("unknown checklist item %(item)s", item=repr(item))]
            continue
        if answer.get("result") is not None:
            if answer["result"] not in rules.RESULTS:
                errors[f"checklist.{item}"] = [_l("result must be pass, fail or na")]
                continue
            rows[item]["result"] = answer["result"]
        if answer.get("explanation") is not None:
            rows[item]["explanation"] = answer["explanation"].strip()
    before["checklist"] = report.checklist
    report.checklist = [rows[row["item"]] for row in report.checklist]
    return errors


def discrepancies(report: SelfInspection) -> list[dict]:
    return rules.discrepancies(report.metrics or {}, report.prefilled or {},
                               current_app.config["SELF_INSPECTION_TOLERANCE"])


def report_warnings(report: SelfInspection) -> list[str]:
    return rules.warnings(report.checklist, report.metrics or {}, discrepancies(report),
                          current_app.config["BILLING_ERROR_RATE_STANDARD"])


# --- the workflow -----------------------------------------------------------------------------

def _role_of(actor: Actor, report: SelfInspection | None = None) -> str | None:
    return {Role.OFFICER: OFFICER, Role.OPERATOR: OPERATOR}.get(actor.role)


def _submit(ctx: Context) -> None:
    report = ctx.record
    if errors := rules.blocking_errors(report.checklist, report.metrics or {}):
        raise ValidationFailed(_l("The report cannot be submitted yet: %(count)s problem(s).",
                                  count=len(errors)), errors)
    # The figures the officer compares with are those of the day of submission.
    ctx.set(status="submitted", submitted_at=ctx.now,
            prefilled=prefill(report.operator_id, report.authority_code, report.period))
    stop_clock(report, CLOCK, ctx.now, ctx.today)


def _accept(ctx: Context) -> None:
    ctx.set(status="accepted", decided_at=ctx.now)


def _return(ctx: Context) -> None:
    ctx.set(status="returned", decided_at=ctx.now, return_comment=ctx.params["comment"].strip())


def _lock(report: SelfInspection) -> None:
    db.session.execute(select(SelfInspection.id).where(SelfInspection.id == report.id).with_for_update())
    db.session.refresh(report)


STEPS = {
    "submit": Step(frozenset({OPERATOR}), EDITABLE, _submit),
    "accept": Step(frozenset({OFFICER}), frozenset({"submitted"}), _accept),
    "return": Step(frozenset({OFFICER}), frozenset({"submitted"}), _return, required=("comment",)),
}
WORKFLOW = Workflow(name=_l("self-inspection report"), steps=STEPS, role_of=_role_of,
                    audit_key=lambda r: ("self_inspection", str(r.id)), lock=_lock,
                    note_fields={"return": "comment"})


def perform(report: SelfInspection, action: str, params: dict, actor: Actor, now: datetime) -> SelfInspection:
    return steps.perform(WORKFLOW, report, action, params, actor, now)


def allowed_actions(report: SelfInspection, actor: Actor) -> list[str]:
    return steps.allowed_actions(WORKFLOW, report, _role_of(actor), actor)


def report_view(report: SelfInspection, actor: Actor) -> dict:
    deadline = report.deadline(CLOCK)
    return {"id": report.id, "operator_id": report.operator_id, "operator": report.operator.name,
            "period": report.period, "authority": report.authority_code, "status": report.status,
            "due": deadline.due.isoformat() if deadline else None,
            "deadline_state": deadline.state if deadline else None, "overdue": report.overdue,
            "checklist": [{"item": r["item"], "text": rules.item_text(r), "result": r.get("result"),
                           "explanation": r.get("explanation") or ""} for r in report.checklist],
            "metrics": report.metrics or {}, "prefilled": report.prefilled or {},
            "discrepancies": discrepancies(report), "warnings": [str(w) for w in report_warnings(report)],
            "blocking_errors": rules.blocking_errors(report.checklist, report.metrics or {})
            if report.status in EDITABLE else {},
            "problems": report.problems, "corrective_actions": report.corrective_actions,
            "return_comment": report.return_comment,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "allowed_actions": allowed_actions(report, actor)}


def overdue_as_late_report(deadline: Deadline, report: SelfInspection, now: datetime) -> int:
    """A missed due date: flag the report and list it as an [M 23] warning candidate (a finding)."""
    if report.overdue:
        return 0
    report.overdue = True
    province = None if report.authority_code == NATIONAL else report.authority_code
    from supervision.findings.services import raise_finding

    raise_finding(report.operator, province, "self_inspection", "M 23",
                  f"Self-inspection report {report.period} not submitted by {deadline.due.isoformat()} [M 18].",
                  SYSTEM, now, details={"report_id": report.id, "period": report.period,
                                        "due": deadline.due.isoformat()},
                  key=f"self_inspection:{report.id}:late")
    return 1


def last_period_due(today: date) -> tuple[str, date]:
    """The latest half-year whose report fell due before today."""
    rule = current_app.config["SELF_INSPECTION_DUE"]
    candidates = [(f"{year}H{half}", rules.report_due(year, half, rule))
                  for year in (today.year - 1, today.year) for half in (1, 2)]
    return max((c for c in candidates if c[1] < today), key=lambda c: c[1])


def flag_missing_reports(now: datetime) -> int:
    """Operators active at the end of the half-year that have not even started its report by the
    due date: each is an [M 23] warning candidate (a finding), raised once."""
    today = local_date(now)
    period, due = last_period_due(today)
    period_end = rules.period_bounds(*rules.parse_period(period))[1]
    started = select(SelfInspection.operator_id).where(SelfInspection.period == period)
    stmt = (select(Operator).where(Operator.active_on(today), Operator.active_on(period_end),
                                   Operator.id.not_in(started)).order_by(Operator.id))
    raised = 0
    from supervision.findings.services import raise_finding

    for operator in db.session.scalars(stmt):
        authority = operator.supervising_authority
        _, new = raise_finding(operator, None if authority == NATIONAL else authority, "self_inspection", "M 23",
                               f"No self-inspection report for {period} (due {due.isoformat()}) [M 18].", SYSTEM,
                               now, details={"period": period, "due": due.isoformat(), "missing": True},
                               key=f"self_inspection:missing:{operator.id}:{period}")
        raised += new
    return raised
