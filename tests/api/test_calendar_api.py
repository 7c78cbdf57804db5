"""Working-day calendar API (SPEC §3, §10) and the admin's overrides."""
import pytest
from sqlalchemy import func, select

from supervision.complaints.models import CalendarOverride
from supervision.extensions import db

URL = "/api/v1/calendar/working-days"


def working_days(client, start: str, days) -> dict:
    response = client.get(URL, query_string={"start": start, "days": days})
    assert response.status_code == 200, response.json
    return response.json


def test_answer_has_exactly_the_documented_shape(client, ctx):
    assert working_days(client, "2026-01-30", 3) == {
        "start": "2026-01-30", "days": 3, "due": "2026-02-04", "provisional": False}


@pytest.mark.parametrize(("start", "days", "due"), [
    ("2026-01-30", 0, "2026-01-30"),   # nothing to add
    ("2026-09-30", 1, "2026-10-08"),   # National Day week skipped
    ("2026-02-13", 1, "2026-02-14"),   # Saturday 14 Feb 2026 is a make-up workday (调休)
    ("2026-11-27", 1, "2026-11-30"),   # Friday → Monday: the start day is not counted, the weekend skipped
])
def test_official_calendar_with_make_up_workdays(client, ctx, start, days, due):
    assert working_days(client, start, days)["due"] == due


def test_a_year_without_an_official_schedule_is_provisional(client, ctx):
    answer = working_days(client, "2027-03-01", 5)
    assert answer["provisional"] is True
    assert answer["due"] == "2027-03-08"  # Mon–Fri fallback


@pytest.mark.parametrize(("query", "field"), [
    ({"start": "2026-02-30", "days": 3}, "start"),
    ({"start": "30/01/2026", "days": 3}, "start"),
    ({"start": "2026-01-30", "days": -1}, "days"),
    ({"start": "2026-01-30", "days": "three"}, "days"),
    ({"start": "2026-01-30", "days": 366}, "days"),
    ({"days": 3}, "start"),
    ({"start": "2026-01-30"}, "days"),
    ({"start": "9999-12-30", "days": 5}, "start"),
    ({"start": "0001-01-01", "days": 5}, "start"),
])
def test_bad_query_is_422_naming_the_field(client, ctx, query, field):
    response = client.get(URL, query_string=query)
    assert response.status_code == 422, response.json
    body = response.json
    assert body["code"] == 422 and body["message"] and field in body["errors"]


def put_override(client, headers, day: str, working: bool, note: str = "State Council notice 2026-11"):
    return client.put(f"/api/v1/calendar/overrides/{day}", headers=headers,
                      json={"is_working_day": working, "note": note})


def test_admin_override_changes_the_answer(factory, client):
    headers = factory.headers(factory.admin())
    assert working_days(client, "2026-01-30", 3)["due"] == "2026-02-04"
    response = put_override(client, headers, "2026-02-03", False)
    assert response.status_code == 200, response.json
    assert response.json["day"] == "2026-02-03" and response.json["is_working_day"] is False
    assert working_days(client, "2026-01-30", 3)["due"] == "2026-02-05"
    assert client.delete("/api/v1/calendar/overrides/2026-02-03", headers=headers).status_code == 204
    assert working_days(client, "2026-01-30", 3)["due"] == "2026-02-04"


def test_override_of_a_provisional_year_is_no_longer_provisional_that_day(factory, client):
    headers = factory.headers(factory.admin())
    assert put_override(client, headers, "2027-03-02", True).status_code == 200
    assert working_days(client, "2027-03-01", 1) == {
        "start": "2027-03-01", "days": 1, "due": "2027-03-02", "provisional": False}


@pytest.mark.parametrize("who", ["officerCN", "oversight", "public"])
def test_only_an_admin_may_override(factory, client, who):
    users = {"officerCN": lambda: factory.officer("CN"), "oversight": lambda: factory.user("oversight"),
             "public": lambda: None}
    user = users[who]()
    headers = factory.headers(user) if user else {}
    response = put_override(client, headers, "2026-02-03", False)
    assert response.status_code == (401 if user is None else 403)
    assert response.json["code"] == response.status_code and response.json["message"]
    assert db.session.scalar(select(func.count()).select_from(CalendarOverride)) == 0
    assert working_days(client, "2026-01-30", 3)["due"] == "2026-02-04"


@pytest.mark.parametrize(("body", "field"), [
    ({"is_working_day": False}, "note"),
    ({"is_working_day": False, "note": "x"}, "note"),
    ({"note": "State Council notice"}, "is_working_day"),
])
def test_bad_override_is_422(factory, client, body, field):
    headers = factory.headers(factory.admin())
    response = client.put("/api/v1/calendar/overrides/2026-02-03", json=body, headers=headers)
    assert response.status_code == 422 and field in response.json["errors"]


@pytest.mark.parametrize("day", ["2026-02-30", "yesterday"])
def test_override_of_a_day_that_is_not_a_date_is_404(factory, client, day):
    headers = factory.headers(factory.admin())
    response = put_override(client, headers, day, False)
    assert response.status_code == 404 and response.json["code"] == 404


def test_override_far_outside_the_calendar_is_422(factory, client):
    headers = factory.headers(factory.admin())
    response = put_override(client, headers, "0001-01-01", False)
    assert response.status_code == 422 and "day" in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(CalendarOverride)) == 0


def test_removing_a_missing_override_is_404(factory, client):
    headers = factory.headers(factory.admin())
    response = client.delete("/api/v1/calendar/overrides/2026-02-03", headers=headers)
    assert response.status_code == 404 and response.json["code"] == 404


def test_public_can_read_the_overrides_with_their_sources(factory, client):
    headers = factory.headers(factory.admin())
    put_override(client, headers, "2026-03-02", False, "Local typhoon closure, notice no. 7")
    put_override(client, headers, "2026-02-28", True, "Make-up workday, notice no. 8")
    listing = client.get("/api/v1/calendar/overrides")
    assert listing.status_code == 200
    assert [(o["day"], o["is_working_day"], o["note"]) for o in listing.json] == [
        ("2026-02-28", True, "Make-up workday, notice no. 8"),
        ("2026-03-02", False, "Local typhoon closure, notice no. 7")]
