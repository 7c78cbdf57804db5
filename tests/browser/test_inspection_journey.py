"""The spot-check journey in a real browser (issue 8 "done when"): an officer conducts an
inspection with a colleague, the operator replies, the result is published on the public page,
an order is issued, reopened once and closed, a penalty is approved by a second officer, and
its decision PDF has Chinese text."""
import re
import shutil
import subprocess

import pytest

from tests.browser.test_journeys import log_in, settle

pytestmark = pytest.mark.browser


def click_step(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()


def test_inspection_reply_publication_order_and_penalty(new_page, live_server, factory, tmp_path):
    from supervision.audit import Actor
    from supervision.findings.services import raise_finding

    operator = factory.operator(province="32", name="Jiangsu Journey Net")
    lead, colleague = factory.officer("32"), factory.officer("32")
    publisher, approver = factory.officer("32", publisher=True), factory.officer("32", publisher=True)
    staff = factory.user("operator", operator=operator)
    finding, _ = raise_finding(operator, "32", "officer", "M 21", "营销短信退订后仍持续发送", Actor.of(lead), factory.now)
    # Read what the test needs now: touching a row after settle() would open a transaction that,
    # on SQLite, holds the write lock the live server needs.
    names = {key: user.username for key, user in (("lead", lead), ("colleague", colleague),
                                                    ("publisher", publisher), ("approver", approver),
                                                    ("staff", staff))}
    credential, finding_id = colleague.credential_no, finding.id
    settle()

    officer = new_page()
    log_in(officer, live_server, names["lead"])
    officer.goto(f"{live_server}/officer/inspections")
    officer.locator("#operator_id").select_option(label="Jiangsu Journey Net")
    officer.locator("#type").select_option("onsite")
    officer.locator("#planned_on").fill("2026-11-30")
    officer.locator("#officers").select_option([names["lead"], names["colleague"]])
    click_step(officer, "Plan the inspection")
    officer.wait_for_url(re.compile(r"/officer/inspections/\d+(#.*)?$"))
    inspection_url = officer.url.split("#")[0]
    assert credential in officer.content()
    click_step(officer, "Start the inspection")
    for n in range(officer.locator("form.inline-form").count()):
        form = officer.locator("form.inline-form").nth(n)
        form.locator("select").select_option("fail" if n == 0 else "pass")
        if n == 0:
            form.locator("textarea").fill("热线 12 次拨测 9 次无人接听")
        form.get_by_role("button", name="Record").click()
        officer.wait_for_load_state()
    assert "finding" in officer.content()
    officer.locator("#issue_draft-summary").fill("投诉热线接通率低。")
    click_step(officer, "Issue the draft result")

    operator_page = new_page()
    log_in(operator_page, live_server, names["staff"])
    operator_page.goto(f"{live_server}/portal/supervision")
    operator_page.locator("main").get_by_role("link", name=re.compile(r"^Inspection \d+$")).click()
    operator_page.locator("#reply-reply").fill("已增加坐席。")
    click_step(operator_page, "Send our reply")

    officer.goto(inspection_url)
    click_step(officer, "Make the result final")
    publisher_page = new_page()
    log_in(publisher_page, live_server, names["publisher"])
    publisher_page.goto(inspection_url)
    click_step(publisher_page, "Publish the result")

    public = new_page()
    public.goto(f"{live_server}/spot-checks")
    public.get_by_role("link", name="Jiangsu Journey Net").click()
    assert "投诉热线接通率低。" in public.content() and "已增加坐席。" in public.content()

    # The failed item's finding → an order; the operator plans and reports; reopened once; closed.
    officer.goto(f"{live_server}/officer/orders")
    officer.locator("#operator_id").select_option(label="Jiangsu Journey Net")
    officer.locator("#finding_ids").select_option(index=0)
    officer.locator("#requirement").fill("增加热线坐席。")
    officer.locator("#deadline").fill("2026-12-31")
    click_step(officer, "Issue the order")
    officer.wait_for_url(re.compile(r"/officer/orders/\d+(#.*)?$"))
    order_path = officer.url.split("#")[0].split(live_server)[1]
    for round_ in (1, 2):
        operator_page.goto(f"{live_server}{order_path.replace('/officer/', '/portal/')}")
        operator_page.locator("#file_plan-plan").fill(f"方案 {round_}")
        click_step(operator_page, "File the rectification plan")
        operator_page.locator("#report_completion-report").fill(f"完成 {round_}")
        click_step(operator_page, "Report completion")
        officer.goto(f"{live_server}{order_path}")
        if round_ == 1:
            officer.locator("#reopen-note").fill("整改不到位")
            officer.locator("#reopen-deadline").fill("2027-01-29")
            click_step(officer, "Not rectified: reopen with a new deadline")
        else:
            officer.locator("#verify-note").fill("核查通过")
            click_step(officer, "Verified: close the order")
    assert "Closed (rectified)" in officer.content() and "round 2" in officer.content()

    # A penalty prepared by one publisher, approved by another; its PDF has Chinese text.
    publisher_page.goto(f"{live_server}/officer/penalties")
    publisher_page.locator("#operator_id").select_option(label="Jiangsu Journey Net")
    publisher_page.locator("#rule").select_option("M21")
    publisher_page.locator("#measure").select_option("fine")
    publisher_page.locator("#amount_yuan").fill("3000")
    publisher_page.locator("#finding_id").fill(str(finding_id))
    publisher_page.locator("#facts").fill("用户退订后仍持续发送营销短信。")
    click_step(publisher_page, "Prepare the draft")
    publisher_page.wait_for_url(re.compile(r"/officer/penalties/\d+(#.*)?$"))
    penalty_url = publisher_page.url.split("#")[0]
    assert publisher_page.get_by_role("button", name="Approve the decision").count() == 0  # four-eyes
    approver_page = new_page()
    log_in(approver_page, live_server, names["approver"])
    approver_page.goto(penalty_url)
    click_step(approver_page, "Approve the decision")
    assert "苏通罚〔2026〕1号" in approver_page.content()
    pdf = approver_page.request.get(f"{penalty_url}/decision.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        path = tmp_path / "decision.pdf"
        path.write_bytes(pdf.body())
        text = "".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
        assert "行政处罚决定书" in text and "罚款人民币3,000元" in text
