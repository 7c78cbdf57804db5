"""Users, authentication and API tokens (SPEC §1, §9)."""
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from supervision.access.models import NATIONAL, ApiToken, Authority, Role, User
from supervision.access.passwords import hash_secret, verify_secret
from supervision.access.secret_hashes import API_TOKEN, keyed_hash
from supervision.audit import Actor, record_event
from supervision.errors import ValidationFailed
from supervision.extensions import db

MIN_PASSWORD_LENGTH = 10
# Verifying against a throw-away hash when the user does not exist keeps the answer time
# the same, so response timing does not reveal which usernames exist.
_DUMMY_HASH: str | None = None


def create_user(username: str, password: str, role: str, now: datetime, *, authority: str | None = None,
                operator_id: int | None = None, publisher: bool = False, head: bool = False,
                credential: str | None = None, display_name: str | None = None,
                email: str | None = None, actor: Actor | None = None) -> User:
    # Hashed first, before any query opens a transaction: Argon2 takes ~100 ms and must not
    # hold SQLite's write lock meanwhile.
    password_hash = hash_secret(password or "")
    errors = _user_problems(username, password, role, authority, operator_id)
    errors |= _length_problems(username=username, credential=credential, display_name=display_name, email=email)
    if errors:
        raise ValidationFailed("Invalid user; nothing was saved.", errors)
    user = User(username=username, password_hash=password_hash, role=role,
                authority_code=authority if role == Role.OFFICER else None,
                operator_id=operator_id if role == Role.OPERATOR else None,
                is_publisher=publisher and role == Role.OFFICER, is_head=head and role == Role.OFFICER,
                credential_no=credential, display_name=display_name, email=email, created_at=now)
    db.session.add(user)
    db.session.flush()
    record_event("user", user.id, "create", actor or Actor(None, "cli", "admin"), now,
                 after={"username": username, "role": role, "authority": user.authority_code,
                        "operator_id": user.operator_id, "publisher": user.is_publisher})
    return user


def _user_problems(username, password, role, authority, operator_id) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not username or db.session.scalar(select(User.id).where(User.username == username)):
        errors["username"] = ["username is empty or already taken"]
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = [f"password must have at least {MIN_PASSWORD_LENGTH} characters"]
    if role not in Role.ALL:
        errors["role"] = [f"role must be one of {', '.join(Role.ALL)}"]
    if role == Role.OFFICER and (not authority or db.session.get(Authority, authority) is None):
        errors["authority"] = [f"an officer needs a known authority code ({NATIONAL} or a province)"]
    if role == Role.OPERATOR and operator_id is None:
        errors["operator"] = ["operator staff need the licence number of their operator"]
    return errors


def _length_problems(**values: str | None) -> dict[str, list[str]]:
    """Longer than its column: PostgreSQL would refuse the row with a driver error."""
    columns = {"username": User.username, "credential": User.credential_no, "display_name": User.display_name,
               "email": User.email}
    return {field: [f"{field} must be at most {columns[field].type.length} characters"]
            for field, value in values.items() if value and len(value) > columns[field].type.length}


def authenticate(username: str, password: str) -> User | None:
    global _DUMMY_HASH
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_secret(secrets.token_hex(8))
        verify_secret(_DUMMY_HASH, password)
        return None
    if not user.is_active or not verify_secret(user.password_hash, password):
        return None
    return user


def _digest(raw_token: str) -> str:
    # Tokens are 256-bit random values: a keyed fast hash makes a stolen table useless (SPEC §9).
    # Tokens stored before keyed hashes (plain SHA-256) no longer match: clients log in again.
    return keyed_hash(raw_token, API_TOKEN)


def issue_token(user: User, now: datetime, days: int) -> tuple[str, ApiToken]:
    raw = secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, token_hash=_digest(raw), created_at=now,
                     expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    return raw, token


def user_for_token(raw_token: str, now: datetime) -> User | None:
    digest = _digest(raw_token)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    return token.user if token.is_valid(now) else None


def revoke_token(raw_token: str, now: datetime) -> bool:
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw_token)))
    if token is None or token.revoked_at is not None:
        return False
    token.revoked_at = now
    return True
