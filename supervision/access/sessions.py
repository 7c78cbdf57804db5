"""Web sessions the server can end (SPEC §9).

Flask-Login keeps only an identifier in the signed session cookie, so a cookie copied before
log-out would otherwise open pages for ever. The identifier is "<user id>:<session version>"
(`User.get_id`); log-out bumps the version stored with the user, so every cookie that carries
the old one stops working. The trade-off is deliberate: logging out ends the user's sessions
on every device (one counter per user, no session table to sweep).

A deactivated user loses web access at their next request, as their API tokens do
(`ApiToken.is_valid`).
"""
from supervision.access.models import User
from supervision.extensions import db

# A user id is a 32-bit key and a version a small counter: longer digit runs are not ours.
MAX_DIGITS = 10


def user_for_session(session_id: str) -> User | None:
    """The Flask-Login user loader: the active user whose current session version is in the cookie."""
    user_id, _, version = (session_id or "").partition(":")
    if not (_is_number(user_id) and _is_number(version)):
        return None  # a cookie from before versions (or not ours) starts a new log-in
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def end_sessions(user: User) -> None:
    """Log-out: every session cookie of this user stops opening pages."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS
