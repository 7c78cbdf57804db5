"""Authorities, users and API tokens (SPEC §1)."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db

NATIONAL = "CN"


class Role:
    ADMIN = "admin"
    OFFICER = "officer"
    OPERATOR = "operator"
    OVERSIGHT = "oversight"
    ALL = (ADMIN, OFFICER, OPERATOR, OVERSIGHT)


class Authority(db.Model):
    """MIIT (`CN`) or a provincial communications administration (GB/T 2260 code) [M 3]."""

    __tablename__ = "authorities"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    authority_zh: Mapped[str] = mapped_column(String(60))
    authority_en: Mapped[str] = mapped_column(String(100))
    # [C 9] when a province has no acceptance body, its complaints are routed to CN.
    accepts_complaints: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def is_national(self) -> bool:
        return self.code == NATIONAL

    def display_name(self, lang: str) -> str:
        return self.authority_zh if lang.startswith("zh") else self.authority_en

    def region_name(self, lang: str) -> str:
        return self.name_zh if lang.startswith("zh") else self.name_en


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    display_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    authority_code: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("operators.id"))
    is_publisher: Mapped[bool] = mapped_column(Boolean, default=False)
    # The authority's head gets the queue of officer misses (SPEC §3 escalation).
    is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    # [M 7] enforcement-credential number shown during inspections.
    credential_no: Mapped[str | None] = mapped_column(String(40))
    is_active_user: Mapped[bool] = mapped_column(Boolean, default=True)
    # Part of the web session's identifier; log-out increments it (access/sessions.py).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    authority: Mapped[Authority | None] = relationship()
    operator = relationship("Operator")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.is_active_user

    def get_id(self) -> str:  # Flask-Login: what the session cookie carries
        return f"{self.id}:{self.session_version or 0}"

    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_operator_staff(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_national_officer(self) -> bool:
        return self.is_officer and self.authority_code == NATIONAL

    @property
    def label(self) -> str:
        return self.display_name or self.username


class ApiToken(db.Model):
    """A bearer token; only its keyed hash (HMAC-SHA-256) is stored (the token itself is shown once)."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_valid(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at and self.user.is_active
