"""Format clauses [M 15]: versioned filings, officer review, the public list."""
import pytest

TEXT = "第一条 用户办理业务时，经营者应当以显著方式提示资费标准和服务期限。"


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    return {"operator": operator, "h_staff": factory.headers(factory.user("operator", operator=operator)),
            "h_other": factory.headers(factory.user("operator", operator=factory.operator(province="32"))),
            "h_officer": factory.headers(factory.officer("32")), "h_officer33": factory.headers(factory.officer("33"))}


def file(client, world, headers="h_staff", **body):
    return client.post(f"/api/v1/operators/{world['operator'].id}/format-clauses",
                       json={"title": "入网协议", "text": TEXT} | body, headers=world[headers])


def test_filings_are_versioned_reviewed_and_listed_publicly(client, world):
    first = file(client, world)
    assert first.status_code == 201 and first.json["version"] == 1
    url = f"/api/v1/format-clauses/{first.json['id']}/actions"
    no_comment = client.post(f"{url}/request_changes", json={}, headers=world["h_officer"])
    assert no_comment.status_code == 422 and "comment" in no_comment.json["errors"]
    changes = client.post(f"{url}/request_changes", json={"comment": "提示方式不够显著。"}, headers=world["h_officer"])
    assert changes.json["status"] == "changes_requested"
    assert client.post(f"{url}/accept", json={}, headers=world["h_officer"]).status_code == 409
    second = file(client, world, text=TEXT + "并以加粗字体标明。")
    assert second.json["version"] == 2
    accepted = client.post(f"/api/v1/format-clauses/{second.json['id']}/actions/accept", json={},
                           headers=world["h_officer"])
    assert accepted.json["status"] == "accepted"
    public = client.get(f"/api/v1/operators/{world['operator'].id}/format-clauses").json["items"]
    assert [(c["title"], c["version"], c["status"]) for c in public] == [("入网协议", 2, "accepted")]


def test_roles_and_scope(client, world):
    assert file(client, world, "h_officer").status_code == 403
    assert file(client, world, "h_other").status_code == 404
    assert file(client, world, text="short").status_code == 422
    clause_id = file(client, world).json["id"]
    assert client.post(f"/api/v1/format-clauses/{clause_id}/actions/accept", json={},
                       headers=world["h_officer33"]).status_code == 404
    assert client.post(f"/api/v1/format-clauses/{clause_id}/actions/accept", json={},
                       headers=world["h_staff"]).status_code == 403
