"""Billing-record samples [M 17] (SPEC §4): seeded and reproducible, inside the window and held
months; the operator produces each item by the deadline; unproduced or late items are findings."""
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.obligations.retention_rules import draw_sample, sample_months
from supervision.workflow.sweep import sweep_deadlines

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACCOUNTS = [f"ACC-{n:04d}" for n in range(1, 21)]


def test_a_draw_is_reproducible_and_independent_of_the_pool_order():
    months = ["2026-06", "2026-07", "2026-08"]
    first = draw_sample(42, ACCOUNTS, months, 5)
    assert draw_sample(42, list(reversed(ACCOUNTS)), list(reversed(months)), 5) == first
    assert draw_sample(43, ACCOUNTS, months, 5) != first
    assert len(set(first)) == 5


def test_sample_months_cover_the_window_and_the_held_months():
    from datetime import date

    assert sample_months((date(2026, 2, 28), date(2026, 7, 31)), ["2025-11"]) == [
        "2025-11", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07"]


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    staff = factory.user("operator", operator=operator)
    officer = factory.officer("32")
    return {"operator": operator, "staff": staff, "officer": officer, "h_officer": factory.headers(officer),
            "h_staff": factory.headers(staff), "h_officer33": factory.headers(factory.officer("33")),
            "h_other": factory.headers(factory.user("operator", operator=factory.operator(province="32")))}


def draw(client, world, **overrides):
    body = {"province": "32", "size": 3, "accounts": ACCOUNTS, "seed": 2026} | overrides
    return client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples", json=body,
                       headers=world["h_officer"])


def test_the_officer_draws_inside_the_window_and_the_seed_is_shown(client, world, app):
    response = draw(client, world)
    assert response.status_code == 201
    sample = response.json
    assert sample["seed"] == 2026 and len(sample["items"]) == 3
    assert sample["months"][0] == "2026-06" and sample["months"][-1] == "2026-11"   # window 06-26..11-26
    assert all(item["month"] in sample["months"] for item in sample["items"])
    assert sample["due"] == "2026-12-10"    # 10 working days after Thursday 26 November
    result = app.test_cli_runner().invoke(args=["retention", "sample", "--replay", str(sample["id"])])
    assert result.exit_code == 0 and "identical to the stored sample" in result.output
    assert "seed 2026" in result.output


@pytest.mark.parametrize(("change", "field", "status"), [
    ({"province": "33"}, "province", 403),     # outside the officer's jurisdiction
    ({"province": "99"}, "province", 403),
    ({"size": 0}, "size", 422), ({"accounts": []}, "accounts", 422)])
def test_bad_draws_name_the_field(client, world, change, field, status):
    response = draw(client, world, **change)
    assert response.status_code == status and field in response.json["errors"]


def test_a_province_where_the_operator_is_not_licensed_is_refused(client, factory):
    operator = factory.operator(province="33")
    cn = factory.headers(factory.officer("CN"))
    response = client.post(f"/api/v1/operators/{operator.id}/billing-samples",
                           json={"province": "32", "size": 1, "accounts": ["A"]}, headers=cn)
    assert response.status_code == 422 and "province" in response.json["errors"]


def test_scope_and_roles(client, world):
    sample_id = draw(client, world).json["id"]
    assert client.get(f"/api/v1/billing-samples/{sample_id}", headers=world["h_officer33"]).status_code == 404
    assert client.get(f"/api/v1/billing-samples/{sample_id}", headers=world["h_other"]).status_code == 404
    assert client.get(f"/api/v1/billing-samples/{sample_id}", headers=world["h_staff"]).status_code == 200
    staff_draw = client.post(f"/api/v1/operators/{world['operator'].id}/billing-samples",
                             json={"province": "32", "size": 1, "accounts": ["A"]}, headers=world["h_staff"])
    assert staff_draw.status_code == 403


def test_producing_items_and_a_refusal_becomes_a_finding(client, world):
    sample = draw(client, world, size=2).json
    first, second = (item["id"] for item in sample["items"])
    url = f"/api/v1/billing-samples/{sample['id']}/items"
    no_file = client.post(f"{url}/{first}", data={"produced": "true"}, headers=world["h_staff"])
    assert no_file.status_code == 422 and "file" in no_file.json["errors"]
    produced = client.post(f"{url}/{first}", data={"produced": "true", "file": (io.BytesIO(PDF), "bill.pdf")},
                           headers=world["h_staff"])
    assert produced.status_code == 200
    again = client.post(f"{url}/{first}", data={"produced": "false", "note": "x"}, headers=world["h_staff"])
    assert again.status_code == 409
    refused = client.post(f"{url}/{second}", data={"produced": "false", "note": "Records purged in error."},
                          headers=world["h_staff"])
    assert refused.json["status"] == "complete"
    (finding,) = db.session.scalars(select(Finding).where(Finding.source == "sample")).all()
    assert finding.article == "M 17" and finding.province == "32"


def test_items_not_produced_by_the_deadline_become_findings(client, world, clock):
    draw(client, world, size=2)
    clock.current = datetime(2026, 12, 11, 2, 0, tzinfo=UTC)
    sweep_deadlines(clock.now())
    sweep_deadlines(clock.now())
    assert len(db.session.scalars(select(Finding).where(Finding.source == "sample")).all()) == 2
