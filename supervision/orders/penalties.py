"""Administrative penalty decisions [M 21–23] (SPEC §7): the rules are rows of
`penalty_rules` (measures, the fine's range, the legal source); a decision cites its rule,
the facts and the finding or order it follows; a publisher other than its author approves it
(four-eyes) and approved decisions can be published."""
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.access.scoping import load_in_scope
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Forbidden, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.i18n import _l
from supervision.operators.models import Operator
from supervision.orders.models import PenaltyDecision, PenaltyRule, RectificationOrder, lock_penalty
from supervision.orders.numbering import next_number
from supervision.workflow import steps
from supervision.workflow.steps import Context, Step, Workflow

OFFICER, PUBLISHER = "officer", "publisher"


def rules() -> list[PenaltyRule]:
    return list(db.session.scalars(select(PenaltyRule).order_by(PenaltyRule.code)))


def range_text(rule: PenaltyRule) -> str:
    low = f"¥{rule.fine_min_yuan:,}" if rule.fine_min_yuan else "¥1"
    return f"{low}–¥{rule.fine_max_yuan:,}"


def _checked_measure(rule: PenaltyRule, measure: str, amount) -> dict:
    if measure not in rule.measures:
        return {"measure": [_l("[%(article)s] allows: %(measures)s", article=rule.article,
                               measures=", ".join(rule.measures))]}
    if measure == "warning":
        return {"amount_yuan": [_l("a warning carries no amount")]} if amount else {}
    low, high = rule.fine_min_yuan or 1, rule.fine_max_yuan
    if amount is None or not low <= amount <= high:
        return {"amount_yuan": [_l("[%(article)s] a fine is %(range)s (%(source)s)", article=rule.article,
                                   range=range_text(rule), source=rule.legal_source)]}
    return {}


def _cited(user: User, operator: Operator, rule: PenaltyRule, data: dict) -> tuple[dict, dict]:
    """The finding or order the decision follows: of this operator, in the officer's scope."""
    finding_id, order_id = data.get("finding_id"), data.get("order_id")
    if bool(finding_id) == bool(order_id):
        return {}, {"finding_id": [_l("cite either a finding or an order")]}
    if rule.fine_cites_order and data.get("measure") == "fine" and not order_id:
        return {}, {"order_id": [_l("[%(article)s] a fine follows a rectification order that was not complied "
                                    "with: cite the order", article=rule.article)]}
    model, field, record_id = (Finding, "finding_id", finding_id) if finding_id else \
        (RectificationOrder, "order_id", order_id)
    try:
        record = load_in_scope(model, user, id=record_id)
    except NotFound:
        record = None
    if record is None or record.operator_id != operator.id:
        return {}, {field: [_l("%(field)s %(id)s is not a record of this operator in your jurisdiction",
                               field=field, id=record_id)]}
    return {field: record.id}, {}


def prepare_penalty(user: User, data: dict, now: datetime) -> PenaltyDecision:
    """SPEC §10 POST /penalties: a draft decision, refused (422) outside the rule's measures or range."""
    if user is None or user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may prepare a penalty decision."))
    operator = load_in_scope(Operator, user, id=data["operator_id"])
    rule = db.session.get(PenaltyRule, data["rule"]) if data.get("rule") else None
    if rule is None:
        raise ValidationFailed.field("rule", _l("rule must be one of %(rules)s",
                                                rules=", ".join(r.code for r in rules())))
    amount = data.get("amount_yuan")
    errors = _checked_measure(rule, data.get("measure"), amount)
    cited, cite_errors = _cited(user, operator, rule, data)
    errors |= cite_errors
    if not (data.get("facts") or "").strip():
        errors["facts"] = [_l("state the facts of the breach")]
    if errors:
        raise ValidationFailed(_l("The penalty decision cannot be prepared as it is."), errors)
    decision = PenaltyDecision(authority_code=user.authority_code, operator_id=operator.id, rule=rule.code,
                               measure=data["measure"], amount_yuan=amount if data["measure"] == "fine" else None,
                               facts=data["facts"].strip(), status="draft", prepared_by=user.id, created_at=now,
                               updated_at=now, **cited)
    db.session.add(decision)
    db.session.flush()
    record_event("penalty", str(decision.id), "prepare", Actor.of(user), now,
                 after={"rule": rule.code, "measure": decision.measure, "amount_yuan": decision.amount_yuan,
                        "operator_id": operator.id, "status": "draft"} | cited, note=decision.facts)
    return decision


def _approve(ctx: Context) -> None:
    number = next_number(ctx.record.authority_code, "penalty", local_date(ctx.now).year)
    ctx.set(status="approved", number=number, approved_by=ctx.actor.user_id, approved_at=ctx.now)


def _publish(ctx: Context) -> None:
    ctx.set(status="published", published_at=ctx.now)


def _not_the_author(actor: Actor, decision: PenaltyDecision) -> object:
    return actor.user_id == decision.prepared_by and _l(
        "Four-eyes rule: a decision is approved by a publisher other than the officer who prepared it.")


STEPS = {
    "approve": Step(frozenset({PUBLISHER}), frozenset({"draft"}), _approve, refused_to=_not_the_author),
    "publish": Step(frozenset({OFFICER, PUBLISHER}), frozenset({"approved"}), _publish),
}
ACTIONS = tuple(STEPS)


def role_of(actor: Actor, decision: PenaltyDecision | None = None) -> str | None:
    if actor.role != Role.OFFICER:
        return None
    user = db.session.get(User, actor.user_id)
    return PUBLISHER if user is not None and user.is_publisher else OFFICER


def _lock(decision: PenaltyDecision) -> None:
    lock_penalty(decision.id)
    db.session.refresh(decision)


PENALTY_WORKFLOW = Workflow(name=_l("penalty decision"), steps=STEPS, role_of=role_of,
                            audit_key=lambda d: ("penalty", str(d.id)), lock=_lock)


def perform(decision: PenaltyDecision, action: str, params: dict, actor: Actor, now: datetime):
    return steps.perform(PENALTY_WORKFLOW, decision, action, params, actor, now)


def allowed_actions(decision: PenaltyDecision, actor: Actor) -> list[str]:
    return steps.allowed_actions(PENALTY_WORKFLOW, decision, role_of(actor), actor)
