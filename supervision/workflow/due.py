"""The officer's "what is due": every kind of deadline in the caller's scope, nearest first."""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from supervision.extensions import db
from supervision.workflow.models import Deadline
from supervision.workflow.subjects import Subject, ids_in_scope, subjects

MAX_ITEMS = 500


@dataclass(frozen=True)
class DueItem:
    subject_type: str
    subject_id: int
    label: str
    clock: str
    due: date
    state: str
    provisional: bool
    legal_source: str
    owed_by: str
    # url_for(endpoint, **url_args) opens the record's page.
    endpoint: str
    url_args: dict
    # Past its due date: missed, or about to be marked so by the next sweep (a missed clock's
    # date is always past: an override that moves it later makes it pending again).
    overdue: bool


def due_items(user, today: date, *, limit: int, kinds: list[str] | None = None,
              until: date | None = None) -> list[DueItem]:
    """Clocks still awaiting their stop event (missed ones first of all), of the records `user` may see."""
    chosen = [s for s in subjects() if not kinds or s.type in kinds]
    if not chosen:
        return []
    in_scope = or_(*(and_(Deadline.subject_type == s.type, Deadline.subject_id.in_(ids_in_scope(s, user)))
                     for s in chosen))
    stmt = select(Deadline).where(Deadline.stopped_at.is_(None), in_scope)
    if until:
        stmt = stmt.where(Deadline.due <= until)
    deadlines = list(db.session.scalars(stmt.order_by(Deadline.due, Deadline.id).limit(min(limit, MAX_ITEMS))))
    records = _load_records(deadlines, {s.type: s for s in chosen})
    return [_item(d, records[(d.subject_type, d.subject_id)], next(s for s in chosen if s.type == d.subject_type),
                  today)
            for d in deadlines if (d.subject_type, d.subject_id) in records]


def _load_records(deadlines: list[Deadline], kinds: dict[str, Subject]) -> dict:
    """One query per kind of record, not one per deadline."""
    wanted: dict[str, set[int]] = {}
    for d in deadlines:
        wanted.setdefault(d.subject_type, set()).add(d.subject_id)
    records = {}
    for type_, ids in wanted.items():
        model = kinds[type_].model
        for record in db.session.scalars(select(model).where(model.id.in_(ids))):
            records[(type_, record.id)] = record
    return records


def _item(deadline: Deadline, record, kind: Subject, today: date) -> DueItem:
    return DueItem(subject_type=kind.type, subject_id=record.id, label=kind.label(record), clock=deadline.clock,
                   due=deadline.due, state=deadline.state, provisional=deadline.provisional,
                   legal_source=deadline.policy.legal_source, owed_by=deadline.policy.owed_by,
                   endpoint=kind.endpoint[0], url_args={kind.endpoint[1]: getattr(record, kind.endpoint[1])},
                   overdue=deadline.due < today)
