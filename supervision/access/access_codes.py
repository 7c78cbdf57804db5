"""The complainant's key to their complaint: reference + access code (SPEC §3, §9).

The look-up does the same work whether the reference exists or not (one keyed hash, one
constant-time comparison), so the answer time does not reveal which references exist.
"""
from sqlalchemy import select

from supervision.access.passwords import verify_secret
from supervision.access.secret_hashes import ACCESS_CODE, is_legacy_argon2, keyed_hash, keyed_hash_matches
from supervision.extensions import db


def hash_access_code(access_code: str) -> str:
    return keyed_hash(access_code, ACCESS_CODE)


def complaint_for_access_code(reference: str, access_code: str):
    """The complaint if the code is its own, else None (unknown reference and wrong code alike)."""
    from supervision.complaints.models import Complaint

    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    stored = complaint.access_code_hash if complaint is not None else None
    if is_legacy_argon2(stored):
        return _upgraded_legacy(complaint, access_code)
    return complaint if keyed_hash_matches(stored, access_code, ACCESS_CODE) else None


def _upgraded_legacy(complaint, access_code: str):
    """A code stored as Argon2 before keyed hashes: verified once the slow way, then re-hashed.

    Citizens keep the codes they were given on paper; a migration cannot re-hash them (the
    codes themselves are not stored), so each is upgraded the first time it is used.
    """
    if not access_code or not verify_secret(complaint.access_code_hash, access_code):
        return None
    complaint.access_code_hash = hash_access_code(access_code)
    return complaint
