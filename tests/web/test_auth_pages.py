"""Log-in and log-out through the web form; landing pages per role; navigation per user."""
import re

import pytest

PASSWORD = "Correct-horse-1"
EN = {"Accept-Language": "en"}


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password} | extra, headers=EN)


def test_officer_logs_in_and_lands_on_the_complaints_queue(client, factory):
    factory.officer("32", username="li.officer")
    response = log_in(client, "li.officer")
    assert response.status_code == 303
    assert response.headers["Location"] == "/officer/complaints"
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert "li.officer" in home and 'action="/logout"' in home
    assert 'href="/officer/complaints"' in home  # the officer's navigation


@pytest.mark.parametrize(("role", "landing"), [("admin", "/admin/calendar"), ("operator", "/portal/")])
def test_each_role_lands_on_its_own_page(client, factory, role, landing):
    operator = factory.operator() if role == "operator" else None
    factory.user(role, operator=operator, username=f"{role}-user")
    response = log_in(client, f"{role}-user")
    assert response.status_code == 303
    assert response.headers["Location"].rstrip("/") == landing.rstrip("/")


@pytest.mark.parametrize("username", ["li.officer", "nobody"])
def test_wrong_password_or_unknown_user_get_the_same_message(client, factory, username):
    factory.officer("32", username="li.officer")
    response = log_in(client, username, "wrong-password")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Wrong username or password." in page and 'role="alert"' in page
    assert 'action="/logout"' not in client.get("/", headers=EN).get_data(as_text=True)


def test_logout_ends_the_session(client, factory):
    factory.officer("32", username="li.officer")
    log_in(client, "li.officer")
    response = client.post("/logout", headers=EN)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    home = client.get("/", headers=EN).get_data(as_text=True)
    assert 'href="/login"' in home and 'href="/officer/complaints"' not in home


def test_logout_is_not_a_get(client):
    assert client.get("/logout").status_code == 405


def test_next_is_followed_only_to_a_local_path(client, factory):
    factory.officer("32", username="li.officer")
    assert log_in(client, "li.officer", next="/operators?q=a").headers["Location"] == "/operators?q=a"
    client.post("/logout")
    assert log_in(client, "li.officer", next="https://evil.example/").headers["Location"] == "/officer/complaints"


def test_login_form_keeps_the_next_page(client):
    page = client.get("/login?next=/track", headers=EN).get_data(as_text=True)
    assert re.search(r'name="next" type="hidden" value="/track"', page)
    assert 'for="username"' in page and 'for="password"' in page


def test_public_navigation_has_no_staff_links(client):
    page = client.get("/", headers=EN).get_data(as_text=True)
    for path in ("/operators", "/complaints/new", "/track", "/api/v1/docs", "/login"):
        assert f'href="{path}"' in page
    assert 'href="/officer/complaints"' not in page and 'href="/admin/calendar"' not in page


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None, "no session cookie after log-in"
    return cookie.value


def _replay(app, cookie_value: str):
    """Another browser holding a copy of the cookie."""
    from tests.isolated_client import IsolatedClient

    thief = IsolatedClient(app, app.response_class, use_cookies=True)
    thief.set_cookie("session", cookie_value)
    return thief.get("/officer/complaints", headers=EN)


def test_a_cookie_copied_before_logout_no_longer_opens_pages(app, client, factory):
    """Issue 6 item 4: the saved cookie replayed after /logout still opened /officer/complaints."""
    factory.officer("32", username="li.officer")
    log_in(client, "li.officer")
    saved = _session_cookie(client)
    assert _replay(app, saved).status_code == 200  # the copy works while the session lives
    client.post("/logout", headers=EN)
    replayed = _replay(app, saved)
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/login")
    # Logging in again starts a new session that works.
    log_in(client, "li.officer")
    assert client.get("/officer/complaints", headers=EN).status_code == 200


def test_a_deactivated_user_loses_web_access_at_once(app, client, factory):
    from supervision.extensions import db

    officer = factory.officer("32", username="li.officer")
    log_in(client, "li.officer")
    assert client.get("/officer/complaints", headers=EN).status_code == 200
    officer.is_active_user = False
    db.session.commit()
    response = client.get("/officer/complaints", headers=EN)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
