"""Complaint evidence: the shared upload checks and storage (supervision/uploads.py), kept on
the complaint with its SHA-256 (SPEC §3). Adding evidence is an act of the lifecycle."""
from datetime import datetime
from pathlib import Path

from supervision.access.models import Role, User
from supervision.access.personal_data import ATTACHMENT, record_personal_data_read
from supervision.access.scoping import province_in_scope
from supervision.audit import COMPLAINANT, Actor, record_event
from supervision.complaints.models import Attachment, Complaint, lock_complaint
from supervision.complaints.transitions import OPEN_STATES
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l
from supervision.uploads import checked_type, store_upload, stored_path

MAX_ATTACHMENTS_PER_COMPLAINT = 20


def takes_part(complaint: Complaint, actor: Actor) -> bool:
    """The complainant, an officer in charge of the complaint's province, or the operator's
    staff once the complaint was transferred to it: the parties of the lifecycle (SPEC §3)."""
    if actor.role == COMPLAINANT.role:
        return True
    user = db.session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None or user.role != actor.role:
        return False
    if user.role == Role.OFFICER:
        return province_in_scope(user, complaint.province)
    if user.role == Role.OPERATOR:
        return user.operator_id == complaint.operator_id and complaint.transferred_at is not None
    return False


def check_may_attach(complaint: Complaint, actor: Actor) -> None:
    """Adding evidence is an act of the lifecycle: by a party (else 403), while the complaint is
    open (else 409) — a closed or withdrawn file stays as it was decided."""
    if not takes_part(complaint, actor):
        raise Forbidden(_l("Only the complainant, the officer in charge or the operator the complaint was "
                           "transferred to may add evidence."))
    if complaint.status not in OPEN_STATES:
        raise Conflict(_l("Evidence can be added only while the complaint is open; it is %(state)s.",
                          state=complaint.status), state=complaint.status)


def store_attachment(complaint: Complaint, filename: str, content: bytes, actor: Actor, now: datetime) -> Attachment:
    checked_type(content)  # refuse a bad file before taking the complaint's lock
    lock_complaint(complaint.id)  # it appends to the complaint's audit chain, and judges the state
    db.session.flush()
    db.session.refresh(complaint, ["status", "transferred_at"])  # as the previous writer left it
    check_may_attach(complaint, actor)
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


def attachment_to_read(complaint: Complaint, attachment_id: int, reader: User | None,
                       now: datetime) -> Attachment | None:
    """An evidence file of a complaint already loaded in the reader's scope, None if it has no
    such file. Evidence may show anything about the complainant (an ID card, a bill): staff
    downloading it is a read of personal data (access/personal_data.py)."""
    attachment = next((a for a in complaint.attachments if a.id == attachment_id), None)
    if attachment is not None:
        record_personal_data_read(reader, complaint, [f"attachment:{attachment.id}"], now, kind=ATTACHMENT)
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return stored_path(attachment.storage_key)
