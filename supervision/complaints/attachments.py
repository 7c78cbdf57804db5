"""Complaint evidence: the shared upload checks and storage (supervision/uploads.py), kept on
the complaint with its SHA-256 (SPEC §3)."""
from datetime import datetime
from pathlib import Path

from supervision.audit import Actor, record_event
from supervision.complaints.models import Attachment, Complaint, lock_complaint
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.uploads import checked_type, store_upload, stored_path

MAX_ATTACHMENTS_PER_COMPLAINT = 20


def store_attachment(complaint: Complaint, filename: str, content: bytes, actor: Actor, now: datetime) -> Attachment:
    checked_type(content)  # refuse a bad file before taking the complaint's lock
    lock_complaint(complaint.id)  # it appends to the complaint's audit chain
    if len(complaint.attachments) >= MAX_ATTACHMENTS_PER_COMPLAINT:
        raise ValidationFailed.field("file", _l("at most %(count)d files per complaint",
                                                 count=MAX_ATTACHMENTS_PER_COMPLAINT))
    stored = store_upload(filename, content)
    attachment = Attachment(complaint_id=complaint.id, filename=stored.filename, content_type=stored.content_type,
                            size=stored.size, sha256=stored.sha256, storage_key=stored.storage_key,
                            uploaded_by_role=actor.role, uploaded_at=now)
    db.session.add(attachment)
    db.session.flush()
    record_event("complaint", complaint.reference, "attach", actor, now,
                 after={"attachment": attachment.id, "sha256": attachment.sha256, "size": attachment.size})
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return stored_path(attachment.storage_key)
