"""The oversight role reviews staff reads of personal data in a real browser: it lands on the
log after logging in, narrows it to one officer, and downloads the CSV."""
from pathlib import Path

import pytest

from supervision.audit import Actor
from supervision.complaints.transitions import perform
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import log_in, settle

pytestmark = pytest.mark.browser


def test_oversight_filters_the_read_log_by_officer_and_exports_it(new_page, live_server, factory):
    operator = factory.operator()
    officer = factory.officer("32", username="wang.officer")
    factory.officer("32", username="li.officer")
    factory.user("operator", operator=operator, username="telecom.staff")
    complaint, _ = factory.complaint(operator)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), factory.now)
    factory.user("oversight", username="oversight.reviewer")
    reference = complaint.reference
    settle()
    for username, path in (("wang.officer", "officer"), ("li.officer", "officer"), ("telecom.staff", "portal")):
        reader = new_page()
        log_in(reader, live_server, username)
        reader.goto(f"{live_server}/{path}/complaints/{reference}")
        assert "13800138000" in reader.content()

    page = new_page()
    log_in(page, live_server, "oversight.reviewer")
    assert page.url.endswith("/oversight/personal-data-reads")  # where the oversight role starts
    rows = page.locator("tbody tr")
    assert rows.count() == 3 and "王小明" not in page.content()
    page.get_by_label("Staff member").select_option(label="li.officer")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert rows.count() == 1 and "li.officer" in rows.first.inner_text() and reference in rows.first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "oversight-personal-data-reads.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and lines[1].split(",")[1:4] == ["li.officer", "officer", reference]
