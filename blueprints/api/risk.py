"""Risk scores per operator per quarter (officers): the score, its parts and the methodology."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, require_user
from supervision.access.models import Role
from supervision.inspections.risk import risk_scores

blp = Blueprint("api_risk", __name__, description="Risk scores (where to inspect first; campaign weights)")


class RiskQuery(Schema):
    quarter = fields.String(required=True, validate=validate.Regexp(r"^\d{4}Q[1-4]$", error="a quarter like 2026Q4"))


class RiskPartsOut(Schema):
    complaints_per_million = fields.Float()
    missed_reply_clocks = fields.Integer()
    open_retention_findings = fields.Integer()
    late_self_inspections = fields.Integer()
    open_orders = fields.Integer()


class RiskScoreOut(Schema):
    operator_id = fields.Integer()
    operator = fields.String()
    quarter = fields.String()
    methodology = fields.Integer()
    score = fields.Float()
    parts = fields.Nested(RiskPartsOut)
    notes = fields.List(fields.String())


class RiskPage(Schema):
    items = fields.List(fields.Nested(RiskScoreOut))


@blp.route("/risk-scores")
class RiskScores(MethodView):
    @blp.arguments(RiskQuery, location="query")
    @blp.response(200, RiskPage)
    @blp.doc(operationId="list_risk_scores", security=BEARER)
    def get(self, args):
        """Every operator in the officer's jurisdiction, highest score first, with the parts of each score."""
        user = require_user()
        if user.role != Role.OFFICER:
            abort(403, message="Risk scores are for officers.")
        return {"items": risk_scores(user, args["quarter"])}
