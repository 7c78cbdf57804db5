"""Campaigns — 双随机、一公开 (random operators, random inspectors, results published).

1. `freeze_campaign`: the sampling frame (operators in the authority's jurisdiction weighted by
   their risk score with a floor, and the authority's credentialed officers) is frozen; its
   hash and the hash of a fresh random seed are published (commitment).
2. `declare_conflict`: an officer's conflict with an operator is recorded before the draw.
3. `draw_campaign`: the seed is revealed; operators are drawn by weight, then for each drawn
   operator its inspectors, equally weighted, from the frame minus declared conflicts
   (recusals recorded); each drawn operator gets a planned inspection with that team.
4. `replay(campaign)`: the same draw from the published inputs alone.
"""
import secrets
from datetime import datetime

from sqlalchemy import select

from supervision.access.models import Role, User
from supervision.access.scoping import load_in_scope
from supervision.audit import Actor, record_event
from supervision.clock import local_date
from supervision.errors import Conflict, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.inspections import draw
from supervision.inspections.models import TYPES, Campaign
from supervision.inspections.risk import checked_quarter, current_methodology, risk_scores
from supervision.inspections.services import plan_inspection, require_officer
from supervision.operators.models import Operator

MAX_TO_DRAW = 100


def _credentialed_officers(authority_code: str) -> list[str]:
    stmt = (select(User.username).where(User.role == Role.OFFICER, User.authority_code == authority_code,
                                        User.is_active_user.is_(True), User.credential_no.is_not(None),
                                        User.credential_no != "").order_by(User.username))
    return list(db.session.scalars(stmt))


def _checked(data: dict) -> dict:
    errors = {}
    try:
        checked_quarter(data.get("period") or "")
    except ValidationFailed:
        errors["period"] = [_l("period must be a quarter such as 2026Q4")]
    if data.get("type") not in TYPES:
        errors["type"] = [_l("type must be one of %(choices)s", choices=", ".join(TYPES))]
    if not 1 <= (data.get("operators_to_draw") or 0) <= MAX_TO_DRAW:
        errors["operators_to_draw"] = [_l("draw 1 to %(max)d operators", max=MAX_TO_DRAW)]
    if not 2 <= (data.get("inspectors_per_inspection") or 0) <= 10:
        errors["inspectors_per_inspection"] = [_l("[M 7] at least 2 (and at most 10) inspectors per inspection")]
    if errors:
        raise ValidationFailed(_l("The campaign cannot be set up as it is."), errors)
    return data


def freeze_campaign(user: User, data: dict, now: datetime) -> Campaign:
    require_officer(user)
    _checked(data)
    methodology = current_methodology()
    operators = [{"id": s.operator_id, "name": s.operator, "score": s.score,
                  "weight": max(s.score, methodology.floor)} for s in risk_scores(user, data["period"])]
    inspectors = _credentialed_officers(user.authority_code)
    errors = {}
    if len(operators) < data["operators_to_draw"]:
        errors["operators_to_draw"] = [_l("only %(count)d operators are in your jurisdiction", count=len(operators))]
    if len(inspectors) < data["inspectors_per_inspection"]:
        errors["inspectors_per_inspection"] = [_l("only %(count)d officers of your authority hold a credential",
                                                  count=len(inspectors))]
    if errors:
        raise ValidationFailed(_l("The campaign cannot be set up as it is."), errors)
    frame = {"authority": user.authority_code, "period": data["period"], "methodology": methodology.version,
             "floor": methodology.floor, "operators": sorted(operators, key=lambda o: o["id"]),
             "inspectors": inspectors, "operators_to_draw": data["operators_to_draw"],
             "inspectors_per_inspection": data["inspectors_per_inspection"]}
    seed = secrets.token_hex(32)
    campaign = Campaign(authority_code=user.authority_code, period=data["period"], inspection_type=data["type"],
                        operators_to_draw=data["operators_to_draw"],
                        inspectors_per_inspection=data["inspectors_per_inspection"], status="frozen", frame=frame,
                        frame_hash=draw.frame_hash(frame), seed_hash=draw.sha256_hex(seed), seed=seed, conflicts=[],
                        created_by=user.id, frozen_at=now)
    db.session.add(campaign)
    db.session.flush()
    record_event("campaign", str(campaign.id), "freeze", Actor.of(user), now,
                 after={"frame_hash": campaign.frame_hash, "seed_hash": campaign.seed_hash, "status": "frozen"})
    return campaign


def _lock(campaign: Campaign) -> None:
    db.session.execute(select(Campaign.id).where(Campaign.id == campaign.id).with_for_update())
    db.session.refresh(campaign)


def declare_conflict(campaign: Campaign, user: User, data: dict, now: datetime) -> Campaign:
    """An officer's declared conflict with an operator (before the draw): never drawn for it."""
    require_officer(user)
    _lock(campaign)
    if campaign.status != "frozen":
        raise Conflict(_l("Conflicts are declared before the draw."))
    if data.get("username") not in campaign.frame["inspectors"]:
        raise ValidationFailed.field("username", _l("not an inspector of this campaign's frame"))
    if data.get("operator_id") not in [o["id"] for o in campaign.frame["operators"]]:
        raise ValidationFailed.field("operator_id", _l("not an operator of this campaign's frame"))
    entry = {"username": data["username"], "operator_id": data["operator_id"],
             "reason": (data.get("reason") or "").strip(), "declared_at": now.isoformat()}
    campaign.conflicts = [*campaign.conflicts, entry]
    record_event("campaign", str(campaign.id), "declare_conflict", Actor.of(user), now, after=entry)
    return campaign


def replay(frame: dict, seed: str, conflicts: list[dict]) -> dict:
    """The whole draw from its published inputs: operators, probabilities, inspectors, recusals."""
    candidates = [(str(o["id"]), float(o["weight"])) for o in frame["operators"]]
    drawn = [int(label) for label in draw.draw(seed, candidates, frame["operators_to_draw"])]
    teams, recusals = {}, []
    for operator_id in drawn:
        conflicted = {c["username"] for c in conflicts if c["operator_id"] == operator_id}
        recusals += [{"username": u, "operator_id": operator_id} for u in sorted(conflicted)]
        eligible = [(f"inspector:{operator_id}:{u}", 1.0) for u in frame["inspectors"] if u not in conflicted]
        picked = draw.draw(seed, eligible, frame["inspectors_per_inspection"])
        teams[str(operator_id)] = [label.split(":", 2)[2] for label in picked]
    return {"operators": drawn, "inspectors": teams, "recusals": recusals,
            "probabilities": {label: p for label, p in draw.inclusion_probabilities(
                candidates, frame["operators_to_draw"]).items()}}


def draw_campaign(campaign: Campaign, user: User, now: datetime) -> Campaign:
    require_officer(user)
    _lock(campaign)
    if campaign.status != "frozen":
        raise Conflict(_l("This campaign was already drawn."))
    result = replay(campaign.frame, campaign.seed, campaign.conflicts)
    for operator_id in result["operators"]:
        if len(result["inspectors"][str(operator_id)]) < 2:
            raise ValidationFailed.field("inspectors", _l(
                "[M 7] fewer than 2 inspectors without a conflict remain for operator %(id)s", id=operator_id))
    campaign.result, campaign.status, campaign.drawn_at = result, "drawn", now
    record_event("campaign", str(campaign.id), "draw", Actor.of(user), now,
                 before={"status": "frozen"}, after={"status": "drawn", "seed": campaign.seed,
                                                     "operators": result["operators"]})
    for operator_id in result["operators"]:
        load_in_scope(Operator, user, id=operator_id)
        plan_inspection(user, {"operator_id": operator_id, "type": campaign.inspection_type,
                               "planned_on": local_date(now), "officers": result["inspectors"][str(operator_id)]},
                        now, campaign_id=campaign.id)
    return campaign


def public_view(campaign: Campaign) -> dict:
    """What the public verification page shows: the commitment, and after the draw the seed and result."""
    drawn = campaign.status == "drawn"
    return {"id": campaign.id, "authority": campaign.authority_code, "period": campaign.period,
            "type": campaign.inspection_type, "status": campaign.status, "frame": campaign.frame,
            "frame_hash": campaign.frame_hash, "seed_hash": campaign.seed_hash,
            "seed": campaign.seed if drawn else None, "conflicts": [
                {"username": c["username"], "operator_id": c["operator_id"]} for c in campaign.conflicts],
            "result": campaign.result if drawn else None,
            "frozen_at": campaign.frozen_at.isoformat(),
            "drawn_at": campaign.drawn_at.isoformat() if campaign.drawn_at else None}
