"""POST /api/v1/auth/token: a bearer token for a username and password (SPEC §10)."""
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from blueprints.api.common import BEARER, ErrorSchema, commit, require_user
from blueprints.limits import limit_logins
from supervision.access.services import authenticate, issue_token, revoke_token
from supervision.clock import now_utc
from supervision.db_locking import reading

blp = Blueprint("api_auth", __name__, description="Log-in for API clients")


class Credentials(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenOut(Schema):
    token = fields.String(required=True)
    expires_at = fields.DateTime()
    role = fields.String()


@blp.route("/auth/token")
class Token(MethodView):
    @blp.arguments(Credentials, example={"username": "officer32", "password": "Correct-horse-1"})
    @blp.response(200, TokenOut)
    @blp.alt_response(401, schema=ErrorSchema, description="Wrong username or password")
    @blp.alt_response(429, schema=ErrorSchema, description="Too many log-ins from this address; see Retry-After")
    @blp.doc(operationId="issue_token")
    def post(self, creds):
        """Exchange a username and password for a bearer token (shown once, stored hashed)."""
        limit_logins()
        with reading():  # the password's Argon2 runs before the token's write takes the lock
            user = authenticate(creds["username"], creds["password"])
        if user is None:
            abort(401, message="Wrong username or password.")
        raw, token = issue_token(user, now_utc(), current_app.config["API_TOKEN_DAYS"])
        commit()
        return {"token": raw, "expires_at": token.expires_at, "role": user.role}

    @blp.response(204)
    @blp.doc(operationId="revoke_token", security=BEARER)
    def delete(self):
        """Revoke the token used for this request."""
        require_user()
        revoke_token(request.headers["Authorization"].removeprefix("Bearer ").strip(), now_utc())
        commit()
