"""API log-in (SPEC §9, §10): bearer tokens stored hashed, expiring, revocable; Argon2 passwords; rate limit."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from supervision.access.models import ApiToken, User
from supervision.extensions import db

TOKEN_URL = "/api/v1/auth/token"
PASSWORD = "Correct-horse-1"


def assert_401(response) -> None:
    assert response.status_code == 401, response.json
    body = response.json
    assert body["code"] == 401 and body["message"] and body["errors"] == {}


def log_in(client, username, password=PASSWORD):
    return client.post(TOKEN_URL, json={"username": username, "password": password})


def test_right_password_gives_a_working_token(factory, client):
    officer = factory.officer("32")
    response = log_in(client, officer.username)
    assert response.status_code == 200, response.json
    assert response.json["role"] == "officer"
    token = response.json["token"]
    listing = client.get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200 and listing.json == {"items": [], "next_cursor": None}


def test_token_lifetime_comes_from_configuration(app, factory, client):
    officer = factory.officer("32")
    response = log_in(client, officer.username)
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == officer.id))
    assert stored.expires_at - stored.created_at == timedelta(days=app.config["API_TOKEN_DAYS"])
    assert response.json["expires_at"].startswith(stored.expires_at.date().isoformat())


def test_complaint_list_without_a_token_is_401(client, ctx):
    assert_401(client.get("/api/v1/complaints"))


def test_wrong_password_is_401_with_the_error_shape(factory, client):
    officer = factory.officer("32")
    assert_401(log_in(client, officer.username, "Wrong-horse-1"))
    assert db.session.scalar(select(ApiToken.id)) is None


def test_unknown_user_gets_the_same_401(factory, client):
    factory.officer("32")
    unknown = log_in(client, "nobody")
    assert_401(unknown)
    assert unknown.json["message"] == log_in(client, "officer1", "Wrong-horse-1").json["message"]


def test_deactivated_user_cannot_log_in_and_their_tokens_stop_working(factory, client):
    officer = factory.officer("32")
    headers = factory.headers(officer)
    officer.is_active_user = False
    db.session.commit()
    assert_401(log_in(client, officer.username))
    assert_401(client.get("/api/v1/complaints", headers=headers))


def test_missing_password_is_422_naming_it(client, ctx):
    response = client.post(TOKEN_URL, json={"username": "someone"})
    assert response.status_code == 422
    assert "password" in response.json["errors"]


def test_expired_token_is_401(factory, client, clock):
    headers = factory.headers(factory.officer("32"))  # factory tokens last one day
    assert client.get("/api/v1/complaints", headers=headers).status_code == 200
    clock.advance(days=1, seconds=1)
    assert_401(client.get("/api/v1/complaints", headers=headers))


def test_revoked_token_is_401_and_other_tokens_keep_working(factory, client):
    officer = factory.officer("32")
    first, second = factory.headers(officer), factory.headers(officer)
    assert client.delete(TOKEN_URL, headers=first).status_code == 204
    assert_401(client.get("/api/v1/complaints", headers=first))
    assert client.get("/api/v1/complaints", headers=second).status_code == 200


def test_revoking_needs_a_token(client, ctx):
    assert_401(client.delete(TOKEN_URL))


@pytest.mark.parametrize("header", ["Token abc", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer x",
                                    "Bearer not-a-real-token"])
def test_malformed_or_unknown_authorization_is_401(factory, client, header):
    factory.officer("32")
    assert_401(client.get("/api/v1/complaints", headers={"Authorization": header}))


def test_token_is_stored_hashed(factory, client):
    officer = factory.officer("32")
    token = log_in(client, officer.username).json["token"]
    rows = db.session.execute(text("SELECT * FROM api_tokens")).mappings().all()
    assert len(rows) == 1
    assert all(token not in str(value) for value in rows[0].values())
    assert len(rows[0]["token_hash"]) == 64


def test_passwords_are_argon2id(factory):
    officer = factory.officer("32")
    stored = db.session.scalar(select(User.password_hash).where(User.id == officer.id))
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_log_in_is_rate_limited(rate_limited_app, factory):
    factory.officer("32", username="ratelimited")
    client = rate_limited_app.test_client()
    statuses = [log_in(client, "ratelimited", "Wrong-horse-1").status_code for _ in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    # Even the right password is refused until the minute is over.
    blocked = log_in(client, "ratelimited")
    assert blocked.status_code == 429
    assert blocked.json["code"] == 429 and blocked.json["message"]


def test_rate_limit_state_does_not_leak_into_the_test_app(factory, client):
    factory.officer("32", username="unlimited")
    statuses = {log_in(client, "unlimited", "Wrong-horse-1").status_code for _ in range(12)}
    assert statuses == {401}
