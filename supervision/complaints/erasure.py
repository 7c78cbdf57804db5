"""Erasing complainants' personal data once the retention period is over (个人信息保护法 arts. 19, 47).

A complaint that ended (closed, rejected or withdrawn: `closed_at` is set) more than
PERSONAL_DATA_RETENTION_YEARS ago loses what identifies the person or is their own account:

- name, phone, email, address and ID number (SPEC §9);
- the complainant's own words: the facts, the request and the rating comment (free text can
  hold anything: an account number, a neighbour's name);
- the evidence files (an ID card, a bill), removed from storage with their rows;
- the email address on the complainant's past notifications.

What the statistics and the supervision record need stays: reference, operator, province,
authority, category, dates, status, outcome, clocks, score, and the audit chain. The chain is
append-only and hashed, so its notes are not rewritten; they are written by staff who are told
never to copy personal data into notes (templates/_complaint_record.html). Each erasure is an
audit event of its own.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Select, func, select, update

from supervision.audit import SYSTEM, Actor, record_event
from supervision.complaints.attachments import attachment_path
from supervision.complaints.models import Attachment, Complaint
from supervision.extensions import db
from supervision.notifications.models import Notification

log = logging.getLogger(__name__)

# Column → the value it keeps after erasure (the NOT NULL ones become empty text).
ERASED_VALUES = {"complainant_name": "", "complainant_phone": "", "complainant_email": None,
                 "complainant_address": None, "complainant_id_number": None, "description": "", "request": "",
                 "rating_comment": None}


def retention_cutoff(now: datetime, years: int) -> datetime:
    """Complaints that ended before this moment are past retention (29 February → 28th)."""
    if years < 1:
        raise ValueError("PERSONAL_DATA_RETENTION_YEARS must be at least 1")
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def due_for_erasure(cutoff: datetime) -> Select:
    # Served by ix_complaints_closed_at: only complaints that ended before the cut-off are read.
    return select(Complaint).where(Complaint.closed_at < cutoff, Complaint.personal_data_erased_at.is_(None))


@dataclass(frozen=True)
class ErasureReport:
    """What a run would erase, in counts only (a dry run prints no personal data)."""

    cutoff: datetime
    complaints: int
    by_status: dict
    attachments: int
    attachment_bytes: int
    notifications: int
    oldest_ended: datetime | None
    newest_ended: datetime | None


def erasure_report(cutoff: datetime) -> ErasureReport:
    due = due_for_erasure(cutoff).subquery()
    by_status = dict(db.session.execute(select(due.c.status, func.count()).group_by(due.c.status)).all())
    oldest, newest = db.session.execute(select(func.min(due.c.closed_at), func.max(due.c.closed_at))).one()
    files, size = db.session.execute(
        select(func.count(Attachment.id), func.coalesce(func.sum(Attachment.size), 0))
        .where(Attachment.complaint_id.in_(select(due.c.id)))).one()
    notifications = db.session.scalar(
        select(func.count(Notification.id)).join(due, Notification.dedupe_key.like(_notification_prefix(due.c.reference)))
        .where(Notification.recipient_email.is_not(None)))
    return ErasureReport(cutoff, sum(by_status.values()), by_status, files, int(size), notifications,
                         _aware(oldest), _aware(newest))


def _aware(moment):
    # An aggregate bypasses the column type: SQLite returns text, PostgreSQL an aware datetime.
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment


def _notification_prefix(reference):
    # notifications/outbox.py keys the complainant's messages "complainant:<reference>:<event>:<time>".
    return "complainant:" + reference + ":%"


def erase_personal_data(complaint: Complaint, now: datetime, actor: Actor = SYSTEM) -> list[Path]:
    """Erase one complaint's personal data (flushes); returns the evidence files to remove
    from storage, which the caller deletes before committing."""
    erased = [column for column, blank in ERASED_VALUES.items() if getattr(complaint, column) not in (None, "")]
    for column, blank in ERASED_VALUES.items():
        setattr(complaint, column, blank)
    complaint.personal_data_erased_at = now
    files = [attachment_path(a) for a in complaint.attachments]
    for attachment in list(complaint.attachments):
        db.session.delete(attachment)
    emails = db.session.execute(
        update(Notification).where(Notification.dedupe_key.like(_notification_prefix(complaint.reference)),
                                   Notification.recipient_email.is_not(None))
        .values(recipient_email=None)).rowcount
    record_event("complaint", complaint.reference, "erase_personal_data", actor, now,
                 after={"personal_data_erased_at": now.isoformat(), "fields": erased,
                        "attachments_removed": len(files), "notification_emails_removed": emails})
    return files


def erase_due(cutoff: datetime, now: datetime, batch_size: int,
              progress: Callable[[int], None] | None = None) -> int:
    """Erase every complaint past the cut-off, one transaction per batch (committed here, as a
    job run commits), so a first run over years of complaints never holds a lock for long.

    Safe in two processes at once: a batch is taken with FOR UPDATE SKIP LOCKED on PostgreSQL
    (each process erases other complaints) and under SQLite's write lock (BEGIN IMMEDIATE), and
    only complaints not yet erased are taken. Files are removed before the commit: if the
    commit fails the complaint is still due and the next run finishes it (a file already gone
    is fine), so an erasure is never recorded while its files remain."""
    total = 0
    while True:
        batch = list(db.session.scalars(due_for_erasure(cutoff).order_by(Complaint.id).limit(batch_size)
                                        .with_for_update(skip_locked=True)))
        if not batch:
            return total
        files = [path for complaint in batch for path in erase_personal_data(complaint, now)]
        db.session.flush()
        for path in files:
            path.unlink(missing_ok=True)
        db.session.commit()
        total += len(batch)
        log.info("personal data erased from %d complaints (%d files)", len(batch), len(files))
        if progress:
            progress(len(batch))
