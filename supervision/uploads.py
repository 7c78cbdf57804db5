"""Uploaded evidence, for every kind of record (SPEC §3, §6): the type sniffed from the bytes,
size-limited, stored outside the web root under a random key, with its SHA-256 recorded.

Complaint attachments, inspection evidence and rectification reports all go through here,
so one set of checks guards every upload.
"""
import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from supervision.errors import ValidationFailed
from supervision.i18n import _l

# What a file really is, from its first bytes; the name and the browser's claim are ignored.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
              (b"\x89PNG\r\n\x1a\n", "image/png"))


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_key: str


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def safe_name(filename: str) -> str:
    name = os.path.basename((filename or "evidence").replace("\\", "/")).strip() or "evidence"
    return "".join(ch for ch in name if ch.isprintable())[:200]


def size_text(size: int) -> str:
    """10 MB, 1.5 KB, 100 bytes: a limit below 1 MB must not read "0 MB"."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def checked_type(content: bytes) -> str:
    """The file's real type, or 422 naming the rule it breaks (empty, too large, not accepted)."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    if not content:
        raise ValidationFailed.field("file", _l("the file is empty"))
    if len(content) > limit:
        raise ValidationFailed.field("file", _l("the file is larger than %(limit)s", limit=size_text(limit)))
    kind = sniff(content[:16])
    if kind is None:
        raise ValidationFailed.field("file", _l("only PDF, JPEG and PNG files are accepted"))
    return kind


def store_upload(filename: str, content: bytes) -> StoredFile:
    """Check and write the file; the caller records the returned facts on its own record."""
    kind = checked_type(content)
    key = secrets.token_hex(16)
    path = stored_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return StoredFile(safe_name(filename), kind, len(content), hashlib.sha256(content).hexdigest(), key)


def stored_path(storage_key: str) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / storage_key[:2] / storage_key
