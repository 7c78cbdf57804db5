"""Evidence files: type sniffed from the bytes, size-limited, stored outside the web root
under a random key, with the SHA-256 recorded (SPEC §3, §6)."""
import hashlib
import os
import secrets
from datetime import datetime
from pathlib import Path

from flask import current_app

from supervision.access.models import Role, User
from supervision.access.scoping import province_in_scope
from supervision.audit import COMPLAINANT, Actor, record_event
from supervision.complaints.models import Attachment, Complaint, lock_complaint
from supervision.complaints.transitions import OPEN_STATES
from supervision.errors import Conflict, Forbidden, ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l

# What a file really is, from its first bytes; the name and the browser's claim are ignored.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"\x89PNG\r\n\x1a\n", "image/png"))
MAX_ATTACHMENTS_PER_COMPLAINT = 20


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def _safe_name(filename: str) -> str:
    name = os.path.basename((filename or "evidence").replace("\\", "/")).strip() or "evidence"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def _size_text(size: int) -> str:
    """10 MB, 1.5 KB, 100 bytes: a limit below 1 MB must not read "0 MB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


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
    lock_complaint(complaint.id)  # it appends to the complaint's audit chain, and judges the state
    db.session.flush()
    db.session.refresh(complaint, ["status", "transferred_at"])  # as the previous writer left it
    check_may_attach(complaint, actor)
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not content:
        raise ValidationFailed.field("file", _l("the file is empty"))
    if len(content) > limit:
        raise ValidationFailed.field("file", _l("the file is larger than %(limit)s", limit=_size_text(limit)))
    kind = sniff(content[:16])
    if kind is None:
        raise ValidationFailed.field("file", _l("only PDF, JPEG and PNG files are accepted"))
    if len(complaint.attachments) >= MAX_ATTACHMENTS_PER_COMPLAINT:
        raise ValidationFailed.field("file", _l("at most %(count)d files per complaint",
                                                 count=MAX_ATTACHMENTS_PER_COMPLAINT))
    key = secrets.token_hex(16)
    path = Path(current_app.config["UPLOAD_DIR"]) / key[:2] / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    attachment = Attachment(complaint_id=complaint.id, filename=_safe_name(filename), content_type=kind,
                            size=len(content), sha256=hashlib.sha256(content).hexdigest(), storage_key=key,
                            uploaded_by_role=actor.role, uploaded_at=now)
    db.session.add(attachment)
    db.session.flush()
    record_event("complaint", complaint.reference, "attach", actor, now,
                 after={"attachment": attachment.id, "sha256": attachment.sha256, "size": attachment.size})
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / attachment.storage_key[:2] / attachment.storage_key
