"""SPEC §9 settings a deployment relies on: rate limits, secure session cookies, the secret key."""
import logging

from supervision.config import DEV_SECRET_KEY
from tests.conftest import sibling_app
from tests.isolated_client import IsolatedClient


def browser(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


def test_public_intake_is_rate_limited_but_officers_recording_letters_are_not(rate_limited_app, factory):
    officer_headers = factory.headers(factory.officer("32"))
    client = browser(rate_limited_app)
    limit = int(rate_limited_app.config["INTAKE_RATE_LIMIT"].split()[0])
    statuses = [client.post("/api/v1/complaints", json={}).status_code for _ in range(limit + 1)]
    assert statuses[:limit] == [422] * limit and statuses[limit] == 429
    assert client.post("/api/v1/complaints", json={}, headers=officer_headers).status_code == 422


def test_guessing_access_codes_is_rate_limited(rate_limited_app, factory):
    complaint, _ = factory.complaint(factory.operator())
    client = browser(rate_limited_app)
    limit = int(rate_limited_app.config["ACCESS_CODE_RATE_LIMIT"].split()[0])
    # Guesses spread over references: the per-address limit stops them (one reference has its own).
    references = [complaint.reference] + [f"TS-32-20261126-{i:06d}" for i in range(limit)]
    statuses = [client.get(f"/api/v1/complaints/{reference}", query_string={"access_code": "GUESS"}).status_code
                for reference in references]
    assert statuses[:limit] == [404] * limit and statuses[limit] == 429


def test_the_session_cookie_is_secure_httponly_and_samesite_by_default(app, factory):
    officer = factory.officer("32")
    production_like = sibling_app(app, SESSION_COOKIE_SECURE=True)
    response = browser(production_like).post(
        "/login", data={"username": officer.username, "password": "Correct-horse-1"})
    assert response.status_code == 303
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_starting_with_the_development_secret_key_warns(app, caplog):
    with caplog.at_level(logging.WARNING, logger="supervision.app"):
        sibling_app(app, SECRET_KEY=DEV_SECRET_KEY, TESTING=False)
    assert any("SECRET_KEY is the development default" in r.getMessage() for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="supervision.app"):
        sibling_app(app, SECRET_KEY="a-long-random-production-key", TESTING=False)
    assert not any("SECRET_KEY" in r.getMessage() for r in caplog.records)
