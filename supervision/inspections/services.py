"""Planning an inspection, its checklist, evidence and sealed records (SPEC §6, [M 7]).

The status changes are steps of `transitions.INSPECTION_WORKFLOW`; what happens inside an
inspection in progress (results, evidence, seals) is recorded here, each on the
inspection's audit chain.
"""
from datetime import date, datetime, timedelta

from sqlalchemy import select

from supervision.access.models import NATIONAL, Role, User
from supervision.access.scoping import load_in_scope
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Conflict, Forbidden, NotFound, ValidationFailed
from supervision.extensions import db
from supervision.findings.services import perform as perform_on_finding
from supervision.findings.services import raise_finding
from supervision.i18n import _l
from supervision.inspections.checklist import template_for
from supervision.inspections.models import (
    ITEM_RESULTS,
    TYPES,
    ChecklistItem,
    Inspection,
    InspectionEvidence,
    InspectionOfficer,
    SealedRecord,
    lock_inspection,
)
from supervision.operators.models import Operator
from supervision.uploads import store_upload

PLANNING_HORIZON = timedelta(days=366)  # [default] how far ahead or back a planned date may be
MAX_EVIDENCE_PER_ITEM = 20


def require_officer(user: User) -> None:
    if user is None or user.role != Role.OFFICER:
        raise Forbidden(_l("Only an officer may do this."))


def plan_inspection(user: User, data: dict, now: datetime, campaign_id: int | None = None) -> Inspection:
    """SPEC §10 POST /inspections: the operator in scope, the team from the officer's own authority."""
    require_officer(user)
    operator = load_in_scope(Operator, user, id=data["operator_id"])
    errors: dict[str, list] = {}
    if data["type"] not in TYPES:
        errors["type"] = [_l("type must be one of %(choices)s", choices=", ".join(TYPES))]
    today = local_date(now)
    planned_on: date = data["planned_on"]
    if not today - PLANNING_HORIZON <= planned_on <= today + PLANNING_HORIZON:
        errors["planned_on"] = [_l("planned_on must be within a year of today")]
    province = None if user.authority_code == NATIONAL else user.authority_code
    if province and not operator.operates_in(province):
        errors["operator_id"] = [_l("%(operator)s is not licensed in province %(province)s",
                                    operator=operator.name, province=province)]
    team, team_errors = _team(user.authority_code, data.get("officers") or [])
    errors |= team_errors
    if errors:
        raise ValidationFailed(_l("The inspection cannot be planned as it is."), errors)
    inspection = Inspection(operator_id=operator.id, authority_code=user.authority_code, province=province,
                            type=data["type"], planned_on=planned_on, status="planned", campaign_id=campaign_id,
                            created_by=user.id, created_at=now, updated_at=now)
    inspection.team = [InspectionOfficer(user_id=member.id) for member in team]
    inspection.items = [ChecklistItem(code=code, text=text, article=article)
                        for code, text, article in template_for(data["type"])]
    db.session.add(inspection)
    db.session.flush()
    record_event("inspection", str(inspection.id), "plan", Actor.of(user), now,
                 after={"operator_id": operator.id, "type": inspection.type, "planned_on": planned_on.isoformat(),
                        "officers": [m.username for m in team], "status": "planned"})
    return inspection


def _team(authority_code: str, usernames: list[str]) -> tuple[list[User], dict]:
    """Officers of the inspecting authority; anyone else cannot join (and is not revealed)."""
    wanted = list(dict.fromkeys(name.strip() for name in usernames if name and name.strip()))
    found = {u.username: u for u in db.session.scalars(
        select(User).where(User.username.in_(wanted), User.role == Role.OFFICER,
                           User.authority_code == authority_code, User.is_active_user.is_(True)))}
    unknown = [name for name in wanted if name not in found]
    if unknown:
        return [], {"officers": [_l("not an officer of your authority: %(names)s (only officers of the inspecting "
                                    "authority may join an inspection [M 7])", names=", ".join(unknown))]}
    return [found[name] for name in wanted], {}


def set_team(inspection: Inspection, user: User, usernames: list[str], now: datetime) -> Inspection:
    """Change the team before the inspection starts."""
    lock_inspection(inspection.id)
    db.session.refresh(inspection)
    if inspection.status != "planned":
        raise Conflict(_l("The team can change only before the inspection starts."))
    team, errors = _team(inspection.authority_code, usernames)
    if errors:
        raise ValidationFailed(_l("The team cannot be changed as asked."), errors)
    before = [m.username for m in inspection.officers]
    inspection.team = [InspectionOfficer(user_id=member.id) for member in team]
    inspection.updated_at = now
    record_event("inspection", str(inspection.id), "team", Actor.of(user), now,
                 before={"officers": before}, after={"officers": [m.username for m in team]})
    return inspection


def _in_progress(inspection: Inspection) -> None:
    lock_inspection(inspection.id)
    db.session.refresh(inspection)
    if inspection.status != "in_progress":
        raise Conflict(_l("This can be recorded only while the inspection is in progress (it is %(state)s).",
                          state=inspection.status), state=inspection.status)


def item_of(inspection: Inspection, item_id: int) -> ChecklistItem:
    item = next((i for i in inspection.items if i.id == item_id), None)
    if item is None:
        raise NotFound("No such checklist item on this inspection.")
    return item


def record_item_result(inspection: Inspection, item_id: int, result: str, note: str | None,
                       user: User, now: datetime) -> ChecklistItem:
    """Pass / fail / NA with a note; a failure raises a finding citing the item's article."""
    require_officer(user)
    _in_progress(inspection)
    item = item_of(inspection, item_id)
    if result not in ITEM_RESULTS:
        raise ValidationFailed.field("result", _l("result must be one of %(choices)s", choices=", ".join(ITEM_RESULTS)))
    note = (note or "").strip() or None
    if result == "fail" and not note:
        raise ValidationFailed.field("note", _l("describe what failed: a failed item becomes a finding"))
    before = {"item": item.code, "result": item.result, "note": item.note}
    item.result, item.note = result, note
    actor = Actor.of(user)
    if result == "fail":
        finding, _ = raise_finding(inspection.operator, inspection.province, "inspection", item.article,
                                   f"{item.text}: {note}", actor, now,
                                   details={"inspection_id": inspection.id, "item": item.code},
                                   key=f"inspection:{inspection.id}:{item.code}")
        item.finding_id = finding.id
    elif item.finding_id is not None:
        # Recorded as failed by mistake: the finding it raised is withdrawn, with the reason.
        finding = item.finding
        if finding is not None and finding.state == "open":
            perform_on_finding(finding, "close", {"note": f"inspection {inspection.id} item {item.code} "
                                                          f"re-recorded as {result}"}, actor, now)
        item.finding_id = None
    inspection.updated_at = now
    record_event("inspection", str(inspection.id), "record_item", actor, now, before=before,
                 after={"item": item.code, "result": result, "note": note, "finding_id": item.finding_id})
    return item


def add_evidence(inspection: Inspection, item_id: int, filename: str, content: bytes,
                 user: User, now: datetime) -> InspectionEvidence:
    require_officer(user)
    item = item_of(inspection, item_id)
    _in_progress(inspection)
    if len(item.evidence) >= MAX_EVIDENCE_PER_ITEM:
        raise ValidationFailed.field("file", _l("at most %(count)d files per item", count=MAX_EVIDENCE_PER_ITEM))
    stored = store_upload(filename, content)
    evidence = InspectionEvidence(item_id=item.id, filename=stored.filename, content_type=stored.content_type,
                                  size=stored.size, sha256=stored.sha256, storage_key=stored.storage_key,
                                  uploaded_by=user.id, uploaded_at=now)
    item.evidence.append(evidence)
    db.session.flush()
    record_event("inspection", str(inspection.id), "attach", Actor.of(user), now,
                 after={"item": item.code, "evidence": evidence.id, "sha256": evidence.sha256, "size": evidence.size})
    return evidence


def seal_records(inspection: Inspection, items: str, user: User, now: datetime) -> SealedRecord:
    """[M 7 (二)] 暂时封存有关原始记录: what was sealed, when, and the officers present."""
    require_officer(user)
    _in_progress(inspection)
    if not (items or "").strip():
        raise ValidationFailed.field("items", _l("list the records sealed"))
    present = [u.username for u in inspection.officers]
    seal = SealedRecord(inspection_id=inspection.id, items=items.strip(), sealed_at=now, officers=present)
    inspection.seals.append(seal)
    db.session.flush()
    record_event("inspection", str(inspection.id), "seal", Actor.of(user), now,
                 after={"seal": seal.id, "officers": present}, note=seal.items)
    return seal


def unseal_records(inspection: Inspection, seal_id: int, note: str, user: User, now: datetime) -> SealedRecord:
    require_officer(user)
    lock_inspection(inspection.id)
    db.session.refresh(inspection)
    seal = next((s for s in inspection.seals if s.id == seal_id), None)
    if seal is None:
        raise NotFound("No such sealed record on this inspection.")
    if seal.unsealed_at is not None:
        raise Conflict(_l("These records were already unsealed."))
    if not (note or "").strip():
        raise ValidationFailed.field("note", _l("say why the records are released"))
    seal.unsealed_at, seal.unsealed_by, seal.unseal_note = now, user.id, note.strip()
    record_event("inspection", str(inspection.id), "unseal", Actor.of(user), now,
                 before={"seal": seal.id, "sealed": True}, after={"seal": seal.id, "sealed": False}, note=seal.unseal_note)
    return seal
