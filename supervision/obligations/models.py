"""Retention attestations [M 17] and self-inspection reports [M 18]."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint
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
