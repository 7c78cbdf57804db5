"""Campaigns 双随机、一公开: commitment before the draw, the draw revealing the seed, weighted
operators, inspectors from the credentialed officers minus declared conflicts, inspections
planned, a public record anyone can verify, and the CLI replay printing the same result."""
import pytest
from sqlalchemy import select

from supervision.extensions import db
from supervision.inspections import draw
from supervision.inspections.models import Inspection
from tests.api.inspection_parties import Parties


@pytest.fixture
def p(factory, client):
    parties = Parties(factory, client)
    parties.others = [factory.operator(province="32") for _ in range(3)]
    return parties


def freeze(p, **body):
    return p.post(p.lead, "/campaigns", {"period": "2026Q4", "type": "onsite", "operators_to_draw": 2,
                                         "inspectors_per_inspection": 2} | body)


def test_the_frame_and_seed_are_committed_before_the_draw(p):
    response = freeze(p)
    assert response.status_code == 201
    body = response.get_json()
    assert body["seed"] is None and body["result"] is None
    assert body["frame_hash"] == draw.frame_hash(body["frame"])
    assert [o["id"] for o in body["frame"]["operators"]] == sorted([p.operator.id] + [o.id for o in p.others])
    assert all(o["weight"] >= 1.0 for o in body["frame"]["operators"])  # the floor
    # Only credentialed officers of the authority are inspectors (not the one without a credential).
    assert p.uncredentialed.username not in body["frame"]["inspectors"]
    assert p.outsider.username not in body["frame"]["inspectors"]
    public = p.client.get(f"/api/v1/campaigns/{body['id']}").get_json()
    assert public["seed"] is None and public["seed_hash"] == body["seed_hash"]


def test_the_draw_reveals_the_seed_honours_recusals_and_plans_inspections(p):
    campaign = freeze(p, operators_to_draw=4).get_json()
    conflict = p.post(p.lead, f"/campaigns/{campaign['id']}/conflicts",
                      {"username": p.colleague.username, "operator_id": p.operator.id, "reason": "former employer"})
    assert conflict.status_code == 201
    drawn = p.post(p.lead, f"/campaigns/{campaign['id']}/actions/draw").get_json()
    assert draw.sha256_hex(drawn["seed"]) == campaign["seed_hash"]
    assert sorted(drawn["result"]["operators"]) == sorted([p.operator.id] + [o.id for o in p.others])
    assert p.colleague.username not in drawn["result"]["inspectors"][str(p.operator.id)]
    assert drawn["result"]["recusals"] == [{"username": p.colleague.username, "operator_id": p.operator.id}]
    inspections = db.session.scalars(select(Inspection).where(Inspection.campaign_id == campaign["id"])).all()
    assert len(inspections) == 4 and all(len(i.team) == 2 for i in inspections)
    assert p.post(p.lead, f"/campaigns/{campaign['id']}/actions/draw").status_code == 409


def test_replay_draw_prints_the_same_result(p, app):
    campaign = freeze(p).get_json()
    drawn = p.post(p.lead, f"/campaigns/{campaign['id']}/actions/draw").get_json()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["inspections", "replay-draw", str(campaign["id"])])
    assert result.exit_code == 0, result.output
    assert "matches the published result" in result.output
    for operator_id in drawn["result"]["operators"]:
        assert f"operator {operator_id}" in result.output


def test_another_province_cannot_draw_and_the_public_page_shows_the_inputs(p):
    campaign = freeze(p).get_json()
    assert p.post(p.outsider, f"/campaigns/{campaign['id']}/actions/draw").status_code == 404
    p.post(p.lead, f"/campaigns/{campaign['id']}/actions/draw")
    page = p.client.get(f"/campaigns/{campaign['id']}").get_data(as_text=True)
    assert campaign["frame_hash"] in page and campaign["seed_hash"] in page
    assert p.client.get(f"/api/v1/campaigns/{campaign['id']}").get_json()["seed"] in page


def test_the_campaign_needs_two_inspectors_per_inspection(p):
    response = freeze(p, inspectors_per_inspection=1)
    assert response.status_code == 422
