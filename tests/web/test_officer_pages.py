"""Officer pages: operator records in the jurisdiction, registration with the domain's field
errors, the complaint queue, intake by letter, and the action forms."""
import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from supervision.audit import events_of
from supervision.complaints.models import Complaint
from supervision.extensions import db
from supervision.operators.models import Operator, SubscriberCount
from supervision.operators.rules import make_uscc
from tests.isolated_client import IsolatedClient

PASSWORD = "Correct-horse-1"
PDF = b"%PDF-1.4\n" + b"0" * 64


def login(client, user):
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def new_browser(app, user=None) -> IsolatedClient:
    """A browser speaking English, logged in as `user` when given."""
    client = IsolatedClient(app, app.response_class, use_cookies=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return login(client, user) if user is not None else client


@pytest.fixture
def browser(app, factory):
    return lambda user=None: new_browser(app, user)


def text(response) -> str:
    return response.get_data(as_text=True)


def field_error(html: str, field_id: str) -> str:
    """The error block rendered next to one input (see _macros.render_field)."""
    match = re.search(rf'id="{re.escape(field_id)}-error"[^>]*>(.*?)</div>', html, re.S)
    return match[1] if match else ""


def fresh(model, **criteria):
    """The row as stored now (after the requests' own commits)."""
    db.session.expire_all()
    return db.session.scalars(select(model).filter_by(**criteria)).first()


def operator_form(**overrides) -> dict:
    body = {"name": "Jiangsu Broadband Co.", "name_en": "", "uscc": make_uscc("320100", 4242),
            "licence_no": "B1-32-0042", "licence_type": "value_added", "scope": "provincial", "province": "32",
            "licence_valid_from": "2025-01-01", "licence_valid_until": "2029-12-31",
            "hotlines": "025-12345 Customer service\nweb:https://jsbb.example.cn/complaints"}
    return body | overrides


# --- operators ----------------------------------------------------------------------------------

@pytest.fixture
def three_operators(factory):
    return {"jiangsu": factory.operator(province="32", name="Jiangsu Local Net"),
            "national": factory.operator(scope="national", name="China Nationwide Mobile"),
            "zhejiang": factory.operator(province="33", name="Zhejiang Local Net")}


def test_provincial_officer_lists_own_province_and_national_operators_only(browser, factory, three_operators):
    client = browser(factory.officer("32"))
    page = text(client.get("/officer/operators"))
    assert "Jiangsu Local Net" in page and "China Nationwide Mobile" in page
    assert "Zhejiang Local Net" not in page
    assert "Register operator" in page


def test_operator_of_another_province_is_not_found(browser, factory, three_operators):
    client = browser(factory.officer("32"))
    assert client.get(f"/officer/operators/{three_operators['zhejiang'].id}").status_code == 404
    assert client.get(f"/officer/operators/{three_operators['zhejiang'].id}/edit").status_code == 404
    assert client.get(f"/officer/operators/{three_operators['national'].id}").status_code == 200


def test_provincial_officer_may_not_edit_a_national_operator(browser, factory, three_operators):
    client = browser(factory.officer("32"))
    page = text(client.get(f"/officer/operators/{three_operators['national'].id}"))
    assert "/edit" not in page
    assert client.get(f"/officer/operators/{three_operators['national'].id}/edit").status_code == 403


def test_operator_list_filters_by_search_and_status(browser, factory, three_operators):
    factory.operator(province="32", name="Expired Jiangsu Net", valid_until=datetime(2025, 1, 1).date())
    client = browser(factory.officer("32"))
    searched = text(client.get("/officer/operators?q=Nationwide"))
    assert "China Nationwide Mobile" in searched and "Jiangsu Local Net" not in searched
    expired = text(client.get("/officer/operators?status=expired"))
    assert "Expired Jiangsu Net" in expired and "Jiangsu Local Net" not in expired


def test_bad_uscc_shows_the_domain_message_and_saves_nothing_then_the_fixed_form_saves(browser, factory):
    client = browser(factory.officer("32"))
    good = make_uscc("320100", 4242)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    response = client.post("/officer/operators/new", data=operator_form(uscc=bad))
    assert response.status_code == 422
    assert "check character should be" in field_error(text(response), "uscc")
    assert db.session.scalar(select(func.count()).select_from(Operator)) == 0

    response = client.post("/officer/operators/new", data=operator_form(uscc=good))
    assert response.status_code == 302
    saved = fresh(Operator, uscc=good)
    assert response.headers["Location"].endswith(f"/officer/operators/{saved.id}")
    assert [(h.kind, h.number, h.label) for h in saved.hotlines] == [
        ("phone", "025-12345", "Customer service"), ("web", "https://jsbb.example.cn/complaints", None)]
    detail = text(client.get(response.headers["Location"]))
    assert "registered" in detail and "Jiangsu Broadband Co." in detail
    assert "Jiangsu Broadband Co." in text(client.get("/officer/operators"))


def test_provincial_officer_cannot_register_for_another_province(browser, factory):
    client = browser(factory.officer("32"))
    response = client.post("/officer/operators/new", data=operator_form(province="33"))
    assert response.status_code == 422
    assert "Province 33 is outside your jurisdiction" in text(response)
    assert db.session.scalar(select(func.count()).select_from(Operator)) == 0


def test_edit_sets_a_sanction_and_the_status_follows(browser, factory):
    operator = factory.operator(province="32", name="Jiangsu Local Net")
    client = browser(factory.officer("32"))
    form = text(client.get(f"/officer/operators/{operator.id}/edit"))
    assert operator.uscc in form and "10086" in form
    body = operator_form(name="Jiangsu Local Net", uscc=operator.uscc, licence_no=operator.licence_no,
                         hotlines="10086", sanction="suspended")
    response = client.post(f"/officer/operators/{operator.id}/edit", data=body)
    assert response.status_code == 302
    assert fresh(Operator, id=operator.id).status == "suspended"
    assert [e.action for e in events_of("operator", operator.id)] == ["register", "edit"]


def test_subscriber_count_form_records_a_quarter(browser, factory):
    operator = factory.operator(province="32")
    client = browser(factory.officer("32"))
    url = f"/officer/operators/{operator.id}/subscribers"
    assert client.post(url, data={"province": "32", "quarter": "2026Q3", "subscribers": "1200000"}).status_code == 302
    row = fresh(SubscriberCount, operator_id=operator.id)
    assert (row.province, row.quarter, row.subscribers) == ("32", "2026Q3", 1200000)
    bad = client.post(url, data={"province": "32", "quarter": "Q3-2026", "subscribers": "5"})
    assert bad.status_code == 422 and "YYYYQn" in field_error(text(bad), "quarter")


def test_subscriber_form_refuses_another_province(browser, factory):
    """Issue 6 item 1: a Zhejiang officer saved Guangdong's count of a national operator."""
    national = factory.operator(scope="national", province=None)
    client = browser(factory.officer("33"))
    page = text(client.get(f"/officer/operators/{national.id}"))
    assert 'value="33"' in page and 'value="44"' not in page  # only their own province is offered
    url = f"/officer/operators/{national.id}/subscribers"
    refused = client.post(url, data={"province": "44", "quarter": "2026Q3", "subscribers": "1"})
    assert refused.status_code == 422
    assert fresh(SubscriberCount, operator_id=national.id) is None
    assert client.post(url, data={"province": "33", "quarter": "2026Q3", "subscribers": "7"}).status_code == 302
    assert fresh(SubscriberCount, operator_id=national.id).province == "33"


# --- complaints -----------------------------------------------------------------------------------

def test_queue_shows_only_the_officers_province(browser, factory):
    jiangsu, zhejiang = factory.operator(province="32"), factory.operator(province="33")
    mine, _ = factory.complaint(jiangsu, "32")
    theirs, _ = factory.complaint(zhejiang, "33")
    client = browser(factory.officer("32"))
    page = text(client.get("/officer/complaints"))
    assert mine.reference in page and theirs.reference not in page
    assert client.get(f"/officer/complaints/{theirs.reference}").status_code == 404


def test_queue_filters_by_status_and_text(browser, factory):
    operator = factory.operator(province="32")
    coverage, _ = factory.complaint(operator)
    outage, _ = factory.complaint(operator, subcategory="outage", description="Total outage of fixed line since May.")
    client = browser(factory.officer("32"))
    page = text(client.get("/officer/complaints?q=outage"))
    assert outage.reference in page and coverage.reference not in page
    assert coverage.reference not in text(client.get("/officer/complaints?status=accepted"))


def test_heads_queue_link_only_for_the_head(browser, factory):
    client = browser(factory.officer("32"))
    assert "escalation=head" not in text(client.get("/officer/complaints"))
    head = browser(factory.officer("32", head=True))
    assert "escalation=head" in text(head.get("/officer/complaints"))


def test_accept_and_transfer_start_the_operator_reply_clock(browser, factory):
    operator = factory.operator(province="32")
    complaint, _ = factory.complaint(operator)
    client = browser(factory.officer("32"))
    base = f"/officer/complaints/{complaint.reference}"
    detail = text(client.get(base))
    assert f'action="{base}/actions/accept#action-accept"' in detail and "王小明" in detail and "320102199001011234" in detail

    assert client.post(f"{base}/actions/accept", data={"accept-note": "complete"}).status_code == 302
    assert fresh(Complaint, reference=complaint.reference).status == "accepted"
    response = client.post(f"{base}/actions/transfer", data={}, follow_redirects=True)
    assert "The complaint is now Transferred to operator" in text(response)
    stored = fresh(Complaint, reference=complaint.reference)
    assert stored.status == "transferred"
    reply_clock = stored.deadline("operator_reply")
    assert reply_clock is not None and reply_clock.state == "pending"
    assert reply_clock.due.isoformat() in text(client.get(base))


def test_reject_without_a_reason_is_shown_on_the_form_and_changes_nothing(browser, factory):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    client = browser(factory.officer("32"))
    response = client.post(f"/officer/complaints/{complaint.reference}/actions/reject", data={"reject-reason": ""})
    assert response.status_code == 422
    assert field_error(text(response), "reject-reason")
    assert fresh(Complaint, reference=complaint.reference).status == "submitted"


def test_an_action_not_allowed_now_is_a_flashed_error(browser, factory):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    client = browser(factory.officer("32"))
    response = client.post(f"/officer/complaints/{complaint.reference}/actions/transfer", follow_redirects=True)
    assert "Cannot transfer this complaint while it is submitted" in text(response)
    assert fresh(Complaint, reference=complaint.reference).status == "submitted"


def test_each_action_form_carries_its_csrf_token(app, browser, factory, monkeypatch):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    client = browser(factory.officer("32"))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    base = f"/officer/complaints/{complaint.reference}"
    assert client.post(f"{base}/actions/accept").status_code == 400
    token = re.search(r'name="accept-csrf_token"[^>]*value="([^"]+)"', text(client.get(base)))[1]
    assert client.post(f"{base}/actions/accept", data={"accept-csrf_token": token}).status_code == 302
    assert fresh(Complaint, reference=complaint.reference).status == "accepted"


def test_close_records_the_outcome(browser, factory):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    client = browser(factory.officer("32"))
    base = f"/officer/complaints/{complaint.reference}/actions"
    client.post(f"{base}/accept")
    # Closing is a confirmed step with no outcome chosen in advance (issue 6, item 17).
    form = text(client.get(f"/officer/complaints/{complaint.reference}"))
    close_form = form[form.index('id="action-close"'):]
    outcome_select = close_form[:close_form.index("</select>")]
    assert 'name="close-confirm"' in close_form and "selected" not in outcome_select
    unconfirmed = client.post(f"{base}/close", data={"close-outcome": "partly_resolved"})
    assert unconfirmed.status_code == 422 and "Tick the box to confirm" in text(unconfirmed)
    assert fresh(Complaint, reference=complaint.reference).status == "accepted"
    assert client.post(f"{base}/close", data={"close-outcome": "partly_resolved",
                                              "close-confirm": "y"}).status_code == 302
    stored = fresh(Complaint, reference=complaint.reference)
    assert (stored.status, stored.outcome) == ("closed", "partly_resolved")


def intake_form(operator, **overrides) -> dict:
    body = {"received_at": "2026-11-20T09:30", "channel": "letter", "operator_id": str(operator.id),
            "province": "32", "topic": "network:coverage", "description": "No mobile signal at home since October.",
            "request": "Fix the coverage", "event_date": "2026-10-01", "operator_complaint_date": "2026-10-20",
            "operator_answer": "none", "disputed_months": "", "name": "李四", "phone": "13900139000",
            "email": "", "address": "南京市鼓楼区"}
    return body | overrides


def session_data(app, client) -> dict:
    """What the signed (not encrypted) session cookie carries, as anyone holding it can read it."""
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def test_officer_records_a_letter_and_sees_the_access_code_once(app, browser, factory):
    operator = factory.operator(province="32")
    client = browser(factory.officer("32"))
    response = client.post("/officer/complaints/new", data=intake_form(operator))
    assert response.status_code == 303
    filed = text(client.get(response.headers["Location"]))
    reference = re.search(r'id="reference">([^<]+)<', filed)[1]
    code = re.search(r'id="access-code">([2-9A-Z]{10})<', filed)[1]
    # Issue 6, item 11: the code is kept server-side; the readable cookie holds a random key only.
    assert code not in json.dumps(session_data(app, client))
    stored = fresh(Complaint, reference=reference)
    # 09:30 in Asia/Shanghai is 01:30 UTC; the deadlines run from that day.
    assert stored.received_at == datetime(2026, 11, 20, 1, 30, tzinfo=UTC)
    assert stored.channel == "letter" and stored.deadline("acceptance").started_on.isoformat() == "2026-11-20"
    assert code in text(client.get(response.headers["Location"]))  # a reload keeps it on screen
    client.post(f"/officer/complaints/{reference}/filed/done")
    assert 'id="access-code"' not in text(client.get(response.headers["Location"]))


def test_the_same_intake_form_sent_twice_records_one_complaint(browser, factory):
    operator = factory.operator(province="32")
    client = browser(factory.officer("32"))
    token = re.search(r'name="submission_token" type="hidden" value="([^"]+)"',
                      text(client.get("/officer/complaints/new")))[1]
    first = client.post("/officer/complaints/new", data=intake_form(operator, submission_token=token))
    second = client.post("/officer/complaints/new", data=intake_form(operator, submission_token=token))
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 1


def test_intake_refusal_is_shown_next_to_the_field(browser, factory):
    operator = factory.operator(province="32")
    client = browser(factory.officer("32"))
    response = client.post("/officer/complaints/new", data=intake_form(operator, received_at="2026-12-30T09:00"))
    assert response.status_code == 422
    assert "cannot be in the future" in field_error(text(response), "received_at")
    assert db.session.scalar(select(func.count()).select_from(Complaint)) == 0


def test_evidence_download_stays_in_scope(browser, factory):
    from supervision.audit import COMPLAINANT
    from supervision.complaints.attachments import store_attachment

    complaint, _ = factory.complaint(factory.operator(province="32"))
    attachment = store_attachment(complaint, "bill.pdf", PDF, COMPLAINANT, factory.now)
    db.session.commit()
    url = f"/officer/complaints/{complaint.reference}/attachments/{attachment.id}"
    client = browser(factory.officer("32"))
    assert client.get(url).data == PDF
    assert browser(factory.officer("33")).get(url).status_code == 404


# --- access -----------------------------------------------------------------------------------------

def test_anonymous_visitor_is_sent_to_the_login_page(browser):
    client = browser()
    response = client.get("/officer/complaints?status=submitted")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"] and "status" in response.headers["Location"]


@pytest.mark.parametrize("role", ["operator", "admin", "oversight"])
def test_other_roles_are_refused(browser, factory, role):
    client = browser(factory.user(role, operator=factory.operator() if role == "operator" else None))
    for path in ("/officer/complaints", "/officer/operators", "/officer/complaints/new"):
        assert client.get(path).status_code == 403


# --- labels instead of stored codes ---------------------------------------------------------------

def test_a_bad_hotline_is_named_by_its_line_in_the_visitors_language(app, factory):
    client = new_browser(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "zh-CN"
    login(client, factory.officer("32"))
    response = client.post("/officer/operators/new", data=operator_form(hotlines="025-12345 Service\nx"))
    assert response.status_code == 422
    assert "第 2 行：" in field_error(text(response), "hotlines")


def test_timeline_and_history_show_labels_not_codes(browser, factory):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    client = browser(factory.officer("32"))
    page = text(client.get(f"/officer/complaints/{complaint.reference}"))
    assert "· Complainant" in page and "· complainant" not in page  # who filed it, in the timeline
    response = client.post("/officer/operators/new", data=operator_form())
    history = text(client.get(response.headers["Location"]))
    assert "Licence number: " in history and "licence_no:" not in history
