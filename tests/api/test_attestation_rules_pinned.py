"""Filing a retention attestation [M 17] (SPEC §4) pinned: the rule each refused attestation is told
(SPEC §10: a 422 names the field and the rule), the held months an attestation is judged with on its
as-of date (a hold runs from the complaint's receipt to its close, both days included), the latest
attestation of each billing system and province, and the audit event of a filing (SPEC §9)."""
import io
from datetime import UTC, datetime

import pytest

from supervision.audit import events_of
from supervision.extensions import db
from supervision.obligations.retention_check import check_retention
from tests.web.test_officer_pages import new_browser, text

URL = "/api/v1/operators/{}/retention-attestations"
TODAY = "2026-11-26"
FULL = {"system": "BOSS-1", "province": "32", "earliest_day": "2026-06-26", "latest_day": TODAY, "as_of": TODAY}
AFTER_2000 = "a date after 2000-01-01"
LATEST_AFTER_AS_OF = "the latest day held cannot be after the as-of date"


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32", name="Jiangsu Test Telecom")
    staff = factory.user("operator", operator=operator)
    national = factory.operator(scope="national", province=None, name="National Test Telecom")
    return {"operator": operator, "staff": staff, "h_staff": factory.headers(staff), "national": national,
            "h_national": factory.headers(factory.user("operator", operator=national)),
            "h_officer": factory.headers(factory.officer("CN"))}


def file(client, world, who="h_staff", operator="operator", **change):
    return client.post(URL.format(world[operator].id), json=FULL | change, headers=world[who])


@pytest.mark.parametrize(("change", "errors"), [
    pytest.param({"system": "   "}, {"system": ["name the billing system"]}, id="a blank system"),
    pytest.param({"province": "33"}, {"province": ["Jiangsu Test Telecom is not licensed in province 33"]},
                 id="a province outside the licence"),
    pytest.param({"earliest_day": "1999-12-31"}, {"earliest_day": [AFTER_2000]}, id="a day before 2000"),
    pytest.param({"as_of": "2026-11-27"}, {"as_of": ["the as-of date 2026-11-27 is in the future"]},
                 id="an as-of date in the future"),
    pytest.param({"earliest_day": TODAY, "latest_day": "2026-11-25"},
                 {"earliest_day": ["the earliest day held is after the latest day held"]}, id="earliest after latest"),
    pytest.param({"as_of": "2026-11-25"}, {"latest_day": [LATEST_AFTER_AS_OF]}, id="latest after the as-of date"),
    pytest.param({"earliest_day": "1999-12-01", "latest_day": "1999-12-31", "as_of": "1999-12-30"},
                 {"earliest_day": [AFTER_2000], "latest_day": [AFTER_2000, LATEST_AFTER_AS_OF],
                  "as_of": [AFTER_2000]}, id="every rule a field breaks is listed"),
])
def test_a_refused_attestation_names_each_field_and_rule(client, world, change, errors):
    """SPEC §4, §10: dates from 2000 on, earliest ≤ latest ≤ as-of ≤ today, a named system, a licensed province."""
    response = file(client, world, **change)
    assert (response.status_code, response.json) == (422, {
        "code": 422, "message": "The attestation cannot be filed as it is.", "errors": errors})
    assert client.get(URL.format(world["operator"].id), headers=world["h_staff"]).json == {"items": []}


@pytest.mark.parametrize("change", [
    pytest.param({"earliest_day": "2000-01-01"}, id="from 1 January 2000"),
    pytest.param({"earliest_day": TODAY}, id="a single day, today"),
])
def test_an_attestation_at_the_edges_of_the_rules_is_filed(client, world, change):
    """SPEC §4: the edges are allowed: data from 1 January 2000, and a single day held."""
    response = file(client, world, **change)
    assert response.status_code == 201, response.json


def test_a_national_operator_attests_in_every_province_but_not_for_the_ministry(client, world):
    """SPEC §4: per billing system and province; a national operator is licensed in each province, and CN is not
    a province."""
    assert file(client, world, who="h_national", operator="national", province="65").status_code == 201
    refused = file(client, world, who="h_national", operator="national", province="CN")
    assert (refused.status_code, refused.json["errors"]) == (
        422, {"province": ["National Test Telecom is not licensed in province CN"]})


@pytest.mark.parametrize(("as_of", "held"), [
    pytest.param("2026-07-31", [], id="the day before the complaint was received"),
    pytest.param("2026-08-01", ["2026-03"], id="the day it was received"),
    pytest.param("2026-09-10", ["2026-03"], id="the day it closed"),
    pytest.param("2026-09-11", [], id="the day after it closed"),
])
def test_an_attestation_is_judged_with_the_holds_active_on_its_as_of_date(client, world, factory, clock, as_of,
                                                                          held):
    """SPEC §4: a hold runs from the complaint's receipt (received_at) until the complaint closes."""
    clock.current = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)           # 10:00 on 1 August in Shanghai
    complaint, code = factory.complaint(world["operator"], "32", category="billing", subcategory="overcharge",
                                        event_date="2026-03-15", operator_complaint_date="2026-07-01",
                                        disputed_months=["2026-03"])
    clock.current = datetime(2026, 9, 10, 15, 0, tzinfo=UTC)          # 23:00 on 10 September in Shanghai
    withdrawn = client.post(f"/api/v1/complaints/{complaint.reference}/actions/withdraw",
                            json={"access_code": code})
    assert withdrawn.status_code == 200, withdrawn.json
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    response = file(client, world, earliest_day="2026-01-01", latest_day=as_of, as_of=as_of)
    assert response.json["held_months"] == held


def test_only_the_operators_holds_in_the_attested_province_count(client, world, factory, clock):
    """SPEC §4: the held months are those of the operator's own complaints in the province attested."""
    clock.current = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)
    for operator, province, month in ((world["national"], "32", "2026-03"), (world["national"], "33", "2026-04"),
                                      (world["operator"], "32", "2026-05")):
        factory.complaint(operator, province, category="billing", subcategory="overcharge",
                          event_date=f"{month}-15", operator_complaint_date="2026-07-01", disputed_months=[month])
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    response = file(client, world, who="h_national", operator="national", province="32")
    assert response.json["held_months"] == ["2026-03"]
    assert response.json["gaps"] == [{"from": "2026-03-01", "to": "2026-03-31"}]


def test_the_list_shows_the_latest_attestation_of_each_system_and_province(client, world):
    """SPEC §4: the daily job judges each latest attestation: the newest as-of date wins, then the newest filing."""
    national = {"who": "h_national", "operator": "national"}
    first = file(client, world, **national, as_of="2026-11-20", latest_day="2026-11-20").json
    file(client, world, **national, as_of="2026-11-10", latest_day="2026-11-10")       # older, filed later
    crm = file(client, world, **national, system="CRM-2").json
    other = file(client, world, **national, province="33").json
    again = file(client, world, **national, province="33", earliest_day="2026-06-27").json   # same day, later
    listed = client.get(URL.format(world["national"].id), headers=world["h_officer"]).json["items"]
    assert [(a["id"], a["system"], a["province"]) for a in listed] == [
        (first["id"], "BOSS-1", "32"), (again["id"], "BOSS-1", "33"), (crm["id"], "CRM-2", "32")]
    assert other["id"] not in {a["id"] for a in listed}


def test_a_filing_is_audited_with_what_was_attested(client, world):
    """SPEC §9: the filing's event records the operator, system, province, the three days and the judgement."""
    attestation = file(client, world, system=" BOSS-1 ", earliest_day="2026-06-27").json
    (event,) = events_of("retention_attestation", attestation["id"])
    assert (event.action, event.actor_id, event.after) == ("file", world["staff"].id, {
        "operator_id": world["operator"].id, "system": "BOSS-1", "province": "32", "earliest_day": "2026-06-27",
        "latest_day": TODAY, "as_of": TODAY, "compliant": False})


def test_the_daily_check_does_not_count_the_days_after_an_attestations_as_of_date(client, world, factory):
    """SPEC §4: the daily job judges the latest attestation on today's window, but the days after its as-of date
    are not missing (its age is judged apart: 6 days is within the limit)."""
    assert file(client, world, earliest_day="2026-06-20", latest_day="2026-11-20", as_of="2026-11-20").json[
        "compliant"] is True
    result = check_retention(factory.now)
    db.session.commit()
    assert (result.raised, client.get("/api/v1/findings?source=retention", headers=world["h_officer"]).json[
        "items"]) == (0, [])


def test_a_csv_line_without_a_billing_system_is_refused(client, world, app):
    """SPEC §4: attestations are per billing system: a CSV line with the system left empty files nothing."""
    csv = ("system,province,earliest_day,latest_day,as_of\n"
           "BOSS-1,32,2026-06-26,2026-11-26,2026-11-26\n"
           ",32,2026-06-26,2026-11-26,2026-11-26\n")
    response = new_browser(app, world["staff"]).post("/portal/retention/upload",
                                                     data={"file": (io.BytesIO(csv.encode()), "systems.csv")})
    assert response.status_code == 422
    assert "line 3: system" in text(response) and "name the billing system" in text(response)
    assert client.get(URL.format(world["operator"].id), headers=world["h_staff"]).json == {"items": []}
