"""Operator registry API (SPEC §2, §10)."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, post_load, validate
from sqlalchemy import or_, select

from blueprints.api.common import (
    BEARER,
    ErrorSchema,
    PageArgs,
    api_user,
    commit,
    keyset_page,
    require_user,
)
from blueprints.date_validators import DateInRange
from supervision.access.models import Role
from supervision.access.scoping import load_in_scope, load_in_scope_or_public, scoped
from supervision.clock import now_utc, today_local
from supervision.errors import Forbidden
from supervision.operators import services
from supervision.operators.hotlines import hotline_history, replace_hotlines
from supervision.operators.models import CHANNEL_KINDS, LICENCE_TYPES, SCOPES, STATUSES, Operator

blp = Blueprint("api_operators", __name__, description="Licensed operators: registry, hotlines, subscribers")


class HotlineSchema(Schema):
    kind = fields.String(load_default="phone", validate=validate.OneOf(CHANNEL_KINDS))
    number = fields.String(required=True, validate=validate.Length(min=1, max=200))
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class OperatorIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    name_en = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    uscc = fields.String(required=True, metadata={"description": "统一社会信用代码, GB 32100-2015"})
    licence_no = fields.String(required=True, validate=validate.Length(min=1, max=60))
    licence_type = fields.String(required=True, validate=validate.OneOf(LICENCE_TYPES))
    scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    province = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2))
    licence_valid_from = fields.Date(required=True, validate=DateInRange())
    licence_valid_until = fields.Date(required=True, validate=DateInRange())
    sanction = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(["suspended", "revoked"]))
    hotline = fields.String(load_only=True, metadata={"description": "shorthand for one phone hotline"})
    hotlines = fields.List(fields.Nested(HotlineSchema))

    @post_load
    def merge_hotline(self, data, **kwargs):
        if "hotline" in data:
            data.setdefault("hotlines", []).insert(0, {"kind": "phone", "number": data.pop("hotline"), "label": None})
        return data


OPERATOR_EXAMPLE = {
    "name": "江苏示例通信有限公司", "name_en": "Jiangsu Example Telecom", "uscc": "91320100MA0000015Q",
    "licence_no": "B2-20260001", "licence_type": "value_added", "scope": "provincial", "province": "32",
    "licence_valid_from": "2026-01-01", "licence_valid_until": "2030-12-31", "hotline": "10086",
}


class OperatorPatch(OperatorIn):
    """Only the fields sent change: loaded with partial=True (marshmallow has no `Meta.partial`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class SubscriberCountSchema(Schema):
    province = fields.String(required=True)
    quarter = fields.String(required=True, metadata={"example": "2026Q3"})
    # The column is a 64-bit BIGINT; the service explains a negative count.
    subscribers = fields.Integer(required=True, validate=validate.Range(max=2**63 - 1))


class OperatorOut(Schema):
    id = fields.Integer()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    uscc = fields.String()
    licence_no = fields.String()
    licence_type = fields.String()
    scope = fields.String()
    province = fields.String(allow_none=True)
    supervising_authority = fields.String()
    licence_valid_from = fields.Date()
    licence_valid_until = fields.Date()
    sanction = fields.String(allow_none=True)
    status = fields.Method("current_status", metadata={"description": "derived from the licence dates",
                                                       "type": "string", "enum": list(STATUSES)})
    hotlines = fields.List(fields.Nested(HotlineSchema))

    def current_status(self, operator):
        return services.current_status(operator, today_local())


class OperatorDetail(OperatorOut):
    subscriber_counts = fields.List(fields.Nested(SubscriberCountSchema))

    def get_attribute(self, obj, attr, default):
        # Subscriber numbers are commercial data: only for signed-in callers in scope.
        if attr == "subscriber_counts" and api_user() is None:
            return []
        return super().get_attribute(obj, attr, default)


class OperatorQuery(PageArgs):
    q = fields.String(load_default=None, metadata={"description": "name or licence number contains"})
    province = fields.String(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class OperatorPage(Schema):
    items = fields.List(fields.Nested(OperatorOut))
    next_cursor = fields.String(allow_none=True)


@blp.route("/operators")
class Operators(MethodView):
    @blp.arguments(OperatorQuery, location="query")
    @blp.response(200, OperatorPage)
    @blp.doc(operationId="list_operators")
    def get(self, args):
        """Operators: the public sees active ones; a token sees its jurisdiction."""
        stmt = scoped(select(Operator), api_user())
        if args["q"]:
            like = f"%{args['q']}%"
            stmt = stmt.where(or_(Operator.name.ilike(like), Operator.licence_no.ilike(like)))
        if args["province"]:
            stmt = stmt.where(or_(Operator.province == args["province"], Operator.scope == "national"))
        if args["status"]:
            stmt = stmt.where(Operator.status == args["status"])
        return keyset_page(stmt, Operator.id, args["cursor"], args["limit"])

    @blp.arguments(OperatorIn, example=OPERATOR_EXAMPLE)
    @blp.response(201, OperatorDetail)
    @blp.alt_response(422, schema=ErrorSchema, description="A field breaks a rule; nothing saved")
    @blp.doc(operationId="register_operator", security=BEARER)
    def post(self, values):
        """Register an operator (admin, or an officer of the supervising authority)."""
        operator = services.register_operator(values, require_user(), now_utc(), today_local())
        commit()
        return operator


@blp.route("/operators/<id:operator_id>")
class OperatorItem(MethodView):
    @blp.response(200, OperatorDetail)
    @blp.doc(operationId="get_operator")
    def get(self, operator_id):
        """One operator, if visible to the caller (else 404)."""
        return load_in_scope_or_public(Operator, api_user(), id=operator_id)

    @blp.arguments(OperatorPatch, example={"name_en": "Jiangsu Example Telecom"})
    @blp.response(200, OperatorDetail)
    @blp.alt_response(422, schema=ErrorSchema, description="A field breaks a rule; nothing saved")
    @blp.doc(operationId="update_operator", security=BEARER)
    def patch(self, changes, operator_id):
        """Edit an operator (its supervising authority only)."""
        user = require_user()
        operator = load_in_scope(Operator, user, id=operator_id)
        services.update_operator(operator, changes, user, now_utc(), today_local())
        commit()
        return operator


@blp.route("/operators/<id:operator_id>/subscriber-counts")
class SubscriberCounts(MethodView):
    @blp.arguments(SubscriberCountSchema, example={"province": "32", "quarter": "2026Q3", "subscribers": 1250000})
    @blp.response(200, SubscriberCountSchema)
    @blp.doc(operationId="set_subscriber_count", security=BEARER)
    def put(self, values, operator_id):
        """Record subscribers for one province and quarter (officers in charge, or the operator)."""
        user = require_user()
        operator = load_in_scope(Operator, user, id=operator_id)
        if user.role not in (Role.ADMIN, Role.OFFICER, Role.OPERATOR):
            raise Forbidden("Only officers or the operator's own staff record subscriber counts.")
        row = services.set_subscriber_count(operator, values["province"], values["quarter"],
                                            values["subscribers"], user, now_utc())
        commit()
        return row


class HotlineDraft(Schema):
    # Typed for the document; kinds and numbers are checked by the service so every error
    # names `hotlines.<i>.<field>` (supervision.operators.hotlines.hotline_errors).
    kind = fields.String(allow_none=True, metadata={"enum": list(CHANNEL_KINDS), "default": "phone"})
    number = fields.String(allow_none=True)
    label = fields.String(allow_none=True)


class HotlinesIn(Schema):
    hotlines = fields.List(fields.Nested(HotlineDraft), required=True,
                           metadata={"description": "the complete new list"})


class HotlineChangeOut(Schema):
    at = fields.DateTime()
    by = fields.String(attribute="actor_label")
    before = fields.List(fields.Nested(HotlineSchema))
    after = fields.List(fields.Nested(HotlineSchema))

    def get_attribute(self, obj, attr, default):
        # An audit event holds the list before and after under "hotlines" (operators.hotlines).
        if attr in ("before", "after"):
            return (getattr(obj, attr) or {}).get("hotlines", [])
        return super().get_attribute(obj, attr, default)


class HotlinesOut(Schema):
    hotlines = fields.List(fields.Nested(HotlineSchema))
    history = fields.List(fields.Nested(HotlineChangeOut))


@blp.route("/operators/<id:operator_id>/hotlines")
class OperatorHotlines(MethodView):
    @blp.response(200, HotlinesOut)
    @blp.doc(operationId="get_operator_hotlines", security=BEARER)
    def get(self, operator_id):
        """The operator's hotlines and the history of their changes (signed-in callers in scope)."""
        operator = load_in_scope(Operator, require_user(), id=operator_id)
        return {"hotlines": operator.hotlines, "history": hotline_history(operator)}

    @blp.arguments(HotlinesIn, example={"hotlines": [{"kind": "phone", "number": "10086", "label": "24 h"}, {"kind": "web", "number": "https://example.com/complaints", "label": None}]})
    @blp.response(200, HotlinesOut)
    @blp.alt_response(422, schema=ErrorSchema, description="A hotline breaks a rule; nothing saved")
    @blp.doc(operationId="replace_operator_hotlines", security=BEARER)
    def put(self, values, operator_id):
        """Replace the published hotlines [M 16]: the operator's staff, or its supervising authority."""
        user = require_user()
        operator = load_in_scope(Operator, user, id=operator_id)
        replace_hotlines(operator, values["hotlines"], user, now_utc())
        commit()
        return {"hotlines": operator.hotlines, "history": hotline_history(operator)}
