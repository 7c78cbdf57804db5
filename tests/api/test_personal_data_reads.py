"""Every read of a complainant's personal data by staff is recorded (SPEC §9): who, when, which
complaint, which fields; on the record page, in the API, by a search, by an evidence download.
The oversight role reviews the log (API, page, CSV); nobody else may."""
import io

import pytest
from sqlalchemy import event, select, update

from supervision.access.personal_data import PersonalDataRead
from supervision.complaints.models import Complaint
from supervision.extensions import db
from tests.web.test_officer_pages import PDF, new_browser

PERSONAL = ["name", "phone", "email", "address", "id_number"]


def reads(**criteria) -> list[PersonalDataRead]:
    db.session.expire_all()
    return list(db.session.scalars(select(PersonalDataRead).filter_by(**criteria).order_by(PersonalDataRead.id)))


@pytest.fixture
def parties(factory):
    """A complaint transferred to its operator, the officer in charge and the operator's staff."""
    from supervision.audit import Actor
    from supervision.complaints.transitions import perform

    operator = factory.operator()
    officer, staff = factory.officer("32"), factory.user("operator", operator=operator)
    complaint, code = factory.complaint(operator)
    for action in ("accept", "transfer"):
        perform(complaint, action, {}, Actor.of(officer), factory.now)
    db.session.commit()
    return complaint, code, officer, staff


def test_an_officer_reading_a_complaint_by_api_is_recorded_with_every_field(client, factory, parties):
    complaint, _, officer, _ = parties
    assert client.get(f"/api/v1/complaints/{complaint.reference}", headers=factory.headers(officer)).status_code == 200
    [read] = reads()
    assert (read.user_id, read.role, read.complaint_id, read.reference) == (
        officer.id, "officer", complaint.id, complaint.reference)
    assert (read.fields, read.kind, read.channel, read.at) == (PERSONAL, "view", "api", factory.now)


def test_operator_staff_read_the_phone_and_masked_fields(client, factory, parties):
    complaint, _, _, staff = parties
    client.get(f"/api/v1/complaints/{complaint.reference}", headers=factory.headers(staff))
    [read] = reads()
    assert read.fields == ["name:masked", "phone", "email:masked", "address:masked", "id_number:masked"]


def test_an_action_answer_carrying_the_record_is_a_read_too(client, factory, parties):
    complaint, _, _, staff = parties
    answer = client.post(f"/api/v1/complaints/{complaint.reference}/actions/operator_reply",
                         json={"reply": "We fixed the antenna."}, headers=factory.headers(staff))
    assert answer.status_code == 200
    assert [(r.user_id, r.kind, r.channel) for r in reads()] == [(staff.id, "view", "api")]


def test_the_complainant_reading_their_own_record_is_not_a_staff_read(client, parties):
    complaint, code, _, _ = parties
    assert client.get(f"/api/v1/complaints/{complaint.reference}",
                      query_string={"access_code": code}).status_code == 200
    assert reads() == []


def test_the_officer_page_records_the_read_and_a_refused_action_does_not_lose_it(app, factory, parties):
    complaint, _, officer, _ = parties
    browser = new_browser(app, officer)
    assert browser.get(f"/officer/complaints/{complaint.reference}").status_code == 200
    # A refused form is shown again with the record after its transaction was rolled back.
    refused = browser.post(f"/officer/complaints/{complaint.reference}/actions/close", data={"close-outcome": ""})
    assert refused.status_code == 422 and "王小明" in refused.get_data(as_text=True)
    assert [(r.kind, r.channel, r.fields) for r in reads()] == [("view", "web", PERSONAL)] * 2


def test_the_operator_portal_page_records_the_read(app, factory, parties):
    complaint, _, _, staff = parties
    assert new_browser(app, staff).get(f"/portal/complaints/{complaint.reference}").status_code == 200
    assert [(r.user_id, r.channel, r.fields[1]) for r in reads()] == [(staff.id, "web", "phone")]


def test_evidence_downloads_are_recorded_on_the_web_and_in_the_api(app, client, factory, parties):
    from supervision.audit import Actor
    from supervision.complaints.attachments import store_attachment

    complaint, _, officer, staff = parties
    attachment = store_attachment(complaint, "bill.pdf", PDF, Actor.of(officer), factory.now)
    db.session.commit()
    path = f"/complaints/{complaint.reference}/attachments/{attachment.id}"
    assert new_browser(app, officer).get("/officer" + path).status_code == 200
    assert client.get("/api/v1" + path, headers=factory.headers(staff)).status_code == 200
    assert [(r.user_id, r.kind, r.channel, r.fields) for r in reads()] == [
        (officer.id, "attachment", "web", [f"attachment:{attachment.id}"]),
        (staff.id, "attachment", "api", [f"attachment:{attachment.id}"])]


def test_a_search_that_matched_a_name_or_phone_is_a_read_of_those_fields(app, client, factory, parties):
    complaint, _, officer, _ = parties
    headers = factory.headers(officer)
    assert client.get("/api/v1/complaints", query_string={"q": "小明"}, headers=headers).json["items"]
    assert [(r.kind, r.channel, r.fields) for r in reads()] == [("search", "api", ["name"])]
    page = new_browser(app, officer).get("/officer/complaints", query_string={"q": "138-0013"})
    assert complaint.reference in page.get_data(as_text=True)
    assert reads()[-1].fields == ["phone"] and reads()[-1].channel == "web"
    # Found by reference or without a search: nothing personal was revealed.
    client.get("/api/v1/complaints", query_string={"q": complaint.reference}, headers=headers)
    client.get("/api/v1/complaints", headers=headers)
    assert len(reads()) == 2


def test_a_page_of_fifty_matches_is_logged_with_one_insert(app, client, factory):
    operator = factory.operator()
    for _ in range(50):
        factory.complaint(operator)
    headers = factory.headers(factory.officer("32"))
    inserts = []

    def count(conn, cursor, statement, *args):
        if statement.startswith("INSERT INTO personal_data_reads"):
            inserts.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        listed = client.get("/api/v1/complaints", query_string={"q": "王小明", "limit": 50}, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(listed.json["items"]) == 50
    assert len(reads(kind="search")) == 50 and len(inserts) == 1


def test_a_get_records_its_read_although_another_writer_committed_meanwhile(client, factory, parties, monkeypatch):
    """SQLite: a GET reads in a deferred transaction; a writer committing after its reads makes
    that snapshot stale, and writing the log inside it would fail at once ("database is
    locked"). The log is written in a transaction of its own, after the request's."""
    from supervision.complaints import views

    complaint, _, officer, _ = parties
    original, complaint_id = views.timeline, complaint.id

    def timeline_then_another_writer(*args):
        items = original(*args)  # the request has read by now
        with db.engine.begin() as other:
            other.execute(update(Complaint).where(Complaint.id == complaint_id).values(supervised=True))
        return items

    monkeypatch.setattr(views, "timeline", timeline_then_another_writer)
    answer = client.get(f"/api/v1/complaints/{complaint.reference}", headers=factory.headers(officer))
    assert answer.status_code == 200
    assert len(reads()) == 1


def test_no_data_leaves_when_the_read_cannot_be_recorded(app, factory, parties, monkeypatch):
    from blueprints import transactions

    complaint, _, officer, _ = parties

    def broken(channel):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(transactions, "write_pending_reads", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        answer = new_browser(app, officer).get(f"/officer/complaints/{complaint.reference}")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert answer.status_code == 500
    assert "王小明" not in answer.get_data(as_text=True) and "13800138000" not in answer.get_data(as_text=True)


# --- review: the oversight API ----------------------------------------------------------------------

@pytest.fixture
def logged(client, factory, parties, clock):
    """Reads by two staff members on two days; returns (complaint, officer, staff, oversight headers)."""
    complaint, _, officer, staff = parties
    url = f"/api/v1/complaints/{complaint.reference}"
    officer_headers, staff_headers = factory.headers(officer), factory.headers(staff)
    client.get(url, headers=officer_headers)
    clock.advance(hours=16)  # 02:00 the next day in Asia/Shanghai (the tokens last a day)
    client.get(url, headers=officer_headers)
    client.get(url, headers=staff_headers)
    return complaint, officer, staff, factory.headers(factory.user("oversight"))


def test_oversight_lists_reads_newest_first_and_filters_by_staff_member(client, logged):
    complaint, officer, staff, headers = logged
    everything = client.get("/api/v1/personal-data-reads", headers=headers)
    assert everything.status_code == 200
    assert [(i["username"], i["reference"]) for i in everything.json["items"]] == [
        (staff.username, complaint.reference), (officer.username, complaint.reference),
        (officer.username, complaint.reference)]
    assert everything.json["items"][-1]["fields"] == PERSONAL
    mine = client.get("/api/v1/personal-data-reads", query_string={"user_id": officer.id}, headers=headers).json
    assert {i["user_id"] for i in mine["items"]} == {officer.id} and len(mine["items"]) == 2


def test_oversight_filters_by_complaint_and_by_days(client, factory, logged):
    complaint, _, _, headers = logged
    other, _ = factory.complaint(factory.operator())
    by_reference = client.get("/api/v1/personal-data-reads", headers=headers,
                              query_string={"reference": other.reference}).json
    assert by_reference["items"] == []
    typed = client.get("/api/v1/personal-data-reads", headers=headers,
                       query_string={"reference": complaint.reference.lower().replace("-", "")}).json
    assert len(typed["items"]) == 3
    # The fixture's reads: 2026-11-26 and 2026-11-27 (Asia/Shanghai).
    first_day = client.get("/api/v1/personal-data-reads", headers=headers,
                           query_string={"date_from": "2026-11-26", "date_to": "2026-11-26"}).json
    second_day = client.get("/api/v1/personal-data-reads", headers=headers,
                            query_string={"date_from": "2026-11-27"}).json
    assert (len(first_day["items"]), len(second_day["items"])) == (1, 2)


def test_pages_follow_the_cursor_without_repeating(client, logged):
    *_, headers = logged
    first = client.get("/api/v1/personal-data-reads", query_string={"limit": 2}, headers=headers).json
    second = client.get("/api/v1/personal-data-reads", query_string={"limit": 2, "cursor": first["next_cursor"]},
                        headers=headers).json
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert len(ids) == 3 == len(set(ids)) and second["next_cursor"] is None


@pytest.mark.parametrize("query, field", [
    ({"date_from": "2026-11-27", "date_to": "2026-11-26"}, "date_to"),
    ({"date_from": "1999-12-31"}, "date_from"),
    ({"date_to": "2026-13-01"}, "date_to"),
    ({"user_id": "0"}, "user_id"),
    ({"limit": "500"}, "limit"),
])
def test_bad_filters_are_422_naming_the_field(client, logged, query, field):
    *_, headers = logged
    answer = client.get("/api/v1/personal-data-reads", query_string=query, headers=headers)
    assert answer.status_code == 422 and field in answer.json["errors"]


@pytest.mark.parametrize("role", ["officer", "operator", "admin"])
def test_only_the_oversight_role_may_review_the_log(client, factory, logged, role):
    user = factory.officer("CN") if role == "officer" else factory.user(
        role, operator=factory.operator() if role == "operator" else None)
    answer = client.get("/api/v1/personal-data-reads", headers=factory.headers(user))
    assert answer.status_code == 403
    assert client.get("/api/v1/personal-data-reads").status_code == 401


# --- review: the oversight page and its CSV ---------------------------------------------------------

def test_the_oversight_page_lists_filters_and_exports(app, factory, logged):
    complaint, officer, staff, _ = logged
    browser = new_browser(app, factory.user("oversight"))
    page = browser.get("/oversight/personal-data-reads").get_data(as_text=True)
    assert page.count(complaint.reference) == 3 and officer.username in page and staff.username in page
    assert "Name, Phone, Email, Address, ID number" in page
    assert "王小明" not in page and "13800138000" not in page
    filtered = browser.get("/oversight/personal-data-reads", query_string={"user_id": staff.id}).get_data(as_text=True)
    assert filtered.count(complaint.reference) == 1 and "(masked)" in filtered
    exported = browser.get("/oversight/personal-data-reads.csv", query_string={"user_id": officer.id})
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(__import__("csv").reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0] == ["at", "username", "role", "reference", "fields", "kind", "channel"]
    assert [r[1:] for r in rows[1:]] == [[officer.username, "officer", complaint.reference,
                                          "name phone email address id_number", "view", "api"]] * 2
    assert rows[1][0] == "2026-11-26T10:00:00+08:00"


def test_a_reversed_range_on_the_page_is_shown_on_the_form(app, factory, logged):
    browser = new_browser(app, factory.user("oversight"))
    answer = browser.get("/oversight/personal-data-reads", query_string={"date_from": "2026-11-27",
                                                                         "date_to": "2026-11-26"})
    assert answer.status_code == 422 and 'id="date_to-error"' in answer.get_data(as_text=True)
    assert browser.get("/oversight/personal-data-reads.csv", query_string={"date_from": "2026-11-27",
                                                                           "date_to": "2026-11-26"}).status_code == 422


@pytest.mark.parametrize("role", ["officer", "operator", "admin"])
def test_other_roles_may_not_open_the_page(app, factory, role):
    user = factory.officer("32") if role == "officer" else factory.user(
        role, operator=factory.operator() if role == "operator" else None)
    browser = new_browser(app, user)
    assert browser.get("/oversight/personal-data-reads").status_code == 403
    assert browser.get("/oversight/personal-data-reads.csv").status_code == 403
