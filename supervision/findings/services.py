"""Raising, ordering and closing findings; the finding workflow as a step table."""
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from supervision.access.models import NATIONAL, Role, User
from supervision.access.scoping import load_in_scope, require_province_in_scope
from supervision.audit import SYSTEM, Actor, record_event
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.i18n import _l
from supervision.operators.models import Operator
from supervision.workflow import steps
from supervision.workflow.steps import Context, Step, Workflow

OFFICER, OPERATOR, SYSTEM_ROLE = "officer", "operator", "system"
# An article of the supervision measures [M nn] or of the complaint-handling measures [C nn].
ARTICLE = re.compile(r"^([MC])\s?(\d{1,2})$")


def normalise_article(value: str | None) -> str:
    match = ARTICLE.match((value or "").strip().upper())
    if not match:
        raise ValidationFailed.field("article", _l("article must name an article such as 'M 17' or 'C 10'"))
    return f"{match.group(1)} {int(match.group(2))}"


def _role_of(actor: Actor, finding: Finding | None = None) -> str | None:
    if actor.role == SYSTEM.role:
        return SYSTEM_ROLE
    return {Role.OFFICER: OFFICER, Role.OPERATOR: OPERATOR}.get(actor.role)


def _order(ctx: Context) -> None:
    ctx.set(state="ordered")


def _close(ctx: Context) -> None:
    ctx.set(state="closed", closed_at=ctx.now, open_key=None, closing_note=ctx.params.get("note"))


STEPS = {
    # A rectification order cites it: run by the order's own step (perform(..., internal=True)).
    "order": Step(frozenset({OFFICER}), frozenset({"open"}), _order, internal=True),
    # An officer closes it: rectified, or not a breach after all (the note says which).
    "close": Step(frozenset({OFFICER}), frozenset({"open", "ordered"}), _close, ("note",)),
    # The system saw the fact cured (a new attestation covers the gap).
    "resolve": Step(frozenset({SYSTEM_ROLE}), frozenset({"open"}), _close, ("note",)),
}


def _lock(finding: Finding) -> None:
    db.session.execute(select(Finding.id).where(Finding.id == finding.id).with_for_update())
    db.session.refresh(finding)


FINDING_WORKFLOW = Workflow(name=_l("finding"), steps=STEPS, role_of=_role_of,
                            audit_key=lambda f: ("finding", str(f.id)), lock=_lock, state_attr="state")


def perform(finding: Finding, action: str, params: dict, actor: Actor, now: datetime,
            internal: bool = False) -> Finding:
    return steps.perform(FINDING_WORKFLOW, finding, action, params, actor, now, internal=internal)


def cite_in_order(finding: Finding, order_label: str, actor: Actor, now: datetime) -> Finding:
    """An order cites this finding (the order's issuing step calls this)."""
    return perform(finding, "order", {"note": order_label}, actor, now, internal=True)


def allowed_actions(finding: Finding, actor: Actor) -> list[str]:
    return steps.allowed_actions(FINDING_WORKFLOW, finding, _role_of(actor), actor)


def raise_finding(operator: Operator, province: str | None, source: str, article: str, facts: str,
                  actor: Actor, now: datetime, details: dict | None = None,
                  key: str | None = None) -> tuple[Finding, bool]:
    """Raise a finding once: with a `key`, an open finding of the same key is returned instead.

    Returns (finding, raised now). Two jobs racing on the same key meet at the unique index;
    the loser's savepoint rolls back and it returns the winner's finding.
    """
    if key and (existing := _open_with_key(key)):
        return existing, False
    finding = Finding(operator_id=operator.id, province=province, authority_code=province or NATIONAL,
                      source=source, open_key=key, article=normalise_article(article), facts=facts.strip(),
                      details=details, state="open", raised_by=actor.user_id, raised_at=now, updated_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(finding)
    except IntegrityError:
        if key and (existing := _open_with_key(key)):
            return existing, False
        raise
    record_event("finding", str(finding.id), "raise", actor, now,
                 after={"operator_id": operator.id, "province": province, "source": source,
                        "article": finding.article, "state": "open"}, note=finding.facts)
    return finding, True


def _open_with_key(key: str) -> Finding | None:
    return db.session.scalar(select(Finding).where(Finding.open_key == key))


def record_officer_finding(user: User, data: dict, now: datetime) -> Finding:
    """An officer's own finding (SPEC §10 POST /findings): the operator AND the province in scope."""
    if user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may record a finding."))
    operator = load_in_scope(Operator, user, id=data["operator_id"])
    province = data.get("province") or None
    if province is not None:
        require_province_in_scope(user, province)
    errors: dict[str, list[str]] = {}
    if province is None and user.authority_code != NATIONAL:
        errors["province"] = [_l("name the province where it was found")]
    elif province is not None and not operator.operates_in(province):
        errors["province"] = [_l("%(operator)s is not licensed in province %(province)s",
                                 operator=operator.name, province=province)]
    if not (data.get("facts") or "").strip():
        errors["facts"] = [_l("state the facts found")]
    try:
        article = normalise_article(data.get("article"))
    except ValidationFailed as problem:
        errors |= problem.errors
    if errors:
        raise ValidationFailed(_l("The finding cannot be recorded as it is."), errors)
    finding, _ = raise_finding(operator, province, "officer", article, data["facts"], Actor.of(user), now)
    return finding


def resolve(finding: Finding, note: str, now: datetime) -> Finding:
    """The system closes a finding whose fact it saw cured."""
    return perform(finding, "resolve", {"note": note}, SYSTEM, now)
