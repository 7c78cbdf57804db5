"""Dates at the edge (issue 6 item 8): 9999-12-31 or 0001-01-01 from outside used to reach date
arithmetic and answer 500. One range (supervision/date_ranges.py: 2000-01-01 … today + 20 years)
is checked by the API schemas, the web forms and the services: 422 naming the field.

Clock: Thu 26 Nov 2026, so the range is 2000-01-01 … 2046-11-26.
"""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from supervision.audit import AuditEvent
from supervision.complaints.models import CalendarOverride, Complaint
from supervision.date_ranges import DateRange, accepted_dates
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.operators.models import Operator
from supervision.operators.rules import make_uscc
from tests.web.test_officer_pages import field_error, intake_form, new_browser, operator_form, text
from tests.web.test_public_pages import form_body

EARLIEST, LATEST = "2000-01-01", "2046-11-26"


def names_the_range(message: str) -> bool:
    """The message states the accepted range (in the caller's language: both dates appear)."""
    return EARLIEST in message and LATEST in message


def stored() -> tuple[int, int, int, int]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (Complaint, Operator, CalendarOverride, AuditEvent))


# --- the range itself -------------------------------------------------------------------------

def test_the_range_runs_from_the_configured_start_to_years_ahead(app):
    dates = accepted_dates(date(2028, 2, 29), app.config)
    assert dates == DateRange(date(2000, 1, 1), date(2048, 2, 29))
    assert accepted_dates(date(2024, 2, 29), {"EARLIEST_DATE": date(2000, 1, 1), "DATE_YEARS_AHEAD": 1}).latest \
        == date(2025, 2, 28)
    assert dates.problem(date(2000, 1, 1)) is None and dates.problem(date(2048, 2, 29)) is None
    assert dates.problem(date(1999, 12, 31)) and dates.problem(date(2048, 3, 1))
    # A moment is judged by the date written in it, without converting it (which overflows).
    assert dates.problem(datetime.fromisoformat("0001-01-01T01:00:00+08:00"))
    assert dates.problem(datetime.fromisoformat("9999-12-31T23:59:59-12:00"))


# --- API --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "value"), [
    ("operator_complaint_date", "9999-12-31"),
    ("operator_complaint_date", "0001-01-01"),
    ("event_date", "9999-12-31"),
    ("event_date", "0001-01-01"),
])
@pytest.mark.parametrize("category", ["network", "billing"])
def test_public_intake_refuses_an_absurd_date_naming_the_field(client, factory, field, value, category):
    body = factory.complaint_body(factory.operator(), category=category,
                                  subcategory="overcharge" if category == "billing" else "coverage",
                                  disputed_months=["2026-10"] if category == "billing" else [])
    before = stored()
    response = client.post("/api/v1/complaints", json=body | {field: value})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert names_the_range(response.json["errors"][field][0])
    assert stored() == before


@pytest.mark.parametrize("received_at", ["0001-01-01T01:00:00+08:00", "9999-12-31T23:00:00-05:00",
                                         "1999-12-31T23:59:00+08:00"])
def test_officer_intake_refuses_an_absurd_received_at(client, factory, received_at):
    operator = factory.operator()
    headers = factory.headers(factory.officer("32"))
    body = factory.complaint_body(operator, received_at=received_at)
    before = stored()
    response = client.post("/api/v1/complaints", json=body, headers=headers)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert names_the_range(response.json["errors"]["received_at"][0])
    assert stored() == before


def test_a_disputed_month_before_the_range_is_refused(client, factory):
    body = factory.complaint_body(factory.operator(), category="billing", subcategory="overcharge",
                                  event_date="2026-10-01", disputed_months=["0000-01"])
    response = client.post("/api/v1/complaints", json=body)
    assert response.status_code == 422
    assert "between 2000-01 and 2046-11" in " ".join(response.json["errors"]["disputed_months"])


@pytest.mark.parametrize("field", ["licence_valid_from", "licence_valid_until"])
def test_operator_licence_dates_outside_the_range_are_refused(client, factory, field):
    body = {"name": "Edge Net", "uscc": make_uscc("320100", 999), "licence_no": "B2-EDGE-1",
            "licence_type": "value_added", "scope": "provincial", "province": "32",
            "licence_valid_from": "2025-01-01", "licence_valid_until": "2029-12-31", "hotline": "10086"}
    value = "1999-12-31" if field == "licence_valid_from" else "9999-12-31"
    response = client.post("/api/v1/operators", json=body | {field: value},
                           headers=factory.headers(factory.admin()))
    assert response.status_code == 422 and names_the_range(response.json["errors"][field][0])


def test_calendar_override_outside_the_range_is_refused(client, factory):
    headers = factory.headers(factory.admin())
    response = client.put("/api/v1/calendar/overrides/9999-12-31", headers=headers,
                          json={"is_working_day": False, "note": "far future"})
    assert response.status_code == 422 and names_the_range(response.json["errors"]["day"][0])


# --- the services check it too (any caller, not only the API) -----------------------------------

def test_the_intake_service_refuses_absurd_dates_before_computing(factory):
    from supervision.complaints.intake import file_complaint

    operator = factory.operator()
    officer = factory.officer("32")
    data = factory.complaint_body(operator) | {
        "operator_complaint_date": date(9999, 12, 31), "event_date": date(1, 1, 1),
        "received_at": datetime(1, 1, 1, 1, 0, tzinfo=UTC)}
    with pytest.raises(ValidationFailed) as refused:
        file_complaint(data, officer, factory.now, "letter")
    assert set(refused.value.errors) == {"operator_complaint_date", "event_date", "received_at"}
    db.session.rollback()


def test_the_override_service_refuses_an_absurd_day(factory):
    from supervision.complaints.calendar_admin import set_override

    with pytest.raises(ValidationFailed) as refused:
        set_override(date(9999, 12, 31), False, "far future", factory.admin(), factory.now)
    assert "day" in refused.value.errors
    db.session.rollback()


# --- web forms ----------------------------------------------------------------------------------

@pytest.mark.parametrize("field", ["operator_complaint_date", "event_date"])
def test_public_form_refuses_an_absurd_date_beside_the_field(app, factory, field):
    client = new_browser(app)
    operator = factory.operator()
    before = stored()
    response = client.post("/complaints/new", data=form_body(operator, **{field: "9999-12-31"}))
    assert response.status_code == 422
    assert names_the_range(field_error(text(response), field))
    assert stored() == before


def test_officer_form_refuses_an_absurd_received_at(app, factory):
    operator = factory.operator(province="32")
    client = new_browser(app, factory.officer("32"))
    before = stored()
    response = client.post("/officer/complaints/new", data=intake_form(operator, received_at="0001-01-01T01:00"))
    assert response.status_code == 422
    assert names_the_range(field_error(text(response), "received_at"))
    assert stored() == before


def test_officer_operator_form_refuses_an_absurd_licence_date(app, factory):
    client = new_browser(app, factory.officer("32"))
    response = client.post("/officer/operators/new", data=operator_form(licence_valid_until="9999-12-31"))
    assert response.status_code == 422
    assert names_the_range(field_error(text(response), "licence_valid_until"))


def test_admin_calendar_form_refuses_an_absurd_day(app, factory):
    client = new_browser(app, factory.admin())
    response = client.post("/admin/calendar", data={"day": "9999-12-31", "is_working_day": "no", "note": "far"})
    assert response.status_code == 422
    assert names_the_range(field_error(text(response), "day"))
    assert stored()[2] == 0
