"""The personal-data read log for the oversight role (SPEC §9): who read which complainant's data."""
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from blueprints.api.common import BEARER, ErrorSchema, PageArgs, keyset_page, record_id, require_user
from blueprints.date_validators import DateInRange
from supervision.access.personal_data import (
    CHANNELS,
    KINDS,
    PersonalDataRead,
    ReadFilters,
    may_review_reads,
    reads_query,
)

blp = Blueprint("api_privacy", __name__, description="Personal information: the log of staff reads (oversight)")


class ReadOut(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    user_id = fields.Integer()
    username = fields.Function(lambda read: read.user.username, metadata={"type": "string"})
    role = fields.String()
    reference = fields.String(metadata={"description": "the complaint whose personal data were read"})
    fields_read = fields.List(fields.String(), attribute="fields", data_key="fields", metadata={
        "description": "name, phone, email, address, id_number (':masked' when shown masked), attachment:<id>"})
    kind = fields.String(validate=validate.OneOf(KINDS))
    channel = fields.String(validate=validate.OneOf(CHANNELS))


class ReadPage(Schema):
    items = fields.List(fields.Nested(ReadOut))
    next_cursor = fields.String(allow_none=True)


class ReadQuery(PageArgs):
    user_id = record_id(load_default=None, metadata={"description": "the staff member who read"})
    reference = fields.String(load_default=None, validate=validate.Length(max=40),
                              metadata={"description": "a complaint's reference"})
    date_from = fields.Date(load_default=None, validate=DateInRange(),
                            metadata={"description": "first day (Asia/Shanghai), included"})
    date_to = fields.Date(load_default=None, validate=DateInRange(),
                          metadata={"description": "last day (Asia/Shanghai), included; not before date_from"})


@blp.route("/personal-data-reads")
class PersonalDataReads(MethodView):
    @blp.arguments(ReadQuery, location="query")
    @blp.response(200, ReadPage)
    @blp.alt_response(403, schema=ErrorSchema, description="Only the oversight role reviews the log")
    @blp.alt_response(422, schema=ErrorSchema, description="A bad filter (date range, cursor)")
    @blp.doc(operationId="list_personal_data_reads", security=BEARER)
    def get(self, args):
        """Reads of complainants' personal data by staff, newest first (oversight only)."""
        user = require_user()
        if not may_review_reads(user):
            abort(403, message="Only the oversight role may review the personal-data read log.")
        filters = ReadFilters(user_id=args["user_id"], reference=args["reference"], date_from=args["date_from"],
                              date_to=args["date_to"])
        return keyset_page(reads_query(user, filters), PersonalDataRead.id, args["cursor"], args["limit"])
