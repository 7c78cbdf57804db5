"""The officer's CSV export of the queue: streamed, scoped, filtered like the queue, no access codes."""
import csv
import io

import pytest

from tests.web.test_officer_pages import new_browser


@pytest.fixture
def filed(factory):
    jiangsu, zhejiang = factory.operator(province="32", name="Jiangsu Telecom"), factory.operator(province="33")
    mine, code = factory.complaint(jiangsu, "32", description="=HYPERLINK(\"http://evil\")")
    other, _ = factory.complaint(jiangsu, "32", request="-1 month's fee back",
                                 complainant={"name": "李娜", "phone": "13700001111"})
    theirs, _ = factory.complaint(zhejiang, "33")
    return {"mine": mine, "other": other, "theirs": theirs, "code": code, "factory": factory}


def download(browser, query: str = ""):
    response = browser.get(f"/officer/complaints.csv{query}", buffered=False)
    assert response.status_code == 200
    assert response.is_streamed  # a generator, not a body built in memory
    body = b"".join(response.response).decode("utf-8")
    response.close()
    return response, list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_export_streams_the_officers_complaints_only(client, filed):
    browser = new_browser(client.application, filed["factory"].officer("32"))
    response, rows = download(browser)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert [row["reference"] for row in rows] == [filed["mine"].reference, filed["other"].reference]
    first = rows[0]
    assert first["operator"] == "Jiangsu Telecom" and first["province"] == "32" and first["status"] == "submitted"
    assert first["complainant_name"] == "王小明" and first["complainant_phone"] == "13800138000"


def test_no_access_code_and_no_formula_leaves_in_the_export(client, filed):
    browser = new_browser(client.application, filed["factory"].officer("32"))
    response = browser.get("/officer/complaints.csv")
    body = response.get_data(as_text=True)
    assert filed["code"] not in body and "access_code" not in body
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(body.removeprefix("\ufeff")))}
    # A spreadsheet would run these as formulas: the cell starts with an apostrophe instead.
    assert rows[filed["mine"].reference]["description"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[filed["other"].reference]["request"] == "'-1 month's fee back"


def test_the_export_takes_the_queues_filters(client, filed):
    browser = new_browser(client.application, filed["factory"].officer("32"))
    _, rows = download(browser, "?q=李娜")
    assert [row["reference"] for row in rows] == [filed["other"].reference]
    _, rows = download(browser, "?status=closed")
    assert rows == []
    page = browser.get("/officer/complaints?q=李娜&page=2").get_data(as_text=True)
    assert "/officer/complaints.csv?q=" in page and "page=2" not in page.split("complaints.csv")[1].split('"')[0]


def test_a_national_officer_exports_every_province(client, filed):
    browser = new_browser(client.application, filed["factory"].officer("CN"))
    _, rows = download(browser)
    assert {row["reference"] for row in rows} == {filed[k].reference for k in ("mine", "other", "theirs")}


def test_operator_staff_and_the_public_cannot_export(client, filed):
    factory = filed["factory"]
    staff = new_browser(client.application, factory.user("operator", operator=factory.operator(province="32")))
    assert staff.get("/officer/complaints.csv").status_code == 403
    anonymous = new_browser(client.application)
    assert anonymous.get("/officer/complaints.csv").status_code == 302


def test_every_exported_complaint_is_a_logged_read_of_its_personal_data(client, filed):
    """个人信息保护法: an export shows each complainant's personal data, so the oversight role sees
    one read per exported complaint, by whom, of which fields, as an export (SPEC §9)."""
    from sqlalchemy import select

    from supervision.access.personal_data import PersonalDataRead
    from supervision.extensions import db

    officer = filed["factory"].officer("32")
    download(new_browser(client.application, officer), "?q=李娜")
    reads = db.session.scalars(select(PersonalDataRead).where(PersonalDataRead.kind == "export")).all()
    assert [(r.reference, r.user_id, r.channel) for r in reads] == [(filed["other"].reference, officer.id, "web")]
    assert reads[0].fields == ["name", "phone", "email", "address", "id_number"]
    assert filed["mine"].reference not in {r.reference for r in reads}  # not exported, not read
