"""The public site: pages in both languages, operator directory, complaint form, tracking, docs, CSRF."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from supervision.access.scoping import load_complaint_for_complainant
from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.complaints.models import Attachment, Complaint
from supervision.extensions import db

EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
PAGES = ["/", "/operators", "/complaints/new", "/track", "/api/v1/docs", "/login"]
REFERENCE = re.compile(r"TS-32-\d{8}-\d{6}")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))[1]


def complaint_count() -> int:
    db.session.remove()
    count = db.session.scalar(select(func.count()).select_from(Complaint))
    db.session.remove()  # SQLite: every transaction takes the write lock (BEGIN IMMEDIATE); give it back
    return count


def form_body(operator, **overrides) -> dict:
    body = {"operator_id": str(operator.id), "province": "32", "topic": "network:coverage",
            "description": "No mobile signal at home since October.", "request": "Fix the coverage",
            "event_date": "2026-10-01", "operator_complaint_date": "2026-10-20", "operator_answer": "none",
            "disputed_months": "", "name": "王小明", "phone": "13800138000", "email": "wxm@example.com",
            "address": "南京市玄武区中山路1号"}
    return body | overrides


# --- pages and languages -------------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_pages_render_in_both_languages(client, path):
    english = client.get(path, headers=EN)
    chinese = client.get(path, headers=ZH)
    assert english.status_code == 200 and chinese.status_code == 200
    assert html_lang(english) == "en"
    assert html_lang(chinese) == "zh-CN"


def test_default_language_is_chinese(client):
    assert html_lang(client.get("/")) == "zh-CN"


def test_language_switch_sets_a_cookie_and_returns_to_the_page(client):
    response = client.post("/lang", data={"lang": "en", "next": "/operators?q=x"}, headers=ZH)
    assert response.status_code == 303
    assert response.headers["Location"] == "/operators?q=x"
    # The explicit choice wins over the browser's Accept-Language.
    assert html_lang(client.get("/", headers=ZH)) == "en"
    client.post("/lang", data={"lang": "zh_CN", "next": "/"})
    assert html_lang(client.get("/", headers=EN)) == "zh-CN"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/lang", data={"lang": "en", "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_language_switch_ignores_unknown_languages(client):
    response = client.post("/lang", data={"lang": "fr", "next": "/"})
    assert "lang=" not in response.headers.get("Set-Cookie", "")


# --- operator directory --------------------------------------------------------------------

def test_directory_lists_only_active_operators_with_hotlines(client, factory):
    factory.operator(name="Active Jiangsu Net", hotline="10010")
    factory.operator(name="Expired Net", valid_until=date(2025, 1, 1))
    page = client.get("/operators", headers=EN).get_data(as_text=True)
    assert "Active Jiangsu Net" in page and "10010" in page
    assert "Expired Net" not in page


def test_directory_search_and_province_filter(client, factory):
    factory.operator(name="Nanjing Fibre", province="32")
    factory.operator(name="Shanghai Mobile Plus", province="31")
    factory.operator(name="Nationwide Tel", scope="national")
    by_name = client.get("/operators?q=fibre", headers=EN).get_data(as_text=True)
    assert "Nanjing Fibre" in by_name and "Shanghai Mobile Plus" not in by_name
    in_shanghai = client.get("/operators?province=31", headers=EN).get_data(as_text=True)
    assert "Shanghai Mobile Plus" in in_shanghai and "Nationwide Tel" in in_shanghai
    assert "Nanjing Fibre" not in in_shanghai


# --- complaint form ------------------------------------------------------------------------

def test_form_lists_active_operators_provinces_and_categories(client, factory):
    factory.operator(name="Active Jiangsu Net")
    factory.operator(name="Expired Net", valid_until=date(2025, 1, 1))
    page = client.get("/complaints/new", headers=ZH).get_data(as_text=True)
    assert "Active Jiangsu Net" in page and "Expired Net" not in page
    assert "江苏" in page and 'value="network:coverage"' in page
    assert 'for="description"' in page  # every input has its label


def test_public_form_files_a_complaint_and_shows_the_access_code_once(client, factory):
    operator = factory.operator()
    response = client.post("/complaints/new", data=form_body(operator), headers=EN)
    # Post / redirect / get: the code travels neither in the URL nor in the cookie.
    assert response.status_code == 303 and response.headers["Location"] == "/complaints/filed"
    confirmation = client.get("/complaints/filed", headers=EN)
    page = confirmation.get_data(as_text=True)
    assert confirmation.headers["Cache-Control"] == "no-store"
    reference = REFERENCE.search(page)[0]
    code = re.search(r'id="access-code">([0-9A-Z]+)<', page)[1]
    assert "shown only this once" in page
    assert "Decision on acceptance" in page and "working day" in page  # deadlines with their explanation
    complaint = load_complaint_for_complainant(reference, code)
    assert complaint.channel == "web" and complaint.complainant_name == "王小明"
    assert code not in client.get("/track", headers=EN).get_data(as_text=True)


def test_billing_complaint_with_disputed_months_and_evidence(client, factory):
    operator = factory.operator()
    data = form_body(operator, topic="billing:overcharge", disputed_months="2026-09， 2026-10",
                     event_date="2026-09-15", operator_complaint_date="2026-10-02")
    data["evidence"] = [(__import__("io").BytesIO(PNG), "bill.png")]
    response = client.post("/complaints/new", data=data, headers=EN, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    db.session.remove()
    complaint = db.session.scalars(select(Complaint)).one()
    assert complaint.disputed_months == ["2026-09", "2026-10"]
    assert [a.filename for a in db.session.scalars(select(Attachment))] == ["bill.png"]


def test_precondition_failure_explains_what_to_do_and_saves_nothing(client, factory):
    operator = factory.operator()
    # Complained to the operator 3 days ago (clock: 2026-11-26) and no answer yet: too early [C 10].
    response = client.post("/complaints/new", headers=EN,
                           data=form_body(operator, operator_complaint_date="2026-11-23", event_date="2026-11-20"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    # A citizen reads the law's name and the articles, not the officers' codes "[C 10][C 13]".
    assert "Articles 10 and 13 of the Measures for Handling Telecommunications User Complaints" in page
    assert "[C 10]" not in page and "wait for its answer" in page
    assert 'role="alert"' in page
    assert complaint_count() == 0


def test_missing_fields_are_marked_on_the_form(client, factory):
    operator = factory.operator()
    response = client.post("/complaints/new", data=form_body(operator, name="", phone="call me"), headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-describedby="name-error"' in page and 'id="phone-error"' in page
    assert complaint_count() == 0


def test_a_file_that_is_not_evidence_saves_nothing(client, factory):
    operator = factory.operator()
    data = form_body(operator) | {"evidence": [(__import__("io").BytesIO(b"MZ\x90 not a pdf"), "virus.exe")]}
    response = client.post("/complaints/new", data=data, headers=EN, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "only PDF, JPEG and PNG" in response.get_data(as_text=True)
    assert complaint_count() == 0


# --- tracking ------------------------------------------------------------------------------

def track(client, reference, code):
    return client.post("/track", data={"reference": reference, "access_code": code}, headers=EN,
                       follow_redirects=True)


def act(client, action, reference, code, **fields):
    data = {f"{action}-reference": reference, f"{action}-access_code": code}
    data |= {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/track/actions/{action}", data=data, headers=EN, follow_redirects=True)


def test_tracking_shows_the_status_with_the_right_code(client, factory):
    complaint, code = factory.complaint(factory.operator())
    response = track(client, complaint.reference, code)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'id="complaint-status">Submitted<' in page
    assert "Complaint filed" in page  # the timeline


def test_tracking_with_a_wrong_code_is_a_404_that_reveals_nothing(client, factory):
    complaint, _code = factory.complaint(factory.operator())
    wrong = track(client, complaint.reference, "WRONGCODE2")
    unknown = track(client, "TS-32-20261126-000000", "WRONGCODE2")
    assert wrong.status_code == 404 and unknown.status_code == 404
    assert "No complaint with this reference and access code" in wrong.get_data(as_text=True)
    assert "Submitted" not in wrong.get_data(as_text=True)


def test_complainant_rates_after_closure(client, factory):
    complaint, code = factory.complaint(factory.operator())
    complaint_id = complaint.id
    officer = Actor.of(factory.officer("32"))
    assert "rate-score" not in track(client, complaint.reference, code).get_data(as_text=True)
    transitions.perform(complaint, "accept", {}, officer, factory.now)
    transitions.perform(complaint, "close", {"outcome": "resolved"}, officer, factory.now)
    db.session.commit()
    assert 'name="rate-score"' in track(client, complaint.reference, code).get_data(as_text=True)
    response = act(client, "rate", complaint.reference, code, score="4", comment="Quick and fair")
    assert response.status_code == 200
    assert "Thank you for rating" in response.get_data(as_text=True)
    db.session.remove()
    rated = db.session.get(Complaint, complaint_id)
    assert (rated.rating_score, rated.rating_comment) == (4, "Quick and fair")


def test_rating_twice_is_refused_with_a_message(client, factory):
    complaint, code = factory.complaint(factory.operator())
    officer = Actor.of(factory.officer("32"))
    transitions.perform(complaint, "accept", {}, officer, factory.now)
    transitions.perform(complaint, "close", {"outcome": "resolved"}, officer, factory.now)
    db.session.commit()
    act(client, "rate", complaint.reference, code, score="5")
    again = act(client, "rate", complaint.reference, code, score="1")
    assert again.status_code == 409
    assert "already rated" in again.get_data(as_text=True)


def test_complainant_withdraws_and_a_wrong_code_cannot(client, factory):
    complaint, code = factory.complaint(factory.operator())
    assert act(client, "withdraw", complaint.reference, "WRONGCODE2").status_code == 404
    response = act(client, "withdraw", complaint.reference, code, note="Solved by the operator")
    assert response.status_code == 200
    assert "Withdrawn" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status == "withdrawn"


def test_complainant_provides_the_information_requested(client, factory):
    complaint, code = factory.complaint(factory.operator())
    transitions.perform(complaint, "request_info", {"note": "Send your bill for October"},
                        Actor.of(factory.officer("32")), factory.now)
    db.session.commit()
    page = track(client, complaint.reference, code).get_data(as_text=True)
    assert "Send your bill for October" in page and 'name="provide_info-note"' in page
    response = act(client, "provide_info", complaint.reference, code, note="Bill attached")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).status == "submitted"


def test_complainant_answers_a_proposed_settlement(client, factory):
    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    officer = Actor.of(factory.officer("32"))
    transitions.perform(complaint, "accept", {}, officer, factory.now)
    transitions.perform(complaint, "transfer", {}, officer, factory.now)
    staff = Actor.of(factory.user("operator", operator=operator))
    transitions.perform(complaint, "operator_reply", {"reply": "We checked the mast.",
                                                      "proposed_settlement": "One month free"}, staff, factory.now)
    db.session.commit()
    page = track(client, complaint.reference, code).get_data(as_text=True)
    assert "We checked the mast." in page and "One month free" in page
    response = act(client, "respond_settlement", complaint.reference, code, decision="accept")
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(Complaint, complaint.id).settlement_response == "accepted"


def test_the_access_code_never_appears_in_a_link(client, factory):
    complaint, code = factory.complaint(factory.operator())
    page = track(client, complaint.reference, code).get_data(as_text=True)
    assert not re.search(rf'(href|action)="[^"]*{code}', page)


# --- API docs and CSRF ---------------------------------------------------------------------

def test_api_docs_are_served_without_a_cdn(client):
    page = client.get("/api/v1/docs", headers=EN).get_data(as_text=True)
    assert "/api/v1/openapi.json" in page and "/api/v1/complaints" in page
    assert "https://" not in re.sub(r'<a [^>]*>', "", page).split("<body>")[0]  # no external head assets
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000


def test_form_post_without_csrf_token_is_refused(app, factory):
    from supervision.app import create_app

    data = form_body(factory.operator())
    db.session.remove()  # release SQLite's write lock before the second app's engine connects
    settings = {key: value for key, value in app.config.items() if key.isupper()}
    guarded = create_app(settings | {"WTF_CSRF_ENABLED": True, "CLOCK": app.extensions["clock"]})
    client = guarded.test_client()
    response = client.post("/complaints/new", data=data, headers=EN)
    assert response.status_code == 400
    assert client.post("/lang", data={"lang": "en", "next": "/"}).status_code == 400
    assert complaint_count() == 0
    # With the token from the page, the same form is let through to validation.
    page = client.get("/complaints/new", headers=EN).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    assert client.post("/complaints/new", data={"csrf_token": token}, headers=EN).status_code == 422


def test_a_nul_character_in_a_form_is_a_clear_400_not_a_server_error(client):
    response = client.post("/track", data={"reference": "TS-32\x00", "access_code": "X"})
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
