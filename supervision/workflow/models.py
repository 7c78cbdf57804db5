"""Deadlines of any record, their policies, and the admin's calendar corrections (SPEC §3)."""
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, and_, text
from sqlalchemy.orm import Mapped, declared_attr, foreign, mapped_column, relationship

from supervision.db_types import UTCDateTime
from supervision.extensions import db

CLOCK_STATES = ("pending", "due_soon", "met", "missed")
RUNNING_CLOCK_STATES = ("pending", "due_soon")


class ClockPolicy(db.Model):
    """A deadline as data: length, unit, legal source, who owes it, and reminders."""

    __tablename__ = "clock_policies"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    # `fixed` clocks have no length: their due date is set by a rule or an officer (15 July,
    # the deadline written in a rectification order) and the policy gives their legal source.
    length: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(10))  # working | calendar | fixed
    start_event: Mapped[str] = mapped_column(String(40))
    stop_event: Mapped[str] = mapped_column(String(40))
    legal_source: Mapped[str] = mapped_column(String(120))
    # Who is late when it is missed: the operator or the authority (decides the escalation).
    owed_by: Mapped[str] = mapped_column(String(16))
    # Calendar days before the due date on which the party that owes it is reminded.
    reminder_days: Mapped[list | None] = mapped_column(JSON)


class Deadline(db.Model):
    """One clock of one record (`subject_type`, `subject_id`): a complaint, a report, an order…"""

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "clock", name="uq_deadlines_subject_clock"),
        # The sweep selects only running clocks by due date (SPEC §3: never the whole table).
        Index("ix_deadlines_state_due", "state", "due"),
        Index("ix_deadlines_subject", "subject_type", "subject_id"),
        # The queues read complaints by their nearest clock still awaiting its stop event
        # (complaints/queue.py): few of all clocks, in due order, without touching the rest.
        Index("ix_deadlines_awaiting_stop", "subject_type", "due", "subject_id",
              sqlite_where=text("stopped_at IS NULL"), postgresql_where=text("stopped_at IS NULL")),
        # The sweep's reminders read only the clocks whose policy has reminders (migration 0013).
        Index("ix_deadlines_clock_state_due", "clock", "state", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(Integer)
    clock: Mapped[str] = mapped_column(ForeignKey("clock_policies.name"))
    started_on: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10))
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # Days the clock stood still (a complaint awaiting information), in the clock's own unit.
    paused_days: Mapped[int] = mapped_column(Integer, default=0)
    explanation: Mapped[dict] = mapped_column(JSON)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    policy: Mapped[ClockPolicy] = relationship()

    @property
    def running(self) -> bool:
        return self.state in RUNNING_CLOCK_STATES

    @property
    def awaiting_stop(self) -> bool:
        """Its stop event has not happened yet (a missed clock still awaits a late answer)."""
        return self.stopped_at is None


class HasDeadlines:
    """Mixin for a model whose records carry deadlines: `record.deadlines`, `record.deadline(clock)`.

    The subject type names the record's kind in the shared `deadlines` table; register the
    kind in `workflow/subjects.py` so the sweep and the "what is due" view know it.
    """

    deadline_subject: ClassVar[str]

    @declared_attr
    def deadlines(cls) -> Mapped[list[Deadline]]:
        return relationship(
            Deadline,
            primaryjoin=lambda: and_(Deadline.subject_type == cls.deadline_subject,
                                     foreign(Deadline.subject_id) == cls.id),
            order_by=Deadline.id, cascade="all, delete-orphan", overlaps="deadlines")

    def deadline(self, clock: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.clock == clock), None)


class CalendarOverride(db.Model):
    """An admin's correction of the official calendar for one day, with its source."""

    __tablename__ = "calendar_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(300))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
