"""Operators keep their published complaint hotlines and channels current [M 16].

The history is the operator's audit chain: each change is one `hotlines_changed` event holding
the list before and after, so there is one place of truth and nothing to keep in sync.
"""
from datetime import datetime

from supervision.access.models import Role, User
from supervision.access.scoping import can_manage_operator
from supervision.audit import Actor, AuditEvent, events_of, record_event
from supervision.errors import Forbidden, ValidationFailed
from supervision.i18n import _l
from supervision.operators import rules
from supervision.operators.models import CHANNEL_KINDS, Hotline, Operator

HISTORY_ACTION = "hotlines_changed"
NUMBER_MAX_CHARS, LABEL_MAX_CHARS = 200, 100  # the columns' sizes


def hotline_errors(hotlines: list[dict], at_least_one: bool = True) -> dict[str, list]:
    """Each broken field as `hotlines.<i>.<field>`; an empty list under `hotlines`."""
    errors: dict[str, list] = {}
    if at_least_one and not hotlines:
        errors["hotlines"] = [_l("publish at least one complaint hotline or channel")]
    for i, hotline in enumerate(hotlines):
        if not isinstance(hotline, dict):
            errors[f"hotlines.{i}"] = [_l("each channel is an object with kind, number and label")]
            continue
        kind, number, label = hotline.get("kind") or "phone", hotline.get("number"), hotline.get("label")
        number = number.strip() if isinstance(number, str) else ""
        if label is not None and (not isinstance(label, str) or len(label) > LABEL_MAX_CHARS):
            errors[f"hotlines.{i}.label"] = [_l("the label is text of at most %(n)d characters", n=LABEL_MAX_CHARS)]
        if kind not in CHANNEL_KINDS:
            errors[f"hotlines.{i}.kind"] = [_l("channel kind must be one of %(choices)s",
                                               choices=", ".join(CHANNEL_KINDS))]
        elif not number or len(number) > NUMBER_MAX_CHARS:
            errors[f"hotlines.{i}.number"] = [_l("the channel needs a number or address of at most %(n)d characters", n=NUMBER_MAX_CHARS)]
        elif kind == "phone" and (problem := rules.hotline_problem(number)):
            errors[f"hotlines.{i}.number"] = [problem]
    return errors


def as_dicts(hotlines) -> list[dict]:
    return [{"kind": h.kind, "number": h.number, "label": h.label} for h in hotlines]


def set_hotlines(operator: Operator, hotlines: list[dict], actor: Actor, now: datetime) -> bool:
    """Replace the list (already validated) and record the change; False when nothing changed."""
    before = as_dicts(operator.hotlines)
    after = [{"kind": h.get("kind") or "phone", "number": h["number"].strip(), "label": h.get("label") or None}
             for h in hotlines]
    if after == before:
        return False
    operator.hotlines = [Hotline(**h) for h in after]
    operator.updated_at = now
    record_event("operator", operator.id, HISTORY_ACTION, actor, now,
                 before={"hotlines": before}, after={"hotlines": after})
    return True


def replace_hotlines(operator: Operator, hotlines: list[dict], user: User, now: datetime) -> Operator:
    """The operator's own staff, or an officer who may edit the operator, replace its list.

    The caller loaded `operator` in the user's scope, so another operator's staff got 404.
    """
    own_staff = user.role == Role.OPERATOR and user.operator_id == operator.id
    if not own_staff and not can_manage_operator(user, operator.scope, operator.province):
        raise Forbidden(_l("Only the operator's staff or its supervising authority may change its hotlines."))
    errors = hotline_errors(hotlines)
    if errors:
        raise ValidationFailed(_l("The hotlines have invalid fields; nothing was saved."), errors)
    set_hotlines(operator, hotlines, Actor.of(user), now)
    return operator


def hotline_history(operator: Operator) -> list[AuditEvent]:
    """Every change of the list, newest first."""
    return [e for e in reversed(events_of("operator", operator.id)) if e.action == HISTORY_ACTION]
