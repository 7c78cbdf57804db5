"""Format clauses API [M 15]: operators file versions, officers review, the public reads them."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, ErrorSchema, action_path, api_user, commit, require_user
from supervision.access.scoping import load_in_scope, load_in_scope_or_public
from supervision.audit import Actor
from supervision.clock import now_utc
from supervision.obligations import clauses
from supervision.obligations.models import FormatClause
from supervision.operators.models import Operator

blp = Blueprint("api_clauses", __name__, description="Format clauses (格式条款) filed with the authority [M 15]")


class ClauseIn(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    text = fields.String(required=True, validate=validate.Length(min=1, max=200_000))


class ClauseOut(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    title = fields.String()
    version = fields.Integer()
    text = fields.String()
    status = fields.String(validate=validate.OneOf(("filed", "accepted", "changes_requested")))
    review_comment = fields.String(allow_none=True)
    filed_at = fields.String()
    allowed_actions = fields.List(fields.String())


class ClauseList(Schema):
    items = fields.List(fields.Nested(ClauseOut))


class ReviewIn(Schema):
    comment = fields.String(validate=validate.Length(max=5000), metadata={"description": "required for request_changes"})



@blp.route("/operators/<id:operator_id>/format-clauses")
class OperatorClauses(MethodView):
    @blp.arguments(ClauseIn, example={"title": "Unsubscribe from value-added services", "text": "The user may unsubscribe at any time by SMS TD."})
    @blp.response(201, ClauseOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Title or text missing")
    @blp.doc(operationId="file_format_clause", security=BEARER)
    def post(self, data, operator_id):
        """File a clause (its operator's staff); filing the same title again makes the next version."""
        user = require_user()
        clause = clauses.file_clause(load_in_scope(Operator, user, id=operator_id), data, user, now_utc())
        commit()
        return clauses.clause_view(clause, Actor.of(user))

    @blp.response(200, ClauseList)
    @blp.doc(operationId="list_format_clauses")
    def get(self, operator_id):
        """The latest version of each clause the operator filed (public for active operators)."""
        operator = load_in_scope_or_public(Operator, api_user(), id=operator_id)
        return {"items": [clauses.clause_view(c) for c in clauses.published_clauses(operator.id)]}


@blp.route("/format-clauses/<id:clause_id>/actions/<action>", parameters=action_path(clauses.WORKFLOW))
class ClauseReview(MethodView):
    @blp.arguments(ReviewIn, example={"comment": "State the unsubscribe fee (none) explicitly."})
    @blp.response(200, ClauseOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Already reviewed")
    @blp.doc(operationId="review_format_clause", security=BEARER)
    def post(self, params, clause_id, action):
        """accept, or request_changes with a comment (officers of the supervising authority)."""
        if action not in clauses.STEPS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(clauses.STEPS)}.")
        user = require_user()
        clause = load_in_scope(FormatClause, user, id=clause_id)
        clauses.review(clause, action, params, Actor.of(user), now_utc())
        commit()
        return clauses.clause_view(clause, Actor.of(user))
