"""Shared pieces of the API: the caller, errors in the documented shape, cursor pagination."""
import base64
import binascii

from flask import g, request
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import Select

from supervision.access.services import user_for_token
from supervision.clock import now_utc
from supervision.extensions import db

BEARER = [{"bearer": []}]
MAX_PAGE = 200


def api_user():
    """The user of the bearer token, None for the public; 401 for a bad or expired token."""
    if "api_user" not in g:
        header = request.headers.get("Authorization", "")
        if not header:
            g.api_user = None
        elif not header.startswith("Bearer "):
            abort(401, message="Use 'Authorization: Bearer <token>' (POST /api/v1/auth/token).")
        else:
            g.api_user = user_for_token(header.removeprefix("Bearer ").strip(), now_utc())
            if g.api_user is None:
                abort(401, message="The token is invalid, revoked or expired: request a new one.")
    return g.api_user


def require_user():
    user = api_user()
    if user is None:
        abort(401, message="Authentication required: send 'Authorization: Bearer <token>'.")
    return user


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
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        abort(422, message="cursor is not valid: use next_cursor from the previous page",
              errors={"cursor": ["not a cursor from this API"]})


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
