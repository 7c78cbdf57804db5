"""An officer's finding (SPEC §10 POST /findings, §1 jurisdiction): who may record one, and the 422
that names every field at fault with its rule, all at once, so the officer fixes the form in one go."""
import pytest

from supervision.access.models import NATIONAL


@pytest.fixture
def world(factory):
    jiangsu = factory.operator(province="32", name="Jiangsu Test Telecom")
    return {"jiangsu": jiangsu, "national": factory.operator(scope="national", province=None),
            "officer32": factory.officer("32"), "officerCN": factory.officer(NATIONAL),
            "staff": factory.user("operator", operator=jiangsu)}


def post_finding(client, factory, user, operator, **body):
    data = {"operator_id": operator.id, "province": "32", "article": "M 17", "facts": "Records of 2026-09 missing."}
    return client.post("/api/v1/findings", json=data | body, headers=factory.headers(user))


def test_only_an_officer_may_record_a_finding_and_is_told_so(client, factory, world):
    """SPEC §1: findings are an officer's work; operator staff get 403 with the rule in words."""
    refused = post_finding(client, factory, world["staff"], world["jiangsu"])
    assert refused.status_code == 403
    assert refused.json["message"] == "Only an officer may record a finding."


@pytest.mark.parametrize("body, errors", [
    # A provincial officer must say where it was found; blank facts; a malformed article: all three at once.
    ({"province": None, "facts": "   ", "article": "17"},
     {"province": ["name the province where it was found"],
      "facts": ["state the facts found"],
      "article": ["article must name an article such as 'M 17' or 'C 10'"]}),
    ({"province": None}, {"province": ["name the province where it was found"]}),
    ({"facts": " \n "}, {"facts": ["state the facts found"]}),
])
def test_a_finding_refused_names_each_field_and_its_rule(client, factory, world, body, errors):
    response = post_finding(client, factory, world["officer32"], world["jiangsu"], **body)
    assert response.status_code == 422
    assert response.json["message"] == "The finding cannot be recorded as it is."
    assert response.json["errors"] == errors


def test_a_province_where_the_operator_is_not_licensed_is_named_with_the_operator(client, factory, world):
    """SPEC §2/§1: a provincial operator operates in its own province only; the message names both,
    and an article error in the same request is reported alongside it."""
    response = post_finding(client, factory, world["officerCN"], world["jiangsu"], province="33", article="X 1")
    assert response.status_code == 422
    assert response.json["errors"] == {
        "province": ["Jiangsu Test Telecom is not licensed in province 33"],
        "article": ["article must name an article such as 'M 17' or 'C 10'"]}


def test_the_national_authority_may_record_a_head_office_finding_without_a_province(client, factory, world):
    """SPEC §1/§10: `province` null is a national operator's head office, recorded by MIIT (CN)."""
    response = post_finding(client, factory, world["officerCN"], world["national"], province=None)
    assert response.status_code == 201, response.json
    assert (response.json["province"], response.json["authority"], response.json["state"]) == (None, NATIONAL, "open")


@pytest.mark.parametrize("given, stored", [("M 17", "M 17"), ("m17", "M 17"), (" c 10 ", "C 10"), ("M07", "M 7"),
                                           ("C 5", "C 5"), ("m 23", "M 23")])
def test_the_article_is_recorded_in_one_form(client, factory, world, given, stored):
    """[M nn] / [C nn]: however it is typed, the article is stored as letter, space, number."""
    response = post_finding(client, factory, world["officer32"], world["jiangsu"], article=given)
    assert response.status_code == 201, response.json
    assert response.json["article"] == stored


@pytest.mark.parametrize("given", ["M  17", "MC 17", "M 1 7", "M-17", "M 17a", "17 M"])
def test_an_article_in_another_form_is_refused_with_an_example(client, factory, world, given):
    response = post_finding(client, factory, world["officer32"], world["jiangsu"], article=given)
    assert response.status_code == 422
    assert response.json["errors"] == {"article": ["article must name an article such as 'M 17' or 'C 10'"]}


def test_a_fact_seen_by_a_job_is_raised_once_while_open_and_again_after_closing(factory, world):
    """A job raising findings (retention checks, samples…) raises one open finding per fact: a rerun
    returns the open one; once closed, a recurrence is a new finding. Each raise is audited."""
    from supervision.audit import SYSTEM, events_of
    from supervision.findings import services

    first, raised = services.raise_finding(world["jiangsu"], "32", "retention", "m17", "  gap in 2026-09  ",
                                           SYSTEM, factory.now, details={"missing_days": 3}, key="retention:1")
    assert raised is True
    assert (first.article, first.facts, first.authority_code, first.state, first.details) == (
        "M 17", "gap in 2026-09", "32", "open", {"missing_days": 3})
    again, raised_again = services.raise_finding(world["jiangsu"], "32", "retention", "M 17", "gap", SYSTEM,
                                                 factory.now, key="retention:1")
    assert (again.id, raised_again) == (first.id, False)
    [event] = events_of("finding", first.id)
    assert (event.action, event.note) == ("raise", "gap in 2026-09")
    assert event.after == {"operator_id": world["jiangsu"].id, "province": "32", "source": "retention",
                           "article": "M 17", "state": "open"}
    services.resolve(first, "a new attestation covers the gap", factory.now)
    assert (first.state, first.closing_note, first.closed_at) == ("closed", "a new attestation covers the gap",
                                                                  factory.now)
    recurrence, raised_anew = services.raise_finding(world["jiangsu"], "32", "retention", "M 17", "gap again",
                                                     SYSTEM, factory.now, key="retention:1")
    assert raised_anew is True and recurrence.id != first.id
    head_office, _ = services.raise_finding(world["national"], None, "self_inspection", "M 23", "late", SYSTEM,
                                            factory.now)
    assert head_office.authority_code == NATIONAL


def test_only_the_system_resolves_and_only_an_open_finding(client, factory, world):
    """`resolve` is the system's step (the fact was seen cured); an officer closes with a note instead."""
    finding_id = post_finding(client, factory, world["officer32"], world["jiangsu"]).json["id"]
    url = f"/api/v1/findings/{finding_id}/actions"
    headers = factory.headers(world["officer32"])
    refused = client.post(f"{url}/resolve", json={"note": "cured"}, headers=headers)
    assert refused.status_code == 403
    assert client.get(f"/api/v1/findings/{finding_id}", headers=headers).json["allowed_actions"] == ["close"]
    assert client.post(f"{url}/close", json={"note": "cured"}, headers=headers).status_code == 200
    assert client.get(f"/api/v1/findings/{finding_id}", headers=headers).json["allowed_actions"] == []
