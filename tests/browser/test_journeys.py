"""Real-browser journeys (Debian chromium through playwright) against a live server."""
import re
from datetime import date

import pytest

from supervision.extensions import db

pytestmark = pytest.mark.browser
PASSWORD = "Correct-horse-1"


def settle():
    """End the test thread's transaction: on SQLite it would hold the write lock the server needs."""
    db.session.commit()


def log_in(page, base, username):
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_officer_registers_operator_after_fixing_bad_uscc(page, live_server, factory):
    from supervision.operators.rules import make_uscc

    officer = factory.officer("32")
    factory.operator(scope="provincial", province="33", name="Zhejiang Only Net")
    username, good_uscc = officer.username, make_uscc("320100", 4242)
    settle()

    log_in(page, live_server, username)
    page.get_by_role("button", name="中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"

    page.goto(f"{live_server}/officer/operators")
    assert "Zhejiang Only Net" not in page.content()  # another province's operator stays invisible

    page.goto(f"{live_server}/officer/operators/new")
    page.locator("#name").fill("Nanjing Fibre Co.")
    page.locator("#uscc").fill(good_uscc[:-1] + ("0" if good_uscc[-1] != "0" else "1"))
    page.locator("#licence_no").fill("苏B2-20269001")
    page.locator("#province").select_option("32")
    page.locator("#licence_valid_from").fill("2025-01-01")
    page.locator("#licence_valid_until").fill("2030-12-31")
    page.locator("#hotlines").fill("025-12345678 Customer service")
    page.get_by_role("button", name="Register operator").click()
    assert re.search(r"check character should be", page.content())
    assert page.locator("#uscc").get_attribute("aria-invalid") == "true"

    page.locator("#uscc").fill(good_uscc)
    page.get_by_role("button", name="Register operator").click()
    page.wait_for_url(re.compile(r"/officer/operators/\d+$"))
    page.goto(f"{live_server}/officer/operators")
    assert "Nanjing Fibre Co." in page.content()


def test_complaint_journey_from_filing_to_rating(new_page, live_server, factory):
    operator = factory.operator(name="Jiangsu Mobile Test")
    officer = factory.officer("32")
    staff = factory.user("operator", operator=operator)
    operator_id, officer_name, staff_name = operator.id, officer.username, staff.username
    settle()

    citizen = new_page()
    citizen.goto(f"{live_server}/complaints/new")
    citizen.get_by_label("Operator you complain about").select_option(str(operator_id))
    citizen.get_by_label("Province of the operator's branch concerned").select_option("32")
    citizen.get_by_label("What is the complaint about?").select_option("network:coverage")
    citizen.get_by_label("What happened").fill("No mobile signal in my flat since 1 October, calls drop.")
    citizen.get_by_label("What do you ask for").fill("Repair the coverage")
    citizen.get_by_label("Date of the event or of the disputed charge").fill("2026-10-01")
    citizen.locator("input[name=operator_complaint_date]").fill("2026-10-20")
    citizen.locator("input[name=operator_answer][value=none]").check()
    citizen.get_by_label("Your name").fill("李雷")
    citizen.get_by_label("Phone number").fill("13900139000")
    citizen.get_by_role("button", name="File the complaint").click()
    reference = citizen.locator("#reference").inner_text().strip()
    access_code = citizen.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"TS-32-\d{8}-\d{6}", reference)
    assert "working day" in citizen.content()  # the due dates come with their explanation

    officer_page = new_page()
    log_in(officer_page, live_server, officer_name)
    officer_page.goto(f"{live_server}/officer/complaints")
    officer_page.get_by_role("link", name=reference).click()
    officer_page.locator("#action-accept button[type=submit]").click()
    officer_page.locator("#action-transfer button[type=submit]").click()
    officer_page.wait_for_load_state()
    assert "Transferred to operator" in officer_page.content()

    operator_page = new_page()
    log_in(operator_page, live_server, staff_name)
    operator_page.goto(f"{live_server}/portal/")
    operator_page.get_by_role("link", name=reference).click()
    assert "13900139000" in operator_page.content() and "李雷" not in operator_page.content()
    operator_page.locator("#action-operator_reply textarea[name$='reply']").first.fill(
        "A new base station was switched on; coverage restored.")
    operator_page.locator("#action-operator_reply button[type=submit]").click()

    officer_page.reload()
    officer_page.locator("#action-close select").select_option("resolved")
    officer_page.locator("#action-close input[name='close-confirm']").check()
    officer_page.locator("#action-close button[type=submit]").click()

    citizen.goto(f"{live_server}/track")
    citizen.get_by_label("Complaint reference").fill(reference)
    citizen.get_by_label("Access code").fill(access_code)
    citizen.get_by_role("button", name="Show my complaint").click()
    assert "coverage restored" in citizen.content()
    citizen.locator("input[name$='score'][value='5']").check()
    citizen.get_by_role("button", name="Send my rating").click()

    from supervision.complaints.models import Complaint

    db.session.expire_all()
    complaint = db.session.scalar(db.select(Complaint).filter_by(reference=reference))
    assert complaint.status == "closed" and complaint.outcome == "resolved" and complaint.rating_score == 5
    assert {d.clock: d.state for d in complaint.deadlines}["operator_reply"] == "met"
    assert complaint.received_at.date() <= date(2026, 11, 26)
    settle()


def test_a_missed_operator_reply_shows_escalated_in_the_officer_queue(page, live_server, factory, clock):
    from datetime import timedelta

    from supervision.audit import Actor
    from supervision.complaints.sweep import sweep_deadlines
    from supervision.complaints.transitions import perform

    operator = factory.operator(name="Slow Reply Telecom")
    officer = factory.officer("32")
    complaint, _ = factory.complaint(operator)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), clock.now())
    reference, reply_due, username = complaint.reference, complaint.deadline("operator_reply").due, officer.username
    settle()

    clock.current = clock.current + timedelta(days=(reply_due - date(2026, 11, 26)).days + 1)
    sweep_deadlines(clock.now())  # what the scheduler's job runs every few minutes
    settle()

    log_in(page, live_server, username)
    page.goto(f"{live_server}/officer/complaints?escalation=officer")
    row = page.locator("tr", has_text=reference)
    assert row.count() == 1
    assert "Escalated to officers" in row.inner_text()
    assert "Operator's reply: Missed" in row.inner_text()  # the late reply leads the queue
