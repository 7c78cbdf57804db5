"""Retention attestations [M 17]: filing one, the holds of a day, the operator's coverage."""
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from supervision.access.models import NATIONAL, Authority, Role, User
from supervision.access.scoping import load_in_scope, require_province_in_scope, scoped
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.complaints.models import Complaint, PreservationHold
from supervision.errors import Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.obligations.models import RetentionAttestation
from supervision.obligations.retention_rules import Coverage, judge_coverage
from supervision.operators.models import Operator

EARLIEST_PLAUSIBLE_DAY = date(2000, 1, 1)


def retention_months() -> int:
    return current_app.config["BILLING_RETENTION_MONTHS"]


def held_months_on(operator_id: int, province: str, day: date) -> list[str]:
    """Months under a preservation hold active on `day` [M 17].

    A hold runs from the complaint's receipt until the complaint closes (its release); on
    the day of the release it still counts.
    """
    stmt = (select(PreservationHold.month, Complaint.received_at, PreservationHold.released_at)
            .join(Complaint, Complaint.id == PreservationHold.complaint_id)
            .where(PreservationHold.operator_id == operator_id, PreservationHold.province == province))
    return sorted({month for month, received, released in db.session.execute(stmt)
                   if local_date(received) <= day and (released is None or local_date(released) >= day)})


def judge(operator_id: int, province: str, earliest: date, latest: date, as_of: date,
          on: date | None = None) -> Coverage:
    """An attestation judged on `on` (default its as-of date) with the holds active that day."""
    day = on or as_of
    return judge_coverage(day, retention_months(), held_months_on(operator_id, province, day),
                          earliest, latest, attested_to=as_of)


def gaps_json(coverage: Coverage) -> list[dict]:
    return [{"from": start.isoformat(), "to": end.isoformat()} for start, end in coverage.gaps]


def licensed_provinces(operator: Operator) -> list[str]:
    if operator.scope == "provincial":
        return [operator.province]
    return list(db.session.scalars(select(Authority.code).where(Authority.code != NATIONAL).order_by(Authority.code)))


def attestation_errors(operator: Operator, data: dict, today: date) -> dict[str, list]:
    """Field errors of one attestation (the API, the form and each CSV line share them)."""
    errors: dict[str, list] = {}
    if not (data.get("system") or "").strip():
        errors["system"] = [_l("name the billing system")]
    province = data.get("province")
    if province not in licensed_provinces(operator):
        errors["province"] = [_l("%(operator)s is not licensed in province %(province)s",
                                 operator=operator.name, province=province)]
    earliest, latest, as_of = data.get("earliest_day"), data.get("latest_day"), data.get("as_of")
    for name, value in (("earliest_day", earliest), ("latest_day", latest), ("as_of", as_of)):
        if value is None:
            errors[name] = [_l("a date YYYY-MM-DD is required")]
        elif value < EARLIEST_PLAUSIBLE_DAY:
            errors[name] = [_l("a date after %(day)s", day=EARLIEST_PLAUSIBLE_DAY.isoformat())]
    if as_of and as_of > today:
        errors.setdefault("as_of", []).append(_l("the as-of date %(day)s is in the future", day=as_of.isoformat()))
    if earliest and latest and earliest > latest:
        errors.setdefault("earliest_day", []).append(_l("the earliest day held is after the latest day held"))
    if latest and as_of and latest > as_of:
        errors.setdefault("latest_day", []).append(_l("the latest day held cannot be after the as-of date"))
    return errors


def operator_for_staff(user: User | None, operator_id: int, province: str | None) -> Operator:
    """The operator whose obligations `user` files: its own staff only (another operator's → 404).

    Anyone else naming a province outside their jurisdiction is told so first (403 on the field);
    the operator's own staff naming a province outside its licence get the SPEC's 422.
    """
    if user is None or user.role != Role.OPERATOR:
        require_province_in_scope(user, province)
        raise Forbidden(_l("Only the operator's own staff may file its retention attestations."))
    return load_in_scope(Operator, user, id=operator_id)


def file_attestation(operator: Operator, data: dict, actor: Actor, now: datetime) -> RetentionAttestation:
    errors = attestation_errors(operator, data, local_date(now))
    if errors:
        raise ValidationFailed(_l("The attestation cannot be filed as it is."), errors)
    return _record(operator, data, actor, now)


def _record(operator: Operator, data: dict, actor: Actor, now: datetime) -> RetentionAttestation:
    coverage = judge(operator.id, data["province"], data["earliest_day"], data["latest_day"], data["as_of"])
    attestation = RetentionAttestation(
        operator_id=operator.id, system=data["system"].strip(), province=data["province"],
        earliest_day=data["earliest_day"], latest_day=data["latest_day"], as_of=data["as_of"],
        required_from=coverage.required_from, required_to=coverage.required_to,
        held_months=list(coverage.held_months), gaps=gaps_json(coverage), compliant=coverage.compliant,
        filed_by=actor.user_id, filed_at=now)
    db.session.add(attestation)
    db.session.flush()
    record_event("retention_attestation", str(attestation.id), "file", actor, now,
                 after={"operator_id": operator.id, "system": attestation.system, "province": attestation.province,
                        "earliest_day": attestation.earliest_day.isoformat(),
                        "latest_day": attestation.latest_day.isoformat(), "as_of": attestation.as_of.isoformat(),
                        "compliant": attestation.compliant})
    return attestation


def line_errors(operator: Operator, rows: list[tuple[int, dict]], today: date) -> dict[str, list]:
    """The errors of several attestations, keyed "line N: column" (a CSV file's lines)."""
    errors = {}
    for line, data in rows:
        for column, messages in attestation_errors(operator, data, today).items():
            errors[f"line {line}: {column}"] = messages
    return errors


def file_many(operator: Operator, rows: list[tuple[int, dict]], actor: Actor, now: datetime) -> list:
    """Several attestations at once, all or nothing."""
    if errors := line_errors(operator, rows, local_date(now)):
        raise ValidationFailed(_l("Nothing was filed: correct the lines below and upload the file again."), errors)
    return [_record(operator, data, actor, now) for _, data in rows]


def latest_attestations(operator_id: int) -> list[RetentionAttestation]:
    """The newest attestation of each billing system × province (by as-of date, then filing)."""
    # Done in Python: an operator has a few systems × provinces and one filing a month each.
    rows = db.session.scalars(select(RetentionAttestation).where(RetentionAttestation.operator_id == operator_id)
                              .order_by(RetentionAttestation.as_of, RetentionAttestation.id))
    latest: dict[tuple[str, str], RetentionAttestation] = {}
    for row in rows:
        latest[(row.system, row.province)] = row
    return sorted(latest.values(), key=lambda a: (a.system, a.province))


def latest_visible(operator: Operator, user: User) -> list[RetentionAttestation]:
    """The latest attestations the user may see: a province's officers only their province's."""
    visible = set(db.session.scalars(scoped(select(RetentionAttestation).where(
        RetentionAttestation.operator_id == operator.id), user).with_only_columns(RetentionAttestation.id)))
    return [a for a in latest_attestations(operator.id) if a.id in visible]


def attestation_view(attestation: RetentionAttestation) -> dict:
    return {"id": attestation.id, "system": attestation.system, "province": attestation.province,
            "earliest_day": attestation.earliest_day.isoformat(), "latest_day": attestation.latest_day.isoformat(),
            "as_of": attestation.as_of.isoformat(), "required_from": attestation.required_from.isoformat(),
            "required_to": attestation.required_to.isoformat(), "held_months": attestation.held_months,
            "gaps": attestation.gaps, "compliant": attestation.compliant}
