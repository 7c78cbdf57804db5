"""Hotlines [M 16]: the operator's staff (or its supervising authority) replace the published list;
every change is kept in the operator's audit chain; the public directory shows the current list."""
import pytest

from supervision.audit import events_of
from supervision.extensions import db
from supervision.operators.models import Operator

NEW = [{"kind": "phone", "number": "400-123-4567", "label": "24 h"},
       {"kind": "web", "number": "https://kf.example.cn", "label": None}]


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32", name="Hotline Telecom")
    return {"operator": operator, "url": f"/api/v1/operators/{operator.id}/hotlines",
            "staff": factory.headers(factory.user("operator", operator=operator))}


def stored_hotlines(operator_id: int) -> list[tuple]:
    db.session.expire_all()
    return [(h.kind, h.number, h.label) for h in db.session.get(Operator, operator_id).hotlines]


def test_operator_staff_replace_their_hotlines_with_history_and_the_public_list_follows(client, world):
    response = client.put(world["url"], json={"hotlines": NEW}, headers=world["staff"])
    assert response.status_code == 200, response.json
    assert response.json["hotlines"] == NEW
    [change] = response.json["history"]
    assert change["by"].startswith("operator")
    assert change["before"] == [{"kind": "phone", "number": "10086", "label": None}]
    assert change["after"] == NEW
    assert stored_hotlines(world["operator"].id) == [("phone", "400-123-4567", "24 h"),
                                                      ("web", "https://kf.example.cn", None)]
    assert events_of("operator", world["operator"].id)[-1].action == "hotlines_changed"
    # The public directory (no token) shows the new list, not the old one.
    public = client.get("/api/v1/operators", query_string={"q": "Hotline Telecom"}).json["items"]
    assert [o["hotlines"] for o in public] == [NEW]


def test_saving_the_same_list_again_records_no_change(client, world):
    client.put(world["url"], json={"hotlines": NEW}, headers=world["staff"])
    again = client.put(world["url"], json={"hotlines": NEW}, headers=world["staff"])
    assert again.status_code == 200 and len(again.json["history"]) == 1


def test_officer_of_the_province_may_change_them_another_province_gets_404(client, factory, world):
    assert client.put(world["url"], json={"hotlines": NEW},
                      headers=factory.headers(factory.officer("32"))).status_code == 200
    response = client.put(world["url"], json={"hotlines": [{"kind": "phone", "number": "12345"}]},
                          headers=factory.headers(factory.officer("33")))
    assert response.status_code == 404
    assert stored_hotlines(world["operator"].id)[0][1] == "400-123-4567"


def test_another_operators_staff_get_404_and_nothing_changes(client, factory, world):
    other = factory.operator(province="32")
    response = client.put(world["url"], json={"hotlines": NEW},
                          headers=factory.headers(factory.user("operator", operator=other)))
    assert response.status_code == 404
    assert client.get(world["url"], headers=factory.headers(factory.user("operator", operator=other))
                      ).status_code == 404
    assert stored_hotlines(world["operator"].id) == [("phone", "10086", None)]


def test_the_history_is_not_public(client, world):
    assert client.get(world["url"]).status_code == 401


@pytest.mark.parametrize("hotlines, field", [
    ([], "hotlines"),
    ([{"kind": "fax", "number": "10086"}], "hotlines.0.kind"),
    ([NEW[0], {"kind": "email", "number": "  "}], "hotlines.1.number"),
    ([NEW[0], {"kind": "phone", "number": "call-us"}], "hotlines.1.number"),
    ([{"kind": "phone", "number": "10086", "label": "x" * 101}], "hotlines.0.label"),
    (["10086"], "hotlines"),  # not an object: the schema names the list and the index
])
def test_invalid_hotlines_answer_422_naming_the_field_and_nothing_is_half_saved(client, world, hotlines, field):
    response = client.put(world["url"], json={"hotlines": hotlines}, headers=world["staff"])
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    assert stored_hotlines(world["operator"].id) == [("phone", "10086", None)]
    assert [e.action for e in events_of("operator", world["operator"].id)] == ["register"]


def test_an_officer_edit_of_the_hotlines_is_in_the_same_history(client, factory, world):
    response = client.patch(f"/api/v1/operators/{world['operator'].id}", json={"hotlines": NEW},
                            headers=factory.headers(factory.officer("32")))
    assert response.status_code == 200, response.json
    history = client.get(world["url"], headers=world["staff"]).json["history"]
    assert [h["after"] for h in history] == [NEW]
