"""Keyed hashes for the secrets the system makes itself: access codes and API tokens (SPEC §9).

These are random, high-entropy values, so a slow password hash (Argon2) buys nothing against
a stolen table and costs ~100 ms of CPU per check — a denial-of-service lever and, when only
existing records pay it, a timing oracle. An HMAC-SHA-256 with a server key costs microseconds
and makes a stolen table useless without the key. Passwords, chosen by people, stay Argon2.

The key is SECRET_HASH_KEY when set (recommended in production: rotating SECRET_KEY, which
signs session cookies, then leaves citizens' access codes working), else derived from
SECRET_KEY. Each purpose gets its own derived key, so an access-code hash can never be
replayed as a token hash.
"""
import hashlib
import hmac

from flask import current_app

ACCESS_CODE = "access-code"
API_TOKEN = "api-token"
_DUMMY_HASH = "0" * 64  # compared against when there is no record: same work, no match


def _server_key() -> bytes:
    config = current_app.config
    return (config.get("SECRET_HASH_KEY") or config["SECRET_KEY"]).encode()


def keyed_hash(secret: str, purpose: str) -> str:
    purpose_key = hmac.new(_server_key(), f"supervision/{purpose}/v1".encode(), hashlib.sha256).digest()
    return hmac.new(purpose_key, secret.encode(), hashlib.sha256).hexdigest()


def keyed_hash_matches(stored_hash: str | None, secret: str, purpose: str) -> bool:
    """Constant-time comparison; with no stored hash, the same work against a dummy (always False)."""
    candidate = keyed_hash(secret or "", purpose)
    same = hmac.compare_digest(stored_hash or _DUMMY_HASH, candidate)
    return same and stored_hash is not None and bool(secret)


def is_legacy_argon2(stored_hash: str | None) -> bool:
    """Access codes filed before keyed hashes were stored as Argon2 (upgraded on first use)."""
    return bool(stored_hash) and stored_hash.startswith("$argon2")
