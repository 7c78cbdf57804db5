"""Jurisdiction (SPEC §1), checked in one place for every role: what each caller lists and opens.

The world: provincial operator A (Jiangsu, 32), provincial operator B (Zhejiang, 33), a national
operator N, an expired Jiangsu operator E; complaints c1 (A, 32, transferred), c2 (A, 32, just
filed) and c3 (B, 33, transferred). Outside a caller's scope a record answers 404, never 403.
"""
from datetime import date

import pytest

from supervision.audit import Actor
from supervision.complaints import transitions
from supervision.extensions import db

ROLES = ["admin", "officerCN", "officer32", "officer33", "staffA", "staffB", "oversight", "public"]
ALL_OPERATORS = {"A", "B", "N", "E"}
ALL_COMPLAINTS = {"c1", "c2", "c3"}

OPERATORS_SEEN = {
    "admin": ALL_OPERATORS,
    "officerCN": ALL_OPERATORS,
    "officer32": {"A", "N", "E"},  # national operators work in every province
    "officer33": {"B", "N"},
    "staffA": {"A"},
    "staffB": {"B"},
    "oversight": ALL_OPERATORS,
    "public": {"A", "B", "N"},  # active licences only
}
COMPLAINTS_SEEN = {
    "admin": set(),  # no complaint duties (SPEC §1): complainants' personal data stay out of reach
    "officerCN": ALL_COMPLAINTS,
    "officer32": {"c1", "c2"},
    "officer33": {"c3"},
    "staffA": {"c1"},  # transferred to its operator; c2 is not (yet)
    "staffB": {"c3"},
    "oversight": set(),
}


class World:
    def __init__(self, factory):
        self.operators = {
            "A": factory.operator(province="32", name="A"),
            "B": factory.operator(province="33", name="B"),
            "N": factory.operator(scope="national", province=None, name="N"),
            "E": factory.operator(province="32", name="E", valid_from=date(2020, 1, 1),
                                  valid_until=date(2025, 12, 31)),
        }
        self.users = {
            "admin": factory.admin(), "officerCN": factory.officer("CN"), "officer32": factory.officer("32"),
            "officer33": factory.officer("33"), "staffA": factory.user("operator", operator=self.operators["A"]),
            "staffB": factory.user("operator", operator=self.operators["B"]),
            "oversight": factory.user("oversight"), "public": None,
        }
        self.headers = {role: factory.headers(u) if u else {} for role, u in self.users.items()}
        c1, self.code1 = factory.complaint(self.operators["A"], "32")
        c2, _ = factory.complaint(self.operators["A"], "32")
        c3, _ = factory.complaint(self.operators["B"], "33")
        self._transfer(c1, self.users["officer32"], factory.now)
        self._transfer(c3, self.users["officer33"], factory.now)
        db.session.commit()
        self.complaints = {"c1": c1.reference, "c2": c2.reference, "c3": c3.reference}
        self.operator_ids = {name: op.id for name, op in self.operators.items()}

    @staticmethod
    def _transfer(complaint, officer, now):
        for action in ("accept", "transfer"):
            transitions.perform(complaint, action, {}, Actor.of(officer), now)

    def operator_name(self, operator_id: int) -> str:
        return next(name for name, oid in self.operator_ids.items() if oid == operator_id)

    def complaint_name(self, reference: str) -> str:
        return next(name for name, ref in self.complaints.items() if ref == reference)


@pytest.fixture
def world(factory):
    return World(factory)


@pytest.mark.parametrize("role", ROLES)
def test_operator_list_is_scoped(world, client, role):
    page = client.get("/api/v1/operators", headers=world.headers[role]).json
    assert {world.operator_name(o["id"]) for o in page["items"]} == OPERATORS_SEEN[role]


@pytest.mark.parametrize("role", ROLES)
def test_single_operator_is_404_outside_scope_unless_public(world, client, role):
    """One operator: in scope, or public (an active licence: signing in never shows less than
    the public sees, issue 11 access matrix); else 404."""
    answers = {}
    for name, operator_id in world.operator_ids.items():
        response = client.get(f"/api/v1/operators/{operator_id}", headers=world.headers[role])
        answers[name] = response.status_code
        if response.status_code == 200:
            assert response.json["name"] == name
        else:
            assert response.json["code"] == 404 and response.json["errors"] == {}
    readable = OPERATORS_SEEN[role] | OPERATORS_SEEN["public"]
    assert answers == {name: 200 if name in readable else 404 for name in ALL_OPERATORS}


@pytest.mark.parametrize("role", sorted(COMPLAINTS_SEEN))
def test_complaint_list_is_scoped(world, client, role):
    page = client.get("/api/v1/complaints", headers=world.headers[role])
    assert page.status_code == 200
    assert {world.complaint_name(c["reference"]) for c in page.json["items"]} == COMPLAINTS_SEEN[role]


@pytest.mark.parametrize("role", sorted(COMPLAINTS_SEEN))
def test_single_complaint_is_404_outside_scope(world, client, role):
    answers = {}
    for name, reference in world.complaints.items():
        response = client.get(f"/api/v1/complaints/{reference}", headers=world.headers[role])
        answers[name] = response.status_code
        if response.status_code == 200:
            assert response.json["reference"] == reference
        else:
            assert response.json["code"] == 404 and reference not in response.json["message"]
    assert answers == {name: 200 if name in COMPLAINTS_SEEN[role] else 404 for name in ALL_COMPLAINTS}


@pytest.mark.parametrize("role", ["officer32", "staffA"])
def test_filters_cannot_widen_the_scope(world, client, role):
    """Asking for another province or operator by filter gives an empty list, not their records."""
    for query in ({"province": "33"}, {"operator_id": world.operator_ids["B"]}, {"q": "TS-33"}):
        page = client.get("/api/v1/complaints", query_string=query, headers=world.headers[role]).json
        assert page["items"] == [], query
    operators = client.get("/api/v1/operators", query_string={"province": "33"}, headers=world.headers[role])
    assert "B" not in {world.operator_name(o["id"]) for o in operators.json["items"]}


def test_public_needs_a_token_for_the_complaint_list(world, client):
    response = client.get("/api/v1/complaints")
    assert response.status_code == 401 and response.json["code"] == 401


def test_public_opens_a_complaint_only_with_its_access_code(world, client):
    url = f"/api/v1/complaints/{world.complaints['c1']}"
    assert client.get(url).status_code == 401
    assert client.get(url, query_string={"access_code": "WRONGCODE2"}).status_code == 404
    # Someone else's code does not open this complaint either.
    other = f"/api/v1/complaints/{world.complaints['c2']}"
    assert client.get(other, query_string={"access_code": world.code1}).status_code == 404
    own = client.get(url, query_string={"access_code": world.code1})
    assert own.status_code == 200 and own.json["reference"] == world.complaints["c1"]


@pytest.mark.parametrize(("role", "complaint", "action", "body"), [
    ("officer33", "c2", "accept", {}),
    ("officer32", "c3", "supervise", {}),
    ("staffB", "c1", "operator_reply", {"reply": "We fixed it."}),
    ("staffA", "c2", "operator_reply", {"reply": "Not transferred to us yet."}),
    ("oversight", "c1", "close", {"outcome": "resolved"}),
    ("admin", "c1", "close", {"outcome": "resolved"}),
])
def test_actions_outside_scope_are_404_and_change_nothing(world, client, role, complaint, action, body):
    reference = world.complaints[complaint]
    before = client.get(f"/api/v1/complaints/{reference}", headers=world.headers["officerCN"]).json
    response = client.post(f"/api/v1/complaints/{reference}/actions/{action}", json=body,
                           headers=world.headers[role])
    assert response.status_code == 404, response.json
    after = client.get(f"/api/v1/complaints/{reference}", headers=world.headers["officerCN"]).json
    assert after["status"] == before["status"] and len(after["timeline"]) == len(before["timeline"])


@pytest.mark.parametrize(("role", "operator"), [("officer32", "B"), ("staffA", "B"), ("staffB", "N")])
def test_writes_to_operators_outside_scope_are_404(world, client, role, operator):
    url = f"/api/v1/operators/{world.operator_ids[operator]}"
    patch = client.patch(url, json={"name": "Renamed"}, headers=world.headers[role])
    counts = client.put(f"{url}/subscriber-counts", json={"province": "33", "quarter": "2026Q3",
                                                          "subscribers": 5}, headers=world.headers[role])
    assert (patch.status_code, counts.status_code) == (404, 404)
    assert client.get(url, headers=world.headers["admin"]).json["name"] == operator


@pytest.mark.parametrize(("who", "message"), [
    ("officer", "Province 44 is outside your jurisdiction: you may act only for your own province (32)."),
    ("operator", "Your operator does not operate in province 44."),
    ("oversight", "You may not act for province 44."),
])
def test_a_province_outside_the_callers_jurisdiction_is_refused_in_words(ctx, factory, who, message):
    """SPEC §1 and issue 6: a write naming another province is a 403 naming the field and why."""
    from supervision.access.scoping import require_province_in_scope
    from supervision.errors import Forbidden

    users = {"officer": lambda: factory.officer("32"),
             "operator": lambda: factory.user("operator", operator=factory.operator(province="32")),
             "oversight": lambda: factory.user("oversight")}
    with pytest.raises(Forbidden) as refused:
        require_province_in_scope(users[who](), "44", field="province")
    assert str(refused.value.message) == message
    assert [str(text) for text in refused.value.errors["province"]] == [message]  # the field is named
