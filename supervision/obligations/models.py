"""Retention attestations [M 17] and self-inspection reports [M 18]."""
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db
from supervision.workflow.models import HasDeadlines


class RetentionAttestation(db.Model):
    """An operator's statement: in billing system S, province P, it held days earliest..latest on as_of.

    The judgement on its as-of date is stored with it (the window and the holds of that day
    are history), so the answer the operator got stays what it was.
    """

    __tablename__ = "retention_attestations"
    __table_args__ = (Index("ix_retention_attestations_latest", "operator_id", "system", "province", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"))
    system: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    earliest_day: Mapped[date] = mapped_column(Date)
    latest_day: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)
    required_from: Mapped[date] = mapped_column(Date)
    required_to: Mapped[date] = mapped_column(Date)
    held_months: Mapped[list] = mapped_column(JSON)
    gaps: Mapped[list] = mapped_column(JSON)          # [{"from": "YYYY-MM-DD", "to": ...}]
    compliant: Mapped[bool] = mapped_column(Boolean)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")


class SelfInspection(HasDeadlines, db.Model):
    """A half-year self-inspection report (自查报告), routed to CN or the operator's province."""

    __tablename__ = "self_inspections"
    __table_args__ = (UniqueConstraint("operator_id", "period", name="uq_self_inspections_period"),)
    deadline_subject = "self_inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    period: Mapped[str] = mapped_column(String(6))               # 2026H1
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # draft submitted returned accepted
    checklist: Mapped[list] = mapped_column(JSON)                # [{item, text, result, explanation}]
    metrics: Mapped[dict] = mapped_column(JSON)
    prefilled: Mapped[dict] = mapped_column(JSON)
    problems: Mapped[str | None] = mapped_column(Text)
    corrective_actions: Mapped[str | None] = mapped_column(Text)
    return_comment: Mapped[str | None] = mapped_column(Text)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")

    @property
    def report_id(self) -> int:
        """The URL keyword of its pages (the "what is due" view links by it)."""
        return self.id


class BillingSample(HasDeadlines, db.Model):
    """A seeded random sample of (account, month) pairs of raw billing data an operator must produce."""

    __tablename__ = "billing_samples"
    deadline_subject = "billing_sample"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    # The draw's inputs, stored so `flask retention sample --replay ID` reproduces it.
    seed: Mapped[int] = mapped_column(BigInteger)
    accounts: Mapped[list] = mapped_column(JSON)
    months: Mapped[list] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer)
    drawn_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12))   # awaiting | complete
    drawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
    items: Mapped[list["SampleItem"]] = relationship(back_populates="sample", order_by="SampleItem.id",
                                                     cascade="all, delete-orphan")

    @property
    def sample_id(self) -> int:
        """The URL keyword of its pages (the "what is due" view links by it)."""
        return self.id


class SampleItem(db.Model):
    __tablename__ = "sample_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("billing_samples.id"), index=True)
    account_ref: Mapped[str] = mapped_column(String(60))
    month: Mapped[str] = mapped_column(String(7))
    produced: Mapped[bool | None] = mapped_column(Boolean)   # None: not answered yet
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(60))
    sha256: Mapped[str | None] = mapped_column(String(64))
    storage_key: Mapped[str | None] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sample: Mapped[BillingSample] = relationship(back_populates="items")



class DepositEntry(db.Model):
    """One movement of an operator's service-quality deposit [M 14]; the balance is their sum."""

    __tablename__ = "deposit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))           # deposit | deduction | refund
    amount_fen: Mapped[int] = mapped_column(BigInteger)     # always > 0; the kind gives the sign
    reason: Mapped[str | None] = mapped_column(Text)
    decision_ref: Mapped[str | None] = mapped_column(String(80))
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FormatClause(db.Model):
    """One version of an operator's standard contract terms (格式条款) filed with the authority [M 15]."""

    __tablename__ = "format_clauses"
    __table_args__ = (UniqueConstraint("operator_id", "title", "version", name="uq_format_clauses_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))     # filed | accepted | changes_requested
    review_comment: Mapped[str | None] = mapped_column(Text)
    filed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
