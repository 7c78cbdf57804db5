"""Complaints (申诉), their deadlines, evidence and preservation holds (SPEC §3)."""
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db
from supervision.workflow.models import (  # noqa: F401  (complaint clocks live in the shared table)
    CLOCK_STATES,
    RUNNING_CLOCK_STATES,
    CalendarOverride,
    ClockPolicy,
    Deadline,
    HasDeadlines,
)

CATEGORIES = {
    # Quarterly statistics group by these (SPEC §3).
    "service": ("quality_of_service", "staff_conduct", "contract", "number_porting", "cancellation", "other"),
    "billing": ("overcharge", "unsubscribed_service", "tariff_change", "promotion", "refund", "other"),
    "network": ("coverage", "outage", "speed", "spam", "personal_information", "other"),
}
OPERATOR_ANSWERS = ("none", "dissatisfied")
OUTCOMES = ("resolved", "partly_resolved", "unresolved")
CHANNELS = ("web", "api", "letter", "phone", "visit")


class Complaint(HasDeadlines, db.Model):
    __tablename__ = "complaints"
    deadline_subject = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    access_code_hash: Mapped[str] = mapped_column(String(255))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    # Where it is handled: the province, or CN when the province has no acceptance body [C 9].
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    category: Mapped[str] = mapped_column(String(16))
    subcategory: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text)
    operator_complaint_date: Mapped[date] = mapped_column(Date)
    operator_answer: Mapped[str] = mapped_column(String(16))
    event_date: Mapped[date] = mapped_column(Date)
    disputed_months: Mapped[list] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # Personal data (SPEC §9): never published, masked for operator staff, never logged.
    complainant_name: Mapped[str] = mapped_column(String(100))
    complainant_phone: Mapped[str] = mapped_column(String(40))
    complainant_email: Mapped[str | None] = mapped_column(String(200))
    complainant_address: Mapped[str | None] = mapped_column(String(300))
    complainant_id_number: Mapped[str | None] = mapped_column(String(40))
    # When the personal data above (and the complainant's own words, and the evidence) were
    # erased after the retention period (complaints/erasure.py); statistics fields stay.
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    status: Mapped[str] = mapped_column(String(20), index=True)
    # The state to return to when information arrives (awaiting_info pauses everything).
    resume_status: Mapped[str | None] = mapped_column(String(20))
    paused_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(20))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    transferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    operator_reply: Mapped[str | None] = mapped_column(Text)
    proposed_settlement: Mapped[str | None] = mapped_column(Text)
    settlement_response: Mapped[str | None] = mapped_column(String(16))
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    # Escalation after a missed clock: "officer" (operator missed) or "head" (officer missed).
    escalation: Mapped[str | None] = mapped_column(String(16), index=True)
    rating_score: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="complaint", order_by="Attachment.id")


def lock_complaint(complaint_id: int) -> None:
    """Take the complaint's row lock for the rest of the transaction.

    Everything that appends to a complaint's audit chain (actions, evidence, the sweep) takes
    this lock first, so two writers never read the same last link (no duplicate-chain error)
    and an action always sees the state the previous writer committed. On SQLite the
    transaction already holds the database's write lock (BEGIN IMMEDIATE) and this is a no-op.
    """
    db.session.execute(select(Complaint.id).where(Complaint.id == complaint_id).with_for_update())


class Attachment(db.Model):
    """Evidence: sniffed type, size-limited, stored outside the web root with its SHA-256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(200), unique=True)
    uploaded_by_role: Mapped[str] = mapped_column(String(16))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime)

    complaint: Mapped[Complaint | None] = relationship(back_populates="attachments")


class PreservationHold(db.Model):
    """Raw billing data of one month an operator must keep while a billing dispute is open [M 17]."""

    __tablename__ = "preservation_holds"
    __table_args__ = (UniqueConstraint("complaint_id", "month", name="uq_preservation_holds_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    province: Mapped[str] = mapped_column(ForeignKey("authorities.code"))
    month: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
