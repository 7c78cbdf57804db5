"""Short-lived, server-side passes of a complainant's browser (issue 6, items 11, 12, 16).

Two uses, one table:
- `FILED`: the confirmation after filing. The access code is shown on it for a few minutes
  (a reload or a language switch must not lose it) and the same form submitted twice is
  recognised: the pass is keyed by a token derived from the form's one-time submission token,
  so the second submission finds the first complaint instead of filing a second one.
- `TRACKING`: after the reference and access code were checked once, the result page can be
  reloaded (or its language switched) without typing them again.

The browser keeps only a random token (in the signed session cookie). The row stores the
token's SHA-256 and the access code sealed with a key derived from the token, so neither the
cookie nor the database alone reveals the code; after `expires_at` the sealed code is erased.
"""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ForeignKey, Index, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.complaints.models import Complaint
from supervision.db_insert import insert_unless_taken
from supervision.db_types import UTCDateTime
from supervision.extensions import db

FILED, TRACKING = "filed", "tracking"


class ComplainantPass(db.Model):
    __tablename__ = "complainant_passes"
    __table_args__ = (Index("ix_complainant_passes_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"))
    # The access code XOR a keystream derived from the browser's token; None once expired.
    sealed_code: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint] = relationship()


class DuplicateSubmission(Exception):
    """The same form was submitted twice at once: the other request filed the complaint."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def submission_pass_token(submission_token: str) -> str:
    """The pass token of a form's submission token: a repeated submission finds the same pass.

    Keyed with the server's secret so the form's token alone (in the page) is not the pass.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"intake-submission:" + submission_token.encode(), hashlib.sha256).hexdigest()


def _key_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _keystream(token: str) -> bytes:
    return hmac.new(token.encode(), b"access-code-seal", hashlib.sha256).digest()


def _seal(token: str, code: str) -> str:
    raw = code.encode()
    if len(raw) > 32:
        raise ValueError("access code too long to seal")
    return bytes(a ^ b for a, b in zip(raw, _keystream(token), strict=False)).hex()


def _unseal(token: str, sealed: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _keystream(token), strict=False)).decode()


def _lifetime(purpose: str) -> timedelta:
    name = "ACCESS_CODE_DISPLAY_MINUTES" if purpose == FILED else "TRACKING_PASS_MINUTES"
    return timedelta(minutes=current_app.config[name])


def issue(complaint: Complaint, access_code: str, token: str, purpose: str, now: datetime) -> ComplainantPass:
    """Store a pass for `token`; raises DuplicateSubmission if one exists (a concurrent twin)."""
    purge(now)
    values = {"key_hash": _key_hash(token), "purpose": purpose, "complaint_id": complaint.id,
              "sealed_code": _seal(token, access_code), "created_at": now, "expires_at": now + _lifetime(purpose)}
    # One statement, no savepoint: a twin that got there first leaves no row to return.
    row = db.session.scalar(insert_unless_taken(ComplainantPass, "key_hash").values(values)
                            .returning(ComplainantPass))
    if row is None:
        raise DuplicateSubmission()
    return row


def find(token: str | None, purpose: str, now: datetime) -> tuple[Complaint, str | None] | None:
    """The complaint of a pass and its access code while the pass is fresh (else None for the
    code). An expired tracking pass opens nothing; an expired filing pass still names the
    complaint (the repeated form is still recognised) but no longer shows the code."""
    if not token:
        return None
    row = db.session.scalar(select(ComplainantPass).where(ComplainantPass.key_hash == _key_hash(token),
                                                          ComplainantPass.purpose == purpose))
    if row is None:
        return None
    if now >= row.expires_at:
        row.sealed_code = None  # erased at the first look after expiry, purged within a day
        return (row.complaint, None) if purpose == FILED else None
    return row.complaint, _unseal(token, row.sealed_code) if row.sealed_code else None


def forget(token: str | None, purpose: str) -> None:
    """The complainant is done with the code on screen: erase it now (the pass itself stays, so
    the same form sent again is still recognised)."""
    if token:
        db.session.execute(update(ComplainantPass).where(ComplainantPass.key_hash == _key_hash(token),
                                                         ComplainantPass.purpose == purpose)
                           .values(sealed_code=None))


def purge(now: datetime) -> int:
    """Passes older than RECEIPT_KEEP_HOURS go (the window in which a resubmission is recognised)."""
    cutoff = now - timedelta(hours=current_app.config["RECEIPT_KEEP_HOURS"])
    # Expired codes are erased even from passes kept for recognising a resubmitted form.
    db.session.execute(update(ComplainantPass).where(ComplainantPass.expires_at <= now,
                                                     ComplainantPass.sealed_code.is_not(None))
                       .values(sealed_code=None))
    return db.session.execute(delete(ComplainantPass).where(ComplainantPass.created_at < cutoff)).rowcount
