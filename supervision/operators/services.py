"""Operator registry: register, edit, subscriber counts, daily status refresh (SPEC §2).

Services validate everything first and raise one ValidationFailed with every field's
problem, so nothing is half-saved; they flush, and the request (or job) commits.
"""
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from supervision.access.models import NATIONAL, Authority, Role, User
from supervision.access.scoping import can_manage_operator, require_province_in_scope
from supervision.audit import SYSTEM, Actor, record_event
from supervision.date_ranges import accepted_dates
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.operators import rules
from supervision.operators.hotlines import set_hotlines
from supervision.operators.models import (
    CHANNEL_KINDS,
    LICENCE_TYPES,
    SCOPES,
    Hotline,
    Operator,
    SubscriberCount,
)

EDITABLE = ("name", "name_en", "uscc", "licence_no", "licence_type", "scope", "province",
            "licence_valid_from", "licence_valid_until", "sanction")


def _add(errors: dict, field: str, message: str | None) -> None:
    if message:
        errors.setdefault(field, []).append(message)


def _is_province(code: str | None) -> bool:
    return bool(code) and code != NATIONAL and db.session.get(Authority, code) is not None


def _unique_problem(column, value, own_id: int | None, label: str) -> str | None:
    clash = db.session.scalar(select(Operator.id).where(column == value))
    return _l("%(label)s %(value)s is already registered", label=label, value=value) \
        if clash and clash != own_id else None


def validate_operator(values: dict, today: date, own_id: int | None = None) -> None:
    """Check a complete set of operator fields; raise with every problem found."""
    errors: dict[str, list[str]] = {}
    dates = accepted_dates(today, current_app.config)
    for field in ("licence_valid_from", "licence_valid_until"):
        _add(errors, field, dates.problem(values[field]))
    _add(errors, "name", None if (values.get("name") or "").strip() else _l("name is required"))
    _add(errors, "uscc", rules.uscc_problem(values["uscc"]) or
         _unique_problem(Operator.uscc, values["uscc"], own_id, _l("unified social credit code")))
    _add(errors, "licence_no", None if values["licence_no"].strip() else _l("licence number is required"))
    _add(errors, "licence_no", _unique_problem(Operator.licence_no, values["licence_no"], own_id, _l("licence")))
    if values["licence_type"] not in LICENCE_TYPES:
        _add(errors, "licence_type", _l("must be one of %(choices)s", choices=", ".join(LICENCE_TYPES)))
    _add(errors, "licence_valid_until",
         rules.licence_dates_problem(values["licence_valid_from"], values["licence_valid_until"]))
    _add(errors, "province", _scope_problem(values["scope"], values.get("province")))
    if values["scope"] not in SCOPES:
        _add(errors, "scope", _l("must be one of %(choices)s", choices=", ".join(SCOPES)))
    if values.get("sanction") not in (None, *rules.SANCTIONS):
        _add(errors, "sanction", _l("must be empty or one of %(choices)s", choices=", ".join(rules.SANCTIONS)))
    for i, hotline in enumerate(values.get("hotlines") or []):
        _add(errors, f"hotlines.{i}", _hotline_problem(hotline))
    if errors:
        raise ValidationFailed(_l("The operator has invalid fields; nothing was saved."), errors)


def _scope_problem(scope: str, province: str | None) -> str | None:
    if scope == "provincial" and not province:
        return _l("a provincial operator needs its province")
    if scope == "provincial" and not _is_province(province):
        return _l("unknown province code %(code)s (GB/T 2260, e.g. 32 for Jiangsu)", code=repr(province))
    if scope == "national" and province:
        return _l("a national operator has no province (leave it empty)")
    return None


def _hotline_problem(hotline: dict) -> str | None:
    if hotline.get("kind", "phone") not in CHANNEL_KINDS:
        return _l("channel kind must be one of %(choices)s", choices=", ".join(CHANNEL_KINDS))
    if hotline.get("kind", "phone") == "phone":
        return rules.hotline_problem(hotline.get("number", ""))
    return None if hotline.get("number") else _l("the channel needs an address")


def _check_may_manage(actor: User, scope: str, province: str | None) -> None:
    if can_manage_operator(actor, scope, province):
        return
    if actor.role == Role.OFFICER and scope == "provincial":
        if not province:
            return  # validate_operator names the missing province (422)
        require_province_in_scope(actor, province)  # another province: 403 naming the field
    raise Forbidden(_l("Only the authority supervising this operator may register or edit it "
                       "(national operators: MIIT; provincial ones: their province)."))


def _blank_province_as_none(values: dict) -> dict:
    # A form or client may send "" for "no province"; stored as such it breaks the authorities FK.
    return values | {"province": values.get("province") or None}


def register_operator(values: dict, actor: User, now: datetime, today: date) -> Operator:
    values = _blank_province_as_none(values)
    _check_may_manage(actor, values["scope"], values.get("province"))
    validate_operator(values, today)
    operator = Operator(**{k: values.get(k) for k in EDITABLE}, created_at=now, updated_at=now)
    operator.hotlines = [Hotline(kind=h.get("kind", "phone"), number=h["number"], label=h.get("label"))
                         for h in values.get("hotlines") or []]
    operator.status = rules.derive_operator_status(
        operator.licence_valid_from, operator.licence_valid_until, today, operator.sanction)
    db.session.add(operator)
    db.session.flush()
    record_event("operator", operator.id, "register", Actor.of(actor), now,
                 after={"status": operator.status, "licence_no": operator.licence_no})
    return operator


def update_operator(operator: Operator, changes: dict, actor: User, now: datetime, today: date) -> Operator:
    _check_may_manage(actor, operator.scope, operator.province)
    values = _blank_province_as_none({k: getattr(operator, k) for k in EDITABLE} | changes)
    if "hotlines" not in values:
        values["hotlines"] = [{"kind": h.kind, "number": h.number, "label": h.label} for h in operator.hotlines]
    _check_may_manage(actor, values["scope"], values.get("province"))
    validate_operator(values, today, own_id=operator.id)
    before = {k: _jsonable(getattr(operator, k)) for k in changes if k != "hotlines"}
    for key in EDITABLE:
        setattr(operator, key, values.get(key))
    if "hotlines" in changes:
        set_hotlines(operator, changes["hotlines"], Actor.of(actor), now)  # its own history event
    operator.updated_at = now
    _apply_status(operator, today)
    after = {k: _jsonable(getattr(operator, k)) for k in changes if k != "hotlines"}
    record_event("operator", operator.id, "edit", Actor.of(actor), now, before=before, after=after)
    return operator


def _jsonable(value):
    return value.isoformat() if isinstance(value, date) else value


def _apply_status(operator: Operator, today: date) -> str | None:
    """Set the derived status; return the old one when it changed."""
    new = rules.derive_operator_status(operator.licence_valid_from, operator.licence_valid_until,
                                       today, operator.sanction)
    old, operator.status = operator.status, new
    return old if old != new else None


def current_status(operator: Operator, today: date) -> str:
    """The status as of today, whether or not the daily job has run yet."""
    return rules.derive_operator_status(operator.licence_valid_from, operator.licence_valid_until,
                                        today, operator.sanction)


def refresh_operator_statuses(now: datetime, today: date) -> int:
    """Daily job: store the derived status of every operator; audit each change."""
    changed = 0
    for operator in db.session.scalars(select(Operator)):
        old = _apply_status(operator, today)
        if old is not None:
            record_event("operator", operator.id, "status_derived", SYSTEM, now,
                         before={"status": old}, after={"status": operator.status})
            changed += 1
    return changed


def set_subscriber_count(operator: Operator, province: str, quarter: str, subscribers: int,
                         actor: User, now: datetime) -> SubscriberCount:
    """The counts feed per-million rates and spot-check weights, so only the authority of that
    province (or the national level, or the operator itself) may write them."""
    require_province_in_scope(actor, province)
    errors: dict[str, list[str]] = {}
    if not _is_province(province) or not operator.operates_in(province):
        _add(errors, "province", f"the operator does not operate in province {province!r}")
    try:
        rules.parse_quarter(quarter)
    except ValueError as exc:
        _add(errors, "quarter", str(exc))
    if subscribers < 0:
        _add(errors, "subscribers", _l("must be zero or more"))
    if errors:
        raise ValidationFailed(_l("Invalid subscriber count; nothing was saved."), errors)
    row = db.session.scalar(select(SubscriberCount).filter_by(
        operator_id=operator.id, province=province, quarter=quarter))
    before = {"subscribers": row.subscribers} if row else None
    if row is None:
        row = SubscriberCount(operator_id=operator.id, province=province, quarter=quarter)
        db.session.add(row)
    row.subscribers = subscribers
    db.session.flush()
    record_event("operator", operator.id, "subscribers", Actor.of(actor), now, before=before,
                 after={"province": province, "quarter": quarter, "subscribers": subscribers})
    return row
