"""Hotlines [M 16] on the web: the portal page replaces the list and shows the history; the
officer's operator page shows the change; the public directory shows the current list; the
self-inspection checklist item links to the hotlines."""
import pytest

from supervision.obligations.models import SelfInspection
from supervision.operators.models import Operator
from tests.web.test_officer_pages import fresh, new_browser, text


@pytest.fixture
def world(app, factory):
    operator = factory.operator(province="32", name="Hotline Telecom", hotline="10000")
    staff = factory.user("operator", operator=operator)
    return {"operator": operator, "portal": new_browser(app, staff), "officer": new_browser(app, factory.officer("32"))}


def rows(*channels) -> dict:
    form = {}
    for i, (kind, number, label) in enumerate(channels):
        form |= {f"kind-{i}": kind, f"number-{i}": number, f"label-{i}": label}
    return form


def test_staff_replace_their_hotlines_and_everyone_sees_the_change(app, world):
    page = text(world["portal"].get("/portal/hotlines"))
    assert 'value="10000"' in page and "No change recorded yet." in page
    response = world["portal"].post("/portal/hotlines", data=rows(("phone", "400-800-1234", "24 h"),
                                                                  ("wechat", "HotlineTel", ""), ("phone", "", "")))
    assert response.status_code == 303
    assert [(h.kind, h.number) for h in fresh(Operator).hotlines] == [("phone", "400-800-1234"),
                                                                      ("wechat", "HotlineTel")]
    history = text(world["portal"].get("/portal/hotlines")).split("History of changes")[1]
    assert "10000" in history and "400-800-1234" in history  # before → after
    officer_page = text(world["officer"].get(f"/officer/operators/{world['operator'].id}"))
    assert "Hotlines changed" in officer_page and "10000" in officer_page.split("History")[-1]
    directory = text(new_browser(app).get("/operators?q=Hotline"))
    assert "400-800-1234" in directory and "10000" not in directory


def test_an_invalid_row_is_shown_next_to_its_field_and_nothing_is_saved(world):
    response = world["portal"].post("/portal/hotlines", data=rows(("phone", "400-800-1234", ""),
                                                                  ("phone", "call us", "")))
    assert response.status_code == 422
    page = text(response)
    assert 'id="number-1-error"' in page and "hotline must be 5–20 digits" in page
    assert 'value="call us"' in page  # what was typed is kept
    assert [h.number for h in fresh(Operator).hotlines] == ["10000"]
    emptied = world["portal"].post("/portal/hotlines", data=rows(("phone", "", "")))
    assert emptied.status_code == 422 and "at least one" in text(emptied)


def test_the_checklist_item_about_the_hotline_links_to_the_hotlines(app, world, factory):
    assert world["portal"].post("/portal/self-inspections", data={"period": "2026H2"}).status_code == 303
    report = fresh(SelfInspection)
    portal_page = text(world["portal"].get(f"/portal/self-inspections/{report.id}"))
    assert 'href="/portal/hotlines"' in portal_page
    officer_page = text(world["officer"].get(f"/officer/self-inspections/{report.id}"))
    assert f'href="/officer/operators/{world["operator"].id}#hotlines"' in officer_page
