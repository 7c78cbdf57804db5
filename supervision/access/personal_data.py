"""Who read which complainant's personal data, and when (SPEC §9; 个人信息保护法 arts. 51, 54).

Every time staff see a complainant's personal data — the record page, the API answer, a
search that matched a name or phone, an evidence file — `record_personal_data_read` notes it.
It is called where personal fields are serialised (complaints/views.py, attachments.py,
queue.py), so a new page or endpoint that shows them cannot forget it.

Why the rows wait in a list instead of being added to the session: a reading request must
not lose its log when its own transaction rolls back (a refused form shown again, an error),
and on SQLite a GET reads in a deferred transaction that must not start writing half-way
(supervision/db_locking.py). The HTTP layer writes the waiting rows once the request's own
transaction has ended, in a short transaction of their own (`write_pending_reads`), and a
request whose log cannot be written answers an error instead of the data.
"""
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import JSON, ForeignKey, Index, Select, String, cast, insert, literal, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from supervision.access.models import Role
from supervision.clock import local_tz
from supervision.complaints.rules import normalize_reference
from supervision.db_types import UTCDateTime
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.i18n import _l

# What kind of reading it was (the oversight page names them).
VIEW, SEARCH, ATTACHMENT, EXPORT = "view", "search", "attachment", "export"
KINDS = (VIEW, SEARCH, ATTACHMENT, EXPORT)
CHANNELS = ("web", "api")
# The personal fields of a complaint (SPEC §9) in the order pages show them.
PERSONAL_FIELDS = ("name", "phone", "email", "address", "id_number")
MASKED = ":masked"  # suffix of a field shown masked (operator staff)
_PENDING = "personal_data_reads_pending"


class PersonalDataRead(db.Model):
    """One reading of one complaint's personal data by one staff member; never changed."""

    __tablename__ = "personal_data_reads"
    __table_args__ = (Index("ix_personal_data_reads_user_at", "user_id", "at"),
                      Index("ix_personal_data_reads_complaint", "complaint_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(16))
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"))
    # The reference stays readable after the complaint's personal data is erased.
    reference: Mapped[str] = mapped_column(String(24))
    # ["name", "phone", "address:masked", "attachment:12", …]
    fields: Mapped[list] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(8))

    user = relationship("User")


def record_personal_data_read(actor, complaints, fields: Iterable[str], now: datetime, *,
                              channel: str | None = None, kind: str = VIEW) -> None:
    """Note that `actor` (a User) saw `fields` of one complaint or several.

    Nothing is noted for the complainant (actor None), nor when no field was shown. `channel`
    is filled in by the HTTP layer when the domain cannot know it (web page or API)."""
    fields = list(fields)
    if actor is None or not fields:
        return
    if not isinstance(complaints, list | tuple):
        complaints = [complaints]
    pending = db.session.info.setdefault(_PENDING, [])
    pending.extend({"at": now, "user_id": actor.id, "role": actor.role, "complaint_id": c.id,
                    "reference": c.reference, "fields": fields, "kind": kind, "channel": channel}
                   for c in complaints)


def record_export_reads(actor, complaints: Select, fields: Iterable[str], now: datetime, channel: str) -> int:
    """An export shows every complaint it selects: one read row each, written by one
    INSERT … SELECT in the caller's transaction (a million ids never pass through Python).
    The caller commits before the first row leaves, so no exported row goes unrecorded."""
    from supervision.complaints.models import Complaint

    fields = list(fields)
    if actor is None or not fields:
        return 0
    chosen = complaints.with_only_columns(Complaint.id, Complaint.reference).order_by(None).subquery()
    fields_json = literal(json.dumps(fields))
    if db.session.get_bind().dialect.name == "postgresql":
        fields_json = cast(fields_json, JSON)  # SQLite keeps JSON as text; PostgreSQL wants the type
    rows = select(literal(now, UTCDateTime), literal(actor.id), literal(actor.role), chosen.c.id,
                  chosen.c.reference, fields_json, literal(EXPORT), literal(channel))
    result = db.session.execute(insert(PersonalDataRead).from_select(
        ["at", "user_id", "role", "complaint_id", "reference", "fields", "kind", "channel"], rows))
    return result.rowcount


def pending_reads() -> list[dict]:
    return list(db.session.info.get(_PENDING, ()))


def write_pending_reads(channel: str) -> int:
    """Insert the waiting rows (one multi-row INSERT, so a 50-row page costs one statement) in
    the current transaction; the caller commits. Returns how many were written."""
    rows = db.session.info.pop(_PENDING, [])
    if not rows:
        return 0
    db.session.execute(insert(PersonalDataRead), [row | {"channel": row["channel"] or channel} for row in rows])
    return len(rows)


def fields_shown(values: dict, masked: Iterable[str] = ()) -> list[str]:
    """The personal fields of a view that carry a value, masked ones marked as such."""
    masked = set(masked)
    return [name + (MASKED if name in masked else "") for name in PERSONAL_FIELDS if values.get(name)]


# --- review by the oversight role (SPEC §9) -----------------------------------------------------

@dataclass(frozen=True)
class ReadFilters:
    """Dates are local (Asia/Shanghai) days, both ends included."""

    user_id: int | None = None
    reference: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def may_review_reads(user) -> bool:
    """Only the oversight role reviews staff reads: it watches officers (SPEC §1) and reads no
    complaint itself, so the log is never reviewed by the people it records."""
    return user is not None and user.role == Role.OVERSIGHT


def check_read_filters(filters: ReadFilters) -> None:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        message = _l("The end date must not be before the start date.")
        raise ValidationFailed(_l("Check the date range."), {"date_to": [message]})


def reads_query(user, filters: ReadFilters) -> Select:
    """The log as `user` may see it (scoped: oversight all, anyone else nothing), filtered."""
    from supervision.access.scoping import scoped

    check_read_filters(filters)
    stmt = scoped(select(PersonalDataRead), user).options(joinedload(PersonalDataRead.user))
    if filters.user_id:
        stmt = stmt.where(PersonalDataRead.user_id == filters.user_id)
    if filters.reference:
        stmt = stmt.where(PersonalDataRead.reference == normalize_reference(filters.reference))
    if filters.date_from:
        stmt = stmt.where(PersonalDataRead.at >= local_midnight(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(PersonalDataRead.at < local_midnight(filters.date_to + timedelta(days=1)))
    return stmt


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=local_tz()).astimezone(UTC)


def readers(user) -> list:
    """The staff who appear in the log (the reviewer's filter choices), by name."""
    from supervision.access.models import User
    from supervision.access.scoping import scoped

    ids = scoped(select(PersonalDataRead.user_id), user).distinct()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.username)))


CSV_HEADER = ("at", "username", "role", "reference", "fields", "kind", "channel")


def csv_rows(stmt: Select, batch: int = 1000) -> Iterator[tuple]:
    """The export of a filtered log, oldest first, read in batches (no personal data: the
    reference and the names of the fields, never their values)."""
    for read in db.session.scalars(stmt.order_by(PersonalDataRead.id).execution_options(yield_per=batch)):
        yield (read.at.astimezone(local_tz()).isoformat(timespec="seconds"), spreadsheet_safe(read.user.username),
               read.role,
               read.reference, " ".join(read.fields), read.kind, read.channel)


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
