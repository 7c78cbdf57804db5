"""A write checks the record AND every province or authority named in its body (SPEC §1, issue 6
item 1): a Zhejiang officer may not write for Guangdong, even on a record in its scope (a national
operator is in every province's scope).

The walk below finds every API write whose body has a province or authority field in the OpenAPI
document, so a new endpoint of that kind fails here until it has a case (and the scope check).
"""
from datetime import date

import pytest
from sqlalchemy import func, select

from supervision.audit import AuditEvent
from supervision.extensions import db
from supervision.operators.models import SubscriberCount
from supervision.operators.rules import make_uscc

WRITE_METHODS = {"post", "put", "patch", "delete"}
JURISDICTION_FIELDS = {"province", "provinces", "authority", "authority_code"}
ZHEJIANG, GUANGDONG = "33", "44"


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _names_jurisdiction(spec: dict, schema: dict, seen: frozenset = frozenset()) -> bool:
    schema = _resolve(spec, schema)
    if id(schema) in seen:
        return False
    seen = seen | {id(schema)}
    for name, prop in (schema.get("properties") or {}).items():
        if name in JURISDICTION_FIELDS:
            return True
        if _names_jurisdiction(spec, prop.get("items", prop), seen):
            return True
    return any(_names_jurisdiction(spec, part, seen) for part in schema.get("allOf", []))


def writes_naming_a_province(spec: dict) -> set[tuple[str, str]]:
    found = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in WRITE_METHODS:
                continue
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                if _names_jurisdiction(spec, media.get("schema", {})):
                    found.add((method, path))
    return found


class Setting:
    """A Zhejiang officer, and records in their scope: a national operator, a Zhejiang one."""

    def __init__(self, factory):
        self.officer = factory.officer(ZHEJIANG)
        self.headers = factory.headers(self.officer)
        self.national = factory.operator(scope="national", province=None, name="National Mobile")
        self.zhejiang = factory.operator(province=ZHEJIANG, name="Zhejiang Local Net")


# (method, OpenAPI path) → (URL, body naming Guangdong) for the Zhejiang officer.
CASES = {
    ("put", "/api/v1/operators/{operator_id}/subscriber-counts"): lambda s: (
        f"/api/v1/operators/{s.national.id}/subscriber-counts",
        {"province": GUANGDONG, "quarter": "2026Q3", "subscribers": 1}),
    ("post", "/api/v1/operators"): lambda s: ("/api/v1/operators", {
        "name": "Guangdong Net", "uscc": make_uscc("440100", 77), "licence_no": "B2-44-0077",
        "licence_type": "value_added", "scope": "provincial", "province": GUANGDONG,
        "licence_valid_from": "2025-01-01", "licence_valid_until": "2029-12-31", "hotline": "10086"}),
    ("patch", "/api/v1/operators/{operator_id}"): lambda s: (
        f"/api/v1/operators/{s.zhejiang.id}", {"province": GUANGDONG}),
    ("post", "/api/v1/complaints"): lambda s: ("/api/v1/complaints", {
        "operator_id": s.national.id, "province": GUANGDONG, "category": "network", "subcategory": "coverage",
        "description": "No mobile signal at home since October.", "request": "Fix the coverage",
        "operator_complaint_date": "2026-10-20", "operator_answer": "none", "event_date": "2026-10-01",
        "complainant": {"name": "王小明", "phone": "13800138000"},
        "received_at": "2026-11-20T09:00:00+08:00"}),
    ("post", "/api/v1/findings"): lambda s: ("/api/v1/findings", {
        "operator_id": s.national.id, "province": GUANGDONG, "article": "M 17",
        "facts": "Billing records of 2026-09 could not be produced."}),
    ("post", "/api/v1/operators/{operator_id}/retention-attestations"): lambda s: (
        f"/api/v1/operators/{s.national.id}/retention-attestations",
        {"system": "BOSS", "province": GUANGDONG, "earliest_day": "2026-06-26", "latest_day": "2026-11-26",
         "as_of": "2026-11-26"}),
    ("post", "/api/v1/operators/{operator_id}/billing-samples"): lambda s: (
        f"/api/v1/operators/{s.national.id}/billing-samples", {"province": GUANGDONG, "size": 1, "accounts": ["A"]}),
}


def test_every_write_naming_a_province_has_a_case(client, ctx):
    spec = client.get("/api/v1/openapi.json").json
    found = writes_naming_a_province(spec)
    assert found, "the walk found no write with a province field: the OpenAPI walk is broken"
    assert found == set(CASES), (
        "A write endpoint names a province or authority in its body: add it to CASES and call "
        "scoping.require_province_in_scope in its service.")


def _audit_events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("case", sorted(CASES), ids=lambda c: f"{c[0]} {c[1]}")
def test_a_provincial_officer_naming_another_province_is_refused(client, factory, case):
    setting = Setting(factory)
    url, body = CASES[case](setting)
    events = _audit_events()
    response = getattr(client, case[0])(url, json=body, headers=setting.headers)
    assert response.status_code == 403, response.json
    assert "province" in response.json["errors"], response.json
    db.session.expire_all()
    assert _audit_events() == events  # nothing written, nothing audited


def test_subscriber_counts_for_another_province_are_refused_but_own_accepted(client, factory):
    """Issue 6 item 1: a Zhejiang officer wrote Guangdong's count of a national operator (200)."""
    setting = Setting(factory)
    url = f"/api/v1/operators/{setting.national.id}/subscriber-counts"
    foreign = client.put(url, json={"province": GUANGDONG, "quarter": "2026Q3", "subscribers": 1},
                         headers=setting.headers)
    assert foreign.status_code == 403
    assert "outside your jurisdiction" in foreign.json["errors"]["province"][0]
    own = client.put(url, json={"province": ZHEJIANG, "quarter": "2026Q3", "subscribers": 5_000_000},
                     headers=setting.headers)
    assert own.status_code == 200, own.json
    rows = db.session.execute(select(SubscriberCount.province, SubscriberCount.subscribers)).all()
    assert rows == [(ZHEJIANG, 5_000_000)]


@pytest.mark.parametrize(("who", "province", "status"), [
    ("national officer", GUANGDONG, 200),
    ("admin", GUANGDONG, 200),
    ("staff of the national operator", GUANGDONG, 200),
    ("staff of a Zhejiang operator", GUANGDONG, 404),  # not their operator at all
])
def test_who_may_write_counts_for_guangdong(client, factory, who, province, status):
    national = factory.operator(scope="national", province=None)
    user = {"national officer": lambda: factory.officer("CN"), "admin": factory.admin,
            "staff of the national operator": lambda: factory.user("operator", operator=national),
            "staff of a Zhejiang operator": lambda: factory.user("operator", operator=factory.operator(
                province=ZHEJIANG))}[who]()
    response = client.put(f"/api/v1/operators/{national.id}/subscriber-counts", headers=factory.headers(user),
                          json={"province": province, "quarter": "2026Q3", "subscribers": 9})
    assert response.status_code == status, response.json


def test_staff_of_a_provincial_operator_cannot_count_another_province(client, factory):
    operator = factory.operator(province=ZHEJIANG)
    headers = factory.headers(factory.user("operator", operator=operator))
    response = client.put(f"/api/v1/operators/{operator.id}/subscriber-counts", headers=headers,
                          json={"province": GUANGDONG, "quarter": "2026Q3", "subscribers": 9})
    assert response.status_code == 403 and "province" in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(SubscriberCount)) == 0


def test_a_provincial_officer_may_not_move_their_operator_to_another_province(client, factory):
    operator = factory.operator(province=ZHEJIANG, valid_from=date(2025, 1, 1))
    headers = factory.headers(factory.officer(ZHEJIANG))
    response = client.patch(f"/api/v1/operators/{operator.id}", json={"province": GUANGDONG}, headers=headers)
    assert response.status_code == 403 and "province" in response.json["errors"]
    db.session.expire_all()
    assert client.get(f"/api/v1/operators/{operator.id}", headers=headers).json["province"] == ZHEJIANG
