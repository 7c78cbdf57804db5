"""Operators API (SPEC §2, §10): registration rules, who may register/edit, public list, status, counts."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from supervision.audit import AuditEvent, events_of
from supervision.extensions import db
from supervision.operators.models import Operator, SubscriberCount
from supervision.operators.rules import make_uscc

URL = "/api/v1/operators"


def operator_body(n: int = 1, **overrides) -> dict:
    body = {"name": f"Jiangsu Net {n}", "uscc": make_uscc("320100", 500 + n), "licence_no": f"B2-32-{n:04d}",
            "licence_type": "value_added", "scope": "provincial", "province": "32",
            "licence_valid_from": "2024-01-01", "licence_valid_until": "2030-12-31", "hotline": "10086"}
    return body | overrides


def counts() -> tuple[int, int]:
    db.session.remove()
    return (db.session.scalar(select(func.count()).select_from(Operator)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def assert_error_shape(response, code: int) -> dict:
    assert response.status_code == code, response.json
    body = response.json
    assert set(body) >= {"code", "message", "errors"}
    assert body["code"] == code and isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    return body


def test_admin_registers_an_operator(factory, client):
    headers = factory.headers(factory.admin())
    response = client.post(URL, json=operator_body(), headers=headers)
    assert response.status_code == 201, response.json
    created = response.json
    assert isinstance(created["id"], int)
    assert created["status"] == "active" and created["supervising_authority"] == "32"
    assert created["hotlines"] == [{"kind": "phone", "number": "10086", "label": None}]
    stored = db.session.get(Operator, created["id"])
    assert stored.licence_no == "B2-32-0001"
    assert [e.action for e in events_of("operator", stored.id)] == ["register"]


BAD_INPUTS = [
    ("bad_uscc_checksum", {"uscc": make_uscc("320100", 501)[:-1] + "0"}, "uscc"),
    ("uscc_too_short", {"uscc": "9132010"}, "uscc"),
    ("until_before_from", {"licence_valid_from": "2026-01-01", "licence_valid_until": "2025-12-31"},
     "licence_valid_until"),
    ("unknown_province", {"province": "99"}, "province"),
    ("provincial_without_province", {"province": None}, "province"),
    ("national_with_province", {"scope": "national", "province": "32"}, "province"),
    ("bad_licence_type", {"licence_type": "satellite"}, "licence_type"),
    ("bad_hotline", {"hotline": "call-us"}, "hotlines.0"),
]


@pytest.mark.parametrize(("changes", "field"), [(c, f) for _, c, f in BAD_INPUTS], ids=[i for i, _, _ in BAD_INPUTS])
def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(factory, client, changes, field):
    headers = factory.headers(factory.admin())
    before = counts()
    body = assert_error_shape(client.post(URL, json=operator_body(**changes), headers=headers), 422)
    assert field in body["errors"], body
    assert all(isinstance(m, str) and m for m in body["errors"][field])
    assert counts() == before


@pytest.mark.parametrize("clash", ["licence_no", "uscc"])
def test_duplicate_licence_or_uscc_is_422_and_nothing_is_saved(factory, client, clash):
    headers = factory.headers(factory.admin())
    first = operator_body(1)
    assert client.post(URL, json=first, headers=headers).status_code == 201
    second = operator_body(2) | {clash: first[clash]}
    before = counts()
    body = assert_error_shape(client.post(URL, json=second, headers=headers), 422)
    assert list(body["errors"]) == [clash]
    assert "already registered" in body["errors"][clash][0]
    assert counts() == before


@pytest.mark.parametrize("missing", ["name", "uscc", "licence_no", "scope", "licence_valid_until"])
def test_missing_required_field_is_422_naming_it(factory, client, missing):
    headers = factory.headers(factory.admin())
    body = operator_body()
    del body[missing]
    before = counts()
    answer = assert_error_shape(client.post(URL, json=body, headers=headers), 422)
    assert missing in answer["errors"]
    assert counts() == before


def test_national_operator_with_empty_province_is_stored_without_one(factory, client):
    headers = factory.headers(factory.admin())
    response = client.post(URL, json=operator_body(scope="national", province=""), headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["province"] is None and response.json["supervising_authority"] == "CN"


@pytest.mark.parametrize(("who", "body", "status"), [
    ("officer32", operator_body(province="32"), 201),
    ("officer32", operator_body(province="33"), 403),
    ("officer32", operator_body(scope="national", province=None), 403),
    ("officerCN", operator_body(scope="national", province=None), 201),
    ("officerCN", operator_body(province="33"), 201),
    ("staff", operator_body(), 403),
    ("oversight", operator_body(), 403),
    ("public", operator_body(), 401),
])
def test_who_may_register_which_operator(factory, client, who, body, status):
    users = {"officer32": lambda: factory.officer("32"), "officerCN": lambda: factory.officer("CN"),
             "staff": lambda: factory.user("operator", operator=factory.operator()),
             "oversight": lambda: factory.user("oversight"), "public": lambda: None}
    user = users[who]()
    headers = factory.headers(user) if user else {}
    before = counts()
    response = client.post(URL, json=body, headers=headers)
    if status == 201:
        assert response.status_code == 201, response.json
        assert db.session.get(Operator, response.json["id"]) is not None
    else:
        assert_error_shape(response, status)
        assert counts() == before


def test_patch_by_the_supervising_officer_is_audited_before_to_after(factory, client):
    operator = factory.operator(province="32", name="Old Name")
    headers = factory.headers(factory.officer("32"))
    response = client.patch(f"{URL}/{operator.id}", json={"name": "New Name", "hotline": "95000"},
                            headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["name"] == "New Name"
    assert [h["number"] for h in response.json["hotlines"]] == ["95000"]
    edit = events_of("operator", operator.id)[-1]
    assert edit.action == "edit" and edit.role == "officer"
    assert edit.before == {"name": "Old Name"} and edit.after == {"name": "New Name"}


def test_patch_with_a_bad_field_changes_nothing(factory, client):
    operator = factory.operator(province="32", name="Keep Me")
    headers = factory.headers(factory.officer("32"))
    body = assert_error_shape(client.patch(f"{URL}/{operator.id}", json={"name": "X", "licence_valid_until":
                                                                         "2000-01-01"}, headers=headers), 422)
    assert "licence_valid_until" in body["errors"]
    db.session.expire_all()
    assert db.session.get(Operator, operator.id).name == "Keep Me"
    assert [e.action for e in events_of("operator", operator.id)] == ["register"]


def test_patch_of_an_operator_outside_the_officers_province_is_404(factory, client):
    other = factory.operator(province="33")
    headers = factory.headers(factory.officer("32"))
    assert_error_shape(client.patch(f"{URL}/{other.id}", json={"name": "Hijack"}, headers=headers), 404)
    db.session.expire_all()
    assert db.session.get(Operator, other.id).name != "Hijack"


def test_officer_cannot_move_an_operator_out_of_their_province(factory, client):
    operator = factory.operator(province="32")
    headers = factory.headers(factory.officer("32"))
    assert_error_shape(client.patch(f"{URL}/{operator.id}", json={"province": "33"}, headers=headers), 403)
    db.session.expire_all()
    assert db.session.get(Operator, operator.id).province == "32"


def test_public_list_shows_only_active_operators_with_hotlines(factory, client):
    active = factory.operator(name="Active Co", hotline="12345")
    factory.operator(name="Expired Co", valid_from=date(2020, 1, 1), valid_until=date(2025, 12, 31))
    factory.operator(name="Future Co", valid_from=date(2027, 1, 1), valid_until=date(2030, 1, 1))
    factory.operator(name="Revoked Co", sanction="revoked")
    page = client.get(URL).json
    assert [o["name"] for o in page["items"]] == ["Active Co"]
    assert page["items"][0]["id"] == active.id and page["items"][0]["hotlines"][0]["number"] == "12345"
    assert client.get(f"{URL}/{active.id}").status_code == 200


def test_public_cannot_open_an_inactive_operator(factory, client):
    expired = factory.operator(valid_from=date(2020, 1, 1), valid_until=date(2025, 12, 31))
    assert_error_shape(client.get(f"{URL}/{expired.id}"), 404)


def test_public_list_hides_subscriber_counts(factory, client):
    operator = factory.operator()
    headers = factory.headers(factory.officer("32"))
    assert client.put(f"{URL}/{operator.id}/subscriber-counts", headers=headers,
                      json={"province": "32", "quarter": "2026Q3", "subscribers": 1000}).status_code == 200
    assert client.get(f"{URL}/{operator.id}").json["subscriber_counts"] == []
    officer_view = client.get(f"{URL}/{operator.id}", headers=headers).json
    assert officer_view["subscriber_counts"] == [{"province": "32", "quarter": "2026Q3", "subscribers": 1000}]


def test_status_is_derived_on_read_when_the_licence_runs_out(factory, client, clock):
    operator = factory.operator(valid_until=date(2026, 12, 31))
    clock.current = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)  # 09:00 on 1 Jan 2027 in Shanghai
    assert client.get(f"{URL}/{operator.id}", headers=factory.headers(factory.admin())).json["status"] == "expired"
    assert db.session.get(Operator, operator.id).status == "active"  # not stored until the daily job runs
    # The public list follows the dates too, even before the daily job stored the new status.
    assert [o["id"] for o in client.get(URL).json["items"]] == []
    assert_error_shape(client.get(f"{URL}/{operator.id}"), 404)


def test_status_refresh_job_stores_and_audits_the_change(app, factory, clock):
    operator = factory.operator(valid_until=date(2026, 12, 31))
    unchanged = factory.operator()
    clock.current = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    result = app.test_cli_runner().invoke(args=["jobs", "run", "operator_status_refresh"])
    assert result.exit_code == 0, result.output
    assert "1 operator statuses changed" in result.output
    db.session.expire_all()
    assert db.session.get(Operator, operator.id).status == "expired"
    assert db.session.get(Operator, unchanged.id).status == "active"
    event = events_of("operator", operator.id)[-1]
    assert (event.action, event.role, event.before, event.after) == (
        "status_derived", "system", {"status": "active"}, {"status": "expired"})
    assert [e.action for e in events_of("operator", unchanged.id)] == ["register"]


def test_refresh_service_is_idempotent(factory, clock):
    from supervision.operators.services import refresh_operator_statuses

    factory.operator(valid_until=date(2026, 12, 31))
    later = datetime(2027, 1, 1, 1, 0, tzinfo=UTC)
    assert refresh_operator_statuses(later, date(2027, 1, 1)) == 1
    assert refresh_operator_statuses(later, date(2027, 1, 1)) == 0


def test_subscriber_count_is_stored_and_audited(factory, client):
    operator = factory.operator()
    headers = factory.headers(factory.officer("32"))
    put = client.put(f"{URL}/{operator.id}/subscriber-counts", headers=headers,
                     json={"province": "32", "quarter": "2026Q3", "subscribers": 1_250_000})
    assert put.status_code == 200, put.json
    again = client.put(f"{URL}/{operator.id}/subscriber-counts", headers=headers,
                       json={"province": "32", "quarter": "2026Q3", "subscribers": 1_300_000})
    assert again.json == {"province": "32", "quarter": "2026Q3", "subscribers": 1_300_000}
    rows = db.session.scalars(select(SubscriberCount).filter_by(operator_id=operator.id)).all()
    assert [(r.quarter, r.subscribers) for r in rows] == [("2026Q3", 1_300_000)]
    last = events_of("operator", operator.id)[-1]
    assert last.action == "subscribers" and last.before == {"subscribers": 1_250_000}


@pytest.mark.parametrize(("changes", "field"), [
    ({"quarter": "2026Q5"}, "quarter"),
    ({"quarter": "26Q1"}, "quarter"),
    ({"province": "33"}, "province"),
    ({"province": "CN"}, "province"),
    ({"subscribers": -1}, "subscribers"),
])
def test_bad_subscriber_count_is_422_and_nothing_saved(factory, client, changes, field):
    operator = factory.operator(province="32")
    headers = factory.headers(factory.admin())
    body = {"province": "32", "quarter": "2026Q3", "subscribers": 10} | changes
    answer = assert_error_shape(client.put(f"{URL}/{operator.id}/subscriber-counts", json=body,
                                           headers=headers), 422)
    assert field in answer["errors"]
    assert db.session.scalar(select(func.count()).select_from(SubscriberCount)) == 0


def test_national_operator_counts_subscribers_in_any_province(factory, client):
    operator = factory.operator(scope="national", province=None)
    headers = factory.headers(factory.user("operator", operator=operator))
    response = client.put(f"{URL}/{operator.id}/subscriber-counts", headers=headers,
                          json={"province": "44", "quarter": "2026Q2", "subscribers": 7})
    assert response.status_code == 200, response.json


def test_cursor_pagination_walks_every_operator_once(factory, client):
    created = {factory.operator().id for _ in range(7)}
    seen, pages, cursor = [], 0, None
    while True:
        query = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(URL, query_string=query).json
        pages += 1
        seen += [o["id"] for o in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7 and set(seen) == created
    assert seen == sorted(seen, reverse=True)


@pytest.mark.parametrize("cursor", ["not-a-cursor", "%%%", "YWJj"])
def test_bad_cursor_is_422(client, ctx, cursor):
    body = assert_error_shape(client.get(URL, query_string={"cursor": cursor}), 422)
    assert "cursor" in body["errors"]


def test_limit_out_of_range_is_422(client, ctx):
    body = assert_error_shape(client.get(URL, query_string={"limit": 0}), 422)
    assert "limit" in body["errors"]
