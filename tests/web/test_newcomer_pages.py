"""What a newcomer tripped over on the pages (issue 6, items 11–17): one test or more per item."""
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from supervision.audit import Actor
from supervision.complaints import deadlines, transitions
from supervision.complaints.models import Complaint
from supervision.extensions import db
from tests.web.test_officer_pages import fresh, new_browser, text
from tests.web.test_public_pages import EN, REFERENCE, ZH, form_body


@pytest.fixture
def browser(app, factory):
    """A fresh English-speaking browser, signed in as the user given."""
    return lambda user=None: new_browser(app, user)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def complaint_count() -> int:
    db.session.remove()
    count = db.session.scalar(select(func.count()).select_from(Complaint))
    db.session.remove()
    return count


def session_data(app, client) -> dict:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


def submission_token(client, path="/complaints/new") -> str:
    return re.search(r'name="submission_token" type="hidden" value="([^"]+)"', text(client.get(path, headers=EN)))[1]


def officer_act(client, reference, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/officer/complaints/{reference}/actions/{action}", data=data)


# --- 12 (and 11): post / redirect / get, one complaint per form, the code kept server-side -----

def test_reloading_the_confirmation_files_no_second_complaint(app, browser, factory):
    operator = factory.operator()
    client = browser()
    response = client.post("/complaints/new", data=form_body(operator, submission_token=submission_token(client)),
                           headers=EN)
    assert response.status_code == 303
    first = text(client.get(response.headers["Location"], headers=EN))
    again = text(client.get(response.headers["Location"], headers=EN))  # F5
    code = re.search(r'id="access-code">([0-9A-Z]+)<', first)[1]
    assert REFERENCE.search(first)[0] == REFERENCE.search(again)[0] and code in again
    assert complaint_count() == 1
    assert code not in json.dumps(session_data(app, client))  # the readable cookie holds a random key only


def test_the_same_form_sent_twice_is_answered_with_the_first_complaint(browser, factory):
    operator = factory.operator()
    client = browser()
    body = form_body(operator, submission_token=submission_token(client))
    first = client.post("/complaints/new", data=body, headers=EN, follow_redirects=True)
    second = client.post("/complaints/new", data=body, headers=EN, follow_redirects=True)  # back + submit
    assert REFERENCE.search(text(first))[0] == REFERENCE.search(text(second))[0]
    assert complaint_count() == 1


def test_written_down_hides_the_code_but_still_recognises_the_form(browser, factory):
    operator = factory.operator()
    client = browser()
    body = form_body(operator, submission_token=submission_token(client))
    client.post("/complaints/new", data=body, headers=EN)
    client.post("/complaints/filed/done")
    again = text(client.post("/complaints/new", data=body, headers=EN, follow_redirects=True))
    assert 'id="access-code"' not in again and REFERENCE.search(again)
    assert complaint_count() == 1


def test_a_language_switch_on_the_confirmation_keeps_the_access_code(browser, factory):
    client = browser()
    client.post("/complaints/new", data=form_body(factory.operator(), submission_token=submission_token(client)),
                headers=EN)
    code = re.search(r'id="access-code">([0-9A-Z]+)<', text(client.get("/complaints/filed", headers=EN)))[1]
    switched = client.post("/lang", data={"lang": "zh_CN", "next": "/complaints/filed"}, follow_redirects=True)
    assert 'lang="zh-CN"' in text(switched) and code in text(switched)


def test_the_access_code_disappears_after_its_display_time(app, browser, factory, clock):
    client = browser()
    client.post("/complaints/new", data=form_body(factory.operator(), submission_token=submission_token(client)),
                headers=EN)
    assert 'id="access-code"' in text(client.get("/complaints/filed", headers=EN))
    clock.advance(minutes=app.config["ACCESS_CODE_DISPLAY_MINUTES"] + 1)
    page = text(client.get("/complaints/filed", headers=EN))
    assert 'id="access-code"' not in page and REFERENCE.search(page)


def test_neither_the_cookie_nor_the_database_alone_reveals_the_code(app, browser, factory, clock):
    from supervision.complaints.receipts import ComplainantPass

    client = browser()
    client.post("/complaints/new", data=form_body(factory.operator(), submission_token=submission_token(client)),
                headers=EN)
    code = re.search(r'id="access-code">([0-9A-Z]+)<', text(client.get("/complaints/filed", headers=EN)))[1]
    row = db.session.scalars(select(ComplainantPass)).one()
    assert row.sealed_code not in (code, code.encode().hex()) and code not in json.dumps(session_data(app, client))
    clock.advance(minutes=app.config["ACCESS_CODE_DISPLAY_MINUTES"] + 1)
    try:
        client.post("/complaints/new", data=form_body(factory.operator(), description="Another problem entirely."),
                    headers=EN)  # any new pass purges the expired codes
        db.session.expire_all()
        assert db.session.get(ComplainantPass, row.id).sealed_code is None
    finally:
        clock.advance(minutes=-app.config["ACCESS_CODE_DISPLAY_MINUTES"] - 1)


# --- 13: a paused clock says so, and where it will move ---------------------------------------

def test_paused_clocks_show_since_when_and_the_moved_due_date(browser, factory, clock):
    complaint, code = factory.complaint(factory.operator())
    officer = factory.officer("32")
    transitions.perform(complaint, "request_info", {"note": "Send your bill"}, Actor.of(officer), clock.now())
    paused_on, acceptance = complaint.paused_on, complaint.deadline("acceptance")
    db.session.commit()
    clock.advance(days=3)
    expected = deadlines.due_if_resumed(acceptance, paused_on, paused_on + timedelta(days=3),
                                        deadlines.load_calendar()).due
    assert expected > acceptance.due
    db.session.commit()

    staff_page = text(browser(officer).get(f"/officer/complaints/{complaint.reference}"))
    assert f"Paused since {paused_on.isoformat()}" in staff_page and expected.isoformat() in staff_page
    queue = text(browser(officer).get("/officer/complaints"))
    assert "Decision on acceptance: paused" in queue and "Decision on acceptance: Running" not in queue
    citizen = browser()
    page = text(citizen.post("/track", data={"reference": complaint.reference, "access_code": code}, headers=EN,
                             follow_redirects=True))
    assert f"Paused since {paused_on.isoformat()}" in page and expected.isoformat() in page
    assert "Running" not in page


def test_the_moved_date_shown_is_the_date_stored_when_the_information_arrives(factory, clock):
    complaint, _code = factory.complaint(factory.operator())
    officer = Actor.of(factory.officer("32"))
    transitions.perform(complaint, "request_info", {"note": "Send your bill"}, officer, clock.now())
    paused_on = complaint.paused_on
    clock.advance(days=4)
    shown = {d.clock: deadlines.due_if_resumed(d, paused_on, paused_on + timedelta(days=4),
                                               deadlines.load_calendar()).due for d in complaint.deadlines}
    transitions.perform(complaint, "provide_info", {"note": "Bill attached"}, officer, clock.now())
    assert {d.clock: d.due for d in complaint.deadlines} == shown
    clock.advance(days=-4)


# --- 14: words, not internal text --------------------------------------------------------------

def test_legal_basis_is_in_the_readers_language_and_plain_for_citizens(browser, factory, clock):
    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    officer = factory.officer("32")
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), clock.now())
    transitions.perform(complaint, "supervise", {}, Actor.of(officer), clock.now())
    db.session.commit()
    staff = text(browser(officer).get(f"/officer/complaints/{complaint.reference}"))
    assert "督办事宜报告" not in staff and "[default] transfer reply period" not in staff
    assert "[M 16] Article 16 of the Interim Measures" in staff  # officers keep the code
    citizen = text(browser().post("/track", data={"reference": complaint.reference, "access_code": code},
                                  headers=EN, follow_redirects=True))
    assert "Article 14 of the Measures for Handling Telecommunications User Complaints" in citizen
    assert "[C 14]" not in citizen and "第十四条" not in citizen


def test_timeline_says_which_deadline_was_missed(browser, factory, clock):
    from supervision.complaints.sweep import sweep_deadlines

    complaint, _code = factory.complaint(factory.operator())
    officer = factory.officer("32")
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), clock.now())
    due = complaint.deadline("operator_reply").due
    db.session.commit()
    start = clock.current
    clock.current = start + timedelta(days=(due - date(2026, 11, 26)).days + 1)
    try:
        sweep_deadlines(clock.now())
        page = text(browser(officer).get(f"/officer/complaints/{complaint.reference}"))
    finally:
        clock.current = start
    assert f"Deadline missed: Operator&#39;s reply (due {due.isoformat()})" in page
    assert "Escalated to officers: Operator&#39;s reply was due" in page
    assert "operator_reply deadline" not in page


def test_operator_names_follow_the_language(browser, factory):
    operator = factory.operator(name="江苏移动测试", name_en="Jiangsu Mobile Test")
    complaint, code = factory.complaint(operator)
    english = text(browser().post("/track", data={"reference": complaint.reference, "access_code": code},
                                  headers=EN, follow_redirects=True))
    assert "Jiangsu Mobile Test" in english and "江苏移动测试" not in english


# --- 15: the error where the eye is, all errors in one round -----------------------------------

def test_a_refused_action_form_posts_to_its_own_anchor(browser, factory):
    complaint, _code = factory.complaint(factory.operator())
    client = browser(factory.officer("32"))
    page = text(client.get(f"/officer/complaints/{complaint.reference}"))
    assert f'action="/officer/complaints/{complaint.reference}/actions/reject#action-reject"' in page
    refused = officer_act(client, complaint.reference, "reject", reason="")
    assert refused.status_code == 422
    failed_form = text(refused)[text(refused).index('id="action-reject"'):]
    assert "This field is required" in failed_form[:3000]


def test_format_and_precondition_errors_come_in_one_round(browser, factory):
    operator = factory.operator()
    # A bad phone (format) AND a complaint to the operator only 3 days ago (precondition [C 10]).
    response = browser().post("/complaints/new", headers=EN, data=form_body(
        operator, phone="12345", operator_complaint_date="2026-11-23", event_date="2026-11-20"))
    page = text(response)
    assert response.status_code == 422
    assert 'id="phone-error"' in page and "wait for its answer" in page


def test_officer_intake_shows_format_and_precondition_errors_together(browser, factory):
    from tests.web.test_officer_pages import intake_form

    operator = factory.operator()
    # Received 2026-11-20, complained to the operator 2026-11-18: its 15 days are not over [C 10].
    response = browser(factory.officer("32")).post("/officer/complaints/new", data=intake_form(
        operator, phone="12345", operator_complaint_date="2026-11-18", event_date="2026-11-10"))
    page = text(response)
    assert response.status_code == 422
    assert 'id="phone-error"' in page and "wait for its answer" in page


# --- 16: forgiving tracking --------------------------------------------------------------------

def test_reference_and_code_are_accepted_in_any_case_without_hyphens(client, browser, factory):
    complaint, code = factory.complaint(factory.operator())
    sloppy = complaint.reference.replace("-", "").lower()
    page = browser().post("/track", data={"reference": sloppy, "access_code": f"{code[:5].lower()}-{code[5:]}"},
                          headers=EN, follow_redirects=True)
    assert page.status_code == 200 and complaint.reference in text(page)
    api = client.get(f"/api/v1/complaints/{sloppy}", query_string={"access_code": code.lower()})
    assert api.status_code == 200 and api.get_json()["reference"] == complaint.reference


def test_a_language_switch_keeps_the_tracking_result(browser, factory):
    complaint, code = factory.complaint(factory.operator())
    client = browser()
    result = client.post("/track", data={"reference": complaint.reference, "access_code": code}, headers=EN)
    assert result.status_code == 303
    switched = client.post("/lang", data={"lang": "zh_CN", "next": result.headers["Location"]},
                           follow_redirects=True)
    assert f"申诉 {complaint.reference}" in text(switched)


def test_the_complainant_downloads_the_operators_evidence_and_is_told_to_answer(browser, factory):
    from supervision.complaints.attachments import store_attachment

    operator = factory.operator()
    complaint, code = factory.complaint(operator)
    officer = Actor.of(factory.officer("32"))
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, officer, factory.now)
    staff = Actor.of(factory.user("operator", operator=operator))
    transitions.perform(complaint, "operator_reply", {"reply": "Mast repaired.", "proposed_settlement": "A refund"},
                        staff, factory.now)
    attachment = store_attachment(complaint, "repair.png", PNG, staff, factory.now)
    db.session.commit()
    client = browser()
    page = text(client.post("/track", data={"reference": complaint.reference, "access_code": code}, headers=EN,
                            follow_redirects=True))
    assert "Your answer is needed." in page[:page.index("Mast repaired.")]
    link = f"/track/complaint/files/{attachment.id}"
    assert link in page and "from the operator" in page
    assert client.get(link).data == PNG
    assert browser().get(link).status_code == 404  # another browser without the code


# --- 17: officer pages -------------------------------------------------------------------------

@pytest.mark.parametrize(("action", "fields"), [("reject", {"reason": "[C 11] settled"}), ("withdraw", {})])
def test_grave_actions_need_a_confirmation(browser, factory, action, fields):
    complaint, _code = factory.complaint(factory.operator())
    client = browser(factory.officer("32"))
    assert officer_act(client, complaint.reference, action, **fields).status_code == 422
    assert fresh(Complaint, reference=complaint.reference).status == "submitted"
    assert officer_act(client, complaint.reference, action, confirm="y", **fields).status_code == 302
    assert fresh(Complaint, reference=complaint.reference).status != "submitted"


def test_the_transfer_note_reaches_the_operator(browser, factory):
    operator = factory.operator()
    complaint, _code = factory.complaint(operator)
    officer = factory.officer("32")
    transitions.perform(complaint, "accept", {}, Actor.of(officer), factory.now)
    transitions.perform(complaint, "transfer", {"note": "Call the complainant before Friday"}, Actor.of(officer),
                        factory.now)
    db.session.commit()
    page = text(browser(factory.user("operator", operator=operator)).get(f"/portal/complaints/{complaint.reference}"))
    assert "Call the complainant before Friday" in page and 'id="transfer-note"' in page


def test_the_queue_finds_by_name_or_phone_filters_supervised_and_clears(browser, factory):
    operator = factory.operator()
    wanted, _ = factory.complaint(operator, complainant={"name": "赵六", "phone": "139 0013 9111"})
    other, _ = factory.complaint(operator)
    officer = factory.officer("32")
    for action in ("accept", "transfer", "supervise"):
        transitions.perform(other, action, {}, Actor.of(officer), factory.now)
    db.session.commit()
    client = browser(officer)
    for query in ("赵六", "13900139111", "139-0013-9111"):
        page = text(client.get("/officer/complaints", query_string={"q": query}))
        assert wanted.reference in page and other.reference not in page, query
    supervised = text(client.get("/officer/complaints", query_string={"supervised": "yes"}))
    assert other.reference in supervised and wanted.reference not in supervised
    assert 'href="/officer/complaints">Clear filters' in supervised
    assert "Clear filters" not in text(client.get("/officer/complaints"))


@pytest.mark.parametrize("phone", ["12345", "1380013800", "23800138000"])
def test_a_phone_that_is_no_phone_number_is_refused_on_web_and_api(client, browser, factory, phone):
    operator = factory.operator()
    web = browser().post("/complaints/new", data=form_body(operator, phone=phone), headers=EN)
    assert web.status_code == 422 and 'id="phone-error"' in text(web)
    api = client.post("/api/v1/complaints", json=factory.complaint_body(
        operator, complainant={"name": "王小明", "phone": phone}))
    assert api.status_code == 422 and "complainant.phone" in api.get_json()["errors"]
    assert complaint_count() == 0


@pytest.mark.parametrize("phone", ["13800138000", "+86 138 0013 8000", "010-12345678", "0571 8765 4321"])
def test_mobile_and_landline_numbers_are_accepted(browser, factory, phone):
    response = browser().post("/complaints/new", data=form_body(factory.operator(), phone=phone), headers=EN)
    assert response.status_code == 303


def test_calendar_marks_a_year_without_an_official_schedule(browser, factory):
    client = browser(factory.admin())
    provisional = text(client.get("/admin/calendar?month=2027-02"))
    assert 'id="provisional-notice"' in provisional and "not yet published" in provisional
    assert 'class="swatch day-holiday"' in provisional
    assert ".day-holiday { background:" in text(client.get("/static/css/site.css"))  # the legend's colours
    assert 'id="provisional-notice"' not in text(client.get("/admin/calendar?month=2026-10"))


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.data[:4] == b"\0\0\1\0"
    assert 'rel="icon"' in text(client.get("/", headers=ZH))
