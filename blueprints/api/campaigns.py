"""Campaigns API — 双随机、一公开: freeze (commitment), declare conflicts, draw; public verification."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, commit, record_id, require_user
from supervision.access.scoping import load_in_scope
from supervision.clock import now_utc
from supervision.errors import NotFound
from supervision.extensions import db
from supervision.inspections import campaigns
from supervision.inspections.models import TYPES, Campaign

blp = Blueprint("api_campaigns", __name__, description="Campaigns 双随机、一公开 (random operators and inspectors)")


class CampaignIn(Schema):
    period = fields.String(required=True, validate=validate.Regexp(r"^\d{4}Q[1-4]$", error="a quarter like 2026Q4"))
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    operators_to_draw = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100))
    inspectors_per_inspection = fields.Integer(load_default=2, strict=True, validate=validate.Range(min=2, max=10))


class ConflictIn(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    operator_id = record_id(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


# Scores, weights and probabilities pass through untouched (Raw, documented as numbers): the
# frame's SHA-256 is published, and re-serialising 3 as 3.0 would break anyone's verification.
def number(**kwargs) -> fields.Raw:
    return fields.Raw(metadata={"type": "number"} | kwargs)


class FrameOperatorOut(Schema):
    id = fields.Integer()
    name = fields.String()
    score = number()
    weight = number(description="max(score, floor): the drawing weight")


class FrameOut(Schema):
    """The frozen sampling frame, exactly as hashed into frame_hash."""

    authority = fields.String()
    period = fields.String()
    methodology = fields.Integer(metadata={"description": "risk methodology version"})
    floor = number()
    operators = fields.List(fields.Nested(FrameOperatorOut))
    inspectors = fields.List(fields.String(), metadata={"description": "usernames of credentialed officers"})
    operators_to_draw = fields.Integer()
    inspectors_per_inspection = fields.Integer()


class ConflictOut(Schema):
    username = fields.String()
    operator_id = fields.Integer()


class DrawResultOut(Schema):
    operators = fields.List(fields.Integer(), metadata={"description": "the operators drawn"})
    inspectors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                             metadata={"description": "operator id -> the inspectors drawn for it"})
    recusals = fields.List(fields.Nested(ConflictOut))
    probabilities = fields.Dict(keys=fields.String(), values=number(),
                                metadata={"description": "operator id -> inclusion probability"})


class CampaignOut(Schema):
    id = fields.Integer()
    authority = fields.String()
    period = fields.String()
    type = fields.String()
    status = fields.String(validate=validate.OneOf(("frozen", "drawn")))
    frame = fields.Nested(FrameOut)
    frame_hash = fields.String(metadata={"description": "SHA-256 of the frame's canonical JSON"})
    seed_hash = fields.String(metadata={"description": "SHA-256 of the seed, published before the draw"})
    seed = fields.String(allow_none=True, metadata={"description": "revealed at the draw"})
    conflicts = fields.List(fields.Nested(ConflictOut))
    result = fields.Nested(DrawResultOut, allow_none=True)
    frozen_at = fields.String()
    drawn_at = fields.String(allow_none=True)


@blp.route("/campaigns")
class Campaigns(MethodView):
    @blp.arguments(CampaignIn, example={"period": "2026Q4", "type": "onsite", "operators_to_draw": 3, "inspectors_per_inspection": 2})
    @blp.response(201, CampaignOut)
    @blp.doc(operationId="freeze_campaign", security=BEARER)
    def post(self, data):
        """Freeze a campaign's frame and publish the hashes of the frame and of the seed (officer)."""
        campaign = campaigns.freeze_campaign(require_user(), data, now_utc())
        commit()
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>")
class CampaignItem(MethodView):
    @blp.response(200, CampaignOut)
    @blp.doc(operationId="get_campaign")
    def get(self, campaign_id):
        """The public record of a campaign: anyone can verify the draw from it."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound("No such campaign.")
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>/conflicts")
class CampaignConflicts(MethodView):
    @blp.arguments(ConflictIn, example={"username": "officer32", "operator_id": 3, "reason": "worked there until 2025"})
    @blp.response(201, CampaignOut)
    @blp.doc(operationId="declare_campaign_conflict", security=BEARER)
    def post(self, data, campaign_id):
        """Declare an officer's conflict with an operator before the draw (recusal)."""
        user = require_user()
        campaign = campaigns.declare_conflict(load_in_scope(Campaign, user, id=campaign_id), user, data, now_utc())
        commit()
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>/actions/draw")
class CampaignDraw(MethodView):
    @blp.response(200, CampaignOut)
    @blp.doc(operationId="draw_campaign", security=BEARER)
    def post(self, campaign_id):
        """Reveal the seed, draw operators and inspectors, plan an inspection per drawn operator."""
        user = require_user()
        campaign = campaigns.draw_campaign(load_in_scope(Campaign, user, id=campaign_id), user, now_utc())
        commit()
        return campaigns.public_view(campaign)
