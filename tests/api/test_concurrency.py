"""Concurrency (SPEC §3): simultaneous intakes get distinct references; two sweeps at once change
each clock, write each event and queue each message exactly once.

Each thread runs in its own app context, so it has its own session and database connection,
like two web workers or two scheduler processes. Works on SQLite (file) and PostgreSQL.
"""
import threading
from collections import Counter
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from supervision.audit import Actor, AuditEvent, verify_chain
from supervision.complaints import intake
from supervision.complaints.models import Complaint, Deadline
from supervision.complaints.sweep import sweep_deadlines
from supervision.complaints.transitions import perform
from supervision.extensions import db
from supervision.notifications.models import Notification

pytestmark = pytest.mark.slow
SHANGHAI = ZoneInfo("Asia/Shanghai")


def run_together(app, count: int, work) -> tuple[list, list]:
    """Start `count` threads at the same instant; each runs work(i) in its own app context and commits."""
    # End the test's own transaction first: on SQLite every transaction (BEGIN IMMEDIATE) holds the
    # write lock, and an idle one in the main thread would block every worker.
    db.session.commit()
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def target(i):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[i] = work(i)
                db.session.commit()
            except Exception as exc:  # noqa: BLE001  (collected and asserted on below)
                db.session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def filing(factory, operator):
    from blueprints.api.complaints import ComplaintIn

    data = ComplaintIn().load(factory.complaint_body(operator))
    now = factory.now

    def work(_):
        complaint, _code = intake.file_complaint(data, None, now, "web")
        return complaint.reference

    return work


def test_twelve_simultaneous_intakes_get_distinct_references(app, factory):
    operator = factory.operator()
    references, errors = run_together(app, 12, filing(factory, operator))
    assert errors == []
    assert len(set(references)) == 12
    assert all(ref.startswith("TS-32-20261126-") for ref in references)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 12
    assert db.session.scalar(select(func.count()).select_from(Deadline)) == 24


def test_colliding_random_numbers_are_retried_until_unique(app, factory, monkeypatch):
    """Only three possible references for three simultaneous intakes: every collision is retried."""
    per_thread = threading.local()

    def tiny_randbelow(_limit):
        per_thread.n = getattr(per_thread, "n", -1) + 1
        return per_thread.n % 3  # each thread tries 000000, 000001, 000002 in turn

    monkeypatch.setattr(intake, "secrets", SimpleNamespace(randbelow=tiny_randbelow,
                                                           choice=intake.secrets.choice))
    operator = factory.operator()
    references, errors = run_together(app, 3, filing(factory, operator))
    assert errors == []
    assert sorted(references) == [f"TS-32-20261126-00000{i}" for i in range(3)]
    db.session.expire_all()
    stored = db.session.scalars(select(Complaint.reference).order_by(Complaint.reference)).all()
    assert stored == sorted(references)
    # Each complaint has exactly its own submit event and its own two clocks.
    submitted = db.session.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity_type == "complaint"))
    assert Counter(submitted) == {ref: 1 for ref in references}
    assert db.session.scalar(select(func.count()).select_from(Deadline)) == 6


def test_an_intake_with_no_reference_left_fails_cleanly(app, factory, monkeypatch):
    monkeypatch.setattr(intake, "secrets", SimpleNamespace(randbelow=lambda _limit: 0,
                                                           choice=intake.secrets.choice))
    operator = factory.operator()
    references, errors = run_together(app, 2, filing(factory, operator))
    assert sorted(r for r in references if r) == ["TS-32-20261126-000000"]
    assert [str(e) for e in errors] == ["could not allocate a unique complaint reference"]
    db.session.expire_all()
    # The failed intake left nothing behind.
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.entity_type == "complaint")) == 1
    assert db.session.scalar(select(func.count()).select_from(Deadline)) == 2


def overdue_transfers(factory, count: int) -> list[str]:
    """`count` complaints transferred on Thu 26 Nov 2026: operator reply due Thu 10 Dec."""
    officer = factory.officer("32")
    operator = factory.operator()
    references = []
    for _ in range(count):
        complaint, _ = factory.complaint(operator)
        for action in ("accept", "transfer"):
            perform(complaint, action, {}, Actor.of(officer), factory.now)
        db.session.commit()
        references.append(complaint.reference)
    return references


def test_two_sweeps_at_once_do_everything_exactly_once(app, factory):
    officers = [factory.officer("32"), factory.officer("32", head=True)]  # + the one who transferred
    references = overdue_transfers(factory, 15)
    now = datetime(2026, 12, 11, 10, tzinfo=SHANGHAI).astimezone(UTC)
    results, errors = run_together(app, 2, lambda _: sweep_deadlines(now))
    assert errors == []
    assert sum(r.missed for r in results) == 15
    assert sum(r.escalated for r in results) == 15
    db.session.expire_all()
    events = Counter((e.entity_id, e.action) for e in db.session.scalars(select(AuditEvent)))
    for reference in references:
        assert events[(reference, "clock_missed")] == 1
        assert events[(reference, "escalate")] == 1
    states = db.session.scalars(select(Deadline.state).where(Deadline.clock == "operator_reply")).all()
    assert states == ["missed"] * 15
    escalations = db.session.scalars(select(Notification.dedupe_key)
                                     .where(Notification.dedupe_key.like("escalation:%"))).all()
    assert len(escalations) == 15 * 3 == len(set(escalations))
    assert {key.rsplit(":", 1)[1] for key in escalations} >= {str(o.id) for o in officers}
    assert list(verify_chain())[-1][1] is None


def test_two_sweeps_with_two_missed_clocks_per_complaint(app, factory):
    """Acceptance (3 Dec) and answer (28 Dec) both missed: two clock_missed events, one escalation."""
    head = factory.officer("32", head=True)
    factory.officer("32")
    operator = factory.operator()
    references = [factory.complaint(operator)[0].reference for _ in range(10)]
    now = datetime(2026, 12, 29, 10, tzinfo=SHANGHAI).astimezone(UTC)
    results, errors = run_together(app, 2, lambda _: sweep_deadlines(now))
    assert errors == []
    assert (sum(r.missed for r in results), sum(r.escalated for r in results)) == (20, 10)
    db.session.expire_all()
    events = Counter((e.entity_id, e.action) for e in db.session.scalars(select(AuditEvent)))
    assert all((events[(ref, "clock_missed")], events[(ref, "escalate")]) == (2, 1) for ref in references)
    recipients = db.session.scalars(select(Notification.recipient_user_id)
                                    .where(Notification.dedupe_key.like("escalation:%"))).all()
    assert Counter(recipients) == {head.id: 10}  # one per escalation, to the head only
    assert list(verify_chain())[-1][1] is None


def test_a_sweep_and_an_officer_acting_on_the_same_complaint_both_succeed(app, factory):
    """The officer has read the audit chain's last link when the sweep wants to append to the same
    chain: the sweep must wait for the officer's transaction instead of forking or breaking it."""
    from sqlalchemy import event

    officer = factory.officer("32")
    complaint, _ = factory.complaint(factory.operator())
    perform(complaint, "accept", {}, Actor.of(officer), factory.now)
    db.session.commit()
    reference, actor = complaint.reference, Actor.of(officer)  # read here: the threads have their own sessions
    now = datetime(2026, 12, 25, 10, tzinfo=SHANGHAI).astimezone(UTC)  # answer due Mon 28 Dec: due soon
    officer_appending, sweep_done = threading.Event(), threading.Event()

    def hold_the_officer(mapper, connection, target):
        if threading.current_thread().name.endswith("(officer)") and not officer_appending.is_set():
            officer_appending.set()
            sweep_done.wait(timeout=3)  # with the complaint locked, the sweep cannot finish meanwhile

    def work(i):
        if i == 0:
            threading.current_thread().name += " (officer)"
            record = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
            return perform(record, "mediate", {"note": "Both parties invited"}, actor, now).status
        officer_appending.wait(timeout=10)
        result = sweep_deadlines(now)
        sweep_done.set()
        return result.due_soon

    event.listen(AuditEvent, "before_insert", hold_the_officer)
    try:
        results, errors = run_together(app, 2, work)
    finally:
        event.remove(AuditEvent, "before_insert", hold_the_officer)
    assert errors == []
    assert results == ["mediation", 1]
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == reference)
                                 .order_by(AuditEvent.seq)).all()
    assert actions == ["submit", "accept", "mediate", "clock_due_soon"]
    assert list(verify_chain())[-1][1] is None
