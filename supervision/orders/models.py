"""Rectification orders (限期整改通知书) [M 6, M 13], penalty rules and decisions [M 21–23],
and the document-number counters (SPEC §7)."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db
from supervision.workflow.models import HasDeadlines

ORDER_STATES = ("issued", "plan_filed", "completion_reported", "reopened", "closed")
PENALTY_STATES = ("draft", "approved", "published")
MEASURES = ("warning", "fine")

order_findings = Table(
    "order_findings", db.metadata,
    Column("order_id", ForeignKey("rectification_orders.id", ondelete="CASCADE"), primary_key=True),
    Column("finding_id", ForeignKey("findings.id"), primary_key=True),
)


class DocumentCounter(db.Model):
    """The last number given per authority, year and kind of document (粤通整〔2026〕3号)."""

    __tablename__ = "document_counters"

    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class RectificationOrder(HasDeadlines, db.Model):
    __tablename__ = "rectification_orders"
    deadline_subject = "order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    requirement: Mapped[str] = mapped_column(Text)
    deadline_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), index=True)
    # Set by the sweep when the deadline passed without a completion report.
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    round: Mapped[int] = mapped_column(Integer, default=1)
    plan: Mapped[str | None] = mapped_column(Text)
    completion_report: Mapped[str | None] = mapped_column(Text)
    # Files behind the completion report: [{"filename", "content_type", "size", "sha256", "storage_key"}].
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    verification_note: Mapped[str | None] = mapped_column(Text)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
    authority = relationship("Authority")
    findings = relationship("Finding", secondary=order_findings, order_by="Finding.id")


class PenaltyRule(db.Model):
    """A penalty article as data: the measures it allows and the fine's range, with its source."""

    __tablename__ = "penalty_rules"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)  # M21, M22, M23
    article: Mapped[str] = mapped_column(String(16))
    measures: Mapped[list] = mapped_column(JSON)
    fine_min_yuan: Mapped[int | None] = mapped_column(Integer)
    fine_max_yuan: Mapped[int | None] = mapped_column(Integer)
    # [M 22]: correction and a warning first; a fine only after an order was not complied with.
    fine_cites_order: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_source: Mapped[str] = mapped_column(String(300))


class PenaltyDecision(db.Model):
    __tablename__ = "penalty_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Given when approved, so a refused draft never consumes a number.
    number: Mapped[str | None] = mapped_column(String(40), unique=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    rule: Mapped[str] = mapped_column(ForeignKey("penalty_rules.code"))
    measure: Mapped[str] = mapped_column(String(8))
    amount_yuan: Mapped[int | None] = mapped_column(Integer)
    facts: Mapped[str] = mapped_column(Text)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("rectification_orders.id"))
    status: Mapped[str] = mapped_column(String(12), index=True)
    prepared_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
    authority = relationship("Authority")
    penalty_rule = relationship(PenaltyRule)
    finding = relationship("Finding")
    order = relationship(RectificationOrder)


def lock_order(order_id: int) -> None:
    db.session.execute(select(RectificationOrder.id).where(RectificationOrder.id == order_id).with_for_update())


def lock_penalty(penalty_id: int) -> None:
    db.session.execute(select(PenaltyDecision.id).where(PenaltyDecision.id == penalty_id).with_for_update())
