"""Retention attestations [M 17] (SPEC §4, §10) and the daily retention check."""
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from supervision.access.scoping import scoped
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.obligations.retention_check import check_retention

URL = "/api/v1/operators/{}/retention-attestations"
# Today is 2026-11-26: the window runs from 2026-06-26.
FULL = {"system": "BOSS-1", "province": "32", "earliest_day": "2026-06-26", "latest_day": "2026-11-26",
        "as_of": "2026-11-26"}


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    other = factory.operator(province="33")
    national = factory.operator(scope="national", province=None)
    staff = factory.user("operator", operator=operator)
    return {"operator": operator, "other": other, "national": national, "staff": staff,
            "h_staff": factory.headers(staff),
            "h_other": factory.headers(factory.user("operator", operator=other)),
            "h_national": factory.headers(factory.user("operator", operator=national)),
            "officer32": factory.officer("32"), "officer33": factory.officer("33")}


def test_a_complete_attestation_is_compliant(client, world):
    response = client.post(URL.format(world["operator"].id), json=FULL, headers=world["h_staff"])
    assert response.status_code == 201, response.json
    assert (response.json["required_from"], response.json["required_to"]) == ("2026-06-26", "2026-11-26")
    assert response.json["gaps"] == [] and response.json["compliant"] is True
    assert response.json["held_months"] == []


def test_one_missing_day_is_a_gap(client, world):
    body = FULL | {"earliest_day": "2026-06-27"}
    response = client.post(URL.format(world["operator"].id), json=body, headers=world["h_staff"])
    assert response.status_code == 201
    assert response.json["gaps"] == [{"from": "2026-06-26", "to": "2026-06-26"}]
    assert response.json["compliant"] is False


def test_a_month_held_by_an_open_billing_complaint_must_be_kept(client, world, factory, clock):
    clock.current = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)
    factory.complaint(world["operator"], "32", category="billing", subcategory="overcharge",
                      event_date="2026-03-15", operator_complaint_date="2026-07-01", disputed_months=["2026-03"])
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    response = client.post(URL.format(world["operator"].id), json=FULL, headers=world["h_staff"])
    assert response.json["held_months"] == ["2026-03"]
    assert response.json["gaps"] == [{"from": "2026-03-01", "to": "2026-03-31"}]
    # Judged on its as-of date: on 20 July the complaint had not been received, so no hold yet.
    earlier = {"system": "BOSS-1", "province": "32", "earliest_day": "2026-02-20", "latest_day": "2026-07-20",
               "as_of": "2026-07-20"}
    response = client.post(URL.format(world["operator"].id), json=earlier, headers=world["h_staff"])
    assert response.json["held_months"] == [] and response.json["compliant"] is True


@pytest.mark.parametrize(("change", "field"), [
    ({"earliest_day": "2026-11-27", "latest_day": "2026-11-26"}, "earliest_day"),
    ({"as_of": "2026-11-27", "latest_day": "2026-11-26"}, "as_of"),
    ({"province": "33"}, "province"),
    ({"province": "99"}, "province"),
    ({"earliest_day": "not a date"}, "earliest_day"),
    ({"system": ""}, "system"),
])
def test_bad_input_names_the_field(client, world, change, field):
    response = client.post(URL.format(world["operator"].id), json=FULL | change, headers=world["h_staff"])
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_a_national_operator_attests_in_any_province(client, world):
    response = client.post(URL.format(world["national"].id), json=FULL | {"province": "44"},
                           headers=world["h_national"])
    assert response.status_code == 201


def test_another_operators_staff_gets_404_and_an_officer_403(client, world, factory):
    assert client.post(URL.format(world["operator"].id), json=FULL, headers=world["h_other"]).status_code == 404
    officer = factory.headers(world["officer32"])
    assert client.post(URL.format(world["operator"].id), json=FULL, headers=officer).status_code == 403
    assert client.post(URL.format(world["operator"].id), json=FULL).status_code == 401


def test_officers_list_only_their_provinces_attestations(client, world, factory):
    client.post(URL.format(world["national"].id), json=FULL | {"province": "32"}, headers=world["h_national"])
    client.post(URL.format(world["national"].id), json=FULL | {"province": "33"}, headers=world["h_national"])
    seen = client.get(URL.format(world["national"].id), headers=factory.headers(world["officer33"])).json
    assert [a["province"] for a in seen["items"]] == ["33"]


def _retention_findings(user=None):
    stmt = select(Finding).where(Finding.source == "retention")
    if user is not None:
        stmt = scoped(stmt, user)
    return list(db.session.scalars(stmt.order_by(Finding.id)))


def test_the_daily_check_raises_one_finding_per_gap_and_resolves_it_when_covered(client, world, factory, clock):
    client.post(URL.format(world["operator"].id), json=FULL | {"earliest_day": "2026-06-28"},
                headers=world["h_staff"])
    result = check_retention(clock.now())
    assert result.raised == 1
    check_retention(clock.now())  # a rerun raises nothing new
    (finding,) = _retention_findings()
    assert finding.state == "open" and finding.article == "M 17" and finding.province == "32"
    assert finding.details["missing_days"] == 2
    assert finding.details["gaps"] == [{"from": "2026-06-26", "to": "2026-06-27"}]
    assert _retention_findings(world["officer32"]) == [finding]
    assert _retention_findings(world["officer33"]) == []  # another province's officer sees nothing
    clock.advance(hours=1)
    client.post(URL.format(world["operator"].id), json=FULL, headers=world["h_staff"])
    assert check_retention(clock.now()).resolved == 1
    db.session.refresh(finding)
    assert finding.state == "closed"
    db.session.commit()


def test_an_attestation_older_than_the_limit_raises_a_finding(client, world, clock):
    old = {"system": "BOSS-1", "province": "32", "earliest_day": "2026-05-01", "latest_day": "2026-10-20",
           "as_of": "2026-10-20"}
    client.post(URL.format(world["operator"].id), json=old, headers=world["h_staff"])
    assert check_retention(clock.now()).raised == 1  # 37 days old (limit 31)
    (finding,) = _retention_findings()
    assert finding.details["age_days"] == 37
    db.session.commit()
