"""Findings: the common currency of supervision (SPEC §4–§7).

A finding is a fact an officer or the system established against an operator, with the
article it breaches: a retention gap [M 17], a failed inspection item, an unproduced billing
sample, a late self-inspection report [M 23], or an officer's own observation. Orders cite
findings; penalties cite findings or orders.
"""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db

SOURCES = ("officer", "retention", "inspection", "sample", "self_inspection")
STATES = ("open", "ordered", "closed")


class Finding(db.Model):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int] = mapped_column(ForeignKey("operators.id"), index=True)
    # Where it was found (a province), or None for a national operator's head office.
    province: Mapped[str | None] = mapped_column(ForeignKey("authorities.code"))
    # Who supervises it: the province's authority, or CN (the scope rule reads this).
    authority_code: Mapped[str] = mapped_column(ForeignKey("authorities.code"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    # What raised it ("retention:12:32:billing-a"): a job re-raising the same fact while the
    # finding is open finds it here instead of raising a second one. Cleared when it closes,
    # so the same fact can be raised again later (NULLs never collide in a unique index).
    open_key: Mapped[str | None] = mapped_column(String(160), unique=True)
    article: Mapped[str] = mapped_column(String(16))
    facts: Mapped[str] = mapped_column(Text)
    details: Mapped[dict | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(12), index=True)
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closing_note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    operator = relationship("Operator")
