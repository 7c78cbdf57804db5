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


class CampaignOut(Schema):
    id = fields.Integer()
    authority = fields.String()
    period = fields.String()
    type = fields.String()
    status = fields.String(validate=validate.OneOf(("frozen", "drawn")))
    frame = fields.Dict(metadata={"description": "operators with score and weight, inspectors, draw sizes"})
    frame_hash = fields.String(metadata={"description": "SHA-256 of the frame's canonical JSON"})
    seed_hash = fields.String(metadata={"description": "SHA-256 of the seed, published before the draw"})
    seed = fields.String(allow_none=True, metadata={"description": "revealed at the draw"})
    conflicts = fields.List(fields.Dict())
    result = fields.Dict(allow_none=True)
    frozen_at = fields.String()
    drawn_at = fields.String(allow_none=True)


@blp.route("/campaigns")
class Campaigns(MethodView):
    @blp.arguments(CampaignIn)
    @blp.response(201, CampaignOut)
    @blp.doc(security=BEARER)
    def post(self, data):
        """Freeze a campaign's frame and publish the hashes of the frame and of the seed (officer)."""
        campaign = campaigns.freeze_campaign(require_user(), data, now_utc())
        commit()
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>")
class CampaignItem(MethodView):
    @blp.response(200, CampaignOut)
    def get(self, campaign_id):
        """The public record of a campaign: anyone can verify the draw from it."""
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None:
            raise NotFound("No such campaign.")
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>/conflicts")
class CampaignConflicts(MethodView):
    @blp.arguments(ConflictIn)
    @blp.response(201, CampaignOut)
    @blp.doc(security=BEARER)
    def post(self, data, campaign_id):
        """Declare an officer's conflict with an operator before the draw (recusal)."""
        user = require_user()
        campaign = campaigns.declare_conflict(load_in_scope(Campaign, user, id=campaign_id), user, data, now_utc())
        commit()
        return campaigns.public_view(campaign)


@blp.route("/campaigns/<id:campaign_id>/actions/draw")
class CampaignDraw(MethodView):
    @blp.response(200, CampaignOut)
    @blp.doc(security=BEARER)
    def post(self, campaign_id):
        """Reveal the seed, draw operators and inspectors, plan an inspection per drawn operator."""
        user = require_user()
        campaign = campaigns.draw_campaign(load_in_scope(Campaign, user, id=campaign_id), user, now_utc())
        commit()
        return campaigns.public_view(campaign)
