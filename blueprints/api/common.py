"""Shared pieces of the API: the caller, errors in the documented shape, cursor pagination."""
import base64
import binascii

from flask import current_app, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import Select

from supervision.access.services import user_for_token
from supervision.clock import now_utc
from supervision.extensions import db

BEARER = [{"bearer": []}]
# The complainant's operations: a bearer token, or no token and the access code in the request.
BEARER_OR_ACCESS_CODE = [{}, {"bearer": []}]
MAX_PAGE = 200
# Record ids are 32-bit integer keys: a larger number names no record, and the database
# drivers refuse to bind it (SQLite: OverflowError), so it is a 422 (or a 404 in a path).
MAX_ID = 2**31 - 1
_CALLER = "supervision.api_user"


def api_user():
    """The user of the bearer token, None for the public; 401 for a bad or expired token."""
    # Cached per request, not on `g`: `g` belongs to the app context, which outlives the request
    # when a test or a CLI command already holds one, and would hand one caller's user to the next.
    if _CALLER not in request.environ:
        header = request.headers.get("Authorization")
        if header is None:
            user = None
        # Present but empty or not a bearer token: refused, never taken for the public (issue 6).
        elif not header.startswith("Bearer ") or not header.removeprefix("Bearer ").strip():
            abort(401, message="Use 'Authorization: Bearer <token>' (POST /api/v1/auth/token).")
        else:
            user = user_for_token(header.removeprefix("Bearer ").strip(), now_utc())
            if user is None:
                abort(401, message="The token is invalid, revoked or expired: request a new one.")
        request.environ[_CALLER] = user
    return request.environ[_CALLER]


def token_first():
    """Before parsing the body: an operation documented as bearer-only answers 401 to a caller
    without a token, as the OpenAPI document promises, not 422 about a body it would refuse anyway
    (and it tells an anonymous caller nothing about what the body should hold)."""
    view = current_app.view_functions.get(request.endpoint)
    handler = getattr(getattr(view, "view_class", None), request.method.lower(), None)
    security = getattr(handler, "_apidoc", {}).get("manual_doc", {}).get("security")
    if security == BEARER and "Authorization" not in request.headers:
        require_user()


def require_user():
    user = api_user()
    if user is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.")
    return user


def record_id(**kwargs) -> fields.Integer:
    """An id field (body or query) that refuses numbers no record can have."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class ErrorSchema(Schema):
    code = fields.Integer(required=True, metadata={"example": 422})
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "field name -> what is wrong with it"})
    # A 409 names the record's state and the actions allowed in it (workflow.steps.Conflict).
    state = fields.String(metadata={"description": "409: the record's current state"})
    allowed = fields.List(fields.String(), metadata={"description": "409: the actions allowed now"})


# An audit event records the columns a step changed, before and after: strings, numbers, booleans
# or lists of them (dates as ISO strings, supervision.workflow.steps._plain). Typed as that union,
# not as a free-form object, so generated clients get a value type they can switch on.
AUDIT_VALUE = {"nullable": True, "anyOf": [
    {"type": "string"}, {"type": "number"}, {"type": "boolean"},
    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}},
]}


def audit_snapshot(**kwargs) -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True, metadata=AUDIT_VALUE),
                       allow_none=True, **kwargs)


class StoredFileOut(Schema):
    """An uploaded file as stored (evidence, attachments): what a reader needs to check it."""

    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class AuditEventOut(Schema):
    """One event of a record's audit chain (inspections, orders, penalties)."""

    at = fields.String(metadata={"format": "date-time"})
    action = fields.String()
    actor = fields.String()
    role = fields.String(allow_none=True)
    before = audit_snapshot(metadata={"description": "the changed values before the event"})
    after = audit_snapshot(metadata={"description": "the changed values after the event"})
    note = fields.String(allow_none=True)


class GapOut(Schema):
    """A range of days required but not held (obligations.retention.gaps_json)."""

    from_ = fields.String(data_key="from", attribute="from", metadata={"format": "date"})
    to = fields.String(metadata={"format": "date"})


class HolidaySkippedOut(Schema):
    day = fields.String(metadata={"format": "date"})
    name = fields.String(allow_none=True)


class DueExplanationOut(Schema):
    """How a due date was computed (supervision.calendar.WorkingCalendar._explain)."""

    unit = fields.String(metadata={"description": "working_days or calendar_days"})
    length = fields.Integer()
    start = fields.String(metadata={"format": "date"})
    due = fields.String(metadata={"format": "date"})
    weekends_skipped = fields.List(fields.String(metadata={"format": "date"}))
    holidays_skipped = fields.List(fields.Nested(HolidaySkippedOut))
    makeup_workdays_counted = fields.List(fields.String(metadata={"format": "date"}))
    overrides_applied = fields.List(fields.String(metadata={"format": "date"}))
    rolled_forward_from = fields.String(allow_none=True, metadata={"format": "date"})
    extra_days = fields.Integer()
    provisional_days = fields.List(fields.String(metadata={"format": "date"}))


class WorkflowDeadlineOut(Schema):
    """A running or settled clock of an inspection, order or other workflow record."""

    clock = fields.String()
    due = fields.String(metadata={"format": "date"})
    state = fields.String()
    provisional = fields.Boolean()
    legal_source = fields.String()
    explanation = fields.Nested(DueExplanationOut, allow_none=True)


NULL_BRANCH = {"type": "object", "nullable": True}


def nullable_reference(self, field, ret, **kwargs) -> dict:
    """A nullable nested schema as `allOf: [$ref], nullable: true`.

    apispec writes it `anyOf: [{"type": "object", "nullable": true}, {"$ref": …}]` for OpenAPI
    3.0; client generators take the first branch for a free-form object and parse every value
    as that (openapi-python-client does), so the nested type would be lost."""
    branches = ret.get("anyOf")
    if branches and len(branches) == 2 and branches[0] == NULL_BRANCH and "$ref" in branches[1]:
        del ret["anyOf"]
        return {"allOf": [branches[1]], "nullable": True}
    return {}


def absent_query_parameter(self, field, ret, **kwargs) -> dict:
    """A query parameter with `load_default=None` is optional, not nullable: a query string
    cannot carry null, and a nullable enum makes generated clients offer a union per value."""
    schema = ret.get("schema", {})
    if ret.get("in") == "query" and "default" in schema and schema["default"] is None:
        del schema["default"]
        schema.pop("nullable", None)
        if "enum" in schema:
            schema["enum"] = [value for value in schema["enum"] if value is not None]
    return {}


class PageArgs(Schema):
    cursor = fields.String(load_default=None, metadata={"description": "next_cursor of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PAGE))


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(str(last_id).encode()).decode()


def _decode(cursor: str) -> int:
    try:
        last_id = int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        last_id = None
    if last_id is None or not 0 < last_id <= MAX_ID + 1:
        abort(422, message="cursor is not valid: use next_cursor from the previous page",
              errors={"cursor": ["not a cursor from this API"]})
    return last_id


def keyset_page(stmt: Select, id_column, cursor: str | None, limit: int) -> dict:
    """Newest first by id; the cursor is the last id seen, so pages never skip or repeat rows."""
    if cursor:
        stmt = stmt.where(id_column < _decode(cursor))
    rows = list(db.session.scalars(stmt.order_by(id_column.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": _encode(rows[-1].id) if more and rows else None}


def commit():
    """One commit per request (STYLE §4)."""
    db.session.commit()


def action_path(workflow) -> list[dict]:
    """The `action` path parameter as an enum of the workflow's public actions, so generated
    clients offer the actions by name (issue 11: the OpenAPI document as a contract)."""
    return [{"in": "path", "name": "action", "schema": {"type": "string", "enum": list(workflow.public_actions)}}]
