"""Obligations pages: the portal's retention form, CSV upload and coverage picture; the
self-inspection report from start to acceptance on the web; its PDF in Chinese."""
import io
import shutil
import subprocess

import pytest

from supervision.obligations.models import RetentionAttestation, SelfInspection
from supervision.obligations.retention_check import check_retention
from tests.web.test_officer_pages import field_error, fresh, new_browser, text

ITEMS = ("hotline_published", "answers_in_time", "format_clauses_filed", "billing_records_kept", "charges_queryable")


@pytest.fixture
def world(app, factory):
    operator = factory.operator(province="32", name="Our Telecom")
    staff = factory.user("operator", operator=operator)
    return {"operator": operator, "staff": staff, "officer": factory.officer("32"), "officer33": factory.officer("33"),
            "portal": new_browser(app, staff)}


def attestation_form(**overrides):
    return {"system": "BOSS-1", "province": "32", "earliest_day": "2026-06-27", "latest_day": "2026-11-26",
            "as_of": "2026-11-26"} | overrides


def test_filing_an_attestation_missing_a_day_shows_the_gap_in_the_picture(world):
    response = world["portal"].post("/portal/retention", data=attestation_form())
    assert response.status_code == 303
    page = text(world["portal"].get("/portal/retention"))
    assert 'class="bar-gap"' in page and "2026-06-26" in page
    assert "Days missing" in page


def test_a_future_as_of_date_is_shown_next_to_the_field_and_nothing_is_filed(world):
    response = world["portal"].post("/portal/retention", data=attestation_form(as_of="2026-12-01",
                                                                               latest_day="2026-11-26"))
    assert response.status_code == 422
    assert "in the future" in field_error(text(response), "as_of")
    assert fresh(RetentionAttestation) is None


def test_a_csv_upload_is_all_or_nothing_with_errors_by_line_and_column(world):
    bad = ("system,province,earliest_day,latest_day,as_of\n"
           "BOSS-1,32,2026-06-26,2026-11-26,2026-11-26\n"
           "BOSS-2,33,2026-06-26,2026-11-26,2026-11-26\n"
           "BOSS-3,32,2026-06-26,yesterday,2026-11-26\n")
    response = world["portal"].post("/portal/retention/upload",
                                    data={"file": (io.BytesIO(bad.encode()), "systems.csv")})
    assert response.status_code == 422
    page = text(response)
    assert "line 3: province" in page and "line 4: latest_day" in page
    assert fresh(RetentionAttestation) is None
    good = bad.splitlines()[0] + "\n" + bad.splitlines()[1] + "\nBOSS-2,32,2026-06-26,2026-11-26,2026-11-26\n"
    response = world["portal"].post("/portal/retention/upload",
                                    data={"file": (io.BytesIO(good.encode("utf-8-sig")), "systems.csv")})
    assert response.status_code == 303
    assert {a.system for a in RetentionAttestation.query.all()} == {"BOSS-1", "BOSS-2"}


def test_the_officer_of_the_province_sees_the_finding_on_the_operator_page(app, world, factory):
    world["portal"].post("/portal/retention", data=attestation_form())
    check_retention(factory.now)
    from supervision.extensions import db

    db.session.commit()
    page = text(new_browser(app, world["officer"]).get(f"/officer/operators/{world['operator'].id}"))
    assert "Open retention findings" in page and "1 day(s) of raw billing data" in page
    # The national operator page of another province: not in scope at all for a provincial operator.
    assert new_browser(app, world["officer33"]).get(f"/officer/operators/{world['operator'].id}").status_code == 404


def report_form(**overrides):
    body = {f"result-{item}": "pass" for item in ITEMS} | {
        "complaints_received": "0", "answered_in_time_share": "1", "billing_error_rate": "0.00001",
        "problems": "", "corrective_actions": ""}
    return body | overrides


def test_the_report_journey_on_the_web_and_its_chinese_pdf(app, world, factory):
    factory.complaint(world["operator"], "32")
    portal, officer = world["portal"], new_browser(app, world["officer"])
    response = portal.post("/portal/self-inspections", data={"period": "2026H2"})
    assert response.status_code == 303
    report = fresh(SelfInspection)
    again = portal.post("/portal/self-inspections", data={"period": "2026H2"})  # a second click opens it
    assert again.headers["Location"].endswith(f"/portal/self-inspections/{report.id}")
    url = f"/portal/self-inspections/{report.id}"
    blocked = portal.post(f"{url}/submit", data={})
    assert blocked.status_code == 422 and "answer pass, fail or NA" in text(blocked)
    assert portal.post(url, data=report_form(**{"result-answers_in_time": "fail"})).status_code == 303
    unexplained = portal.post(f"{url}/submit", data={"confirm_warnings": "y"})
    assert unexplained.status_code == 422 and "explain the failed item" in text(unexplained)
    assert portal.post(url, data=report_form()).status_code == 303
    unconfirmed = portal.post(f"{url}/submit", data={})  # 0 declared, 1 on record: a warning to confirm
    assert unconfirmed.status_code == 422 and "Confirm the warnings" in text(unconfirmed)
    assert portal.post(f"{url}/submit", data={"confirm_warnings": "y"}).status_code == 303
    review = text(officer.get(f"/officer/self-inspections/{report.id}"))
    assert "differ from the authority" in review
    assert officer.post(f"/officer/self-inspections/{report.id}/actions/return", data={}).status_code == 422
    officer.post(f"/officer/self-inspections/{report.id}/actions/return",
                 data={"comment": "我们的记录显示本期收到 1 件申诉，请核实。"})
    assert fresh(SelfInspection).status == "returned"
    assert "请核实" in text(portal.get(url))
    portal.post(url, data=report_form(complaints_received="1", problems="漏报一件申诉，已更正。"))
    portal.post(f"{url}/submit", data={})
    officer.post(f"/officer/self-inspections/{report.id}/actions/accept", data={})
    assert fresh(SelfInspection).status == "accepted"
    listed = text(officer.get("/officer/self-inspections?status=accepted"))
    assert "Our Telecom" in listed
    assert "Our Telecom" not in text(new_browser(app, world["officer33"]).get("/officer/self-inspections"))
    pdf = portal.get(f"{url}.pdf", headers={"Accept-Language": "zh-CN"})
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is required: make system-deps")
    extracted = subprocess.run(["pdftotext", "-", "-"], input=pdf.get_data(), capture_output=True,
                               check=True).stdout.decode()
    assert "漏报一件申诉" in extracted


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_an_officer_draws_a_sample_and_the_operator_produces_an_item(app, world):
    officer = new_browser(app, world["officer"])
    form = {"operator_id": str(world["operator"].id), "province": "32", "size": "2",
            "accounts": "ACC-1\nACC-2\nACC-3", "seed": ""}
    response = officer.post("/officer/billing-samples", data=form)
    assert response.status_code == 303
    shown = officer.get(response.headers["Location"])
    assert shown.status_code == 200
    sample_page = text(shown)
    assert "Seed" in sample_page and "--replay" in sample_page
    from supervision.obligations.models import BillingSample

    sample = fresh(BillingSample)
    item = sample.items[0]
    portal = world["portal"]
    listed = portal.get("/portal/samples")
    assert listed.status_code == 200 and f"Sample {sample.id}" in text(listed)
    portal.post(f"/portal/samples/{sample.id}/items/{item.id}",
                data={"produced": "yes", "file": (io.BytesIO(PDF), "bills.pdf"), "note": ""})
    assert fresh(BillingSample).items[0].produced is True
    assert new_browser(app, world["officer33"]).get(f"/officer/billing-samples/{sample.id}").status_code == 404


def test_the_what_is_due_view_links_to_the_report_and_the_sample_pages(app, world, factory):
    from flask import url_for

    from supervision.obligations.samples import draw_billing_sample
    from supervision.obligations.self_inspection import create_report
    from supervision.workflow.due import due_items

    create_report(world["staff"], "2026H2", factory.now)
    draw_billing_sample(world["officer"], world["operator"].id, {"province": "32", "size": 1, "accounts": ["A"]},
                        factory.now)
    items = due_items(world["officer"], factory.now.date(), limit=100)
    with app.test_request_context():
        links = {item.clock: url_for(item.endpoint, **item.url_args) for item in items}
    assert links["self_inspection_report"].startswith("/officer/self-inspections/")
    assert links["sample_production"].startswith("/officer/billing-samples/")
    assert due_items(world["officer33"], factory.now.date(), limit=100) == []


def test_a_clause_filed_in_the_portal_is_reviewed_and_listed_in_the_public_directory(app, world):
    from supervision.obligations.models import FormatClause

    portal, officer = world["portal"], new_browser(app, world["officer"])
    body = {"title": "宽带入网协议", "text": "第一条 经营者应当以显著方式提示资费标准、服务期限和解约条件。"}
    assert portal.post("/portal/format-clauses", data=body).status_code == 303
    assert "version 1" in text(portal.get("/portal/format-clauses"))
    clause = fresh(FormatClause)
    assert "宽带入网协议" in text(officer.get("/officer/format-clauses?status=filed"))
    officer.post(f"/officer/format-clauses/{clause.id}/actions/accept", data={"comment": ""})
    assert fresh(FormatClause).status == "accepted"
    public = new_browser(app)
    assert f"/operators/{world['operator'].id}/format-clauses" in text(public.get("/operators"))
    page = public.get(f"/operators/{world['operator'].id}/format-clauses")
    assert page.status_code == 200 and "显著方式提示资费标准" in text(page)
    assert "宽带入网协议" not in text(new_browser(app, world["officer33"]).get("/officer/format-clauses"))
