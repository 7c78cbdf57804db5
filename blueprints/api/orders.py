"""Rectification orders and penalty decisions API (SPEC §10), with their official documents."""
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from blueprints.api.common import (
    BEARER,
    AuditEventOut,
    ErrorSchema,
    PageArgs,
    StoredFileOut,
    WorkflowDeadlineOut,
    action_path,
    commit,
    keyset_page,
    record_id,
    require_user,
)
from blueprints.downloads import send_evidence
from supervision.access.scoping import load_in_scope, scoped
from supervision.audit import Actor
from supervision.clock import now_utc
from supervision.orders import documents, penalties, services
from supervision.orders.models import (
    MEASURES,
    ORDER_STATES,
    PENALTY_STATES,
    PenaltyDecision,
    RectificationOrder,
)
from supervision.orders.views import order_view, penalty_view

blp = Blueprint("api_orders", __name__, description="Rectification orders (限期整改) and penalties [M 21–23]")


class OrderIn(Schema):
    operator_id = record_id(required=True)
    finding_ids = fields.List(record_id(), required=True, validate=validate.Length(min=1, max=50))
    requirement = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    deadline = fields.Date(required=True, metadata={"description": "YYYY-MM-DD, after today and within a year"})


class OrderCreatedOut(Schema):
    id = fields.Integer()
    number = fields.String(metadata={"description": "document number, e.g. 粤通整〔2026〕3号"})
    state = fields.String()


class CitedFindingOut(Schema):
    id = fields.Integer()
    article = fields.String()
    facts = fields.String()
    state = fields.String()


class OrderEvidenceOut(StoredFileOut):
    round = fields.Integer()


class OrderOut(Schema):
    id = fields.Integer()
    number = fields.String()
    state = fields.String(validate=validate.OneOf(ORDER_STATES))
    operator_id = fields.Integer()
    operator = fields.String()
    authority = fields.String()
    requirement = fields.String()
    deadline = fields.String()
    round = fields.Integer()
    overdue = fields.Boolean()
    finding_ids = fields.List(fields.Integer())
    findings = fields.List(fields.Nested(CitedFindingOut))
    plan = fields.String(allow_none=True)
    completion_report = fields.String(allow_none=True)
    evidence = fields.List(fields.Nested(OrderEvidenceOut))
    verification_note = fields.String(allow_none=True)
    issued_at = fields.String()
    closed_at = fields.String(allow_none=True)
    deadlines = fields.List(fields.Nested(WorkflowDeadlineOut))
    allowed_actions = fields.List(fields.String())
    timeline = fields.List(fields.Nested(AuditEventOut))


class OrderSummary(Schema):
    id = fields.Integer()
    number = fields.String()
    status = fields.String(data_key="state")
    operator_id = fields.Integer()
    deadline_on = fields.Date(data_key="deadline")
    overdue = fields.Boolean()


class OrderPage(Schema):
    items = fields.List(fields.Nested(OrderSummary))
    next_cursor = fields.String(allow_none=True)


class OrderQuery(PageArgs):
    state = fields.String(load_default=None, validate=validate.OneOf(ORDER_STATES))
    operator_id = record_id(load_default=None)
    overdue = fields.Boolean(load_default=None)


class OrderActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))
    plan = fields.String(validate=validate.Length(max=20000))
    report = fields.String(validate=validate.Length(max=20000))
    deadline = fields.Date(metadata={"description": "reopen: the new deadline"})


class PenaltyIn(Schema):
    operator_id = record_id(required=True)
    rule = fields.String(required=True, validate=validate.Length(max=8), metadata={"description": "M21, M22 or M23"})
    measure = fields.String(required=True, validate=validate.OneOf(MEASURES))
    amount_yuan = fields.Integer(load_default=None, allow_none=True, strict=True,
                                 validate=validate.Range(min=0, max=10**9))
    facts = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    finding_id = record_id(load_default=None, allow_none=True)
    order_id = record_id(load_default=None, allow_none=True)


class PenaltyOut(Schema):
    id = fields.Integer()
    number = fields.String(allow_none=True)
    state = fields.String(validate=validate.OneOf(PENALTY_STATES))
    operator_id = fields.Integer()
    operator = fields.String()
    authority = fields.String()
    rule = fields.String()
    measure = fields.String()
    amount_yuan = fields.Integer(allow_none=True)
    facts = fields.String()
    finding_id = fields.Integer(allow_none=True)
    order_id = fields.Integer(allow_none=True)
    legal_source = fields.String()
    prepared_by = fields.Integer()
    approved_by = fields.Integer(allow_none=True)
    approved_at = fields.String(allow_none=True)
    published_at = fields.String(allow_none=True)
    allowed_actions = fields.List(fields.String())
    timeline = fields.List(fields.Nested(AuditEventOut))


class PenaltySummary(Schema):
    id = fields.Integer()
    number = fields.String(allow_none=True)
    status = fields.String(data_key="state")
    operator_id = fields.Integer()
    rule = fields.String()
    measure = fields.String()
    amount_yuan = fields.Integer(allow_none=True)


class PenaltyPage(Schema):
    items = fields.List(fields.Nested(PenaltySummary))
    next_cursor = fields.String(allow_none=True)


class PenaltyQuery(PageArgs):
    state = fields.String(load_default=None, validate=validate.OneOf(PENALTY_STATES))
    operator_id = record_id(load_default=None)


class PenaltyActionIn(Schema):
    note = fields.String(validate=validate.Length(max=5000))


def _pdf(content: bytes, name: str) -> Response:
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f"inline; filename*=UTF-8''{name}"})


@blp.route("/orders")
class Orders(MethodView):
    @blp.arguments(OrderIn, example={"operator_id": 3, "finding_ids": [7], "requirement": "Restore and keep billing records for 5 months [M 17].", "deadline": "2027-01-31"})
    @blp.response(201, OrderCreatedOut)
    @blp.alt_response(422, schema=ErrorSchema, description="A finding not open, not of this operator, or outside "
                                                            "your jurisdiction; a deadline out of range")
    @blp.doc(operationId="issue_order", security=BEARER)
    def post(self, data):
        """Issue a rectification order (officer) citing open findings of the operator."""
        order = services.issue_order(require_user(), data, now_utc())
        commit()
        return {"id": order.id, "number": order.number, "state": order.status}

    @blp.arguments(OrderQuery, location="query")
    @blp.response(200, OrderPage)
    @blp.doc(operationId="list_orders", security=BEARER)
    def get(self, args):
        """The orders the caller may see, newest first."""
        stmt = scoped(select(RectificationOrder), require_user())
        if args["state"]:
            stmt = stmt.where(RectificationOrder.status == args["state"])
        if args["operator_id"]:
            stmt = stmt.where(RectificationOrder.operator_id == args["operator_id"])
        if args["overdue"] is not None:
            stmt = stmt.where(RectificationOrder.overdue.is_(args["overdue"]))
        return keyset_page(stmt, RectificationOrder.id, args["cursor"], args["limit"])


@blp.route("/orders/<id:order_id>")
class OrderItem(MethodView):
    @blp.response(200, OrderOut)
    @blp.doc(operationId="get_order", security=BEARER)
    def get(self, order_id):
        """One order in scope, with its rounds on the timeline."""
        user = require_user()
        return order_view(load_in_scope(RectificationOrder, user, id=order_id), user)


@blp.route("/orders/<id:order_id>/actions/<action>", parameters=action_path(services.ORDER_WORKFLOW))
class OrderAction(MethodView):
    @blp.arguments(OrderActionIn, example={"plan": "Restore records from the archive by January; monthly checks after."})
    @blp.response(200, OrderOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Not allowed in the current state")
    @blp.doc(operationId="perform_order_action", security=BEARER)
    def post(self, params, order_id, action):
        """file_plan (operator, `plan`), report_completion (operator, `report`), verify (officer, `note`:
        closes the order and its findings), reopen (officer, `note`, new `deadline`)."""
        if action not in services.ACTIONS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(services.ACTIONS)}.")
        user = require_user()
        order = load_in_scope(RectificationOrder, user, id=order_id)
        services.perform(order, action, params, Actor.of(user), now_utc())
        commit()
        return order_view(order, user)


@blp.route("/orders/<id:order_id>/evidence")
class OrderEvidence(MethodView):
    @blp.response(201, OrderEvidenceOut)
    @blp.doc(security=BEARER, requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}})
    @blp.doc(operationId="add_order_evidence")
    def post(self, order_id):
        """The operator's evidence of rectification (PDF, JPEG or PNG)."""
        user = require_user()
        order = load_in_scope(RectificationOrder, user, id=order_id)
        upload = request.files.get("file")
        if upload is None:
            abort(422, message="Attach a file in the 'file' field.", errors={"file": ["required"]})
        entry = services.add_completion_evidence(order, upload.filename, upload.read(), user, now_utc())
        commit()
        return entry


@blp.route("/orders/<id:order_id>/evidence/<id:number>")
class OrderEvidenceFile(MethodView):
    @blp.response(200, description="The file as stored")
    @blp.doc(operationId="download_order_evidence", security=BEARER)
    def get(self, order_id, number):
        """One file of the operator's evidence, numbered from 1 in the order added (officers in scope and
        the operator's staff)."""
        order = load_in_scope(RectificationOrder, require_user(), id=order_id)
        return send_evidence(services.evidence_file(order, number))


@blp.route("/orders/<id:order_id>/notice.pdf")
class OrderNotice(MethodView):
    @blp.response(200, description="限期整改通知书 (PDF)")
    @blp.doc(operationId="download_order_notice", security=BEARER)
    def get(self, order_id):
        """The rectification notice as an official document (PDF)."""
        order = load_in_scope(RectificationOrder, require_user(), id=order_id)
        return _pdf(documents.order_notice_pdf(order), f"order-{order.id}.pdf")


@blp.route("/penalties")
class Penalties(MethodView):
    @blp.arguments(PenaltyIn, example={"operator_id": 3, "rule": "M21", "measure": "warning", "amount_yuan": None, "facts": "Billing records not kept [M 17].", "finding_id": 7, "order_id": None})
    @blp.response(201, PenaltyOut)
    @blp.alt_response(422, schema=ErrorSchema, description="A measure or amount outside the rule's range "
                                                            "(the message names the range)")
    @blp.doc(operationId="prepare_penalty", security=BEARER)
    def post(self, data):
        """Prepare a penalty decision (officer) citing a finding or an order of the operator."""
        user = require_user()
        decision = penalties.prepare_penalty(user, data, now_utc())
        commit()
        return penalty_view(decision, user)

    @blp.arguments(PenaltyQuery, location="query")
    @blp.response(200, PenaltyPage)
    @blp.doc(operationId="list_penalties", security=BEARER)
    def get(self, args):
        """The penalty decisions the caller may see, newest first."""
        stmt = scoped(select(PenaltyDecision), require_user())
        if args["state"]:
            stmt = stmt.where(PenaltyDecision.status == args["state"])
        if args["operator_id"]:
            stmt = stmt.where(PenaltyDecision.operator_id == args["operator_id"])
        return keyset_page(stmt, PenaltyDecision.id, args["cursor"], args["limit"])


@blp.route("/penalties/<id:penalty_id>")
class PenaltyItem(MethodView):
    @blp.response(200, PenaltyOut)
    @blp.doc(operationId="get_penalty", security=BEARER)
    def get(self, penalty_id):
        """One penalty decision in scope."""
        user = require_user()
        return penalty_view(load_in_scope(PenaltyDecision, user, id=penalty_id), user)


@blp.route("/penalties/<id:penalty_id>/actions/<action>", parameters=action_path(penalties.PENALTY_WORKFLOW))
class PenaltyAction(MethodView):
    @blp.arguments(PenaltyActionIn, example={"note": "Approved."})
    @blp.response(200, PenaltyOut)
    @blp.alt_response(403, schema=ErrorSchema, description="Not a publisher, or the decision's own author")
    @blp.doc(operationId="perform_penalty_action", security=BEARER)
    def post(self, params, penalty_id, action):
        """approve (a publisher other than the author: four-eyes), publish."""
        if action not in penalties.ACTIONS:
            abort(404, message=f"Unknown action {action!r}; actions: {', '.join(penalties.ACTIONS)}.")
        user = require_user()
        decision = load_in_scope(PenaltyDecision, user, id=penalty_id)
        penalties.perform(decision, action, params, Actor.of(user), now_utc())
        commit()
        return penalty_view(decision, user)


@blp.route("/penalties/<id:penalty_id>/decision.pdf")
class PenaltyDocument(MethodView):
    @blp.response(200, description="行政处罚决定书 (PDF)")
    @blp.doc(operationId="download_penalty_decision", security=BEARER)
    def get(self, penalty_id):
        """The penalty decision as an official document (PDF), once approved."""
        decision = load_in_scope(PenaltyDecision, require_user(), id=penalty_id)
        if decision.number is None:
            abort(409, message="A draft has no document yet: it is numbered when approved.")
        return _pdf(documents.penalty_decision_pdf(decision), f"penalty-{decision.id}.pdf")
