"""One error handler for the whole app: JSON under /api/, HTML pages elsewhere (SPEC §10)."""
import logging
import sqlite3

from flask import Flask, current_app, jsonify, render_template, request
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


def handle_operational_error(error: OperationalError):
    """A busy database is a 503 with Retry-After (the client may simply retry), never a 500."""
    db.session.rollback()
    if not database_busy(error):
        return handle_http_exception(InternalServerError(original_exception=error))
    log.warning("database busy on %s %s: answered 503", request.method, request.path)
    return handle_http_exception(DatabaseBusy(retry_after=current_app.config["DATABASE_BUSY_RETRY_AFTER"]))


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
