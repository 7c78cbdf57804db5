"""Licensed operators, their published hotlines and subscriber counts (SPEC §2)."""
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.access.models import NATIONAL
from supervision.db_types import UTCDateTime
from supervision.extensions import db

LICENCE_TYPES = ("basic", "value_added")  # 基础电信 / 增值电信
SCOPES = ("national", "provincial")
SANCTIONS = ("suspended", "revoked")
STATUSES = ("active", "not_yet_valid", "expired", "suspended", "revoked")
CHANNEL_KINDS = ("phone", "web", "app", "wechat", "email", "counter")


class Operator(db.Model):
    __tablename__ = "operators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    licence_no: Mapped[str] = mapped_column(String(60), unique=True)
    licence_type: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    # Provincial operators belong to one province; national ones report to CN [M 18].
    province: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"), index=True)
    licence_valid_from: Mapped[date] = mapped_column(Date)
    licence_valid_until: Mapped[date] = mapped_column(Date)
    sanction: Mapped[str | None] = mapped_column(String(16))
    # Derived from the dates and the sanction by the daily job and on every write.
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    hotlines: Mapped[list["Hotline"]] = relationship(
        back_populates="operator", cascade="all, delete-orphan", order_by="Hotline.id")
    subscriber_counts: Mapped[list["SubscriberCount"]] = relationship(
        back_populates="operator", cascade="all, delete-orphan",
        order_by="(SubscriberCount.quarter.desc(), SubscriberCount.province)")

    @property
    def supervising_authority(self) -> str:
        """Where the operator reports: CN for national operators, else its province [M 18]."""
        return NATIONAL if self.scope == "national" else self.province

    @classmethod
    def active_on(cls, day: date):
        """SQL for "active on `day`": rules.derive_operator_status == "active" as a query condition.

        Lists use the licence dates, not the stored status (refreshed once a day), so a licence
        that ran out this morning leaves the public list now.
        """
        return and_(cls.sanction.is_(None), cls.licence_valid_from <= day, cls.licence_valid_until >= day)

    def operates_in(self, province: str) -> bool:
        return self.scope == "national" or self.province == province

    def display_name(self, lang: str) -> str:
        return self.name_en if (self.name_en and not lang.startswith("zh")) else self.name

    @property
    def primary_hotline(self) -> str | None:
        phones = [h.number for h in self.hotlines if h.kind == "phone"]
        return phones[0] if phones else None


class Hotline(db.Model):
    """A published complaint hotline or channel [M 16]."""

    __tablename__ = "hotlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="phone")
    number: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(100))

    operator: Mapped[Operator] = relationship(back_populates="hotlines")


class SubscriberCount(db.Model):
    """Subscribers per province per quarter, the denominator of per-million complaint rates."""

    __tablename__ = "subscriber_counts"
    __table_args__ = (UniqueConstraint("operator_id", "province", "quarter", name="uq_subscriber_counts_cell"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), index=True)
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    quarter: Mapped[str] = mapped_column(String(6))
    subscribers: Mapped[int] = mapped_column(BigInteger)

    operator: Mapped[Operator] = relationship(back_populates="subscriber_counts")
