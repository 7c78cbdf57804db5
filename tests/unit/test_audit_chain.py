"""The audit trail's hash chain (SPEC §9): tampering with a stored row is detected and named."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from supervision.audit import GENESIS, Actor, AuditEvent, events_of, record_event, verify_chain
from supervision.extensions import db


def first_break():
    results = list(verify_chain(batch_size=2))
    checked, broken = results[-1]
    return checked, broken


@pytest.fixture
def chains(factory):
    """Two records with three events each, interleaved in time (ids alternate between chains)."""
    now = factory.now
    ids = {"a": [], "b": []}
    for i in range(3):
        for key in ("a", "b"):
            ev = record_event("operator", key, f"step{i}", Actor(None, "tester", "admin"), now + timedelta(minutes=i),
                              before={"n": i}, after={"n": i + 1}, note=f"{key} step {i}")
            ids[key].append(ev.id)
    db.session.commit()
    return ids


def tamper(sql: str, **params) -> None:
    """Change stored rows behind the ORM's back, as someone with database access could."""
    db.session.rollback()  # end the session's transaction: SQLite allows one writer at a time
    with db.engine.begin() as conn:
        conn.execute(text(sql), params)
    db.session.expire_all()


def test_events_link_to_the_previous_one(chains):
    events = events_of("operator", "a")
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert all(e.hash == e.content_hash() for e in events)


def test_intact_chains_verify(chains):
    checked, broken = first_break()
    assert (checked, broken) == (6, None)


@pytest.mark.parametrize("change", [
    "note = 'nothing happened'",
    "after = '{\"n\": 99}'",
    "actor_label = 'someone else'",
    "action = 'other'",
])
def test_altered_row_is_named(chains, change):
    target = chains["a"][1]
    tamper(f"UPDATE audit_events SET {change} WHERE id = :id", id=target)
    _, broken = first_break()
    assert broken is not None
    assert broken.event_id == target and broken.entity == "operator/a" and broken.seq == 2
    assert "altered" in broken.reason


def test_altered_time_is_named(chains):
    target = chains["b"][0]
    moved = db.session.get(AuditEvent, target).at - timedelta(days=3)
    # Stored as naive UTC (supervision/db_types.py), so the raw UPDATE writes it the same way.
    tamper("UPDATE audit_events SET at = :at WHERE id = :id", at=moved.replace(tzinfo=None), id=target)
    assert db.session.get(AuditEvent, target).at == moved
    _, broken = first_break()
    assert broken.event_id == target and "altered" in broken.reason


def test_rewriting_an_event_and_its_hash_breaks_the_next_link(chains):
    target = chains["a"][1]
    row = db.session.get(AuditEvent, target)
    forged = AuditEvent(**{k: getattr(row, k) for k in ("entity_type", "entity_id", "seq", "action", "actor_id",
                                                        "actor_label", "role", "at", "before", "after",
                                                        "public_note")},
                        note="forged", prev_hash=row.prev_hash)
    tamper("UPDATE audit_events SET note = 'forged', hash = :h WHERE id = :id", h=forged.content_hash(), id=target)
    _, broken = first_break()
    assert broken.event_id == chains["a"][2]
    assert "previous-hash" in broken.reason


def test_deleted_middle_event_is_named(chains):
    tamper("DELETE FROM audit_events WHERE id = :id", id=chains["b"][1])
    _, broken = first_break()
    assert broken.event_id == chains["b"][2] and broken.entity == "operator/b"
    assert "deleted" in broken.reason


def test_verify_reports_only_the_first_break(chains):
    tamper("UPDATE audit_events SET note = 'x' WHERE id IN (:a, :b)", a=chains["a"][2], b=chains["b"][0])
    _, broken = first_break()
    assert broken.event_id == chains["a"][2]  # chains are walked in (entity, seq) order: a before b


def test_cli_audit_verify_exit_codes(app, chains):
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0, intact.output
    assert "6 events verified" in intact.stdout
    tamper("UPDATE audit_events SET note = 'rewritten' WHERE id = :id", id=chains["b"][2])
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"event id {chains['b'][2]}" in broken.output and "operator/b #3" in broken.output


def test_orm_cannot_update_or_delete_an_event(chains):
    event = db.session.get(AuditEvent, chains["a"][0])
    event.note = "edited through the ORM"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    event = db.session.get(AuditEvent, chains["a"][0])
    db.session.delete(event)
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.note).where(AuditEvent.id == chains["a"][0])) == "a step 0"


def test_real_actions_are_chained(factory, client):
    """A registration and an edit through the API land on one chain that verifies."""
    operator = factory.operator()
    headers = factory.headers(factory.admin())
    assert client.patch(f"/api/v1/operators/{operator.id}", json={"name": "Renamed Co"},
                        headers=headers).status_code == 200
    events = events_of("operator", operator.id)
    assert [e.action for e in events] == ["register", "edit"]
    assert events[1].actor_label.startswith("admin") and events[1].prev_hash == events[0].hash
    assert first_break()[1] is None


def documented_hash(row: dict) -> str:
    """The hash as audit.py's docstring documents it, written independently of its code."""
    import hashlib
    import json
    content = {key: row[key] for key in ("entity_type", "entity_id", "seq", "action", "actor_id", "actor_label",
                                         "role", "at", "before", "after", "note", "public_note")}
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((row["prev_hash"] + payload).encode("utf-8")).hexdigest()


def test_an_event_hash_can_be_recomputed_from_its_documented_fields(factory):
    """SPEC §9: an outside reviewer re-checks the chain from the stored fields alone."""
    at = factory.now.replace(microsecond=123456)
    officer = factory.officer()
    first = record_event("complaint", 7, "filed", Actor(officer.id, "审核员", "officer"), at,
                         before=None, after={"status": "submitted"}, note="受理", public_note=True)
    second = record_event("complaint", 7, "accepted", Actor(None, "scheduler", "system"), at,
                          before={"status": "submitted"}, after={"status": "accepted"})
    row = {"entity_type": "complaint", "entity_id": "7", "seq": 1, "action": "filed", "actor_id": officer.id,
           "actor_label": "审核员", "role": "officer", "at": at.isoformat(timespec="microseconds"),
           "before": None, "after": {"status": "submitted"}, "note": "受理", "public_note": True,
           "prev_hash": GENESIS}
    assert first.hash == documented_hash(row)
    assert at.isoformat(timespec="microseconds").endswith(".123456+00:00")
    row2 = dict(row, seq=2, action="accepted", actor_id=None, actor_label="scheduler", role="system",
                before={"status": "submitted"}, after={"status": "accepted"}, note=None, public_note=False,
                prev_hash=first.hash)
    assert second.prev_hash == first.hash and second.hash == documented_hash(row2)


@pytest.mark.parametrize("column, value", [
    ("actor_id", None),
    ("actor_label", "someone else"),
    ("role", "officer"),
    ("action", "other"),
    ("before", '{"n": 42}'),
    ("after", '{"n": 42}'),
    ("note", "rewritten"),
    ("public_note", True),
    ("prev_hash", "f" * 64),
    ("hash", "e" * 64),
    ("seq", 9),
])
def test_each_field_changed_alone_breaks_the_chain(factory, chains, column, value):
    """Whatever single column a person with database access changes, `audit verify` names that event."""
    target = chains["a"][1]
    if column == "actor_id":
        tamper("UPDATE audit_events SET actor_id = :v WHERE id = :id", v=factory.officer().id, id=target)
    else:
        tamper(f"UPDATE audit_events SET {column} = :v WHERE id = :id", v=value, id=target)
    _, broken = first_break()
    assert broken is not None, f"changing {column} alone went unnoticed"
    # A changed seq moves the event behind its successor, which the walk then meets out of turn.
    expected = chains["a"][2] if column == "seq" else target
    assert broken.event_id == expected and broken.entity == "operator/a"


def test_verify_names_each_kind_of_break_in_words(chains):
    """`audit verify` tells the auditor what happened, not only where (SPEC §9)."""
    tamper("UPDATE audit_events SET note = 'x' WHERE id = :id", id=chains["a"][0])
    assert first_break()[1].reason == "content does not match its hash (this event was altered)"


def test_the_previous_hash_break_is_named_in_words(chains):
    tamper("UPDATE audit_events SET prev_hash = :h WHERE id = :id", h="f" * 64, id=chains["b"][1])
    broken = first_break()[1]
    assert broken.reason == "previous-hash link broken (an earlier event was altered or removed)"
    tamper("UPDATE audit_events SET prev_hash = :h WHERE id = :id",
           h=db.session.get(AuditEvent, chains["b"][0]).hash, id=chains["b"][1])
    tamper("DELETE FROM audit_events WHERE id = :id", id=chains["b"][1])
    assert first_break()[1].reason == "sequence gap: expected #2, found #3 (an event was deleted)"


def test_verify_reports_progress_every_batch_and_a_final_count(chains):
    """The CLI's progress bar moves every batch; the last answer is the total, with no break."""
    assert list(verify_chain(batch_size=2)) == [(2, None), (4, None), (6, None), (6, None)]
    assert list(verify_chain(batch_size=4)) == [(4, None), (6, None)]
    assert list(verify_chain()) == [(6, None)]  # a default batch larger than the trail: one answer


def test_records_of_two_kinds_with_the_same_id_keep_separate_chains(factory):
    """A complaint 7 and an operator 7 are different records: each chain starts at its own genesis."""
    complaint_event = record_event("complaint", 7, "filed", Actor(None, "tester", "admin"), factory.now)
    operator_event = record_event("operator", 7, "register", Actor(None, "tester", "admin"), factory.now)
    assert (complaint_event.seq, complaint_event.prev_hash) == (1, GENESIS)
    assert (operator_event.seq, operator_event.prev_hash) == (1, GENESIS)
