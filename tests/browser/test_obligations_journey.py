"""The obligations journey in a real browser (issue 7, "done when"): an operator files an
attestation missing one day and sees the gap; the daily check raises one finding that only
that province's officers see; the H1 report is filed, returned with a comment over the
pre-filled discrepancy, resubmitted and accepted; its PDF carries Chinese text."""
import re
import shutil
import subprocess
from datetime import UTC, datetime

import pytest

from supervision.obligations.retention_check import check_retention
from tests.browser.test_journeys import log_in, settle

pytestmark = pytest.mark.browser
ITEMS = ("hotline_published", "answers_in_time", "format_clauses_filed", "billing_records_kept", "charges_queryable")


def test_retention_gap_finding_and_the_h1_report_journey(new_page, live_server, factory, clock):
    clock.current = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    operator = factory.operator(province="32", name="Jiangsu Net")
    factory.complaint(operator, "32", event_date="2026-02-01", operator_complaint_date="2026-02-10")
    clock.current = datetime(2026, 7, 31, 2, 0, tzinfo=UTC)     # the window starts 2026-02-28
    staff = factory.user("operator", operator=operator)
    officer, other_officer = factory.officer("32"), factory.officer("33")
    # Read what the test needs before settling: touching an expired row would open a read
    # transaction that holds SQLite's lock while the server writes.
    operator_id, staff_name, officer_name, other_name = operator.id, staff.username, officer.username, \
        other_officer.username
    settle()

    portal = new_page()
    log_in(portal, live_server, staff_name)
    portal.get_by_role("link", name="Billing-record retention").click()
    portal.locator("#system").fill("BOSS-1")
    portal.locator("#earliest_day").fill("2026-03-01")
    portal.locator("#latest_day").fill("2026-07-31")
    portal.locator("#as_of").fill("2026-07-31")
    portal.get_by_role("button", name="File the attestation").click()
    assert "days are missing" in portal.content()
    assert portal.locator("svg.timeline rect.bar-gap").count() == 1
    assert portal.locator("table td.state-missed").inner_text().strip() == "2026-02-28"

    first, rerun = check_retention(clock.now()), check_retention(clock.now())  # the job, and its rerun
    settle()
    assert (first.raised, rerun.raised) == (1, 0)

    js = new_page()
    log_in(js, live_server, officer_name)
    js.goto(f"{live_server}/officer/operators/{operator_id}")
    assert js.locator(".coverage .alert li").count() == 1
    assert "1 day(s) of raw billing data" in js.locator(".coverage .alert").inner_text()
    zj = new_page()
    log_in(zj, live_server, other_name)
    response = zj.goto(f"{live_server}/officer/operators/{operator_id}")
    assert response.status == 404   # another province's officer sees nothing of it

    portal.get_by_role("link", name="Self-inspections").click()
    portal.locator("#period").select_option("2026H1")
    portal.get_by_role("button", name="Start the report").click()
    portal.wait_for_url(re.compile(r"/portal/self-inspections/\d+$"))
    report_url = portal.url
    for item in ITEMS:
        portal.locator(f"#result-{item}-pass").check()
    portal.locator("#complaints_received").fill("0")          # the authority counted 1
    portal.locator("#answered_in_time_share").fill("1")
    portal.locator("#billing_error_rate").fill("0.00002")
    portal.get_by_role("button", name="Save the report").click()
    portal.get_by_label("I have read the warnings above and confirm the figures.").check()
    portal.get_by_role("button", name="Submit the report").click()
    assert "Report submitted" in portal.content()

    js.get_by_role("link", name="Self-inspections").click()
    js.get_by_role("link", name="Jiangsu Net").click()
    assert "differ from the authority" in js.content()
    js.locator("#comment").fill("我局记录本期受理申诉 1 件，请核实后重新提交。")
    js.get_by_role("button", name="Return with comment").click()
    assert "Returned for changes" in js.content()

    portal.goto(report_url)
    assert "请核实后重新提交" in portal.content()
    portal.locator("#complaints_received").fill("1")
    portal.locator("#problems").fill("漏报一件申诉，已更正。")
    portal.get_by_role("button", name="Save the report").click()
    portal.get_by_role("button", name="Submit the report").click()
    assert "Report submitted" in portal.content()

    js.reload()
    js.get_by_role("button", name="Accept the report").click()
    assert "Report accepted" in js.content()

    pdf = portal.request.get(report_url + ".pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required: make system-deps")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.body(), capture_output=True, check=True).stdout.decode()
    assert "漏报一件申诉" in text and "2026H1" in text
