"""Billing-record samples API [M 17] (SPEC §4): draw (officer), read, answer an item (operator)."""
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, ErrorSchema, commit, require_user
from supervision.access.scoping import load_in_scope
from supervision.clock import now_utc
from supervision.obligations import deposit, samples
from supervision.obligations.models import BillingSample
from supervision.operators.models import Operator

blp = Blueprint("api_samples", __name__, description="Billing-record samples (计费原始数据抽样) and the deposit [M 14]")


class SampleIn(Schema):
    province = fields.String(required=True, validate=validate.Length(equal=2))
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=samples.MAX_SIZE))
    accounts = fields.List(fields.String(validate=validate.Length(min=1, max=60)), required=True,
                           validate=validate.Length(min=1, max=samples.MAX_ACCOUNTS),
                           metadata={"description": "the account references to draw from"})
    seed = fields.Integer(strict=True, validate=validate.Range(min=0, max=samples.MAX_SEED - 1),
                          metadata={"description": "optional: to repeat a draw; else the system picks one"})


class SampleItemOut(Schema):
    id = fields.Integer()
    account = fields.String()
    month = fields.String()
    produced = fields.Boolean(allow_none=True)
    late = fields.Boolean()
    note = fields.String(allow_none=True)
    filename = fields.String(allow_none=True)
    sha256 = fields.String(allow_none=True)


class SampleOut(Schema):
    id = fields.Integer()
    operator_id = fields.Integer()
    province = fields.String()
    seed = fields.Integer()
    size = fields.Integer()
    months = fields.List(fields.String())
    drawn_on = fields.String()
    status = fields.String()
    due = fields.String()
    deadline_state = fields.String()
    items = fields.List(fields.Nested(SampleItemOut))



@blp.route("/operators/<id:operator_id>/billing-samples")
class Samples(MethodView):
    @blp.arguments(SampleIn, example={"province": "32", "size": 5, "accounts": ["13800138000", "13900139000", "13700137000", "13600136000", "13500135000", "13400134000"]})
    @blp.response(201, SampleOut)
    @blp.alt_response(422, schema=ErrorSchema, description="Province, size or accounts not acceptable")
    @blp.doc(operationId="draw_billing_sample", security=BEARER)
    def post(self, data, operator_id):
        """Draw a seeded sample of (account, month) pairs inside the required window and held months (officer)."""
        sample = samples.draw_billing_sample(require_user(), operator_id, data, now_utc())
        commit()
        return samples.sample_view(sample)


@blp.route("/billing-samples/<id:sample_id>")
class SampleItem(MethodView):
    @blp.response(200, SampleOut)
    @blp.doc(operationId="get_billing_sample", security=BEARER)
    def get(self, sample_id):
        """One sample with its seed and items (officers in scope, the operator's staff)."""
        return samples.sample_view(load_in_scope(BillingSample, require_user(), id=sample_id))


@blp.route("/billing-samples/<id:sample_id>/items/<id:item_id>")
class SampleItemAnswer(MethodView):
    @blp.response(200, SampleOut)
    @blp.alt_response(409, schema=ErrorSchema, description="Already answered")
    @blp.doc(security=BEARER, requestBody={"content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"produced": {"type": "boolean"}, "file": {"type": "string", "format": "binary"},
                                         "note": {"type": "string"}}}}}})
    @blp.doc(operationId="answer_billing_sample_item")
    def post(self, sample_id, item_id):
        """Produce an item (produced=true with the file) or state it cannot be (produced=false with a note)."""
        user = require_user()
        sample = load_in_scope(BillingSample, user, id=sample_id)
        produced = request.form.get("produced", "").lower() in ("1", "true", "yes")
        upload = request.files.get("file")
        content = (upload.filename, upload.read()) if upload else None
        samples.answer_item(sample, item_id, produced, content, request.form.get("note"), user, now_utc())
        commit()
        return samples.sample_view(sample)


class DepositIn(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(deposit.KINDS))
    amount_fen = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=deposit.MAX_FEN),
                                metadata={"description": "amount in fen (0.01 yuan)"})
    reason = fields.String(validate=validate.Length(max=2000), metadata={"description": "required for a deduction"})
    decision_ref = fields.String(validate=validate.Length(max=80),
                                 metadata={"description": "the decision ordering a deduction (required for it)"})


class DepositEntryOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    amount_fen = fields.Integer()
    reason = fields.String(allow_none=True)
    decision_ref = fields.String(allow_none=True)
    recorded_at = fields.DateTime()


class LedgerOut(Schema):
    balance_fen = fields.Integer(metadata={"description": "derived from the entries"})
    entries = fields.List(fields.Nested(DepositEntryOut))


def _ledger(operator_id: int) -> dict:
    return {"balance_fen": deposit.balance_fen(operator_id), "entries": deposit.entries(operator_id)}


@blp.route("/operators/<id:operator_id>/deposit")
class Deposit(MethodView):
    @blp.response(200, LedgerOut)
    @blp.doc(operationId="get_deposit_ledger", security=BEARER)
    def get(self, operator_id):
        """The operator's service-quality deposit ledger [M 14] and its balance."""
        operator = load_in_scope(Operator, require_user(), id=operator_id)
        return _ledger(operator.id)

    @blp.arguments(DepositIn, example={"kind": "deposit", "amount_fen": 50000000})
    @blp.response(201, LedgerOut)
    @blp.alt_response(422, schema=ErrorSchema, description="A deduction without reason or decision, or overdrawn")
    @blp.doc(operationId="record_deposit_entry", security=BEARER)
    def post(self, data, operator_id):
        """Record a deposit, a deduction (reason and decision) or a refund (the supervising authority)."""
        user = require_user()
        operator = load_in_scope(Operator, user, id=operator_id)
        deposit.record_entry(operator, data, user, now_utc())
        commit()
        return _ledger(operator.id)
