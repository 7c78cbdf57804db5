"""Numbers and months from the query string and the path (issue 6 item 9): a huge `?page=` or
`?month=9999-12` used to reach the database or date arithmetic and answer 500. Every paged page
goes through one bounded parser (officer.page_number): past the end is the last page."""
import re

import pytest

from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.extensions import db
from tests.web.test_officer_pages import new_browser, text

HUGE = "99999999999999999999"
PAGED = {"/officer/complaints": "officer", "/officer/operators": "officer", "/portal/": "operator",
         "/admin/calendar": "admin"}


def shown_page(html: str) -> int | None:
    match = re.search(r"Page (\d+)</span>", html)
    return int(match[1]) if match else None


@pytest.fixture
def users(factory):
    operator = factory.operator(province="32", name="Paged Telecom")
    return {"officer": factory.officer("32"), "operator": factory.user("operator", operator=operator),
            "admin": factory.admin(), "the operator": operator}


@pytest.mark.parametrize("path", sorted(PAGED))
@pytest.mark.parametrize("page", [HUGE, "9" * 5000, "-3", "0", "abc", "1e9", "２"])
def test_any_page_number_answers_a_page(app, users, path, page):
    client = new_browser(app, users[PAGED[path]])
    response = client.get(path, query_string={"page": page})
    assert response.status_code == 200


def test_a_page_past_the_end_shows_the_last_page(app, factory, users, monkeypatch):
    monkeypatch.setattr("blueprints.web.officer.PAGE_SIZE", 2)
    officer = users["officer"]
    for _ in range(4):  # 4 complaints, transferred so that the portal lists them too: 2 pages
        complaint, _ = factory.complaint(users["the operator"])
        for action in ("accept", "transfer"):
            transitions.perform(complaint, action, {}, Actor.of(officer), factory.now)
    db.session.commit()
    for user, path in ((officer, "/officer/complaints"), (users["operator"], "/portal/")):
        client = new_browser(app, user)
        last = text(client.get(path, query_string={"page": HUGE}))
        assert shown_page(last) == 2 and 'rel="next"' not in last
        assert shown_page(text(client.get(path, query_string={"page": "2"}))) == 2
        assert shown_page(text(client.get(path, query_string={"page": "1"}))) == 1


@pytest.mark.parametrize("month", ["9999-12", "1-1", "0000-01", "1999-12", f"{HUGE}-1", "2026-13", "2026-00"])
def test_a_month_outside_the_range_falls_back_to_this_month(app, users, month):
    response = new_browser(app, users["admin"]).get("/admin/calendar", query_string={"month": month})
    page = text(response)
    assert response.status_code == 200
    assert 'data-day="2026-11-26"' in page and "between 2000-01 and 2046-11" in page


@pytest.mark.parametrize(("month", "has_previous", "has_next"), [("2000-01", False, True), ("2046-11", True, False),
                                                                   ("2026-11", True, True)])
def test_the_month_links_stop_at_the_edges_of_the_range(app, users, month, has_previous, has_next):
    page = text(new_browser(app, users["admin"]).get("/admin/calendar", query_string={"month": month}))
    assert f'<h2 id="month-title">{month}</h2>' in page
    assert ("Previous month" in page, "Next month" in page) == (has_previous, has_next)


@pytest.mark.parametrize(("who", "method", "path"), [
    ("officer", "get", f"/officer/operators/{HUGE}"),
    ("officer", "get", f"/officer/operators/{HUGE}/edit"),
    ("officer", "post", f"/officer/operators/{HUGE}/subscribers"),
    ("officer", "get", f"/officer/complaints/TS-32-20261126-000001/attachments/{HUGE}"),
    ("operator", "get", f"/portal/complaints/TS-32-20261126-000001/attachments/{HUGE}"),
])
def test_a_huge_id_in_the_path_is_404(app, users, who, method, path):
    response = getattr(new_browser(app, users[who]), method)(path)
    assert response.status_code == 404
