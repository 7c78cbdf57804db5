"""Penalty decisions (SPEC §7, §10) [M 21–23]: rules as data, ranges named in the refusal, what a
decision must cite, four-eyes approval, numbering at approval, publication."""
import pytest

from supervision.audit import events_of
from tests.api.inspection_parties import Parties


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def prepare(p, user=None, **body):
    base = {"operator_id": p.operator.id, "rule": "M21", "measure": "fine", "amount_yuan": 5000,
            "facts": "Hotline unanswered for a month.", "finding_id": p.finding()}
    return p.post(user or p.publisher, "/penalties", base | body)


@pytest.mark.parametrize("amount", [499, 10001, None])
def test_an_m21_fine_outside_500_to_10000_names_the_range(p, amount):
    response = prepare(p, amount_yuan=amount)
    assert response.status_code == 422
    message = response.get_json()["errors"]["amount_yuan"][0]
    assert "¥500–¥10,000" in message and "M 21" in message


@pytest.mark.parametrize("amount", [500, 10000])
def test_an_m21_fine_at_either_end_of_the_range_is_accepted(p, amount):
    response = prepare(p, amount_yuan=amount)
    assert response.status_code == 201 and response.get_json()["state"] == "draft"
    assert response.get_json()["number"] is None


def test_m23_allows_only_a_warning(p):
    response = prepare(p, rule="M23", measure="fine", amount_yuan=1000)
    assert response.status_code == 422 and "warning" in response.get_json()["errors"]["measure"][0]
    assert prepare(p, rule="M23", measure="warning", amount_yuan=None).status_code == 201
    assert prepare(p, rule="M23", measure="warning", amount_yuan=100).status_code == 422


def test_an_m22_fine_cites_an_order_and_is_at_most_10000(p):
    assert "order_id" in prepare(p, rule="M22", amount_yuan=3000).get_json()["errors"]
    order = p.order()
    by_order = {"finding_id": None, "order_id": order["id"]}
    assert prepare(p, rule="M22", amount_yuan=10001, **by_order).status_code == 422
    assert prepare(p, rule="M22", amount_yuan=10000, **by_order).status_code == 201
    assert prepare(p, rule="M22", measure="warning", amount_yuan=None).status_code == 201


def test_a_decision_cites_exactly_one_record_of_that_operator_in_scope(p, factory):
    assert prepare(p, order_id=p.order()["id"]).status_code == 422  # both
    assert prepare(p, finding_id=None).status_code == 422  # neither
    other = factory.operator(province="32")
    response = prepare(p, operator_id=other.id)
    assert response.status_code == 422 and "finding_id" in response.get_json()["errors"]
    assert prepare(p, rule="M99").status_code == 422


def test_four_eyes_the_author_gets_403_a_second_publisher_approves(p):
    decision = prepare(p).get_json()
    url = f"/penalties/{decision['id']}/actions"
    by_author = p.post(p.publisher, f"{url}/approve")
    assert by_author.status_code == 403 and "Four-eyes" in by_author.get_json()["message"]
    assert p.post(p.colleague, f"{url}/approve").status_code == 403  # not a publisher
    assert p.post(p.outsider, f"{url}/approve").status_code == 404
    approved = p.post(p.second_publisher, f"{url}/approve").get_json()
    assert approved["state"] == "approved" and approved["number"] == "苏通罚〔2026〕1号"
    assert approved["approved_by"] == p.second_publisher.id
    published = p.post(p.lead, f"{url}/publish").get_json()
    assert published["state"] == "published" and published["published_at"]
    assert [e.action for e in events_of("penalty", decision["id"])] == ["prepare", "approve", "publish"]


def test_the_operator_sees_its_decisions_once_approved_but_cannot_act(p):
    decision = prepare(p).get_json()
    url = f"/penalties/{decision['id']}"
    # A draft is the authority's deliberation until a second publisher approves it (four-eyes).
    assert p.get(p.staff, url).status_code == 404
    assert decision["id"] not in [item["id"] for item in p.get(p.staff, "/penalties").get_json()["items"]]
    assert p.post(p.second_publisher, f"{url}/actions/approve").status_code == 200
    assert p.get(p.staff, url).status_code == 200
    assert decision["id"] in [item["id"] for item in p.get(p.staff, "/penalties").get_json()["items"]]
    assert p.post(p.staff, f"{url}/actions/approve").status_code == 403
    assert p.post(p.staff, "/penalties", {"operator_id": p.operator.id, "rule": "M23", "measure": "warning",
                                          "facts": "x", "finding_id": p.finding()}).status_code == 403
