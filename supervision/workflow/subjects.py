"""The kinds of record that carry deadlines, and what the shared machinery needs of each.

A workflow registers its record kind once (`register_subject`); the sweep, the "what is
due" view and the calendar recomputation then treat it like every other kind.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select

from supervision.extensions import db
from supervision.workflow.models import Deadline


@dataclass(frozen=True)
class Subject:
    type: str                                       # Deadline.subject_type
    model: type
    # The record's audit chain: (entity type, entity id).
    audit_key: Callable[[object], tuple[str, str]]
    # A short human label for lists ("TS-44-20261126-123456", "Order 粤通整〔2026〕3号").
    label: Callable[[object], str]
    # The officer's web page of one record: an endpoint and the record attribute that is its
    # URL keyword, e.g. ("officer.complaint_detail", "reference"). Every kind has one: the
    # "what is due" view links each line to it.
    endpoint: tuple[str, str]
    # What happens when one of its clocks is missed (escalation, notifications); returns
    # how many escalations it made.
    on_missed: Callable[[Deadline, object, datetime], int]
    # Takes the record's row lock by id (the sweep and an action never interleave on one record).
    lock: Callable[[int], None] = lambda record_id: None
    # Ids of records whose clocks stand still now (a complaint awaiting information).
    paused_ids: Callable[[], Select] | None = None
    # Who is reminded before the due date (ClockPolicy.reminder_days): queues the reminder and
    # says whether it was new (the notification's dedupe key makes reruns send nothing).
    on_reminder: Callable[[Deadline, object, int, datetime], bool] | None = None


_SUBJECTS: dict[str, Subject] = {}


def register_subject(subject: Subject) -> Subject:
    # Called only while the modules load, before any mutant can be active.
    _SUBJECTS[subject.type] = subject  # pragma: no mutate
    return subject


def subject(type_: str) -> Subject:
    try:
        return _SUBJECTS[type_]
    except KeyError:
        raise LookupError(f"no deadline subject {type_!r}: register it with register_subject") from None


def subjects() -> list[Subject]:
    return list(_SUBJECTS.values())


def record_of(deadline: Deadline):
    return db.session.get(subject(deadline.subject_type).model, deadline.subject_id)


def audit_key_of(deadline: Deadline) -> tuple[str, str]:
    return subject(deadline.subject_type).audit_key(record_of(deadline))


def paused_subject_ids() -> list[tuple[str, Select]]:
    return [(s.type, s.paused_ids()) for s in subjects() if s.paused_ids]


def ids_in_scope(subject_: Subject, user) -> Select:
    """The ids of this kind of record the user may see (the one scoping rule of access/)."""
    from supervision.access.scoping import scoped

    return scoped(select(subject_.model), user).with_only_columns(subject_.model.id)
