"""Issue 6 in a real browser: a reload of the confirmation files nothing (12), a paused clock
looks paused (13), and a refused action's error is on screen, not 1,500 px below (15)."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.complaints.models import Complaint
from supervision.extensions import db
from tests.browser.test_journeys import log_in, settle

pytestmark = pytest.mark.browser


def complaint_count() -> int:
    db.session.expire_all()
    count = db.session.scalar(select(func.count()).select_from(Complaint))
    settle()
    return count


def in_viewport(page, selector: str) -> bool:
    """The element's box lies within the visible part of the window (not merely in the DOM)."""
    return page.locator(selector).first.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }")


def fill_public_form(page, operator_id: int) -> None:
    page.get_by_label("Operator you complain about").select_option(str(operator_id))
    page.get_by_label("Province of the operator's branch concerned").select_option("32")
    page.get_by_label("What is the complaint about?").select_option("network:coverage")
    page.get_by_label("What happened").fill("No mobile signal in my flat since 1 October, calls drop.")
    page.get_by_label("What do you ask for").fill("Repair the coverage")
    page.get_by_label("Date of the event or of the disputed charge").fill("2026-10-01")
    page.locator("input[name=operator_complaint_date]").fill("2026-10-20")
    page.locator("input[name=operator_answer][value=none]").check()
    page.get_by_label("Your name").fill("李雷")
    page.get_by_label("Phone number").fill("139 0013 9000")


def test_reloading_the_confirmation_files_nothing_and_keeps_the_code(page, live_server, factory):
    operator_id = factory.operator(name="Reload Test Telecom").id
    settle()
    before = complaint_count()
    page.goto(f"{live_server}/complaints/new")
    fill_public_form(page, operator_id)
    page.get_by_role("button", name="File the complaint").click()
    page.wait_for_url(re.compile(r"/complaints/filed$"))
    reference = page.locator("#reference").inner_text().strip()
    code = page.locator("#access-code").inner_text().strip()

    page.reload()  # F5 on the confirmation: a GET, no "resubmit the form?" and no second complaint
    assert page.locator("#reference").inner_text().strip() == reference
    page.go_back()  # back to the filled form, and send it again
    if page.url.endswith("/complaints/new") and page.locator("#description").input_value():
        page.get_by_role("button", name="File the complaint").click()
        assert page.locator("#reference").inner_text().strip() == reference
    page.goto(f"{live_server}/complaints/filed")
    page.get_by_role("button", name="中文").click()  # the language switch keeps the one-time code
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.locator("#access-code").inner_text().strip() == code
    assert complaint_count() == before + 1


def test_a_paused_clock_card_says_paused_and_where_it_moves(page, live_server, factory, clock):
    complaint, code = factory.complaint(factory.operator(name="Paused Clock Telecom"))
    transitions.perform(complaint, "request_info", {"note": "Send the bill of October"},
                        Actor.of(factory.officer("32")), clock.now())
    reference, paused_on, old_due = complaint.reference, complaint.paused_on, complaint.deadline("acceptance").due
    settle()
    start = clock.current
    clock.current = start + timedelta(days=2)
    try:
        page.goto(f"{live_server}/track")
        page.get_by_label("Complaint reference").fill(reference.replace("-", "").lower())
        page.get_by_label("Access code").fill(code.lower())
        page.get_by_role("button", name="Show my complaint").click()
        card = page.locator("li.card", has_text="Decision on acceptance")
        assert f"Paused since {paused_on.isoformat()}" in card.inner_text()
        assert "Running" not in card.inner_text()
        moved = card.locator("strong").first.inner_text().strip()
        assert moved > old_due.isoformat()  # the date it moves to, not the stale one
    finally:
        clock.current = start


def test_a_refused_action_shows_its_error_in_the_viewport(new_page, live_server, factory):
    operator = factory.operator(name="Error Placement Telecom")
    complaint, code = factory.complaint(operator)
    officer = factory.officer("32")
    staff = factory.user("operator", operator=operator)
    for action in ("accept", "transfer"):
        transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
    reference, officer_name, staff_name = complaint.reference, officer.username, staff.username
    settle()

    officer_page = new_page()
    log_in(officer_page, live_server, officer_name)
    officer_page.goto(f"{live_server}/officer/complaints/{reference}")
    officer_page.locator("#action-close button[type=submit]").click()  # no outcome, not confirmed
    officer_page.wait_for_load_state()
    assert in_viewport(officer_page, "#action-close .error-summary")
    assert "Choose the outcome" in officer_page.locator("#action-close").inner_text()
    assert "Tick the box to confirm" in officer_page.locator("#action-close").inner_text()  # one round

    operator_page = new_page()
    log_in(operator_page, live_server, staff_name)
    operator_page.goto(f"{live_server}/portal/complaints/{reference}")
    operator_page.locator("#action-operator_reply button[type=submit]").click()  # empty reply
    operator_page.wait_for_load_state()
    assert in_viewport(operator_page, "#action-operator_reply .error-summary")

    waiting, waiting_code = factory.complaint(operator)
    transitions.perform(waiting, "request_info", {"note": "Send the bill"}, Actor.of(officer), factory.now)
    waiting_reference = waiting.reference
    settle()
    citizen = new_page()
    citizen.set_viewport_size({"width": 390, "height": 844})  # a phone: the form is far down the page
    citizen.goto(f"{live_server}/track")
    citizen.get_by_label("Complaint reference").fill(waiting_reference)
    citizen.get_by_label("Access code").fill(waiting_code)
    citizen.get_by_role("button", name="Show my complaint").click()
    citizen.locator("#provide_info-form [type=submit]").click()  # nothing written
    citizen.wait_for_load_state()
    assert in_viewport(citizen, "#provide_info-form .error-summary")
