"""Append-only audit trail with a hash chain per record (SPEC §9).

Every state change of every record goes through `record_event`. Each event stores the hash
of the previous event of the same record, so altering or deleting a stored row breaks the
chain, and `verify_chain` names the first broken event.

The hash format, documented so that anyone can re-check a chain without this code:
    hash = SHA-256 hex of (prev_hash + JSON(content)), UTF-8
where prev_hash is the previous event's hash (64 zeros for the first event of a record) and
content is the object {entity_type, entity_id, seq, action, actor_id, actor_label, role, at,
before, after, note, public_note}, with `at` in ISO 8601 UTC to the microsecond, serialised
with sorted keys, no spaces (separators "," and ":") and non-ASCII characters kept as is.
"""
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, mapped_column

from supervision.db_types import UTCDateTime
from supervision.extensions import db

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did it: a user, the complainant (by access code) or the system (scheduler)."""

    user_id: int | None
    label: str
    role: str

    @classmethod
    def of(cls, user) -> "Actor":
        return cls(user.id, user.username, user.role)


COMPLAINANT = Actor(None, "complainant", "complainant")
SYSTEM = Actor(None, "scheduler", "system")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "seq", name="uq_audit_events_chain"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
    # Whether the note may be shown to the complainant (replies, requests for information).
    public_note: Mapped[bool] = mapped_column(Boolean, default=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def content_hash(self) -> str:
        return event_hash(self.prev_hash, self._canonical())

    def _canonical(self) -> dict:
        return {
            "entity_type": self.entity_type, "entity_id": self.entity_id, "seq": self.seq,
            "action": self.action, "actor_id": self.actor_id, "actor_label": self.actor_label,
            "role": self.role, "at": self.at.isoformat(timespec="microseconds"),
            "before": self.before, "after": self.after, "note": self.note, "public_note": self.public_note,
        }


def event_hash(prev_hash: str, content: dict) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _append_only(mapper, connection, target):
    raise RuntimeError("audit events are append-only")


def record_event(entity_type: str, entity_id, action: str, actor: Actor, now: datetime,
                 before: dict | None = None, after: dict | None = None,
                 note: str | None = None, public_note: bool = False,
                 first_of_record: bool = False) -> AuditEvent:
    """Append one event to the record's chain (flushes; the caller's transaction commits).

    Two writers racing on the same record collide on (entity, seq) and one transaction
    fails, rather than forking the chain. `first_of_record`: the record was created in this
    transaction, so its chain starts here and the last link need not be read (intake).
    """
    # Both the flag and the LIMIT only save reading: the answer is the same without them.
    last = None if first_of_record else db.session.execute(  # pragma: no mutate
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.seq.desc()).limit(1)  # pragma: no mutate
    ).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    ev = AuditEvent(entity_type=entity_type, entity_id=str(entity_id), seq=seq, action=action,
                    actor_id=actor.user_id, actor_label=actor.label, role=actor.role, at=now,
                    before=before, after=after, note=note, public_note=public_note, prev_hash=prev_hash)
    ev.hash = ev.content_hash()
    db.session.add(ev)
    db.session.flush()
    return ev


def events_of(entity_type: str, entity_id) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
        .order_by(AuditEvent.seq)
    ))


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    entity: str
    seq: int
    reason: str


def verify_chain(batch_size: int = 1000) -> Iterator[tuple[int, ChainBreak | None]]:
    """Walk every chain in order; yields (events checked, first break or None) as it goes."""
    stmt = select(AuditEvent).order_by(AuditEvent.entity_type, AuditEvent.entity_id, AuditEvent.seq)
    current, expected_prev, expected_seq, checked = None, GENESIS, 1, 0
    for ev in db.session.scalars(stmt.execution_options(yield_per=batch_size)):
        key = (ev.entity_type, ev.entity_id)
        if key != current:
            current, expected_prev, expected_seq = key, GENESIS, 1
        entity = f"{ev.entity_type}/{ev.entity_id}"
        problem = None
        if ev.seq != expected_seq:
            problem = f"sequence gap: expected #{expected_seq}, found #{ev.seq} (an event was deleted)"
        elif ev.prev_hash != expected_prev:
            problem = "previous-hash link broken (an earlier event was altered or removed)"
        elif ev.content_hash() != ev.hash:
            problem = "content does not match its hash (this event was altered)"
        checked += 1
        if problem:
            yield checked, ChainBreak(ev.id, entity, ev.seq, problem)
            return
        expected_prev, expected_seq = ev.hash, ev.seq + 1
        if checked % batch_size == 0:
            yield checked, None
    yield checked, None
