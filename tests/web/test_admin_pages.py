"""The admin calendar page (overrides move open deadlines) and the role × page matrix."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from supervision.complaints.models import CalendarOverride, Complaint
from supervision.extensions import db
from tests.web.test_officer_pages import field_error, fresh, new_browser, text


@pytest.fixture
def browser(app, factory):
    return lambda user=None: new_browser(app, user)


def day_kind(page: str, day: str) -> str | None:
    match = re.search(rf'data-day="{day}" data-kind="([a-z_]+)"', page)
    return match[1] if match else None


def test_override_moves_an_open_deadline_and_says_how_many(browser, factory):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    reference = complaint.reference
    # Received Thursday 2026-11-26: 5 working days → Thursday 2026-12-03.
    assert complaint.deadline("acceptance").due == date(2026, 12, 3)
    client = browser(factory.admin())
    response = client.post("/admin/calendar", data={"day": "2026-12-01", "is_working_day": "no",
                                                    "note": "Provincial closure (test notice)"})
    assert response.status_code == 302 and response.headers["Location"].endswith("month=2026-12#messages")
    page = text(client.get(response.headers["Location"]))
    assert "1 open deadline was recomputed" in page
    assert day_kind(page, "2026-12-01") == "override_holiday"
    assert "Provincial closure (test notice)" in page
    assert fresh(Complaint, reference=reference).deadline("acceptance").due == date(2026, 12, 4)

    assert client.post("/admin/calendar/2026-12-01/delete").status_code == 302
    assert db.session.get(CalendarOverride, date(2026, 12, 1)) is None
    assert fresh(Complaint, reference=reference).deadline("acceptance").due == date(2026, 12, 3)


def test_override_replaces_the_same_day(browser, factory):
    client = browser(factory.admin())
    client.post("/admin/calendar", data={"day": "2026-12-05", "is_working_day": "yes", "note": "make-up day"})
    client.post("/admin/calendar", data={"day": "2026-12-05", "is_working_day": "no", "note": "cancelled"})
    rows = db.session.scalars(select(CalendarOverride)).all()
    assert [(r.day, r.is_working_day, r.note) for r in rows] == [(date(2026, 12, 5), False, "cancelled")]


def test_override_without_a_note_is_refused_and_nothing_saved(browser, factory):
    client = browser(factory.admin())
    response = client.post("/admin/calendar", data={"day": "2026-12-01", "is_working_day": "no", "note": ""})
    assert response.status_code == 422 and field_error(text(response), "note")
    assert db.session.scalars(select(CalendarOverride)).first() is None


def test_month_grid_marks_holidays_weekends_and_makeup_workdays(browser, factory):
    page = text(browser(factory.admin()).get("/admin/calendar?month=2026-10"))
    assert day_kind(page, "2026-10-01") == "holiday"      # National Day
    assert day_kind(page, "2026-10-10") == "makeup_workday"  # a Saturday worked (调休)
    assert day_kind(page, "2026-10-11") == "weekend"
    assert day_kind(page, "2026-10-12") == "workday"
    assert day_kind(page, "2026-09-30") is None  # the grid shows only the month asked


def test_a_bad_month_falls_back_to_this_month(browser, factory):
    page = text(browser(factory.admin()).get("/admin/calendar?month=October"))
    assert "YYYY-MM" in page and day_kind(page, "2026-11-26") == "workday"


def test_deleting_a_missing_override_is_not_found(browser, factory):
    assert browser(factory.admin()).post("/admin/calendar/2026-12-01/delete").status_code == 404


# --- who may open what -------------------------------------------------------------------------------

PAGES = {"officer": "/officer/complaints", "officer_ops": "/officer/operators", "portal": "/portal/",
         "admin": "/admin/calendar", "oversight": "/oversight/personal-data-reads"}
ALLOWED = {"officer": {"officer", "officer_ops"}, "operator": {"portal"}, "admin": {"admin"},
           "oversight": {"oversight"}}


def make_user(factory, role: str):
    if role == "officer":
        return factory.officer("32")
    return factory.user(role, operator=factory.operator() if role == "operator" else None)


@pytest.mark.parametrize("role", sorted(ALLOWED))
def test_role_page_matrix(browser, factory, role):
    client = browser(make_user(factory, role))
    statuses = {page: client.get(path).status_code for page, path in PAGES.items()}
    assert statuses == {page: 200 if page in ALLOWED[role] else 403 for page in PAGES}


@pytest.mark.parametrize("path", sorted(PAGES.values()))
def test_anonymous_visitors_are_sent_to_log_in(browser, path):
    response = browser().get(path)
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
