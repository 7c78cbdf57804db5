"""Keyed hashes for system-made secrets (SPEC §9, issue 6 item 3), SQLite's write lock taken only
by writers, and a busy database answered with 503 + Retry-After (issue 14)."""
import hashlib
import sqlite3
import threading
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from supervision.access import access_codes
from supervision.access.models import ApiToken
from supervision.access.passwords import hash_secret
from supervision.access.secret_hashes import ACCESS_CODE, API_TOKEN, keyed_hash
from supervision.complaints import intake
from supervision.complaints.models import Complaint
from supervision.db_locking import deferred_transactions
from supervision.extensions import db
from tests.conftest import sibling_app
from tests.isolated_client import IsolatedClient

URL = "/api/v1/complaints"


def stored_hash(reference: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Complaint.access_code_hash).where(Complaint.reference == reference))


def test_access_codes_are_stored_as_an_hmac_under_the_server_key(app, client, factory):
    complaint, code = factory.complaint(factory.operator())
    assert stored_hash(complaint.reference) == keyed_hash(code, ACCESS_CODE)
    assert client.get(f"{URL}/{complaint.reference}", query_string={"access_code": code}).status_code == 200
    other_key = IsolatedClient(sibling_app(app, SECRET_HASH_KEY="another-server-key"), app.response_class)
    assert other_key.get(f"{URL}/{complaint.reference}", query_string={"access_code": code}).status_code == 404


def test_a_separate_secret_hash_key_survives_a_secret_key_rotation(app, factory):
    keyed = sibling_app(app, SECRET_HASH_KEY="hash-key-1", SECRET_KEY="session-key-1")
    with keyed.app_context():
        before = keyed_hash("ABCDEFGHJK", ACCESS_CODE)
    rotated = sibling_app(app, SECRET_HASH_KEY="hash-key-1", SECRET_KEY="session-key-2")
    with rotated.app_context():
        assert keyed_hash("ABCDEFGHJK", ACCESS_CODE) == before
        assert keyed_hash("ABCDEFGHJK", API_TOKEN) != before  # one key per purpose


def test_the_lookup_does_the_same_work_whether_the_reference_exists_or_not(factory, monkeypatch):
    complaint, _ = factory.complaint(factory.operator())
    calls = []
    real = access_codes.keyed_hash_matches
    monkeypatch.setattr(access_codes, "keyed_hash_matches",
                        lambda stored, code, purpose: calls.append(stored is not None) or real(stored, code, purpose))
    assert access_codes.complaint_for_access_code(complaint.reference, "WRONGCODE1") is None
    assert access_codes.complaint_for_access_code("TS-32-20261126-000000", "WRONGCODE1") is None
    assert access_codes.complaint_for_access_code("TS-32-20261126-000000", "") is None
    assert calls == [True, False, False]  # one keyed hash and comparison each time, absent or not


def test_an_access_code_stored_as_argon2_is_verified_once_and_rehashed(client, factory):
    complaint, code = factory.complaint(factory.operator())
    complaint.access_code_hash = hash_secret(code)  # as stored before keyed hashes
    db.session.commit()
    wrong = client.get(f"{URL}/{complaint.reference}", query_string={"access_code": "WRONGCODE1"})
    assert wrong.status_code == 404 and stored_hash(complaint.reference).startswith("$argon2")
    assert client.get(f"{URL}/{complaint.reference}", query_string={"access_code": code}).status_code == 200
    assert stored_hash(complaint.reference) == keyed_hash(code, ACCESS_CODE)
    assert client.get(f"{URL}/{complaint.reference}", query_string={"access_code": code}).status_code == 200


def test_api_tokens_are_stored_as_an_hmac_and_old_unkeyed_hashes_no_longer_open(client, factory):
    officer = factory.officer("32")
    issued = client.post("/api/v1/auth/token", json={"username": officer.username, "password": "Correct-horse-1"})
    raw = issued.json["token"]
    hashes = set(db.session.scalars(select(ApiToken.token_hash)))
    assert hashes == {keyed_hash(raw, API_TOKEN)}
    legacy_raw = "legacy-token-made-before-keyed-hashes"
    db.session.add(ApiToken(user_id=officer.id, token_hash=hashlib.sha256(legacy_raw.encode()).hexdigest(),
                            created_at=factory.now, expires_at=factory.now + timedelta(days=1)))
    db.session.commit()
    assert client.get(URL, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    assert client.get(URL, headers={"Authorization": f"Bearer {legacy_raw}"}).status_code == 401


# --- the database's write lock, and a busy database ------------------------------------------



def sqlite_path(app) -> str | None:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None


def write_lock_is_free(path: str) -> bool:
    """Whether another connection could take SQLite's write lock right now (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        other.close()


def test_reads_proceed_while_another_writer_holds_the_lock(app, factory):
    """Reads take no lock; an officer's read of personal data is the exception: its log is a
    write (access/personal_data.py), so it waits for the writer and then answers, never fails."""
    path = sqlite_path(app)
    if path is None:
        pytest.skip("SQLite's database-wide write lock")
    officer_headers = factory.headers(factory.officer("32"))
    complaint, code = factory.complaint(factory.operator())
    officer_read, record_url = [], f"{URL}/{complaint.reference}"
    db.session.commit()
    client = IsolatedClient(sibling_app(app), app.response_class)
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    reader = threading.Thread(target=lambda: officer_read.append(
        client.get(record_url, headers=officer_headers).status_code))
    # The test's own session is committed before each request (IsolatedClient): deferred, so it
    # does not wait for the lock either. Each request runs in a fresh context, with the app's defaults.
    try:
        with deferred_transactions():
            assert client.get(record_url, query_string={"access_code": code}).status_code == 200
            assert client.get(URL, headers=officer_headers).status_code == 200  # no personal data listed
            assert client.get("/healthz").status_code == 200
            reader.start()
            reader.join(timeout=1)
            assert reader.is_alive() and officer_read == []  # queued behind the writer for its log
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    reader.join(timeout=30)
    assert officer_read == [200]


def test_the_password_is_checked_without_holding_the_write_lock(app, factory, monkeypatch):
    path = sqlite_path(app)
    if path is None:
        pytest.skip("SQLite's database-wide write lock")
    from supervision.access import services

    officer = factory.officer("32")
    db.session.commit()
    lock_free_during_check = []
    real_verify = services.verify_secret

    def verify_and_look(stored, password):
        lock_free_during_check.append(write_lock_is_free(path))
        return real_verify(stored, password)

    monkeypatch.setattr(services, "verify_secret", verify_and_look)
    client = IsolatedClient(sibling_app(app), app.response_class)
    credentials = {"username": officer.username, "password": "Correct-horse-1"}
    assert client.post("/api/v1/auth/token", json=credentials).status_code == 200
    assert client.post("/login", data=credentials).status_code == 303
    assert lock_free_during_check == [True, True]


BUSY = {
    "sqlite locked": sqlite3.OperationalError("database is locked"),
    "postgresql serialization": psycopg.errors.SerializationFailure("could not serialize access"),
    "postgresql lock timeout": psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
}


@pytest.mark.parametrize("cause", list(BUSY), ids=list(BUSY))
def test_a_busy_database_answers_503_with_retry_after(client, factory, monkeypatch, cause):
    def busy(*_args, **_kwargs):
        raise OperationalError("INSERT INTO complaints …", {}, BUSY[cause])

    monkeypatch.setattr(intake, "file_complaint", busy)
    operator = factory.operator()
    api = client.post(URL, json=factory.complaint_body(operator))
    assert api.status_code == 503 and int(api.headers["Retry-After"]) > 0
    assert set(api.json) == {"code", "message", "errors"} and api.json["code"] == 503
    page = client.get("/complaints/new")
    assert page.status_code == 200
    form = client.post("/complaints/new", data={})
    assert form.status_code in (422, 503)  # an invalid form never reaches the database


def test_a_busy_database_answers_503_as_a_page_on_the_web(client, factory, monkeypatch):
    from blueprints.web import public

    def busy(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(public, "complaint_by_access_code", busy)
    response = client.post("/track", data={"reference": "TS-32-20261126-000001", "access_code": "ABCDEFGHJK"})
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "text/html" in response.content_type


def test_other_database_errors_stay_500(client, factory, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OperationalError("SELECT …", {}, sqlite3.OperationalError("no such table: complaints"))

    monkeypatch.setattr(intake, "file_complaint", broken)
    assert client.post(URL, json=factory.complaint_body(factory.operator())).status_code == 500
