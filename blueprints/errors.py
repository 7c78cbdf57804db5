"""One error handler for the whole app: JSON under /api/, HTML pages elsewhere (SPEC §10)."""
import logging
import sqlite3

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from supervision.errors import DomainError
from supervision.extensions import db

log = logging.getLogger(__name__)
HTML_PAGES = {401: 403, 403: 403, 404: 404, 500: 500}
# PostgreSQL: serialization failure, deadlock, lock not available, statement/lock time-out.
BUSY_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57014"})
# PostgreSQL: connection exceptions (08…) and the server shutting down or starting (57P01–57P03).
UNREACHABLE_SQLSTATE_PREFIXES = ("08", "57P")
# SQLite: the file (or the volume holding it) cannot be opened or read.
SQLITE_UNREACHABLE = ("unable to open database file", "disk i/o error")


def wants_json() -> bool:
    return request.path.startswith("/api/")


def flatten_webargs(messages: dict) -> dict[str, list[str]]:
    """webargs nests field errors under their location ({"json": {...}}); the API shape does not."""
    flat: dict[str, list[str]] = {}
    for location_or_field, value in (messages or {}).items():
        if location_or_field in {"json", "query", "form", "files", "headers", "view_args"} and isinstance(value, dict):
            for field, problems in value.items():
                flat[field] = _as_list(problems)
        else:
            flat[location_or_field] = _as_list(value)
    return flat


def _as_list(problems) -> list[str]:
    if isinstance(problems, dict):  # nested schema: keep "field.sub: message"
        return [f"{k}: {m}" for k, v in problems.items() for m in _as_list(v)]
    return [str(p) for p in problems] if isinstance(problems, list | tuple) else [str(problems)]


def json_error(code: int, message: str, errors: dict | None = None, **extra):
    body = {"code": code, "message": message, "errors": errors or {}} | extra
    return jsonify(body), code


def handle_http_exception(error: HTTPException):
    data = getattr(error, "data", None) or {}
    if isinstance(error, InternalServerError):
        log.exception("unhandled error on %s %s", request.method, request.path,
                      exc_info=error.original_exception or error)
    headers = dict(data.get("headers") or getattr(error, "headers", None) or {})
    if getattr(error, "retry_after", None) is not None:  # 429 and 503 say when to come back
        headers["Retry-After"] = str(error.retry_after)
    if wants_json():
        errors = flatten_webargs(data.get("errors") or data.get("messages") or {})
        with force_locale(api_language()):
            message = str(data.get("message") or error.description or error.name)
        if error.code == 422 and errors and not data.get("message"):
            message = "Invalid input: " + "; ".join(f"{f}: {m[0]}" for f, m in errors.items())
        response, code = json_error(error.code or 500, message, errors)
        response.headers.update(headers)
        return response, code
    if error.code is None or error.code < 400:
        return error  # routing redirects (e.g. a missing trailing slash) pass through
    template = f"errors/{HTML_PAGES[error.code]}.html" if error.code in HTML_PAGES else "errors/generic.html"
    return render_template(template, error=error), error.code, headers


class DatabaseBusy(ServiceUnavailable):
    description = _l("The system is busy: please try again in a few seconds. Nothing was saved.")


def database_busy(error: OperationalError) -> bool:
    """SQLite still locked after busy_timeout, or PostgreSQL refusing for concurrency: try again later."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        message = str(original).lower()
        return "database is locked" in message or "database is busy" in message or "table is locked" in message
    return getattr(original, "sqlstate", None) in BUSY_SQLSTATES


class DatabaseUnavailable(ServiceUnavailable):
    description = _l("The system cannot reach its database at the moment: please try again in a minute. "
                     "Nothing was saved.")


def database_unreachable(error: OperationalError) -> bool:
    """The database is gone (server stopped, network cut, storage missing), not our query wrong.

    A connection that failed (`connection_invalidated`) is dropped from the pool by SQLAlchemy,
    and `pool_pre_ping` tests the others before use: when the database is back, the next
    request gets a fresh connection without a restart.
    """
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return str(original).lower().startswith(SQLITE_UNREACHABLE)
    # psycopg gives no SQLSTATE when it could not connect at all (refused, timed out).
    sqlstate = getattr(original, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(UNREACHABLE_SQLSTATE_PREFIXES)


def handle_operational_error(error: OperationalError):
    """A busy or unreachable database is a 503 with Retry-After (try again later), never a 500."""
    rollback_quietly()
    if database_busy(error):
        log.warning("database busy on %s %s: answered 503", request.method, request.path)
        return handle_http_exception(DatabaseBusy(retry_after=current_app.config["DATABASE_BUSY_RETRY_AFTER"]))
    if database_unreachable(error):
        # The driver's message may name hosts and paths: the type is enough to look further.
        log.error("database unreachable on %s %s (%s): answered 503", request.method, request.path,
                  type(error.orig).__name__)
        _forget_the_signed_in_user()
        return handle_http_exception(
            DatabaseUnavailable(retry_after=current_app.config["DATABASE_DOWN_RETRY_AFTER"]))
    return handle_http_exception(InternalServerError(original_exception=error))


def rollback_quietly() -> None:
    """End the failed transaction; on a dead connection the rollback itself may fail too."""
    try:
        db.session.rollback()
    except OperationalError:
        db.session.close()


def _forget_the_signed_in_user() -> None:
    """The error page's header would load the signed-in user, from the database that is gone."""
    login_manager = current_app.login_manager
    g._login_user = login_manager.anonymous_user()


def api_language() -> str:
    """The API answers in a language the caller's Accept-Language names, else English."""
    return request.accept_languages.best_match(current_app.config["LANGUAGES"]) or "en"


def handle_domain_error(error: DomainError):
    if wants_json():
        # Domain messages are translated lazily: render them now, in the API's language.
        with force_locale(api_language()):
            message = str(error.message)
            errors = {field: [str(m) for m in problems] for field, problems in error.errors.items()}
        return json_error(error.status, message, errors, **error.extra)
    template = f"errors/{HTML_PAGES[error.status]}.html" if error.status in HTML_PAGES else "errors/generic.html"
    return render_template(template, error=error), error.status


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(OperationalError, handle_operational_error)
