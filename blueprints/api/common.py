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
    code = fields.Integer(required=True)
    message = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


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
