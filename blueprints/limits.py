"""Rate limits by who is asking (SPEC §9): they stop guessing and flooding, never work.

- A signed-in user (web session, or an API token) is limited per user, generously
  (USER_RATE_LIMIT), never per address: a provincial office or an operator's system behind
  one address is many people's work.
- The public is limited per client address where it costs or guesses: log-in
  (LOGIN_RATE_LIMIT), filing (INTAKE_RATE_LIMIT) and every access-code check
  (ACCESS_CODE_RATE_LIMIT); wrong codes are also counted per reference, from any address
  (ACCESS_CODE_REFERENCE_RATE_LIMIT), so guessing spread over many addresses stops too.

The client address is `request.remote_addr`, which ProxyFix rewrites from X-Forwarded-For
when TRUSTED_PROXIES is set (supervision/app.py). Counters live in Flask-Limiter's storage
(RATELIMIT_STORAGE_URI): memory:// counts per process; a Redis URL makes every gunicorn worker
on every machine count against one budget. RATELIMIT_ENABLED switches them off.
"""
import logging
import math
import time
from contextlib import contextmanager
from functools import wraps

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse_many
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from werkzeug.exceptions import TooManyRequests

from blueprints.api.common import api_user
from blueprints.errors import DatabaseBusy
from supervision.access.scoping import load_complaint_for_complainant
from supervision.complaints.intake import intake_filer
from supervision.complaints.rules import normalize_reference
from supervision.errors import NotFound
from supervision.extensions import db, limiter

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


class RateLimited(TooManyRequests):
    description = _l("Too many requests: please wait a moment before trying again.")


def client_address() -> str:
    return request.remote_addr or "unknown"


class CountersUnreachable(DatabaseBusy):
    """The shared counter store (Redis) did not answer: 503 with Retry-After, before any work."""


@contextmanager
def _counters():
    """Without its counters a limit can neither let through nor refuse: the request waits for
    the store to come back (503), rather than a 500 or an unlimited access-code check."""
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError):
        log.warning("rate-limit storage unreachable on %s %s: answered 503", request.method, request.path)
        raise CountersUnreachable(retry_after=current_app.config["DATABASE_BUSY_RETRY_AFTER"]) from None


def _namespace() -> str:
    """Where this installation's counters live in a shared store (RATELIMIT_KEY_PREFIX)."""
    return current_app.config["RATELIMIT_KEY_PREFIX"]


def spend(setting: str, scope: str, key: str) -> None:
    """Count one request against the limit named by `setting`; 429 with Retry-After once it is spent."""
    if not limiter.enabled:
        return
    for item in parse_many(current_app.config[setting]):
        with _counters():
            allowed = limiter.limiter.hit(item, _namespace(), scope, key)
        if not allowed:
            raise RateLimited(retry_after=_seconds_until_reset(item, scope, key))


def refuse_when_spent(setting: str, scope: str, key: str) -> None:
    """429 when the limit is already spent, without counting this request."""
    if not limiter.enabled:
        return
    for item in parse_many(current_app.config[setting]):
        with _counters():
            allowed = limiter.limiter.test(item, _namespace(), scope, key)
        if not allowed:
            raise RateLimited(retry_after=_seconds_until_reset(item, scope, key))


def _seconds_until_reset(item, scope: str, key: str) -> int:
    with _counters():
        reset_at, _remaining = limiter.limiter.get_window_stats(item, _namespace(), scope, key)
    return max(1, math.ceil(reset_at - time.time()))


def signed_in_user():
    """The caller as the app knows them: the API's bearer token, the web's session, else None.

    Under /api/ any Authorization header, even an empty one, must be a valid bearer token
    (401 otherwise): a malformed header is never the public, and never exempt from a limit.
    """
    if request.path.startswith("/api/"):
        return api_user()
    return current_user if current_user.is_authenticated else None


def limit_signed_in_users():
    """Before every request: a signed-in user's requests count against their own budget."""
    if request.endpoint == "static":
        return
    user = signed_in_user()
    if user is not None:
        spend("USER_RATE_LIMIT", "user", str(user.id))


def limit_logins() -> None:
    spend("LOGIN_RATE_LIMIT", "login", client_address())


def limit_public_intake() -> None:
    spend("INTAKE_RATE_LIMIT", "intake", client_address())


def public_intake_limited(view):
    """For an API intake view: every POST that does not come from an officer counts, even one
    refused as invalid (flooding with bad bodies costs too). Other tokens file as the public."""
    @wraps(view)
    def counted(*args, **kwargs):
        if request.method == "POST" and intake_filer(signed_in_user()) is None:
            limit_public_intake()
        return view(*args, **kwargs)
    return counted


def complaint_by_access_code(reference: str, access_code: str):
    """Every access-code check: counted per address; wrong codes also per reference.

    Right codes do not spend the reference's budget, so a complainant is not locked out of
    their own complaint by normal use; while someone guesses at it, the reference is closed
    to everyone until the window passes (the price of stopping distributed guessing).
    """
    # The reference as the domain reads it (case, hyphens and spaces do not matter), so a guesser
    # cannot spread guesses over spellings of one reference.
    reference_key = normalize_reference(reference or "")
    spend("ACCESS_CODE_RATE_LIMIT", "access-code", client_address())
    refuse_when_spent("ACCESS_CODE_REFERENCE_RATE_LIMIT", "access-code-reference", reference_key)
    try:
        complaint = load_complaint_for_complainant(reference, access_code)
    except NotFound:
        spend("ACCESS_CODE_REFERENCE_RATE_LIMIT", "access-code-reference", reference_key)
        raise
    if complaint in db.session.dirty:  # a legacy Argon2 code re-hashed: kept even when only reading
        db.session.commit()
    return complaint
