"""Rate limits by who is asking (SPEC §9, issues 6 and 14): guessers and floods are stopped per
address (access codes also per reference); signed-in users' work is limited per user, generously."""
import io

import pytest
from sqlalchemy import select

from supervision.audit import Actor
from supervision.complaints.models import Complaint
from supervision.complaints.transitions import perform
from supervision.extensions import db, limiter
from tests.conftest import sibling_app
from tests.isolated_client import IsolatedClient

URL = "/api/v1/complaints"


def browser(app) -> IsolatedClient:
    return IsolatedClient(app, app.response_class, use_cookies=True)


@pytest.fixture
def limited(app):
    """Build an app with rate limits on and some settings changed; the shared Limiter is restored."""
    was_enabled = limiter.enabled
    yield lambda **overrides: sibling_app(app, RATELIMIT_ENABLED=True, **overrides)
    limiter.reset()
    limiter.enabled = was_enabled


def number(app, setting: str) -> int:
    return int(app.config[setting].split()[0])


def from_address(address: str) -> dict:
    return {"environ_overrides": {"REMOTE_ADDR": address}}


def assert_429(response, json: bool = True):
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    if json:
        assert set(response.json) == {"code", "message", "errors"} and response.json["code"] == 429
    else:
        assert "text/html" in response.content_type


# --- signed-in users: per user, generously ----------------------------------------------------

def test_an_officer_reading_100_complaints_in_a_minute_is_not_limited(limited, factory):
    officer_headers = factory.headers(factory.officer("32"))
    complaint, _ = factory.complaint(factory.operator())
    client = browser(limited())
    statuses = {client.get(f"{URL}/{complaint.reference}", headers=officer_headers).status_code for _ in range(100)}
    assert statuses == {200}


def test_operator_staff_replying_to_40_complaints_in_a_minute_are_not_limited(limited, factory):
    officer, operator = factory.officer("32"), factory.operator()
    references = []
    for _ in range(40):
        complaint, _ = factory.complaint(operator)
        for action in ("accept", "transfer"):
            perform(complaint, action, {}, Actor.of(officer), factory.now)
        references.append(complaint.reference)
    db.session.commit()
    staff_headers = factory.headers(factory.user("operator", operator=operator))
    client = browser(limited())
    statuses = [client.post(f"{URL}/{ref}/actions/operator_reply", json={"reply": "Refunded 30 yuan."},
                            headers=staff_headers).status_code for ref in references]
    assert statuses == [200] * 40


def test_a_signed_in_users_budget_is_their_own_not_their_addresses(limited, factory):
    first, second = factory.officer("32"), factory.officer("32")
    first_headers, second_headers = factory.headers(first), factory.headers(second)
    client = browser(limited(USER_RATE_LIMIT="5 per minute"))
    statuses = [client.get(URL, headers=first_headers).status_code for _ in range(5)]
    assert statuses == [200] * 5
    assert_429(client.get(URL, headers=first_headers))
    assert client.get(URL, headers=second_headers).status_code == 200  # same address, another user


def test_a_signed_in_web_user_is_limited_per_user(limited, factory):
    officer = factory.officer("32")
    client = browser(limited(USER_RATE_LIMIT="3 per minute"))
    client.post("/login", data={"username": officer.username, "password": "Correct-horse-1"})
    statuses = [client.get("/officer/complaints").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert_429(client.get("/officer/complaints"), json=False)


# --- access codes: per address, and wrong codes per reference ---------------------------------

def test_a_guesser_of_access_codes_is_stopped_per_address(limited, factory):
    complaint, _ = factory.complaint(factory.operator())
    app = limited(ACCESS_CODE_REFERENCE_RATE_LIMIT="1000 per hour")
    limit = number(app, "ACCESS_CODE_RATE_LIMIT")
    client = browser(app)
    statuses = [client.get(f"{URL}/{complaint.reference}", query_string={"access_code": f"GUESS{i}"}).status_code
                for i in range(limit)]
    assert statuses == [404] * limit
    assert_429(client.get(f"{URL}/{complaint.reference}", query_string={"access_code": "GUESS"}))
    # Another address still has its budget.
    assert client.get(f"{URL}/{complaint.reference}", query_string={"access_code": "X"},
                      **from_address("198.51.100.7")).status_code == 404


def test_a_guesser_spread_over_many_addresses_is_stopped_per_reference(limited, factory):
    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    other, other_code = factory.complaint(operator)
    app = limited()
    limit = number(app, "ACCESS_CODE_REFERENCE_RATE_LIMIT")
    client = browser(app)
    statuses = [client.get(f"{URL}/{complaint.reference}", query_string={"access_code": f"GUESS{i}"},
                           **from_address(f"203.0.113.{i}")).status_code for i in range(limit)]
    assert statuses == [404] * limit
    assert_429(client.get(f"{URL}/{complaint.reference}", query_string={"access_code": "GUESS"},
                          **from_address("203.0.113.200")))
    # The reference is closed while it is being guessed at; other complaints are not.
    assert client.get(f"{URL}/{complaint.reference}", query_string={"access_code": code},
                      **from_address("198.51.100.1")).status_code == 429
    assert client.get(f"{URL}/{other.reference}", query_string={"access_code": other_code},
                      **from_address("198.51.100.1")).status_code == 200


def test_right_codes_do_not_spend_the_references_budget(limited, factory):
    complaint, code = factory.complaint(factory.operator())
    app = limited(ACCESS_CODE_REFERENCE_RATE_LIMIT="3 per hour")
    client = browser(app)
    statuses = {client.get(f"{URL}/{complaint.reference}", query_string={"access_code": code},
                           **from_address(f"203.0.113.{i}")).status_code for i in range(10)}
    assert statuses == {200}


def test_evidence_download_and_upload_with_access_codes_are_limited(limited, factory):
    complaint, code = factory.complaint(factory.operator())
    app = limited(ACCESS_CODE_RATE_LIMIT="6 per minute")
    client = browser(app)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    def upload(access_code):
        return client.post(f"{URL}/{complaint.reference}/attachments", content_type="multipart/form-data",
                           data={"access_code": access_code, "file": (io.BytesIO(pdf), "receipt.pdf")})

    stored = upload(code)
    assert stored.status_code == 201
    download = f"{URL}/{complaint.reference}/attachments/{stored.json['id']}"
    statuses = [upload(f"GUESS{i}").status_code for i in range(3)]
    statuses += [client.get(download, query_string={"access_code": f"GUESS{i}"}).status_code for i in range(2)]
    assert statuses == [404] * 5  # six checks in all, the right one included
    assert_429(client.get(download, query_string={"access_code": code}))
    assert_429(upload(code))


def test_the_tracking_page_answers_429_as_a_page(limited, factory):
    complaint, _ = factory.complaint(factory.operator())
    client = browser(limited(ACCESS_CODE_RATE_LIMIT="2 per minute"))
    form = {"reference": complaint.reference, "access_code": "WRONG12345"}
    assert [client.post("/track", data=form).status_code for _ in range(2)] == [404, 404]
    assert_429(client.post("/track", data=form), json=False)
    assert_429(client.post("/track/actions/withdraw", data={"withdraw-reference": complaint.reference,
                                                            "withdraw-access_code": "WRONG12345"}), json=False)


# --- intake: the public, and any token that is not an officer's ------------------------------

@pytest.mark.parametrize("role", ["operator", "oversight", "admin"])
def test_tokens_that_are_not_an_officers_file_under_the_publics_limit(limited, factory, role):
    operator = factory.operator()
    staff = factory.user(role, operator=operator if role == "operator" else None)
    headers = factory.headers(staff)
    app = limited(INTAKE_RATE_LIMIT="3 per hour")
    client = browser(app)
    filed = client.post(URL, json=factory.complaint_body(operator), headers=headers)
    assert filed.status_code == 201
    record = db.session.scalar(select(Complaint).where(Complaint.reference == filed.json["reference"]))
    assert record.channel == "api"  # filed as the public does, not as an officer's phone intake
    assert client.post(URL, json={}, headers=headers).status_code == 422
    backdated = factory.complaint_body(operator, received_at="2026-11-20T09:30:00+08:00")
    assert client.post(URL, json=backdated, headers=headers).status_code == 403
    assert_429(client.post(URL, json=factory.complaint_body(operator), headers=headers))
    assert_429(client.post(URL, json=factory.complaint_body(operator)))  # the same address's public budget


def test_an_officer_recording_letters_is_not_under_the_public_limit(limited, factory):
    officer_headers = factory.headers(factory.officer("32"))
    operator = factory.operator()
    client = browser(limited(INTAKE_RATE_LIMIT="1 per hour"))
    assert client.post(URL, json={}).status_code == 422
    assert_429(client.post(URL, json={}))
    letter = factory.complaint_body(operator, received_at="2026-11-20T09:30:00+08:00")
    assert [client.post(URL, json=letter, headers=officer_headers).status_code for _ in range(3)] == [201] * 3


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc"])
def test_an_empty_or_malformed_authorization_header_is_401_and_never_skips_the_limit(limited, factory, header):
    operator = factory.operator()
    client = browser(limited(INTAKE_RATE_LIMIT="2 per hour"))
    body = factory.complaint_body(operator)
    statuses = [client.post(URL, json=body, headers={"Authorization": header}).status_code for _ in range(4)]
    assert statuses == [401] * 4
    assert [client.post(URL, json=body).status_code for _ in range(3)] == [201, 201, 429]
    assert client.get("/api/v1/operators", headers={"Authorization": header}).status_code == 401


# --- log-in, and the client address behind proxies --------------------------------------------

def test_logins_are_limited_per_address_on_the_web_and_the_api(limited, factory):
    officer = factory.officer("32")
    client = browser(limited(LOGIN_RATE_LIMIT="2 per minute"))
    wrong = {"username": officer.username, "password": "wrong-password"}
    assert [client.post("/api/v1/auth/token", json=wrong).status_code for _ in range(2)] == [401, 401]
    assert_429(client.post("/api/v1/auth/token", json=wrong))
    assert_429(client.post("/login", data=wrong), json=False)
    right = {"username": officer.username, "password": "Correct-horse-1"}
    assert client.post("/api/v1/auth/token", json=right, **from_address("198.51.100.9")).status_code == 200


@pytest.mark.parametrize("proxies, separate", [(1, True), (0, False)])
def test_trusted_proxies_decide_whether_x_forwarded_for_names_the_client(limited, factory, proxies, separate):
    officer = factory.officer("32")
    client = browser(limited(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=proxies))
    wrong = {"username": officer.username, "password": "wrong-password"}

    def login_from(address):
        return client.post("/api/v1/auth/token", json=wrong, headers={"X-Forwarded-For": address}).status_code

    assert [login_from("203.0.113.10") for _ in range(3)] == [401, 401, 429]
    assert login_from("203.0.113.20") == (401 if separate else 429)


def test_every_access_code_check_of_the_http_layer_goes_through_the_limited_helper():
    """A new page or endpoint taking an access code must call blueprints.limits.complaint_by_access_code
    (limited per address and per reference), never the unlimited look-up underneath."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "blueprints"
    unlimited = [str(path.relative_to(root)) for path in root.rglob("*.py") if path.name != "limits.py"
                 and any(name in path.read_text(encoding="utf-8")
                         for name in ("load_complaint_for_complainant", "complaint_for_access_code("))]
    assert unlimited == []


# --- a shared counter store (Redis) that does not answer ------------------------------------

def test_an_unreachable_counter_store_answers_503_with_retry_after_and_files_nothing(limited, factory, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    body = factory.complaint_body(factory.operator())
    client = browser(limited())

    def store_down(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(limiter.limiter, "hit", store_down)
    response = client.post(URL, json=body)
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.json["code"] == 503
    assert db.session.scalar(select(Complaint.id)) is None  # neither unlimited nor half-saved
