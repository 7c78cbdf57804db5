"""Notifications: queued in the same transaction as the change, delivered by a job.

A message is claimed (queued → sending) with a conditional UPDATE before it is sent and
marked sent afterwards; a crash between the two leaves it `sending`, and after a lease
it is claimed again, so no message is lost (at worst one is sent twice, under the same
Message-ID). A refusal (4xx, a closed connection) is retried with doubling back-off.
No personal data goes into a message body: only references, states and dates.
"""
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, update

from supervision.access.models import Role, User
from supervision.db_insert import insert_unless_taken
from supervision.extensions import db
from supervision.notifications.models import Notification

log = logging.getLogger(__name__)
CLAIM_LEASE = timedelta(minutes=10)
BATCH = 100


def queue(dedupe_key: str, subject: str, body: str, now: datetime, *,
          user: User | None = None, email: str | None = None) -> bool:
    """Queue a message once per dedupe key; False when it was already queued.

    One statement: the unique key decides, so two writers racing on one event queue it once.
    """
    inserted = db.session.execute(
        insert_unless_taken(Notification, "dedupe_key").values(
            dedupe_key=dedupe_key, recipient_user_id=user.id if user else None,
            recipient_email=email or (user.email if user else None), subject=subject, body=body,
            status="queued", attempts=0, next_attempt_at=now, created_at=now,
        ).returning(Notification.id)
    ).first()
    return inserted is not None


def notify_complainant(complaint, event: str, now: datetime) -> None:
    if not complaint.complainant_email:
        return
    queue(f"complainant:{complaint.reference}:{event}:{now.isoformat()}",
          f"[{complaint.reference}] {event.replace('_', ' ')}",
          f"Your complaint {complaint.reference} is now: {complaint.status}.\n"
          "Track it with your reference and access code on the tracking page.", now,
          email=complaint.complainant_email)


# What the operator's staff are told, by event: each names the deadline they must now meet.
OPERATOR_MESSAGES = {
    "transferred": "Complaint {reference} was transferred to your company. Reply within the deadline shown in the "
                   "operator portal.",
    "supervised": "The regulator is supervising (督办) complaint {reference}. File your supervision report within "
                  "the deadline shown in the operator portal.",
}


def notify_operator(complaint, event: str, now: datetime) -> None:
    body = OPERATOR_MESSAGES[event].format(reference=complaint.reference)
    staff = db.session.scalars(select(User).where(User.role == Role.OPERATOR,
                                                  User.operator_id == complaint.operator_id)).all()
    for user in staff:
        queue(f"operator:{user.id}:{complaint.reference}:{event}:{now.isoformat()}",
              f"[{complaint.reference}] {event}", body, now, user=user)


def notify_officers(complaint, subject: str, body: str, now: datetime, heads_only: bool, key: str) -> None:
    stmt = select(User).where(User.role == Role.OFFICER, User.authority_code == complaint.authority_code)
    if heads_only:
        stmt = stmt.where(User.is_head.is_(True))
    for user in db.session.scalars(stmt):
        queue(f"{key}:{user.id}", subject, body, now, user=user)


class NoRecipient(Exception):
    """Retrying will not help: the message is marked failed at once and kept for an officer to see."""


@dataclass(frozen=True)
class Outgoing:
    """A claimed message, read before the SMTP conversation so no transaction spans it."""

    id: int
    recipient_email: str | None
    subject: str
    body: str
    created_at: datetime


def _claim(notification_id: int, now: datetime) -> Outgoing | None:
    """Compare-and-set queued → sending: of two workers, exactly one gets the row."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id,
               or_(Notification.status == "queued",
                   (Notification.status == "sending") & (Notification.claimed_at < now - CLAIM_LEASE)))
        .values(status="sending", claimed_at=now))
    outgoing = None
    if result.rowcount == 1:
        row = db.session.get(Notification, notification_id)
        outgoing = Outgoing(row.id, row.recipient_email, row.subject, row.body, row.created_at)
    # Committed before sending: on SQLite an open transaction would hold the write lock (and
    # stop every intake) for as long as a slow mail server keeps the conversation going.
    db.session.commit()
    return outgoing


def deliver_due(now: datetime) -> int:
    """Send what is due; each message in its own transaction. Returns how many were sent."""
    due = db.session.scalars(
        select(Notification.id)
        .where(or_(Notification.status == "queued",
                   (Notification.status == "sending") & (Notification.claimed_at < now - CLAIM_LEASE)),
               Notification.next_attempt_at <= now)
        .order_by(Notification.id).limit(BATCH)).all()
    sent = 0
    for notification_id in due:
        outgoing = _claim(notification_id, now)
        if outgoing is None:
            continue  # another process took it
        failure = None
        try:
            _send(outgoing)
        except (NoRecipient, OSError, smtplib.SMTPException) as exc:
            failure = exc
        message = db.session.get(Notification, notification_id)
        if failure is None:
            message.status, message.sent_at = "sent", now
            sent += 1
        elif isinstance(failure, NoRecipient):
            message.status, message.last_error = "failed", str(failure)
        else:
            _schedule_retry(message, now, failure)
        db.session.commit()
    return sent


def _schedule_retry(message: Notification, now: datetime, exc: Exception) -> None:
    cfg = current_app.config
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:300]
    if message.attempts >= cfg["OUTBOX_MAX_ATTEMPTS"]:
        message.status = "failed"
        return
    message.status = "queued"
    message.next_attempt_at = now + timedelta(minutes=cfg["OUTBOX_RETRY_BASE_MINUTES"] * 2 ** (message.attempts - 1))


def message_id(message: Outgoing, sender: str) -> str:
    """The same Message-ID on every attempt: a copy sent twice (a crash between the mail server's
    acceptance and our "sent") is recognised as one message by the receiving side."""
    domain = sender.rpartition("@")[2] or "localhost"
    return f"<notification-{message.id}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def _send(message: Outgoing) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        # No mail server configured: the log is the delivery channel (ids only, no addresses).
        log.info("notification %s: %s", message.id, message.subject)
        return
    if not message.recipient_email:
        raise NoRecipient("no e-mail address for the recipient")
    email = EmailMessage()
    email["From"], email["To"], email["Subject"] = cfg["MAIL_SENDER"], message.recipient_email, message.subject
    email["Message-ID"] = message_id(message, cfg["MAIL_SENDER"])
    email.set_content(message.body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(email)
