"""Findings over the API (SPEC §10 POST /findings) and the "what is due" list: the operator AND
the province named in the body must be in the officer's scope; lists are scoped; closing is a
step of the finding workflow (422 without a note, 409 twice)."""
import pytest

from supervision.access.models import NATIONAL


@pytest.fixture
def world(factory):
    jiangsu, zhejiang = factory.operator(province="32"), factory.operator(province="33")
    national = factory.operator(scope="national", province=None)
    return {"jiangsu": jiangsu, "zhejiang": zhejiang, "national": national,
            "officer32": factory.officer("32"), "officer33": factory.officer("33"),
            "officerCN": factory.officer(NATIONAL),
            "staff": factory.user("operator", operator=jiangsu)}


def post_finding(client, factory, user, operator, province, **extra):
    body = {"operator_id": operator.id, "province": province, "article": "M 17",
            "facts": "Billing records of 2026-09 could not be produced."} | extra
    return client.post("/api/v1/findings", json=body, headers=factory.headers(user))


def test_an_officer_records_a_finding_in_their_province(client, factory, world):
    response = post_finding(client, factory, world["officer32"], world["jiangsu"], "32", article="m17")
    assert response.status_code == 201, response.json
    body = response.json
    assert (body["state"], body["source"], body["article"], body["authority"]) == ("open", "officer", "M 17", "32")
    assert body["allowed_actions"] == ["close"]


def test_a_province_outside_the_officers_jurisdiction_is_refused_naming_the_field(client, factory, world):
    """The national operator is in scope for Jiangsu, but Guangdong (44) is not Jiangsu's to write
    (403 naming the field, as every write naming a province: access/scoping.require_province_in_scope)."""
    response = post_finding(client, factory, world["officer32"], world["national"], "44")
    assert response.status_code == 403
    assert "province" in response.json["errors"]


def test_an_operator_outside_scope_is_not_found(client, factory, world):
    assert post_finding(client, factory, world["officer32"], world["zhejiang"], "33").status_code == 404


def test_a_provincial_operator_cannot_be_found_in_another_province(client, factory, world):
    response = post_finding(client, factory, world["officerCN"], world["jiangsu"], "33")
    assert response.status_code == 422 and "province" in response.json["errors"]


@pytest.mark.parametrize("article", ["", "17", "X 17", "M 170"])
def test_the_article_must_name_an_article(client, factory, world, article):
    response = post_finding(client, factory, world["officer32"], world["jiangsu"], "32", article=article)
    assert response.status_code == 422 and "article" in response.json["errors"]


def test_operator_staff_may_not_record_findings(client, factory, world):
    refused = post_finding(client, factory, world["staff"], world["jiangsu"], "32")
    assert refused.status_code == 403 and "officer" in refused.json["message"]


def test_findings_are_listed_in_scope_only(client, factory, world):
    own = post_finding(client, factory, world["officer32"], world["jiangsu"], "32").json["id"]
    other = post_finding(client, factory, world["officer33"], world["zhejiang"], "33").json["id"]

    def listed(user):
        return {f["id"] for f in client.get("/api/v1/findings", headers=factory.headers(user)).json["items"]}

    assert listed(world["officer32"]) == {own}
    assert listed(world["officer33"]) == {other}
    assert listed(world["officerCN"]) == {own, other}
    assert listed(world["staff"]) == {own}  # the operator's own findings
    assert client.get(f"/api/v1/findings/{other}", headers=factory.headers(world["officer32"])).status_code == 404
    assert client.get("/api/v1/findings").status_code == 401


def test_closing_needs_a_note_and_happens_once(client, factory, world):
    finding = post_finding(client, factory, world["officer32"], world["jiangsu"], "32").json["id"]
    headers = factory.headers(world["officer32"])
    url = f"/api/v1/findings/{finding}/actions/close"
    missing = client.post(url, json={}, headers=headers)
    assert missing.status_code == 422
    assert missing.json["errors"] == {"note": ["note is required for close"]}  # the field and the step named
    staff = client.post(url, json={"note": "fixed"}, headers=factory.headers(world["staff"]))
    assert staff.status_code == 403
    closed = client.post(url, json={"note": "records produced on re-check"}, headers=headers)
    assert closed.status_code == 200 and closed.json["state"] == "closed"
    assert closed.json["closing_note"] == "records produced on re-check"
    assert closed.json["closed_at"] is not None
    again = client.post(url, json={"note": "again"}, headers=headers)
    assert again.status_code == 409


def test_what_is_due_over_the_api_is_scoped_and_filtered_by_kind(client, factory, world):
    mine, _ = factory.complaint(world["jiangsu"])
    factory.complaint(world["zhejiang"], province="33")
    response = client.get("/api/v1/due", headers=factory.headers(world["officer32"]))
    assert response.status_code == 200
    items = response.json["items"]
    assert {i["label"] for i in items} == {mine.reference}
    assert {i["clock"] for i in items} == {"acceptance", "answer"}
    assert items[0]["due"] <= items[-1]["due"] and items[0]["kind"] == "complaint"
    none = client.get("/api/v1/due?kind=order", headers=factory.headers(world["officer32"]))
    assert none.status_code == 200


def test_the_what_is_due_page_links_each_record(client, factory, world, app):
    from tests.web.test_officer_pages import new_browser

    complaint, _ = factory.complaint(world["jiangsu"])
    page = new_browser(app, world["officer32"]).get("/officer/due")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"/officer/complaints/{complaint.reference}" in html and "Decision on acceptance" in html


def test_ordering_is_not_an_action_a_caller_can_ask_for(client, factory, world):
    """A finding becomes `ordered` only when an order cites it, never through its action endpoint."""
    finding = post_finding(client, factory, world["officer32"], world["jiangsu"], "32").json["id"]
    response = client.post(f"/api/v1/findings/{finding}/actions/order", json={},
                           headers=factory.headers(world["officer32"]))
    assert response.status_code == 422 and "action" in response.json["errors"]


def test_an_order_citing_a_finding_moves_it_to_ordered(factory, world):
    from supervision.audit import Actor
    from supervision.findings import services

    finding, _ = services.raise_finding(world["jiangsu"], "32", "officer", "M 17", "gap",
                                        Actor.of(world["officer32"]), factory.now)
    services.cite_in_order(finding, "苏通整〔2026〕1号", Actor.of(world["officer32"]), factory.now)
    assert finding.state == "ordered"
    from supervision.audit import events_of

    ordered = events_of("finding", finding.id)[-1]
    assert (ordered.action, ordered.note, ordered.after) == ("order", "苏通整〔2026〕1号", {"state": "ordered"})
    assert services.allowed_actions(finding, Actor.of(world["officer32"])) == ["close"]
