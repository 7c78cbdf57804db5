"""Drawing a billing-record sample [M 17] (SPEC §4) pinned: the limits an officer may use up to their
edges, the messages that refuse a draw (SPEC §10: a 422 names the field and the rule), the held months
the sample may ask for, and the audit event of the draw (SPEC §9)."""
from datetime import UTC, datetime

import pytest

from supervision.audit import events_of
from supervision.obligations.retention_rules import draw_sample
from tests.web.test_officer_pages import field_error, new_browser, text

ACCOUNTS = [f"ACC-{n:04d}" for n in range(1, 21)]
WINDOW = ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]   # drawn on 26 November 2026
ACCOUNTS_RULE = "name 1 to 500 account references of at most 60 characters"


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32", name="Jiangsu Test Telecom")
    staff = factory.user("operator", operator=operator)
    officer = factory.officer("32")
    return {"operator": operator, "staff": staff, "officer": officer, "h_officer": factory.headers(officer),
            "h_staff": factory.headers(staff)}


def draw(client, world, who="h_officer", **overrides):
    body = {"province": "32", "size": 3, "accounts": ACCOUNTS, "seed": 2026} | overrides
    body = {k: v for k, v in body.items() if v is not None}
    return client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples", json=body, headers=world[who])


@pytest.mark.parametrize("change", [
    pytest.param({"size": 1}, id="one item"),
    pytest.param({"size": 50}, id="fifty items, the most"),
    pytest.param({"seed": 0}, id="seed 0"),
    pytest.param({"seed": 2**53 - 1}, id="the largest seed"),
    pytest.param({"accounts": ["ACC-0001"]}, id="one account"),
    pytest.param({"accounts": [f"ACC-{n:04d}" for n in range(500)]}, id="500 accounts, the most"),
    pytest.param({"accounts": ["A" * 60]}, id="a reference of 60 characters"),
])
def test_a_draw_at_the_edge_of_each_limit_is_accepted(client, world, change):
    """SPEC §4: 1 to 50 items, 1 to 500 account references of up to 60 characters, a seed from 0 to 2^53."""
    response = client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples",
                           json={"province": "32", "size": 3, "accounts": ACCOUNTS, "seed": 2026} | change,
                           headers=world["h_officer"])
    assert response.status_code == 201, response.json
    body = {"size": 3, "accounts": ACCOUNTS, "seed": 2026} | change
    expected = draw_sample(body["seed"], body["accounts"], WINDOW, body["size"])
    assert [(i["account"], i["month"]) for i in response.json["items"]] == expected
    assert (response.json["seed"], response.json["size"], response.json["months"]) == (body["seed"], body["size"],
                                                                                       WINDOW)


def test_without_a_seed_the_system_picks_one_and_shows_it(client, world):
    """SPEC §4: seeded and reproducible: the seed the system chose gives the same draw again."""
    response = draw(client, world, seed=None)
    assert response.status_code == 201
    seed = response.json["seed"]
    assert isinstance(seed, int) and 0 <= seed < 2**53
    assert [(i["account"], i["month"]) for i in response.json["items"]] == draw_sample(seed, ACCOUNTS, WINDOW, 3)


def test_account_references_are_trimmed_and_counted_once(client, world):
    """The pool is the distinct account references: the same account written twice is one account."""
    response = draw(client, world, accounts=[" ACC-1 ", "ACC-1", "ACC-2"], size=50)
    assert response.status_code == 201
    assert sorted({i["account"] for i in response.json["items"]}) == ["ACC-1", "ACC-2"]
    assert len(response.json["items"]) == 2 * len(WINDOW)   # the whole pool, each pair once


@pytest.mark.parametrize(("who", "change", "status", "message", "errors"), [
    pytest.param("h_staff", {}, 403, "Only an officer draws a billing-record sample.", {}, id="operator staff"),
    pytest.param("h_officer", {"accounts": [" ", "  "]}, 422, "The sample cannot be drawn as asked.",
                 {"accounts": [ACCOUNTS_RULE]}, id="blank account references"),
    pytest.param("h_officer", {"province": "33"}, 403,
                 "Province 33 is outside your jurisdiction: you may act only for your own province (32).",
                 {"province": ["Province 33 is outside your jurisdiction: you may act only for your own "
                               "province (32)."]}, id="another province"),
])
def test_a_draw_is_refused_with_the_rule(client, world, who, change, status, message, errors):
    """SPEC §4, §10: only an officer draws, for their own province, from named accounts; the answer says why."""
    response = draw(client, world, who=who, **change)
    assert (response.status_code, response.json) == (status, {"code": status, "message": message, "errors": errors})


def test_a_province_where_the_operator_is_not_licensed_is_named(client, world, factory):
    """SPEC §4: the sample is of the operator's records in a province where it is licensed."""
    operator = factory.operator(province="33", name="Zhejiang Test Telecom")
    response = client.post(f"/api/v1/operators/{operator.id}/billing-samples",
                           json={"province": "32", "size": 1, "accounts": ["A"]},
                           headers=factory.headers(factory.officer("CN")))
    assert (response.status_code, response.json) == (422, {
        "code": 422, "message": "The sample cannot be drawn as asked.",
        "errors": {"province": ["Zhejiang Test Telecom is not licensed in province 32"]}})


def test_a_month_held_by_an_open_billing_complaint_may_be_sampled(client, world, factory, clock):
    """SPEC §4: the sample is drawn inside the required window and the held months, however old."""
    clock.current = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)
    factory.complaint(world["operator"], "32", category="billing", subcategory="overcharge",
                      event_date="2026-03-15", operator_complaint_date="2026-07-01", disputed_months=["2026-03"])
    clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    response = draw(client, world)
    assert response.json["months"] == ["2026-03", *WINDOW]


def test_the_draw_is_audited_with_its_seed_and_pools(client, world):
    """SPEC §9: the draw's event records the operator, province, seed, size and months (what a replay needs)."""
    sample = draw(client, world).json
    (event,) = events_of("billing_sample", sample["id"])
    assert (event.action, event.actor_id, event.after) == ("draw", world["officer"].id, {
        "operator_id": world["operator"].id, "province": "32", "seed": 2026, "size": 3, "months": WINDOW})


def test_on_the_web_a_reference_longer_than_60_characters_is_refused(app, world):
    """SPEC §4: the web form takes one reference per line; a line over 60 characters is refused, nothing drawn."""
    officer = new_browser(app, world["officer"])
    form = {"operator_id": str(world["operator"].id), "province": "32", "size": "2",
            "accounts": "ACC-1\n" + "B" * 61, "seed": ""}
    response = officer.post("/officer/billing-samples", data=form)
    assert response.status_code == 422
    assert ACCOUNTS_RULE in field_error(text(response), "accounts")


def test_an_officer_cannot_draw_from_an_operator_outside_their_province(client, world, factory):
    """SPEC §1: records outside the caller's jurisdiction answer 404, whatever province the body names."""
    response = client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples",
                           json={"province": "33", "size": 1, "accounts": ["A"]},
                           headers=factory.headers(factory.officer("33")))
    assert response.status_code == 404
