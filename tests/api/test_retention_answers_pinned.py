"""Retention attestations [M 17] (SPEC §4, §10) pinned: the attestation's JSON as the API answers it,
who may file one (and the 403 that says why not), and that several attestations file all or nothing."""
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from supervision.audit import Actor
from supervision.errors import ValidationFailed
from supervision.extensions import db
from supervision.obligations.models import RetentionAttestation
from supervision.obligations.retention import file_many
from tests.api.test_retention_api import FULL, URL  # today 2026-11-26: the window runs from 2026-06-26


@pytest.fixture
def world(factory):
    operator = factory.operator(province="32")
    staff = factory.user("operator", operator=operator)
    return {"operator": operator, "staff": staff, "h_staff": factory.headers(staff),
            "h_officer32": factory.headers(factory.officer("32")), "h_cn": factory.headers(factory.officer("CN"))}


def test_an_attestation_answers_with_every_documented_field(client, world):
    """SPEC §10: the filed attestation and the list of the latest ones carry every field, judged on the as-of date."""
    body = {"system": " BOSS-1 ", "province": "32", "earliest_day": "2026-06-28", "latest_day": "2026-11-20",
            "as_of": "2026-11-25"}
    response = client.post(URL.format(world["operator"].id), json=body, headers=world["h_staff"])
    assert response.status_code == 201
    expected = {"id": response.json["id"], "system": "BOSS-1", "province": "32", "earliest_day": "2026-06-28",
                "latest_day": "2026-11-20", "as_of": "2026-11-25", "required_from": "2026-06-25",
                "required_to": "2026-11-25", "held_months": [],
                "gaps": [{"from": "2026-06-25", "to": "2026-06-27"}, {"from": "2026-11-21", "to": "2026-11-25"}],
                "compliant": False}
    assert response.json == expected
    listed = client.get(URL.format(world["operator"].id), headers=world["h_officer32"])
    assert listed.json == {"items": [expected]}


OWN_STAFF_ONLY = "Only the operator's own staff may file its retention attestations."
OUTSIDE_32 = "Province 33 is outside your jurisdiction: you may act only for your own province (32)."


@pytest.mark.parametrize(("who", "province", "answer"), [
    pytest.param("h_officer32", "32", {"code": 403, "message": OWN_STAFF_ONLY, "errors": {}},
                 id="an officer of the province"),
    pytest.param("h_cn", "32", {"code": 403, "message": OWN_STAFF_ONLY, "errors": {}}, id="an MIIT officer"),
    pytest.param("h_officer32", "33", {"code": 403, "message": OUTSIDE_32, "errors": {"province": [OUTSIDE_32]}},
                 id="an officer naming another province is told about the province first"),
])
def test_only_the_operators_own_staff_file_an_attestation(client, world, who, province, answer):
    """SPEC §4: operators file their attestations; an officer gets a 403 saying which rule refused it."""
    response = client.post(URL.format(world["operator"].id), json=FULL | {"province": province}, headers=world[who])
    assert (response.status_code, response.json) == (403, answer)
    assert db.session.scalar(select(func.count(RetentionAttestation.id))) == 0


def test_several_attestations_are_filed_all_or_nothing(world, factory):
    """SPEC §4: attestations filed together (one per billing system): one bad line files none and is named."""
    good = {"system": "BOSS-1", "province": "32", "earliest_day": date(2026, 6, 26),
            "latest_day": date(2026, 11, 26), "as_of": date(2026, 11, 26)}
    bad = good | {"system": "CRM-2", "as_of": date(2026, 11, 27)}
    with pytest.raises(ValidationFailed) as refused:
        file_many(world["operator"], [(2, good), (3, bad)], Actor.of(world["staff"]), factory.now)
    with force_locale("en"):
        assert str(refused.value.message) == ("Nothing was filed: correct the lines below and upload the file "
                                              "again.")
        errors = {key: [str(m) for m in messages] for key, messages in refused.value.errors.items()}
    assert errors == {"line 3: as_of": ["the as-of date 2026-11-27 is in the future"]}
    assert db.session.scalar(select(func.count(RetentionAttestation.id))) == 0
    filed = file_many(world["operator"], [(2, good), (3, bad | {"as_of": date(2026, 11, 26)})],
                      Actor.of(world["staff"]), factory.now)
    assert [(a.system, a.compliant) for a in filed] == [("BOSS-1", True), ("CRM-2", True)]
