"""The service-quality deposit ledger [M 14]: the balance is derived from the entries."""
import pytest

URL = "/api/v1/operators/{}/deposit"


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    return {"operator": operator, "h_officer": factory.headers(factory.officer("32")),
            "h_officer33": factory.headers(factory.officer("33")),
            "h_staff": factory.headers(factory.user("operator", operator=operator)),
            "h_other": factory.headers(factory.user("operator", operator=factory.operator(province="32")))}


def post(client, world, headers="h_officer", **body):
    return client.post(URL.format(world["operator"].id), json=body, headers=world[headers])


def test_the_balance_is_the_sum_of_the_entries(client, world):
    assert post(client, world, kind="deposit", amount_fen=5_000_000).json["balance_fen"] == 5_000_000
    deducted = post(client, world, kind="deduction", amount_fen=1_200_000, reason="Overdue rectification",
                    decision_ref="苏通罚〔2026〕7号")
    assert deducted.status_code == 201 and deducted.json["balance_fen"] == 3_800_000
    ledger = client.get(URL.format(world["operator"].id), headers=world["h_staff"]).json
    assert [e["kind"] for e in ledger["entries"]] == ["deposit", "deduction"] and ledger["balance_fen"] == 3_800_000


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "deduction", "amount_fen": 100}, "reason"),
    ({"kind": "deduction", "amount_fen": 100, "reason": "x"}, "decision_ref"),
    ({"kind": "refund", "amount_fen": 100}, "amount_fen"),          # more than the balance (0)
    ({"kind": "deposit", "amount_fen": 0}, "amount_fen"),
])
def test_bad_entries_name_the_field(client, world, body, field):
    response = post(client, world, **body)
    assert response.status_code == 422 and field in response.json["errors"]


def test_only_the_supervising_authority_records_and_scope_hides_the_ledger(client, world):
    assert post(client, world, "h_staff", kind="deposit", amount_fen=100).status_code == 403
    assert post(client, world, "h_officer33", kind="deposit", amount_fen=100).status_code == 404
    assert client.get(URL.format(world["operator"].id), headers=world["h_other"]).status_code == 404
